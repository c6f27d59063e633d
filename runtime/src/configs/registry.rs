//! The model registry: who owns which Numerai model, on what terms it takes delegations.
//!
//! Until the round oracle and the stake-delegation pallet land, two stand-ins take their
//! places: the round clock stays at round 0 and nobody is a delegator. Benchmarks drive both
//! through well-known storage keys so that every code path can be measured in this runtime.

use crate::{
	configs::governance::EnsureRootOrHalfCouncil, AccountId, Balance, Balances, Runtime,
	RuntimeHoldReason, DAYS, NMR,
};
use numerstake_primitives::{DelegationInspect, FeeCaps, ModelId, RoundClock, RoundIndex};
use polkadot_sdk::frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// Deposit for a model's records (up to 16 terms versions and 32 version commitments).
	pub const ModelDeposit: Balance = NMR;
	/// A claim must be verified within a day.
	pub const ClaimTtl: crate::BlockNumber = DAYS;
	/// A consistency bond stays burnable for 28 days after a withdrawal request: long enough for
	/// a swapped model to show in its daily scores.
	pub const ConsistencyBondNotice: crate::BlockNumber = 28 * DAYS;
	/// Fee caps until governance can set them (the stake-delegation pallet stores them).
	pub const DefaultFeeCaps: FeeCaps = FeeCaps::DEFAULT;
}

#[cfg(feature = "runtime-benchmarks")]
const BENCH_ROUND_KEY: &[u8] = b":numerstake:bench:round";
#[cfg(feature = "runtime-benchmarks")]
const BENCH_DELEGATOR_PREFIX: &[u8] = b":numerstake:bench:delegator:";

/// Stand-in for the round oracle: no round has opened yet.
pub struct NoOracleYet;
impl RoundClock for NoOracleYet {
	fn current_round() -> RoundIndex {
		#[cfg(feature = "runtime-benchmarks")]
		{
			polkadot_sdk::frame_support::storage::unhashed::get_or_default(BENCH_ROUND_KEY)
		}
		#[cfg(not(feature = "runtime-benchmarks"))]
		{
			0
		}
	}
}

/// Stand-in for the stake-delegation pallet: there are no delegations yet.
pub struct NoDelegationsYet;
impl DelegationInspect<AccountId> for NoDelegationsYet {
	fn is_delegator(_model: &ModelId, _who: &AccountId) -> bool {
		#[cfg(feature = "runtime-benchmarks")]
		{
			use codec::Encode;
			let key = [BENCH_DELEGATOR_PREFIX, &(_model, _who).encode()].concat();
			polkadot_sdk::frame_support::storage::unhashed::exists(&key)
		}
		#[cfg(not(feature = "runtime-benchmarks"))]
		{
			false
		}
	}
	fn has_obligations(_: &ModelId) -> bool {
		false
	}
	fn terms_version_in_use(_: &ModelId, _: u32) -> bool {
		false
	}
}

/// Drives the stand-ins in benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct RegistryBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_model_registry::BenchmarkHelper<AccountId> for RegistryBenchmarkHelper {
	fn set_round(round: RoundIndex) {
		polkadot_sdk::frame_support::storage::unhashed::put(BENCH_ROUND_KEY, &round);
	}
	fn make_delegator(model: &ModelId, who: &AccountId) {
		use codec::Encode;
		let key = [BENCH_DELEGATOR_PREFIX, &(model, who).encode()].concat();
		polkadot_sdk::frame_support::storage::unhashed::put(&key, &true);
	}
}

impl pallet_model_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RoundClock = NoOracleYet;
	type Delegations = NoDelegationsYet;
	type FeeCaps = DefaultFeeCaps;
	type GovernanceOrigin = EnsureRootOrHalfCouncil;
	type ModelDeposit = ModelDeposit;
	type ClaimTtl = ClaimTtl;
	type VersionNotice = ConstU32<5>;
	type MaxTermsVersions = ConstU32<16>;
	type MaxVersionHistory = ConstU32<32>;
	type MaxNoteLen = ConstU32<256>;
	type ConsistencyBondNotice = ConsistencyBondNotice;
	type MinGriefRatioPercent = ConstU32<50>;
	type MaxGriefRatioPercent = ConstU32<1_000>;
	type WeightInfo = pallet_model_registry::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegistryBenchmarkHelper;
}
