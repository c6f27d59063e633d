//! Property tests of the money maths.

use super::*;
use proptest::prelude::*;

const NMR: u128 = ONE;
/// 10^9 NMR, the design's largest amount.
const MAX_AMOUNT: u128 = 1_000_000_000 * NMR;

#[test]
fn conversions_at_price_one_are_the_identity() {
	assert_eq!(shares_for(5 * NMR, ONE), Some(5 * NMR));
	assert_eq!(value_of(5 * NMR, ONE), Some(5 * NMR));
	assert_eq!(shares_for(1, 3 * ONE), Some(0), "a planck buys no share at price 3");
	assert_eq!(shares_for(1, 0), None);
}

#[test]
fn round_transfers_scale_by_backing() {
	// Fully backed: 1 % of 1000 NMR at risk on a requirement of 1000 NMR.
	assert_eq!(
		round_transfer(10 * NMR as i128, 1_000 * NMR, 1_000 * NMR),
		(Transfer::Gain(10 * NMR), false)
	);
	// Over-staked on Numerai: only the requirement's share belongs to the pool.
	assert_eq!(
		round_transfer(20 * NMR as i128, 2_000 * NMR, 1_000 * NMR),
		(Transfer::Gain(10 * NMR), false)
	);
	// Half backed: half the return, and a breach.
	assert_eq!(
		round_transfer(-(5 * NMR as i128), 500 * NMR, 1_000 * NMR),
		(Transfer::Loss(5 * NMR), true)
	);
	assert_eq!(round_transfer(7, 0, 100), (Transfer::None, false));
	assert_eq!(round_transfer(7, 100, 0), (Transfer::None, false));
	assert_eq!(round_transfer(0, 100, 100), (Transfer::None, false));
	// Rounding: gains up, losses down.
	assert_eq!(round_transfer(1, 3, 2), (Transfer::Gain(1), false));
	assert_eq!(round_transfer(-1, 3, 2), (Transfer::Loss(0), false));
}

#[test]
fn fee_calendar_is_by_round_number() {
	assert_eq!(period_end_from(0, 20), 19);
	assert_eq!(period_end_from(19, 20), 19);
	assert_eq!(period_end_from(20, 20), 39);
	assert_eq!(period_end_from(1_000, 20), 1_019);
	assert_eq!(period_end_from(7, 1), 7);
}

#[test]
fn fees_and_discounts() {
	assert_eq!(fixed_fee(NMR, 3, Permill::from_percent(10)), Some(2_700_000_000_000_000_000));
	assert_eq!(
		discounted(Permill::from_percent(20), Permill::from_percent(50)),
		Permill::from_percent(10)
	);
	assert_eq!(
		performance_fee(100 * NMR, ONE, ONE + ONE / 10, Permill::from_percent(20)),
		Some(2 * NMR)
	);
	assert_eq!(performance_fee(100 * NMR, ONE, ONE, Permill::from_percent(20)), Some(0));
	assert_eq!(performance_fee(100 * NMR, 2 * ONE, ONE, Permill::from_percent(20)), Some(0));
	assert_eq!(fee_in_shares(10 * NMR, 2 * ONE, 3 * NMR), Some(3 * NMR), "capped at what is held");
}

fn price() -> impl Strategy<Value = u128> {
	PRICE_FLOOR..=1_000 * ONE
}

