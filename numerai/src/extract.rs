//! What the oracle takes from a response: a round's times, a model's result in a round, a
//! model's public profile. Each function reads a whole response body and returns a value it is
//! certain of, or a precise [`Error`]; nothing is defaulted or guessed.
//!
//! The settled payout of a round: Numerai lists `payoutSettled` on every score entry, and the
//! sources do not say whether each entry carries its component's share (to be summed) or the
//! round total repeated. [`round_result`] computes both readings and keeps the one that agrees,
//! within [`PAYOUT_TOLERANCE_PER_MILLE`] of the stake, with the payout formula recomputed from
//! the same response (`atRisk * clip(roundPayoutFactor * (corr * corrMultiplier + mmc *
//! mmcMultiplier), ±0.05)`). If both readings fit (possible only for payouts within the
//! tolerance of zero) the strictly closer one is kept. When the formula cannot be recomputed,
//! only an unambiguous response (both readings equal) is accepted.

use crate::{
	decimal::{parse_nmr, parse_score, DecimalError, SCORE_SCALE},
	json::{parse, ParseError, Value},
	time::{parse_time, TimeError},
};
use alloc::{string::String, vec::Vec};

/// The cross-check's tolerance: 1 ‰ of the stake at risk (the largest return is 50 ‰).
pub const PAYOUT_TOLERANCE_PER_MILLE: u128 = 1;
/// Numerai's clip on a round's return: ±5 % of the stake.
pub const RETURN_CLIP: i128 = SCORE_SCALE as i128 / 20;

/// Why a response was not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
	/// Not JSON (truncated, malformed).
	Json(ParseError),
	/// The response carries a GraphQL `errors` array (first message), or `{"detail": ..}`.
	GraphQl(String),
	/// `data` or the queried field is missing or `null`.
	MissingData,
	/// A field has the wrong type or is missing where it is required.
	Shape(&'static str),
	/// A decimal field could not be read exactly.
	Decimal(&'static str, DecimalError),
	/// A time field could not be read.
	Time(&'static str, TimeError),
	/// The round appears more than once.
	DuplicateRound,
	/// A score name appears more than once in a round.
	DuplicateScore,
	/// A negative stake.
	NegativeAtRisk,
	/// Payouts but no stake.
	PayoutWithoutStake,
	/// Neither reading of `payoutSettled` agrees with the formula, or the formula could not be
	/// recomputed and the readings differ.
	PayoutUnconfirmed,
	/// An arithmetic overflow on absurd values.
	Overflow,
	/// A stored score is missing from a resolved round with a stake.
	MissingScore,
	/// A window of rounds (`lastNRounds`) without the round and not reaching back past it:
	/// its absence proves nothing.
	NotInWindow,
}

/// Whether `error` is the server refusing the query's `argument` (an unknown or invalid
/// argument): the worker then tries the next [`crate::query::ScoreQuery`] form. Only a message
/// naming the argument counts, so that other errors (a bad model id, an outage) do not switch
/// forms.
pub fn refuses_argument(error: &Error, argument: &str) -> bool {
	match error {
		Error::GraphQl(message) => {
			message.contains(argument) && message.to_ascii_lowercase().contains("argument")
		},
		_ => false,
	}
}

impl From<ParseError> for Error {
	fn from(e: ParseError) -> Self {
		Error::Json(e)
	}
}

/// A round as reported opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoundOpened {
	/// Round number.
	pub number: u32,
	/// Unix seconds of the opening.
	pub opened_at: u64,
	/// Unix seconds of the scheduled resolution.
	pub resolves_at: u64,
}

/// Which scores matter: the two of the payout formula, and those stored on chain.
#[derive(Clone, Copy, Debug)]
pub struct ScoreConfig<'a> {
	/// `displayName` of the correlation score of the formula (e.g. `canon_corr`).
	pub corr: &'a str,
	/// `displayName` of the meta-model contribution of the formula (e.g. `canon_mmc`).
	pub mmc: &'a str,
	/// `displayName`s to report, in this order.
	pub stored: &'a [&'a str],
}

