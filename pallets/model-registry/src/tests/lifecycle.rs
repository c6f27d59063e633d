//! Status transitions: retiring, deregistering, suspension, under-bonding; and a user story.

use super::*;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::DispatchError,
};

#[test]
fn retiring_stops_new_business_and_is_final() {
	build_and_execute(|| {
		assert_noop!(
			Registry::retire_model(RuntimeOrigin::signed(ALICE), model()),
			Error::<Test>::UnknownModel
		);
		claim(ALICE, MODEL_TEXT);
		assert_noop!(
			Registry::retire_model(RuntimeOrigin::signed(ALICE), model()),
			Error::<Test>::NotVerified
		);
		assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(
			&model(),
			&ALICE
		));
		assert_noop!(
			Registry::retire_model(RuntimeOrigin::signed(BOB), model()),
			Error::<Test>::NotOwner
		);
		assert_ok!(Registry::retire_model(RuntimeOrigin::signed(ALICE), model()));
		assert_eq!(Registry::status(&model()), Some(ModelStatus::Retiring));
		assert!(!ModelStatus::Retiring.accepts_delegations());
		assert_noop!(
			Registry::retire_model(RuntimeOrigin::signed(ALICE), model()),
			Error::<Test>::InvalidStatus
		);
	});
}

#[test]
fn deregistration_waits_for_obligations_and_releases_everything() {
	build_and_execute(|| {
		let m = active(ALICE);
		assert_ok!(Registry::post_consistency_bond(RuntimeOrigin::signed(ALICE), m, 10 * NMR, 200));
		assert_ok!(Registry::commit_version(
			RuntimeOrigin::signed(ALICE),
			m,
			Default::default(),
			None,
			BoundedVec::new()
		));
		let deregister = |who| Registry::deregister_model(RuntimeOrigin::signed(who), m);
		assert_noop!(deregister(BOB), Error::<Test>::NotOwner);
		assert_noop!(deregister(ALICE), Error::<Test>::InvalidStatus);
		assert_ok!(Registry::retire_model(RuntimeOrigin::signed(ALICE), m));
		FakeDelegations::set_obligations(m, true);
		assert_noop!(deregister(ALICE), Error::<Test>::HasObligations);
		FakeDelegations::set_obligations(m, false);
		assert_ok!(deregister(ALICE));
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT);
		assert!(Models::<Test>::get(m).is_none());
		assert_eq!(TermsVersions::<Test>::iter_prefix(m).count(), 0);
		assert!(!Versions::<Test>::contains_key(m));
		assert!(!OwnerModels::<Test>::contains_key(ALICE, m));
		System::assert_last_event(
			Event::<Test>::ModelDeregistered {
				model: m,
				owner: ALICE,
				released: DEPOSIT + 10 * NMR,
			}
			.into(),
		);
		assert_noop!(deregister(ALICE), Error::<Test>::UnknownModel);
	});
}

#[test]
fn a_pending_claim_cannot_be_withdrawn_only_lapse() {
	build_and_execute(|| {
		// A squatter could otherwise swap claims (to another account, another wrong name)
		// faster than the oracle checks them.
		claim(ALICE, MODEL_TEXT);
		assert_noop!(
			Registry::deregister_model(RuntimeOrigin::signed(ALICE), model()),
			Error::<Test>::ClaimPending
		);
		run_to_block(2 + CLAIM_TTL);
		assert_ok!(Registry::expire_claim(RuntimeOrigin::signed(BOB), model()));
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT);
		assert_eq!(PendingClaims::<Test>::count(), 0);
	});
}

#[test]
fn governance_suspends_and_resumes() {
	build_and_execute(|| {
		assert_noop!(
			Registry::suspend_model(RuntimeOrigin::signed(ALICE), model()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::suspend_model(RuntimeOrigin::root(), model()),
			Error::<Test>::UnknownModel
		);
		claim(ALICE, MODEL_TEXT);
		assert_noop!(
			Registry::suspend_model(RuntimeOrigin::root(), model()),
			Error::<Test>::NotVerified
		);
		assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(
			&model(),
			&ALICE
		));
		assert_noop!(
			Registry::resume_model(RuntimeOrigin::root(), model()),
			Error::<Test>::InvalidStatus
		);
		assert_ok!(Registry::suspend_model(RuntimeOrigin::root(), model()));
		assert_noop!(
			Registry::suspend_model(RuntimeOrigin::root(), model()),
			Error::<Test>::InvalidStatus
		);
		assert_noop!(
			Registry::resume_model(RuntimeOrigin::signed(ALICE), model()),
			DispatchError::BadOrigin
		);
		assert_ok!(Registry::resume_model(RuntimeOrigin::root(), model()));
		assert_eq!(Registry::status(&model()), Some(ModelStatus::Verified), "no terms yet");
		assert_ok!(Registry::set_terms(RuntimeOrigin::signed(ALICE), model(), basic_terms(), None));
		assert_ok!(Registry::suspend_model(RuntimeOrigin::root(), model()));
		assert_ok!(Registry::resume_model(RuntimeOrigin::root(), model()));
		assert_eq!(Registry::status(&model()), Some(ModelStatus::Active));
	});
}

