//! Operators, parameters and the watch list, by governance.

use super::*;
use polkadot_sdk::sp_runtime::BuildStorage;

fn ops(list: Vec<AccountId>) -> BoundedVec<AccountId, ConstU32<5>> {
	BoundedVec::truncate_from(list)
}

#[test]
fn operators_need_a_majority_threshold() {
	build_and_execute(|| {
		assert_noop!(
			Oracle::set_operators(RuntimeOrigin::signed(alice()), ops(vec![alice()]), 1),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Oracle::set_operators(RuntimeOrigin::root(), ops(vec![alice(), bob(), charlie()]), 1),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			Oracle::set_operators(RuntimeOrigin::root(), ops(vec![alice(), bob()]), 3),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			Oracle::set_operators(RuntimeOrigin::root(), ops(vec![alice()]), 0),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			Oracle::set_operators(RuntimeOrigin::root(), ops(vec![alice(), alice()]), 2),
			Error::<Test>::DuplicateOperator
		);
		assert_ok!(Oracle::set_operators(RuntimeOrigin::root(), ops(vec![alice(), bob()]), 2));
		System::assert_last_event(
			Event::<Test>::OperatorsSet { operators: vec![alice(), bob()], threshold: 2 }.into(),
		);
		// No operators at all pauses the oracle.
		assert_ok!(Oracle::set_operators(RuntimeOrigin::root(), ops(vec![]), 0));
		assert_noop!(submit(alice(), vec![opened(100)]), Error::<Test>::NotOperator);
	});
}

#[test]
fn params_are_validated() {
	build_and_execute(|| {
		let name = |s: &[u8]| ScoreName::truncate_from(s.to_vec());
		let good = OracleParamsOf::<Test>::classic();
		assert_noop!(
			Oracle::set_params(RuntimeOrigin::signed(alice()), good.clone()),
			DispatchError::BadOrigin
		);
		let mut p = good.clone();
		p.corr_score = name(b"");
		assert_noop!(Oracle::set_params(RuntimeOrigin::root(), p), Error::<Test>::InvalidParams);
		let mut p = good.clone();
		p.mmc_score = p.corr_score.clone();
		assert_noop!(Oracle::set_params(RuntimeOrigin::root(), p), Error::<Test>::InvalidParams);
		let mut p = good.clone();
		p.stored_scores = BoundedVec::truncate_from(vec![name(b"a"), name(b"a")]);
		assert_noop!(Oracle::set_params(RuntimeOrigin::root(), p), Error::<Test>::InvalidParams);
		let mut p = good.clone();
		p.stored_scores = BoundedVec::truncate_from(vec![name(&[0xff])]);
		assert_noop!(Oracle::set_params(RuntimeOrigin::root(), p), Error::<Test>::InvalidParams);
		let mut p = good.clone();
		p.absent_grace_secs = 31 * 86_400;
		assert_noop!(Oracle::set_params(RuntimeOrigin::root(), p), Error::<Test>::InvalidParams);
		let mut p = good;
		p.stored_scores =
			BoundedVec::truncate_from(vec![name(b"canon_corr"), name(b"mmc60"), name(b"bmc")]);
		assert_ok!(Oracle::set_params(RuntimeOrigin::root(), p.clone()));
		assert_eq!(Params::<Test>::get(), p);
		System::assert_last_event(Event::<Test>::ParamsSet { params: p }.into());
	});
}

