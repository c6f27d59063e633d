//! The outside review's findings, each as a user's story that failed before its fix: pools
//! that follow the oracle after a model is watched afresh, exposure that capacity and bonds
//! count, rounding dust, debt across pools, the owner's fee exits, fees of immediate exits,
//! under-bonding across a suspension, epoch closes (also at price 0), results that cannot be
//! applied, and performance-fee rates that change inside a period.

use super::*;
use crate::maths::ONE;
use numerstake_primitives::{DelegationInspect, ModelStatus};
use polkadot_sdk::frame_support::{assert_noop, assert_ok, dispatch::DispatchResultWithPostInfo};

const R: RoundIndex = START_ROUND;
const CENT: Balance = NMR / 100;

fn delegate(who: AccountId, m: ModelId, amount: Balance) -> DispatchResultWithPostInfo {
	StakeDelegation::delegate(RuntimeOrigin::signed(who), m, amount, 0, version(m), None)
}

#[test]
fn a_model_registered_again_settles_its_new_stakers() {
	build_and_execute(|| {
		// Alice stakes, leaves; the owner empties the pool and deregisters the model.
		let m = bonded_model();
		join(ALICE, m, 100 * NMR, 0);
		run_rounds(m, R + 3, |_| 0);
		exit(ALICE, m, 0);
		assert_ok!(StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, 100_000 * NMR));
		assert_ok!(StakeDelegation::claim_owner_payable(RuntimeOrigin::signed(OWNER), m));
		assert_ok!(Registry::retire_model(RuntimeOrigin::signed(OWNER), m));
		assert_ok!(Registry::deregister_model(RuntimeOrigin::signed(OWNER), m));
		// Anyone unwatches it; a week later the owner registers it again (the oracle follows
		// it from round 111) and bonds: the old pool is used again.
		oracle_unwatch(m);
		open_until(R + 10);
		register_active(OWNER, m, basic_terms());
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), m, 10_000 * NMR));
		assert_eq!(StakeDelegation::next_to_settle(&pool(m)), Some(R + 11));
		// Bob's stake is settled from the oracle's first result of the new watch.
		let bob = join(BOB, m, 100 * NMR, 0);
		assert_eq!(delegation(BOB, m, bob).first_round, R + 12);
		open_until(R + 12);
		resolve(m, R + 11, NMR, 0);
		resolve(m, R + 12, 100 * NMR, NMR as i128);
		assert_eq!(position_value(BOB, m, bob), 101 * NMR);
		open_round();
		exit(BOB, m, bob);
		resolve(m, R + 13, 100 * NMR, 0);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(BOB), m, bob));
	});
}

#[test]
fn an_idle_pool_unwatched_and_watched_again_follows_the_oracle() {
	build_and_execute(|| {
		let m = bonded_model();
		run_rounds(m, R + 1, |_| 0);
		// Governance unwatches the idle pool's model and watches it again days later.
		oracle_unwatch(m);
		open_until(R + 6);
		oracle_watch(m, None);
		join(ALICE, m, 100 * NMR, 0);
		open_until(R + 8);
		resolve(m, R + 7, NMR, 0);
		resolve(m, R + 8, 100 * NMR, NMR as i128);
		assert_eq!(position_value(ALICE, m, 0), 101 * NMR);
	});
}

#[test]
fn a_model_watched_from_a_later_round_takes_joins_from_that_round() {
	build_and_execute(|| {
		let m = bonded_model();
		oracle_unwatch(m);
		oracle_watch(m, Some(R + 5));
		join(ALICE, m, 100 * NMR, 0);
		assert_eq!(delegation(ALICE, m, 0).first_round, R + 5);
		// Until round 105 opens Alice can still cancel; after it, she is exposed from it.
		open_until(R + 5);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(BOB), m));
		resolve(m, R + 5, 100 * NMR, NMR as i128);
		assert_eq!(position_value(ALICE, m, 0), 101 * NMR);
		exit(ALICE, m, 0);
	});
}

