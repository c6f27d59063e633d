//! Decimal text to integers at a fixed scale, exactly, without floating point.
//!
//! Accepted forms (Python `Decimal` as Numerai emits it, and JSON numbers): an optional sign,
//! digits with an optional fraction (`"12.5"`, `".5"`, `"5."`), an optional exponent (`"1.25e-3"`,
//! `"0E-18"`, `"4E+2"`), and, for amounts only, thousands separators in the integer part
//! (`"1,234.5"`). Everything else (spaces, `NaN`, `Infinity`, misplaced commas) is an error.
//!
//! Amounts must be exact at their scale ([`parse_exact`]): a digit below a planck is an error,
//! never a rounding. Scores are rounded half away from zero ([`parse_rounded`]), which is a
//! pure function of the text, so every operator gets the same integer.

use alloc::vec::Vec;

/// Fixed-point scale of scores, multipliers and payout factors: 12 decimals.
pub const SCORE_SCALE: i64 = 1_000_000_000_000;
/// Decimals of [`SCORE_SCALE`].
pub const SCORE_DECIMALS: u32 = 12;
/// Decimals of NMR (1 planck = 1 wei of the ERC-20).
pub const NMR_DECIMALS: u32 = 18;

/// Most significant digits accepted (Numerai strings have at most ~30).
const MAX_DIGITS: usize = 80;
/// Largest exponent magnitude accepted.
const MAX_EXPONENT: i64 = 1_000;

/// Why decimal text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalError {
	/// No digits.
	Empty,
	/// A character outside the grammar (including spaces, `NaN`, `Infinity`).
	InvalidCharacter,
	/// Commas not placed as thousands separators of the integer part.
	MisplacedSeparator,
	/// More than 80 significant digits.
	TooManyDigits,
	/// An exponent beyond ±1000.
	ExponentOutOfRange,
	/// Digits below the scale's unit that are not zero (an amount finer than a planck).
	Inexact,
	/// The value does not fit.
	Overflow,
}

struct Parsed {
	negative: bool,
	/// Significant digits (0–9 each), no leading zeros.
	digits: Vec<u8>,
	/// The value is `digits * 10^exponent`.
	exponent: i64,
}

fn parse_text(text: &str, allow_separators: bool) -> Result<Parsed, DecimalError> {
	let bytes = text.as_bytes();
	let mut pos = 0;
	let mut negative = false;
	if let Some(&s) = bytes.first() {
		if s == b'-' || s == b'+' {
			negative = s == b'-';
			pos = 1;
		}
	}
	let mut digits: Vec<u8> = Vec::new();
	let mut seen_digit = false;
	let push = |d: u8, digits: &mut Vec<u8>| -> Result<(), DecimalError> {
		if digits.is_empty() && d == 0 {
			return Ok(());
		}
		if digits.len() >= MAX_DIGITS {
			return Err(DecimalError::TooManyDigits);
		}
		digits.push(d);
		Ok(())
	};
	// Integer part, with optional thousands separators.
	let mut group_len: Option<usize> = None; // digits since the last comma
	let mut first_group = 0usize;
	while let Some(&b) = bytes.get(pos) {
		match b {
			b'0'..=b'9' => {
				push(b - b'0', &mut digits)?;
				seen_digit = true;
				match group_len.as_mut() {
					Some(n) => *n += 1,
					None => first_group += 1,
				}
			},
			b',' if allow_separators => {
				let ok = match group_len {
					None => (1..=3).contains(&first_group),
					Some(n) => n == 3,
				};
				if !ok {
					return Err(DecimalError::MisplacedSeparator);
				}
				group_len = Some(0);
			},
			b',' => return Err(DecimalError::InvalidCharacter),
			_ => break,
		}
		pos += 1;
	}
	if group_len.is_some_and(|n| n != 3) {
		return Err(DecimalError::MisplacedSeparator);
	}
	// Fraction.
	let mut frac_len: i64 = 0;
	if bytes.get(pos) == Some(&b'.') {
		pos += 1;
		while let Some(&b) = bytes.get(pos) {
			if !b.is_ascii_digit() {
				break;
			}
			push(b - b'0', &mut digits)?;
			// Leading zeros of the fraction still shift the exponent.
			frac_len += 1;
			seen_digit = true;
			pos += 1;
		}
	}
	if !seen_digit {
		return Err(if pos >= bytes.len() {
			DecimalError::Empty
		} else {
			DecimalError::InvalidCharacter
		});
	}
	// Exponent.
	let mut exponent: i64 = 0;
	if matches!(bytes.get(pos), Some(b'e' | b'E')) {
		pos += 1;
		let mut exp_negative = false;
		if let Some(&s) = bytes.get(pos) {
			if s == b'-' || s == b'+' {
				exp_negative = s == b'-';
				pos += 1;
			}
		}
		let mut any = false;
		while let Some(&b) = bytes.get(pos) {
			if !b.is_ascii_digit() {
				break;
			}
			any = true;
			exponent = exponent * 10 + i64::from(b - b'0');
			if exponent > MAX_EXPONENT {
				return Err(DecimalError::ExponentOutOfRange);
			}
			pos += 1;
		}
		if !any {
			return Err(DecimalError::InvalidCharacter);
		}
		if exp_negative {
			exponent = -exponent;
		}
	}
	if pos != bytes.len() {
		return Err(DecimalError::InvalidCharacter);
	}
	// Leading zeros were dropped from `digits`; the fraction length still counts them because
	// the exponent is relative to the last digit written.
	Ok(Parsed { negative, digits, exponent: exponent - frac_len })
}