#[test]
fn governance_watches_and_unwatches_models() {
	build_and_execute(|| {
		assert_noop!(
			Oracle::watch_model(RuntimeOrigin::signed(alice()), model(1), None),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Oracle::watch_model(RuntimeOrigin::root(), model(1), None),
			Error::<Test>::UnknownModel
		);
		register_verified(dave(), model(1));
		// Before any round opened, a watch cannot name its first round.
		assert_noop!(
			Oracle::watch_model(RuntimeOrigin::root(), model(1), Some(90)),
			Error::<Test>::InvalidFromRound
		);
		open_rounds(88, 90);
		// Nor a round beyond the next one, which the oracle could not reach in order.
		assert_noop!(
			Oracle::watch_model(RuntimeOrigin::root(), model(1), Some(92)),
			Error::<Test>::InvalidFromRound
		);
		assert_noop!(
			Oracle::watch_model(RuntimeOrigin::root(), model(1), Some(87)),
			Error::<Test>::InvalidFromRound
		);
		assert_ok!(Oracle::watch_model(RuntimeOrigin::root(), model(1), Some(90)));
		System::assert_last_event(
			Event::<Test>::ModelWatched { model: model(1), from_round: Some(90) }.into(),
		);
		assert_noop!(
			Oracle::watch_model(RuntimeOrigin::root(), model(1), None),
			Error::<Test>::AlreadyWatched
		);
		for n in 2..=MAX_WATCHED as u8 {
			watched_model(dave(), model(n));
		}
		register_verified(dave(), model(60));
		assert_noop!(
			Oracle::watch_model(RuntimeOrigin::root(), model(60), None),
			Error::<Test>::TooManyWatched
		);
		// A registered model is unwatched only by governance.
		assert_noop!(
			Oracle::unwatch_model(RuntimeOrigin::signed(alice()), model(1)),
			Error::<Test>::StillRegistered
		);
		// Nor while stakers' exits and activations wait for its rounds.
		Settlement::set_obligations(model(1), true);
		assert_noop!(
			Oracle::unwatch_model(RuntimeOrigin::root(), model(1)),
			Error::<Test>::HasObligations
		);
		Settlement::set_obligations(model(1), false);
		assert_ok!(Oracle::unwatch_model(RuntimeOrigin::root(), model(1)));
		System::assert_last_event(Event::<Test>::ModelUnwatched { model: model(1) }.into());
		assert_noop!(
			Oracle::unwatch_model(RuntimeOrigin::root(), model(1)),
			Error::<Test>::NotWatched
		);
		assert_noop!(
			Oracle::unwatch_model(RuntimeOrigin::signed(alice()), model(1)),
			Error::<Test>::NotWatched
		);
		// The last slot moved into the freed one.
		assert_eq!(WatchSlots::<Test>::get(0), Some(model(MAX_WATCHED as u8)));
		assert_eq!(Progress::<Test>::get(model(MAX_WATCHED as u8)).unwrap().slot, 0);
	});
}

#[test]
fn anyone_unwatches_a_model_the_registry_forgot() {
	build_and_execute(|| {
		register_pending(dave(), model(1));
		assert_ok!(Oracle::watch_model(RuntimeOrigin::root(), model(1), None));
		System::set_block_number(2 + CLAIM_TTL);
		assert_ok!(Registry::expire_claim(RuntimeOrigin::signed(alice()), model(1)));
		assert_ok!(Oracle::unwatch_model(RuntimeOrigin::signed(alice()), model(1)));
		assert_eq!(WatchCount::<Test>::get(), 0);
	});
}

#[test]
fn the_watch_batch_rotates_with_bounded_reads() {
	build_and_execute(|| {
		assert_eq!(Oracle::watch_batch(0, 2), (vec![], 0));
		for n in 1..=5 {
			watched_model(dave(), model(n));
		}
		assert_eq!(Oracle::watch_batch(0, 2), (vec![model(1), model(2)], 2));
		assert_eq!(Oracle::watch_batch(2, 2), (vec![model(3), model(4)], 4));
		assert_eq!(Oracle::watch_batch(4, 2), (vec![model(5), model(1)], 1));
		assert_eq!(Oracle::watch_batch(99, 10).0.len(), 5);
	});
}

