//! Checking, voting, finalising, the watch list, and the round clock.

use super::*;
use alloc::vec::Vec;
use codec::Encode;
use numerstake_primitives::{ModelStatus, RoundClock};
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*, traits::UnixTime},
	sp_core::H256,
	sp_io::hashing::blake2_256,
};

/// Longest span between a round's opening and its scheduled resolution.
const MAX_ROUND_SPAN_SECS: u64 = 366 * 86_400;
/// Longest grace after resolution before an absent model counts as not submitted.
const MAX_ABSENT_GRACE_SECS: u64 = 30 * 86_400;

impl<T: Config> Pallet<T> {
	/// The hash reports are compared by.
	pub fn report_hash(report: &ReportOf<T>) -> H256 {
		H256(blake2_256(&report.encode()))
	}

	/// The next round to finalise for a watched model (`None`: not watched, or no round
	/// opened yet for a model watched from the first).
	pub fn next_round(model: &ModelId) -> Option<RoundIndex> {
		Progress::<T>::get(model).and_then(|p| p.next_round.or_else(FirstRound::<T>::get))
	}

	/// Checks a report against the chain: `Fresh` (it matters), `Stale` (its subject is
	/// already final), or the precise error. Reads only; the off-chain worker uses it too.
	pub fn check_report(report: &ReportOf<T>) -> Result<Freshness, Error<T>> {
		match report {
			Report::RoundOpened { round, opened_at, resolves_at } => {
				ensure!(
					resolves_at > opened_at && resolves_at - opened_at <= MAX_ROUND_SPAN_SECS,
					Error::<T>::InvalidRoundTimes
				);
				if let Some(latest) = LatestRound::<T>::get() {
					if *round <= latest {
						return Ok(Freshness::Stale);
					}
					ensure!(Some(*round) == latest.checked_add(1), Error::<T>::RoundNotNext);
					if let Some(previous) = Rounds::<T>::get(latest) {
						ensure!(*opened_at >= previous.opened_at, Error::<T>::InvalidRoundTimes);
					}
				}
				let now = T::UnixTime::now().as_secs();
				ensure!(
					*opened_at <= now.saturating_add(T::MaxClockSkew::get()),
					Error::<T>::RoundInFuture
				);
				Ok(Freshness::Fresh)
			},
			Report::RoundResult { model, round, result } => {
				ensure!(T::Registry::status(model).is_some(), Error::<T>::UnknownModel);
				ensure!(Progress::<T>::contains_key(model), Error::<T>::NotWatched);
				let next = Self::next_round(model).ok_or(Error::<T>::RoundNotOpened)?;
				if *round < next {
					return Ok(Freshness::Stale);
				}
				ensure!(*round == next, Error::<T>::OutOfOrder);
				ensure!(
					LatestRound::<T>::get().is_some_and(|l| *round <= l),
					Error::<T>::RoundNotOpened
				);
				Self::check_result(result)?;
				Ok(Freshness::Fresh)
			},
			Report::Ownership { model, claimant }
			| Report::ClaimRefuted { model, claimant, .. } => {
				let status = T::Registry::status(model).ok_or(Error::<T>::UnknownModel)?;
				// Not pending, or another claimant's claim now: the report came too late to
				// matter (a race, or a squatter swapping claimants), not a fault of the batch.
				if status != ModelStatus::Pending
					|| T::Registry::owner(model).as_ref() != Some(claimant)
				{
					return Ok(Freshness::Stale);
				}
				// A refutation is of the name the claim gives: a later claim under another
				// name is another claim.
				if let Report::ClaimRefuted { name, .. } = report {
					let live = T::Registry::pending_claim(model).map(|c| c.name);
					if live.as_deref() != Some(&name[..]) {
						return Ok(Freshness::Stale);
					}
				}
				Ok(Freshness::Fresh)
			},
			Report::ForeignChallenge { model, digest } => {
				let status = T::Registry::status(model).ok_or(Error::<T>::UnknownModel)?;
				if status != ModelStatus::Pending
					|| T::Registry::reserved_for(model) == Some(*digest)
				{
					return Ok(Freshness::Stale);
				}
				// The claimant's own challenge is not foreign (that is an `Ownership` report).
				let Some(claimant) = T::Registry::owner(model) else {
					return Ok(Freshness::Stale);
				};
				if T::Registry::challenge_digest(model, &claimant) == *digest {
					return Ok(Freshness::Stale);
				}
				Ok(Freshness::Fresh)
			},
		}
	}

