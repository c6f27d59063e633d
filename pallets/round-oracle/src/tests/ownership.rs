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
		// A report naming someone without the live claim is too late to matter: ignored.
		assert_ok!(submit(alice(), vec![saw(model(1), charlie())]));
		System::assert_last_event(
			Event::<Test>::StaleReport { subject: Subject::Ownership(model(1)), operator: alice() }
				.into(),
		);
		assert!(Votes::<Test>::iter().next().is_none());
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

#[test]
fn votes_for_a_lapsed_claim_neither_conflict_with_nor_block_the_next_claimant() {
	build_and_execute(|| {
		register_pending(dave(), model(1));
		// Alice saw Dave's challenge; Dave's claim lapses before a second operator does.
		assert_ok!(submit(alice(), vec![saw(model(1), dave())]));
		assert!(Oracle::has_live_vote(Subject::Ownership(model(1)), &alice()));
		System::set_block_number(2 + CLAIM_TTL);
		// Charlie, the real owner, claims the model (which clears Dave's lapsed claim).
		register_pending(charlie(), model(1));
		// Alice's old vote no longer counts, so her worker looks again.
		assert!(!Oracle::has_live_vote(Subject::Ownership(model(1)), &alice()));
		// Bob sees Charlie's challenge: the lapsed claim's votes are dropped, not a conflict.
		assert_ok!(submit(bob(), vec![saw(model(1), charlie())]));
		let events = oracle_events();
		assert!(events.contains(&Event::ReportsCleared { subject: Subject::Ownership(model(1)) }));
		assert!(!events.iter().any(|e| matches!(e, Event::ReportConflict { .. })));
		// Alice can vote for Charlie (no `AlreadyVoted`), completing the quorum.
		assert_ok!(submit(alice(), vec![saw(model(1), charlie())]));
		assert_eq!(
			pallet_model_registry::Models::<Test>::get(model(1)).map(|m| (m.owner, m.status)),
			Some((charlie(), ModelStatus::Verified))
		);
		assert_eq!(Dissents::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_profile_showing_another_accounts_challenge_reserves_the_model_for_that_account() {
	build_and_execute(|| {
		// Dave squats on Charlie's model; Charlie's challenge is what the profile shows.
		register_pending(dave(), model(1));
		let real = pallet_model_registry::Pallet::<Test>::challenge_digest(&model(1), &charlie());
		let seen = |digest| Report::ForeignChallenge { model: model(1), digest };
		// Dave's own challenge is not foreign.
		let own = pallet_model_registry::Pallet::<Test>::challenge_digest(&model(1), &dave());
		assert_ok!(submit(alice(), vec![seen(own)]));
		System::assert_last_event(
			Event::<Test>::StaleReport { subject: Subject::Profile(model(1)), operator: alice() }
				.into(),
		);
		// Alice sees Charlie's challenge; Dave lets his claim lapse and re-claims from another
		// account of his (here Bob's) to reset the vote: the report names no claimant, so it
		// still counts, and Bob's worker completes the quorum.
		assert_ok!(submit(alice(), vec![seen(real)]));
		System::set_block_number(2 + CLAIM_TTL);
		assert_ok!(Registry::expire_claim(RuntimeOrigin::signed(dave()), model(1)));
		register_pending(bob(), model(1));
		assert_ok!(submit(bob(), vec![seen(real)]));
		assert!(oracle_events()
			.contains(&Event::ForeignChallengeSeen { model: model(1), digest: real }));
		assert_eq!(
			<Registry as OwnershipAttestation<AccountId>>::reserved_for(&model(1)),
			Some(real)
		);
		// Seeing it again is nothing new.
		assert_ok!(submit(charlie(), vec![seen(real)]));
		System::assert_last_event(
			Event::<Test>::StaleReport { subject: Subject::Profile(model(1)), operator: charlie() }
				.into(),
		);
		// A report about Dave's swapped-out claim, still in flight, fails no batch.
		assert_ok!(submit(charlie(), vec![saw(model(1), dave())]));
		// Bob's claim lapses too and Dave cannot take the model again; Charlie can.
		System::set_block_number(3 + 2 * CLAIM_TTL);
		assert_ok!(Registry::expire_claim(RuntimeOrigin::signed(dave()), model(1)));
		let text = BoundedVec::truncate_from(model(1).to_text().to_vec());
		let name = BoundedVec::truncate_from(b"model_1".to_vec());
		assert_noop!(
			Registry::register_model(RuntimeOrigin::signed(dave()), text.clone(), name.clone()),
			pallet_model_registry::Error::<Test>::ModelReserved
		);
		assert_ok!(Registry::register_model(RuntimeOrigin::signed(charlie()), text, name));
		quorum(vec![saw(model(1), charlie())]);
		assert_eq!(
			pallet_model_registry::Models::<Test>::get(model(1)).map(|m| (m.owner, m.status)),
			Some((charlie(), ModelStatus::Verified))
		);
	});
}

fn refuted(m: ModelId, claimant: AccountId) -> ReportOf<Test> {
	Report::ClaimRefuted {
		model: m,
		claimant,
		name: BoundedVec::truncate_from(format!("model_{}", m.0[3]).into_bytes()),
	}
}

/// Dave claims model 1 under a name whose profile is not the model's. Alice and Bob find so;
/// Charlie, lying (or misled), reports the challenge seen: the claim is refuted, its deposit
/// burned, Charlie's vote is dissent, and the model is free for its owner to claim.
#[test]
fn a_quorum_refutes_a_claim_whose_profile_is_not_the_models() {
	build_and_execute(|| {
		register_pending(dave(), model(1));
		let issuance = Balances::total_issuance();
		assert_ok!(submit(charlie(), vec![saw(model(1), dave())]));
		assert_ok!(submit(alice(), vec![refuted(model(1), dave())]));
		assert_ok!(submit(bob(), vec![refuted(model(1), dave())]));
		assert_eq!(Registry::status(&model(1)), None);
		assert_eq!(Balances::total_issuance(), issuance - NMR);
		let events = oracle_events();
		assert!(events.contains(&Event::ClaimRefuted { model: model(1), claimant: dave() }));
		assert!(events.iter().any(|e| matches!(
			e,
			Event::ReportDissent { operator, count: 1, .. } if *operator == charlie()
		)));
		assert!(!Pending::<Test>::contains_key(Subject::Ownership(model(1))));
		register_pending(charlie(), model(1));
		assert_eq!(
			pallet_model_registry::Models::<Test>::get(model(1)).map(|m| m.owner),
			Some(charlie())
		);
	});
}

#[test]
fn a_refutation_of_a_claim_that_lapsed_meanwhile_is_stale_and_burns_nothing() {
	build_and_execute(|| {
		register_pending(dave(), model(1));
		assert_ok!(submit(alice(), vec![refuted(model(1), dave())]));
		System::set_block_number(2 + CLAIM_TTL);
		// The lapsed claim is not the live one any more: the report is stale.
		assert_ok!(submit(bob(), vec![refuted(model(1), dave())]));
		System::assert_last_event(
			Event::<Test>::StaleReport { subject: Subject::Ownership(model(1)), operator: bob() }
				.into(),
		);
		// Nothing burned: the claim lapses as claims do, and its deposit goes back.
		assert_eq!(Registry::status(&model(1)), Some(ModelStatus::Pending));
	});
}

#[test]
fn refutations_only_name_the_live_claim() {
	build_and_execute(|| {
		assert_noop!(submit(alice(), vec![refuted(model(1), dave())]), Error::<Test>::UnknownModel);
		register_verified(dave(), model(1));
		assert_ok!(submit(alice(), vec![refuted(model(1), dave())]));
		System::assert_last_event(
			Event::<Test>::StaleReport { subject: Subject::Ownership(model(1)), operator: alice() }
				.into(),
		);
		register_pending(charlie(), model(2));
		assert_ok!(submit(alice(), vec![refuted(model(2), dave())]));
		System::assert_last_event(
			Event::<Test>::StaleReport { subject: Subject::Ownership(model(2)), operator: alice() }
				.into(),
		);
		assert!(Votes::<Test>::iter().next().is_none());
	});
}

/// A refutation is of the name the claim gives: once Dave's claim under a wrong name lapses and
/// he claims again under the right one, Alice's old refutation no longer counts.
#[test]
fn a_refutation_of_another_name_is_stale() {
	build_and_execute(|| {
		register_pending(dave(), model(1));
		let wrong = Report::ClaimRefuted {
			model: model(1),
			claimant: dave(),
			name: BoundedVec::truncate_from(b"not_model_1".to_vec()),
		};
		assert_ok!(submit(alice(), vec![wrong]));
		System::assert_last_event(
			Event::<Test>::StaleReport { subject: Subject::Ownership(model(1)), operator: alice() }
				.into(),
		);
		assert!(Votes::<Test>::iter().next().is_none());
	});
}
