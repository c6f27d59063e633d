//! Runtime API of the round oracle, for wallets, the staker CLI (score history, correlation
//! between models) and operators. The runtime and the CLI depend on this crate, not on the
//! pallet.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use numerstake_primitives::{ModelId, RoundIndex};
use scale_info::TypeInfo;

/// Most rounds one `model_history` call returns.
pub const MAX_HISTORY_RANGE: u32 = 1_000;

/// A finalised round of a model.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RoundView<BlockNumber> {
	/// The round.
	pub round: RoundIndex,
	/// Whether the model submitted.
	pub submitted: bool,
	/// Stake at risk on Numerai, planck.
	pub at_risk: u128,
	/// Settled payout, planck, signed.
	pub payout: i128,
	/// Stored scores: name and value × 10^12.
	pub scores: Vec<(Vec<u8>, i64)>,
	/// Payout factor × 10^12.
	pub payout_factor: Option<i64>,
	/// CORR multiplier × 10^12.
	pub corr_multiplier: Option<i64>,
	/// MMC multiplier × 10^12.
	pub mmc_multiplier: Option<i64>,
	/// Block of finalisation.
	pub finalised_at: BlockNumber,
}

/// The oracle's state.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct OracleStatus<AccountId> {
	/// Latest opened round.
	pub latest_round: Option<RoundIndex>,
	/// Opening and scheduled resolution (unix seconds) of the latest round.
	pub latest_round_times: Option<(u64, u64)>,
	/// Operators.
	pub operators: Vec<AccountId>,
	/// Each operator's dissent count (reports that differed from the one finalised), in the
	/// order of `operators`.
	pub dissents: Vec<u32>,
	/// Identical reports needed.
	pub threshold: u32,
	/// Watched models.
	pub watched: u32,
}

/// Most pending subjects one [`RoundOracleApi::pending`] call returns.
pub const MAX_PENDING_PAGE: u32 = 256;

/// What a pending report is about (the pallet's `Subject`, as clients read it).
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum PendingSubject {
	/// The opening of a round.
	Round(RoundIndex),
	/// A model's result in a round.
	Result(ModelId, RoundIndex),
	/// A model's live ownership claim.
	Ownership(ModelId),
	/// Another account's challenge in the profile of a model with a pending claim.
	Profile(ModelId),
}

/// Reports on one subject still short of a quorum.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PendingView<AccountId, BlockNumber> {
	/// What the reports are about.
	pub subject: PendingSubject,
	/// Distinct reports received.
	pub candidates: u32,
	/// Whether operators disagreed.
	pub conflicted: bool,
	/// Block of the first report.
	pub since: BlockNumber,
	/// The operators that reported.
	pub reporters: Vec<AccountId>,
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reading the oracle.
	pub trait RoundOracleApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// `model`'s finalised rounds in `from..=to` that are still stored, in round order: at
		/// most [`MAX_HISTORY_RANGE`] rounds, counted from the first round of the range that can
		/// still hold a result (so `0..=u32::MAX` returns the oldest stored rounds).
		fn model_history(model: ModelId, from: RoundIndex, to: RoundIndex) -> Vec<RoundView<BlockNumber>>;
		/// The next round the oracle will finalise for `model` (`None`: not watched).
		fn next_round(model: ModelId) -> Option<RoundIndex>;
		/// The oracle's state.
		fn status() -> OracleStatus<AccountId>;
		/// Up to `limit` (at most [`MAX_PENDING_PAGE`]) subjects with reports but no result.
		fn pending(limit: u32) -> Vec<PendingView<AccountId, BlockNumber>>;
	}
}
