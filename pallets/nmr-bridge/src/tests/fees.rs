//! A live chain's genesis holds no NMR: relayers must vote, sign and rotate without any. Their
//! accounts are held while they serve (and, once removed, until they signed the rotation), and
//! every call of theirs that counts is free; one that would not count is not.

use super::*;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::{CheckIfFeeless, Pays},
	},
	frame_system::RawOrigin,
};

fn feeless(who: AccountId, call: Call<Test>) -> bool {
	RuntimeCall::Bridge(call).is_feeless(&RawOrigin::Signed(who).into())
}

fn vote_call(d: DepositOf<Test>) -> Call<Test> {
	Call::vote_deposit { deposit: d }
}

fn sign_call(k: usize, nonces: &[u64]) -> Call<Test> {
	let sigs: Vec<_> = nonces.iter().map(|n| (*n, release_signature(k, *n))).collect();
	Call::submit_signatures { signatures: BoundedVec::truncate_from(sigs) }
}

fn exists(who: AccountId) -> bool {
	frame_system::Account::<Test>::contains_key(who)
}

#[test]
fn relayers_without_nmr_exist_and_their_counting_calls_are_free() {
	build_and_execute(|| {
		// Relayers 1 and 2 hold no NMR, yet their accounts exist (so their nonces do).
		assert_eq!(Balances::free_balance(RELAYERS[1]), 0);
		assert!(exists(RELAYERS[1]) && exists(RELAYERS[2]));
		assert_eq!(System::sufficients(&RELAYERS[1]), 1);

		// A vote that counts is free; the same vote again, a non-relayer's, or a vote for a
		// nonce not yet due, are not.
		let d = deposit(1, ALICE, NMR);
		assert!(feeless(RELAYERS[1], vote_call(d.clone())));
		assert!(!feeless(ALICE, vote_call(d.clone())));
		assert!(!feeless(RELAYERS[1], vote_call(deposit(2, ALICE, NMR))));
		assert_ok!(vote(1, d.clone()));
		assert!(!feeless(RELAYERS[1], vote_call(d.clone())));
		// A different version of the same deposit is an error, never free.
		assert!(!feeless(RELAYERS[1], vote_call(deposit(1, BOB, NMR))));
		assert_ok!(vote(2, d.clone()));
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT + NMR);
		// Stale once minted.
		assert!(!feeless(RELAYERS[0], vote_call(d)));

		// Signatures: free when every one counts.
		assert_ok!(Bridge::withdraw(RuntimeOrigin::signed(ALICE), 10 * NMR, eth_recipient()));
		assert_ok!(Bridge::withdraw(RuntimeOrigin::signed(ALICE), 10 * NMR, eth_recipient()));
		assert!(feeless(RELAYERS[1], sign_call(1, &[1, 2])));
		// Another relayer's key, or the same withdrawal twice in one call, are not free.
		assert!(!feeless(RELAYERS[1], sign_call(2, &[1])));
		assert!(!feeless(RELAYERS[1], sign_call(1, &[1, 1])));
		let unknown = vec![(9, signed(1, [7; 32]))];
		let unknown = Call::submit_signatures { signatures: BoundedVec::truncate_from(unknown) };
		assert!(!feeless(RELAYERS[1], unknown));
		assert_ok!(sign(1, 1, &[1]));
		assert!(!feeless(RELAYERS[1], sign_call(1, &[1, 2])));
		assert!(feeless(RELAYERS[1], sign_call(1, &[2])));
		// No signatures at all: not free, and refused.
		assert!(!feeless(RELAYERS[1], sign_call(1, &[])));
		assert_noop!(sign(1, 1, &[]), Error::<Test>::NoSignatures);
		// Once a proof is complete a further signer adds nothing: it may sign, and pays.
		assert_ok!(sign(2, 2, &[1]));
		assert!(Bridge::proof(1).is_some_and(|p| p.complete));
		assert!(!feeless(RELAYERS[0], sign_call(0, &[1])));
		assert_eq!(sign(0, 0, &[1]).map(|info| info.pays_fee), Ok(Pays::Yes));
		// Paused: nothing is free.
		assert_ok!(Bridge::pause(RuntimeOrigin::signed(GUARDIAN)));
		assert!(!feeless(RELAYERS[1], sign_call(1, &[2])));
		assert!(!feeless(RELAYERS[1], vote_call(deposit(2, ALICE, NMR))));
	});
}

