//! The registry's records.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use numerstake_primitives::{terms::Terms, ModelStatus, RoundIndex};
use polkadot_sdk::{
	frame_support::{
		traits::ConstU32, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
	},
	sp_core::H256,
};
use scale_info::TypeInfo;

/// Longest model name (Numerai names are short lower-case identifiers).
pub const MAX_NAME_LEN: u32 = 64;
/// Longest model-id text accepted by `register_model` (a UUID is 36; longer text gets a
/// precise error rather than a decoding failure).
pub const MAX_MODEL_ID_TEXT_LEN: u32 = 64;

/// A model's public Numerai name.
pub type ModelName = BoundedVec<u8, ConstU32<MAX_NAME_LEN>>;
/// The text of a Numerai model id as submitted.
pub type ModelIdText = BoundedVec<u8, ConstU32<MAX_MODEL_ID_TEXT_LEN>>;

/// A registered (or claimed) model.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ModelInfo<AccountId, Balance, BlockNumber> {
	/// The owner (while pending: the claimant).
	pub owner: AccountId,
	/// The model's public Numerai name.
	pub name: ModelName,
	/// Where the model stands.
	pub status: ModelStatus,
	/// The storage deposit held from the owner.
	pub deposit: Balance,
	/// Block of the claim.
	pub claimed_at: BlockNumber,
	/// Block after which an unverified claim lapses.
	pub claim_expires_at: BlockNumber,
	/// Index of the next terms version to publish.
	pub next_terms_version: u32,
	/// Index of the oldest terms version still stored.
	pub first_terms_version: u32,
}

/// One published version of a model's terms.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct TermsVersion<Balance> {
	/// First round these terms apply to.
	pub effective_round: RoundIndex,
	/// Round in which they were published.
	pub published_round: RoundIndex,
	/// The terms.
	pub terms: Terms<Balance>,
}

/// A commitment to a model artefact or pipeline, announced ahead.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxNote))]
#[codec(mel_bound())]
pub struct VersionCommitment<MaxNote: polkadot_sdk::frame_support::traits::Get<u32>> {
	/// Hash of the artefact or pipeline.
	pub artefact_hash: H256,
	/// First round submitted with this version.
	pub effective_round: RoundIndex,
	/// Round in which it was announced.
	pub announced_round: RoundIndex,
	/// The owner's note (e.g. what changed).
	pub note: BoundedVec<u8, MaxNote>,
}

/// A model's version commitments, newest last.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxNote, MaxHistory))]
#[codec(mel_bound())]
pub struct VersionHistory<
	MaxNote: polkadot_sdk::frame_support::traits::Get<u32>,
	MaxHistory: polkadot_sdk::frame_support::traits::Get<u32>,
> {
	/// The retained commitments in announcement order (effective rounds strictly rising).
	pub versions: BoundedVec<VersionCommitment<MaxNote>, MaxHistory>,
	/// How many commitments were ever made.
	pub total: u32,
	/// Effective rounds of the oldest and the newest commitment dropped from `versions` to keep
	/// it bounded. Range queries treat the whole span as changed (erring towards letting
	/// delegators exit).
	pub dropped: Option<(RoundIndex, RoundIndex)>,
}

impl<
		N: polkadot_sdk::frame_support::traits::Get<u32>,
		H: polkadot_sdk::frame_support::traits::Get<u32>,
	> Default for VersionHistory<N, H>
{
	fn default() -> Self {
		Self { versions: BoundedVec::new(), total: 0, dropped: None }
	}
}

/// A requested withdrawal from the consistency bond.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct BondWithdrawal<Balance, BlockNumber> {
	/// How much will be released.
	pub amount: Balance,
	/// From which block it can be withdrawn.
	pub unlock_at: BlockNumber,
}

/// Consistency insurance: held NMR that a delegator can burn at a price (Erasure-style griefing).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ConsistencyBond<Balance, BlockNumber> {
	/// NMR held as the bond.
	pub amount: Balance,
	/// Bond burned per unit a griefer burns, in percent (300 = 3x).
	pub ratio_percent: u32,
	/// A withdrawal waiting out its notice, if any.
	pub withdrawal: Option<BondWithdrawal<Balance, BlockNumber>>,
}

pub use numerstake_primitives::ConsistencyRecord;

/// A model held for the account whose ownership challenge its profile shows.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Reservation<BlockNumber> {
	/// The digest of the challenge seen (the 64 hex digits after the prefix).
	pub digest: [u8; 32],
	/// The last block only that challenge's account may claim the model.
	pub until: BlockNumber,
}
