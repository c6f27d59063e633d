//! Runtime API of the model registry, for wallets, the staker CLI and indexers: everything about
//! a model in one call. The runtime and the CLI depend on this crate, not on the pallet.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use numerstake_primitives::{terms::Terms, ConsistencyRecord, ModelId, ModelStatus, RoundIndex};
use polkadot_sdk::sp_core::H256;
use scale_info::TypeInfo;

/// A published terms version.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct TermsView<Balance> {
	/// Version index (what `delegate` quotes to consent to these terms).
	pub version: u32,
	/// First round the terms apply to.
	pub effective_round: RoundIndex,
	/// Round they were published in.
	pub published_round: RoundIndex,
	/// The terms.
	pub terms: Terms<Balance>,
}

/// A version commitment.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct VersionView {
	/// Hash of the artefact or pipeline.
	pub artefact_hash: H256,
	/// First round submitted with it.
	pub effective_round: RoundIndex,
	/// Round it was announced in.
	pub announced_round: RoundIndex,
	/// The owner's note.
	pub note: Vec<u8>,
}

/// The consistency bond.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct BondView<Balance, BlockNumber> {
	/// NMR held.
	pub amount: Balance,
	/// Bond burned per unit a griefer burns, in percent.
	pub ratio_percent: u32,
	/// A pending withdrawal: amount and the block it unlocks at.
	pub withdrawal: Option<(Balance, BlockNumber)>,
}

/// Everything the registry knows about a model.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ModelProfile<AccountId, Balance, BlockNumber> {
	/// The model id.
	pub model: ModelId,
	/// Owner (or pending claimant).
	pub owner: AccountId,
	/// Public Numerai name.
	pub name: Vec<u8>,
	/// Status.
	pub status: ModelStatus,
	/// Registration deposit held.
	pub deposit: Balance,
	/// While pending: the block the claim lapses after.
	pub claim_expires_at: Option<BlockNumber>,
	/// The terms in force now.
	pub current_terms: Option<TermsView<Balance>>,
	/// Published terms not yet in force, oldest first.
	pub upcoming_terms: Vec<TermsView<Balance>>,
	/// Version commitments kept, oldest first.
	pub versions: Vec<VersionView>,
	/// Version commitments ever made.
	pub versions_total: u32,
	/// The consistency bond.
	pub consistency_bond: Option<BondView<Balance, BlockNumber>>,
	/// The consistency record.
	pub record: ConsistencyRecord<Balance>,
}

/// Most model ids one [`ModelRegistryApi::models`] call returns.
pub const MAX_MODELS_PAGE: u32 = 256;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reads of the model registry.
	pub trait ModelRegistryApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// A model's profile, or `None` for an unknown model.
		fn model_profile(model: ModelId) -> Option<ModelProfile<AccountId, Balance, BlockNumber>>;
		/// The text `claimant` must put in `model`'s public Numerai profile.
		fn ownership_challenge(model: ModelId, claimant: AccountId) -> Vec<u8>;
		/// The models `owner` owns or has claimed.
		fn models_of(owner: AccountId) -> Vec<ModelId>;
		/// Registered models, a page at a time: up to `limit` (at most [`MAX_MODELS_PAGE`])
		/// ids in storage order, starting after `after` (from the first when `None`).
		fn models(after: Option<ModelId>, limit: u32) -> Vec<ModelId>;
	}
}
