//! The interfaces between the numerstake pallets. Each pallet implements its side; the runtime
//! wires them together; `()` stands in for a pallet that is not (yet) in the runtime.

use crate::{terms::Terms, ModelId, ModelStatus, RoundIndex};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{frame_support::weights::Weight, sp_runtime::DispatchResult};
use scale_info::TypeInfo;

/// The latest round Numerai has opened, as finalised by the oracle.
pub trait RoundClock {
	/// The number of the latest opened round (0 before the oracle reports any).
	fn current_round() -> RoundIndex;
	/// Whether the oracle follows `model`'s results (so that its rounds will be finalised).
	fn watches(_model: &ModelId) -> bool {
		true
	}
	/// The first round this chain opened (`None` before the oracle reported any): rounds before
	/// it never open here.
	fn first_round() -> Option<RoundIndex> {
		None
	}
	/// The next round of `model` the oracle will finalise (`None`: not watched, or no round
	/// opened yet). Results arrive strictly in order from it, so a pool that settles `model`
	/// must expect exactly this round next.
	fn next_result(_model: &ModelId) -> Option<RoundIndex> {
		None
	}
}

impl RoundClock for () {
	fn current_round() -> RoundIndex {
		0
	}
}

/// What the registry asks the stake-delegation pallet.
pub trait DelegationInspect<AccountId> {
	/// Whether `who` holds a delegation (active or queued) in `model`.
	fn is_delegator(model: &ModelId, who: &AccountId) -> bool;
	/// Whether any delegation, exit pot or unsettled fee still refers to `model`.
	fn has_obligations(model: &ModelId) -> bool;
	/// Whether a delegation still needs terms version `version` of `model` (locked by a
	/// commitment, or not yet settled past it).
	fn terms_version_in_use(model: &ModelId, version: u32) -> bool;
	/// Whether `owner` owes any pool a gain its bond could not pay (no new models until repaid).
	fn has_debt(owner: &AccountId) -> bool;
	/// Whether `model`'s pool is under-bonded (its owner's bond is below the requirement).
	fn is_under_bonded(_model: &ModelId) -> bool {
		false
	}
}

