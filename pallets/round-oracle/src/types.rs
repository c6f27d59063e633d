//! Reports, results and the oracle's bookkeeping records.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use numerstake_primitives::{ModelId, RoundIndex, RoundReturn};
use polkadot_sdk::frame_support::{
	traits::{ConstU32, Get},
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;

/// Longest score name (`displayName` on Numerai, e.g. `canon_corr`).
pub const MAX_SCORE_NAME_LEN: u32 = 32;

/// A score's `displayName`.
pub type ScoreName = BoundedVec<u8, ConstU32<MAX_SCORE_NAME_LEN>>;

/// Fixed-point scale of scores, multipliers and payout factors (12 decimals).
pub const SCORE_SCALE: i64 = numerstake_numerai::SCORE_SCALE;

/// One score of a round, at [`SCORE_SCALE`].
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Score {
	/// The score's `displayName`.
	pub name: ScoreName,
	/// Its value × 10^12, rounded half away from zero.
	pub value: i64,
}

/// A model's result in a round, as the oracle reports and stores it.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxScores))]
#[codec(mel_bound())]
pub enum RoundResult<MaxScores: Get<u32>> {
	/// No submission, or nothing at stake and no scores.
	NotSubmitted,
	/// The round resolved.
	Resolved(ResolvedResult<MaxScores>),
}

/// A resolved round of a model.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxScores))]
#[codec(mel_bound())]
pub struct ResolvedResult<MaxScores: Get<u32>> {
	/// The model's stake at risk on Numerai, planck.
	pub at_risk: u128,
	/// What Numerai paid (+) or burned (-), planck.
	pub payout: i128,
	/// The scores the chain stores (names from [`OracleParams::stored_scores`], in order).
	pub scores: BoundedVec<Score, MaxScores>,
	/// The round's payout factor.
	pub payout_factor: Option<i64>,
	/// The round's CORR multiplier.
	pub corr_multiplier: Option<i64>,
	/// The round's MMC multiplier.
	pub mmc_multiplier: Option<i64>,
}

impl<M: Get<u32>> ResolvedResult<M> {
	/// What the off-chain worker read, in the chain's types (`None`: more scores, or longer
	/// names, than the chain stores).
	pub fn from_read(read: numerstake_numerai::Resolved) -> Option<Self> {
		let scores = read
			.scores
			.into_iter()
			.map(|(name, value)| {
				ScoreName::try_from(name.into_bytes()).ok().map(|name| Score { name, value })
			})
			.collect::<Option<alloc::vec::Vec<_>>>()?;
		Some(Self {
			at_risk: read.at_risk,
			payout: read.payout,
			scores: BoundedVec::try_from(scores).ok()?,
			payout_factor: read.payout_factor,
			corr_multiplier: read.corr_multiplier,
			mmc_multiplier: read.mmc_multiplier,
		})
	}
}

impl<M: Get<u32>> RoundResult<M> {
	/// The money part.
	pub fn round_return(&self) -> RoundReturn {
		match self {
			RoundResult::NotSubmitted => RoundReturn::NotSubmitted,
			RoundResult::Resolved(r) => {
				RoundReturn::Resolved { at_risk: r.at_risk, payout: r.payout }
			},
		}
	}
}

/// What an operator reports.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxScores))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
// The bounds the derives need stay on the parameter; codec's bound is its own attribute.
#[allow(clippy::multiple_bound_locations)]
pub enum Report<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, MaxScores: Get<u32>> {
	/// Numerai opened round `round`.
	RoundOpened {
		/// The round number.
		round: RoundIndex,
		/// Unix seconds of the opening.
		opened_at: u64,
		/// Unix seconds of the scheduled resolution.
		resolves_at: u64,
	},
	/// `model`'s result in `round`.
	RoundResult {
		/// The model.
		model: ModelId,
		/// The round.
		round: RoundIndex,
		/// The result.
		result: RoundResult<MaxScores>,
	},
	/// `claimant`'s ownership challenge is in `model`'s public Numerai profile.
	Ownership {
		/// The model.
		model: ModelId,
		/// The claimant whose challenge was seen.
		claimant: AccountId,
	},
	/// The profile of the name `claimant`'s pending claim of `model` gives is not `model`'s:
	/// Numerai answers that no model has the name, or the profile carries another model's id.
	/// The same subject as [`Report::Ownership`]: for one claim, one of the two is true.
	ClaimRefuted {
		/// The model.
		model: ModelId,
		/// The claimant whose claim names the wrong profile.
		claimant: AccountId,
		/// The name the claim gives (a later claim by the same claimant with another name is
		/// another claim: this report is stale for it).
		name: BoundedVec<u8, ConstU32<64>>,
	},
	/// While a claim of `model` is pending, the model's profile shows not the claimant's
	/// challenge but another one, of digest `digest` (the first in the profile's texts). It
	/// names no claimant, so that a squatter who swaps claimants does not reset the votes.
	ForeignChallenge {
		/// The model.
		model: ModelId,
		/// The digest of the challenge that is there.
		digest: [u8; 32],
	},
}

impl<A: Clone + PartialEq + Eq + core::fmt::Debug, M: Get<u32>> Report<A, M> {
	/// The claimant an ownership report is about.
	pub fn claimant(&self) -> Option<&A> {
		match self {
			Report::Ownership { claimant, .. } | Report::ClaimRefuted { claimant, .. } => {
				Some(claimant)
			},
			_ => None,
		}
	}

	/// What the report is about: reports about one subject are compared with each other.
	pub fn subject(&self) -> Subject {
		match self {
			Report::RoundOpened { round, .. } => Subject::Round(*round),
			Report::RoundResult { model, round, .. } => Subject::Result(*model, *round),
			Report::Ownership { model, .. } | Report::ClaimRefuted { model, .. } => {
				Subject::Ownership(*model)
			},
			Report::ForeignChallenge { model, .. } => Subject::Profile(*model),
		}
	}
}

/// What reports are about.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Subject {
	/// The opening of a round.
	Round(RoundIndex),
	/// A model's result in a round.
	Result(ModelId, RoundIndex),
	/// The live ownership claim of a model: its claimant's challenge is in the profile, or the
	/// claim names a profile that is not the model's.
	Ownership(ModelId),
	/// Another account's challenge in the profile of a model with a pending claim.
	Profile(ModelId),
}