	/// Range checks of a result.
	pub fn check_result(result: &RoundResultOf<T>) -> Result<(), Error<T>> {
		let RoundResult::Resolved(r) = result else { return Ok(()) };
		ensure!(r.at_risk <= T::MaxAtRisk::get(), Error::<T>::AtRiskTooLarge);
		ensure!(
			r.payout.unsigned_abs() <= T::MaxAbsRoundReturn::get().mul_floor(r.at_risk),
			Error::<T>::ReturnOutOfRange
		);
		let max = T::MaxAbsScore::get();
		let in_range = |v: i64| v.checked_abs().is_some_and(|a| a <= max);
		ensure!(
			[r.payout_factor, r.corr_multiplier, r.mmc_multiplier]
				.into_iter()
				.all(|v| v.is_none_or(in_range)),
			Error::<T>::ScoreOutOfRange
		);
		ensure!(r.scores.iter().all(|s| in_range(s.value)), Error::<T>::ScoreOutOfRange);
		// Names: a subsequence of the stored names, in their order (so no repeats).
		let params = Params::<T>::get();
		let mut wanted = params.stored_scores.iter();
		for s in &r.scores {
			ensure!(wanted.any(|w| *w == s.name), Error::<T>::UnexpectedScore);
		}
		Ok(())
	}

	/// Records `who`'s report; finalises its subject on a quorum. `Ok(false)`: ignored as stale.
	pub(crate) fn note_report(
		who: &T::AccountId,
		report: ReportOf<T>,
	) -> Result<bool, DispatchError> {
		let subject = report.subject();
		if Self::check_report(&report)? == Freshness::Stale {
			Self::deposit_event(Event::StaleReport { subject, operator: who.clone() });
			return Ok(false);
		}
		let hash = Self::report_hash(&report);
		if let Some(claimant) = report.claimant() {
			// The report names the live claimant (checked): votes for another claimant are
			// left from a claim that lapsed, and must not conflict with (or block) these.
			let lapsed = Candidates::<T>::iter_prefix_values(subject)
				.any(|c| c.claimant() != Some(claimant));
			if lapsed {
				Self::clear_subject(subject);
				Self::deposit_event(Event::ReportsCleared { subject });
			}
		}
		let mut pending = Pending::<T>::get(subject).unwrap_or_else(|| PendingState {
			candidates: 0,
			conflicted: false,
			since: frame_system::Pallet::<T>::block_number(),
		});
		if let Some(previous) = Votes::<T>::get(subject, who) {
			if previous == hash {
				Self::deposit_event(Event::StaleReport { subject, operator: who.clone() });
				return Ok(false);
			}
			ensure!(!Self::still_checks(subject, previous), Error::<T>::AlreadyVoted);
			// The operator's earlier report no longer passes the checks (its claim lapsed, or
			// governance changed the score names): this report replaces it.
			Votes::<T>::remove(subject, who);
			if !Votes::<T>::iter_prefix_values(subject).any(|h| h == previous) {
				Candidates::<T>::remove(subject, previous);
				pending.candidates = pending.candidates.saturating_sub(1);
			}
		}
		if !Candidates::<T>::contains_key(subject, hash) {
			if let Some((first, _)) = Candidates::<T>::iter_prefix(subject).next() {
				if !pending.conflicted {
					Self::deposit_event(Event::ReportConflict { subject, first, second: hash });
				}
			}
			Candidates::<T>::insert(subject, hash, &report);
			pending.candidates = pending.candidates.saturating_add(1);
		}
		pending.conflicted = pending.candidates > 1;
		Votes::<T>::insert(subject, who, hash);
		Self::deposit_event(Event::ReportAccepted { subject, operator: who.clone(), hash });
		// A threshold is a majority, so two different reports can never both reach it: a
		// quorum finalises even a conflicted subject, and the minority's reports are dissent.
		if Self::votes_for(subject, hash) >= Threshold::<T>::get() {
			Self::finalise_subject(subject, hash, report);
		} else {
			Pending::<T>::insert(subject, pending);
		}
		Ok(true)
	}

	/// Whether the pending report `hash` about `subject` still checks as fresh. One that does
	/// not (a report for the claimant of a lapsed claim, or with score names governance has
	/// since replaced) neither blocks its operator from reporting again nor counts as dissent.
	fn still_checks(subject: Subject, hash: H256) -> bool {
		Candidates::<T>::get(subject, hash)
			.is_some_and(|r| matches!(Self::check_report(&r), Ok(Freshness::Fresh)))
	}

