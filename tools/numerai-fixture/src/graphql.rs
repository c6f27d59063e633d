//! Answers the GraphQL queries the oracle sends (see `numerstake_numerai::query`), in Numerai's
//! encodings, with the configured fault applied.

use crate::schema::{self, Root, ScoreFilter};
use crate::world::{Clock, Decimal, Model, RoundData, World, NMR};
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
		Answer { status: 200, body: to_json_text(&v).into_bytes(), delay_ms: 0 }
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

/// Marks a string value as a number to be written verbatim (serde_json without
/// `arbitrary_precision` would round an 18-decimal number through `f64`).
const RAW: char = '\u{1}';

/// A JSON number written exactly as `text` (which [`crate::world::Decimal::parse`] checked).
fn raw_number(text: &str) -> Value {
	Value::String(format!("{RAW}{text}"))
}

/// `v` as JSON text, with the numbers of [`raw_number`] written verbatim.
fn to_json_text(v: &Value) -> String {
	let text = v.to_string();
	let marker = "\"\\u0001";
	let mut out = String::with_capacity(text.len());
	let mut rest = text.as_str();
	while let Some(at) = rest.find(marker) {
		out.push_str(&rest[..at]);
		let after = &rest[at + marker.len()..];
		let end = after.find('"').unwrap_or(after.len());
		out.push_str(&after[..end]);
		rest = after.get(end + 1..).unwrap_or("");
	}
	out.push_str(rest);
	out
}

fn graphql_error(message: &str, path: &str) -> Value {
	json!({"errors": [{"message": message, "locations": [{"line": 1, "column": 1}], "path": [path]}], "data": null})
}

/// The answer to a GraphQL request body at `now` (unix seconds), from a server that knows the
/// round filter `filter`.
pub fn answer(
	world: &World,
	clock: &Clock,
	shape: PayoutShape,
	filter: ScoreFilter,
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
	let mut out = respond(&Ctx { world, clock, shape, fault, now }, filter, body);
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

fn respond(ctx: &Ctx, filter: ScoreFilter, body: &[u8]) -> Answer {
	let Ok(request) = serde_json::from_slice::<Value>(body) else {
		return Answer::json(graphql_error("could not parse the request body as JSON", "request"));
	};
	let Some(query) = request.get("query").and_then(Value::as_str) else {
		return Answer::json(graphql_error("no \"query\" in the request", "request"));
	};
	let vars = request.get("variables").cloned().unwrap_or(Value::Null);
	let request = match schema::check(query, &vars, filter) {
		Ok(r) => r,
		Err(refusal) => return Answer::json(graphql_error(&refusal.message, &refusal.path)),
	};
	if ctx.fault == Fault::GraphqlErrors {
		return Answer::json(graphql_error("Internal server error", "query"));
	}
	let args = Value::Object(request.args);
	match request.root {
		Root::Performances => performances(ctx, &args),
		Root::Profile => profile(ctx.world, ctx.fault, &args),
		Root::Rounds => rounds(ctx.clock, ctx.now, &args),
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
	let name = vars.get("modelName").and_then(Value::as_str).unwrap_or_default();
	let model = world.by_name(name);
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
	let int = |names: &[&str]| {
		names.iter().find_map(|n| vars.get(*n).and_then(Value::as_u64)).map(|v| v as u32)
	};
	let earliest = model
		.fixed
		.as_ref()
		.and_then(|f| f.keys().next().copied())
		.unwrap_or(ctx.clock.first_round.saturating_sub(24));
	let mut low = earliest;
	let mut high = current;
	if let Some(r) = int(&["roundNumber__eq", "roundNumberEq"]) {
		(low, high) = (r, r.min(current));
	}
	if let Some(r) = int(&["roundNumber__gte", "roundNumberGte"]) {
		low = low.max(r);
	}
	if let Some(r) = int(&["roundNumber__lte", "roundNumberLte"]) {
		high = high.min(r);
	}
	if let Some(n) = int(&["lastNRounds"]) {
		low = low.max(current.saturating_add(1).saturating_sub(n));
	}
	// Newest first, as third-party fixtures of the live API show.
	let offset = int(&["offset"]).unwrap_or(0) as usize;
	let limit = int(&["limit"]).map_or(usize::MAX, |l| l as usize);
	let list: Vec<Value> =
		(low..=high).rev().filter_map(|r| entry(ctx, model, r)).skip(offset).take(limit).collect();
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
		RoundData::Missed { listed: false } => return None,
		RoundData::Missed { listed: true } => {
			e.insert("atRisk".into(), Value::Null);
			e.insert("corrMultiplier".into(), Value::Null);
			e.insert("mmcMultiplier".into(), Value::Null);
			e.insert("roundPayoutFactor".into(), Value::Null);
			e.insert("submissionScores".into(), Value::Null);
		},
		RoundData::Submitted(sub) => {
			let total = sub.payout();
			// The components: CORR's and MMC's parts of the formula, the remainder on CORR.
			let c = i128::from(sub.corr_multiplier.scaled) * i128::from(sub.corr.scaled);
			let m = i128::from(sub.mmc_multiplier.scaled) * i128::from(sub.mmc.scaled);
			let corr_part = if total == 0 || c + m == 0 {
				total
			} else {
				total.checked_mul(c).map_or(total, |t| t / (c + m))
			};
			let (pay_corr, pay_mmc) = match shape {
				PayoutShape::Sum => (corr_part, total - corr_part),
				PayoutShape::Repeated => (total, total),
			};
			let settled = |p: i128| if resolved { nmr(p, fault) } else { nmr(0, fault) };
			let nulled = fault == Fault::Nulls && resolved;
			let value = |d: &Decimal| if nulled { Value::Null } else { raw_number(&d.text) };
			e.insert(
				"atRisk".into(),
				if nulled { Value::Null } else { Value::String(nmr(sub.at_risk as i128, fault)) },
			);
			e.insert("corrMultiplier".into(), raw_number(&sub.corr_multiplier.text));
			e.insert("mmcMultiplier".into(), raw_number(&sub.mmc_multiplier.text));
			// A string in Numerai's schema.
			e.insert("roundPayoutFactor".into(), Value::String(sub.payout_factor.text.clone()));
			let day = if resolved { 20 } else { 7 };
			e.insert("submissionScores".into(), json!([
				{"date": iso(clock.opens_at(r)), "day": day, "displayName": "canon_corr", "value": value(&sub.corr),
				 "percentile": 0.5, "payoutPending": nmr(0, fault), "payoutSettled": settled(pay_corr)},
				{"date": iso(clock.opens_at(r)), "day": day, "displayName": "canon_mmc", "value": value(&sub.mmc),
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
