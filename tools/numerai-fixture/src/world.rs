//! What the fixture knows: the round clock, the models, their results and profiles.
//!
//! Results are a pure function of (seed, model, round), so every request, every restart and every
//! oracle operator sees the same numbers. Returns are correlated: each round has a common factor
//! that every model loads on with its own beta, plus noise. Scores have six decimals and payouts
//! follow Numerai's formula exactly (`numerstake_numerai::extract::formula_payout`), so a correct
//! oracle always confirms them.

use numerstake_numerai::{decimal::SCORE_SCALE, extract::formula_payout, DEMO_MODELS};
use std::collections::BTreeMap;

/// One NMR in planck.
pub const NMR: u128 = 1_000_000_000_000_000_000;

/// The round schedule: round `first_round` opens at `start`, one round every `round_secs`,
/// each resolving `resolve_after` rounds after it opened.
#[derive(Clone, Debug)]
pub struct Clock {
	/// Unix seconds when `first_round` opened.
	pub start: u64,
	/// The first round.
	pub first_round: u32,
	/// Seconds between round openings.
	pub round_secs: u64,
	/// Rounds between opening and resolution.
	pub resolve_after: u32,
}

impl Clock {
	/// The round open at `now` (the latest opened).
	pub fn current(&self, now: u64) -> u32 {
		let elapsed = now.saturating_sub(self.start) / self.round_secs.max(1);
		self.first_round.saturating_add(u32::try_from(elapsed).unwrap_or(u32::MAX))
	}

	/// Unix seconds at which `round` opens (rounds before the first count backwards).
	pub fn opens_at(&self, round: u32) -> u64 {
		let offset = i64::from(round) - i64::from(self.first_round);
		let secs = self.start as i64 + offset * self.round_secs as i64;
		secs.max(0) as u64
	}

	/// Unix seconds at which `round` resolves.
	pub fn resolves_at(&self, round: u32) -> u64 {
		self.opens_at(round) + u64::from(self.resolve_after) * self.round_secs.max(1)
	}
}

/// A model's result in a round.
#[derive(Clone, Debug, PartialEq, Eq)]
// A test tool's value type, built one round at a time: no need to box the submission.
#[allow(clippy::large_enum_variant)]
pub enum RoundData {
	/// Not submitted in this round: absent from the list, or (`listed`) listed with nulls, the
	/// two shapes seen for a round without a submission.
	Missed {
		/// Listed with nulls rather than absent.
		listed: bool,
	},
	/// Submitted.
	Submitted(Submission),
}

/// A decimal as Numerai sends it: its text, served verbatim as a JSON number, and its value at
/// the oracle's score scale (10^12, rounded half away from zero, as the oracle reads it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decimal {
	/// The text (plain or exponent form, at most 18 decimals).
	pub text: String,
	/// The value × 10^12.
	pub scaled: i64,
}

impl Decimal {
	/// Reads `text`, which must be a JSON number with at most 18 decimals.
	pub fn parse(text: &str) -> Result<Self, String> {
		if serde_json::from_str::<serde_json::Number>(text).is_err() {
			return Err(format!("{text:?} is not a number"));
		}
		numerstake_numerai::decimal::parse_exact(text, 18)
			.map_err(|e| format!("{text:?}: {e:?} (at most 18 decimals)"))?;
		let scaled = numerstake_numerai::decimal::parse_score(text)
			.map_err(|e| format!("{text:?}: {e:?}"))?;
		Ok(Decimal { text: text.to_string(), scaled })
	}

	/// A value in millionths, written as Numerai writes floats (small ones with an exponent).
	pub fn from_micro(micro: i64) -> Self {
		let text = if micro != 0 && micro.abs() < 1_000 {
			format!("{micro}e-6")
		} else {
			let sign = if micro < 0 { "-" } else { "" };
			let m = micro.unsigned_abs();
			format!("{sign}{}.{:06}", m / 1_000_000, m % 1_000_000)
		};
		Decimal { text, scaled: micro * (SCORE_SCALE / 1_000_000) }
	}
}

