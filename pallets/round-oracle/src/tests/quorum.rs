//! Quorum, conflicts, governance resolution, atomic batches.

use super::*;

#[test]
fn one_operator_cannot_change_its_report() {
	build_and_execute(|| {
		assert_ok!(submit(alice(), vec![opened(100)]));
		let other =
			Report::RoundOpened { round: 100, opened_at: START - 60, resolves_at: START + 86_400 };
		assert_noop!(submit(alice(), vec![other]), Error::<Test>::AlreadyVoted);
		// Repeating the same report is harmless.
		assert_ok!(submit(alice(), vec![opened(100)]));
		System::assert_last_event(
			Event::<Test>::StaleReport { subject: Subject::Round(100), operator: alice() }.into(),
		);
		assert_eq!(LatestRound::<Test>::get(), None);
	});
}

#[test]
fn conflicting_reports_wait_for_governance() {
	build_and_execute(|| {
		let other =
			Report::RoundOpened { round: 100, opened_at: START - 60, resolves_at: START + 86_400 };
		assert_ok!(submit(alice(), vec![opened(100)]));
		assert_ok!(submit(bob(), vec![other.clone()]));
		let first = Oracle::report_hash(&opened(100));
		let second = Oracle::report_hash(&other);
		assert!(oracle_events().contains(&Event::ReportConflict {
			subject: Subject::Round(100),
			first,
			second
		}));
		// Even a quorum for one of them does not finalise a conflicted subject.
		assert_ok!(submit(charlie(), vec![opened(100)]));
		assert_eq!(LatestRound::<Test>::get(), None);
		let pending = Pending::<Test>::get(Subject::Round(100)).unwrap();
		assert!(pending.conflicted);
		assert_eq!(pending.candidates, 2);
		// Governance picks one.
		assert_noop!(
			Oracle::resolve_conflict(RuntimeOrigin::signed(alice()), Subject::Round(100), first),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Oracle::resolve_conflict(RuntimeOrigin::root(), Subject::Round(100), H256::zero()),
			Error::<Test>::UnknownCandidate
		);
		assert_noop!(
			Oracle::resolve_conflict(RuntimeOrigin::root(), Subject::Round(101), first),
			Error::<Test>::NoPendingReports
		);
		assert_ok!(Oracle::resolve_conflict(RuntimeOrigin::root(), Subject::Round(100), second));
		assert_eq!(LatestRound::<Test>::get(), Some(100));
		assert_eq!(Rounds::<Test>::get(100).unwrap().opened_at, START - 60);
		System::assert_last_event(
			Event::<Test>::ConflictResolved { subject: Subject::Round(100), hash: second }.into(),
		);
		assert!(!Pending::<Test>::contains_key(Subject::Round(100)));
	});
}

