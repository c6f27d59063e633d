//! The NMR bridge: relayers mint what the Ethereum lock contract locked and sign releases of
//! what is burned here. Governance (root or half the council) manages the relayer set, limits,
//! contract and guardian.

use crate::{configs::governance::EnsureRootOrHalfCouncil, Balance, Balances, Runtime};
use polkadot_sdk::frame_support::traits::{ConstU32, Get};

/// What the bridge's issuance invariant subtracts besides its own burns: the registry's evented
/// burns (griefs, refuted claims) and the fees owed to a fee pot that cannot exist yet.
pub struct OtherBurns;
impl Get<Balance> for OtherBurns {
	fn get() -> Balance {
		pallet_model_registry::Burned::<Runtime>::get()
			.saturating_add(crate::configs::FeePotOwed::get())
	}
}

impl pallet_nmr_bridge::Config for Runtime {
	type Currency = Balances;
	type GovernanceOrigin = EnsureRootOrHalfCouncil;
	type OtherBurns = OtherBurns;
	type MaxRelayers = ConstU32<16>;
	type MaxSignaturesPerCall = ConstU32<32>;
	type WeightInfo = pallet_nmr_bridge::weights::SubstrateWeight<Runtime>;
}