	/// Whether `who` has a vote on `subject` that still counts ([`Self::still_checks`]). The
	/// off-chain worker does not ask again while its vote counts.
	pub fn has_live_vote(subject: Subject, who: &T::AccountId) -> bool {
		Votes::<T>::get(subject, who).is_some_and(|hash| Self::still_checks(subject, hash))
	}

	/// Current operators who voted `hash` on `subject`.
	fn votes_for(subject: Subject, hash: H256) -> u32 {
		Operators::<T>::get().iter().filter(|op| Votes::<T>::get(subject, op) == Some(hash)).count()
			as u32
	}

	/// Finalises `subject` with `report` (of hash `hash`): every current operator who voted a
	/// different report dissented ([`Event::ReportDissent`], [`Dissents`]); then its votes
	/// and candidates are dropped.
	pub(crate) fn finalise_subject(subject: Subject, hash: H256, report: ReportOf<T>) {
		for operator in Operators::<T>::get() {
			let Some(reported) = Votes::<T>::get(subject, &operator) else { continue };
			if reported != hash && Self::still_checks(subject, reported) {
				let now = frame_system::Pallet::<T>::block_number();
				let count = Dissents::<T>::mutate(&operator, |record| {
					record.count = record.count.saturating_add(1);
					record.last = Some((subject, now));
					record.count
				});
				Self::deposit_event(Event::ReportDissent {
					subject,
					operator,
					reported,
					finalised: hash,
					count,
				});
			}
		}
		Self::finalise(report);
		Self::clear_subject(subject);
	}

	/// Drops the reports about `subject`.
	pub(crate) fn clear_subject(subject: Subject) {
		Pending::<T>::remove(subject);
		// Bounded by the operators that ever voted on the subject.
		let _ = Votes::<T>::clear_prefix(subject, u32::MAX, None);
		let _ = Candidates::<T>::clear_prefix(subject, u32::MAX, None);
	}

	/// Applies a checked, fresh report.
	pub(crate) fn finalise(report: ReportOf<T>) {
		match report {
			Report::RoundOpened { round, opened_at, resolves_at } => {
				Rounds::<T>::insert(round, RoundInfo { opened_at, resolves_at });
				LatestRound::<T>::put(round);
				if FirstRound::<T>::get().is_none() {
					FirstRound::<T>::put(round);
				}
				T::OnRoundFinalized::on_round_opened(round);
				if let Some(old) = round.checked_sub(T::HistoryDepth::get()) {
					Rounds::<T>::remove(old);
				}
				Self::deposit_event(Event::RoundOpened { round, opened_at, resolves_at });
			},
			Report::RoundResult { model, round, result } => {
				let ret = result.round_return();
				let (submitted, at_risk, payout) = match ret {
					numerstake_primitives::RoundReturn::NotSubmitted => (false, 0, 0),
					numerstake_primitives::RoundReturn::Resolved { at_risk, payout } => {
						(true, at_risk, payout)
					},
				};
				let finalised_at = frame_system::Pallet::<T>::block_number();
				Results::<T>::insert(model, round, FinalResult { result, finalised_at });
				if let Some(old) = round.checked_sub(T::HistoryDepth::get()) {
					Results::<T>::remove(model, old);
				}
				Progress::<T>::mutate(model, |p| {
					if let Some(p) = p {
						p.next_round = round.checked_add(1);
					}
				});
				T::Consistency::note_round(&model, round, submitted);
				T::OnRoundFinalized::on_round_finalized(&model, round, &ret);
				Self::deposit_event(Event::ResultFinalised {
					model,
					round,
					submitted,
					at_risk,
					payout,
				});
			},
			Report::Ownership { model, claimant } => {
				match T::Registry::attest_ownership(&model, &claimant) {
					Ok(()) => {
						Self::deposit_event(Event::OwnershipAttested {
							model,
							claimant: claimant.clone(),
						});
						if !Progress::<T>::contains_key(model) {
							let from = LatestRound::<T>::get().map(|r| r.saturating_add(1));
							if let Err(error) = Self::watch(model, from) {
								Self::deposit_event(Event::WatchRefused { model, error });
							}
						}
					},
					Err(error) => {
						Self::deposit_event(Event::AttestationRefused { model, claimant, error })
					},
				}
			},
			Report::ClaimRefuted { model, claimant, .. } => {
				match T::Registry::refute_claim(&model, &claimant) {
					Ok(()) => Self::deposit_event(Event::ClaimRefuted { model, claimant }),
					Err(error) => {
						Self::deposit_event(Event::RefutationRefused { model, claimant, error })
					},
				}
			},
			Report::ForeignChallenge { model, digest } => {
				match T::Registry::reserve_for_challenge(&model, digest) {
					Ok(()) => Self::deposit_event(Event::ForeignChallengeSeen { model, digest }),
					Err(error) => {
						Self::deposit_event(Event::ReservationRefused { model, digest, error })
					},
				}
			},
		}
	}

