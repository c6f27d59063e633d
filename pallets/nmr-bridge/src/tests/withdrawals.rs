//! Withdrawals: burning, limits, the relayers' signatures, release proofs.

use super::*;
use polkadot_sdk::frame_support::{
	assert_noop, assert_ok, dispatch::Pays, traits::fungible::Inspect,
};

fn withdraw(who: AccountId, amount: Balance) -> polkadot_sdk::sp_runtime::DispatchResult {
	Bridge::withdraw(RuntimeOrigin::signed(who), amount, eth_recipient())
}

#[test]
fn a_withdrawal_burns_and_the_sets_signatures_make_a_proof_anyone_can_submit() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		assert_ok!(withdraw(ALICE, 10 * NMR));
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT - 10 * NMR);
		assert_eq!(Balances::total_issuance(), issuance - 10 * NMR);
		System::assert_last_event(
			Event::<Test>::WithdrawalQueued {
				nonce: 1,
				who: ALICE,
				recipient: eth_recipient(),
				amount: 10 * NMR,
			}
			.into(),
		);
		let unsigned = Bridge::unsigned_withdrawals(None, 10);
		assert_eq!(unsigned.len(), 1);
		assert_eq!((unsigned[0].nonce, unsigned[0].amount, unsigned[0].set_id), (1, 10 * NMR, 0));
		// Relayer 1 signs: not complete yet.
		assert_eq!(sign(1, 1, &[1]).unwrap().pays_fee, Pays::No);
		let proof = Bridge::proof(1).unwrap();
		assert!(!proof.complete);
		assert_eq!(Bridge::unsigned_withdrawals(None, 10)[0].signed, vec![eth(1)]);
		// Relayer 0 signs: complete, and no longer listed for signing.
		assert_ok!(sign(0, 0, &[1]));
		System::assert_last_event(Event::<Test>::WithdrawalReady { nonce: 1, set_id: 0 }.into());
		let proof = Bridge::proof(1).unwrap();
		assert!(proof.complete);
		assert!(Bridge::unsigned_withdrawals(None, 10).is_empty());
		// The signatures are in the contract's order (ascending addresses), each recovering
		// to its relayer over the release digest.
		let digest = Bridge::release_digest(1, &Withdrawals::<Test>::get(1).unwrap()).unwrap();
		let signers: Vec<H160> = proof
			.signatures
			.chunks(65)
			.map(|s| eth::signer(&digest, s.try_into().unwrap()).unwrap())
			.collect();
		let mut expected = vec![eth(0), eth(1)];
		expected.sort();
		assert_eq!(signers, expected);
		// A third signature is not needed but is kept (the contract takes extra ones).
		assert_ok!(sign(2, 2, &[1]));
		assert_eq!(Bridge::proof(1).unwrap().signatures.len(), 3 * 65);
	});
}

#[test]
fn bad_withdrawals_get_precise_errors_and_burn_nothing() {
	build_and_execute(|| {
		assert_noop!(withdraw(ALICE, NMR - 1), Error::<Test>::BelowMinimum);
		assert_noop!(withdraw(ALICE, 1_000 * NMR + 1), Error::<Test>::AboveMaximum);
		assert_noop!(
			Bridge::withdraw(RuntimeOrigin::signed(ALICE), NMR, H160::zero()),
			Error::<Test>::ZeroRecipient
		);
		assert_noop!(withdraw(GUARDIAN, 2 * NMR), Error::<Test>::InsufficientBalance);
		assert_ok!(Bridge::pause(RuntimeOrigin::signed(GUARDIAN)));
		assert_noop!(withdraw(ALICE, NMR), Error::<Test>::BridgePaused);
		assert_ok!(Bridge::unpause(RuntimeOrigin::root()));
		LimitsSet::<Test>::kill();
		assert_noop!(withdraw(ALICE, NMR), Error::<Test>::NoLimits);
		LimitsSet::<Test>::put(limits());
		Contract::<Test>::kill();
		assert_noop!(withdraw(ALICE, NMR), Error::<Test>::NoContract);
		Contract::<Test>::put(contract());
		// The period's burn limit (5,000 NMR): the sixth 1,000 waits for the next period.
		for _ in 0..5 {
			votes(&[0, 1], deposit(NextDeposit::<Test>::get(), BOB, 1_000 * NMR));
		}
		for _ in 0..5 {
			assert_ok!(withdraw(BOB, 1_000 * NMR));
		}
		assert_noop!(withdraw(BOB, 1_000 * NMR), Error::<Test>::OverBurnLimit);
		System::set_block_number(1 + PERIOD);
		assert_ok!(withdraw(BOB, 1_000 * NMR));
		assert_eq!(TotalBurned::<Test>::get(), 6_000 * NMR);
	});
}

#[test]
fn only_the_relayers_own_valid_signatures_count() {
	build_and_execute(|| {
		assert_ok!(withdraw(ALICE, 10 * NMR));
		let digest = Bridge::release_digest(1, &Withdrawals::<Test>::get(1).unwrap()).unwrap();
		let submit = |i: usize, sig: EthSignature| {
			Bridge::submit_signatures(
				RuntimeOrigin::signed(RELAYERS[i]),
				BoundedVec::truncate_from(vec![(1, sig)]),
			)
		};
		assert_noop!(
			Bridge::submit_signatures(
				RuntimeOrigin::signed(ALICE),
				BoundedVec::truncate_from(vec![(1, signed(0, digest))])
			),
			Error::<Test>::NotRelayer
		);
		// Relayer 0 submitting relayer 1's signature, or the outsider key's.
		assert_noop!(submit(0, signed(1, digest)), Error::<Test>::WrongSigner);
		assert_noop!(submit(0, signed(3, digest)), Error::<Test>::WrongSigner);
		// A signature over something else recovers to another address.
		assert_noop!(submit(0, signed(0, [9; 32])), Error::<Test>::WrongSigner);
		// v = 0/1 (not what the contract takes), and the malleated twin (high s).
		let mut raw = signed(0, digest);
		raw[64] -= 27;
		assert_noop!(submit(0, raw), Error::<Test>::BadSignature);
		let mut twin = signed(0, digest);
		let n = polkadot_sdk::sp_core::U256::from_big_endian(&[
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c,
			0xd0, 0x36, 0x41, 0x41,
		]);
		let s = polkadot_sdk::sp_core::U256::from_big_endian(&twin[32..64]);
		twin[32..64].copy_from_slice(&(n - s).to_big_endian());
		twin[64] = if twin[64] == 27 { 28 } else { 27 };
		assert_noop!(submit(0, twin), Error::<Test>::BadSignature);
		assert_noop!(
			Bridge::submit_signatures(
				RuntimeOrigin::signed(RELAYERS[0]),
				BoundedVec::truncate_from(vec![(2, signed(0, digest))])
			),
			Error::<Test>::UnknownWithdrawal
		);
		// The same signature twice is skipped, and the call pays.
		assert_ok!(submit(0, signed(0, digest)));
		assert_eq!(submit(0, signed(0, digest)).unwrap().pays_fee, Pays::Yes);
		assert_eq!(Withdrawals::<Test>::get(1).unwrap().signatures.len(), 1);
		assert_ok!(Bridge::pause(RuntimeOrigin::root()));
		assert_noop!(submit(1, signed(1, digest)), Error::<Test>::BridgePaused);
		assert_ok!(Bridge::unpause(RuntimeOrigin::root()));
	});
}
