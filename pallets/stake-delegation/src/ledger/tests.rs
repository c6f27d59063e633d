//! Unit and property tests of the pool's books, without a runtime.

use super::*;
use proptest::prelude::*;

const NMR: u128 = ONE;

#[test]
fn a_cohort_buys_shares_at_the_price_and_leaves_with_its_value() {
	let mut l = ShareLedger::new();
	let shares = l.mint_live(1_000 * NMR, 2).unwrap();
	assert_eq!(shares, 1_000 * ONE);
	assert!(l.backs(1_000 * NMR));
	l.apply_gain(100 * NMR).unwrap();
	assert_eq!(l.price, ONE + ONE / 10);
	l.queue_exit(shares).unwrap();
	assert_eq!(l.burn_exits(shares), Some(1_100 * NMR));
	assert_eq!((l.shares, l.live_shares, l.exit_pot), (0, 0, 1_100 * NMR));
	assert!(l.backs(1_100 * NMR));
	l.pay_from_pot(1_100 * NMR).unwrap();
	assert!(l.backs(0));
}

#[test]
fn a_wipe_out_closes_the_epoch_and_pays_every_share_its_part() {
	let mut l = ShareLedger::new();
	l.mint_live(1_000 * NMR, 1).unwrap();
	l.to_owner(10 * ONE).unwrap();
	// A loss of all but a millionth of a planck per share.
	let value = l.value(l.shares).unwrap();
	l.apply_loss(value - 1).unwrap();
	assert!(l.wiped_out());
	let closed = l.close().unwrap();
	assert_eq!(closed.epoch, 0);
	assert!(closed.price < PRICE_FLOOR);
	assert_eq!(closed.total, 0);
	assert_eq!((l.epoch, l.price, l.shares, l.owner_shares), (1, ONE, 0, 0));
	assert_eq!(l.exit_pot, 0);
	// The planck that stayed behind is dust the ledger allows.
	assert!(l.backs(1));
}

#[test]
fn a_price_of_zero_with_no_shares_left_restarts_at_one() {
	let mut l = ShareLedger::new();
	let s = l.mint_live(NMR, 1).unwrap();
	l.apply_loss(NMR).unwrap();
	assert_eq!(l.price, 0);
	l.queue_exit(s).unwrap();
	assert_eq!(l.burn_exits(s), Some(0));
	assert!(!l.wiped_out());
	l.restart_price_if_empty();
	assert_eq!(l.price, ONE);
	assert_eq!(l.mint_live(NMR, 1), Some(ONE));
}

#[test]
fn a_repayment_with_no_stakers_left_stays_as_dust() {
	let mut l = ShareLedger::new();
	l.mint_live(NMR, 1).unwrap();
	l.to_owner(ONE).unwrap();
	l.repay(5).unwrap();
	assert_eq!(l.price, ONE);
	assert!(l.backs(NMR + 5));
}

#[test]
fn a_broken_book_is_refused_not_wrapped() {
	let mut l = ShareLedger::new();
	assert_eq!(l.queue_exit(1), None);
	assert_eq!(l.pay_from_pot(1), None);
	assert_eq!(l.owner_leaves_now(1), None);
	l.price = 0;
	assert_eq!(l.mint_live(NMR, 1), None);
}

#[test]
fn debt_is_repaid_before_anything_reaches_the_owner() {
	let mut b = OwnerBook { bond: 50, ..Default::default() };
	assert_eq!(b.cover_gain(80, 50), Some(30));
	assert_eq!((b.bond, b.debt), (0, 30));
	assert_eq!(b.credit(20), Some(20));
	assert_eq!((b.debt, b.payable), (10, 0));
	assert_eq!(b.credit(25), Some(10));
	assert_eq!((b.debt, b.payable), (0, 15));
	assert_eq!(b.take_payable(), (15, 0));
	assert!(!b.is_open());
	// A bond cannot pay more than it holds, nor more than was owed.
	assert_eq!(b.cover_gain(10, 1), None);
	assert_eq!(OwnerBook { bond: 5, ..Default::default() }.cover_gain(1, 2), None);
}

#[test]
fn bond_leaves_only_above_the_requirement() {
	let mut b = OwnerBook { bond: 100, ..Default::default() };
	assert_eq!(b.release_bond(101, 0), Err(BondRefused::ExceedsBond));
	assert_eq!(b.release_bond(60, 50), Err(BondRefused::BelowRequirement));
	assert_eq!(b.bond, 100);
	assert_eq!(b.release_bond(50, 50), Ok(50));
	assert_eq!(b.release_bond(50, 0), Ok(0));
}

