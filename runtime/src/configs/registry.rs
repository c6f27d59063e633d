//! The model registry: who owns which Numerai model, on what terms it takes delegations.
//!
//! The round oracle is the registry's clock; the stake-delegation pallet tells it who delegates
//! and which terms versions are still in use, and holds the governance fee caps.

#[cfg(feature = "runtime-benchmarks")]
use crate::AccountId;
use crate::{
	configs::governance::EnsureRootOrHalfCouncil, Balance, Balances, Runtime, RuntimeHoldReason,
	DAYS, NMR,
};
#[cfg(feature = "runtime-benchmarks")]
use numerstake_primitives::ModelId;
#[cfg(feature = "runtime-benchmarks")]
use numerstake_primitives::RoundIndex;
use polkadot_sdk::frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// Deposit for a model's records (up to 16 terms versions and 32 version commitments).
	pub const ModelDeposit: Balance = NMR;
	/// A claim must be verified within a day.
	pub const ClaimTtl: crate::BlockNumber = DAYS;
	/// A consistency bond stays burnable for 28 days after a withdrawal request: long enough for
	/// a swapped model to show in its daily scores.
	pub const ConsistencyBondNotice: crate::BlockNumber = 28 * DAYS;
}

/// Drives the round clock and delegations in benchmarks.
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
		// The delegation pallet's copy of the clock, as the oracle's hook keeps it.
		pallet_stake_delegation::Global::<Runtime>::mutate(|g| {
			g.clock = pallet_stake_delegation::RoundClockCopy {
				latest: round,
				first: FirstRound::<Runtime>::get(),
			}
		});
	}
	fn make_delegator(model: &ModelId, who: &AccountId) {
		pallet_stake_delegation::Pallet::<Runtime>::benchmark_delegator(model, who);
	}
}

impl pallet_model_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RoundClock = crate::RoundOracle;
	type Delegations = crate::StakeDelegation;
	type FeeCaps = pallet_stake_delegation::CurrentFeeCaps<Runtime>;
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