	/// Adds a model to the watch list.
	pub(crate) fn watch(model: ModelId, from_round: Option<RoundIndex>) -> DispatchResult {
		ensure!(!Progress::<T>::contains_key(model), Error::<T>::AlreadyWatched);
		let slot = WatchCount::<T>::get();
		ensure!(slot < T::MaxWatched::get(), Error::<T>::TooManyWatched);
		Progress::<T>::insert(model, ModelProgress { next_round: from_round, slot });
		WatchSlots::<T>::insert(slot, model);
		WatchCount::<T>::put(slot + 1);
		T::OnRoundFinalized::on_watched(&model, from_round.or_else(FirstRound::<T>::get));
		Self::deposit_event(Event::ModelWatched { model, from_round });
		Ok(())
	}

	/// Removes a model from the watch list (the last slot moves into its place) with its
	/// results; returns how many results it removed.
	pub(crate) fn unwatch(model: ModelId) -> Result<u32, DispatchError> {
		let progress = Progress::<T>::take(model).ok_or(Error::<T>::NotWatched)?;
		let last = WatchCount::<T>::get().saturating_sub(1);
		if progress.slot != last {
			if let Some(moved) = WatchSlots::<T>::get(last) {
				WatchSlots::<T>::insert(progress.slot, moved);
				Progress::<T>::mutate(moved, |p| {
					if let Some(p) = p {
						p.slot = progress.slot;
					}
				});
			}
		}
		WatchSlots::<T>::remove(last);
		WatchCount::<T>::put(last);
		// Reports about the model's next result are moot now.
		if let Some(next) = progress.next_round.or_else(FirstRound::<T>::get) {
			Self::clear_subject(Subject::Result(model, next));
		}
		// A watched model keeps at most `HistoryDepth` results (each one finalised prunes the
		// one `HistoryDepth` rounds older), so this removes them all.
		let removed = Results::<T>::clear_prefix(model, T::HistoryDepth::get(), None).unique;
		T::OnRoundFinalized::on_unwatched(&model);
		Self::deposit_event(Event::ModelUnwatched { model });
		Ok(removed)
	}

	/// Up to `limit` watched models from slot `start` on, wrapping around: the off-chain
	/// worker's batch. Reads `limit + 1` entries whatever the list's length.
	pub fn watch_batch(start: u32, limit: u32) -> (Vec<ModelId>, u32) {
		let count = WatchCount::<T>::get();
		if count == 0 {
			return (Vec::new(), 0);
		}
		let take = limit.min(count);
		let start = start % count;
		let models = (0..take).filter_map(|i| WatchSlots::<T>::get((start + i) % count)).collect();
		(models, (start + take) % count)
	}

	pub(crate) fn check_operators(operators: &[T::AccountId], threshold: u32) -> DispatchResult {
		let n = operators.len() as u32;
		for (i, op) in operators.iter().enumerate() {
			ensure!(!operators[..i].contains(op), Error::<T>::DuplicateOperator);
		}
		let majority = n / 2 + 1;
		ensure!(
			(n == 0 && threshold == 0) || (threshold >= majority && threshold <= n),
			Error::<T>::InvalidThreshold
		);
		Ok(())
	}

	pub(crate) fn check_params(params: &OracleParamsOf<T>) -> DispatchResult {
		let names = params.stored_scores.iter().chain([&params.corr_score, &params.mmc_score]);
		ensure!(
			names.clone().all(|n| !n.is_empty() && core::str::from_utf8(n).is_ok()),
			Error::<T>::InvalidParams
		);
		ensure!(params.corr_score != params.mmc_score, Error::<T>::InvalidParams);
		let stored = &params.stored_scores;
		for (i, n) in stored.iter().enumerate() {
			ensure!(!stored[..i].contains(n), Error::<T>::InvalidParams);
		}
		ensure!(params.absent_grace_secs <= MAX_ABSENT_GRACE_SECS, Error::<T>::InvalidParams);
		Ok(())
	}

