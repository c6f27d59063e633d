//! The money maths of a pool: share prices in 18-decimal fixed point, conversions between
//! planck and shares, what a round's result moves, and fees. Pure functions with explicit
//! rounding, property-tested below; every intermediate is 256 bits wide
//! (`multiply_by_rational_with_rounding`), and every function returns `None` rather than wrap.
//!
//! Rounding rules (the pool never owes more than it holds):
//! - planck paid out of the pool (a loss to the owner, an exit's value) and shares issued are
//!   rounded down;
//! - planck the owner pays in for a gain is rounded up;
//! - a price after a gain is rounded down, after a loss rounded up in the loss (down in the
//!   price), so that `value(shares, price)` never exceeds what backs it.

use numerstake_primitives::RoundIndex;
use polkadot_sdk::sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding, traits::Saturating, Perbill, Permill,
	Rounding,
};

/// One, in the share price's fixed point (18 decimals).
pub const ONE: u128 = 1_000_000_000_000_000_000;
/// Below this share price (10^-6) a pool closes its share epoch.
pub const PRICE_FLOOR: u128 = ONE / 1_000_000;
/// The highest share price (10^18): gains beyond it are not taken from the bond. Reaching it
/// needs the pool to grow 10^18-fold; it exists so that no product of shares and price can
/// overflow.
pub const PRICE_CEILING: u128 = ONE * ONE;

/// `floor(a * b / c)`; `None` if `c` is zero or the result exceeds `u128`.
pub fn mul_div_floor(a: u128, b: u128, c: u128) -> Option<u128> {
	if c == 0 {
		return None;
	}
	multiply_by_rational_with_rounding(a, b, c, Rounding::Down)
}

/// `ceil(a * b / c)`; `None` if `c` is zero or the result exceeds `u128`.
pub fn mul_div_ceil(a: u128, b: u128, c: u128) -> Option<u128> {
	if c == 0 {
		return None;
	}
	multiply_by_rational_with_rounding(a, b, c, Rounding::Up)
}

/// The planck value of `shares` at `price`, rounded down.
pub fn value_of(shares: u128, price: u128) -> Option<u128> {
	mul_div_floor(shares, price, ONE)
}

/// The shares `amount` planck buy at `price`, rounded down: `floor(amount * 1e18 / price)`.
pub fn shares_for(amount: u128, price: u128) -> Option<u128> {
	mul_div_floor(amount, ONE, price)
}

/// What a finalised round moves between the owner and the pool.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Transfer {
	/// Nothing (not submitted, nothing at risk or nothing exposed).
	None,
	/// The delegated stake earned this much (rounded up): owed by the owner's bond.
	Gain(u128),
	/// The delegated stake lost this much (rounded down): owed to the owner, whose Numerai stake
	/// took the burn.
	Loss(u128),
}

/// The delegated stake's result in a round: `t = q * b * Req` with `q = payout / at_risk` and
/// `b = min(1, at_risk / Req)`, i.e. `payout * min(Req, at_risk) / at_risk`. Returns the
/// transfer and whether the owner staked less than required (a backing breach).
pub fn round_transfer(payout: i128, at_risk: u128, requirement: u128) -> (Transfer, bool) {
	if at_risk == 0 || requirement == 0 {
		return (Transfer::None, false);
	}
	let breach = at_risk < requirement;
	let exposed = requirement.min(at_risk);
	let magnitude = payout.unsigned_abs();
	// |payout| <= at_risk in any sane report, so neither product overflows; `None` cannot
	// happen with exposed <= at_risk (the result is at most |payout|).
	let transfer = if payout > 0 {
		mul_div_ceil(magnitude, exposed, at_risk).map_or(Transfer::None, Transfer::Gain)
	} else if payout < 0 {
		mul_div_floor(magnitude, exposed, at_risk).map_or(Transfer::None, Transfer::Loss)
	} else {
		Transfer::None
	};
	(transfer, breach)
}

/// The price after `paid` planck were added to a pool of `shares` at `price`:
/// `price + floor(paid * 1e18 / shares)`. Unchanged for a pool without shares.
pub fn price_after_gain(price: u128, shares: u128, paid: u128) -> Option<u128> {
	if shares == 0 {
		return Some(price);
	}
	price.checked_add(mul_div_floor(paid, ONE, shares)?)
}

