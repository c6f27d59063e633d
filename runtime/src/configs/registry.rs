//! The model registry: who owns which Numerai model, on what terms it takes delegations.
//!
//! The round oracle is the registry's clock. Until the stake-delegation pallet lands, a stand-in
//! says nobody is a delegator; benchmarks drive it through a well-known storage key so that
//! every code path can be measured in this runtime.

use crate::{
	configs::governance::EnsureRootOrHalfCouncil, AccountId, Balance, Balances, Runtime,
	RuntimeHoldReason, DAYS, NMR,
};
#[cfg(feature = "runtime-benchmarks")]
use numerstake_primitives::RoundIndex;
use numerstake_primitives::{DelegationInspect, FeeCaps, ModelId};
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
const BENCH_DELEGATOR_PREFIX: &[u8] = b":numerstake:bench:delegator:";

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
	fn has_debt(_: &AccountId) -> bool {
		false
	}
}

/// Drives the stand-ins in benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct RegistryBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_model_registry::BenchmarkHelper<AccountId> for RegistryBenchmarkHelper {
	fn set_round(round: RoundIndex) {
		use pallet_round_oracle::{FirstRound, LatestRound, RoundInfo, Rounds};
		Rounds::<Runtime>::insert(round, RoundInfo { opened_at: 0, resolves_at: 86_400 });
		if FirstRound::<Runtime>::get().is_none_or(|f| f > round) {
			FirstRound::<Runtime>::put(round);
		}
		LatestRound::<Runtime>::put(round);
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
	type RoundClock = crate::RoundOracle;
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
