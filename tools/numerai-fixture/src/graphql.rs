//! Answers the GraphQL queries the oracle sends (see `numerstake_numerai::query`), in Numerai's
//! encodings, with the configured fault applied.

use crate::world::{
	payout, Clock, Model, RoundData, World, CORR_MULTIPLIER_MICRO, MMC_MULTIPLIER_MICRO, NMR,
};
use serde_json::{json, Value};

/// How `payoutSettled` is spread over a round's score entries (the API notes leave it open).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayoutShape {
	/// Each entry carries its component's share; they sum to the payout.
	Sum,
	/// Every entry carries the round's total.
	Repeated,
}

/// Faults to inject, switchable at run time (`POST /admin/fault`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
	/// Answer correctly.
	None,
	/// HTTP 500 with an HTML body.
	Http500,
	/// Answer after [`SLOW_MS`] (beyond the oracle's deadline).
	Slow,
	/// Cut the JSON body in half.
	Truncated,
	/// Not JSON at all.
	Malformed,
	/// `null` stakes and score values in resolved rounds.
	Nulls,
	/// Amounts in exponent notation (`"1.5E+2"`): valid, must be read exactly.
	Exponent,
	/// Zero amounts as `"0E-18"`: valid.
	ZeroE18,
	/// A GraphQL `errors` array and `"data": null`.
	GraphqlErrors,
	/// Every model unknown.
	UnknownModels,
}

/// Delay of [`Fault::Slow`].
pub const SLOW_MS: u64 = 8_000;

impl Fault {
	/// Parses a fault's name (`none`, `http500`, `slow`, `truncated`, `malformed`, `nulls`,
	/// `exponent`, `zero_e18`, `graphql_errors`, `unknown_models`).
	pub fn parse(name: &str) -> Option<Fault> {
		Some(match name {
			"none" => Fault::None,
			"http500" => Fault::Http500,
			"slow" => Fault::Slow,
			"truncated" => Fault::Truncated,
			"malformed" => Fault::Malformed,
			"nulls" => Fault::Nulls,
			"exponent" => Fault::Exponent,
			"zero_e18" => Fault::ZeroE18,
			"graphql_errors" => Fault::GraphqlErrors,
			"unknown_models" => Fault::UnknownModels,
			_ => return None,
		})
	}
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
	/// Status code.
	pub status: u16,
	/// Body.
	pub body: Vec<u8>,
	/// Delay before answering, ms.
	pub delay_ms: u64,
}

impl Answer {
	fn json(v: Value) -> Self {
		Answer { status: 200, body: v.to_string().into_bytes(), delay_ms: 0 }
	}
}

/// Planck as an 18-decimal NMR string (`"12.500000000000000000"`), or per the fault.
fn nmr(amount: i128, fault: Fault) -> String {
	if amount == 0 && fault == Fault::ZeroE18 {
		return "0E-18".to_string();
	}
	let sign = if amount < 0 { "-" } else { "" };
	let m = amount.unsigned_abs();
	if fault == Fault::Exponent {
		// Python Decimal style: all digits, exponent -18.
		return format!("{sign}{m}E-18");
	}
	format!("{sign}{}.{:018}", m / NMR, m % NMR)
}

/// A micro-unit score as a JSON number; small ones in exponent notation, as Numerai does.
fn score(micro: i64) -> Value {
	let text = if micro != 0 && micro.abs() < 1_000 {
		format!("{micro}e-6")
	} else {
		let sign = if micro < 0 { "-" } else { "" };
		format!(
			"{sign}{}.{:06}",
			micro.unsigned_abs() / 1_000_000,
			micro.unsigned_abs() % 1_000_000
		)
	};
	serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn graphql_error(message: &str, path: &str) -> Value {
	json!({"errors": [{"message": message, "locations": [{"line": 1, "column": 1}], "path": [path]}], "data": null})
}

/// The answer to a GraphQL request body at `now` (unix seconds).
pub fn answer(
	world: &World,
	clock: &Clock,
	shape: PayoutShape,
	fault: Fault,
	now: u64,
	body: &[u8],
) -> Answer {
	match fault {
		Fault::Http500 => {
			return Answer {
				status: 500,
				body: b"<html><body>500 Internal Server Error</body></html>".to_vec(),
				delay_ms: 0,
			}
		},
		Fault::Malformed => {
			return Answer {
				status: 200,
				body: b"<html>502 Bad Gateway</html>".to_vec(),
				delay_ms: 0,
			}
		},
		_ => {},
	}
	let mut out = respond(&Ctx { world, clock, shape, fault, now }, body);
	match fault {
		Fault::Truncated => {
			let half = out.body.len() / 2;
			out.body.truncate(half);
		},
		Fault::Slow => out.delay_ms = SLOW_MS,
		_ => {},
	}
	out
}

/// What an answer depends on besides the request.
struct Ctx<'a> {
	world: &'a World,
	clock: &'a Clock,
	shape: PayoutShape,
	fault: Fault,
	now: u64,
}