#[test]
fn the_delegation_pallet_drives_under_bonding() {
	build_and_execute(|| {
		let control = |b| <Registry as ModelStatusControl>::set_under_bonded(&model(), b);
		assert_noop!(control(true), Error::<Test>::UnknownModel);
		verified(ALICE);
		assert_noop!(control(true), Error::<Test>::InvalidStatus);
		assert_ok!(Registry::set_terms(RuntimeOrigin::signed(ALICE), model(), basic_terms(), None));
		assert_ok!(control(true));
		assert_eq!(Registry::status(&model()), Some(ModelStatus::UnderBonded));
		assert!(!ModelStatus::UnderBonded.accepts_delegations());
		assert_ok!(control(true));
		assert_ok!(control(false));
		assert_eq!(Registry::status(&model()), Some(ModelStatus::Active));
		assert_ok!(Registry::suspend_model(RuntimeOrigin::root(), model()));
		assert_ok!(control(false));
		assert_eq!(Registry::status(&model()), Some(ModelStatus::Suspended), "suspension wins");
	});
}

/// Alice, a Numerai participant, brings her model to numerstake; a rival tries to squat it.
#[test]
fn story_alice_registers_proves_publishes_and_winds_down() {
	build_and_execute(|| {
		// Mallory (Dave) claims Alice's model first, but cannot put his challenge in her
		// profile; his claim lapses and Alice claims it.
		claim(DAVE, MODEL_TEXT);
		run_to_block(2 + CLAIM_TTL);
		claim(ALICE, MODEL_TEXT);
		assert_eq!(Balances::free_balance(DAVE), ENDOWMENT, "Mallory got his deposit back");

		// Alice reads her challenge, pastes it into her Numerai bio, the oracle attests.
		let challenge = Registry::challenge_for(&model(), &ALICE);
		assert!(challenge.starts_with(b"numerstake-challenge:0x"));
		assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(
			&model(),
			&ALICE
		));

		// She publishes terms, announces her pipeline version and posts insurance.
		assert_ok!(Registry::set_terms(RuntimeOrigin::signed(ALICE), model(), basic_terms(), None));
		assert_ok!(Registry::commit_version(
			RuntimeOrigin::signed(ALICE),
			model(),
			polkadot_sdk::sp_core::H256::repeat_byte(7),
			None,
			BoundedVec::truncate_from(b"v5.2 features".to_vec())
		));
		assert_ok!(Registry::post_consistency_bond(
			RuntimeOrigin::signed(ALICE),
			model(),
			50 * NMR,
			200
		));
		assert_eq!(Registry::status(&model()), Some(ModelStatus::Active));

		// Rounds pass; the record fills.
		for round in 101..=105 {
			CurrentRound::set(round);
			<Registry as ConsistencyRecorder>::note_round(&model(), round, round != 103);
		}
		assert_eq!(Records::<Test>::get(model()).rounds_missed, 1);

		// A year later she retires the model and, once stakers are gone, deregisters.
		assert_ok!(Registry::retire_model(RuntimeOrigin::signed(ALICE), model()));
		assert_ok!(Registry::deregister_model(RuntimeOrigin::signed(ALICE), model()));
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT);

		// The record belongs to the Numerai model, not to her registration: when Bob (who
		// bought it) registers it again, stakers still see its five rounds and the one missed.
		claim(BOB, MODEL_TEXT);
		assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(&model(), &BOB));
		let record = Registry::model_profile(model()).unwrap().record;
		assert_eq!((record.rounds_submitted, record.rounds_missed), (4, 1));
		assert_eq!(record.last_round, Some(105));
	});
}

#[test]
fn the_profile_shows_everything_in_one_read() {
	build_and_execute(|| {
		assert!(Registry::model_profile(model()).is_none());
		claim(ALICE, MODEL_TEXT);
		let pending = Registry::model_profile(model()).unwrap();
		assert_eq!(pending.status, ModelStatus::Pending);
		assert_eq!(pending.claim_expires_at, Some(1 + CLAIM_TTL));
		assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(
			&model(),
			&ALICE
		));
		assert_ok!(Registry::set_terms(RuntimeOrigin::signed(ALICE), model(), basic_terms(), None));
		assert_ok!(Registry::post_consistency_bond(
			RuntimeOrigin::signed(ALICE),
			model(),
			NMR,
			100
		));
		let p = Registry::model_profile(model()).unwrap();
		assert_eq!(p.owner, ALICE);
		assert_eq!(p.name, b"example_model".to_vec());
		assert_eq!(p.claim_expires_at, None);
		assert!(p.current_terms.is_none(), "terms start next round");
		assert_eq!(p.upcoming_terms.len(), 1);
		CurrentRound::set(101);
		let p = Registry::model_profile(model()).unwrap();
		assert_eq!(p.current_terms.map(|t| t.version), Some(0));
		assert!(p.upcoming_terms.is_empty());
		assert_eq!(p.consistency_bond.map(|b| b.amount), Some(NMR));
		assert_eq!(Registry::models_of(&ALICE), vec![model()]);
		assert!(Registry::models_of(&BOB).is_empty());
	});
}
