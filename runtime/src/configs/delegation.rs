//! Stake delegation: per-model share pools settled from the oracle's results.

use crate::{
	configs::governance::EnsureRootOrHalfCouncil, Balances, ModelRegistry, RoundOracle, Runtime,
	RuntimeHoldReason, NMR,
};
use polkadot_sdk::frame_support::{parameter_types, traits::ConstU32, PalletId};

parameter_types! {
	/// Pool accounts are `modl` + this id + the model id.
	pub const DelegationPalletId: PalletId = PalletId(*b"nmst/stk");
	/// No delegation below 1 NMR, whatever a model's terms allow: every delegation's storage is
	/// paid for by stake.
	pub const MinDelegation: u128 = NMR;
}

impl pallet_stake_delegation::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = ModelRegistry;
	type Rounds = RoundOracle;
	type GovernanceOrigin = EnsureRootOrHalfCouncil;
	type PalletId = DelegationPalletId;
	type MinDelegation = MinDelegation;
	/// About ten years of daily rounds (five a week).
	type HistoryDepth = ConstU32<2_600>;
	type MaxCatchUp = ConstU32<16>;
	type MaxSettlePeriods = ConstU32<8>;
	type WeightInfo = pallet_stake_delegation::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = DelegationBenchmarkHelper;
}

/// Registry and oracle state for the delegation benchmarks, through their own calls.
#[cfg(feature = "runtime-benchmarks")]
pub struct DelegationBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_stake_delegation::BenchmarkHelper<crate::AccountId> for DelegationBenchmarkHelper {
	fn active_model(
		model: &numerstake_primitives::ModelId,
		owner: &crate::AccountId,
		terms: numerstake_primitives::terms::Terms<u128>,
	) {
		use pallet_round_oracle::BenchmarkHelper as _;
		crate::configs::oracle::OracleBenchmarkHelper::register_verified(model, owner);
		let _ = RoundOracle::watch_model(crate::RuntimeOrigin::root(), *model, None);
		let _ = ModelRegistry::set_terms(
			crate::RuntimeOrigin::signed(owner.clone()),
			*model,
			terms,
			None,
		);
	}
	fn publish_terms(
		model: &numerstake_primitives::ModelId,
		owner: &crate::AccountId,
		terms: numerstake_primitives::terms::Terms<u128>,
		effective_round: numerstake_primitives::RoundIndex,
	) {
		let _ = ModelRegistry::set_terms(
			crate::RuntimeOrigin::signed(owner.clone()),
			*model,
			terms,
			Some(effective_round),
		);
	}
	fn set_round(round: numerstake_primitives::RoundIndex) {
		use pallet_model_registry::BenchmarkHelper as _;
		crate::configs::registry::RegistryBenchmarkHelper::set_round(round);
	}
}
