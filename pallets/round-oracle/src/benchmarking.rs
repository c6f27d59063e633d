//! Benchmarks: each report kind in its worst case (the last vote of a full operator set
//! completes the quorum, finalisation prunes history), governance calls at their bounds, and
//! the off-chain worker's batch selection against the size of the watch list.

use super::*;
use alloc::vec;
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{EnsureOrigin, Get},
		BoundedVec,
	},
	frame_system::RawOrigin,
	sp_core::H256,
};

fn operators<T: Config>() -> Vec<T::AccountId> {
	let n = T::MaxOperators::get();
	let ops: Vec<T::AccountId> = (0..n).map(|i| account("operator", i, 0)).collect();
	Operators::<T>::put(BoundedVec::truncate_from(ops.clone()));
	Threshold::<T>::put(n / 2 + 1);
	ops
}

/// The operators outside the quorum vote for `dissent` (when a report can differ), then every
/// operator but the last of the quorum votes for `report`; returns the last one, whose vote
/// finalises `report` and records every other operator's dissent.
fn all_but_one_vote<T: Config>(report: &ReportOf<T>, dissent: Option<ReportOf<T>>) -> T::AccountId {
	let ops = operators::<T>();
	let threshold = Threshold::<T>::get() as usize;
	if let Some(dissent) = dissent {
		for op in &ops[threshold..] {
			let _ = Pallet::<T>::note_report(op, dissent.clone());
		}
	}
	for op in &ops[..threshold - 1] {
		let _ = Pallet::<T>::note_report(op, report.clone());
	}
	ops[threshold - 1].clone()
}

/// The name the pending claim of `m` gives.
fn claim_name<T: Config>(
	m: &ModelId,
) -> BoundedVec<u8, polkadot_sdk::frame_support::traits::ConstU32<64>> {
	BoundedVec::truncate_from(T::Registry::pending_claim(m).map(|c| c.name).unwrap_or_default())
}

fn model_id(n: u32) -> ModelId {
	let mut id = [0u8; 16];
	id[..4].copy_from_slice(&n.to_be_bytes());
	id[6] = 0x40;
	id[8] = 0x80;
	ModelId(id)
}

/// Params storing `MaxScores` scores, and a result carrying all of them.
fn full_result<T: Config>() -> RoundResultOf<T> {
	let names: Vec<ScoreName> = (0..T::MaxScores::get())
		.map(|i| ScoreName::truncate_from(alloc::format!("score_{i:026}").into_bytes()))
		.collect();
	let mut params = OracleParamsOf::<T>::classic();
	params.stored_scores = BoundedVec::truncate_from(names.clone());
	Params::<T>::put(params);
	RoundResult::Resolved(ResolvedResult {
		at_risk: 1_000_000_000_000_000_000_000,
		payout: -10_000_000_000_000_000_000,
		scores: BoundedVec::truncate_from(
			names.into_iter().map(|name| Score { name, value: -SCORE_SCALE / 3 }).collect(),
		),
		payout_factor: Some(SCORE_SCALE),
		corr_multiplier: Some(SCORE_SCALE),
		mmc_multiplier: Some(SCORE_SCALE),
	})
}

/// Rounds up to `latest` opened, the history full.
fn open_rounds_until<T: Config>(latest: RoundIndex) {
	let depth = T::HistoryDepth::get();
	for r in latest.saturating_sub(depth)..=latest {
		Rounds::<T>::insert(r, RoundInfo { opened_at: 0, resolves_at: 86_400 });
	}
	FirstRound::<T>::put(latest.saturating_sub(depth));
	LatestRound::<T>::put(latest);
	// The listener keeps its copy of the clock, as if the rounds had opened one by one.
	T::OnRoundFinalized::on_round_opened(latest.saturating_sub(depth));
	T::OnRoundFinalized::on_round_opened(latest);
}

