//! Fees: fixed per served round, performance above the high-water mark, in shares at each
//! period end; commitments prepaid and discounted; terms versions; recommitting; the owner's
//! fee position. Fee periods are five rounds in the mock: they end at rounds 104, 109, 114...

use super::*;
use crate::maths::{self, ONE};
use numerstake_primitives::DelegationInspect;
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

const R: RoundIndex = START_ROUND;
const CENT: Balance = NMR / 100;

use super::run_rounds as run;

fn settle(who: AccountId, m: ModelId, index: DelegationIndex) {
	assert_ok!(StakeDelegation::settle(RuntimeOrigin::signed(DAVE), who, m, index, 8));
}

#[test]
fn rolling_delegations_pay_the_fixed_fee_per_served_round_in_shares() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 0);
		run(m, R + 4, |_| 0);
		// The view says a settle has one period to walk, and none once it has run.
		assert_eq!(StakeDelegation::positions_of(ALICE)[0].settle_periods, 1);
		settle(ALICE, m, 0);
		assert_eq!(StakeDelegation::positions_of(ALICE)[0].settle_periods, 0);
		// Rounds 102..=104 served, 0.01 NMR each, at price 1.
		let d = delegation(ALICE, m, 0);
		assert_eq!(d.shares, 1_000 * NMR - 3 * CENT);
		assert_eq!(d.fees_paid, 3 * CENT);
		assert_eq!(d.fees_through, R + 4);
		assert_eq!(d.next_fee_round, R + 9);
		assert_eq!(pool(m).ledger.owner_shares, 3 * CENT);
		assert!(events().contains(&Event::FeesSettled {
			staker: ALICE,
			model: m,
			index: 0,
			through: R + 4,
			fee_shares: 3 * CENT,
			fee_value: 3 * CENT
		}));
	});
}

#[test]
fn rounds_not_served_are_not_charged() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 0);
		open_until(R + 4);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m));
		resolve_through(m, R + 2, 0);
		finalize(m, R + 3, RoundReturn::NotSubmitted);
		resolve(m, R + 4, 10 * NMR, 0); // backing breach: 10 of 1,000 NMR staked
		settle(ALICE, m, 0);
		assert_eq!(delegation(ALICE, m, 0).fees_paid, CENT, "only round 102 was served");
	});
}

#[test]
fn the_performance_fee_is_charged_only_above_the_high_water_mark() {
	build_and_execute(|| {
		let m = model_with(Terms { fixed_fee: ladder(&[]), ..basic_terms() }, 100_000 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		// +2 % in round 102, flat to the period end at 104.
		run(m, R + 4, |r| if r == R + 2 { 200 } else { 0 });
		settle(ALICE, m, 0);
		let price = ONE + ONE / 50;
		// 20 % of the 20 NMR gained, in shares at 1.02.
		let fee_shares = maths::shares_for(4 * NMR, price).unwrap();
		let d = delegation(ALICE, m, 0);
		assert_eq!(d.shares, 1_000 * NMR - fee_shares);
		assert_eq!(d.hwm, price);
		// Down 1 % then up 0.5 %: still below the mark at 109, no fee.
		run(m, R + 9, |r| match r - R {
			5 => -100,
			6 => 50,
			_ => 0,
		});
		settle(ALICE, m, 0);
		assert_eq!(delegation(ALICE, m, 0).shares, 1_000 * NMR - fee_shares);
		assert!(pool(m).ledger.price < price);
	});
}

#[test]
fn commitments_prepay_the_fixed_fee_and_discount_the_performance_fee() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 10); // rounds 102..=111, 10 % off
		run(m, R + 4, |r| if r == R + 2 { 200 } else { 0 });
		settle(ALICE, m, 0);
		// No fixed fee (prepaid); 18 % of the 20 NMR gained.
		let price = ONE + ONE / 50;
		let d = delegation(ALICE, m, 0);
		assert_eq!(d.shares, 1_000 * NMR - maths::shares_for(36 * NMR / 10, price).unwrap());
		// The owner received the prepaid fee when the cohort activated.
		assert_eq!(pool(m).book.payable, 9 * CENT);
		// After the commitment ends (111) the delegation rolls at the current terms: rounds
		// 112..=114 pay the fixed fee.
		run(m, R + 14, |_| 0);
		let before = delegation(ALICE, m, 0).fees_paid;
		settle(ALICE, m, 0);
		let d = delegation(ALICE, m, 0);
		assert_eq!(d.fees_through, R + 14);
		let charged = d.fees_paid - before;
		// 3 rounds at 0.01 NMR, valued at the period-end price of 1.02 (rounded down).
		assert!(charged <= 3 * CENT && charged + 2 >= 3 * CENT, "charged {charged}");
		assert!(d.commitments.is_empty(), "the ended commitment is settled past and dropped");
	});
}

#[test]
fn rolling_delegations_move_to_new_terms_from_their_effective_round() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 0);
		join(BOB, m, 1_000 * NMR, 10);
		// At round 101 the owner halves the fixed fee from round 107 (notice of 5 rounds).
		open_round();
		let cheaper = Terms { fixed_fee: ladder(&[(100_000 * NMR, NMR / 200)]), ..basic_terms() };
		assert_ok!(Registry::set_terms(RuntimeOrigin::signed(OWNER), m, cheaper, Some(R + 7)));
		run(m, R + 9, |_| 0);
		settle(ALICE, m, 0);
		settle(BOB, m, 1);
		// Alice: 102..=106 at 0.01, 107..=109 at 0.005.
		assert_eq!(delegation(ALICE, m, 0).fees_paid, 5 * CENT + 3 * CENT / 2);
		assert_eq!(delegation(ALICE, m, 0).terms_version, 1);
		// Bob is committed on version 0: nothing charged (prepaid), version 0 still in use.
		assert_eq!(delegation(BOB, m, 1).fees_paid, 0);
		assert!(<StakeDelegation as DelegationInspect<AccountId>>::terms_version_in_use(&m, 0));
	});
}