#[test]
fn capacity_and_the_bond_count_committed_exits_still_exposed() {
	build_and_execute(|| {
		let terms = Terms { capacity: 1_500 * NMR, max_delegation: 1_500 * NMR, ..free_terms() };
		let m = model_with(terms, 300 * NMR);
		// Alice commits 1,000 NMR for rounds 102..=111 and asks to leave: she stays exposed
		// to the end of her commitment.
		join(ALICE, m, 1_000 * NMR, 10);
		run_rounds(m, R + 2, |_| 0);
		exit(ALICE, m, 0);
		assert_eq!(delegation(ALICE, m, 0).stage, Stage::Exiting { last_round: R + 11 });
		assert_eq!(StakeDelegation::projected(&pool(m)).unwrap(), 1_000 * NMR);
		// Bob's 600 would take round 104's exposure to 1,600 > capacity 1,500, and 400 would
		// need a bond of 350 > 300.
		assert_noop!(delegate(BOB, m, 600 * NMR), Error::<Test>::CapacityExceeded);
		assert_noop!(delegate(BOB, m, 400 * NMR), Error::<Test>::InsufficientBond);
		assert_ok!(delegate(BOB, m, 200 * NMR));
	});
}

#[test]
fn rounding_dust_never_keeps_a_pool_open() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 10_000 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		// +1 % on round 102: the price is 1.01 when Bob's and Charlie's cohort activates.
		run_rounds(m, R + 2, |r| if r == R + 2 { 100 } else { 0 });
		assert_eq!(pool(m).ledger.price, ONE + ONE / 100);
		join(BOB, m, 100 * NMR, 0);
		join(CHARLIE, m, 100 * NMR, 0);
		run_rounds(m, R + 4, |_| 0);
		for (who, index) in [(ALICE, 0), (BOB, 1), (CHARLIE, 2)] {
			exit(who, m, index);
		}
		// Two members' floors leave one share nobody holds.
		let p = pool(m);
		assert_eq!((p.delegations, p.ledger.dust_shares, p.ledger.shares), (0, 1, 1));
		assert_eq!(StakeDelegation::requirement_next(&p).unwrap(), 0);
		// Gains on the dust are no one's and cost the owner nothing, even with no bond left.
		assert_ok!(StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, pool(m).book.bond));
		run_rounds(m, R + 7, |_| 500);
		assert_eq!(pool(m).book.debt, 0);
		assert!(!<StakeDelegation as DelegationInspect<AccountId>>::has_debt(&OWNER));
		assert_ok!(Registry::retire_model(RuntimeOrigin::signed(OWNER), m));
		assert_ok!(Registry::deregister_model(RuntimeOrigin::signed(OWNER), m));
	});
}

#[test]
fn an_owner_in_debt_anywhere_takes_nothing_out_of_any_pool() {
	build_and_execute(|| {
		let m = model_with(basic_terms(), 250 * NMR);
		let other = other_model();
		register_active(OWNER, other, basic_terms());
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), other, 1_000 * NMR));
		join(ALICE, m, 1_000 * NMR, 0);
		open_until(R + 4);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m));
		resolve_through(m, R + 1, 0);
		// +30 %: a 300 NMR gain on a 250 NMR bond leaves 50 NMR of debt in `m`.
		resolve(m, R + 2, 1_000 * NMR, 300 * NMR as i128);
		assert_eq!(pool(m).book.debt, 50 * NMR);
		assert_noop!(
			StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), other, NMR),
			Error::<Test>::InDebt
		);
		assert_noop!(
			StakeDelegation::exit_fee_shares(RuntimeOrigin::signed(OWNER), other, 1),
			Error::<Test>::InDebt
		);
		// Repaid, the other pool's bond is free again.
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), m, 50 * NMR));
		assert_ok!(StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), other, NMR));
	});
}