proptest! {
	/// Shares bought with an amount are never worth more than it, and at most one share's
	/// worth less (plus a planck).
	#[test]
	fn buying_shares_rounds_for_the_pool(amount in 0..=MAX_AMOUNT, p in price()) {
		let s = shares_for(amount, p).unwrap();
		let v = value_of(s, p).unwrap();
		prop_assert!(v <= amount);
		prop_assert!(amount - v <= p / ONE + 1);
	}

	/// Value is superadditive: paying positions separately never pays more than the pool.
	#[test]
	fn value_of_parts_never_exceeds_value_of_whole(a in 0..=MAX_AMOUNT, b in 0..=MAX_AMOUNT, p in price()) {
		prop_assert!(value_of(a, p).unwrap() + value_of(b, p).unwrap() <= value_of(a + b, p).unwrap());
	}

	/// After a gain the shares are worth at most what the pool held plus what was paid in.
	#[test]
	fn gains_never_overvalue_the_pool(shares in 1..=MAX_AMOUNT * 1_000, p in price(), paid in 0..=MAX_AMOUNT) {
		let held = value_of(shares, p).unwrap();
		let after = price_after_gain(p, shares, paid).unwrap();
		prop_assert!(after >= p);
		// shares * after <= shares * p + paid * 1e18, so the floor adds at most `paid`.
		prop_assert!(value_of(shares, after).unwrap() <= held + paid);
	}

	/// After a loss the shares are worth at most what remains.
	#[test]
	fn losses_never_overvalue_the_pool(shares in 1..=MAX_AMOUNT * 1_000, p in price(), frac in 0u32..=1_000_000) {
		let held = value_of(shares, p).unwrap();
		let moved = Permill::from_parts(frac).mul_floor(held);
		let after = price_after_loss(p, shares, moved).unwrap();
		prop_assert!(after <= p);
		prop_assert!(value_of(shares, after).unwrap() <= held - moved);
	}

	/// A round's transfer never exceeds |payout|, and gains round up, losses down.
	#[test]
	fn round_transfer_is_bounded_by_the_payout(at_risk in 1..=MAX_AMOUNT, req in 1..=MAX_AMOUNT, bp in -500i64..=500) {
		let payout = (at_risk as i128) * (bp as i128) / 10_000;
		let (t, breach) = round_transfer(payout, at_risk, req);
		prop_assert_eq!(breach, at_risk < req);
		let exposed = req.min(at_risk);
		match t {
			Transfer::Gain(g) => {
				prop_assert!(payout > 0 && g <= payout.unsigned_abs());
				prop_assert!(g * at_risk >= payout.unsigned_abs() * exposed);
			},
			Transfer::Loss(l) => {
				prop_assert!(payout < 0 && l <= payout.unsigned_abs());
				prop_assert!(l * at_risk <= payout.unsigned_abs() * exposed);
			},
			Transfer::None => prop_assert!(payout == 0),
		}
	}

	/// 10^4 rounds of the largest moves at 10^9 NMR neither overflow nor leave the pool
	/// owing more than it holds.
	#[test]
	fn ten_thousand_rounds_at_a_billion_nmr(moves in proptest::collection::vec(-500i64..=500, 10_000)) {
		let shares = MAX_AMOUNT;
		let mut p = ONE;
		let mut held = MAX_AMOUNT;
		for bp in moves {
			if p < PRICE_FLOOR { break }
			let value = value_of(shares, p).unwrap();
			prop_assert!(value <= held);
			let t = (value as i128) * (bp as i128) / 10_000;
			if t >= 0 {
				let paid = (t as u128).min(gain_room(p, shares));
				p = price_after_gain(p, shares, paid).unwrap();
				held += paid;
			} else {
				let moved = t.unsigned_abs().min(value);
				p = price_after_loss(p, shares, moved).unwrap();
				held -= moved;
			}
			prop_assert!(p <= PRICE_CEILING);
		}
		prop_assert!(value_of(shares, p).unwrap() <= held);
	}

	/// Fee shares never exceed the shares held, and are worth at most the fee.
	#[test]
	fn fees_in_shares_never_overcharge(fee in 0..=MAX_AMOUNT, p in price(), held in 0..=MAX_AMOUNT) {
		let s = fee_in_shares(fee, p, held).unwrap();
		prop_assert!(s <= held);
		prop_assert!(value_of(s, p).unwrap() <= fee);
	}

	/// A discounted fixed fee lies between the discounted exact amount (rounded) and the gross,
	/// and grows with the rounds served.
	#[test]
	fn fixed_fees_discount_exactly_and_grow_with_service(per in 0..=NMR, n in 0u32..=520, d in 0u32..=1_000_000) {
		let discount = Permill::from_parts(d);
		let fee = fixed_fee(per, n, discount).unwrap();
		let gross = per * u128::from(n);
		prop_assert!(fee <= gross);
		prop_assert!(fee + 1 >= gross - discount.mul_floor(gross));
		prop_assert!(fixed_fee(per, n + 1, discount).unwrap() >= fee);
	}

	/// A discounted rate never exceeds the rate, and a full discount leaves nothing.
	#[test]
	fn discounted_rates_never_exceed_the_rate(r in 0u32..=1_000_000, d in 0u32..=1_000_000) {
		let rate = Permill::from_parts(r);
		prop_assert!(discounted(rate, Permill::from_parts(d)) <= rate);
		prop_assert_eq!(discounted(rate, Permill::one()), Permill::zero());
		prop_assert_eq!(discounted(rate, Permill::zero()), rate);
	}

	/// The performance fee is at most its rate of the gain, and zero below the mark.
	#[test]
	fn performance_fees_take_at_most_their_share_of_the_gain(shares in 0..=MAX_AMOUNT, hwm in price(), p in price(), r in 0u32..=500_000) {
		let rate = Permill::from_parts(r);
		let fee = performance_fee(shares, hwm, p, rate).unwrap();
		if p <= hwm {
			prop_assert_eq!(fee, 0);
		} else {
			prop_assert!(fee <= value_of(shares, p - hwm).unwrap());
			prop_assert!(fee <= rate.mul_ceil(value_of(shares, p - hwm).unwrap()));
		}
	}

	/// The calendar's period end is the first at or after the round.
	#[test]
	fn period_end_is_the_first_boundary(round in 0u32..1_000_000, period in 1u32..=100) {
		let e = period_end_from(round, period);
		prop_assert!(e >= round && e - round < period);
		prop_assert_eq!((e + 1) % period, 0);
	}
}