/// Scores in the configured order, at [`SCORE_SCALE`].
pub type Scores = Vec<(String, i64)>;

/// A model's round as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoundOutcome {
	/// The round is not in the response: not submitted, or not listed yet. The caller decides
	/// with the round's resolution time.
	Absent,
	/// Listed but not resolved: nothing final yet.
	Unresolved,
	/// Resolved without a stake and without scores.
	NotSubmitted,
	/// Resolved.
	Resolved(Resolved),
}

/// A resolved round of a model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
	/// Stake at risk, planck.
	pub at_risk: u128,
	/// What Numerai paid (positive) or burned (negative), planck.
	pub payout: i128,
	/// The configured scores (those present), in configured order.
	pub scores: Scores,
	/// `roundPayoutFactor` at [`SCORE_SCALE`].
	pub payout_factor: Option<i64>,
	/// `corrMultiplier` at [`SCORE_SCALE`].
	pub corr_multiplier: Option<i64>,
	/// `mmcMultiplier` at [`SCORE_SCALE`].
	pub mmc_multiplier: Option<i64>,
}

/// A model's public profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
	/// The model id (UUID text).
	pub id: String,
	/// The texts its owner can set: `bio`, `linkText`, `linkUrl` (those present).
	pub texts: Vec<String>,
}

impl Profile {
	/// Whether the profile is `model_id`'s and one of its texts contains `challenge`.
	pub fn shows(&self, model_id: &str, challenge: &str) -> bool {
		!challenge.is_empty()
			&& self.id.eq_ignore_ascii_case(model_id)
			&& self.texts.iter().any(|t| t.contains(challenge))
	}

	/// The digest of the first challenge (`prefix` and 64 lower-case hex digits) in the
	/// profile's texts, in their order, if the profile is `model_id`'s.
	pub fn first_challenge(&self, model_id: &str, prefix: &str) -> Option<[u8; 32]> {
		if prefix.is_empty() || !self.id.eq_ignore_ascii_case(model_id) {
			return None;
		}
		self.texts.iter().find_map(|text| {
			text.match_indices(prefix).find_map(|(at, _)| {
				let hex = text.get(at + prefix.len()..at + prefix.len() + 64)?;
				let mut digest = [0u8; 32];
				let nibble = |c: u8| match c {
					b'0'..=b'9' => Some(c - b'0'),
					b'a'..=b'f' => Some(c - b'a' + 10),
					_ => None,
				};
				for (d, pair) in digest.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
					let [hi, lo] = pair else { return None };
					*d = nibble(*hi)? << 4 | nibble(*lo)?;
				}
				Some(digest)
			})
		})
	}
}

/// The `data.<field>` of a response, after checking for errors.
fn data_field<'a>(doc: &'a Value, field: &str) -> Result<&'a Value, Error> {
	if let Some(errors) = doc.get("errors") {
		if !errors.is_null() {
			let message = errors
				.as_array()
				.and_then(|e| e.first())
				.and_then(|e| e.get("message"))
				.and_then(Value::as_str)
				.unwrap_or("GraphQL error without a message");
			return Err(Error::GraphQl(String::from(message)));
		}
	}
	if let Some(detail) = doc.get("detail").and_then(Value::as_str) {
		return Err(Error::GraphQl(String::from(detail)));
	}
	let value = doc.get("data").and_then(|d| d.get(field)).ok_or(Error::MissingData)?;
	if value.is_null() {
		return Err(Error::MissingData);
	}
	Ok(value)
}

fn optional<'a>(obj: &'a Value, key: &str) -> Option<&'a Value> {
	obj.get(key).filter(|v| !v.is_null())
}

