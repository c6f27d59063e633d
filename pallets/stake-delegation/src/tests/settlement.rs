//! Settling rounds: lazy requirements, activation, returns against the bond, backing breaches,
//! debt, exit cohorts, deferred results, epoch closes.

use super::*;
use crate::maths::ONE;
use polkadot_sdk::frame_support::assert_ok;

const R: RoundIndex = START_ROUND;

/// Alice (1,000 NMR) and Bob (3,000 NMR) active from round 102.
fn two_stakers() -> ModelId {
	let m = model_with(free_terms(), 100_000 * NMR);
	join(ALICE, m, 1_000 * NMR, 0);
	join(BOB, m, 3_000 * NMR, 0);
	open_until(R + 2);
	m
}

#[test]
fn requirements_are_recorded_when_the_pool_is_next_touched() {
	build_and_execute(|| {
		let m = two_stakers();
		// Rounds 101 and 102 opened; nothing touched the pool yet.
		assert_eq!(pool(m).recorder.recorded_through, R);
		resolve(m, R, NMR, 0);
		assert_eq!(pool(m).recorder.recorded_through, R + 2);
		assert_eq!(requirement_of(m, R + 1), 0, "nothing was exposed to round 101");
		assert_eq!(requirement_of(m, R + 2), 4_000 * NMR, "the cohort of round 102");
		assert_eq!(StakeDelegation::pool_view(m).unwrap().requirement_next, 4_000 * NMR);
	});
}

#[test]
fn a_cohort_activates_at_the_price_when_its_first_round_settles() {
	build_and_execute(|| {
		let m = two_stakers();
		resolve_through(m, R + 1, 0);
		// Round 102: +2 % on a fully backed 4,000 NMR stake: 80 NMR from the bond.
		let bond = bond_held(OWNER);
		resolve(m, R + 2, 4_000 * NMR, 80 * NMR as i128);
		let p = pool(m);
		assert_eq!(p.ledger.shares, 4_000 * NMR);
		assert_eq!(p.ledger.price, ONE + ONE / 50);
		assert_eq!(bond_held(OWNER), bond - 80 * NMR);
		assert_eq!(position_value(ALICE, m, 0), 1_020 * NMR);
		assert_eq!(position_value(BOB, m, 1), 3_060 * NMR);
		let rec = History::<Test>::get(m, R + 2).unwrap();
		assert_eq!((rec.price_before, rec.price_after, rec.served), (ONE, p.ledger.price, true));
	});
}

#[test]
fn losses_go_to_the_owner_whose_numerai_stake_took_the_burn() {
	build_and_execute(|| {
		let m = two_stakers();
		resolve_through(m, R + 1, 0);
		resolve(m, R + 2, 4_000 * NMR, -(40 * NMR as i128));
		let p = pool(m);
		assert_eq!(p.ledger.price, ONE - ONE / 100);
		assert_eq!(p.book.payable, 40 * NMR);
		let before = free(OWNER);
		assert_ok!(StakeDelegation::claim_owner_payable(RuntimeOrigin::signed(OWNER), m));
		assert_eq!(free(OWNER), before + 40 * NMR);
		assert_eq!(position_value(ALICE, m, 0), 990 * NMR);
	});
}

#[test]
fn staking_less_than_required_scales_the_return_and_is_a_breach() {
	build_and_execute(|| {
		let m = two_stakers();
		resolve_through(m, R + 1, 0);
		// The owner staked 2,000 of the 4,000 NMR required; Numerai paid 2 % of 2,000.
		resolve(m, R + 2, 2_000 * NMR, 40 * NMR as i128);
		let p = pool(m);
		assert_eq!(p.ledger.price, ONE + ONE / 100, "the stakers get 2 % of half their stake");
		assert_eq!(p.last_breach, Some((R + 2, Freed::BackingBreach)));
		let record = pallet_model_registry::Records::<Test>::get(m);
		assert_eq!(record.backing_breaches, 1);
		assert!(events().contains(&Event::BackingBreach {
			model: m,
			round: R + 2,
			requirement: 4_000 * NMR,
			at_risk: 2_000 * NMR
		}));
		assert!(!History::<Test>::get(m, R + 2).unwrap().served);
	});
}

