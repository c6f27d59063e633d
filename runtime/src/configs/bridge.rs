//! The NMR bridge: relayers mint what the Ethereum lock contract locked and sign releases of
//! what is burned here. Governance (root or half the council) manages the relayer set, limits,
//! contract and guardian.

use crate::{configs::governance::EnsureRootOrHalfCouncil, Balance, Balances, Runtime};
use polkadot_sdk::frame_support::traits::{ConstU32, Get};

/// The registry's evented burns (griefs, refuted claims), for the bridge's issuance invariant.
pub struct RegistryBurns;
impl Get<Balance> for RegistryBurns {
	fn get() -> Balance {
		pallet_model_registry::Burned::<Runtime>::get()
	}
}

impl pallet_nmr_bridge::Config for Runtime {
	type Currency = Balances;
	type GovernanceOrigin = EnsureRootOrHalfCouncil;
	type OtherBurns = RegistryBurns;
	type MaxRelayers = ConstU32<16>;
	type MaxSignaturesPerCall = ConstU32<32>;
	type WeightInfo = pallet_nmr_bridge::weights::SubstrateWeight<Runtime>;
}