/// Scales to `decimals`; `round` decides what happens to digits below the unit.
fn scale(p: Parsed, decimals: u32, round: bool) -> Result<i128, DecimalError> {
	let exp = p.exponent + i64::from(decimals);
	let (kept, dropped): (&[u8], &[u8]) = if exp >= 0 {
		(&p.digits, &[])
	} else {
		let cut = p.digits.len().saturating_sub(exp.unsigned_abs() as usize);
		p.digits.split_at(cut)
	};
	let mut magnitude: i128 = 0;
	for &d in kept {
		magnitude = magnitude
			.checked_mul(10)
			.and_then(|m| m.checked_add(i128::from(d)))
			.ok_or(DecimalError::Overflow)?;
	}
	if exp > 0 && magnitude != 0 {
		for _ in 0..exp {
			magnitude = magnitude.checked_mul(10).ok_or(DecimalError::Overflow)?;
		}
	}
	// Digits wholly below the dropped ones (more than the digit count) are zeros.
	let below_unit_len = if exp < 0 { exp.unsigned_abs() as usize } else { 0 };
	let first_dropped =
		if below_unit_len > dropped.len() { 0 } else { dropped.first().copied().unwrap_or(0) };
	let any_dropped = dropped.iter().any(|&d| d != 0);
	if any_dropped {
		if !round {
			return Err(DecimalError::Inexact);
		}
		if first_dropped >= 5 {
			magnitude = magnitude.checked_add(1).ok_or(DecimalError::Overflow)?;
		}
	}
	Ok(if p.negative { -magnitude } else { magnitude })
}

/// An exact amount with `decimals` decimals: `"1.5"` at 18 → `1_500_000_000_000_000_000`.
/// Thousands separators are accepted. Digits finer than the unit must be zero.
pub fn parse_exact(text: &str, decimals: u32) -> Result<i128, DecimalError> {
	scale(parse_text(text, true)?, decimals, false)
}

/// A value rounded half away from zero to `decimals` decimals (scores, factors).
/// No thousands separators.
pub fn parse_rounded(text: &str, decimals: u32) -> Result<i128, DecimalError> {
	scale(parse_text(text, false)?, decimals, true)
}

/// An NMR amount in planck.
pub fn parse_nmr(text: &str) -> Result<i128, DecimalError> {
	parse_exact(text, NMR_DECIMALS)
}