	/// The weight of a batch: per report by kind, plus settlement per result.
	pub fn reports_weight(reports: &[ReportOf<T>]) -> Weight {
		reports.iter().fold(Weight::zero(), |w, r| {
			w.saturating_add(match r {
				Report::RoundOpened { .. } => T::WeightInfo::report_round_opened()
					.saturating_add(T::OnRoundFinalized::opened_weight()),
				Report::RoundResult { .. } => {
					T::WeightInfo::report_result().saturating_add(T::OnRoundFinalized::weight())
				},
				Report::Ownership { .. } => T::WeightInfo::report_ownership()
					.saturating_add(T::OnRoundFinalized::watch_weight()),
				Report::ClaimRefuted { .. } => T::WeightInfo::report_claim_refuted(),
				Report::ForeignChallenge { .. } => T::WeightInfo::report_foreign_challenge(),
			})
		})
	}

	/// The most the listener can weigh when any one report is finalised.
	pub fn listener_weight() -> Weight {
		T::OnRoundFinalized::weight()
			.max(T::OnRoundFinalized::opened_weight())
			.max(T::OnRoundFinalized::watch_weight())
	}

	/// Checks the oracle's invariants.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		let operators = Operators::<T>::get();
		Self::check_operators(&operators, Threshold::<T>::get())
			.map_err(|_| "operators or threshold invalid")?;
		Self::check_params(&Params::<T>::get()).map_err(|_| "params invalid")?;
		ensure!(
			FirstRound::<T>::get().is_some() == LatestRound::<T>::get().is_some()
				&& FirstRound::<T>::get() <= LatestRound::<T>::get(),
			"first and latest rounds inconsistent"
		);
		if let Some(latest) = LatestRound::<T>::get() {
			ensure!(Rounds::<T>::contains_key(latest), "latest round not stored");
		}
		let depth = T::HistoryDepth::get();
		ensure!(Rounds::<T>::iter().count() as u32 <= depth, "rounds beyond the history depth");
		let count = WatchCount::<T>::get();
		ensure!(count <= T::MaxWatched::get(), "watch list too long");
		let mut progress_count = 0u32;
		for (model, p) in Progress::<T>::iter() {
			progress_count += 1;
			ensure!(p.slot < count, "slot beyond the watch count");
			ensure!(WatchSlots::<T>::get(p.slot) == Some(model), "slot does not point back");
			if let (Some(next), Some(latest)) = (p.next_round, LatestRound::<T>::get()) {
				ensure!(next <= latest.saturating_add(1), "model ahead of the rounds");
			}
		}
		ensure!(progress_count == count, "watch count differs from watched models");
		ensure!(WatchSlots::<T>::iter().count() as u32 == count, "stray watch slots");
		for (model, round, _) in Results::<T>::iter() {
			let next = Self::next_round(&model).ok_or("result of a model not watched")?;
			ensure!(round < next, "result at or after the next round");
			ensure!(next - round <= depth, "result beyond the history depth");
		}
		for (subject, pending) in Pending::<T>::iter() {
			let candidates = Candidates::<T>::iter_prefix(subject).count() as u32;
			ensure!(candidates == pending.candidates, "candidate count off");
			ensure!(candidates >= 1, "pending subject without reports");
			ensure!(pending.conflicted == (candidates > 1), "conflict flag off");
			for (_, report) in Candidates::<T>::iter_prefix(subject) {
				ensure!(report.subject() == subject, "candidate about another subject");
			}
		}
		for (subject, _, hash) in Votes::<T>::iter() {
			ensure!(Candidates::<T>::contains_key(subject, hash), "vote for a missing report");
		}
		for (operator, _) in Dissents::<T>::iter() {
			ensure!(operators.contains(&operator), "dissent record of a former operator");
		}
		Ok(())
	}
}

impl<T: Config> RoundClock for Pallet<T> {
	fn current_round() -> RoundIndex {
		LatestRound::<T>::get().unwrap_or(0)
	}

	fn watches(model: &ModelId) -> bool {
		Progress::<T>::contains_key(model)
	}

	fn first_round() -> Option<RoundIndex> {
		FirstRound::<T>::get()
	}

	fn next_result(model: &ModelId) -> Option<RoundIndex> {
		Self::next_round(model)
	}
}