#[test]
fn staking_more_than_required_pays_only_the_required_part() {
	build_and_execute(|| {
		let m = two_stakers();
		resolve_through(m, R + 1, 0);
		// 10,000 NMR at risk (the owner's own stake too), +1 %: the pool's part is 40 NMR.
		resolve(m, R + 2, 10_000 * NMR, 100 * NMR as i128);
		assert_eq!(pool(m).ledger.price, ONE + ONE / 100);
	});
}

#[test]
fn a_gain_the_bond_cannot_pay_is_owner_debt() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 1_000 * NMR);
		join(ALICE, m, 4_000 * NMR, 0);
		open_until(R + 2);
		resolve_through(m, R + 1, 0);
		// The bond (1,000 NMR) keeps the delegation within 25 %, but a 5 % gain of 200 NMR on a
		// bond unbonded to 150 NMR is not covered.
		let p = pool(m);
		assert_eq!(p.book.bond, 1_000 * NMR);
		Pools::<Test>::mutate(m, |p| {
			let p = p.as_mut().unwrap();
			p.book.bond = 150 * NMR;
		});
		assert_ok!(<Balances as polkadot_sdk::frame_support::traits::fungible::MutateHold<
			AccountId,
		>>::release(
			&HoldReason::OwnerBond.into(),
			&OWNER,
			850 * NMR,
			polkadot_sdk::frame_support::traits::tokens::Precision::Exact
		));
		resolve(m, R + 2, 4_000 * NMR, 200 * NMR as i128);
		let p = pool(m);
		assert_eq!(p.book.bond, 0);
		assert_eq!(p.book.debt, 50 * NMR);
		assert_eq!(
			p.ledger.price,
			ONE + 150 * ONE / 4_000,
			"the price moves only by what was paid"
		);
		assert!(Operators::<Test>::get(OWNER).debt == 50 * NMR);
		assert!(<StakeDelegation as DelegationInspect<AccountId>>::has_debt(&OWNER));
		// Bonding repays the debt into the pool first.
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), m, 2_000 * NMR));
		let p = pool(m);
		assert_eq!((p.book.debt, p.book.bond), (0, 1_950 * NMR));
		assert_eq!(p.ledger.price, ONE + 200 * ONE / 4_000);
	});
}

#[test]
fn an_exit_cohort_leaves_at_the_price_after_its_last_round() {
	build_and_execute(|| {
		let m = two_stakers();
		resolve_through(m, R + 2, 0);
		// Alice asks to exit while round 102 is the latest: she stays exposed to round 102...
		open_round(); // 103
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		assert_eq!(delegation(ALICE, m, 0).stage, Stage::Exiting { last_round: R + 3 });
		// ...and to 103, which had opened: +1 % on both.
		resolve(m, R + 3, 4_000 * NMR, 40 * NMR as i128);
		let p = pool(m);
		assert_eq!(p.ledger.shares, 3_000 * NMR);
		assert_eq!(p.ledger.exit_pot, 1_010 * NMR);
		let before = free(ALICE);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0));
		assert_eq!(free(ALICE), before + 1_010 * NMR);
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::Withdrawn { amount, .. } if *amount == 1_010 * NMR)));
		// Round 104 exposes only Bob.
		open_round();
		resolve(m, R + 4, 3_030 * NMR, 0);
		assert_eq!(requirement_of(m, R + 5), 0);
		assert_eq!(pool(m).recorder.next_shares, 3_000 * NMR);
	});
}

