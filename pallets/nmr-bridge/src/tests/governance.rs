//! Governance: the relayer set and its rotation, limits, the contract, pause.

use super::*;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::DispatchError,
};

fn set(members: &[usize], threshold: u32) -> polkadot_sdk::sp_runtime::DispatchResult {
	let relayers = members.iter().map(|&i| (RELAYERS[i], eth(i))).collect::<Vec<_>>();
	Bridge::set_relayers(RuntimeOrigin::root(), BoundedVec::truncate_from(relayers), threshold)
}

/// The relayers rotate from {0, 1, 2} to {1, 2, 3}: the outgoing set signs the rotation for the
/// contract; pending votes are voted again; a withdrawal signed by the old set is re-signed by
/// the new one on request.
#[test]
fn a_rotation_is_signed_by_the_outgoing_set_and_the_new_set_takes_over() {
	build_and_execute(|| {
		assert_ok!(Bridge::withdraw(RuntimeOrigin::signed(ALICE), 10 * NMR, eth_recipient()));
		assert_ok!(sign(0, 0, &[1]));
		assert_ok!(sign(1, 1, &[1]));
		assert!(Bridge::proof(1).unwrap().complete);
		assert_ok!(vote(0, deposit(1, ALICE, NMR)));
		assert_ok!(vote(2, deposit(1, BOB, NMR)));
		assert_eq!(Dissents::<Test>::get(RELAYERS[2]), 0);
		Dissents::<Test>::insert(RELAYERS[0], 4);

		assert_ok!(set(&[1, 2, 3], 2));
		assert_eq!(SetId::<Test>::get(), 1);
		assert_eq!(DepositVotes::<Test>::iter().count(), 0);
		assert_eq!(DepositCandidates::<Test>::iter().count(), 0);
		// Relayer 0 left: its dissent count goes with it.
		assert_eq!(Dissents::<Test>::get(RELAYERS[0]), 0);
		let rotation = Bridge::rotation(1).unwrap();
		// Set 0 signs only the withdrawals queued before the rotation (nonce 1).
		assert_eq!(rotation.cutoff, 2);
		let mut incoming = vec![eth(1), eth(2), eth(3)];
		incoming.sort();
		let mut outgoing = vec![eth(0), eth(1), eth(2)];
		outgoing.sort();
		assert_eq!((rotation.set_id, &rotation.signers, rotation.threshold), (1, &incoming, 2));
		assert_eq!(rotation.outgoing, outgoing);
		// Another rotation must wait until this one is signed.
		assert_noop!(set(&[0, 1, 2], 2), Error::<Test>::RotationPending);
		// Only the outgoing set signs it, each once.
		let sign_rotation = |k: usize| {
			Bridge::sign_rotation(RuntimeOrigin::signed(ALICE), 1, signed(k, rotation.digest))
		};
		assert_noop!(sign_rotation(3), Error::<Test>::WrongSigner);
		assert_ok!(sign_rotation(0));
		assert_noop!(sign_rotation(0), Error::<Test>::AlreadySigned);
		assert_ok!(sign_rotation(2));
		System::assert_last_event(Event::<Test>::RotationReady { set_id: 1 }.into());
		assert!(Bridge::rotation(1).unwrap().complete);

		// The new set votes deposit 1 again and mints it.
		assert_noop!(vote(0, deposit(1, ALICE, NMR)), Error::<Test>::NotRelayer);
		votes(&[1, 3], deposit(1, ALICE, NMR));
		assert_eq!(NextDeposit::<Test>::get(), 2);
		// Withdrawal 1 keeps its set-0 proof (the contract honours it for a while); on
		// request the new set signs it anew.
		assert_eq!(Bridge::proof(1).unwrap().set_id, 0);
		assert!(Bridge::proof(1).unwrap().complete);
		// The complete set-0 proof is not wiped by a new-set relayer, nor by anyone but Alice.
		assert_noop!(sign(3, 3, &[1]), Error::<Test>::ProofComplete);
		assert_noop!(
			Bridge::request_resign(RuntimeOrigin::signed(BOB), 1),
			Error::<Test>::NotYourWithdrawal
		);
		assert_ok!(Bridge::request_resign(RuntimeOrigin::signed(ALICE), 1));
		assert_noop!(
			Bridge::request_resign(RuntimeOrigin::signed(ALICE), 1),
			Error::<Test>::NotOldSet
		);
		assert_noop!(
			Bridge::request_resign(RuntimeOrigin::signed(ALICE), 9),
			Error::<Test>::UnknownWithdrawal
		);
		assert_eq!(Bridge::unsigned_withdrawals(None, 10)[0].set_id, 1);
		assert_ok!(sign(3, 3, &[1]));
		assert_ok!(sign(2, 2, &[1]));
		let proof = Bridge::proof(1).unwrap();
		assert_eq!((proof.set_id, proof.complete), (1, true));
		// Set 1 may rotate now that set 0's rotation is signed; the rotation into set 1 stays
		// on record (the contract takes rotations in order).
		assert_ok!(set(&[0, 1, 2], 2));
		assert!(Bridge::rotation(1).unwrap().complete);
		assert!(!Bridge::rotation(2).unwrap().complete);
		assert_noop!(
			Bridge::sign_rotation(RuntimeOrigin::signed(ALICE), 2, [0; 65]),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			Bridge::sign_rotation(RuntimeOrigin::signed(ALICE), 3, [0; 65]),
			Error::<Test>::UnknownRotation
		);
	});
}

