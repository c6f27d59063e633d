//! NMR amounts as people write them ("12.5") and as the chain holds them (planck, 10^-18 NMR),
//! both ways and exactly: no floating point touches money.

use std::fmt::Write;

/// Planck per NMR.
pub const NMR: u128 = 1_000_000_000_000_000_000;
const DECIMALS: usize = 18;

/// Why an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
	/// Nothing, or a lone sign or point.
	Empty,
	/// A character that is neither a digit nor one decimal point.
	NotANumber(String),
	/// More than 18 decimals (finer than a planck).
	TooPrecise(String),
	/// Larger than the chain can hold.
	TooLarge(String),
	/// A minus sign where only a non-negative amount makes sense.
	Negative(String),
}

impl std::fmt::Display for AmountError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			AmountError::Empty => write!(f, "no amount given"),
			AmountError::NotANumber(s) => write!(f, "`{s}` is not an amount of NMR (e.g. 12.5)"),
			AmountError::TooPrecise(s) => {
				write!(f, "`{s}` has more than 18 decimals (1 planck is 0.000000000000000001 NMR)")
			},
			AmountError::TooLarge(s) => write!(f, "`{s}` NMR is more than the chain can hold"),
			AmountError::Negative(s) => write!(f, "`{s}`: the amount must not be negative"),
		}
	}
}

impl std::error::Error for AmountError {}

/// Parses a non-negative NMR amount ("1000", "0.25", "1_000.5") into planck.
pub fn parse_nmr(text: &str) -> Result<u128, AmountError> {
	let t = text.trim();
	if t.starts_with('-') {
		return Err(AmountError::Negative(t.into()));
	}
	let t = t.strip_prefix('+').unwrap_or(t).replace('_', "");
	let (whole, frac) = match t.split_once('.') {
		Some((w, f)) => (w.to_string(), f.to_string()),
		None => (t.clone(), String::new()),
	};
	if whole.is_empty() && frac.is_empty() {
		return Err(AmountError::Empty);
	}
	if !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
		return Err(AmountError::NotANumber(text.trim().into()));
	}
	let frac = frac.trim_end_matches('0');
	if frac.len() > DECIMALS {
		return Err(AmountError::TooPrecise(text.trim().into()));
	}
	let too_large = || AmountError::TooLarge(text.trim().into());
	let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| too_large())? };
	let frac_planck: u128 = if frac.is_empty() {
		0
	} else {
		format!("{frac:0<18}").parse().map_err(|_| too_large())?
	};
	whole.checked_mul(NMR).and_then(|w| w.checked_add(frac_planck)).ok_or_else(too_large)
}

/// Planck as NMR text with every significant decimal ("12.5", "0.000000000000000001", "3").
pub fn fmt_nmr(planck: u128) -> String {
	let whole = planck / NMR;
	let frac = planck % NMR;
	let mut out = group(whole);
	if frac != 0 {
		let digits = format!("{frac:018}");
		let _ = write!(out, ".{}", digits.trim_end_matches('0'));
	}
	out
}

/// A signed amount of planck as NMR text with its sign ("+1.5", "-0.25", "0").
pub fn fmt_signed(planck: i128) -> String {
	match planck {
		0 => "0".into(),
		p if p > 0 => format!("+{}", fmt_nmr(p.unsigned_abs())),
		p => format!("-{}", fmt_nmr(p.unsigned_abs())),
	}
}

/// Planck as plain NMR text for machines: no grouping, every significant decimal.
pub fn plain_nmr(planck: u128) -> String {
	fmt_nmr(planck).replace(',', "")
}

/// An approximate NMR figure for plots and statistics (never for money that is sent).
pub fn approx_nmr(planck: i128) -> f64 {
	planck as f64 / NMR as f64
}

fn group(mut n: u128) -> String {
	if n < 1000 {
		return n.to_string();
	}
	let mut parts = Vec::new();
	while n >= 1000 {
		parts.push(format!("{:03}", n % 1000));
		n /= 1000;
	}
	parts.push(n.to_string());
	parts.reverse();
	parts.join(",")
}

/// A fraction written as a percentage ("12.5%", "0.25 %", "3") into parts per `scale`
/// (1_000_000 for a Permill, 1_000_000_000 for a Perbill), exactly or not at all.
pub fn parse_percent(text: &str, scale: u64) -> Result<u64, String> {
	let t = text.trim().trim_end_matches('%').trim();
	let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
	if whole.is_empty() && frac.is_empty()
		|| !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
	{
		return Err(format!("`{text}` is not a percentage (e.g. 12.5%)"));
	}
	// parts = percent * scale / 100, exactly.
	let digits = frac.trim_end_matches('0');
	if digits.len() > 18 {
		return Err(format!("`{text}` is finer than the chain's resolution (1/{scale})"));
	}
	let denominator = 10u128.pow(digits.len() as u32) * 100;
	let numerator: u128 =
		format!("0{whole}{digits}").parse().map_err(|_| format!("`{text}` is too large"))?;
	let scaled =
		numerator.checked_mul(scale as u128).ok_or_else(|| format!("`{text}` is too large"))?;
	if scaled % denominator != 0 {
		return Err(format!("`{text}` is finer than the chain's resolution (1/{scale})"));
	}
	let parts = scaled / denominator;
	if parts > scale as u128 {
		return Err(format!("`{text}` is more than 100%"));
	}
	Ok(parts as u64)
}

