//! Deposits: votes, the quorum, order, dissent, limits, stranded deposits.

use super::*;
use polkadot_sdk::frame_support::{
	assert_noop, assert_ok, dispatch::Pays, traits::fungible::Inspect,
};

#[test]
fn a_quorum_of_identical_votes_mints_a_deposit_exactly_once() {
	build_and_execute(|| {
		let d = deposit(1, ALICE, 100 * NMR);
		let hash = Bridge::deposit_hash(&d);
		// A vote that counts is free.
		assert_eq!(vote(0, d.clone()).unwrap().pays_fee, Pays::No);
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT);
		assert_ok!(vote(1, d.clone()));
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT + 100 * NMR);
		assert!(events().contains(&Event::DepositMinted {
			nonce: 1,
			recipient: ALICE,
			amount: 100 * NMR,
			tx_hash: d.tx_hash
		}));
		assert!(events().contains(&Event::DepositVoted { nonce: 1, relayer: RELAYERS[0], hash }));
		assert_eq!(NextDeposit::<Test>::get(), 2);
		assert_eq!(TotalMinted::<Test>::get(), 100 * NMR);
		// The third relayer, late, and anyone voting it again: stale, nothing more minted.
		assert_eq!(vote(2, d.clone()).unwrap().pays_fee, Pays::Yes);
		assert_ok!(vote(0, d));
		System::assert_last_event(
			Event::<Test>::StaleVote { nonce: 1, relayer: RELAYERS[0] }.into(),
		);
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT + 100 * NMR);
		assert_eq!(DepositVotes::<Test>::iter().count(), 0);
		assert_eq!(DepositCandidates::<Test>::iter().count(), 0);
	});
}

/// Relayer 2 lies: it votes a forged version of each real deposit (another amount, another
/// recipient) and a deposit that never happened. Neither mints, the bridge goes on, and each
/// lie is recorded as dissent.
#[test]
fn one_lying_relayer_can_neither_mint_nor_halt_and_its_dissent_is_counted() {
	build_and_execute(|| {
		let real = deposit(1, ALICE, 100 * NMR);
		let mut forged = real.clone();
		forged.amount = 100_000 * NMR;
		assert_ok!(vote(2, forged.clone()));
		assert_ok!(vote(0, real.clone()));
		System::assert_has_event(
			Event::<Test>::DepositVoted {
				nonce: 1,
				relayer: RELAYERS[0],
				hash: Bridge::deposit_hash(&real),
			}
			.into(),
		);
		assert_ok!(vote(1, real.clone()));
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT + 100 * NMR);
		System::assert_has_event(
			Event::<Test>::DepositDissent {
				nonce: 1,
				relayer: RELAYERS[2],
				voted: Bridge::deposit_hash(&forged),
				minted: Bridge::deposit_hash(&real),
				count: 1,
			}
			.into(),
		);
		// A deposit that never happened, to the liar's friend, first: it waits alone.
		let phantom = deposit(2, BOB, 5 * NMR);
		assert_ok!(vote(2, phantom));
		assert_eq!(Balances::balance(&BOB), ENDOWMENT);
		// The real deposit 2 comes, and the honest two mint it.
		let mut real_2 = deposit(2, ALICE, 7 * NMR);
		real_2.log_index = 9;
		votes(&[0, 1], real_2);
		assert_eq!(Balances::balance(&BOB), ENDOWMENT);
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT + 107 * NMR);
		assert_eq!(Dissents::<Test>::get(RELAYERS[2]), 2);
		assert_eq!(Dissents::<Test>::get(RELAYERS[0]), 0);
		assert_eq!(Bridge::status().relayers.iter().map(|r| r.2).sum::<u32>(), 2);
	});
}

#[test]
fn deposits_mint_in_nonce_order_and_a_relayer_keeps_its_vote() {
	build_and_execute(|| {
		assert_noop!(vote(0, deposit(2, ALICE, NMR)), Error::<Test>::NotNextDeposit);
		assert_ok!(vote(0, deposit(1, ALICE, NMR)));
		assert_noop!(vote(0, deposit(1, ALICE, 2 * NMR)), Error::<Test>::AlreadyVoted);
		assert_noop!(vote(0, deposit(2, ALICE, NMR)), Error::<Test>::NotNextDeposit);
	});
}