#[test]
fn settling_late_gives_the_same_result_as_settling_every_period() {
	build_and_execute(|| {
		let a = bonded_model();
		register_active(OTHER_OWNER, other_model(), basic_terms());
		let b = other_model();
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OTHER_OWNER), b, 100_000 * NMR));
		join(ALICE, a, 1_000 * NMR, 0);
		join(BOB, b, 1_000 * NMR, 0);
		let bp = |r: RoundIndex| [150, -80, 40, 0, 210, -30, 90][(r % 7) as usize];
		for through in (R + 4..=R + 39).step_by(5) {
			run(a, through, bp);
			run(b, through, bp);
			settle(ALICE, a, 0);
		}
		for _ in 0..2 {
			settle(BOB, b, 0);
		}
		let (da, db) = (delegation(ALICE, a, 0), delegation(BOB, b, 0));
		assert_eq!(
			(da.shares, da.fees_paid, da.hwm, da.fees_through),
			(db.shares, db.fees_paid, db.hwm, db.fees_through)
		);
		assert_eq!(pool(a).ledger.owner_shares, pool(b).ledger.owner_shares);
		assert!(da.fees_paid > 0);
	});
}

#[test]
fn an_exiting_delegation_pays_fees_due_after_its_request_from_its_exit_value() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 0);
		run(m, R + 2, |_| 0);
		open_until(R + 6);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m));
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		// Exposed through 106; the period end 104 and the exit round 106 crystallise fees.
		run(m, R + 6, |_| 0);
		let payable = pool(m).book.payable;
		let before = free(ALICE);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0));
		// Five served rounds (102..=106) at 0.01 NMR.
		assert_eq!(free(ALICE) - before, 1_000 * NMR - 5 * CENT);
		assert_eq!(pool(m).book.payable - payable, 5 * CENT);
		assert_eq!(
			pool(m).ledger.owner_shares,
			0,
			"fees of a leaving position are paid, not moved"
		);
	});
}

#[test]
fn recommitting_after_a_term_buys_another_term_at_the_latest_terms() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 10); // 102..=111
		run(m, R + 5, |_| 0);
		assert_noop!(
			StakeDelegation::recommit(RuntimeOrigin::signed(ALICE), m, 0, 10, 0),
			Error::<Test>::Locked
		);
		run(m, R + 11, |_| 0);
		open_round(); // 112
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m));
		assert_noop!(
			StakeDelegation::recommit(RuntimeOrigin::signed(ALICE), m, 0, 0, 0),
			Error::<Test>::ZeroTerm
		);
		assert_noop!(
			StakeDelegation::recommit(RuntimeOrigin::signed(ALICE), m, 0, 7, 0),
			Error::<Test>::CommitmentNotOffered
		);
		assert_noop!(
			StakeDelegation::recommit(RuntimeOrigin::signed(ALICE), m, 0, 20, 3),
			Error::<Test>::TermsChanged
		);
		let before = free(ALICE);
		assert_ok!(StakeDelegation::recommit(RuntimeOrigin::signed(ALICE), m, 0, 20, 0));
		// 20 rounds at 0.01 NMR, 20 % off.
		assert_eq!(before - free(ALICE), 16 * CENT);
		let d = delegation(ALICE, m, 0);
		assert_eq!(d.commitments.last().map(|c| (c.start, c.end)), Some((R + 13, R + 32)));
		assert!(events().contains(&Event::Recommitted {
			staker: ALICE,
			model: m,
			index: 0,
			start: R + 13,
			end: R + 32,
			prepaid: 16 * CENT
		}));
		join(BOB, m, 100 * NMR, 0);
		assert_noop!(
			StakeDelegation::recommit(RuntimeOrigin::signed(BOB), m, 1, 10, 0),
			Error::<Test>::NotActive
		);
	});
}

#[test]
fn the_owner_exits_fee_shares_like_any_staker() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 0);
		run(m, R + 4, |_| 0);
		settle(ALICE, m, 0);
		assert_eq!(pool(m).ledger.owner_shares, 3 * CENT);
		assert_noop!(
			StakeDelegation::exit_fee_shares(RuntimeOrigin::signed(ALICE), m, CENT),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			StakeDelegation::exit_fee_shares(RuntimeOrigin::signed(OWNER), m, 4 * CENT),
			Error::<Test>::InsufficientFeeShares
		);
		assert_noop!(
			StakeDelegation::exit_fee_shares(RuntimeOrigin::signed(OWNER), m, 0),
			Error::<Test>::ZeroAmount
		);
		open_round(); // 105
		assert_ok!(StakeDelegation::exit_fee_shares(RuntimeOrigin::signed(OWNER), m, 2 * CENT));
		assert_noop!(
			StakeDelegation::withdraw_fee_exit(RuntimeOrigin::signed(OWNER), m, R + 5),
			Error::<Test>::NotYetReleased
		);
		assert_noop!(
			StakeDelegation::withdraw_fee_exit(RuntimeOrigin::signed(OWNER), m, R + 6),
			Error::<Test>::NoFeeExit
		);
		run(m, R + 5, |_| 0);
		let before = free(OWNER);
		assert_ok!(StakeDelegation::withdraw_fee_exit(RuntimeOrigin::signed(OWNER), m, R + 5));
		assert_eq!(free(OWNER) - before, 2 * CENT);
		assert_eq!(pool(m).ledger.owner_shares, CENT);
	});
}