#[test]
fn the_owners_fee_exit_is_paid_to_the_owner_before_the_model_can_go() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 0);
		run_rounds(m, R + 4, |_| 0);
		exit(ALICE, m, 0);
		let fee_shares = pool(m).ledger.owner_shares;
		assert_eq!(fee_shares, 3 * CENT);
		// The owner's fee shares leave after round 105, which is not settled yet.
		open_round();
		assert_ok!(StakeDelegation::exit_fee_shares(RuntimeOrigin::signed(OWNER), m, fee_shares));
		// (What round 105 requires of the bond stays until it settles.)
		assert_ok!(StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, 99_999 * NMR));
		assert_ok!(Registry::retire_model(RuntimeOrigin::signed(OWNER), m));
		assert!(<StakeDelegation as DelegationInspect<AccountId>>::has_obligations(&m));
		assert_noop!(
			Registry::deregister_model(RuntimeOrigin::signed(OWNER), m),
			pallet_model_registry::Error::<Test>::HasObligations
		);
		run_rounds(m, R + 5, |_| 0);
		let before = free(OWNER);
		assert_ok!(StakeDelegation::withdraw_fee_exit(RuntimeOrigin::signed(OWNER), m, R + 5));
		assert_eq!(free(OWNER) - before, 3 * CENT);
		assert_ok!(StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, pool(m).book.bond));
		assert_ok!(Registry::deregister_model(RuntimeOrigin::signed(OWNER), m));
	});
}

#[test]
fn an_immediate_exit_pays_the_fees_of_its_partial_period() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 0);
		// Served: 102..=104 (the period ending at 104) and 105..=107 of the next one.
		run_rounds(m, R + 7, |_| 0);
		let payable = pool(m).book.payable;
		let before = free(ALICE);
		exit(ALICE, m, 0);
		assert_eq!(free(ALICE) - before, 1_000 * NMR - 6 * CENT);
		// The finished period's fee is in the owner's fee position, the partial one in NMR.
		let p = pool(m);
		assert_eq!(p.ledger.owner_shares, 3 * CENT);
		assert_eq!(p.book.payable - payable, 3 * CENT);
	});
}

#[test]
fn a_suspension_does_not_forget_under_bonding() {
	build_and_execute(|| {
		let m = model_with(basic_terms(), 250 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		run_rounds(m, R + 2, |r| if r == R + 2 { 1_000 } else { 0 });
		let status = || pallet_model_registry::Models::<Test>::get(m).map(|i| i.status);
		assert_eq!(status(), Some(ModelStatus::UnderBonded));
		assert_ok!(Registry::suspend_model(RuntimeOrigin::root(), m));
		assert_ok!(Registry::resume_model(RuntimeOrigin::root(), m));
		assert_eq!(status(), Some(ModelStatus::UnderBonded));
		// Bonding enough makes it active again.
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), m, 1_000 * NMR));
		assert_eq!(status(), Some(ModelStatus::Active));
	});
}

#[test]
fn cohorts_activating_after_a_close_are_required_for_every_round_they_are_in() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 100_000 * NMR);
		join(ALICE, m, 4_000 * NMR, 0);
		open_until(R + 2);
		resolve_through(m, R + 1, 0);
		join(CHARLIE, m, 500 * NMR, 0); // first round 104
		open_round(); // 103
		join(DAVE, m, 300 * NMR, 0); // first round 105
		open_until(R + 6);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(BOB), m));
		// Round 102 takes (almost) everything: the epoch closes with rounds 103..=106 recorded
		// with Alice's shares, which are paid out.
		resolve(m, R + 2, 4_000 * NMR, -(4_000 * NMR as i128 - 1_000_000_000));
		assert_eq!(pool(m).ledger.epoch, 1);
		resolve(m, R + 3, NMR, 0);
		resolve(m, R + 4, 500 * NMR, 5 * NMR as i128);
		resolve(m, R + 5, 800 * NMR, 8 * NMR as i128);
		resolve(m, R + 6, 800 * NMR, 8 * NMR as i128);
		let settled: Vec<_> = (R + 3..=R + 6).map(|r| settled_requirement(m, r)).collect();
		assert_eq!(settled, vec![0, 500 * NMR, 800 * NMR, 800 * NMR]);
		// What they earned: 21 NMR between them, less rounding (the price has 18 decimals:
		// up to a planck per NMR of shares each round).
		let values = position_value(CHARLIE, m, 1) + position_value(DAVE, m, 2);
		assert!(values <= 821 * NMR && values + 3_000 >= 821 * NMR, "{values}");
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0));
	});
}

