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

/// Round 100 as a lying operator reports it: an hour earlier than it opened.
fn misdated(round: RoundIndex) -> ReportOf<Test> {
	let Report::RoundOpened { opened_at, resolves_at, .. } = opened(round) else { unreachable!() };
	Report::RoundOpened { round, opened_at: opened_at - 3_600, resolves_at }
}

#[test]
fn a_quorum_finalises_despite_a_dissenting_operator() {
	build_and_execute(|| {
		let (honest, lie) =
			(Oracle::report_hash(&opened(100)), Oracle::report_hash(&misdated(100)));
		// The lie comes first; an honest report conflicts with it.
		assert_ok!(submit(charlie(), vec![misdated(100)]));
		assert_ok!(submit(alice(), vec![opened(100)]));
		assert!(oracle_events().contains(&Event::ReportConflict {
			subject: Subject::Round(100),
			first: lie,
			second: honest
		}));
		let pending = Pending::<Test>::get(Subject::Round(100)).unwrap();
		assert!(pending.conflicted);
		assert_eq!(pending.candidates, 2);
		assert_eq!(LatestRound::<Test>::get(), None);
		// The second honest report is a quorum: the round opens as the honest ones saw it.
		assert_ok!(submit(bob(), vec![opened(100)]));
		assert_eq!(LatestRound::<Test>::get(), Some(100));
		assert_eq!(Rounds::<Test>::get(100).unwrap().opened_at, START - 100 * 3_600);
		assert!(oracle_events().contains(&Event::ReportDissent {
			subject: Subject::Round(100),
			operator: charlie(),
			reported: lie,
			finalised: honest,
			count: 1,
		}));
		assert_eq!(
			Dissents::<Test>::get(charlie()),
			DissentRecord { count: 1, last: Some((Subject::Round(100), System::block_number())) }
		);
		assert_eq!(Dissents::<Test>::get(alice()), DissentRecord::default());
		assert_eq!(Oracle::status().dissents, vec![0, 0, 1]);
		// Reports and votes are pruned; the liar's late repeat is stale.
		assert!(!Pending::<Test>::contains_key(Subject::Round(100)));
		assert_eq!(Votes::<Test>::iter().count(), 0);
		assert_ok!(submit(charlie(), vec![misdated(100)]));
		System::assert_last_event(
			Event::<Test>::StaleReport { subject: Subject::Round(100), operator: charlie() }.into(),
		);
		assert_eq!(Dissents::<Test>::get(charlie()).count, 1);
	});
}

#[test]
fn a_conflict_without_a_quorum_waits_for_governance() {
	build_and_execute(|| {
		let later =
			Report::RoundOpened { round: 100, opened_at: START - 60, resolves_at: START + 86_400 };
		let (first, second, third) = (
			Oracle::report_hash(&opened(100)),
			Oracle::report_hash(&misdated(100)),
			Oracle::report_hash(&later),
		);
		// Three operators, three different reports: no report can reach the threshold.
		assert_ok!(submit(alice(), vec![opened(100)]));
		assert_ok!(submit(bob(), vec![misdated(100)]));
		assert_ok!(submit(charlie(), vec![later.clone()]));
		assert_eq!(LatestRound::<Test>::get(), None);
		assert_eq!(Pending::<Test>::get(Subject::Round(100)).unwrap().candidates, 3);
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
		assert_ok!(Oracle::resolve_conflict(RuntimeOrigin::root(), Subject::Round(100), third));
		assert_eq!(LatestRound::<Test>::get(), Some(100));
		assert_eq!(Rounds::<Test>::get(100).unwrap().opened_at, START - 60);
		System::assert_last_event(
			Event::<Test>::ConflictResolved { subject: Subject::Round(100), hash: third }.into(),
		);
		assert!(!Pending::<Test>::contains_key(Subject::Round(100)));
		// The two whose reports governance did not pick dissented.
		for (operator, reported) in [(alice(), first), (bob(), second)] {
			assert!(oracle_events().contains(&Event::ReportDissent {
				subject: Subject::Round(100),
				operator,
				reported,
				finalised: third,
				count: 1,
			}));
		}
		assert_eq!(Oracle::status().dissents, vec![1, 1, 0]);
	});
}

#[test]
fn one_operator_lying_on_every_subject_neither_halts_nor_corrupts_settlement() {
	build_and_execute(|| {
		// Three operators, threshold two; Charlie lies about everything, and always first.
		watched_model(dave(), model(1));
		watched_model(dave(), model(2));
		let truth = |m: u8, r: RoundIndex| -> ReportOf<Test> {
			if m == 2 && r % 2 == 1 {
				not_submitted(model(2), r)
			} else {
				resolved(model(m), r, 100 * NMR, i128::from(r - 99) * NMR_I / 10)
			}
		};
		let lie = |m: u8, r: RoundIndex| -> ReportOf<Test> {
			match truth(m, r) {
				Report::RoundResult { result: RoundResult::NotSubmitted, .. } => {
					resolved(model(m), r, 100 * NMR, 5 * NMR_I)
				},
				_ => resolved(model(m), r, 100 * NMR, -5 * NMR_I),
			}
		};
		let mut subjects = 0;
		for r in 100..=104 {
			assert_ok!(submit(charlie(), vec![misdated(r)]));
			quorum(vec![opened(r)]);
			assert_eq!(LatestRound::<Test>::get(), Some(r));
			for m in [1, 2] {
				assert_ok!(submit(charlie(), vec![lie(m, r)]));
				quorum(vec![truth(m, r)]);
			}
			subjects += 3;
		}
		// Every honest result finalised, in order, and nothing the liar said was settled.
		let expected: Vec<_> = (100..=104)
			.flat_map(|r| [1, 2].map(|m| (m, r)))
			.map(|(m, r)| {
				let Report::RoundResult { result, .. } = truth(m, r) else { unreachable!() };
				(model(m), r, result.round_return())
			})
			.collect();
		assert_eq!(Settlement::take(), expected);
		for r in 100..=104 {
			assert_eq!(Rounds::<Test>::get(r).map(|i| i.opened_at), {
				let Report::RoundOpened { opened_at, .. } = opened(r) else { unreachable!() };
				Some(opened_at)
			});
		}
		assert_eq!(Pending::<Test>::iter().count(), 0);
		assert_eq!(Dissents::<Test>::get(charlie()).count, subjects);
		assert_eq!(Oracle::status().dissents, vec![0, 0, subjects]);
		// Governance removes the liar: its record goes with it.
		assert_ok!(Oracle::set_operators(
			RuntimeOrigin::root(),
			BoundedVec::truncate_from(vec![alice(), bob()]),
			2
		));
		assert_eq!(Dissents::<Test>::iter().count(), 0);
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