#[test]
fn a_leaving_relayer_is_kept_until_it_signed_the_rotation_and_a_joining_one_is_held() {
	build_and_execute(|| {
		assert!(!exists(RELAYERS[3]));
		let relayers = [1, 2, 3].map(|i| (RELAYERS[i], eth(i)));
		assert_ok!(Bridge::set_relayers(
			RuntimeOrigin::root(),
			BoundedVec::truncate_from(relayers.to_vec()),
			2
		));
		// Relayer 3 joined with no NMR and exists; relayer 0 left but stays until the
		// rotation is signed; relayer 1 stayed and is held once, not twice.
		assert!(exists(RELAYERS[3]));
		assert_eq!(System::sufficients(&RELAYERS[1]), 1);
		assert_eq!(Leaving::<Test>::get().to_vec(), vec![RELAYERS[0]]);
		assert_eq!(System::sufficients(&RELAYERS[0]), 1);

		let digest = Bridge::rotation(1).unwrap().digest;
		let rotation_call =
			|k: usize| Call::<Test>::sign_rotation { set_id: 1, signature: signed(k, digest) };
		// An outgoing signer's signature is free to submit (from any existing account); one
		// from outside the outgoing set, or a second time, is not.
		assert!(feeless(RELAYERS[1], rotation_call(1)));
		assert!(!feeless(RELAYERS[1], rotation_call(3)));
		assert_ok!(Bridge::sign_rotation(RuntimeOrigin::signed(RELAYERS[1]), 1, signed(1, digest)));
		assert!(!feeless(RELAYERS[1], rotation_call(1)));
		assert_eq!(Leaving::<Test>::get().len(), 1);
		assert_ok!(Bridge::sign_rotation(RuntimeOrigin::signed(RELAYERS[0]), 1, signed(0, digest)));
		// Signed: relayer 0 is released. It holds 1 NMR, so its account stays as an ordinary one.
		assert!(Leaving::<Test>::get().is_empty());
		assert_eq!(System::sufficients(&RELAYERS[0]), 0);
		assert!(exists(RELAYERS[0]));

		// Relayer 2 leaves next, holding no NMR: its account goes once the rotation is signed.
		let relayers = [0, 1, 3].map(|i| (RELAYERS[i], eth(i)));
		assert_ok!(Bridge::set_relayers(
			RuntimeOrigin::root(),
			BoundedVec::truncate_from(relayers.to_vec()),
			2
		));
		assert_eq!(System::sufficients(&RELAYERS[0]), 1);
		let digest = Bridge::rotation(2).unwrap().digest;
		let rotation_call_2 =
			|k: usize| Call::<Test>::sign_rotation { set_id: 2, signature: signed(k, digest) };
		for k in [2, 3] {
			assert_ok!(Bridge::sign_rotation(
				RuntimeOrigin::signed(RELAYERS[k]),
				2,
				signed(k, digest)
			));
		}
		assert!(!exists(RELAYERS[2]));
		// A third signature after completion pays, and changes no reference.
		assert!(!feeless(RELAYERS[1], rotation_call_2(1)));
		assert_ok!(Bridge::sign_rotation(RuntimeOrigin::signed(RELAYERS[1]), 2, signed(1, digest)));
		assert_eq!(System::sufficients(&RELAYERS[1]), 1);
	});
}

#[test]
fn minting_a_deferred_deposit_is_free_when_it_mints() {
	build_and_execute(|| {
		votes(&[0, 1], deposit(1, ALICE, 6_000 * NMR));
		let mint = || Call::<Test>::mint_deferred {};
		// Nothing deferred: not free.
		assert!(!feeless(RELAYERS[1], mint()));
		votes(&[0, 1], deposit(2, BOB, 5_000 * NMR));
		// Deferred but over this period's limit: it would fail, so it is not free.
		assert!(!feeless(RELAYERS[1], mint()));
		System::set_block_number(1 + PERIOD);
		// Now it mints: free for anyone, relayers without NMR included; then not again.
		assert!(feeless(RELAYERS[1], mint()));
		assert!(feeless(ALICE, mint()));
		assert_ok!(Bridge::mint_deferred(RuntimeOrigin::signed(RELAYERS[1])));
		assert!(!feeless(RELAYERS[1], mint()));
		// Paused: not free.
		votes(&[0, 1], deposit(3, BOB, 4_000 * NMR));
		votes(&[0, 1], deposit(4, BOB, 4_000 * NMR));
		assert_eq!(Bridge::status().deferred, Some(4));
		System::set_block_number(1 + 2 * PERIOD);
		assert_ok!(Bridge::pause(RuntimeOrigin::signed(GUARDIAN)));
		assert!(!feeless(RELAYERS[1], mint()));
	});
}
