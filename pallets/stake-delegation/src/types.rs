//! The pallet's records: a model's pool, the per-round cohorts, delegations, the per-round
//! history settlement reads, and the governance parameters with their safe ranges.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use numerstake_primitives::{FeeCaps, RoundIndex};
use polkadot_sdk::{
	frame_support::{traits::ConstU32, BoundedVec},
	sp_runtime::Permill,
};
use scale_info::TypeInfo;

pub use crate::ledger::{FeeCalendar, JoinQueue, OwnerBook, RoundRecorder, ShareLedger};

/// Balances are planck of NMR (18 decimals), as everywhere in numerstake.
pub type Balance = u128;
/// A delegation's index within its model (with the staker and the model, its key).
pub type DelegationIndex = u32;

/// Most activation cohorts waiting in one pool (one per round with joins, from the oldest
/// unfinalised round to the newest joinable one; Numerai keeps about 25 rounds open).
pub const MAX_PENDING_COHORTS: u32 = 40;
/// Most distinct exit rounds asked for by members of one cohort before it activated: more than
/// the rounds that open between a round's opening and its resolution on Numerai (about 25), so
/// that in normal operation every day of that window can have its own exit round, and a
/// griefer would need an oracle stall of more than 32 rounds and 32 minimum delegations locked
/// for it to fill them.
pub const MAX_PRE_EXITS: u32 = 32;
/// Most entries of a pool's window of open rounds' requirements (a decreasing run of maxima;
/// when full, the last entry covers the later rounds too, which only errs towards more bond).
pub const MAX_OPEN_REQS: u32 = 8;
/// Most terms versions whose users a pool counts; at least the registry's `MaxTermsVersions`.
pub const MAX_VERSION_USERS: u32 = 32;
/// Most commitments a delegation carries at once (the current one and one ended but not yet
/// settled past).
pub const MAX_COMMITMENTS: u32 = 2;

/// An activation cohort waiting for its first round to be finalised.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct PendingActivation {
	/// The cohort's first round.
	pub round: RoundIndex,
	/// Principal of its members.
	pub principal: Balance,
	/// Prepaid fixed fees of its committed members (refundable until the round opens, the
	/// owner's at activation).
	pub prepaid: Balance,
	/// Members.
	pub members: u32,
	/// Of `principal`, what members asked to exit before activation (detailed in `PreExits`).
	pub exiting: Balance,
	/// Of `members`, those who asked to exit before activation.
	pub exiting_members: u32,
}

/// A model's pool: its stakers' NMR, accounted in shares at a share price.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Pool<AccountId> {
	/// The model's owner (fixed for the model's life in the registry).
	pub owner: AccountId,
	/// The shares of the current epoch, their price, the rounding dust and the exit pot.
	pub ledger: ShareLedger,
	/// The owner's bond and debt, and what the pool owes the owner.
	pub book: OwnerBook,
	/// Activation cohorts not yet activated.
	pub joins: JoinQueue,
	/// Principal of the live delegations (not yet withdrawn or cancelled).
	pub principal: Balance,
	/// The value this pool counts for in the chain's and its owner's concentration totals.
	pub tracked_value: Balance,
	/// The rounds recorded as they opened and what they and the next one require.
	pub recorder: RoundRecorder,
	/// The latest round settled here.
	pub last_finalised: Option<RoundIndex>,
	/// Finalised results waiting until the pool has caught up with the rounds opened before
	/// them (only after the oracle stalled for this model): the first such round and how many.
	pub deferred: Option<(RoundIndex, u32)>,
	/// Rounds served and fee periods.
	pub calendar: FeeCalendar,
	/// Since when the bond has been below the requirement.
	pub under_bonded_since: Option<RoundIndex>,
	/// The latest round that freed committed stakers (a backing breach, a missed round with
	/// stake delegated, or under-bonding past the grace rounds), and why.
	pub last_breach: Option<(RoundIndex, Freed)>,
	/// Index of the next delegation.
	pub next_index: DelegationIndex,
	/// Live delegations.
	pub delegations: u32,
	/// Live delegations by the oldest terms version each may still need: `(version, count)`.
	pub version_users: BoundedVec<(u32, u32), ConstU32<MAX_VERSION_USERS>>,
	/// The oldest round whose history record may still be stored (pruning walks from it, so
	/// that a pool that restarted later still prunes what it recorded before).
	pub history_from: RoundIndex,
	/// Whether the oracle follows the model (kept by the oracle's watch hooks).
	pub watched: bool,
}

