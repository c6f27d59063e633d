//! Rounds open in sequence, with sane times, and old ones are pruned.

use super::*;

#[test]
fn a_round_opens_on_a_quorum_of_identical_reports() {
	build_and_execute(|| {
		assert_ok!(submit(alice(), vec![opened(100)]));
		assert_eq!(LatestRound::<Test>::get(), None);
		assert!(Pending::<Test>::contains_key(Subject::Round(100)));
		assert_ok!(submit(bob(), vec![opened(100)]));
		assert_eq!(LatestRound::<Test>::get(), Some(100));
		assert_eq!(FirstRound::<Test>::get(), Some(100));
		let Report::RoundOpened { opened_at, resolves_at, .. } = opened(100) else {
			unreachable!()
		};
		assert_eq!(Rounds::<Test>::get(100), Some(RoundInfo { opened_at, resolves_at }));
		System::assert_last_event(
			Event::<Test>::RoundOpened { round: 100, opened_at, resolves_at }.into(),
		);
		// Reports pruned.
		assert!(!Pending::<Test>::contains_key(Subject::Round(100)));
		assert_eq!(Votes::<Test>::iter_prefix(Subject::Round(100)).count(), 0);
		assert_eq!(Candidates::<Test>::iter_prefix(Subject::Round(100)).count(), 0);
		// The registry's clock follows.
		assert_eq!(<Oracle as numerstake_primitives::RoundClock>::current_round(), 100);
	});
}

#[test]
fn the_late_operator_is_told_the_round_is_stale() {
	build_and_execute(|| {
		open_rounds(100, 100);
		assert_ok!(submit(charlie(), vec![opened(100)]));
		System::assert_last_event(
			Event::<Test>::StaleReport { subject: Subject::Round(100), operator: charlie() }.into(),
		);
		assert!(!Pending::<Test>::contains_key(Subject::Round(100)));
	});
}

#[test]
fn rounds_must_come_in_sequence() {
	build_and_execute(|| {
		open_rounds(100, 101);
		assert_noop!(submit(alice(), vec![opened(103)]), Error::<Test>::RoundNotNext);
		assert_ok!(submit(alice(), vec![opened(102)]));
	});
}

#[test]
fn round_times_are_checked() {
	build_and_execute(|| {
		let bad = |opened_at: u64, resolves_at: u64| Report::RoundOpened {
			round: 100,
			opened_at,
			resolves_at,
		};
		assert_noop!(submit(alice(), vec![bad(START, START)]), Error::<Test>::InvalidRoundTimes);
		assert_noop!(
			submit(alice(), vec![bad(START, START + 367 * 86_400)]),
			Error::<Test>::InvalidRoundTimes
		);
		assert_noop!(
			submit(alice(), vec![bad(START + 601, START + 86_400)]),
			Error::<Test>::RoundInFuture
		);
		assert_ok!(submit(alice(), vec![bad(START + 600, START + 86_400)]));
		open_rounds(101, 101);
	});
	build_and_execute(|| {
		open_rounds(100, 100);
		// A round cannot open before the previous one.
		let back = Report::RoundOpened {
			round: 101,
			opened_at: START - 101 * 3_600,
			resolves_at: START + 86_400,
		};
		assert_noop!(submit(alice(), vec![back]), Error::<Test>::InvalidRoundTimes);
	});
}

#[test]
fn old_rounds_are_pruned_by_depth() {
	build_and_execute(|| {
		open_rounds(100, 100 + HISTORY_DEPTH);
		assert!(!Rounds::<Test>::contains_key(100));
		assert!(Rounds::<Test>::contains_key(101));
		assert_eq!(Rounds::<Test>::iter().count() as u32, HISTORY_DEPTH);
	});
}

#[test]
fn only_operators_report_and_batches_are_not_empty() {
	build_and_execute(|| {
		assert_noop!(submit(dave(), vec![opened(100)]), Error::<Test>::NotOperator);
		assert_noop!(submit(alice(), vec![]), Error::<Test>::NoReports);
		assert_noop!(
			Oracle::submit_reports(
				RuntimeOrigin::root(),
				BoundedVec::truncate_from(vec![opened(100)])
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn accepted_reports_are_free_for_operators() {
	build_and_execute(|| {
		let info = submit(alice(), vec![opened(100)]).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		// Repeating it records nothing: that costs the usual fee.
		let info = submit(alice(), vec![opened(100)]).unwrap();
		assert_eq!(info.pays_fee, Pays::Yes);
	});
}