/// A submitted round: the stake, the two scores of the payout formula, the round's multipliers
/// and payout factor, and what Numerai settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
	/// Stake at risk, planck.
	pub at_risk: u128,
	/// The CORR score.
	pub corr: Decimal,
	/// The MMC score.
	pub mmc: Decimal,
	/// The round's CORR multiplier.
	pub corr_multiplier: Decimal,
	/// The round's MMC multiplier.
	pub mmc_multiplier: Decimal,
	/// The round's payout factor.
	pub payout_factor: Decimal,
	/// What Numerai settled, planck; `None`: what the formula gives.
	pub settled: Option<i128>,
}

impl Submission {
	/// A synthetic round: scores in millionths, 2025–26 multipliers, payout factor 1.
	pub fn synthetic(at_risk: u128, corr_micro: i64, mmc_micro: i64) -> Self {
		Submission {
			at_risk,
			corr: Decimal::from_micro(corr_micro),
			mmc: Decimal::from_micro(mmc_micro),
			corr_multiplier: Decimal::from_micro(CORR_MULTIPLIER_MICRO),
			mmc_multiplier: Decimal::from_micro(MMC_MULTIPLIER_MICRO),
			payout_factor: Decimal::from_micro(1_000_000),
			settled: None,
		}
	}

	/// What Numerai paid (+) or burned (-), planck: the settled payout, or the formula's
	/// (`numerstake_numerai::extract::formula_payout`, on the values as the oracle reads them).
	pub fn payout(&self) -> i128 {
		self.settled.unwrap_or_else(|| {
			formula_payout(
				self.at_risk,
				self.payout_factor.scaled,
				self.corr_multiplier.scaled,
				self.corr.scaled,
				self.mmc_multiplier.scaled,
				self.mmc.scaled,
			)
			.unwrap_or(0)
		})
	}
}

/// A model.
#[derive(Clone, Debug)]
pub struct Model {
	/// UUID text.
	pub id: String,
	/// Public name, in lower case (names match without regard to case, as on Numerai).
	pub name: String,
	/// Public bio (where owners put ownership challenges).
	pub bio: Option<String>,
	/// Loading on the common factor, × 1000.
	pub beta_milli: i64,
	/// Base stake, NMR.
	pub stake_nmr: u128,
	/// Results loaded from a file (rounds not listed: missed); `None`: synthetic.
	pub fixed: Option<BTreeMap<u32, RoundData>>,
}

/// Round multipliers and payout factor the fixture reports (2025–26 values).
pub const CORR_MULTIPLIER_MICRO: i64 = 750_000;
/// MMC multiplier × 10^6.
pub const MMC_MULTIPLIER_MICRO: i64 = 2_250_000;

/// All models and the seed.
#[derive(Clone, Debug)]
pub struct World {
	/// Seed of the synthetic generator.
	pub seed: u64,
	/// Models by lower-case name.
	pub models: BTreeMap<String, Model>,
}

fn splitmix(mut x: u64) -> u64 {
	x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
	x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
	x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
	x ^ (x >> 31)
}

/// A deterministic draw in [0, 1) from the given keys.
fn uniform(keys: &[u64]) -> f64 {
	let h = keys.iter().fold(0u64, |acc, k| splitmix(acc ^ splitmix(*k)));
	(h >> 11) as f64 / (1u64 << 53) as f64
}

/// A deterministic standard normal draw (Box–Muller).
fn normal(keys: &[u64]) -> f64 {
	let u1 = uniform(&[keys, &[1]].concat()).max(1e-12);
	let u2 = uniform(&[keys, &[2]].concat());
	(-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn name_key(name: &str) -> u64 {
	name.bytes()
		.fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x1000_0000_01b3))
}

impl World {
	/// The demo models plus `extra` synthetic ones.
	pub fn synthetic(seed: u64, extra: u32) -> Self {
		let mut models = BTreeMap::new();
		for (i, (id, name)) in DEMO_MODELS.iter().enumerate() {
			models.insert(
				name.to_string(),
				Model {
					id: id.to_string(),
					name: name.to_string(),
					bio: None,
					beta_milli: 600 + 150 * i as i64,
					stake_nmr: 500 + 250 * i as u128,
					fixed: None,
				},
			);
		}
		for i in 0..extra {
			let key = splitmix(seed ^ u64::from(i));
			let name = format!("synthetic_{i:03}");
			let bytes = [splitmix(key).to_be_bytes(), splitmix(key ^ 1).to_be_bytes()].concat();
			let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
			// A version-4 UUID.
			let id = format!(
				"{}-{}-4{}-8{}-{}",
				&hex[0..8],
				&hex[8..12],
				&hex[13..16],
				&hex[17..20],
				&hex[20..32]
			);
			models.insert(
				name.clone(),
				Model {
					id,
					name,
					bio: None,
					beta_milli: 200 + (key % 1_000) as i64,
					stake_nmr: 10 + u128::from(key % 5_000),
					fixed: None,
				},
			);
		}
		World { seed, models }
	}