/// A score, multiplier or factor at [`SCORE_SCALE`].
pub fn parse_score(text: &str) -> Result<i64, DecimalError> {
	let v = parse_rounded(text, SCORE_DECIMALS)?;
	i64::try_from(v).map_err(|_| DecimalError::Overflow)
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::{format, string::String};

	const NMR: i128 = 1_000_000_000_000_000_000;

	#[test]
	fn amounts_in_every_encoding() {
		assert_eq!(parse_nmr("12.500000000000000000"), Ok(12 * NMR + NMR / 2));
		assert_eq!(parse_nmr("-0.031000000000000000"), Ok(-31 * NMR / 1000));
		assert_eq!(parse_nmr("0"), Ok(0));
		assert_eq!(parse_nmr("0.0"), Ok(0));
		assert_eq!(parse_nmr("0E-18"), Ok(0));
		assert_eq!(parse_nmr("-0E-18"), Ok(0));
		assert_eq!(parse_nmr("1.5E+2"), Ok(150 * NMR));
		assert_eq!(parse_nmr("1.5e2"), Ok(150 * NMR));
		assert_eq!(parse_nmr("15e-1"), Ok(NMR + NMR / 2));
		assert_eq!(parse_nmr("+2"), Ok(2 * NMR));
		assert_eq!(parse_nmr(".5"), Ok(NMR / 2));
		assert_eq!(parse_nmr("5."), Ok(5 * NMR));
		assert_eq!(parse_nmr("1,234.5"), Ok(1234 * NMR + NMR / 2));
		assert_eq!(parse_nmr("12,345,678"), Ok(12_345_678 * NMR));
		assert_eq!(parse_nmr("0.000000000000000001"), Ok(1));
		assert_eq!(parse_nmr("1E-18"), Ok(1));
		assert_eq!(parse_nmr("000123"), Ok(123 * NMR));
		assert_eq!(parse_nmr("1000000000"), Ok(1_000_000_000 * NMR));
	}

	#[test]
	fn amounts_never_guessed() {
		assert_eq!(parse_nmr("0.0000000000000000001"), Err(DecimalError::Inexact));
		assert_eq!(parse_nmr("1E-19"), Err(DecimalError::Inexact));
		assert_eq!(parse_nmr("0.00000000000000000100"), Ok(1));
		assert_eq!(parse_nmr(""), Err(DecimalError::Empty));
		assert_eq!(parse_nmr("-"), Err(DecimalError::Empty));
		assert_eq!(parse_nmr("."), Err(DecimalError::Empty));
		assert_eq!(parse_nmr(" 1"), Err(DecimalError::InvalidCharacter));
		assert_eq!(parse_nmr("1 "), Err(DecimalError::InvalidCharacter));
		assert_eq!(parse_nmr("NaN"), Err(DecimalError::InvalidCharacter));
		assert_eq!(parse_nmr("Infinity"), Err(DecimalError::InvalidCharacter));
		assert_eq!(parse_nmr("1e"), Err(DecimalError::InvalidCharacter));
		assert_eq!(parse_nmr("1e+"), Err(DecimalError::InvalidCharacter));
		assert_eq!(parse_nmr("1.2.3"), Err(DecimalError::InvalidCharacter));
		assert_eq!(parse_nmr("--1"), Err(DecimalError::InvalidCharacter));
		assert_eq!(parse_nmr("12,5"), Err(DecimalError::MisplacedSeparator));
		assert_eq!(parse_nmr("1234,567"), Err(DecimalError::MisplacedSeparator));
		assert_eq!(parse_nmr(",123"), Err(DecimalError::MisplacedSeparator));
		assert_eq!(parse_nmr("1,23"), Err(DecimalError::MisplacedSeparator));
		assert_eq!(parse_nmr("1.234,5"), Err(DecimalError::InvalidCharacter));
		assert_eq!(parse_nmr("1e1001"), Err(DecimalError::ExponentOutOfRange));
		assert_eq!(parse_nmr("1e100"), Err(DecimalError::Overflow));
		assert_eq!(parse_nmr(&"9".repeat(81)), Err(DecimalError::TooManyDigits));
		assert_eq!(parse_nmr("0e1000"), Ok(0));
	}

	#[test]
	fn scores_round_half_away_from_zero() {
		assert_eq!(parse_score("0.0123"), Ok(12_300_000_000));
		assert_eq!(parse_score("-1.25e-3"), Ok(-1_250_000_000));
		assert_eq!(parse_score("4.0363e-4"), Ok(403_630_000));
		assert_eq!(parse_score("1e-18"), Ok(0));
		assert_eq!(parse_score("5e-13"), Ok(1));
		assert_eq!(parse_score("-5e-13"), Ok(-1));
		assert_eq!(parse_score("4.9999e-13"), Ok(0));
		assert_eq!(parse_score("0.0000000000015"), Ok(2));
		assert_eq!(parse_score("2.25"), Ok(2_250_000_000_000));
		assert_eq!(parse_score("1,000"), Err(DecimalError::InvalidCharacter));
		assert_eq!(parse_score("1e10"), Err(DecimalError::Overflow));
	}

	proptest::proptest! {
		#[test]
		fn never_panics(s in "[-+0-9.,eE]{0,30}") {
			let _ = parse_nmr(&s);
			let _ = parse_score(&s);
		}

		#[test]
		fn planck_text_round_trips(v in -(10i128.pow(27))..10i128.pow(27)) {
			let sign = if v < 0 { "-" } else { "" };
			let m = v.unsigned_abs();
			let text = format!("{sign}{}.{:018}", m / 10u128.pow(18), m % 10u128.pow(18));
			proptest::prop_assert_eq!(parse_nmr(&text), Ok(v));
			// The same value in exponent form, as Python's Decimal may print it.
			let exp_text = format!("{sign}{m}E-18");
			proptest::prop_assert_eq!(parse_nmr(&exp_text), Ok(v));
		}

		#[test]
		fn rounding_is_within_half_a_unit(int in 0u32..10, frac in proptest::collection::vec(0u8..10, 1..20)) {
			let digits: String = frac.iter().map(|d| char::from(b'0' + d)).collect();
			let text = format!("{int}.{digits}");
			let r = parse_score(&text).unwrap();
			// Compare against the exact value at 24 decimals.
			let exact = parse_rounded(&text, 24).unwrap();
			let scaled = i128::from(r) * 1_000_000_000_000;
			proptest::prop_assert!((scaled - exact).abs() <= 500_000_000_000);
		}
	}
}