/// A round as finalised.
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
pub struct RoundInfo {
	/// Unix seconds of the opening.
	pub opened_at: u64,
	/// Unix seconds of the scheduled resolution.
	pub resolves_at: u64,
}

/// Where a watched model's results stand.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ModelProgress {
	/// The next round to finalise; `None`: the first round the chain ever opens (the model was
	/// watched before any round was reported).
	pub next_round: Option<RoundIndex>,
	/// Its slot in the rotating watch list.
	pub slot: u32,
}

/// A finalised result and when it became final.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxScores))]
#[codec(mel_bound(BlockNumber: MaxEncodedLen))]
pub struct FinalResult<BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug, MaxScores: Get<u32>>
{
	/// The result.
	pub result: RoundResult<MaxScores>,
	/// Block of finalisation.
	pub finalised_at: BlockNumber,
}

/// An operator's dissent: its reports that differed from the one finalised (by a quorum or by
/// governance).
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug, Default)]
pub struct DissentRecord<BlockNumber> {
	/// How many.
	pub count: u32,
	/// The latest: its subject and the block it was recorded in (`None`: none since storage
	/// version 1; version 0 kept the count alone).
	pub last: Option<(Subject, BlockNumber)>,
}

/// Reports waiting for a quorum on one subject.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug, Default)]
pub struct PendingState<BlockNumber> {
	/// Distinct reports received.
	pub candidates: u32,
	/// Operators disagreed: it finalises when one report reaches the threshold (the others'
	/// authors dissent), or by governance.
	pub conflicted: bool,
	/// Block of the first report.
	pub since: BlockNumber,
}

/// How operators read Numerai, set by governance so that all of them read it alike.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(bound = "")]
#[scale_info(skip_type_params(MaxScores))]
#[codec(mel_bound())]
pub struct OracleParams<MaxScores: Get<u32>> {
	/// Numerai tournament (8 = Classic).
	pub tournament: u16,
	/// `displayName` of the CORR score of the payout formula (cross-check of payouts).
	pub corr_score: ScoreName,
	/// `displayName` of the MMC score of the payout formula.
	pub mmc_score: ScoreName,
	/// The scores stored with each result, in order.
	pub stored_scores: BoundedVec<ScoreName, MaxScores>,
	/// Seconds after a round's scheduled resolution before a model absent from it is reported
	/// as not submitted.
	pub absent_grace_secs: u64,
}

impl<M: Get<u32>> OracleParams<M> {
	/// Classic tournament, `canon_corr` and `canon_mmc` (stored too), absent models reported
	/// as not submitted a day after the scheduled resolution.
	pub fn classic() -> Self {
		let name = |s: &[u8]| ScoreName::truncate_from(s.to_vec());
		let mut stored = BoundedVec::new();
		for s in [&b"canon_corr"[..], &b"canon_mmc"[..]] {
			// With room for fewer than two scores the defaults store what fits.
			let _ = stored.try_push(name(s));
		}
		Self {
			tournament: numerstake_numerai::TOURNAMENT_CLASSIC,
			corr_score: name(b"canon_corr"),
			mmc_score: name(b"canon_mmc"),
			stored_scores: stored,
			absent_grace_secs: 86_400,
		}
	}
}

impl<M: Get<u32>> Default for OracleParams<M> {
	fn default() -> Self {
		Self::classic()
	}
}