	/// The demo models (synthetic results) plus the models and results of a JSON data file
	/// (see the crate's README for the format). Errors name the model, the round and the field.
	pub fn from_json(seed: u64, text: &[u8]) -> Result<Self, String> {
		use numerstake_numerai::json::{parse, Value as J};
		let doc = parse(text).map_err(|e| format!("not JSON: {e:?}"))?;
		let list = doc.get("models").and_then(J::as_array).ok_or("no \"models\" array")?;
		let mut world = World::synthetic(seed, 0);
		let mut from_file: Vec<String> = Vec::new();
		for (i, m) in list.iter().enumerate() {
			let text = |k: &str| m.get(k).and_then(J::as_str).map(str::to_string);
			let name = text("name").ok_or(format!("model #{}: no \"name\"", i + 1))?.to_lowercase();
			let at = |what: String| format!("model {name}: {what}");
			if name.is_empty() {
				return Err(format!("model #{}: empty name", i + 1));
			}
			if from_file.contains(&name) {
				return Err(at("listed twice (names match without regard to case)".into()));
			}
			let id = text("id").ok_or(at("no \"id\"".into()))?;
			numerstake_primitives::ModelId::parse(id.as_bytes())
				.map_err(|e| at(format!("bad id {id}: {e:?}")))?;
			if let Some(other) = world.models.values().find(|o| o.id.eq_ignore_ascii_case(&id)) {
				if other.name != name {
					return Err(at(format!("id {id} is also {}'s", other.name)));
				}
			}
			let mut fixed = BTreeMap::new();
			match m.get("results") {
				None | Some(J::Null) => {},
				Some(J::Object(results)) => {
					for (round_text, r) in results {
						let round: u32 = round_text
							.parse()
							.map_err(|_| at(format!("bad round {round_text:?}")))?;
						let data = round_data_from_json(r)
							.map_err(|e| at(format!("round {round}: {e}")))?;
						if fixed.insert(round, data).is_some() {
							return Err(at(format!("round {round} listed twice")));
						}
					}
				},
				Some(_) => return Err(at("\"results\" must be an object by round".into())),
			}
			from_file.push(name.clone());
			world.models.insert(
				name.clone(),
				Model {
					id,
					name,
					bio: text("bio"),
					beta_milli: 0,
					stake_nmr: 0,
					fixed: Some(fixed),
				},
			);
		}
		// A file may replace a demo model (same name); the others stay, as the dev chain's
		// genesis registers them.
		Ok(world)
	}

	/// The demo models plus the models and results of a CSV file of per-round scores (see
	/// [`csv_to_json`]).
	pub fn from_csv(seed: u64, text: &[u8]) -> Result<Self, String> {
		World::from_json(seed, csv_to_json(text)?.as_bytes())
	}

	/// The model with this id (case-insensitive).
	pub fn by_id(&self, id: &str) -> Option<&Model> {
		self.models.values().find(|m| m.id.eq_ignore_ascii_case(id))
	}

	/// The model named `name` (without regard to case).
	pub fn by_name(&self, name: &str) -> Option<&Model> {
		self.models.get(&name.to_lowercase())
	}