/// The price after `moved` planck left a pool of `shares` at `price`:
/// `price - ceil(moved * 1e18 / shares)`, never below zero.
pub fn price_after_loss(price: u128, shares: u128, moved: u128) -> Option<u128> {
	if shares == 0 {
		return Some(price);
	}
	Some(price.saturating_sub(mul_div_ceil(moved, ONE, shares)?))
}

/// The largest gain a pool of `shares` at `price` can take before its price passes
/// [`PRICE_CEILING`].
pub fn gain_room(price: u128, shares: u128) -> u128 {
	mul_div_floor(PRICE_CEILING.saturating_sub(price), shares, ONE).unwrap_or(u128::MAX)
}

/// Performance fee, in planck, on `shares` whose price rose from the high-water mark `hwm` to
/// `price`: `rate * floor(shares * (price - hwm) / 1e18)`, rounded down; zero without a rise.
pub fn performance_fee(shares: u128, hwm: u128, price: u128, rate: Permill) -> Option<u128> {
	if price <= hwm {
		return Some(0);
	}
	Some(rate.mul_floor(value_of(shares, price - hwm)?))
}

/// Fixed fee, in planck, for `served` rounds at `per_round` each, less `discount`: rounded down.
pub fn fixed_fee(per_round: u128, served: u32, discount: Permill) -> Option<u128> {
	let gross = per_round.checked_mul(u128::from(served))?;
	Some(gross.saturating_sub(discount.mul_ceil(gross)))
}

/// A fee rate less a discount: `rate * (1 - discount)`, rounded down.
pub fn discounted(rate: Permill, discount: Permill) -> Permill {
	rate.saturating_sub(rate * discount)
}

/// The whole prepaid fixed fee of a commitment: `term` rounds at `per_round`, less `discount`.
pub fn prepaid_fee(per_round: u128, term: RoundIndex, discount: Permill) -> Option<u128> {
	fixed_fee(per_round, term, discount)
}

/// The shares a fee of `fee` planck costs at `price`, rounded down and at most `available`.
/// Shares worth nothing (price 0, a wiped-out epoch) pay no fee.
pub fn fee_in_shares(fee: u128, price: u128, available: u128) -> Option<u128> {
	if price == 0 {
		return Some(0);
	}
	Some(shares_for(fee, price)?.min(available))
}

/// Splits a performance fee's base, the rise `total` of the share price above the high-water
/// mark `hwm` over a fee period, between runs of rounds that end at the prices `ends` (in
/// order; the last is the period's end price): each run's part is the new high it made above
/// the highest earlier price (`hwm` at the start), scaled so the parts add up to exactly
/// `total` (rounded down, the last run with a new high takes what rounding left). With one
/// run, or runs that only rise, each run's part is exactly its rise.
pub fn split_rise(hwm: u128, total: u128, ends: &[u128]) -> Option<alloc::vec::Vec<u128>> {
	let mut high = hwm;
	let mut parts = alloc::vec::Vec::with_capacity(ends.len());
	for end in ends {
		parts.push(end.saturating_sub(high));
		high = high.max(*end);
	}
	let highs: u128 = parts.iter().try_fold(0u128, |a, p| a.checked_add(*p))?;
	if highs == 0 {
		return Some(alloc::vec![0; ends.len()]);
	}
	let last = parts.iter().rposition(|p| *p > 0)?;
	let mut given: u128 = 0;
	for (i, part) in parts.iter_mut().enumerate() {
		if i != last {
			*part = mul_div_floor(*part, total.min(highs), highs)?;
			given = given.checked_add(*part)?;
		}
	}
	parts[last] = total.min(highs).checked_sub(given)?;
	Some(parts)
}

/// `ratio * amount`, rounded up: the bond an exposure of `amount` requires.
pub fn bond_required(ratio: Perbill, amount: u128) -> u128 {
	ratio.mul_ceil(amount)
}

/// The first fee-period end at or after `round` on the calendar of periods of `period` rounds:
/// the smallest `e >= round` with `(e + 1) % period == 0`.
pub fn period_end_from(round: RoundIndex, period: RoundIndex) -> RoundIndex {
	let period = period.max(1);
	let rem = (round % period).saturating_add(1) % period;
	if rem == 0 {
		round
	} else {
		round.saturating_add(period - rem)
	}
}

/// Whether `part <= cap * whole`, i.e. `part` keeps within a concentration cap.
pub fn within_share(part: u128, whole: u128, cap: Perbill) -> bool {
	part <= cap.mul_floor(whole)
}

#[cfg(test)]
mod tests;