fn int_field(obj: &Value, key: &'static str) -> Result<u32, Error> {
	let text = optional(obj, key).and_then(Value::as_number_text).ok_or(Error::Shape(key))?;
	let v = crate::decimal::parse_rounded(text, 0).map_err(|e| Error::Decimal(key, e))?;
	// An integer field must be an integer: re-read exactly.
	let exact = crate::decimal::parse_exact(text, 0).map_err(|e| Error::Decimal(key, e))?;
	if v != exact {
		return Err(Error::Shape(key));
	}
	u32::try_from(exact).map_err(|_| Error::Shape(key))
}

fn time_field(obj: &Value, key: &'static str) -> Result<u64, Error> {
	let text = optional(obj, key).and_then(Value::as_str).ok_or(Error::Shape(key))?;
	parse_time(text).map_err(|e| Error::Time(key, e))
}

fn score_field(obj: &Value, key: &'static str) -> Result<Option<i64>, Error> {
	match optional(obj, key) {
		None => Ok(None),
		Some(Value::Number(text)) | Some(Value::String(text)) => {
			parse_score(text).map(Some).map_err(|e| Error::Decimal(key, e))
		},
		Some(_) => Err(Error::Shape(key)),
	}
}

/// Round `number` from a `rounds` response, or `None` when it is not listed (not open yet).
pub fn round(body: &[u8], number: u32) -> Result<Option<RoundOpened>, Error> {
	let doc = parse(body)?;
	let rounds = data_field(&doc, "rounds")?.as_array().ok_or(Error::Shape("rounds"))?;
	let mut found = None;
	for r in rounds {
		if int_field(r, "number")? != number {
			continue;
		}
		if found.is_some() {
			return Err(Error::DuplicateRound);
		}
		let opened_at = time_field(r, "openTime")?;
		let resolves_at = time_field(r, "resolveTime")?;
		if resolves_at <= opened_at {
			return Err(Error::Shape("resolveTime"));
		}
		found = Some(RoundOpened { number, opened_at, resolves_at });
	}
	Ok(found)
}

/// The current round from a `rounds(number: 0)` response: the highest listed.
pub fn current_round(body: &[u8]) -> Result<Option<RoundOpened>, Error> {
	let doc = parse(body)?;
	let rounds = data_field(&doc, "rounds")?.as_array().ok_or(Error::Shape("rounds"))?;
	let mut best: Option<u32> = None;
	for r in rounds {
		let n = int_field(r, "number")?;
		best = best.max(Some(n));
	}
	match best {
		Some(n) => round(body, n),
		None => Ok(None),
	}
}