#[test]
fn settlement_costs_the_same_however_many_stakers() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 100_000 * NMR);
		for who in 10..40 {
			join(who, m, 100 * NMR, 0);
		}
		open_until(R + 2);
		resolve_through(m, R + 1, 0);
		resolve(m, R + 2, 3_000 * NMR, 30 * NMR as i128);
		// One settlement activated thirty delegations without touching any of them.
		assert_eq!(pool(m).ledger.shares, 3_000 * NMR);
		for who in 10..40 {
			assert_eq!(delegation(who, m, (who - 10) as u32).stage, Stage::Queued);
			assert_eq!(position_value(who, m, (who - 10) as u32), 101 * NMR);
		}
	});
}

#[test]
fn a_round_not_submitted_earns_nothing_and_frees_commitments() {
	build_and_execute(|| {
		let m = two_stakers();
		resolve_through(m, R + 1, 0);
		let served = pool(m).calendar.served_rounds;
		finalize(m, R + 2, RoundReturn::NotSubmitted);
		let p = pool(m);
		assert_eq!(p.ledger.price, ONE);
		assert_eq!(p.calendar.served_rounds, served, "a missed round is not served");
		assert_eq!(p.last_breach, Some((R + 2, Freed::BackingBreach)));
	});
}

#[test]
fn results_after_a_long_oracle_stall_wait_for_catch_up() {
	build_and_execute(|| {
		let m = two_stakers();
		resolve_through(m, R + 2, 0);
		// Ten rounds open while the oracle finalises nothing of this model.
		open_until(R + 12);
		resolve(m, R + 3, 4_000 * NMR, 40 * NMR as i128);
		let p = pool(m);
		assert_eq!(p.deferred, Some((R + 3, 1)));
		assert_eq!(p.recorder.recorded_through, R + 6, "four rounds recorded per settlement");
		resolve(m, R + 4, 4_000 * NMR, 0);
		assert_eq!(pool(m).recorder.recorded_through, R + 10);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(CHARLIE), m));
		let p = pool(m);
		assert_eq!(p.recorder.recorded_through, R + 12);
		assert_eq!(p.deferred, None);
		assert_eq!(p.last_finalised, Some(R + 4));
		// Every requirement was recorded from the state before round 103 was settled.
		for r in R + 5..=R + 12 {
			assert_eq!(requirement_of(m, r), 4_000 * NMR, "round {r}");
		}
		assert_eq!(p.ledger.price, ONE + ONE / 100);
	});
}

#[test]
fn a_wiped_out_pool_pays_its_shares_out_and_starts_a_new_epoch() {
	build_and_execute(|| {
		let m = two_stakers();
		resolve_through(m, R + 1, 0);
		// Charlie joins while round 103 is the latest: his first round is 105.
		open_round(); // 103
		join(CHARLIE, m, 500 * NMR, 0);
		// Round 102 loses (almost) everything.
		resolve(m, R + 2, 4_000 * NMR, -(4_000 * NMR as i128 - 1_000_000_000));
		let p = pool(m);
		assert_eq!(p.ledger.epoch, 1);
		assert_eq!((p.ledger.price, p.ledger.shares), (ONE, 0));
		let close = EpochCloses::<Test>::get(m, 0).unwrap();
		assert_eq!(close.round, R + 2);
		assert!(events().iter().any(|e| matches!(e, Event::EpochClosed { .. })));
		// Alice and Bob are paid out at the close price.
		let before = free(ALICE);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0));
		assert!(free(ALICE) - before <= 250_000_000);
		// Round 103 (recorded with the old shares before the close) exposes nobody now;
		// Charlie's cohort activates at round 105 at price 1.
		resolve(m, R + 3, 4_000 * NMR, 40 * NMR as i128);
		assert_eq!(pool(m).ledger.price, ONE);
		open_until(R + 5);
		resolve(m, R + 4, 500 * NMR, 5 * NMR as i128);
		assert_eq!(pool(m).ledger.price, ONE, "round 104 exposed nobody");
		resolve(m, R + 5, 500 * NMR, 5 * NMR as i128);
		assert_eq!(position_value(CHARLIE, m, 2), 505 * NMR);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(BOB), m, 1));
	});
}