#[test]
fn an_epoch_closed_at_price_zero_pays_every_old_position() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 0);
		join(BOB, m, 500 * NMR, 0);
		run_rounds(m, R + 3, |_| 0);
		// Round 104, a fee-period end, burns the whole stake: the price is 0.
		run_rounds(m, R + 4, |r| if r == R + 4 { -10_000 } else { 0 });
		let p = pool(m);
		assert_eq!((p.ledger.epoch, EpochCloses::<Test>::get(m, 0).map(|c| c.price)), (1, Some(0)));
		assert_eq!(StakeDelegation::positions_of(ALICE).len(), 1);
		for (who, index) in [(ALICE, 0), (BOB, 1)] {
			assert_ok!(StakeDelegation::settle(RuntimeOrigin::signed(DAVE), who, m, index, 8));
			assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(who), m, index));
		}
		assert_eq!(pool(m).delegations, 0);
	});
}

#[test]
fn a_result_that_cannot_be_applied_never_freezes_the_pool() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 100_000 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		run_rounds(m, R + 1, |_| 0);
		open_until(R + 3);
		// Applying round 102's result fails: it is settled as not submitted instead, and said.
		FailReturn::set(Some(R + 2));
		resolve(m, R + 2, 1_000 * NMR, 10 * NMR as i128);
		assert!(events().contains(&Event::SettlementFailed {
			model: m,
			round: R + 2,
			error: Error::<Test>::Overflow.into()
		}));
		let p = pool(m);
		assert_eq!((p.last_finalised, p.deferred, p.ledger.price), (Some(R + 2), None, ONE));
		assert_eq!(delegation(ALICE, m, 0).stage, Stage::Queued);
		// The next result applies as usual and Alice can leave.
		resolve(m, R + 3, 1_000 * NMR, 10 * NMR as i128);
		assert_eq!(position_value(ALICE, m, 0), 1_010 * NMR);
		exit(ALICE, m, 0);
	});
}

#[test]
fn each_performance_fee_rate_applies_to_the_rise_in_its_own_rounds() {
	build_and_execute(|| {
		let twenty = Terms {
			fixed_fee: ladder(&[]),
			performance_fee: ladder(&[(Balance::MAX, Permill::from_percent(20))]),
			..basic_terms()
		};
		let m = model_with(twenty.clone(), 100_000 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		// From round 107 the fee is 10 %; the pool rises 2 % in rounds 105 and 106, under 20 %.
		open_round();
		let ten = Terms {
			performance_fee: ladder(&[(Balance::MAX, Permill::from_percent(10))]),
			..twenty
		};
		assert_ok!(Registry::set_terms(RuntimeOrigin::signed(OWNER), m, ten, Some(R + 7)));
		run_rounds(m, R + 9, |r| if r == R + 5 || r == R + 6 { 100 } else { 0 });
		assert_eq!(pool(m).ledger.price, ONE + ONE / 50);
		assert_ok!(StakeDelegation::settle(RuntimeOrigin::signed(DAVE), ALICE, m, 0, 8));
		let paid = delegation(ALICE, m, 0).fees_paid;
		assert!(paid <= 4 * NMR && paid + 2 >= 4 * NMR, "20 % of the 20 NMR rise, paid {paid}");
	});
}

#[test]
fn a_pool_whose_last_shares_leave_at_price_zero_takes_new_stakers_at_one() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 100_000 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		run_rounds(m, R + 2, |_| 0);
		open_round(); // 103
		exit(ALICE, m, 0);
		join(BOB, m, 500 * NMR, 0); // first round 105
							  // Round 103, Alice's last, burns everything: her shares leave worth nothing.
		run_rounds(m, R + 3, |_| -10_000);
		assert_eq!((pool(m).ledger.shares, pool(m).ledger.price), (0, ONE));
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0));
		// Bob's cohort activates at 1 and earns as usual.
		run_rounds(m, R + 5, |r| if r == R + 5 { 100 } else { 0 });
		assert_eq!(position_value(BOB, m, 1), 505 * NMR);
	});
}