/// A round's cohort record: its recorded requirement and its exit cohort.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct RoundCohort {
	/// The requirement recorded for the round when the pool was first touched after it opened.
	pub req: Option<Balance>,
	/// Shares that leave the pool when the round is finalised.
	pub exit_shares: u128,
	/// The epoch those shares belong to.
	pub exit_epoch: u32,
	/// Principal of members of not yet activated cohorts who leave at this round; converted to
	/// `exit_shares` when their cohort activates.
	pub exit_principal: Balance,
	/// Positions leaving at this round (delegations and the owner's fee exit).
	pub exit_members: u32,
	/// Principal leaving `reset_exposed` after this round: exits asked before activation by
	/// members of cohorts that activated in epoch `reset_epoch` while requirements were reset.
	pub reset_exit: Balance,
	/// The epoch `reset_exit` belongs to.
	pub reset_epoch: u32,
}

/// An activated cohort, until all its members took their shares: what they need to.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Activation {
	/// The epoch the cohort activated in.
	pub epoch: u32,
	/// The price it activated at.
	pub price: u128,
	/// The pool's served-rounds counter before the cohort's first round.
	pub served_before: u32,
	/// The first fee-period end at or after the cohort's first round.
	pub period_end: RoundIndex,
	/// Shares of members staying in the pool, not yet taken.
	pub shares: u128,
	/// Members staying in the pool who have not taken their shares.
	pub members: u32,
	/// Members who asked to exit before activation and have not taken their shares.
	pub exit_members: u32,
}

/// An exit cohort that left the pool: the price its members are paid at.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ExitRecord {
	/// The epoch of the shares.
	pub epoch: u32,
	/// The price after the round.
	pub price: u128,
	/// Positions not yet paid.
	pub members: u32,
}

/// What the pool recorded when it settled a round: all that lazy settlement of a delegation
/// needs, so that its result never depends on when it is settled.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct RoundRecord {
	/// The share price at activation, before the round's return.
	pub price_before: u128,
	/// The share price after the round's return (before any epoch reset).
	pub price_after: u128,
	/// The epoch the round settled in.
	pub epoch: u32,
	/// Rounds served up to and including this one.
	pub served_total: u32,
	/// Whether this round was served (submitted and fully backed).
	pub served: bool,
	/// The first fee-period end at or after this round.
	pub period_end: RoundIndex,
	/// The first fee-period end after this round.
	pub next_end: RoundIndex,
}

/// How an epoch ended.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct EpochClose {
	/// The round after whose return the price fell below the floor.
	pub round: RoundIndex,
	/// The price then: what the epoch's shares were paid out at.
	pub price: u128,
}

/// The owner's fee shares queued to leave at a round.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct FeeExit {
	/// The epoch of the shares.
	pub epoch: u32,
	/// Shares.
	pub shares: u128,
}

/// Where a delegation stands.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Stage {
	/// Principal waiting in the activation cohort of its first round.
	Queued,
	/// Principal in its activation cohort, asked to leave after `last_round` before activation.
	QueuedExit {
		/// The last round it is exposed to.
		last_round: RoundIndex,
	},
	/// Shares in the pool.
	Active,
	/// Shares in the exit cohort of `last_round`.
	Exiting {
		/// The last round it is exposed to.
		last_round: RoundIndex,
	},
}

impl Stage {
	/// The last round the delegation is exposed to, once it asked to exit.
	pub fn last_round(&self) -> Option<RoundIndex> {
		match self {
			Stage::QueuedExit { last_round } | Stage::Exiting { last_round } => Some(*last_round),
			Stage::Queued | Stage::Active => None,
		}
	}
}