#[test]
fn genesis_watches_models_from_the_first_round() {
	let mut storage =
		polkadot_sdk::frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	crate::GenesisConfig::<Test> {
		operators: vec![alice()],
		threshold: 1,
		params: Some(OracleParamsOf::<Test>::classic()),
		watched: vec![model(1)],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	polkadot_sdk::sp_io::TestExternalities::new(storage).execute_with(|| {
		assert_eq!(
			Progress::<Test>::get(model(1)),
			Some(ModelProgress { next_round: None, slot: 0 })
		);
		assert_eq!(Oracle::next_round(&model(1)), None);
		Timestamp::set_timestamp(START * 1_000);
		assert_ok!(submit(alice(), vec![opened(100)]));
		assert_eq!(Oracle::next_round(&model(1)), Some(100));
		Oracle::do_try_state().unwrap();
	});
}

#[test]
#[should_panic(expected = "invalid genesis oracle operators")]
fn genesis_refuses_a_minority_threshold() {
	let mut storage =
		polkadot_sdk::frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let _ = crate::GenesisConfig::<Test> {
		operators: vec![alice(), bob(), charlie()],
		threshold: 1,
		params: None,
		watched: vec![],
	}
	.assimilate_storage(&mut storage);
}

#[test]
fn an_unwatched_model_leaves_no_results_behind() {
	build_and_execute(|| {
		open_rounds(10, 12);
		register_verified(dave(), model(1));
		assert_ok!(Oracle::watch_model(RuntimeOrigin::root(), model(1), Some(10)));
		quorum(vec![not_submitted(model(1), 10)]);
		quorum(vec![resolved(model(1), 11, 100, 5)]);
		assert_eq!(Results::<Test>::iter_prefix(model(1)).count(), 2);
		assert_ok!(Oracle::unwatch_model(RuntimeOrigin::root(), model(1)));
		// Depth pruning happens only as a watched model's results finalise: an unwatched
		// model's results would otherwise stay for ever.
		assert_eq!(Results::<Test>::iter_prefix(model(1)).count(), 0);
		// Watched again much later, its history starts afresh.
		open_rounds(13, 13 + HISTORY_DEPTH);
		assert_ok!(Oracle::watch_model(RuntimeOrigin::root(), model(1), None));
		open_rounds(14 + HISTORY_DEPTH, 14 + HISTORY_DEPTH);
		quorum(vec![not_submitted(model(1), 14 + HISTORY_DEPTH)]);
		assert_eq!(Results::<Test>::iter_prefix(model(1)).count(), 1);
	});
}

#[test]
fn the_listener_is_told_every_opened_round_and_every_watch_change() {
	build_and_execute(|| {
		register_verified(dave(), model(1));
		// Watched before any round opened: the first round the chain opens comes first.
		assert_ok!(Oracle::watch_model(RuntimeOrigin::root(), model(1), None));
		open_rounds(10, 11);
		assert_eq!(
			Settlement::take_told(),
			vec![Told::Watched(model(1), None), Told::Opened(10), Told::Opened(11)]
		);
		assert_ok!(Oracle::unwatch_model(RuntimeOrigin::root(), model(1)));
		assert_ok!(Oracle::watch_model(RuntimeOrigin::root(), model(1), Some(11)));
		assert_ok!(Oracle::unwatch_model(RuntimeOrigin::root(), model(1)));
		assert_ok!(Oracle::watch_model(RuntimeOrigin::root(), model(1), None));
		assert_eq!(
			Settlement::take_told(),
			vec![
				Told::Unwatched(model(1)),
				Told::Watched(model(1), Some(11)),
				Told::Unwatched(model(1)),
				Told::Watched(model(1), Some(12)),
			]
		);
		// A refused watch or unwatch tells nothing.
		assert_noop!(
			Oracle::watch_model(RuntimeOrigin::root(), model(1), None),
			Error::<Test>::AlreadyWatched
		);
		assert_eq!(Settlement::take_told(), vec![]);
	});
}

/// `report` with its scores renamed `corr20` and `mmc20`.
fn renamed(report: ReportOf<Test>) -> ReportOf<Test> {
	let Report::RoundResult { model, round, result: RoundResult::Resolved(mut r) } = report else {
		panic!("a resolved result")
	};
	for (s, name) in r.scores.iter_mut().zip([&b"corr20"[..], b"mmc20"]) {
		s.name = ScoreName::truncate_from(name.to_vec());
	}
	Report::RoundResult { model, round, result: RoundResult::Resolved(r) }
}

#[test]
fn a_switch_of_score_names_applies_to_every_round_not_yet_final_and_to_no_other() {
	build_and_execute(|| {
		watched_model(dave(), model(1));
		open_rounds(100, 101);
		let old = |r| resolved(model(1), r, 100 * NMR, NMR_I);
		quorum(vec![old(100)]);
		// Alice has reported round 101 under the old names when governance switches to the
		// 2026 names.
		assert_ok!(submit(alice(), vec![old(101)]));
		let name = |n: &[u8]| ScoreName::truncate_from(n.to_vec());
		let mut params = OracleParamsOf::<Test>::classic();
		params.corr_score = name(b"corr20");
		params.mmc_score = name(b"mmc20");
		params.stored_scores = BoundedVec::truncate_from(vec![name(b"corr20"), name(b"mmc20")]);
		assert_ok!(Oracle::set_params(RuntimeOrigin::root(), params));
		// Reports under the old names are refused from now on; Alice's pending one no longer
		// counts, so her worker reports again.
		assert_noop!(submit(charlie(), vec![old(101)]), Error::<Test>::UnexpectedScore);
		let subject = Subject::Result(model(1), 101);
		assert!(!Oracle::has_live_vote(subject, &alice()));
		assert_ok!(submit(bob(), vec![renamed(old(101))]));
		assert!(!Results::<Test>::contains_key(model(1), 101));
		// Her new report replaces the old one (no `AlreadyVoted`) and completes the quorum;
		// her old report is not counted as dissent.
		assert_ok!(submit(alice(), vec![renamed(old(101))]));
		let names = |r| -> Vec<Vec<u8>> {
			Oracle::model_history(model(1), r, r)[0].scores.iter().map(|(n, _)| n.clone()).collect()
		};
		assert_eq!(names(100), vec![b"canon_corr".to_vec(), b"canon_mmc".to_vec()]);
		assert_eq!(names(101), vec![b"corr20".to_vec(), b"mmc20".to_vec()]);
		assert_eq!(Dissents::<Test>::iter().count(), 0);
		assert_eq!(Pending::<Test>::iter().count(), 0);
	});
}
