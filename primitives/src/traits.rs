//! The interfaces between the numerstake pallets. Each pallet implements its side; the runtime
//! wires them together; `()` stands in for a pallet that is not (yet) in the runtime.

use crate::{terms::Terms, ModelId, ModelStatus, RoundIndex};
use alloc::vec::Vec;
use polkadot_sdk::sp_runtime::DispatchResult;

/// The latest round Numerai has opened, as finalised by the oracle.
pub trait RoundClock {
	/// The number of the latest opened round (0 before the oracle reports any).
	fn current_round() -> RoundIndex;
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
}

/// Read access to the registry for the oracle, the delegation pallet and runtime APIs.
pub trait ModelRegistryInspect<AccountId, Balance> {
	/// The model's owner (or pending claimant).
	fn owner(model: &ModelId) -> Option<AccountId>;
	/// The model's status.
	fn status(model: &ModelId) -> Option<ModelStatus>;
	/// The terms version in force at `round` and its index.
	fn terms_at(model: &ModelId, round: RoundIndex) -> Option<(u32, Terms<Balance>)>;
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
	/// The text the claimant must put in the model's public Numerai profile.
	fn challenge(model: &ModelId, claimant: &AccountId) -> Vec<u8>;
	/// Models with a live (pending, unexpired) claim and their claimants, at most `limit`;
	/// for the oracle's off-chain workers to check (off chain only: it iterates storage).
	fn pending_claims(limit: u32) -> Vec<(ModelId, AccountId)>;
	/// Records that a quorum saw `claimant`'s challenge in `model`'s profile.
	fn attest_ownership(model: &ModelId, claimant: &AccountId) -> DispatchResult;
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
