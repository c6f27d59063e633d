//! Ownership attestations: a quorum verifies the claim and the model is watched.

use super::*;

fn saw(m: ModelId, claimant: AccountId) -> ReportOf<Test> {
	Report::Ownership { model: m, claimant }
}

#[test]
fn a_quorum_verifies_ownership_and_watches_the_model() {
	build_and_execute(|| {
		open_rounds(100, 101);
		register_pending(dave(), model(1));
		assert_ok!(submit(alice(), vec![saw(model(1), dave())]));
		assert_eq!(
			pallet_model_registry::Models::<Test>::get(model(1)).unwrap().status,
			ModelStatus::Pending
		);
		assert_ok!(submit(bob(), vec![saw(model(1), dave())]));
		assert_eq!(
			pallet_model_registry::Models::<Test>::get(model(1)).unwrap().status,
			ModelStatus::Verified
		);
		let events = oracle_events();
		assert!(events.contains(&Event::OwnershipAttested { model: model(1), claimant: dave() }));
		assert!(events.contains(&Event::ModelWatched { model: model(1), from_round: Some(102) }));
		assert_eq!(Oracle::next_round(&model(1)), Some(102));
		// Later reports are stale.
		assert_ok!(submit(charlie(), vec![saw(model(1), dave())]));
		System::assert_last_event(
			Event::<Test>::StaleReport {
				subject: Subject::Ownership(model(1)),
				operator: charlie(),
			}
			.into(),
		);
	});
}

#[test]
fn only_the_live_claim_can_be_attested() {
	build_and_execute(|| {
		assert_noop!(submit(alice(), vec![saw(model(1), dave())]), Error::<Test>::UnknownModel);
		register_pending(dave(), model(1));
		assert_noop!(submit(alice(), vec![saw(model(1), charlie())]), Error::<Test>::NoSuchClaim);
	});
}

#[test]
fn a_lapsed_claim_is_refused_by_the_registry_without_failing_the_batch() {
	build_and_execute(|| {
		register_pending(dave(), model(1));
		assert_ok!(submit(alice(), vec![saw(model(1), dave())]));
		System::set_block_number(2 + CLAIM_TTL);
		assert_ok!(submit(bob(), vec![saw(model(1), dave())]));
		assert!(oracle_events().iter().any(|e| matches!(
			e,
			Event::AttestationRefused { model: m, claimant, .. } if *m == model(1) && *claimant == dave()
		)));
		assert!(!Progress::<Test>::contains_key(model(1)));
		assert!(!Pending::<Test>::contains_key(Subject::Ownership(model(1))));
	});
}

#[test]
fn a_full_watch_list_refuses_the_model_but_keeps_the_verification() {
	build_and_execute(|| {
		for n in 1..=MAX_WATCHED as u8 {
			watched_model(dave(), model(n));
		}
		register_pending(charlie(), model(50));
		quorum(vec![saw(model(50), charlie())]);
		assert_eq!(
			pallet_model_registry::Models::<Test>::get(model(50)).unwrap().status,
			ModelStatus::Verified
		);
		assert!(oracle_events()
			.iter()
			.any(|e| matches!(e, Event::WatchRefused { model: m, .. } if *m == model(50))));
	});
}