/// Alice commits 1,000 NMR for rounds 102..=111 and asks to exit once round 102 has opened
/// (her exit waits for her cohort to activate and her commitment to end); round 102 activates
/// her cohort and takes all but a planck per million NMR: the epoch closes. Returns her index.
fn committed_exit_caught_by_a_close(m: ModelId) -> DelegationIndex {
	let alice = join(ALICE, m, 1_000 * NMR, 10);
	open_until(R + 2);
	resolve_through(m, R + 1, 0);
	exit(ALICE, m, alice);
	assert_eq!(delegation(ALICE, m, alice).stage, Stage::QueuedExit { last_round: R + 11 });
	resolve(m, R + 2, 1_000 * NMR, -(1_000 * NMR as i128 - 1_000_000_000));
	assert_eq!(pool(m).ledger.epoch, 1);
	alice
}

#[test]
fn an_exit_asked_before_activation_and_caught_by_a_close_is_paid_at_the_close() {
	// Found by the fuzzer: the books valued such an exit at the exit price a later epoch
	// recorded for the same round, not at the close its shares were paid out at.
	build_and_execute(|| {
		let m = bonded_model();
		let alice = committed_exit_caught_by_a_close(m);
		let bob = join(BOB, m, 500 * NMR, 0); // first round 104
		let close = EpochCloses::<Test>::get(m, 0).unwrap();
		assert_eq!((pool(m).ledger.epoch, close.round), (1, R + 2));
		// The new epoch records its own exit at round 111, at its own price.
		run_rounds(m, R + 10, |_| 0);
		open_round();
		exit(BOB, m, bob);
		run_rounds(m, R + 11, |_| 100);
		assert!(Exits::<Test>::get(m, R + 11).is_some_and(|e| e.epoch == 1 && e.price > ONE));
		StakeDelegation::do_try_state().unwrap();
		let before = free(ALICE);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, alice));
		let shares = maths::shares_for(1_000 * NMR, ONE).unwrap();
		assert_eq!(free(ALICE) - before, maths::value_of(shares, close.price).unwrap());
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(BOB), m, bob));
	});
}

/// At a price of 1.01 (Carol's gain, Carol gone), Alice and Dave join and stay, Bob joins
/// and asks to exit before the cohort activates at round 104; once 105 has opened Alice and
/// Dave ask to exit too (taking their shares). The stayers' cohort shares exceed theirs by one
/// share (the remainder). Returns `(m, alice, dave, bob)`.
fn stayers_and_an_early_leaver() -> (ModelId, DelegationIndex, DelegationIndex, DelegationIndex) {
	let m = model_with(free_terms(), 1_000 * NMR);
	let carol = join(CHARLIE, m, 1_000 * NMR, 0);
	run_rounds(m, R + 2, |_| 100);
	exit(CHARLIE, m, carol);
	assert_eq!((pool(m).ledger.shares, pool(m).ledger.price), (0, ONE + ONE / 100));
	let alice = join(ALICE, m, 100 * NMR, 0);
	let dave = join(DAVE, m, 100 * NMR, 0);
	let bob = join(BOB, m, 100 * NMR, 0);
	open_until(R + 4);
	exit(BOB, m, bob);
	run_rounds(m, R + 4, |_| 0);
	open_round();
	exit(ALICE, m, alice);
	exit(DAVE, m, dave);
	(m, alice, dave, bob)
}