	/// `model`'s result in `round`.
	pub fn round_data(&self, model: &Model, round: u32) -> RoundData {
		if let Some(fixed) = &model.fixed {
			return fixed.get(&round).cloned().unwrap_or(RoundData::Missed { listed: false });
		}
		let mk = name_key(&model.name);
		let r = u64::from(round);
		// About 1 round in 12 is missed; both shapes of a missed round occur (by parity).
		if uniform(&[self.seed, mk, r, 7]) < 1.0 / 12.0 {
			return RoundData::Missed { listed: round % 2 == 1 };
		}
		let common = normal(&[self.seed, r, 11]) * 0.02;
		let idio = normal(&[self.seed, mk, r, 13]) * 0.015;
		let corr = common * model.beta_milli as f64 / 1_000.0 + idio;
		let mmc = normal(&[self.seed, mk, r, 17]) * 0.004 + 0.1 * idio;
		// Stakes drift ±20 %; about 1 round in 10 the owner stakes only half.
		let drift = 0.8 + 0.4 * uniform(&[self.seed, mk, r, 19]);
		let under = if uniform(&[self.seed, mk, r, 23]) < 0.1 { 0.5 } else { 1.0 };
		let stake_milli = (model.stake_nmr as f64 * drift * under * 1_000.0).round() as u128;
		RoundData::Submitted(Submission::synthetic(
			stake_milli * (NMR / 1_000),
			(corr * 1e6).round() as i64,
			(mmc * 1e6).round() as i64,
		))
	}
}

/// A round of a data file: `null` (missed, absent from the list), `{"missed": "listed"}` or
/// `{"missed": "absent"}`, or a submission.
fn round_data_from_json(r: &numerstake_numerai::json::Value) -> Result<RoundData, String> {
	use numerstake_numerai::json::Value as J;
	if r.is_null() {
		return Ok(RoundData::Missed { listed: false });
	}
	let J::Object(fields) = r else { return Err("must be an object or null".into()) };
	if let Some(shape) = r.get("missed") {
		return match shape.as_str() {
			Some("listed") => Ok(RoundData::Missed { listed: true }),
			Some("absent") => Ok(RoundData::Missed { listed: false }),
			_ => Err("\"missed\" must be \"listed\" or \"absent\"".into()),
		};
	}
	const KNOWN: [&str; 7] =
		["at_risk", "corr", "mmc", "payout", "corr_multiplier", "mmc_multiplier", "payout_factor"];
	if let Some((k, _)) = fields.iter().find(|(k, _)| !KNOWN.contains(&k.as_str())) {
		return Err(format!("unknown field {k:?} (known: {})", KNOWN.join(", ")));
	}
	// A number as a JSON number or a string.
	let number = |k: &str| -> Result<Option<&str>, String> {
		match r.get(k) {
			None | Some(J::Null) => Ok(None),
			Some(J::Number(t)) | Some(J::String(t)) => Ok(Some(t.as_str())),
			Some(_) => Err(format!("{k}: must be a number or a string")),
		}
	};
	let required = |k: &str| number(k)?.ok_or(format!("no {k}"));
	let decimal = |k: &str, default: &str| -> Result<Decimal, String> {
		Decimal::parse(number(k)?.unwrap_or(default)).map_err(|e| format!("{k}: {e}"))
	};
	let nmr = |k: &str, t: &str| -> Result<i128, String> {
		numerstake_numerai::decimal::parse_nmr(t).map_err(|e| format!("{k}: {t:?} {e:?}"))
	};
	let at_risk = nmr("at_risk", required("at_risk")?)?;
	let at_risk = u128::try_from(at_risk).map_err(|_| "at_risk: negative".to_string())?;
	let settled = number("payout")?.map(|t| nmr("payout", t)).transpose()?;
	let corr = Decimal::parse(required("corr")?).map_err(|e| format!("corr: {e}"))?;
	let mmc = Decimal::parse(required("mmc")?).map_err(|e| format!("mmc: {e}"))?;
	Ok(RoundData::Submitted(Submission {
		at_risk,
		corr,
		mmc,
		corr_multiplier: decimal("corr_multiplier", "0.75")?,
		mmc_multiplier: decimal("mmc_multiplier", "2.25")?,
		payout_factor: decimal("payout_factor", "1")?,
		settled,
	}))
}

/// The columns of a history CSV: a model's id and name and the round on every row; then either
/// `missed` (`absent` or `listed`) or the round's `at_risk`, `corr` and `mmc`, and optionally
/// `corr_multiplier`, `mmc_multiplier`, `payout_factor` and `payout` (what Numerai settled).
pub const CSV_COLUMNS: [&str; 11] = [
	"model_id",
	"model_name",
	"round",
	"missed",
	"at_risk",
	"corr",
	"mmc",
	"corr_multiplier",
	"mmc_multiplier",
	"payout_factor",
	"payout",
];

