//! The TOML files owners and council members write: terms, fee caps, protocol parameters.
//! Amounts are NMR as strings ("12.5"), fractions are percentages ("12.5%"), so nothing is
//! rounded through a float.

use crate::amount::{fmt_nmr, fmt_percent, parse_nmr, parse_percent};
use numerstake_primitives::{
	terms::{CommitmentOption, FeeStep, Terms, TermsDocument},
	FeeCaps, ProtocolParams, RoundIndex,
};
use polkadot_sdk::{
	frame_support::BoundedVec,
	sp_core::H256,
	sp_runtime::{Perbill, Permill},
};
use serde::Deserialize;

/// An amount in a file: a string of NMR ("12.5") or a whole number of NMR.
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum Nmr {
	/// "12.5"
	Text(String),
	/// 12
	Whole(u64),
}

impl Nmr {
	fn planck(&self, field: &str) -> Result<u128, String> {
		match self {
			Nmr::Text(t) => parse_nmr(t).map_err(|e| format!("{field}: {e}")),
			Nmr::Whole(n) => Ok(*n as u128 * crate::amount::NMR),
		}
	}
}

/// A fraction in a file: a percentage string ("12.5%") or a whole number of percent.
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum Percent {
	/// "12.5%"
	Text(String),
	/// 12
	Whole(u64),
}