fn respond(ctx: &Ctx, body: &[u8]) -> Answer {
	let Ok(request) = serde_json::from_slice::<Value>(body) else {
		return Answer::json(graphql_error("could not parse the request body as JSON", "request"));
	};
	let query = request.get("query").and_then(Value::as_str).unwrap_or_default();
	let vars = request.get("variables").cloned().unwrap_or(Value::Null);
	if ctx.fault == Fault::GraphqlErrors {
		return Answer::json(graphql_error("Internal server error", "query"));
	}
	if query.contains("v2RoundModelPerformances") {
		performances(ctx, &vars)
	} else if query.contains("v3UserProfile") {
		profile(ctx.world, ctx.fault, &vars)
	} else if query.contains("rounds") {
		rounds(ctx.clock, ctx.now, &vars)
	} else {
		Answer::json(graphql_error("unsupported query (the fixture serves rounds, v2RoundModelPerformances, v3UserProfile)", "query"))
	}
}

fn round_json(clock: &Clock, n: u32) -> Value {
	json!({
		"number": n,
		"openTime": iso(clock.opens_at(n)),
		"closeTime": iso(clock.opens_at(n) + clock.round_secs.min(3_600)),
		"resolveTime": iso(clock.resolves_at(n)),
	})
}

fn rounds(clock: &Clock, now: u64, vars: &Value) -> Answer {
	let current = clock.current(now);
	let number = vars.get("number").and_then(Value::as_u64).unwrap_or(0) as u32;
	let list = match number {
		0 => vec![round_json(clock, current)],
		n if n <= current => vec![round_json(clock, n)],
		_ => vec![],
	};
	Answer::json(json!({"data": {"rounds": list}}))
}

fn profile(world: &World, fault: Fault, vars: &Value) -> Answer {
	let name = vars.get("modelName").and_then(Value::as_str).unwrap_or_default().to_lowercase();
	let model = world.models.values().find(|m| m.name.to_lowercase() == name);
	match model {
		Some(m) if fault != Fault::UnknownModels => {
			Answer::json(json!({"data": {"v3UserProfile": {
				"id": m.id, "username": m.name, "accountName": format!("{}_account", m.name),
				"bio": m.bio, "linkText": null, "linkUrl": null,
				"nmrStaked": nmr(0, fault), "stakeValue": null, "startDate": "2024-01-05T09:30:00Z",
			}}}))
		},
		_ => Answer::json(json!({"data": {"v3UserProfile": null}})),
	}
}

fn performances(ctx: &Ctx, vars: &Value) -> Answer {
	let id = vars.get("modelId").and_then(Value::as_str).unwrap_or_default();
	let Some(model) = ctx.world.by_id(id).filter(|_| ctx.fault != Fault::UnknownModels) else {
		return Answer::json(json!({
			"errors": [{"message": format!("Model {id} not found"), "path": ["v2RoundModelPerformances"]}],
			"data": {"v2RoundModelPerformances": null}
		}));
	};
	let current = ctx.clock.current(ctx.now);
	let wanted: Vec<u32> = match vars.get("round").and_then(Value::as_u64) {
		Some(r) => vec![r as u32],
		// Without a round: the last 25 rounds, newest first (as third-party fixtures show).
		None => (current.saturating_sub(24)..=current).rev().collect(),
	};
	let list: Vec<Value> =
		wanted.into_iter().filter(|r| *r <= current).filter_map(|r| entry(ctx, model, r)).collect();
	Answer::json(json!({"data": {"v2RoundModelPerformances": list}}))
}

