//! What the fixture knows: the round clock, the models, their results and profiles.
//!
//! Results are a pure function of (seed, model, round), so every request, every restart and every
//! oracle operator sees the same numbers. Returns are correlated: each round has a common factor
//! that every model loads on with its own beta, plus noise. Scores have six decimals and payouts
//! follow Numerai's formula exactly (`numerstake_numerai::extract::formula_payout`), so a correct
//! oracle always confirms them.

use numerstake_numerai::{decimal::SCORE_SCALE, extract::formula_payout, DEMO_MODELS};
use serde_json::Value;
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
pub enum RoundData {
	/// Not submitted in this round.
	Missed,
	/// Submitted: stake and scores (micro-units, 6 decimals).
	Submitted {
		/// Stake at risk, planck.
		at_risk: u128,
		/// CORR score × 10^6.
		corr_micro: i64,
		/// MMC score × 10^6.
		mmc_micro: i64,
	},
}

/// A model.
#[derive(Clone, Debug)]
pub struct Model {
	/// UUID text.
	pub id: String,
	/// Public name.
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
	/// Models by name.
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

	/// Models and results from a JSON document:
	/// `{"models": [{"id", "name", "bio"?, "results": {"<round>": {"at_risk": "<NMR>",
	/// "corr": "<decimal>", "mmc": "<decimal>"} | null}}]}` (a round not listed or `null`:
	/// missed).
	pub fn from_json(seed: u64, doc: &Value) -> Result<Self, String> {
		let list = doc.get("models").and_then(Value::as_array).ok_or("no \"models\" array")?;
		let mut models = BTreeMap::new();
		for m in list {
			let text = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
			let id = text("id").ok_or("a model without \"id\"")?;
			numerstake_primitives::ModelId::parse(id.as_bytes())
				.map_err(|e| format!("bad model id {id}: {e:?}"))?;
			let name = text("name").ok_or("a model without \"name\"")?;
			let mut fixed = BTreeMap::new();
			if let Some(results) = m.get("results").and_then(Value::as_object) {
				for (round, r) in results {
					let round: u32 = round.parse().map_err(|_| format!("bad round {round}"))?;
					if r.is_null() {
						fixed.insert(round, RoundData::Missed);
						continue;
					}
					let field = |k: &str| {
						r.get(k).and_then(Value::as_str).ok_or(format!("round {round}: no {k}"))
					};
					let at_risk = numerstake_numerai::decimal::parse_nmr(field("at_risk")?)
						.map_err(|e| format!("round {round}: at_risk {e:?}"))?;
					let micro = |k: &str| -> Result<i64, String> {
						let v = numerstake_numerai::decimal::parse_exact(field(k)?, 6).map_err(
							|e| format!("round {round}: {k} {e:?} (at most 6 decimals)"),
						)?;
						i64::try_from(v).map_err(|_| format!("round {round}: {k} too large"))
					};
					fixed.insert(
						round,
						RoundData::Submitted {
							at_risk: u128::try_from(at_risk)
								.map_err(|_| format!("round {round}: negative stake"))?,
							corr_micro: micro("corr")?,
							mmc_micro: micro("mmc")?,
						},
					);
				}
			}
			models.insert(
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
		Ok(World { seed, models })
	}

	/// The model with this id (case-insensitive).
	pub fn by_id(&self, id: &str) -> Option<&Model> {
		self.models.values().find(|m| m.id.eq_ignore_ascii_case(id))
	}

	/// `model`'s result in `round`.
	pub fn round_data(&self, model: &Model, round: u32) -> RoundData {
		if let Some(fixed) = &model.fixed {
			return fixed.get(&round).cloned().unwrap_or(RoundData::Missed);
		}
		let mk = name_key(&model.name);
		let r = u64::from(round);
		// About 1 round in 12 is missed.
		if uniform(&[self.seed, mk, r, 7]) < 1.0 / 12.0 {
			return RoundData::Missed;
		}
		let common = normal(&[self.seed, r, 11]) * 0.02;
		let idio = normal(&[self.seed, mk, r, 13]) * 0.015;
		let corr = common * model.beta_milli as f64 / 1_000.0 + idio;
		let mmc = normal(&[self.seed, mk, r, 17]) * 0.004 + 0.1 * idio;
		// Stakes drift ±20 %; about 1 round in 10 the owner stakes only half.
		let drift = 0.8 + 0.4 * uniform(&[self.seed, mk, r, 19]);
		let under = if uniform(&[self.seed, mk, r, 23]) < 0.1 { 0.5 } else { 1.0 };
		let stake_milli = (model.stake_nmr as f64 * drift * under * 1_000.0).round() as u128;
		RoundData::Submitted {
			at_risk: stake_milli * (NMR / 1_000),
			corr_micro: (corr * 1e6).round() as i64,
			mmc_micro: (mmc * 1e6).round() as i64,
		}
	}
}

/// Numerai's payout for a submitted round (payout factor 1), planck.
pub fn payout(at_risk: u128, corr_micro: i64, mmc_micro: i64) -> i128 {
	let s = SCORE_SCALE / 1_000_000;
	formula_payout(
		at_risk,
		SCORE_SCALE,
		CORR_MULTIPLIER_MICRO * s,
		corr_micro * s,
		MMC_MULTIPLIER_MICRO * s,
		mmc_micro * s,
	)
	.unwrap_or(0)
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
				RoundData::Missed => missed += 1,
				RoundData::Submitted { corr_micro, .. } => assert!(corr_micro.abs() < 200_000),
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
					RoundData::Submitted { corr_micro, .. } => corr_micro as f64,
					RoundData::Missed => 0.0,
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
		let doc: Value = serde_json::from_str(
			r#"{"models":[{"id":"11111111-2222-4333-8444-555555555555","name":"m","bio":"hi",
			"results":{"10":{"at_risk":"150.5","corr":"0.0123","mmc":"-0.0031"},"11":null}}]}"#,
		)
		.unwrap();
		let w = World::from_json(1, &doc).unwrap();
		let m = &w.models["m"];
		assert_eq!(
			w.round_data(m, 10),
			RoundData::Submitted {
				at_risk: 150 * NMR + NMR / 2,
				corr_micro: 12_300,
				mmc_micro: -3_100
			}
		);
		assert_eq!(w.round_data(m, 11), RoundData::Missed);
		assert_eq!(w.round_data(m, 12), RoundData::Missed);
		let bad: Value = serde_json::from_str(r#"{"models":[{"id":"11111111-2222-4333-8444-555555555555","name":"m","results":{"1":{"at_risk":"1","corr":"0.1234567","mmc":"0"}}}]}"#).unwrap();
		assert!(World::from_json(1, &bad).unwrap_err().contains("6 decimals"));
		let bad_id: Value = serde_json::from_str(r#"{"models":[{"id":"x","name":"m"}]}"#).unwrap();
		assert!(World::from_json(1, &bad_id).unwrap_err().contains("bad model id"));
	}
}