/// A commitment: rounds `start..=end` locked and their fixed fee prepaid, at the locked terms
/// version's fees less `discount`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Commitment {
	/// First committed round.
	pub start: RoundIndex,
	/// Last committed round.
	pub end: RoundIndex,
	/// The terms version locked.
	pub version: u32,
	/// Its discount on both fees.
	pub discount: Permill,
}

/// A staker's delegation to a model.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Delegation {
	/// NMR delegated.
	pub principal: Balance,
	/// The prepaid fixed fee paid at join (commitments).
	pub prepaid: Balance,
	/// The first round it is exposed to.
	pub first_round: RoundIndex,
	/// The terms version the staker consented to.
	pub joined_version: u32,
	/// Where it stands.
	pub stage: Stage,
	/// The share epoch of its shares (once active).
	pub epoch: u32,
	/// Its shares (once active), net of fees paid in shares.
	pub shares: u128,
	/// Commitments, oldest first.
	pub commitments: BoundedVec<Commitment, ConstU32<MAX_COMMITMENTS>>,
	/// The terms version its rolling fees were last charged at.
	pub terms_version: u32,
	/// High-water mark of the share price for the performance fee.
	pub hwm: u128,
	/// Fees are settled for rounds up to and including this one.
	pub fees_through: RoundIndex,
	/// The pool's served-rounds counter at `fees_through`.
	pub served_through: u32,
	/// The next fee-period end to settle.
	pub next_fee_round: RoundIndex,
	/// While exiting: fee shares owed from the exiting shares, paid to the owner at withdrawal.
	pub exit_fee_shares: u128,
	/// Fees paid so far, in planck at the prices they were charged at.
	pub fees_paid: Balance,
}

pub use numerstake_primitives::ProtocolParams;

/// Everything governance sets for delegation, stored as one value.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct GovernanceParams {
	/// Caps on owners' terms.
	pub caps: FeeCaps,
	/// Protocol parameters.
	pub protocol: ProtocolParams,
}

/// Governance parameters and, beside them, the chain's delegated value (the concentration
/// caps' denominator, updated as each round settles) and the oracle's round clock: one storage
/// item, since every join reads all three.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct GlobalState {
	/// Caps on owners' terms.
	pub caps: FeeCaps,
	/// Protocol parameters.
	pub protocol: ProtocolParams,
	/// Delegated value of all pools.
	pub total_value: Balance,
	/// The oracle's round clock, as it told this pallet.
	pub clock: RoundClockCopy,
}

impl Default for GlobalState {
	fn default() -> Self {
		let GovernanceParams { caps, protocol } = GovernanceParams::default();
		Self { caps, protocol, total_value: 0, clock: RoundClockCopy::default() }
	}
}

/// This pallet's copy of the oracle's round clock, kept by the oracle's `on_round_opened`
/// (`try_state` checks it against the oracle).
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct RoundClockCopy {
	/// The latest opened round (0 before the oracle reported any).
	pub latest: RoundIndex,
	/// The chain's first round (`None` before the oracle reported any).
	pub first: Option<RoundIndex>,
}

impl RoundClockCopy {
	/// The clock after round `round` opened.
	pub fn opened(self, round: RoundIndex) -> Self {
		Self { latest: round, first: self.first.or(Some(round)) }
	}
}

/// The chain's delegated value, for the concentration caps.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct OperatorStats {
	/// Value of the owner's pools counted in the concentration totals.
	pub value: Balance,
	/// Debt of the owner's pools in all.
	pub debt: Balance,
}

/// Why committed stakers may leave before the end of their commitment.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Freed {
	/// The owner staked less on Numerai than required, or missed a round with stake delegated.
	BackingBreach,
	/// The model's version changed inside the commitment.
	VersionChanged,
	/// The bond stayed below the requirement past the grace rounds.
	UnderBonded,
}