#[test]
fn bad_votes_get_precise_errors_and_change_nothing() {
	build_and_execute(|| {
		let d = deposit(1, ALICE, NMR);
		assert_noop!(
			Bridge::vote_deposit(RuntimeOrigin::signed(ALICE), d.clone()),
			Error::<Test>::NotRelayer
		);
		// The fourth key's account is not a relayer either.
		assert_noop!(
			Bridge::vote_deposit(RuntimeOrigin::signed(RELAYERS[3]), d.clone()),
			Error::<Test>::NotRelayer
		);
		let mut other_chain = d.clone();
		other_chain.chain_id = 1;
		assert_noop!(vote(0, other_chain), Error::<Test>::WrongContract);
		let mut other_contract = d.clone();
		other_contract.contract = H160::repeat_byte(0xcc);
		assert_noop!(vote(0, other_contract), Error::<Test>::WrongContract);
		assert_noop!(vote(0, deposit(1, ALICE, 0)), Error::<Test>::ZeroAmount);
		assert_ok!(Bridge::pause(RuntimeOrigin::signed(GUARDIAN)));
		assert_noop!(vote(0, d.clone()), Error::<Test>::BridgePaused);
		assert_ok!(Bridge::unpause(RuntimeOrigin::root()));
		LimitsSet::<Test>::kill();
		assert_noop!(vote(0, d.clone()), Error::<Test>::NoLimits);
		LimitsSet::<Test>::put(limits());
		Contract::<Test>::kill();
		assert_noop!(vote(0, d), Error::<Test>::NoContract);
		Contract::<Test>::put(contract());
	});
}

#[test]
fn a_deposit_over_the_periods_mint_limit_waits_and_one_over_a_whole_period_waits_for_governance() {
	build_and_execute(|| {
		votes(&[0, 1], deposit(1, ALICE, 6_000 * NMR));
		votes(&[0, 1], deposit(2, BOB, 5_000 * NMR));
		assert_eq!(Balances::balance(&BOB), ENDOWMENT);
		assert!(events().contains(&Event::MintDeferred { nonce: 2, amount: 5_000 * NMR }));
		assert_eq!(Bridge::status().deferred, Some(2));
		// No votes on deposit 3 until 2 is minted, and not within this period.
		assert_noop!(vote(0, deposit(3, ALICE, NMR)), Error::<Test>::DepositDeferred);
		assert_noop!(
			Bridge::mint_deferred(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::OverMintLimit
		);
		System::set_block_number(1 + PERIOD);
		assert_ok!(Bridge::mint_deferred(RuntimeOrigin::signed(ALICE)));
		assert_eq!(Balances::balance(&BOB), ENDOWMENT + 5_000 * NMR);
		assert_noop!(
			Bridge::mint_deferred(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::NothingDeferred
		);
		// 50,000 NMR is more than a period's limit (the contract's largest deposit should not
		// be): it waits until governance raises the limit, which bounds what even a corrupted
		// quorum can mint per period.
		votes(&[0, 1], deposit(3, ALICE, 50_000 * NMR));
		assert_eq!(Bridge::status().deferred, Some(3));
		System::set_block_number(1 + 2 * PERIOD);
		assert_noop!(
			Bridge::mint_deferred(RuntimeOrigin::signed(BOB)),
			Error::<Test>::OverMintLimit
		);
		let mut raised = limits();
		raised.max_mint = 100_000 * NMR;
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), raised));
		assert_ok!(Bridge::mint_deferred(RuntimeOrigin::signed(BOB)));
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT + 56_000 * NMR);
	});
}

#[test]
fn a_deposit_its_recipient_cannot_take_is_stranded_and_governance_mints_it_elsewhere() {
	build_and_execute(|| {
		// Below the existential deposit, to an account that does not exist.
		votes(&[0, 1], deposit(1, 77, ED - 1));
		assert_eq!(Balances::balance(&77), 0);
		assert!(Stranded::<Test>::contains_key(1));
		assert!(events().iter().any(|e| matches!(e, Event::DepositStranded { nonce: 1, .. })));
		// The bridge goes on with deposit 2.
		votes(&[0, 1], deposit(2, ALICE, NMR));
		assert_eq!(NextDeposit::<Test>::get(), 3);
		assert_noop!(
			Bridge::rescue_stranded(RuntimeOrigin::signed(ALICE), 1, ALICE),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			Bridge::rescue_stranded(RuntimeOrigin::root(), 2, ALICE),
			Error::<Test>::UnknownStranded
		);
		assert_ok!(Bridge::rescue_stranded(RuntimeOrigin::root(), 1, ALICE));
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT + NMR + ED - 1);
		assert!(!Stranded::<Test>::contains_key(1));
	});
}