impl<AccountId> DelegationInspect<AccountId> for () {
	fn is_delegator(_: &ModelId, _: &AccountId) -> bool {
		false
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

/// Read access to the registry for the oracle, the delegation pallet and runtime APIs.
pub trait ModelRegistryInspect<AccountId, Balance> {
	/// The model's owner (or pending claimant).
	fn owner(model: &ModelId) -> Option<AccountId>;
	/// The model's status.
	fn status(model: &ModelId) -> Option<ModelStatus>;
	/// The terms version in force at `round` and its index.
	fn terms_at(model: &ModelId, round: RoundIndex) -> Option<(u32, Terms<Balance>)>;
	/// Terms version `version` of `model` (if still stored) with its effective round.
	fn terms_version(model: &ModelId, version: u32) -> Option<(RoundIndex, Terms<Balance>)>;
	/// The newest published terms version (possibly not yet in force): index, effective round
	/// and terms.
	fn latest_terms(model: &ModelId) -> Option<(u32, RoundIndex, Terms<Balance>)>;
	/// Whether a committed model version took effect in rounds `after + 1 ..= up_to`.
	fn version_changed_between(model: &ModelId, after: RoundIndex, up_to: RoundIndex) -> bool;
}

/// The status changes the delegation pallet drives.
pub trait ModelStatusControl {
	/// Marks the model under-bonded (no new delegations) or, with `false`, active again.
	fn set_under_bonded(model: &ModelId, under_bonded: bool) -> DispatchResult;
}

impl ModelStatusControl for () {
	fn set_under_bonded(_: &ModelId, _: bool) -> DispatchResult {
		Ok(())
	}
}

/// Ownership proofs: the registry derives challenges; the oracle quorum attests them.
pub trait OwnershipAttestation<AccountId> {
	/// The text the claimant must put in the model's public Numerai profile:
	/// [`CHALLENGE_PREFIX`] and the lower-case hex of [`Self::challenge_digest`].
	fn challenge(model: &ModelId, claimant: &AccountId) -> Vec<u8>;
	/// The digest in `claimant`'s challenge for `model`.
	fn challenge_digest(model: &ModelId, claimant: &AccountId) -> [u8; 32];
	/// Live (pending, unexpired) claims, at most `limit`, starting after the claim of `after`
	/// (in storage order, so that callers can walk them in rotating batches); for the oracle's
	/// off-chain workers to check (off chain only: it iterates storage).
	fn pending_claims(after: Option<ModelId>, limit: u32) -> Vec<PendingClaim<AccountId>>;
	/// The live (pending, unexpired) claim of `model`, if any.
	fn pending_claim(model: &ModelId) -> Option<PendingClaim<AccountId>>;
	/// Records that a quorum saw `claimant`'s challenge in `model`'s profile.
	fn attest_ownership(model: &ModelId, claimant: &AccountId) -> DispatchResult;
	/// Records that, while a claim of `model` was pending, a quorum saw in the model's profile
	/// not the claimant's challenge but another one, of digest `digest` (the hex part of
	/// [`CHALLENGE_PREFIX`]`0x…`): once the claim lapses, only the account with that challenge
	/// may claim the model for a while, so that a squatter cannot win each race to re-claim it.
	fn reserve_for_challenge(model: &ModelId, digest: [u8; 32]) -> DispatchResult;
	/// The challenge digest `model` is reserved for, if a reservation is in force or pending.
	fn reserved_for(model: &ModelId) -> Option<[u8; 32]>;
	/// Records that a quorum found the profile of the name `claimant`'s pending claim of
	/// `model` gives to be no model's, or another model's: the claim ends at once and its
	/// deposit is burned, so that a squatter who claims under a wrong name (and so is never
	/// checked against the real profile) pays for each attempt.
	fn refute_claim(model: &ModelId, claimant: &AccountId) -> DispatchResult;
}

/// How every ownership challenge starts; 64 lower-case hex digits of its digest follow.
pub const CHALLENGE_PREFIX: &str = "numerstake-challenge:0x";

/// A claim waiting for the oracle: the model, the claimant and the model's Numerai name (the
/// profile is looked up by name; its id must be the model's).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PendingClaim<AccountId> {
	/// The claimed model.
	pub model: ModelId,
	/// Who claims it.
	pub claimant: AccountId,
	/// The model's public Numerai name.
	pub name: Vec<u8>,
	/// The block the claim lapses after (as a number): with the claimant and the name, it
	/// tells one claim from a later one.
	pub expires_at: u64,
}

/// What a finalised round of a model means for money: the oracle's result without the scores.
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
pub enum RoundReturn {
	/// The model did not submit (or staked nothing): no return, no fee.
	NotSubmitted,
	/// The model's stake on Numerai in the round and what Numerai paid (+) or burned (-), in
	/// planck.
	Resolved {
		/// Stake at risk.
		at_risk: u128,
		/// Settled payout, signed.
		payout: i128,
	},
}

/// Told by the oracle what changes for money: a model's round is final (rounds of a model
/// arrive strictly in order), a round opened, a model is watched or no longer. The
/// stake-delegation pallet settles the pool on a result and keeps its own copy of the round
/// clock and of each pool's watch state, so that a join reads neither from the oracle.
pub trait OnRoundFinalized {
	/// `model`'s round `round` is final with `result`.
	fn on_round_finalized(model: &ModelId, round: RoundIndex, result: &RoundReturn);
	/// The most [`Self::on_round_finalized`] can weigh.
	fn weight() -> Weight;
	/// Round `round` opened (rounds open in increasing order; the first call is the chain's
	/// first round).
	fn on_round_opened(_round: RoundIndex) {}
	/// The most [`Self::on_round_opened`] can weigh.
	fn opened_weight() -> Weight {
		Weight::zero()
	}
	/// The oracle follows `model` from now on; `next` is the first round it will finalise
	/// (`None`: the chain's first round, not yet opened).
	fn on_watched(_model: &ModelId, _next: Option<RoundIndex>) {}
	/// The oracle no longer follows `model`.
	fn on_unwatched(_model: &ModelId) {}
	/// The most [`Self::on_watched`] or [`Self::on_unwatched`] can weigh.
	fn watch_weight() -> Weight {
		Weight::zero()
	}
}

impl OnRoundFinalized for () {
	fn on_round_finalized(_: &ModelId, _: RoundIndex, _: &RoundReturn) {}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// The consistency record, filled by the oracle (rounds) and the delegation pallet (backing).
pub trait ConsistencyRecorder {
	/// A round of `model` was finalised, as submitted or not.
	fn note_round(model: &ModelId, round: RoundIndex, submitted: bool);
	/// The owner staked less on Numerai than delegated for `round`.
	fn note_backing_breach(model: &ModelId, round: RoundIndex);
}

impl ConsistencyRecorder for () {
	fn note_round(_: &ModelId, _: RoundIndex, _: bool) {}
	fn note_backing_breach(_: &ModelId, _: RoundIndex) {}
}