impl Percent {
	fn parts(&self, field: &str, scale: u64) -> Result<u64, String> {
		let text = match self {
			Percent::Text(t) => t.clone(),
			Percent::Whole(n) => n.to_string(),
		};
		parse_percent(&text, scale).map_err(|e| format!("{field}: {e}"))
	}
	fn permill(&self, field: &str) -> Result<Permill, String> {
		Ok(Permill::from_parts(self.parts(field, 1_000_000)? as u32))
	}
	fn perbill(&self, field: &str) -> Result<Perbill, String> {
		Ok(Perbill::from_parts(self.parts(field, 1_000_000_000)? as u32))
	}
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct FixedStepFile {
	up_to: Nmr,
	fee_per_round: Nmr,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct PerformanceStepFile {
	up_to: Nmr,
	fee: Percent,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct CommitmentFile {
	term_rounds: RoundIndex,
	#[serde(default)]
	discount: Option<Percent>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct DocumentFile {
	uri: String,
	/// `0x…` hash of the document's bytes, or…
	hash: Option<String>,
	/// …a local copy of the document to hash (blake2-256, as the chain expects).
	file: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct TermsFile {
	capacity: Nmr,
	min_delegation: Nmr,
	max_delegation: Nmr,
	effective_round: Option<RoundIndex>,
	#[serde(default)]
	fixed_fee: Vec<FixedStepFile>,
	#[serde(default)]
	performance_fee: Vec<PerformanceStepFile>,
	#[serde(default, rename = "commitment")]
	commitments: Vec<CommitmentFile>,
	document: Option<DocumentFile>,
}

/// Terms read from a file, with the round they should take effect from (if given).
pub fn read_terms(
	text: &str,
	base_dir: &std::path::Path,
) -> Result<(Terms<u128>, Option<RoundIndex>), String> {
	let f: TermsFile = toml::from_str(text).map_err(|e| format!("terms file: {e}"))?;
	let too_many = |what: &str, max: u32| format!("terms file: more than {max} {what}");
	let fixed: Vec<FeeStep<u128, u128>> = f
		.fixed_fee
		.iter()
		.enumerate()
		.map(|(i, s)| {
			Ok(FeeStep {
				up_to: s.up_to.planck(&format!("fixed_fee[{i}].up_to"))?,
				fee: s.fee_per_round.planck(&format!("fixed_fee[{i}].fee_per_round"))?,
			})
		})
		.collect::<Result<_, String>>()?;
	let performance: Vec<FeeStep<u128, Permill>> = f
		.performance_fee
		.iter()
		.enumerate()
		.map(|(i, s)| {
			Ok(FeeStep {
				up_to: s.up_to.planck(&format!("performance_fee[{i}].up_to"))?,
				fee: s.fee.permill(&format!("performance_fee[{i}].fee"))?,
			})
		})
		.collect::<Result<_, String>>()?;
	let commitments: Vec<CommitmentOption> = f
		.commitments
		.iter()
		.enumerate()
		.map(|(i, c)| {
			Ok(CommitmentOption {
				term_rounds: c.term_rounds,
				discount: match &c.discount {
					Some(d) => d.permill(&format!("commitment[{i}].discount"))?,
					None => Permill::zero(),
				},
			})
		})
		.collect::<Result<_, String>>()?;
	let document = match f.document {
		None => None,
		Some(d) => {
			let hash = match (d.hash, d.file) {
				(Some(h), None) => parse_h256(&h).map_err(|e| format!("document.hash: {e}"))?,
				(None, Some(path)) => {
					let bytes = std::fs::read(base_dir.join(&path))
						.map_err(|e| format!("document.file {path}: {e}"))?;
					H256(polkadot_sdk::sp_io::hashing::blake2_256(&bytes))
				},
				_ => return Err("document: give exactly one of `hash` or `file`".into()),
			};
			let uri = BoundedVec::try_from(d.uri.into_bytes())
				.map_err(|_| "document.uri: longer than 256 bytes".to_string())?;
			Some(TermsDocument { hash, uri })
		},
	};
	let terms = Terms {
		capacity: f.capacity.planck("capacity")?,
		min_delegation: f.min_delegation.planck("min_delegation")?,
		max_delegation: f.max_delegation.planck("max_delegation")?,
		fixed_fee: BoundedVec::try_from(fixed).map_err(|_| too_many("fixed_fee steps", 8))?,
		performance_fee: BoundedVec::try_from(performance)
			.map_err(|_| too_many("performance_fee steps", 8))?,
		commitments: BoundedVec::try_from(commitments)
			.map_err(|_| too_many("commitment options", 4))?,
		document,
	};
	Ok((terms, f.effective_round))
}

/// `0x` + 64 hex digits.
pub fn parse_h256(text: &str) -> Result<H256, String> {
	let hex = text.trim().strip_prefix("0x").unwrap_or(text.trim());
	if hex.len() != 64 || !hex.is_ascii() {
		return Err(format!("`{text}` is not a 32-byte hex hash"));
	}
	let mut out = [0u8; 32];
	for (i, byte) in out.iter_mut().enumerate() {
		*byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
			.map_err(|_| format!("`{text}` is not hex"))?;
	}
	Ok(H256(out))
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct CapsFile {
	max_performance_fee: Option<Percent>,
	max_fixed_fee_per_round: Option<Percent>,
	max_performance_fee_increase: Option<Percent>,
	min_fee_change_notice: Option<RoundIndex>,
	max_commitment_term: Option<RoundIndex>,
}

/// Fee caps from a file: the fields it names replace those of `current`.
pub fn read_caps(text: &str, current: FeeCaps) -> Result<FeeCaps, String> {
	let f: CapsFile = toml::from_str(text).map_err(|e| format!("fee caps file: {e}"))?;
	let mut caps = current;
	if let Some(v) = f.max_performance_fee {
		caps.max_performance_fee = v.permill("max_performance_fee")?;
	}
	if let Some(v) = f.max_fixed_fee_per_round {
		caps.max_fixed_fee_per_round = v.perbill("max_fixed_fee_per_round")?;
	}
	if let Some(v) = f.max_performance_fee_increase {
		caps.max_performance_fee_increase = v.permill("max_performance_fee_increase")?;
	}
	if let Some(v) = f.min_fee_change_notice {
		caps.min_fee_change_notice = v;
	}
	if let Some(v) = f.max_commitment_term {
		caps.max_commitment_term = v;
	}
	Ok(caps)
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct ParamsFile {
	activation_lag: Option<RoundIndex>,
	bond_ratio: Option<Percent>,
	grace_rounds: Option<RoundIndex>,
	model_cap: Option<Percent>,
	operator_cap: Option<Percent>,
	caps_from_total: Option<Nmr>,
	fee_period: Option<RoundIndex>,
}

/// Protocol parameters from a file: the fields it names replace those of `current`.
pub fn read_params(text: &str, current: ProtocolParams) -> Result<ProtocolParams, String> {
	let f: ParamsFile = toml::from_str(text).map_err(|e| format!("parameters file: {e}"))?;
	let mut p = current;
	if let Some(v) = f.activation_lag {
		p.activation_lag = v;
	}
	if let Some(v) = f.bond_ratio {
		p.bond_ratio = v.perbill("bond_ratio")?;
	}
	if let Some(v) = f.grace_rounds {
		p.grace_rounds = v;
	}
	if let Some(v) = f.model_cap {
		p.model_cap = v.perbill("model_cap")?;
	}
	if let Some(v) = f.operator_cap {
		p.operator_cap = v.perbill("operator_cap")?;
	}
	if let Some(v) = f.caps_from_total {
		p.caps_from_total = v.planck("caps_from_total")?;
	}
	if let Some(v) = f.fee_period {
		p.fee_period = v;
	}
	Ok(p)
}

/// Fee caps as (field, value) rows for display.
pub fn caps_rows(c: &FeeCaps) -> Vec<(&'static str, String)> {
	vec![
		("max_performance_fee", fmt_percent(c.max_performance_fee.deconstruct() as u64, 1_000_000)),
		(
			"max_fixed_fee_per_round",
			fmt_percent(c.max_fixed_fee_per_round.deconstruct() as u64, 1_000_000_000),
		),
		(
			"max_performance_fee_increase",
			fmt_percent(c.max_performance_fee_increase.deconstruct() as u64, 1_000_000),
		),
		("min_fee_change_notice", format!("{} rounds", c.min_fee_change_notice)),
		("max_commitment_term", format!("{} rounds", c.max_commitment_term)),
	]
}

/// Protocol parameters as (field, value) rows for display.
pub fn params_rows(p: &ProtocolParams) -> Vec<(&'static str, String)> {
	vec![
		("activation_lag", format!("{} rounds", p.activation_lag)),
		("bond_ratio", fmt_percent(p.bond_ratio.deconstruct() as u64, 1_000_000_000)),
		("grace_rounds", format!("{} rounds", p.grace_rounds)),
		("model_cap", fmt_percent(p.model_cap.deconstruct() as u64, 1_000_000_000)),
		("operator_cap", fmt_percent(p.operator_cap.deconstruct() as u64, 1_000_000_000)),
		("caps_from_total", format!("{} NMR", fmt_nmr(p.caps_from_total))),
		("fee_period", format!("{} rounds", p.fee_period)),
	]
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_terms_file_reads_exactly() {
		let text = r#"
			capacity = "100000"
			min_delegation = 10
			max_delegation = "50000.5"
			effective_round = 900
			[[fixed_fee]]
			up_to = "1000"
			fee_per_round = "0.25"
			[[performance_fee]]
			up_to = "1000000"
			fee = "12.5%"
			[[commitment]]
			term_rounds = 0
			[[commitment]]
			term_rounds = 20
			discount = "10%"
		"#;
		let (terms, effective) = read_terms(text, std::path::Path::new(".")).unwrap();
		assert_eq!(effective, Some(900));
		assert_eq!(terms.capacity, 100_000 * crate::amount::NMR);
		assert_eq!(terms.max_delegation, 50_000 * crate::amount::NMR + crate::amount::NMR / 2);
		assert_eq!(terms.fixed_fee[0].fee, crate::amount::NMR / 4);
		assert_eq!(terms.performance_fee[0].fee, Permill::from_parts(125_000));
		assert_eq!(terms.commitments[1].discount, Permill::from_percent(10));
	}

	#[test]
	fn bad_files_say_which_field_is_wrong() {
		let e = read_terms(
			"capacity = \"1e5\"\nmin_delegation = 1\nmax_delegation = 2",
			std::path::Path::new("."),
		)
		.unwrap_err();
		assert!(e.starts_with("capacity:"), "{e}");
		let e = read_terms(
			"capacity = 1\nmin_delegation = 1\nmax_delegation = 1\ncolour = 3",
			std::path::Path::new("."),
		)
		.unwrap_err();
		assert!(e.contains("unknown field"), "{e}");
		let e = read_caps("max_performance_fee = \"120%\"", FeeCaps::DEFAULT).unwrap_err();
		assert!(e.contains("more than 100%"), "{e}");
	}

	#[test]
	fn governance_files_change_only_what_they_name() {
		let caps = read_caps("max_performance_fee = \"20%\"", FeeCaps::DEFAULT).unwrap();
		assert_eq!(caps.max_performance_fee, Permill::from_percent(20));
		assert_eq!(caps.min_fee_change_notice, FeeCaps::DEFAULT.min_fee_change_notice);
		let p = read_params("fee_period = 10\ncaps_from_total = \"5000\"", ProtocolParams::DEFAULT)
			.unwrap();
		assert_eq!(p.fee_period, 10);
		assert_eq!(p.caps_from_total, 5_000 * crate::amount::NMR);
		assert_eq!(p.bond_ratio, ProtocolParams::DEFAULT.bond_ratio);
	}
}
