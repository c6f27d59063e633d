//! Attacks found by an adversarial review of the fixes (each failed before its fix): debt
//! repaid into a pool left with dust or only the owner's fee shares, unbonding what open rounds
//! still need, history pruning after a restart, exits before activation inside a reset, and a
//! pool watched again from an earlier round.

use super::*;
use crate::maths::{self, ONE};
use polkadot_sdk::frame_support::assert_ok;

const R: RoundIndex = START_ROUND;

/// Opens and settles `m`'s rounds one at a time up to `through` (each recorded when it opens,
/// after the previous one settled), paying `payout(round, requirement)`.
fn settle_each(m: ModelId, through: RoundIndex, payout: impl Fn(RoundIndex, Balance) -> i128) {
	loop {
		let next = pool(m).last_finalised.map_or(START_ROUND, |l| l + 1);
		if next > through {
			break;
		}
		open_until(next);
		let _ = StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m);
		let req = requirement_of(m, next).max(NMR);
		resolve(m, next, req, payout(next, req));
	}
}

/// A pool whose stakers all left, leaving one rounding-dust share, and whose owner owes
/// `debt` (a gain the bond could not pay).
fn dusty_pool_in_debt(debt: Balance) -> ModelId {
	let m = model_with(free_terms(), 26_500 * NMR);
	join(ALICE, m, 100_000 * NMR, 0);
	settle_each(m, R + 2, |r, req| if r == R + 2 { (req / 100) as i128 } else { 0 });
	assert_eq!(pool(m).ledger.price, ONE + ONE / 100);
	join(BOB, m, 100 * NMR, 0);
	join(CHARLIE, m, 100 * NMR, 0);
	// +5 % a round (the runtime's largest) for four rounds, then one gain the bond misses by
	// `debt`.
	settle_each(m, R + 8, |r, req| if r >= R + 5 { (req / 20) as i128 } else { 0 });
	let left = pool(m).book.bond;
	settle_each(m, R + 9, |_, _| (left + debt) as i128);
	assert_eq!(pool(m).book.debt, debt);
	for (who, index) in [(ALICE, 0), (BOB, 1), (CHARLIE, 2)] {
		exit(who, m, index);
	}
	let p = pool(m);
	assert_eq!(p.delegations, 0);
	assert!(p.ledger.dust_shares > 0 && p.ledger.shares == p.ledger.dust_shares, "{p:?}");
	m
}

#[test]
fn an_owner_can_always_repay_debt_into_a_pool_left_with_dust() {
	build_and_execute(|| {
		// The owner also runs another, healthy pool.
		register_active(OWNER, other_model(), basic_terms());
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), other_model(), 1_000 * NMR));
		let m = dusty_pool_in_debt(1_000 * NMR);
		// The repayment goes into the single dust share: 1,000 NMR * 1e18 / 1 share overflows;
		// in chunks, the price reaches u128::MAX after about 340 NMR.
		let r = StakeDelegation::bond(RuntimeOrigin::signed(OWNER), m, 1_000 * NMR);
		println!("bond 1,000 NMR at once: {r:?}");
		for _ in 0..10 {
			let r = StakeDelegation::bond(RuntimeOrigin::signed(OWNER), m, 100 * NMR);
			println!(
				"bond 100 NMR: {r:?}, debt {}, price {}",
				pool(m).book.debt,
				pool(m).ledger.price
			);
		}
		let other = StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), other_model(), NMR);
		assert!(
			pool(m).book.debt == 0 && other.is_ok(),
			"debt left {}, unbond elsewhere {other:?}",
			pool(m).book.debt
		);
	});
}

#[test]
fn a_debt_repaid_into_dust_does_not_wipe_out_the_next_staker() {
	build_and_execute(|| {
		let m = dusty_pool_in_debt(200 * NMR);
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), m, 300 * NMR));
		println!("price after repaying 200 NMR into dust: {}", pool(m).ledger.price);
		let dave = join(DAVE, m, 150 * NMR, 0);
		let first = delegation(DAVE, m, dave).first_round;
		settle_each(m, first, |_, _| 0);
		let v = position_value(DAVE, m, dave);
		assert!(v + NMR / 1_000 >= 150 * NMR, "Dave's 150 NMR are worth {v}");
	});
}

