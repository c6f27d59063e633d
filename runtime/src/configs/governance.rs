//! Governance: a council (collective + membership). On live chains the council, not sudo, is
//! the origin that later pallets accept for fee caps, protocol parameters, oracle operators and
//! bridge relayers; [`EnsureRootOrHalfCouncil`] is that origin.

use crate::{
	AccountId, BlockNumber, Council, OriginCaller, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, DAYS,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU32, EitherOfDiverse},
		weights::Weight,
	},
	frame_system::EnsureRoot,
	pallet_collective, pallet_membership, pallet_utility,
	sp_runtime::Perbill,
};

/// The council's instance of `pallet-collective`.
pub type CouncilCollective = pallet_collective::Instance1;

/// Root (sudo on dev chains) or more than half of the council.
pub type EnsureRootOrHalfCouncil = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionMoreThan<AccountId, CouncilCollective, 1, 2>,
>;

/// Root or at least two thirds of the council: for changes to the council itself.
pub type EnsureRootOrTwoThirdsCouncil = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>,
>;

/// Most council members the chain supports.
pub const COUNCIL_MAX_MEMBERS: u32 = 32;

parameter_types! {
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	pub MaxProposalWeight: Weight =
		Perbill::from_percent(50) * super::RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<COUNCIL_MAX_MEMBERS>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = EnsureRootOrTwoThirdsCouncil;
	type KillOrigin = EnsureRootOrTwoThirdsCouncil;
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = EnsureRootOrTwoThirdsCouncil;
	type RemoveOrigin = EnsureRootOrTwoThirdsCouncil;
	type SwapOrigin = EnsureRootOrTwoThirdsCouncil;
	type ResetOrigin = EnsureRootOrTwoThirdsCouncil;
	type PrimeOrigin = EnsureRootOrTwoThirdsCouncil;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = ConstU32<COUNCIL_MAX_MEMBERS>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}