#[test]
fn the_fee_calendar_follows_periods_and_served_rounds() {
	let mut c = FeeCalendar::starting(101, 5);
	let end = c.next_period_end;
	assert!((101..106).contains(&end));
	let r = c.settled(end, true, 5);
	assert_eq!((r.period_end, r.next_end, r.served_total), (end, end + 5, 1));
	assert_eq!(c.last_period_end, Some(end));
	let r = c.settled(end + 1, false, 5);
	assert_eq!((r.period_end, r.next_end, r.served_total), (end + 5, end + 5, 1));
	// A pool that restarts far later starts the period its next round is in.
	assert_eq!(c.period_of(end + 23, 5), maths::period_end_from(end + 23, 5));
}

#[test]
fn the_join_queue_keeps_cohorts_in_round_order_with_their_totals() {
	let mut q = JoinQueue::default();
	q.join(12, 30, 3).unwrap();
	q.join(10, 100, 0).unwrap();
	q.join(12, 20, 2).unwrap();
	assert_eq!(
		q.cohorts.iter().map(|c| (c.round, c.principal, c.members)).collect::<Vec<_>>(),
		vec![(10, 100, 1), (12, 50, 2)]
	);
	assert_eq!((q.queued, q.queued_prepaid, q.principal_at(12)), (150, 5, 50));
	q.exit_before_activation(10, 100).unwrap();
	assert_eq!(q.exit_before_activation(11, 1), Err(QueueRefused::NoCohort));
	q.cancel(12, 30, 3).unwrap();
	assert_eq!(q.cancel(12, 21, 0), Err(QueueRefused::Overflow));
	let c = q.activate(10).unwrap().unwrap();
	assert_eq!((c.principal, c.exiting, c.exiting_members), (100, 100, 1));
	assert_eq!(q.activate(11), Ok(None));
	assert_eq!((q.queued, q.queued_prepaid, q.queued_exiting), (20, 2, 0));
	q.cancel(12, 20, 2).unwrap();
	assert!(q.is_empty());
	for r in 0..MAX_PENDING_COHORTS {
		q.join(r, 1, 0).unwrap();
	}
	assert!(q.has_room_for(0) && !q.has_room_for(MAX_PENDING_COHORTS));
	assert_eq!(q.join(MAX_PENDING_COHORTS, 1, 0), Err(QueueRefused::Full));
}

#[test]
fn the_recorder_keeps_the_largest_open_requirement() {
	let mut r = RoundRecorder::through(9);
	assert_eq!(r.next(), 10);
	r.note_open_req(10, 50);
	r.note_open_req(11, 80);
	r.note_open_req(12, 30);
	r.note_open_req(13, 0);
	assert_eq!(r.open_requirement(), 80);
	r.settled(11);
	assert_eq!(r.open_requirement(), 30);
	r.settled(12);
	assert_eq!(r.open_requirement(), 0);
	// A full window folds later rounds into its smallest maximum.
	for round in 20..20 + MAX_OPEN_REQS + 3 {
		r.note_open_req(round, 1_000 - u128::from(round));
	}
	assert_eq!(r.open_reqs.len() as u32, MAX_OPEN_REQS);
	assert_eq!(r.open_reqs.last().map(|(round, _)| *round), Some(22 + MAX_OPEN_REQS));
	r.recorded_through = 30;
	r.reset_from(25);
	assert!(r.in_reset(30) && !r.in_reset(31) && r.open_requirement() == 0);
	r.reset_from(31);
	assert_eq!(r.reset_through, None);
}

#[test]
fn records_a_restart_skips_are_removed_a_few_at_a_time() {
	let mut r = RoundRecorder::through(40);
	r.note_record(45);
	r.note_record(43);
	assert_eq!(r.furthest, 45);
	// Expecting 38, restarting at 50: rounds 38..=45 may hold records.
	r.skip_to(38, 50);
	assert_eq!(r.stale, Some((38, 45)));
	// Restarting forward again merges the ranges; nothing beyond `furthest` is stale.
	r.skip_to(50, 60);
	assert_eq!(r.stale, Some((38, 45)));
	assert!(r.is_stale(44) && !r.is_stale(46));
	assert_eq!(r.take_stale(2), 38..40);
	assert_eq!(r.take_stale(5), 40..45);
	assert_eq!(r.take_stale(2), 45..46);
	assert_eq!((r.stale, r.take_stale(2)), (None, 0..0));
	// A restart backwards skips nothing.
	r.skip_to(60, 50);
	assert_eq!(r.stale, None);
}