#[test]
fn a_relayer_set_needs_a_majority_threshold_of_at_least_the_minimum_and_distinct_members() {
	build_and_execute(|| {
		assert_noop!(set(&[], 0), Error::<Test>::InvalidRelayerSet);
		// Not a majority; all of several (one relayer could halt); below the minimum of two;
		// more than the members.
		assert_noop!(set(&[0, 1, 2, 3], 2), Error::<Test>::InvalidRelayerSet);
		assert_noop!(set(&[0, 1], 2), Error::<Test>::InvalidRelayerSet);
		assert_noop!(set(&[0, 1, 2], 3), Error::<Test>::InvalidRelayerSet);
		assert_noop!(set(&[0], 1), Error::<Test>::InvalidRelayerSet);
		assert_noop!(set(&[0, 1], 3), Error::<Test>::InvalidRelayerSet);
		// The same account or address twice.
		let twice = vec![(RELAYERS[0], eth(0)), (RELAYERS[0], eth(1)), (RELAYERS[2], eth(2))];
		assert_noop!(
			Bridge::set_relayers(RuntimeOrigin::root(), BoundedVec::truncate_from(twice), 2),
			Error::<Test>::InvalidRelayerSet
		);
		let same_key = vec![(RELAYERS[0], eth(0)), (RELAYERS[1], eth(0)), (RELAYERS[2], eth(2))];
		assert_noop!(
			Bridge::set_relayers(RuntimeOrigin::root(), BoundedVec::truncate_from(same_key), 2),
			Error::<Test>::InvalidRelayerSet
		);
		let zero = vec![(RELAYERS[0], H160::zero()), (RELAYERS[1], eth(1)), (RELAYERS[2], eth(2))];
		assert_noop!(
			Bridge::set_relayers(RuntimeOrigin::root(), BoundedVec::truncate_from(zero), 2),
			Error::<Test>::InvalidRelayerSet
		);
		assert_noop!(
			Bridge::set_relayers(RuntimeOrigin::signed(ALICE), BoundedVec::new(), 1),
			DispatchError::BadOrigin
		);
		// Two of three, or three of four, or three of five.
		assert_ok!(set(&[0, 1, 2, 3], 3));
		assert_eq!(Relayers::<Test>::get().iter().map(|r| r.eth).collect::<Vec<_>>(), {
			let mut e = vec![eth(0), eth(1), eth(2), eth(3)];
			e.sort();
			e
		});
	});
}