/// A verified model watched from round `latest` with a full history before it (its result in
/// `latest` prunes the oldest), and a result with every stored score.
fn watched_with_full_history<T: Config>() -> (ModelId, RoundIndex, RoundResultOf<T>) {
	let latest = T::HistoryDepth::get() + 10;
	open_rounds_until::<T>(latest);
	let owner: T::AccountId = account("owner", 0, 0);
	let m = model_id(1);
	T::BenchmarkHelper::register_verified(&m, &owner);
	let _ = Pallet::<T>::watch(m, Some(latest));
	let result = full_result::<T>();
	for r in (latest - T::HistoryDepth::get())..latest {
		Results::<T>::insert(
			m,
			r,
			FinalResult { result: result.clone(), finalised_at: 1u32.into() },
		);
	}
	(m, latest, result)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn report_round_opened() {
		let latest = T::HistoryDepth::get() + 10;
		open_rounds_until::<T>(latest);
		let report = Report::RoundOpened { round: latest + 1, opened_at: 0, resolves_at: 86_400 };
		let lie = Report::RoundOpened { round: latest + 1, opened_at: 1, resolves_at: 86_400 };
		let last = all_but_one_vote::<T>(&report, Some(lie));
		let batch = BoundedVec::truncate_from(vec![report]);

		#[extrinsic_call]
		submit_reports(RawOrigin::Signed(last), batch);

		assert_eq!(LatestRound::<T>::get(), Some(latest + 1));
		assert_eq!(
			Dissents::<T>::iter().count() as u32,
			T::MaxOperators::get() - Threshold::<T>::get()
		);
	}

	#[benchmark]
	fn report_result() {
		let (m, latest, result) = watched_with_full_history::<T>();
		let report = Report::RoundResult { model: m, round: latest, result };
		// The dissenters' report is as costly to check: every score, another payout.
		let mut lie = report.clone();
		if let Report::RoundResult { result: RoundResult::Resolved(r), .. } = &mut lie {
			r.payout = 0;
		}
		let last = all_but_one_vote::<T>(&report, Some(lie));
		let batch = BoundedVec::truncate_from(vec![report]);

		#[extrinsic_call]
		submit_reports(RawOrigin::Signed(last), batch);

		assert_eq!(Pallet::<T>::next_round(&m), Some(latest + 1));
	}

	#[benchmark]
	fn report_ownership() {
		open_rounds_until::<T>(100);
		let claimant: T::AccountId = account("claimant", 0, 0);
		let m = model_id(1);
		T::BenchmarkHelper::register_pending(&m, &claimant);
		// The others found the claim's profile not the model's (it changed meanwhile).
		let report = Report::Ownership { model: m, claimant: claimant.clone() };
		let name = claim_name::<T>(&m);
		let other = Report::ClaimRefuted { model: m, claimant, name };
		let last = all_but_one_vote::<T>(&report, Some(other));
		let batch = BoundedVec::truncate_from(vec![report]);

		#[extrinsic_call]
		submit_reports(RawOrigin::Signed(last), batch);

		assert!(Progress::<T>::contains_key(m));
	}

	#[benchmark]
	fn report_claim_refuted() {
		open_rounds_until::<T>(100);
		let claimant: T::AccountId = account("claimant", 0, 0);
		let m = model_id(1);
		T::BenchmarkHelper::register_pending(&m, &claimant);
		// The others saw the claimant's challenge (the profile changed meanwhile): they dissent.
		let name = claim_name::<T>(&m);
		let report = Report::ClaimRefuted { model: m, claimant: claimant.clone(), name };
		let other = Report::Ownership { model: m, claimant };
		let last = all_but_one_vote::<T>(&report, Some(other));
		let batch = BoundedVec::truncate_from(vec![report]);

		#[extrinsic_call]
		submit_reports(RawOrigin::Signed(last), batch);

		assert_eq!(T::Registry::status(&m), None);
	}

	#[benchmark]
	fn report_foreign_challenge() {
		open_rounds_until::<T>(100);
		let claimant: T::AccountId = account("claimant", 0, 0);
		let m = model_id(1);
		T::BenchmarkHelper::register_pending(&m, &claimant);
		// The others saw yet another challenge (the profile changed meanwhile): they dissent.
		let report = Report::ForeignChallenge { model: m, digest: [7; 32] };
		let other = Report::ForeignChallenge { model: m, digest: [8; 32] };
		let last = all_but_one_vote::<T>(&report, Some(other));
		let batch = BoundedVec::truncate_from(vec![report]);

		#[extrinsic_call]
		submit_reports(RawOrigin::Signed(last), batch);

		assert_eq!(T::Registry::reserved_for(&m), Some([7; 32]));
	}

	#[benchmark]
	fn set_operators() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let n = T::MaxOperators::get();
		// A full set is replaced, each old operator's dissent record removed.
		for op in operators::<T>() {
			Dissents::<T>::insert(&op, DissentRecord { count: 1, last: None });
		}
		let ops: Vec<T::AccountId> = (0..n).map(|i| account("new", i, 0)).collect();
		let bounded = BoundedVec::truncate_from(ops);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, bounded, n);

		assert_eq!(Threshold::<T>::get(), n);
		assert_eq!(Dissents::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let _ = full_result::<T>();
		let params = Params::<T>::get();
		Params::<T>::kill();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params.clone());

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	#[benchmark]
	fn resolve_conflict() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (m, latest, result) = watched_with_full_history::<T>();
		// Every operator votes, one short of the threshold for the report and for another
		// payout: a conflict without a quorum, with full vote storage, and every other
		// operator dissents when governance picks the report.
		let ops = operators::<T>();
		let threshold = Threshold::<T>::get() as usize;
		let report = Report::RoundResult { model: m, round: latest, result };
		let other =
			Report::RoundResult { model: m, round: latest, result: RoundResult::NotSubmitted };
		// With an odd count the last operator votes a third report, so neither reaches it.
		let mut third = report.clone();
		if let Report::RoundResult { result: RoundResult::Resolved(r), .. } = &mut third {
			r.payout = 0;
		}
		for (i, op) in ops.iter().enumerate() {
			let r = if i + 1 < threshold {
				report.clone()
			} else if i + 2 < 2 * threshold {
				other.clone()
			} else {
				third.clone()
			};
			let _ = Pallet::<T>::note_report(op, r);
		}
		let subject = Subject::Result(m, latest);
		let hash: H256 = Pallet::<T>::report_hash(&report);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, subject, hash);

		assert!(Results::<T>::contains_key(m, latest));
		Ok(())
	}

	#[benchmark]
	fn clear_reports() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		open_rounds_until::<T>(100);
		let ops = operators::<T>();
		for (i, op) in ops.iter().enumerate() {
			let r = Report::RoundOpened { round: 101, opened_at: i as u64, resolves_at: 86_400 };
			let _ = Pallet::<T>::note_report(op, r);
		}
		let subject = Subject::Round(101);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, subject);

		assert!(!Pending::<T>::contains_key(subject));
		Ok(())
	}

	#[benchmark]
	fn watch_model() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		open_rounds_until::<T>(100);
		let owner: T::AccountId = account("owner", 0, 0);
		let m = model_id(1);
		T::BenchmarkHelper::register_verified(&m, &owner);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, m, None);

		assert!(Progress::<T>::contains_key(m));
		Ok(())
	}

	#[benchmark]
	fn unwatch_model(r: Linear<0, 1_000>) -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let latest = T::HistoryDepth::get().max(r) + 10;
		open_rounds_until::<T>(latest);
		// The first of two: the last slot moves; a pending report about it is cleared, and its
		// `r` results are removed.
		let (first, second) = (model_id(1), model_id(2));
		let _ = Pallet::<T>::watch(first, Some(latest));
		let _ = Pallet::<T>::watch(second, Some(latest));
		let result = full_result::<T>();
		for round in (latest - r)..latest {
			Results::<T>::insert(
				first,
				round,
				FinalResult { result: result.clone(), finalised_at: 1u32.into() },
			);
		}
		let ops = operators::<T>();
		let _ = Pallet::<T>::note_report(
			&ops[0],
			Report::RoundResult { model: first, round: latest, result: RoundResult::NotSubmitted },
		);

		let slot = Progress::<T>::get(first).map(|p| p.slot);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, first);

		assert_eq!(Progress::<T>::get(second).map(|p| p.slot), slot);
		Ok(())
	}

	/// The off-chain worker's per-block selection with `n` watched models: must not grow with
	/// `n` (its slope is the figure to check).
	#[benchmark]
	fn offchain_watch_batch(n: Linear<1, 1_000>) {
		for i in 0..n {
			let m = model_id(i);
			Progress::<T>::insert(m, ModelProgress { next_round: None, slot: i });
			WatchSlots::<T>::insert(i, m);
		}
		WatchCount::<T>::put(n);
		let batch;

		#[block]
		{
			batch = Pallet::<T>::watch_batch(n / 2, T::OffchainModelsPerBlock::get());
		}

		assert_eq!(batch.0.len() as u32, n.min(T::OffchainModelsPerBlock::get()));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