/// A step of the property test: what a pool does to its ledger.
#[derive(Clone, Debug)]
enum Op {
	Join(u128, u32),
	JoinExiting(u128),
	Gain(u128),
	Loss(u128),
	Repay(u128),
	Donate(u128),
	Fee(u128),
	Queue(u128),
	Burn(u128),
	LeaveNow(u128, u128),
	OwnerLeaves(u128),
	Pay(u128),
}

fn op() -> impl Strategy<Value = Op> {
	let amount = prop_oneof![1u128..1_000, 1u128..1_000_000 * NMR];
	prop_oneof![
		(amount.clone(), 1u32..5).prop_map(|(a, m)| Op::Join(a, m)),
		amount.clone().prop_map(Op::JoinExiting),
		amount.clone().prop_map(Op::Gain),
		(0u128..=1_000).prop_map(Op::Loss),
		amount.clone().prop_map(Op::Repay),
		(1u128..1_000).prop_map(Op::Donate),
		(0u128..=1_000).prop_map(Op::Fee),
		(0u128..=1_000).prop_map(Op::Queue),
		(0u128..=1_000).prop_map(Op::Burn),
		((0u128..=1_000), (0u128..=1_000)).prop_map(|(a, b)| Op::LeaveNow(a, b)),
		(0u128..=1_000).prop_map(Op::OwnerLeaves),
		(0u128..=1_000).prop_map(Op::Pay),
	]
}

/// `per_mille` of `x`.
fn part(x: u128, per_mille: u128) -> u128 {
	maths::mul_div_floor(x, per_mille, 1_000).unwrap_or(0)
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(2_000))]

	/// Whatever a pool does, the planck it holds for the ledger back every share and the
	/// exit pot, with an excess of at most the dust allowance; a close pays every share
	/// its value at the closing price; shares add up.
	#[test]
	fn the_ledger_always_holds_what_it_owes(ops in proptest::collection::vec(op(), 1..60)) {
		let mut l = ShareLedger::new();
		// Planck held for the ledger; shares queued to exit (not live).
		let mut held: u128 = 0;
		let mut queued: u128 = 0;
		for op in ops {
			let before = l;
			let applied = match op {
				Op::Join(a, m) => l.mint_live(a, m).map(|_| held += a),
				Op::JoinExiting(a) => l.mint_exiting(a).map(|s| {
					held += a;
					queued += s;
				}),
				Op::Gain(a) => {
					let a = a.min(l.gain_room());
					l.apply_gain(a).map(|_| held += a)
				},
				Op::Loss(pm) => {
					let a = part(l.value(l.shares).unwrap_or(0), pm);
					l.apply_loss(a).map(|_| held -= a)
				},
				Op::Repay(a) => l.repay(a).map(|_| held += a),
				Op::Donate(a) => {
					l.absorb(a);
					held += a;
					Some(())
				},
				Op::Fee(pm) => {
					let s = part(l.live_shares - l.owner_shares - l.dust_shares, pm);
					l.to_owner(s)
				},
				Op::Queue(pm) => {
					let s = part(l.live_shares - l.owner_shares - l.dust_shares, pm);
					l.queue_exit(s).map(|_| queued += s)
				},
				Op::Burn(pm) => {
					let s = part(queued, pm);
					l.burn_exits(s).map(|_| queued -= s)
				},
				Op::LeaveNow(pm, fee_pm) => {
					let s = part(l.live_shares - l.owner_shares - l.dust_shares, pm);
					l.leave_now(s, part(s, fee_pm)).map(|(a, b)| held -= a + b)
				},
				Op::OwnerLeaves(pm) => {
					let s = part(l.owner_shares, pm);
					l.owner_leaves_now(s).map(|a| held -= a)
				},
				Op::Pay(pm) => {
					let a = part(l.exit_pot, pm);
					l.pay_from_pot(a).map(|_| held -= a)
				},
			};
			if applied.is_none() {
				// A refused transition is a broken book only if the inputs were valid;
				// here it can only be an arithmetic limit. Nothing may have changed.
				l = before;
				continue;
			}
			prop_assert!(l.backs(held), "{op:?}: held {held}, ledger {l:?}");
			prop_assert_eq!(l.live_shares + queued, l.shares);
			prop_assert!(l.owner_shares + l.dust_shares <= l.live_shares);
			if l.wiped_out() {
				let exit_pot = l.exit_pot;
				let c = l.close().unwrap();
				prop_assert_eq!(l.exit_pot, exit_pot + c.total - c.owner_part);
				held -= c.owner_part;
				queued = 0;
				prop_assert!(l.backs(held), "close: held {held}, ledger {l:?}");
			}
			l.restart_price_if_empty();
		}
	}
}