/// A CSV of per-round scores (one row per model and round, columns [`CSV_COLUMNS`], the first
/// three required, the others optional and empty where not known) as a data file for
/// [`World::from_json`]. Every number keeps its text. Errors name the line and the column.
pub fn csv_to_json(text: &[u8]) -> Result<String, String> {
	use serde_json::{json, Map, Value};
	let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text);
	let headers = reader.headers().map_err(|e| format!("CSV header: {e}"))?.clone();
	let column = |name: &str| headers.iter().position(|h| h == name);
	if let Some(unknown) = headers.iter().find(|h| !CSV_COLUMNS.contains(h)) {
		return Err(format!(
			"CSV header: unknown column {unknown:?} (known: {})",
			CSV_COLUMNS.join(", ")
		));
	}
	for required in &CSV_COLUMNS[..3] {
		if column(required).is_none() {
			return Err(format!("CSV header: no {required} column"));
		}
	}
	// Models in order of first appearance; each with its rounds.
	let mut models: Vec<(String, String, Map<String, Value>)> = Vec::new();
	for (i, record) in reader.records().enumerate() {
		let line = i + 2;
		let record = record.map_err(|e| format!("CSV line {line}: {e}"))?;
		let cell = |name: &str| {
			column(name).and_then(|c| record.get(c)).filter(|v| !v.is_empty()).map(str::to_string)
		};
		let need = |name: &str| cell(name).ok_or(format!("CSV line {line}: no {name}"));
		let (id, name, round) = (need("model_id")?, need("model_name")?, need("round")?);
		let entry = match cell("missed") {
			Some(shape) => json!({ "missed": shape }),
			None => {
				let mut round_data = Map::new();
				for k in &CSV_COLUMNS[4..] {
					if let Some(v) = cell(k) {
						round_data.insert(k.to_string(), Value::String(v));
					}
				}
				Value::Object(round_data)
			},
		};
		let at = match models.iter().position(|(i, n, _)| *i == id && *n == name) {
			Some(at) => at,
			None => {
				models.push((id.clone(), name.clone(), Map::new()));
				models.len() - 1
			},
		};
		if models[at].2.insert(round.clone(), entry).is_some() {
			return Err(format!("CSV line {line}: model {name} round {round} listed twice"));
		}
	}
	let models: Vec<Value> = models
		.into_iter()
		.map(|(id, name, results)| json!({ "id": id, "name": name, "results": results }))
		.collect();
	Ok(serde_json::to_string_pretty(&json!({ "models": models })).unwrap_or_default())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn results_are_deterministic_and_plausible() {
		let w = World::synthetic(42, 20);
		assert_eq!(w.models.len(), 23);
		let m = &w.models["numerstake_demo_alpha"];
		assert_eq!(w.round_data(m, 1_000), World::synthetic(42, 20).round_data(m, 1_000));
		let mut missed = 0;
		for r in 0..1_000 {
			match w.round_data(m, r) {
				RoundData::Missed { .. } => missed += 1,
				RoundData::Submitted(s) => assert!(s.corr.scaled.abs() < SCORE_SCALE / 5),
			}
		}
		assert!((40..150).contains(&missed), "{missed}");
	}

	#[test]
	fn returns_are_correlated_between_models() {
		let w = World::synthetic(7, 0);
		let series = |name: &str| -> Vec<f64> {
			(0..2_000)
				.map(|r| match w.round_data(&w.models[name], r) {
					RoundData::Submitted(s) => s.corr.scaled as f64,
					RoundData::Missed { .. } => 0.0,
				})
				.collect()
		};
		let (a, b) = (series("numerstake_demo_alpha"), series("numerstake_demo_beta"));
		let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
		let (ma, mb) = (mean(&a), mean(&b));
		let cov: f64 = a.iter().zip(&b).map(|(x, y)| (x - ma) * (y - mb)).sum();
		let var = |v: &[f64], m: f64| v.iter().map(|x| (x - m).powi(2)).sum::<f64>();
		let rho = cov / (var(&a, ma) * var(&b, mb)).sqrt();
		assert!(rho > 0.3, "correlation {rho}");
	}

	#[test]
	fn the_clock_runs_rounds() {
		let c = Clock { start: 1_000, first_round: 500, round_secs: 30, resolve_after: 3 };
		assert_eq!(c.current(1_000), 500);
		assert_eq!(c.current(1_029), 500);
		assert_eq!(c.current(1_030), 501);
		assert_eq!(c.opens_at(501), 1_030);
		assert_eq!(c.resolves_at(500), 1_090);
		assert_eq!(c.opens_at(499), 970);
	}

	#[test]
	fn file_data_is_read_exactly() {
		let doc = br#"{"models":[{"id":"11111111-2222-4333-8444-555555555555","name":"My_Model","bio":"hi",
			"results":{"10":{"at_risk":"150.5","corr":0.012345678901234567,"mmc":"-3.1E-3","payout":1000,
			                  "corr_multiplier":"0.5","mmc_multiplier":2,"payout_factor":"0.118"},
			           "11":null,"12":{"missed":"listed"},"13":{"at_risk":1000,"corr":"0.02","mmc":0}}}]}"#;
		let w = World::from_json(1, doc).unwrap();
		// Name case does not matter; the demo models are still there.
		let m = w.by_name("my_model").unwrap();
		assert_eq!(m.name, "my_model");
		assert!(w.by_name("NUMERSTAKE_DEMO_ALPHA").is_some());
		let RoundData::Submitted(s) = w.round_data(m, 10) else { panic!() };
		assert_eq!(s.at_risk, 150 * NMR + NMR / 2);
		assert_eq!(s.corr.text, "0.012345678901234567");
		assert_eq!(s.corr.scaled, 12_345_678_901);
		assert_eq!(s.mmc.scaled, -3_100_000_000);
		assert_eq!((s.corr_multiplier.text.as_str(), s.mmc_multiplier.text.as_str()), ("0.5", "2"));
		assert_eq!(s.payout_factor.scaled, 118_000_000_000);
		assert_eq!(s.payout(), 1_000 * NMR as i128);
		assert_eq!(w.round_data(m, 11), RoundData::Missed { listed: false });
		assert_eq!(w.round_data(m, 12), RoundData::Missed { listed: true });
		assert_eq!(w.round_data(m, 14), RoundData::Missed { listed: false });
		// Without a payout, the formula's, with the 2025–26 multipliers and factor 1.
		let RoundData::Submitted(s) = w.round_data(m, 13) else { panic!() };
		assert_eq!(s.payout(), 15 * NMR as i128);
	}

	#[test]
	fn file_errors_name_the_model_the_round_and_the_field() {
		let err = |results: &str| {
			let doc = format!(
				r#"{{"models":[{{"id":"11111111-2222-4333-8444-555555555555","name":"m","results":{{{results}}}}}]}}"#
			);
			World::from_json(1, doc.as_bytes()).unwrap_err()
		};
		assert_eq!(err(r#""7":{"corr":"0.1","mmc":"0"}"#), "model m: round 7: no at_risk");
		assert!(err(r#""7":{"at_risk":"1","corr":"0.1234567890123456789","mmc":"0"}"#)
			.starts_with("model m: round 7: corr: "));
		assert!(err(
			r#""7":{"at_risk":"1","corr":"0.1","mmc":"0","payout":"1.0000000000000000001"}"#
		)
		.starts_with("model m: round 7: payout: "));
		assert!(err(r#""7":{"at_risk":"1","corr":".5","mmc":"0"}"#).contains("not a number"));
		assert!(err(r#""7":{"at_risk":"1","corr":"0","mmc":"0","score":1}"#)
			.contains("unknown field \"score\""));
		assert_eq!(err(r#""x":null"#), "model m: bad round \"x\"");
		assert!(err(r#""7":{"missed":"yes"}"#).starts_with("model m: round 7: \"missed\""));
		let two = br#"{"models":[{"id":"11111111-2222-4333-8444-555555555555","name":"M"},
			{"id":"11111111-2222-4333-8444-666666666666","name":"m"}]}"#;
		assert!(World::from_json(1, two).unwrap_err().contains("listed twice"));
		let same_id = br#"{"models":[{"id":"00000000-0000-4000-8000-000000000001","name":"m"}]}"#;
		assert!(World::from_json(1, same_id).unwrap_err().contains("numerstake_demo_alpha"));
		let bad_id = br#"{"models":[{"id":"x","name":"m"}]}"#;
		assert!(World::from_json(1, bad_id).unwrap_err().contains("bad id"));
	}
}
