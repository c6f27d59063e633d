//! Claiming models, ownership challenges and attestations, lapsed claims.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

#[test]
fn a_claim_holds_the_deposit_and_waits_for_the_oracle() {
	build_and_execute(|| {
		claim(ALICE, MODEL_TEXT);
		let info = Models::<Test>::get(model()).unwrap();
		assert_eq!(info.owner, ALICE);
		assert_eq!(info.status, ModelStatus::Pending);
		assert_eq!(info.claim_expires_at, 1 + CLAIM_TTL);
		assert_eq!(held(HoldReason::ModelDeposit, ALICE), DEPOSIT);
		assert!(OwnerModels::<Test>::contains_key(ALICE, model()));
		assert_eq!(
			<Registry as OwnershipAttestation<AccountId>>::pending_claims(None, 10),
			vec![PendingClaim {
				model: model(),
				claimant: ALICE,
				name: b"example_model".to_vec(),
				expires_at: 1 + CLAIM_TTL
			}]
		);
		System::assert_last_event(
			Event::<Test>::ModelClaimed {
				model: model(),
				owner: ALICE,
				name: name(b"example_model"),
				deposit: DEPOSIT,
				claim_expires_at: 1 + CLAIM_TTL,
			}
			.into(),
		);
	});
}

#[test]
fn malformed_model_ids_get_precise_errors() {
	build_and_execute(|| {
		let register =
			|t: &[u8]| Registry::register_model(RuntimeOrigin::signed(ALICE), text(t), name(b"m"));
		assert_noop!(register(b"1234"), Error::<Test>::ModelIdWrongLength);
		assert_noop!(
			register(b"111111112-222-4333-8444-555555555555"),
			Error::<Test>::ModelIdMisplacedHyphen
		);
		assert_noop!(
			register(b"1111111x-2222-4333-8444-555555555555"),
			Error::<Test>::ModelIdNotHex
		);
		assert_noop!(register(b"00000000-0000-0000-0000-000000000000"), Error::<Test>::ModelIdNil);
	});
}

#[test]
fn names_are_numerai_style_identifiers() {
	build_and_execute(|| {
		let register = |n: &[u8]| {
			Registry::register_model(RuntimeOrigin::signed(ALICE), text(MODEL_TEXT), name(n))
		};
		assert_noop!(register(b""), Error::<Test>::NameEmpty);
		assert_noop!(register(b"Upper"), Error::<Test>::NameInvalidCharacter);
		assert_noop!(register(b"with space"), Error::<Test>::NameInvalidCharacter);
		assert_ok!(register(b"integration_test_7"));
	});
}