/// `model`'s result in `round` from a `v2RoundModelPerformances` response. `exact`: the query
/// filtered on the round (an empty list means the model is absent from it, unless the answer
/// lists other rounds: then the server ignored the filter); otherwise the response is a window
/// of rounds, and the round's absence counts only when the window lists an earlier round
/// ([`Error::NotInWindow`] if not).
pub fn round_result(
	body: &[u8],
	round: u32,
	config: &ScoreConfig,
	exact: bool,
) -> Result<RoundOutcome, Error> {
	let doc = parse(body)?;
	let list = data_field(&doc, "v2RoundModelPerformances")?
		.as_array()
		.ok_or(Error::Shape("v2RoundModelPerformances"))?;
	let mut entry = None;
	let mut reaches_back = false;
	let mut filtered = exact;
	for e in list {
		let number = int_field(e, "roundNumber")?;
		reaches_back |= number < round;
		// A server that lists other rounds did not apply the filter: judge as a window.
		filtered &= number == round;
		if number == round {
			if entry.is_some() {
				return Err(Error::DuplicateRound);
			}
			entry = Some(e);
		}
	}
	let Some(entry) = entry else {
		return if filtered || reaches_back {
			Ok(RoundOutcome::Absent)
		} else {
			Err(Error::NotInWindow)
		};
	};
	match optional(entry, "roundResolved") {
		Some(Value::Bool(true)) => {},
		Some(Value::Bool(false)) | None => return Ok(RoundOutcome::Unresolved),
		Some(_) => return Err(Error::Shape("roundResolved")),
	}
	let at_risk = match optional(entry, "atRisk") {
		None => None,
		Some(Value::String(text)) => {
			let v = parse_nmr(text).map_err(|e| Error::Decimal("atRisk", e))?;
			Some(u128::try_from(v).map_err(|_| Error::NegativeAtRisk)?)
		},
		Some(_) => return Err(Error::Shape("atRisk")),
	};
	let entries = match optional(entry, "submissionScores") {
		None => &[][..],
		Some(v) => v.as_array().ok_or(Error::Shape("submissionScores"))?,
	};
	// Score entries: name, value, payoutSettled.
	let mut names: Vec<&str> = Vec::new();
	let mut values: Vec<Option<i64>> = Vec::new();
	let mut payouts: Vec<i128> = Vec::new();
	for s in entries {
		let name = optional(s, "displayName")
			.and_then(Value::as_str)
			.ok_or(Error::Shape("displayName"))?;
		if names.contains(&name) {
			return Err(Error::DuplicateScore);
		}
		names.push(name);
		values.push(score_field(s, "value")?);
		match optional(s, "payoutSettled") {
			None => {},
			Some(Value::String(text)) => {
				payouts.push(parse_nmr(text).map_err(|e| Error::Decimal("payoutSettled", e))?)
			},
			Some(_) => return Err(Error::Shape("payoutSettled")),
		}
	}
	let at_risk = match at_risk {
		None | Some(0) if entries.is_empty() => return Ok(RoundOutcome::NotSubmitted),
		None => return Err(Error::Shape("atRisk")),
		Some(a) => a,
	};
	let score_of = |wanted: &str| -> Option<i64> {
		names.iter().position(|n| *n == wanted).and_then(|i| values[i])
	};
	let mut scores = Scores::new();
	for wanted in config.stored {
		if let Some(v) = score_of(wanted) {
			scores.push((String::from(*wanted), v));
		} else if names.contains(wanted) || at_risk > 0 {
			// A staked round must carry every score we store; a listed score must have a value.
			return Err(Error::MissingScore);
		}
	}
	// A decimal string as the API sends it today, or a JSON number, as the multipliers are.
	let payout_factor = score_field(entry, "roundPayoutFactor")?;
	let corr_multiplier = score_field(entry, "corrMultiplier")?;
	let mmc_multiplier = score_field(entry, "mmcMultiplier")?;
	let payout = if at_risk == 0 {
		if payouts.iter().any(|p| *p != 0) {
			return Err(Error::PayoutWithoutStake);
		}
		0
	} else {
		let expected = match (payout_factor, corr_multiplier, mmc_multiplier) {
			(Some(pf), Some(cm), Some(mm)) => match (score_of(config.corr), score_of(config.mmc)) {
				(Some(c), Some(m)) => Some(formula_payout(at_risk, pf, cm, c, mm, m)?),
				_ => None,
			},
			_ => None,
		};
		settled_payout(&payouts, at_risk, expected)?
	};
	Ok(RoundOutcome::Resolved(Resolved {
		at_risk,
		payout,
		scores,
		payout_factor,
		corr_multiplier,
		mmc_multiplier,
	}))
}