#[test]
fn limits_contract_and_guardian_are_governances() {
	build_and_execute(|| {
		let mut l = limits();
		l.max_withdrawal = l.max_burn + 1;
		assert_noop!(Bridge::set_limits(RuntimeOrigin::root(), l), Error::<Test>::InvalidLimits);
		let mut l = limits();
		l.period = 0;
		assert_noop!(Bridge::set_limits(RuntimeOrigin::root(), l), Error::<Test>::InvalidLimits);
		let mut l = limits();
		l.min_withdrawal = l.max_withdrawal + 1;
		assert_noop!(Bridge::set_limits(RuntimeOrigin::root(), l), Error::<Test>::InvalidLimits);
		assert_noop!(
			Bridge::set_limits(RuntimeOrigin::signed(ALICE), limits()),
			DispatchError::BadOrigin
		);
		let mut l = limits();
		l.max_mint = NMR;
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), l));
		assert_eq!(LimitsSet::<Test>::get().max_mint, NMR);

		assert_noop!(
			Bridge::set_contract(RuntimeOrigin::root(), contract()),
			Error::<Test>::ContractAlreadySet
		);
		Contract::<Test>::kill();
		assert_ok!(Bridge::set_contract(RuntimeOrigin::root(), contract()));

		assert_ok!(Bridge::set_guardian(RuntimeOrigin::root(), Some(BOB)));
		assert_noop!(Bridge::pause(RuntimeOrigin::signed(GUARDIAN)), Error::<Test>::NotGuardian);
		assert_noop!(Bridge::unpause(RuntimeOrigin::root()), Error::<Test>::NotPaused);
		assert_ok!(Bridge::pause(RuntimeOrigin::signed(BOB)));
		System::assert_last_event(Event::<Test>::BridgePaused { by: Some(BOB) }.into());
		// Only governance resumes; the guardian cannot.
		assert_noop!(Bridge::unpause(RuntimeOrigin::signed(BOB)), DispatchError::BadOrigin);
		assert_ok!(Bridge::unpause(RuntimeOrigin::root()));
		assert_ok!(Bridge::pause(RuntimeOrigin::root()));
		System::assert_last_event(Event::<Test>::BridgePaused { by: None }.into());
		assert_noop!(
			Bridge::mint_deferred(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::BridgePaused
		);
	});
}

/// Withdrawals not yet fully signed when the set rotates are signed by the new set (the
/// relayers walk the unsigned list whatever set it was queued under).
#[test]
fn an_incomplete_withdrawal_is_signed_by_the_next_set() {
	build_and_execute(|| {
		assert_ok!(Bridge::withdraw(RuntimeOrigin::signed(ALICE), 10 * NMR, eth_recipient()));
		assert_ok!(sign(0, 0, &[1]));
		assert_ok!(set(&[1, 2, 3], 2));
		assert_ok!(sign(3, 3, &[1]));
		let w = Withdrawals::<Test>::get(1).unwrap();
		assert_eq!((w.set_id, w.signatures.len()), (1, 1));
		assert_ok!(sign(2, 2, &[1]));
		assert!(Bridge::proof(1).unwrap().complete);
	});
}

/// Before a contract is configured, a new set is still set 0: the contract, once deployed with
/// the chain's set, starts from it.
#[test]
fn without_a_contract_a_new_set_is_no_rotation() {
	build_and_execute(|| {
		Contract::<Test>::kill();
		assert_ok!(set(&[1, 2, 3], 2));
		assert_eq!(SetId::<Test>::get(), 0);
		assert!(Bridge::rotation(1).is_none());
		assert_ok!(Bridge::set_contract(RuntimeOrigin::root(), contract()));
	});
}