#[test]
fn debt_repaid_into_the_owners_fee_shares_does_not_come_back_to_the_owner() {
	build_and_execute(|| {
		let m = model_with(basic_terms(), 260 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		settle_each(m, R + 9, |_, req| (req / 20) as i128);
		assert!(pool(m).book.debt > 0);
		// Alice leaves at once (every opened round is settled); her fees become fee shares.
		exit(ALICE, m, 0);
		let p = pool(m);
		assert!(p.delegations == 0 && p.ledger.owner_shares > 0, "{p:?}");
		let debt = p.book.debt;
		let fee_value = maths::value_of(p.ledger.owner_shares, p.ledger.price).unwrap();
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), m, debt));
		assert_eq!(pool(m).book.debt, 0);
		let shares = pool(m).ledger.owner_shares;
		let before = free(OWNER);
		assert_ok!(StakeDelegation::exit_fee_shares(RuntimeOrigin::signed(OWNER), m, shares));
		let received = free(OWNER) - before;
		assert!(
			received <= fee_value + 1,
			"repaid {debt}, fee shares were worth {fee_value}, the owner got {received} back"
		);
	});
}

#[test]
fn the_owner_cannot_unbond_the_bond_that_open_rounds_still_need() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 1_000 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		settle_each(m, R + 3, |_, _| 0);
		// Rounds 104 and 105 are open (Numerai resolves them weeks later); Alice leaves after 105.
		open_until(R + 5);
		exit(ALICE, m, 0);
		assert_eq!(delegation(ALICE, m, 0).stage, Stage::Exiting { last_round: R + 5 });
		let unbonded = StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, 1_000 * NMR);
		// Round 104 (1,000 NMR exposed) gains 5 %.
		resolve(m, R + 4, 1_000 * NMR, 50 * NMR as i128);
		assert!(
			unbonded.is_err() && pool(m).book.debt == 0,
			"unbond: {unbonded:?}; Alice's gain unpaid (debt {})",
			pool(m).book.debt
		);
	});
}

#[test]
fn history_stays_within_its_depth_after_a_pool_restarts() {
	build_and_execute(|| {
		let m = bonded_model();
		settle_each(m, R + 3, |_, _| 0);
		// Unwatched for a while (idle pool), then watched again from the round after the latest.
		oracle_unwatch(m);
		open_until(R + 420);
		oracle_watch(m, None);
		open_until(R + 421);
		resolve(m, R + 421, NMR, 0);
		settle_each(m, R + 421 + HISTORY_DEPTH, |_, _| 0);
		let kept = History::<Test>::iter_prefix(m).count() as u32;
		assert!(kept <= HISTORY_DEPTH, "{kept} records kept, depth {HISTORY_DEPTH}");
	});
}

#[test]
fn an_exit_before_activation_inside_a_reset_leaves_the_requirement_after_its_round() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 100_000 * NMR);
		join(ALICE, m, 4_000 * NMR, 0);
		open_until(R + 2);
		resolve_through(m, R + 1, 0);
		let charlie = join(CHARLIE, m, 500 * NMR, 0); // first round 104
		open_round(); // 103
		let dave = join(DAVE, m, 300 * NMR, 0); // first round 105
		open_round(); // 104: Charlie's first round is open; he leaves after it
		exit(CHARLIE, m, charlie);
		open_until(R + 6);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(BOB), m));
		resolve(m, R + 2, 4_000 * NMR, -(4_000 * NMR as i128 - 1_000_000_000));
		assert_eq!(pool(m).ledger.epoch, 1);
		resolve(m, R + 3, NMR, 0);
		resolve(m, R + 4, 500 * NMR, 0);
		resolve(m, R + 5, 300 * NMR, 0);
		resolve(m, R + 6, 300 * NMR, 0);
		let settled: Vec<_> = (R + 3..=R + 6).map(|r| settled_requirement(m, r)).collect();
		assert_eq!(settled, vec![0, 500 * NMR, 300 * NMR, 300 * NMR]);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(CHARLIE), m, charlie));
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0));
		open_round();
		exit(DAVE, m, dave);
		resolve(m, R + 7, 300 * NMR, 0);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(DAVE), m, dave));
	});
}

#[test]
fn a_pool_watched_again_from_an_earlier_round_settles_a_new_staker() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 100_000 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		settle_each(m, R + 8, |_, req| (req / 100) as i128);
		exit(ALICE, m, 0);
		assert!(pool(m).delegations == 0);
		// Governance unwatches the idle pool and watches it again from round 105 (in the past).
		oracle_unwatch(m);
		open_until(R + 12);
		oracle_watch(m, Some(R + 5));
		let bob = join(BOB, m, 100 * NMR, 0);
		assert_eq!(delegation(BOB, m, bob).first_round, R + 14);
		assert_eq!(StakeDelegation::next_to_settle(&pool(m)), Some(R + 5));
		StakeDelegation::do_try_state().unwrap();
		settle_each(m, R + 14, |r, req| if r == R + 14 { (req / 100) as i128 } else { 0 });
		assert_eq!(settled_requirement(m, R + 14), 100 * NMR);
		let v = position_value(BOB, m, bob);
		assert!((100 * NMR..=101 * NMR).contains(&v), "{v}");
		exit(BOB, m, bob);
	});
}