#[test]
fn claiming_needs_the_deposit() {
	build_and_execute(|| {
		assert_noop!(
			Registry::register_model(RuntimeOrigin::signed(PAUPER), text(MODEL_TEXT), name(b"m")),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn an_owner_in_debt_to_a_pool_cannot_register_models() {
	build_and_execute(|| {
		FakeDelegations::set_debt(ALICE, true);
		assert_noop!(
			Registry::register_model(RuntimeOrigin::signed(ALICE), text(MODEL_TEXT), name(b"m")),
			Error::<Test>::OwnerInDebt
		);
		FakeDelegations::set_debt(ALICE, false);
		claim(ALICE, MODEL_TEXT);
	});
}

#[test]
fn one_claim_at_a_time_and_one_verified_owner() {
	build_and_execute(|| {
		claim(ALICE, MODEL_TEXT);
		assert_noop!(
			Registry::register_model(RuntimeOrigin::signed(BOB), text(MODEL_TEXT), name(b"m")),
			Error::<Test>::ClaimPending
		);
		assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(
			&model(),
			&ALICE
		));
		run_to_block(1 + CLAIM_TTL + 1);
		assert_noop!(
			Registry::register_model(RuntimeOrigin::signed(BOB), text(MODEL_TEXT), name(b"m")),
			Error::<Test>::AlreadyRegistered
		);
	});
}

#[test]
fn a_lapsed_claim_gives_way_to_a_new_claimant() {
	build_and_execute(|| {
		claim(ALICE, MODEL_TEXT);
		run_to_block(1 + CLAIM_TTL + 1);
		claim(BOB, MODEL_TEXT);
		assert_eq!(Models::<Test>::get(model()).unwrap().owner, BOB);
		assert_eq!(held(HoldReason::ModelDeposit, ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT);
		assert!(!OwnerModels::<Test>::contains_key(ALICE, model()));
		assert!(
			registry_events().contains(&Event::ClaimExpired { model: model(), claimant: ALICE })
		);
	});
}

#[test]
fn anyone_can_clear_a_lapsed_claim() {
	build_and_execute(|| {
		assert_noop!(
			Registry::expire_claim(RuntimeOrigin::signed(BOB), model()),
			Error::<Test>::UnknownModel
		);
		claim(ALICE, MODEL_TEXT);
		run_to_block(1 + CLAIM_TTL);
		assert_noop!(
			Registry::expire_claim(RuntimeOrigin::signed(BOB), model()),
			Error::<Test>::ClaimNotExpired
		);
		run_to_block(2 + CLAIM_TTL);
		assert_ok!(Registry::expire_claim(RuntimeOrigin::signed(BOB), model()));
		assert!(Models::<Test>::get(model()).is_none());
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT);
		assert!(<Registry as OwnershipAttestation<AccountId>>::pending_claims(None, 10).is_empty());
	});
}

#[test]
fn a_verified_model_cannot_be_expired() {
	build_and_execute(|| {
		verified(ALICE);
		run_to_block(10 * CLAIM_TTL);
		assert_noop!(
			Registry::expire_claim(RuntimeOrigin::signed(BOB), model()),
			Error::<Test>::NotPending
		);
	});
}

#[test]
fn challenges_are_deterministic_and_specific() {
	build_and_execute(|| {
		let c = |m: &ModelId, who: &AccountId| {
			<Registry as OwnershipAttestation<AccountId>>::challenge(m, who)
		};
		let alice = c(&model(), &ALICE);
		assert!(alice.starts_with(b"numerstake-challenge:0x"));
		assert_eq!(alice.len(), b"numerstake-challenge:0x".len() + 64);
		assert_eq!(alice, c(&model(), &ALICE));
		assert_ne!(alice, c(&model(), &BOB));
		assert_ne!(alice, c(&other_model(), &ALICE));
	});
}

#[test]
fn attestation_verifies_only_the_live_claimant() {
	build_and_execute(|| {
		let attest = |who: AccountId| {
			<Registry as OwnershipAttestation<AccountId>>::attest_ownership(&model(), &who)
		};
		assert_noop!(attest(ALICE), Error::<Test>::UnknownModel);
		claim(ALICE, MODEL_TEXT);
		assert_noop!(attest(BOB), Error::<Test>::ClaimantMismatch);
		assert_ok!(attest(ALICE));
		assert_eq!(Models::<Test>::get(model()).unwrap().status, ModelStatus::Verified);
		assert!(
			registry_events().contains(&Event::OwnershipVerified { model: model(), owner: ALICE })
		);
		assert_noop!(attest(ALICE), Error::<Test>::NotPending);
		assert!(<Registry as OwnershipAttestation<AccountId>>::pending_claims(None, 10).is_empty());
	});
}

#[test]
fn a_lapsed_claim_cannot_be_attested() {
	build_and_execute(|| {
		claim(ALICE, MODEL_TEXT);
		run_to_block(2 + CLAIM_TTL);
		assert_noop!(
			<Registry as OwnershipAttestation<AccountId>>::attest_ownership(&model(), &ALICE),
			Error::<Test>::ClaimExpired
		);
		assert!(<Registry as OwnershipAttestation<AccountId>>::pending_claims(None, 10).is_empty());
	});
}

#[test]
fn pending_claims_are_listed_in_bounded_batches() {
	build_and_execute(|| {
		claim(ALICE, MODEL_TEXT);
		claim(BOB, OTHER_TEXT);
		let first = <Registry as OwnershipAttestation<AccountId>>::pending_claims(None, 1);
		assert_eq!(first.len(), 1);
		assert_eq!(<Registry as OwnershipAttestation<AccountId>>::pending_claims(None, 5).len(), 2);
		// Walking on from the first gives the other one, then nothing.
		let second =
			<Registry as OwnershipAttestation<AccountId>>::pending_claims(Some(first[0].model), 5);
		assert_eq!(second.len(), 1);
		assert_ne!(second[0].model, first[0].model);
		assert!(<Registry as OwnershipAttestation<AccountId>>::pending_claims(
			Some(second[0].model),
			5
		)
		.is_empty());
	});
}

fn reserve(digest: [u8; 32]) -> polkadot_sdk::sp_runtime::DispatchResult {
	<Registry as OwnershipAttestation<AccountId>>::reserve_for_challenge(&model(), digest)
}

#[test]
fn a_squatter_cannot_win_the_race_for_a_model_whose_profile_shows_the_owners_challenge() {
	build_and_execute(|| {
		// Bob squats on Alice's model; Alice puts her own challenge in the profile, and the
		// oracle quorum sees it instead of Bob's.
		let alice = Registry::challenge_digest(&model(), &ALICE);
		assert_noop!(reserve(alice), Error::<Test>::UnknownModel);
		claim(BOB, MODEL_TEXT);
		let bob = Registry::challenge_digest(&model(), &BOB);
		assert_noop!(reserve(bob), Error::<Test>::ReservedForClaimant);
		assert_ok!(reserve(alice));
		let until = 1 + 2 * CLAIM_TTL;
		System::assert_last_event(
			Event::<Test>::ModelReserved { model: model(), digest: alice, until }.into(),
		);
		assert_eq!(
			<Registry as OwnershipAttestation<AccountId>>::reserved_for(&model()),
			Some(alice)
		);
		// Bob's claim runs its course; in the block it lapses neither he nor his second
		// account can claim the model again.
		System::set_block_number(2 + CLAIM_TTL);
		let register = |who| {
			Registry::register_model(RuntimeOrigin::signed(who), text(MODEL_TEXT), name(b"m"))
		};
		assert_noop!(register(BOB), Error::<Test>::ModelReserved);
		assert_noop!(register(CHARLIE), Error::<Test>::ModelReserved);
		// Alice can, and the reservation is used up.
		assert_ok!(register(ALICE));
		assert!(!Reservations::<Test>::contains_key(model()));
		assert_eq!(Models::<Test>::get(model()).map(|m| m.owner), Some(ALICE));
		assert_eq!(Balances::free_balance(BOB), ENDOWMENT);
	});
}

#[test]
fn a_reservation_ends_when_it_runs_out_or_the_claimant_proves_ownership() {
	build_and_execute(|| {
		claim(BOB, MODEL_TEXT);
		assert_ok!(reserve([7; 32]));
		// Nobody has the challenge of digest 7…7: after the reservation anyone may claim.
		System::set_block_number(2 + 2 * CLAIM_TTL);
		claim(CHARLIE, MODEL_TEXT);
		assert!(!Reservations::<Test>::contains_key(model()));
		// A stale challenge in the profile does not stop a claimant who proves ownership.
		assert_ok!(reserve([7; 32]));
		assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(
			&model(),
			&CHARLIE
		));
		assert!(!Reservations::<Test>::contains_key(model()));
		assert_noop!(reserve([7; 32]), Error::<Test>::NotPending);
	});
}

fn refute(who: AccountId) -> polkadot_sdk::sp_runtime::DispatchResult {
	<Registry as OwnershipAttestation<AccountId>>::refute_claim(&model(), &who)
}

/// A claim that names a profile which is not the model's is refuted by the oracle quorum: it
/// ends at once and its deposit is burned; the model is free to claim again.
#[test]
fn a_refuted_claim_ends_and_burns_its_deposit() {
	build_and_execute(|| {
		claim(BOB, MODEL_TEXT);
		let issuance = Balances::total_issuance();
		let bob = Balances::free_balance(BOB);
		assert_ok!(refute(BOB));
		assert_eq!(Models::<Test>::get(model()), None);
		assert!(!OwnerModels::<Test>::contains_key(BOB, model()));
		assert!(<Registry as OwnershipAttestation<AccountId>>::pending_claims(None, 10).is_empty());
		assert_eq!(held(HoldReason::ModelDeposit, BOB), 0);
		assert_eq!(Balances::free_balance(BOB), bob);
		assert_eq!(Balances::total_issuance(), issuance - DEPOSIT);
		assert_eq!(Burned::<Test>::get(), DEPOSIT);
		System::assert_last_event(
			Event::<Test>::ClaimRefuted {
				model: model(),
				claimant: BOB,
				name: name(b"example_model"),
				burned: DEPOSIT,
			}
			.into(),
		);
		verified(ALICE);
	});
}

#[test]
fn only_a_live_pending_claim_can_be_refuted() {
	build_and_execute(|| {
		assert_noop!(refute(ALICE), Error::<Test>::UnknownModel);
		claim(ALICE, MODEL_TEXT);
		assert_noop!(refute(BOB), Error::<Test>::ClaimantMismatch);
		run_to_block(2 + CLAIM_TTL);
		assert_noop!(refute(ALICE), Error::<Test>::ClaimExpired);
		assert_ok!(Registry::expire_claim(RuntimeOrigin::signed(BOB), model()));
		verified(ALICE);
		assert_noop!(refute(ALICE), Error::<Test>::NotPending);
	});
}