fn entry(ctx: &Ctx, model: &Model, r: u32) -> Option<Value> {
	let Ctx { world, clock, shape, fault, now } = *ctx;
	let resolved = now >= clock.resolves_at(r);
	let base = json!({
		"roundNumber": r,
		"roundResolved": resolved,
		"roundOpenTime": iso(clock.opens_at(r)),
		"roundResolveTime": iso(clock.resolves_at(r)),
		"roundTarget": "ender20",
	});
	let mut e = base.as_object()?.clone();
	match world.round_data(model, r) {
		RoundData::Missed => {
			// Both shapes seen for a round without a submission: absent, or listed with nulls.
			if r.is_multiple_of(2) {
				return None;
			}
			e.insert("atRisk".into(), Value::Null);
			e.insert("corrMultiplier".into(), Value::Null);
			e.insert("mmcMultiplier".into(), Value::Null);
			e.insert("roundPayoutFactor".into(), Value::Null);
			e.insert("submissionScores".into(), Value::Null);
		},
		RoundData::Submitted { at_risk, corr_micro, mmc_micro } => {
			let total = payout(at_risk, corr_micro, mmc_micro);
			// The components: CORR's and MMC's parts of the formula, the remainder on CORR.
			let corr_part = if total == 0 {
				0
			} else {
				let c = (CORR_MULTIPLIER_MICRO * corr_micro) as i128;
				let m = (MMC_MULTIPLIER_MICRO * mmc_micro) as i128;
				if c + m == 0 {
					total
				} else {
					total * c / (c + m)
				}
			};
			let (pay_corr, pay_mmc) = match shape {
				PayoutShape::Sum => (corr_part, total - corr_part),
				PayoutShape::Repeated => (total, total),
			};
			let settled = |p: i128| if resolved { nmr(p, fault) } else { nmr(0, fault) };
			let value = |micro: i64| {
				if fault == Fault::Nulls && resolved {
					Value::Null
				} else {
					score(micro)
				}
			};
			e.insert(
				"atRisk".into(),
				if fault == Fault::Nulls && resolved {
					Value::Null
				} else {
					Value::String(nmr(at_risk as i128, fault))
				},
			);
			e.insert("corrMultiplier".into(), score(CORR_MULTIPLIER_MICRO));
			e.insert("mmcMultiplier".into(), score(MMC_MULTIPLIER_MICRO));
			e.insert("roundPayoutFactor".into(), Value::String("1.000000000000000000".into()));
			let day = if resolved { 20 } else { 7 };
			e.insert("submissionScores".into(), json!([
				{"date": iso(clock.opens_at(r)), "day": day, "displayName": "canon_corr", "value": value(corr_micro),
				 "percentile": 0.5, "payoutPending": nmr(0, fault), "payoutSettled": settled(pay_corr)},
				{"date": iso(clock.opens_at(r)), "day": day, "displayName": "canon_mmc", "value": value(mmc_micro),
				 "percentile": null, "payoutPending": nmr(0, fault), "payoutSettled": settled(pay_mmc)},
			]));
		},
	}
	Some(Value::Object(e))
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso(secs: u64) -> String {
	let days = (secs / 86_400) as i64;
	let rem = secs % 86_400;
	// Civil from days (proleptic Gregorian).
	let z = days + 719_468;
	let era = z.div_euclid(146_097);
	let doe = z - era * 146_097;
	let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
	let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	let mp = (5 * doy + 2) / 153;
	let d = doy - (153 * mp + 2) / 5 + 1;
	let m = if mp < 10 { mp + 3 } else { mp - 9 };
	let y = yoe + era * 400 + i64::from(m <= 2);
	format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3_600, rem % 3_600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
	use super::*;
	use numerstake_numerai::{extract, query, RoundOutcome, ScoreConfig};

	const CFG: ScoreConfig =
		ScoreConfig { corr: "canon_corr", mmc: "canon_mmc", stored: &["canon_corr", "canon_mmc"] };

	fn setup() -> (World, Clock) {
		(
			World::synthetic(3, 5),
			Clock { start: 1_772_366_400, first_round: 1_000, round_secs: 30, resolve_after: 3 },
		)
	}

	#[test]
	fn iso_matches_the_parser() {
		for secs in [0, 1_772_366_400, 1_709_164_800, 4_102_444_799] {
			assert_eq!(numerstake_numerai::time::parse_time(&iso(secs)), Ok(secs));
		}
	}

	#[test]
	fn rounds_open_on_the_clock() {
		let (w, c) = setup();
		let now = c.start + 95;
		let a = answer(&w, &c, PayoutShape::Sum, Fault::None, now, query::rounds(8, 0).as_bytes());
		let r = extract::current_round(&a.body).unwrap().unwrap();
		assert_eq!(r.number, 1_003);
		assert_eq!(r.opened_at, c.start + 90);
		let a =
			answer(&w, &c, PayoutShape::Sum, Fault::None, now, query::rounds(8, 1_004).as_bytes());
		assert_eq!(extract::round(&a.body, 1_004), Ok(None));
	}

	/// Every round of every model, in both payout shapes and in the valid encodings, reads back
	/// exactly as generated.
	#[test]
	fn the_oracle_reads_every_round_exactly() {
		let (w, c) = setup();
		let now = c.start + 60 * 30;
		let mut resolved = 0;
		for shape in [PayoutShape::Sum, PayoutShape::Repeated] {
			for fault in [Fault::None, Fault::Exponent, Fault::ZeroE18] {
				for m in w.models.values() {
					for r in 1_000..1_057 {
						let body = query::round_model_performances(&m.id, 8, r);
						let a = answer(&w, &c, shape, fault, now, body.as_bytes());
						let out = extract::round_result(&a.body, r, &CFG).unwrap();
						match (w.round_data(m, r), out) {
							(
								RoundData::Missed,
								RoundOutcome::Absent | RoundOutcome::NotSubmitted,
							) => {},
							(
								RoundData::Submitted { at_risk, corr_micro, mmc_micro },
								RoundOutcome::Resolved(numerstake_numerai::Resolved {
									at_risk: a,
									payout: p,
									..
								}),
							) => {
								assert_eq!(a, at_risk);
								assert_eq!(p, payout(at_risk, corr_micro, mmc_micro));
								resolved += 1;
							},
							(d, o) => panic!("round {r} of {}: {d:?} read as {o:?}", m.name),
						}
					}
				}
			}
		}
		assert!(resolved > 500, "{resolved}");
		// Unresolved rounds are not final.
		let m = &w.models["numerstake_demo_alpha"];
		let r = c.current(now);
		let a = answer(
			&w,
			&c,
			PayoutShape::Sum,
			Fault::None,
			now,
			query::round_model_performances(&m.id, 8, r).as_bytes(),
		);
		assert!(matches!(
			extract::round_result(&a.body, r, &CFG),
			Ok(RoundOutcome::Unresolved | RoundOutcome::Absent)
		));
	}

	#[test]
	fn faults_are_refused_by_the_oracle() {
		let (w, c) = setup();
		let now = c.start + 60 * 30;
		let m = &w.models["numerstake_demo_alpha"];
		let r = (1_000..1_050)
			.find(|r| matches!(w.round_data(m, *r), RoundData::Submitted { .. }))
			.unwrap();
		let body = query::round_model_performances(&m.id, 8, r);
		for fault in [
			Fault::Truncated,
			Fault::Malformed,
			Fault::Nulls,
			Fault::GraphqlErrors,
			Fault::UnknownModels,
		] {
			let a = answer(&w, &c, PayoutShape::Sum, fault, now, body.as_bytes());
			assert!(extract::round_result(&a.body, r, &CFG).is_err(), "{fault:?}");
		}
		let a = answer(&w, &c, PayoutShape::Sum, Fault::Http500, now, body.as_bytes());
		assert_eq!(a.status, 500);
		let a = answer(&w, &c, PayoutShape::Sum, Fault::Slow, now, body.as_bytes());
		assert_eq!(a.delay_ms, SLOW_MS);
	}

	#[test]
	fn profiles_by_name() {
		let (mut w, c) = setup();
		w.models.get_mut("numerstake_demo_beta").unwrap().bio =
			Some("numerstake-challenge:0xab".into());
		let a = answer(
			&w,
			&c,
			PayoutShape::Sum,
			Fault::None,
			0,
			query::user_profile("NumerStake_Demo_Beta").as_bytes(),
		);
		let p = extract::profile(&a.body).unwrap().unwrap();
		assert!(p.shows("00000000-0000-4000-8000-000000000002", "numerstake-challenge:0xab"));
		let a = answer(
			&w,
			&c,
			PayoutShape::Sum,
			Fault::None,
			0,
			query::user_profile("nobody").as_bytes(),
		);
		assert_eq!(extract::profile(&a.body), Ok(None));
	}
}