/// `at_risk * clip(pf * (cm * corr + mm * mmc), ±0.05)` in planck, truncated toward zero.
pub fn formula_payout(
	at_risk: u128,
	pf: i64,
	cm: i64,
	corr: i64,
	mm: i64,
	mmc: i64,
) -> Result<i128, Error> {
	let scale = i128::from(SCORE_SCALE);
	// Each product is at SCORE_SCALE², brought back to SCORE_SCALE before the next product.
	let combo = i128::from(cm)
		.checked_mul(i128::from(corr))
		.and_then(|a| i128::from(mm).checked_mul(i128::from(mmc)).and_then(|b| a.checked_add(b)))
		.ok_or(Error::Overflow)?
		/ scale;
	let ret = combo.checked_mul(i128::from(pf)).ok_or(Error::Overflow)? / scale;
	let ret = ret.clamp(-RETURN_CLIP, RETURN_CLIP);
	// at_risk (< 2^127) times a ratio below 0.05 at 10^12: split to stay in range.
	let at_risk = i128::try_from(at_risk).map_err(|_| Error::Overflow)?;
	let (hi, lo) = (at_risk / scale, at_risk % scale);
	hi.checked_mul(ret)
		.and_then(|h| lo.checked_mul(ret).map(|l| l / scale).and_then(|l| h.checked_add(l)))
		.ok_or(Error::Overflow)
}

/// Chooses the reading of `payoutSettled` that the formula confirms (see the module docs).
fn settled_payout(payouts: &[i128], at_risk: u128, expected: Option<i128>) -> Result<i128, Error> {
	if payouts.is_empty() {
		return Err(Error::Shape("payoutSettled"));
	}
	let sum = payouts.iter().try_fold(0i128, |a, p| a.checked_add(*p)).ok_or(Error::Overflow)?;
	let repeated = payouts.iter().all(|p| *p == payouts[0]).then_some(payouts[0]);
	let tolerance = (at_risk / 1_000).saturating_mul(PAYOUT_TOLERANCE_PER_MILLE).max(1);
	let agrees = |candidate: i128, expected: i128| {
		candidate.checked_sub(expected).is_some_and(|d| d.unsigned_abs() <= tolerance)
	};
	match expected {
		Some(e) => {
			let by_sum = agrees(sum, e).then_some(sum);
			let by_repeat = repeated.filter(|r| agrees(*r, e));
			match (by_sum, by_repeat) {
				// Both readings fit (a payout within the tolerance of zero): the one strictly
				// closer to the formula, else none.
				(Some(s), Some(r)) if s != r => {
					let (ds, dr) = (s.abs_diff(e), r.abs_diff(e));
					match ds.cmp(&dr) {
						core::cmp::Ordering::Less => Ok(s),
						core::cmp::Ordering::Greater => Ok(r),
						core::cmp::Ordering::Equal => Err(Error::PayoutUnconfirmed),
					}
				},
				(Some(v), _) | (None, Some(v)) => Ok(v),
				(None, None) => Err(Error::PayoutUnconfirmed),
			}
		},
		// Without the formula only one reading is possible when the entries are one, or all
		// equal and summing to the same: then it is the payout, unless it is zero, which is
		// also what a payout not yet settled shows: a staked round is reported only once its
		// payout is confirmed.
		None => match repeated {
			Some(r) if r == sum && r != 0 => Ok(r),
			_ => Err(Error::PayoutUnconfirmed),
		},
	}
}

/// The profile from a `v3UserProfile` response; `None` when Numerai has no model of the name:
/// only an answer without errors whose `data.v3UserProfile` is present and `null` says so (an
/// error, or data without the field, may be an outage and is an error here).
pub fn profile(body: &[u8]) -> Result<Option<Profile>, Error> {
	let doc = parse(body)?;
	let p = match data_field(&doc, "v3UserProfile") {
		Ok(p) => p,
		Err(Error::MissingData)
			if doc.get("data").and_then(|d| d.get("v3UserProfile")).is_some_and(Value::is_null) =>
		{
			return Ok(None)
		},
		Err(e) => return Err(e),
	};
	let id = optional(p, "id").and_then(Value::as_str).ok_or(Error::Shape("id"))?;
	let mut texts = Vec::new();
	for key in ["bio", "linkText", "linkUrl"] {
		match optional(p, key) {
			None => {},
			Some(Value::String(t)) => texts.push(t.clone()),
			Some(_) => return Err(Error::Shape("profile text")),
		}
	}
	Ok(Some(Profile { id: String::from(id), texts }))
}

#[cfg(test)]
mod tests;
