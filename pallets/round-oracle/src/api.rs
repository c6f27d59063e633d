//! What the runtime API serves.

use super::*;
use alloc::vec::Vec;
use pallet_round_oracle_runtime_api::{
	OracleStatus, PendingSubject, PendingView, RoundView, MAX_HISTORY_RANGE, MAX_PENDING_PAGE,
};
use polkadot_sdk::{frame_support::traits::Get, frame_system::pallet_prelude::BlockNumberFor};

impl<T: Config> Pallet<T> {
	/// `model`'s stored results in `from..=to`: the first [`MAX_HISTORY_RANGE`] rounds of
	/// the range that can hold results (a watched model keeps the [`Config::HistoryDepth`]
	/// rounds before its next one), so that a wide range never comes back empty for a model
	/// with history.
	pub fn model_history(
		model: ModelId,
		from: RoundIndex,
		to: RoundIndex,
	) -> Vec<RoundView<BlockNumberFor<T>>> {
		let Some(next) = Self::next_round(&model) else { return Vec::new() };
		let from = from.max(next.saturating_sub(T::HistoryDepth::get()));
		let to = to.min(next.saturating_sub(1)).min(from.saturating_add(MAX_HISTORY_RANGE - 1));
		(from..=to)
			.filter_map(|round| {
				let r = Results::<T>::get(model, round)?;
				let empty = RoundView {
					round,
					submitted: false,
					at_risk: 0,
					payout: 0,
					scores: Vec::new(),
					payout_factor: None,
					corr_multiplier: None,
					mmc_multiplier: None,
					finalised_at: r.finalised_at,
				};
				Some(match r.result {
					RoundResult::NotSubmitted => empty,
					RoundResult::Resolved(res) => RoundView {
						submitted: true,
						at_risk: res.at_risk,
						payout: res.payout,
						scores: res
							.scores
							.into_iter()
							.map(|s| (s.name.into_inner(), s.value))
							.collect(),
						payout_factor: res.payout_factor,
						corr_multiplier: res.corr_multiplier,
						mmc_multiplier: res.mmc_multiplier,
						..empty
					},
				})
			})
			.collect()
	}

	/// The oracle's state.
	pub fn status() -> OracleStatus<T::AccountId> {
		let latest_round = LatestRound::<T>::get();
		let operators = Operators::<T>::get();
		OracleStatus {
			latest_round,
			latest_round_times: latest_round
				.and_then(Rounds::<T>::get)
				.map(|r| (r.opened_at, r.resolves_at)),
			dissents: operators.iter().map(|op| Dissents::<T>::get(op).count).collect(),
			operators: operators.into_inner(),
			threshold: Threshold::<T>::get(),
			watched: WatchCount::<T>::get(),
		}
	}

	/// Subjects waiting for a quorum (at most `MAX_PENDING_PAGE`), each with its reporters
	/// (bounded by the operator set).
	pub fn pending(limit: u32) -> Vec<PendingView<T::AccountId, BlockNumberFor<T>>> {
		Pending::<T>::iter()
			.take(limit.min(MAX_PENDING_PAGE) as usize)
			.map(|(subject, state)| PendingView {
				subject: match subject {
					Subject::Round(r) => PendingSubject::Round(r),
					Subject::Result(m, r) => PendingSubject::Result(m, r),
					Subject::Ownership(m) => PendingSubject::Ownership(m),
					Subject::Profile(m) => PendingSubject::Profile(m),
				},
				candidates: state.candidates,
				conflicted: state.conflicted,
				since: state.since,
				reporters: Votes::<T>::iter_key_prefix(subject).collect(),
			})
			.collect()
	}
}