/// Parts per `scale` (a power of ten) as a percentage with every significant decimal ("12.5%").
pub fn fmt_percent(parts: u64, scale: u64) -> String {
	let width = scale.ilog10() as usize;
	let whole = parts as u128 * 100 / scale as u128;
	let frac = (parts as u128 * 100) % scale as u128;
	if frac == 0 {
		return format!("{whole}%");
	}
	// frac / scale = 0.d1 d2 … d_width
	let digits = format!("{frac:0width$}");
	format!("{whole}.{}%", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	#[test]
	fn amounts_people_write_parse_exactly() {
		assert_eq!(parse_nmr("1"), Ok(NMR));
		assert_eq!(parse_nmr("12.5"), Ok(12 * NMR + NMR / 2));
		assert_eq!(parse_nmr("0.000000000000000001"), Ok(1));
		assert_eq!(parse_nmr(".5"), Ok(NMR / 2));
		assert_eq!(parse_nmr("1_000"), Ok(1000 * NMR));
		assert_eq!(parse_nmr("7."), Ok(7 * NMR));
		assert_eq!(
			parse_nmr("1.000000000000000000000"),
			Ok(NMR),
			"trailing zeros are not precision"
		);
	}

	#[test]
	fn bad_amounts_say_what_is_wrong() {
		assert_eq!(parse_nmr(""), Err(AmountError::Empty));
		assert_eq!(parse_nmr("."), Err(AmountError::Empty));
		assert!(matches!(parse_nmr("1e18"), Err(AmountError::NotANumber(_))));
		assert!(matches!(parse_nmr("1.2.3"), Err(AmountError::NotANumber(_))));
		assert!(matches!(parse_nmr("-1"), Err(AmountError::Negative(_))));
		assert!(matches!(parse_nmr("0.0000000000000000001"), Err(AmountError::TooPrecise(_))));
		assert!(matches!(parse_nmr("1000000000000000000000"), Err(AmountError::TooLarge(_))));
		assert!(matches!(parse_nmr("NaN"), Err(AmountError::NotANumber(_))));
	}

	#[test]
	fn amounts_print_with_every_significant_decimal() {
		assert_eq!(fmt_nmr(0), "0");
		assert_eq!(fmt_nmr(NMR), "1");
		assert_eq!(fmt_nmr(1), "0.000000000000000001");
		assert_eq!(fmt_nmr(1_234_567 * NMR + NMR / 4), "1,234,567.25");
		assert_eq!(fmt_signed(-(NMR as i128) / 2), "-0.5");
		assert_eq!(fmt_signed(3), "+0.000000000000000003");
		assert_eq!(plain_nmr(1_234 * NMR), "1234");
	}

	#[test]
	fn percentages_are_exact_or_refused() {
		assert_eq!(parse_percent("12.5%", 1_000_000), Ok(125_000));
		assert_eq!(parse_percent("0.1 %", 1_000_000_000), Ok(1_000_000));
		assert_eq!(parse_percent("100", 1_000_000), Ok(1_000_000));
		assert_eq!(parse_percent("0", 1_000_000), Ok(0));
		assert!(parse_percent("101%", 1_000_000).is_err());
		assert!(parse_percent("0.00001%", 1_000_000).is_err(), "finer than a Permill");
		assert!(parse_percent("ten", 1_000_000).is_err());
		assert_eq!(fmt_percent(125_000, 1_000_000), "12.5%");
		assert_eq!(fmt_percent(1_000_000, 1_000_000_000), "0.1%");
		assert_eq!(fmt_percent(300_000, 1_000_000), "30%");
		assert_eq!(fmt_percent(1, 1_000_000), "0.0001%");
	}

	proptest! {
		#[test]
		fn printing_and_parsing_round_trip(planck in any::<u128>().prop_map(|p| p % (u128::MAX / 2))) {
			prop_assert_eq!(parse_nmr(&plain_nmr(planck)), Ok(planck));
			prop_assert_eq!(parse_nmr(&fmt_nmr(planck).replace(',', "_")), Ok(planck));
		}

		#[test]
		fn percent_round_trips(parts in 0u64..=1_000_000) {
			prop_assert_eq!(parse_percent(&fmt_percent(parts, 1_000_000), 1_000_000), Ok(parts));
		}
	}
}