#[test]
fn governance_can_clear_reports_for_a_fresh_start() {
	build_and_execute(|| {
		let other =
			Report::RoundOpened { round: 100, opened_at: START - 60, resolves_at: START + 86_400 };
		assert_ok!(submit(alice(), vec![opened(100)]));
		assert_ok!(submit(bob(), vec![other]));
		assert_noop!(
			Oracle::clear_reports(RuntimeOrigin::signed(bob()), Subject::Round(100)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Oracle::clear_reports(RuntimeOrigin::root(), Subject::Round(7)),
			Error::<Test>::NoPendingReports
		);
		assert_ok!(Oracle::clear_reports(RuntimeOrigin::root(), Subject::Round(100)));
		System::assert_last_event(
			Event::<Test>::ReportsCleared { subject: Subject::Round(100) }.into(),
		);
		assert_eq!(Votes::<Test>::iter().count(), 0);
		// Operators report again; now they agree.
		open_rounds(100, 100);
		assert_eq!(LatestRound::<Test>::get(), Some(100));
	});
}

#[test]
fn a_stale_conflict_cannot_be_resolved() {
	build_and_execute(|| {
		watched_model(dave(), model(1));
		open_rounds(100, 100);
		assert_ok!(submit(alice(), vec![resolved(model(1), 100, 100 * NMR, NMR as i128)]));
		assert_ok!(submit(bob(), vec![resolved(model(1), 100, 100 * NMR, 2 * NMR as i128)]));
		let hash = Oracle::report_hash(&resolved(model(1), 100, 100 * NMR, NMR as i128));
		// The model leaves the registry's watch; governance unwatches it, clearing the reports.
		assert_ok!(Oracle::unwatch_model(RuntimeOrigin::root(), model(1)));
		assert_noop!(
			Oracle::resolve_conflict(RuntimeOrigin::root(), Subject::Result(model(1), 100), hash),
			Error::<Test>::NoPendingReports
		);
	});
}

#[test]
fn a_removed_operator_no_longer_counts() {
	build_and_execute(|| {
		assert_ok!(submit(alice(), vec![opened(100)]));
		let ops = BoundedVec::truncate_from(vec![bob(), charlie(), dave()]);
		assert_ok!(Oracle::set_operators(RuntimeOrigin::root(), ops, 2));
		// Bob's vote with Alice's (no longer an operator) is not a quorum.
		assert_ok!(submit(bob(), vec![opened(100)]));
		assert_eq!(LatestRound::<Test>::get(), None);
		assert_ok!(submit(dave(), vec![opened(100)]));
		assert_eq!(LatestRound::<Test>::get(), Some(100));
	});
}

#[test]
fn one_bad_report_fails_the_whole_batch() {
	build_and_execute(|| {
		watched_model(dave(), model(1));
		let batch = vec![opened(100), resolved(model(1), 100, 100 * NMR, 50 * NMR as i128)];
		assert_ok!(submit(alice(), vec![opened(100)]));
		let call = RuntimeCall::Oracle(crate::Call::submit_reports {
			reports: BoundedVec::truncate_from(batch),
		});
		use polkadot_sdk::sp_runtime::traits::Dispatchable;
		let before = polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1);
		let result = call.dispatch(RuntimeOrigin::signed(bob()));
		assert_eq!(result.map_err(|e| e.error), Err(Error::<Test>::ReturnOutOfRange.into()));
		let after = polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1);
		assert_eq!(before, after);
		assert_eq!(LatestRound::<Test>::get(), None);
	});
}

#[test]
fn a_batch_opens_a_round_and_finalises_its_results() {
	build_and_execute(|| {
		watched_model(dave(), model(1));
		// Alice's round report is pending when Bob's batch completes it and then reports
		// the model's result in that round; Alice's result report finalises it.
		assert_ok!(submit(alice(), vec![opened(100)]));
		assert_ok!(submit(
			bob(),
			vec![opened(100), resolved(model(1), 100, 100 * NMR, NMR as i128)]
		));
		assert_eq!(LatestRound::<Test>::get(), Some(100));
		assert!(!Results::<Test>::contains_key(model(1), 100));
		assert_ok!(submit(alice(), vec![resolved(model(1), 100, 100 * NMR, NMR as i128)]));
		assert_eq!(LatestRound::<Test>::get(), Some(100));
		assert!(Results::<Test>::contains_key(model(1), 100));
	});
}

#[test]
fn a_subject_final_by_other_means_cannot_be_resolved() {
	build_and_execute(|| {
		register_pending(dave(), model(1));
		assert_ok!(submit(alice(), vec![Report::Ownership { model: model(1), claimant: dave() }]));
		let hash = Oracle::report_hash(&Report::Ownership { model: model(1), claimant: dave() });
		assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(
			&model(1),
			&dave()
		));
		assert_noop!(
			Oracle::resolve_conflict(RuntimeOrigin::root(), Subject::Ownership(model(1)), hash),
			Error::<Test>::AlreadyFinal
		);
		assert_ok!(Oracle::clear_reports(RuntimeOrigin::root(), Subject::Ownership(model(1))));
	});
}