#[test]
fn a_round_recorded_with_a_cohorts_remainder_holds_no_bond_once_only_dust_is_left() {
	// Found by the fuzzer: a round recorded while a cohort's shares were not all taken counted
	// the cohort's rounding remainder; after every position left, that remainder was dust but
	// the round, not yet finalised, still kept a planck of bond, so the owner of an idle pool
	// could not unbond all of it.
	build_and_execute(|| {
		let (m, alice, dave, bob) = stayers_and_an_early_leaver();
		open_round();
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(PAUPER), m));
		// The stayers took their shares as they asked to exit: the remainder is dust at once,
		// and round 106 is recorded with nothing exposed (before, it counted the remainder).
		assert_eq!(requirement_of(m, R + 6), 0);
		resolve(m, R + 5, 200 * NMR, 0);
		for (who, index) in [(ALICE, alice), (DAVE, dave), (BOB, bob)] {
			assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(who), m, index));
		}
		let p = pool(m);
		assert_eq!((p.delegations, p.ledger.shares, p.ledger.dust_shares), (0, 1, 1));
		// Round 106 is still open, but nothing but dust is exposed to it.
		assert_ok!(StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, p.book.bond));
		resolve(m, R + 6, 1, 1);
		assert_eq!((settled_requirement(m, R + 6), pool(m).book.debt), (0, 0));
	});
}

#[test]
fn an_early_leaver_who_has_not_withdrawn_keeps_no_remainder_exposed() {
	// Found by a helper reviewing the fix above: the cohort's remainder became dust only when
	// its early leavers had taken their shares too, though theirs are in their exit cohort.
	build_and_execute(|| {
		let (m, alice, dave, bob) = stayers_and_an_early_leaver();
		run_rounds(m, R + 8, |_| 0);
		for (who, index) in [(ALICE, alice), (DAVE, dave)] {
			assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(who), m, index));
		}
		// Bob is owed a fixed amount from the exit pot and exposed to nothing.
		assert!(matches!(delegation(BOB, m, bob).stage, Stage::QueuedExit { .. }));
		let p = pool(m);
		assert_eq!((p.ledger.shares, p.ledger.dust_shares, p.delegations), (1, 1, 1));
		assert_eq!(StakeDelegation::requirement_next(&p), Ok(0));
		assert_ok!(StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, p.book.bond));
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(BOB), m, bob));
	});
}

#[test]
fn records_a_restarted_pool_skips_are_pruned() {
	// Found by the fuzzer: an exit cohort recorded for a round after an epoch close outlived
	// its positions (paid at the close); the pool, idle, was unwatched and watched again later
	// and restarted past that round, which it then never settled: the record stayed for ever.
	build_and_execute(|| {
		let m = bonded_model();
		let alice = committed_exit_caught_by_a_close(m);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, alice));
		assert!(Cohorts::<Test>::get(m, R + 11).exit_members > 0);
		oracle_unwatch(m);
		open_until(R + 20);
		oracle_watch(m, None);
		// The owner's next call finds the pool idle and restarts it at the oracle's next round.
		assert_ok!(StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, NMR));
		assert_eq!(pool(m).last_finalised, Some(R + 20));
		assert_eq!(pool(m).recorder.stale, Some((R + 3, R + 11)));
		StakeDelegation::do_try_state().unwrap();
		// Two records a settled round go.
		run_rounds(m, R + 25, |_| 0);
		assert!(!Cohorts::<Test>::contains_key(m, R + 11));
		assert_eq!(pool(m).recorder.stale, None);
	});
}
