//! Every awkward encoding of the API notes, and the fixture's fault modes.

use super::*;
use alloc::{format, string::ToString, vec};

const NMR: i128 = 1_000_000_000_000_000_000;
const CFG: ScoreConfig =
	ScoreConfig { corr: "canon_corr", mmc: "canon_mmc", stored: &["canon_corr", "canon_mmc"] };

/// The synthetic response of the API notes (§3), verbatim apart from layout.
const NOTES_RESPONSE: &str = r#"{"data":{"v2RoundModelPerformances":[
 {"roundNumber":1250,"roundResolved":false,"roundOpenTime":"2026-04-21T12:00:00Z","roundResolveTime":"2026-05-23T20:00:00Z",
  "roundTarget":"ender20","atRisk":"0E-18","corrMultiplier":0.75,"mmcMultiplier":2.25,"roundPayoutFactor":"0.120000000000000000",
  "submissionScores":[{"date":"2026-05-01T00:00:00Z","day":7,"displayName":"canon_corr","value":-1.25e-3,"percentile":0.41,
                        "payoutPending":"-0.004000000000000000","payoutSettled":"0.000000000000000000"}]},
 {"roundNumber":1230,"roundResolved":true,"roundOpenTime":"2026-03-24T12:00:00Z","roundResolveTime":"2026-04-25T20:00:00Z",
  "roundTarget":"ender20","atRisk":"150.000000000000000000","corrMultiplier":0.75,"mmcMultiplier":2.25,"roundPayoutFactor":"0.118",
  "submissionScores":[{"date":"2026-04-24T00:00:00Z","day":20,"displayName":"canon_corr","value":0.0123,"percentile":0.77,"payoutPending":"0","payoutSettled":"1.500000000000000000"},
                      {"date":"2026-04-24T00:00:00Z","day":20,"displayName":"canon_mmc","value":-0.0031,"percentile":null,"payoutPending":"0","payoutSettled":"-0.900000000000000000"}]},
 {"roundNumber":1229,"roundResolved":true,"atRisk":null,"corrMultiplier":null,"mmcMultiplier":null,"roundPayoutFactor":null,"submissionScores":null}
]}}"#;

fn one_round(at_risk: &str, corr: &str, mmc: &str, pay_corr: &str, pay_mmc: &str) -> String {
	format!(
		r#"{{"data":{{"v2RoundModelPerformances":[{{"roundNumber":7,"roundResolved":true,"atRisk":{at_risk},
		"corrMultiplier":0.75,"mmcMultiplier":2.25,"roundPayoutFactor":"1",
		"submissionScores":[{{"displayName":"canon_corr","value":{corr},"payoutSettled":{pay_corr}}},
		                    {{"displayName":"canon_mmc","value":{mmc},"payoutSettled":{pay_mmc}}}]}}]}}}}"#
	)
}

#[test]
fn notes_response_unresolved_and_not_submitted_rounds() {
	assert_eq!(
		round_result(NOTES_RESPONSE.as_bytes(), 1250, &CFG, true),
		Ok(RoundOutcome::Unresolved)
	);
	assert_eq!(
		round_result(NOTES_RESPONSE.as_bytes(), 1229, &CFG, true),
		Ok(RoundOutcome::NotSubmitted)
	);
	assert_eq!(round_result(NOTES_RESPONSE.as_bytes(), 1300, &CFG, true), Ok(RoundOutcome::Absent));
}

#[test]
fn notes_response_round_1230_is_unconfirmed() {
	// 150 * clip(0.118 * (0.75*0.0123 + 2.25*-0.0031), ±0.05) = 0.0398 NMR; the entries read
	// as a sum (0.6) or repeated (differ) agree with neither: no report.
	assert_eq!(
		round_result(NOTES_RESPONSE.as_bytes(), 1230, &CFG, true),
		Err(Error::PayoutUnconfirmed)
	);
}

#[test]
fn summed_components_confirmed_by_the_formula() {
	// 1000 * (0.75*0.02 + 2.25*0.004) = 1000 * 0.024 = 24 NMR: 15 + 9.
	let body = one_round(r#""1000""#, "0.02", "4e-3", r#""15.0""#, r#""9.000000000000000000""#);
	let out = round_result(body.as_bytes(), 7, &CFG, true).unwrap();
	let RoundOutcome::Resolved(Resolved {
		at_risk,
		payout,
		scores,
		payout_factor,
		corr_multiplier,
		mmc_multiplier,
	}) = out
	else {
		panic!("not resolved: {out:?}")
	};
	assert_eq!(at_risk, 1000 * NMR as u128);
	assert_eq!(payout, 24 * NMR);
	assert_eq!(
		scores,
		vec![("canon_corr".to_string(), 20_000_000_000), ("canon_mmc".to_string(), 4_000_000_000)]
	);
	assert_eq!(payout_factor, Some(SCORE_SCALE));
	assert_eq!(corr_multiplier, Some(750_000_000_000));
	assert_eq!(mmc_multiplier, Some(2_250_000_000_000));
}

#[test]
fn the_payout_factor_reads_as_a_string_or_a_number_alike() {
	// 1000 * factor * (0.75*0.02 + 2.25*0.004): 24 NMR at factor 1, 12 NMR at 0.5.
	let cases = [
		("1", r#""15.0""#, r#""9""#, SCORE_SCALE),
		("0.5", r#""7.5""#, r#""4.5""#, SCORE_SCALE / 2),
		("5e-1", r#""7.5""#, r#""4.5""#, SCORE_SCALE / 2),
	];
	let factor_of = |body: &str| match round_result(body.as_bytes(), 7, &CFG, true) {
		Ok(RoundOutcome::Resolved(r)) => Ok(r.payout_factor),
		Err(e) => Err(e),
		Ok(other) => panic!("not resolved: {other:?}"),
	};
	for (factor, pay_corr, pay_mmc, expected) in cases {
		let body = one_round(r#""1000""#, "0.02", "4e-3", pay_corr, pay_mmc);
		let with = |value: &str| {
			body.replace(r#""roundPayoutFactor":"1""#, &format!(r#""roundPayoutFactor":{value}"#))
		};
		assert_eq!(factor_of(&with(factor)), Ok(Some(expected)), "{factor} as a number");
		assert_eq!(
			factor_of(&with(&format!("\"{factor}\""))),
			Ok(Some(expected)),
			"{factor} as text"
		);
	}
	// Anything else is still a precise error.
	let body = one_round(r#""1000""#, "0.02", "4e-3", r#""15.0""#, r#""9""#);
	let as_bool = body.replace(r#""roundPayoutFactor":"1""#, r#""roundPayoutFactor":true"#);
	assert_eq!(
		round_result(as_bool.as_bytes(), 7, &CFG, true),
		Err(Error::Shape("roundPayoutFactor"))
	);
}

#[test]
fn repeated_totals_confirmed_by_the_formula() {
	let body = one_round(r#""1000""#, "0.02", "4e-3", r#""24""#, r#""2.4E+1""#);
	let RoundOutcome::Resolved(Resolved { payout, .. }) =
		round_result(body.as_bytes(), 7, &CFG, true).unwrap()
	else {
		panic!()
	};
	assert_eq!(payout, 24 * NMR);
}

#[test]
fn clipped_loss_and_zero_in_exponent_form() {
	// 0.75*-0.1 + 2.25*-0.02 = -0.12 → clipped to -0.05: -50 NMR, all on the corr entry.
	let body = one_round(r#""1,000""#, "-0.1", "-0.02", r#""-50""#, r#""0E-18""#);
	let RoundOutcome::Resolved(Resolved { payout, .. }) =
		round_result(body.as_bytes(), 7, &CFG, true).unwrap()
	else {
		panic!()
	};
	assert_eq!(payout, -50 * NMR);
}

#[test]
fn unconfirmable_and_ambiguous_payouts_are_refused() {
	// Formula says 24; neither 10 + 10 nor "10 repeated" is near it.
	let body = one_round(r#""1000""#, "0.02", "4e-3", r#""10""#, r#""10""#);
	assert_eq!(round_result(body.as_bytes(), 7, &CFG, true), Err(Error::PayoutUnconfirmed));
	// Without multipliers the formula cannot be recomputed: differing entries are ambiguous.
	let body = body.replace(r#""corrMultiplier":0.75"#, r#""corrMultiplier":null"#);
	assert_eq!(round_result(body.as_bytes(), 7, &CFG, true), Err(Error::PayoutUnconfirmed));
}

#[test]
fn a_tiny_payout_takes_the_reading_closest_to_the_formula() {
	// 1000 * (0.75*0.0004 + 2.25*0) = 0.3 NMR, within the 1 NMR tolerance read either way.
	let body = one_round(r#""1000""#, "0.0004", "0", r#""0.3""#, r#""0.3""#);
	let RoundOutcome::Resolved(Resolved { payout, .. }) =
		round_result(body.as_bytes(), 7, &CFG, true).unwrap()
	else {
		panic!()
	};
	assert_eq!(payout, 3 * NMR / 10);
	// Read as 0.4 or 0.2: equally far from 0.3.
	let body = one_round(r#""1000""#, "0.0004", "0", r#""0.2""#, r#""0.2""#);
	assert_eq!(round_result(body.as_bytes(), 7, &CFG, true), Err(Error::PayoutUnconfirmed));
}

#[test]
fn a_single_entry_needs_no_formula() {
	let body = r#"{"data":{"v2RoundModelPerformances":[{"roundNumber":7,"roundResolved":true,"atRisk":"10",
		"submissionScores":[{"displayName":"canon_corr","value":0.01,"payoutSettled":"0.1"}]}]}}"#;
	let cfg = ScoreConfig { corr: "canon_corr", mmc: "canon_mmc", stored: &["canon_corr"] };
	let RoundOutcome::Resolved(Resolved { payout, scores, .. }) =
		round_result(body.as_bytes(), 7, &cfg, true).unwrap()
	else {
		panic!()
	};
	assert_eq!(payout, NMR / 10);
	assert_eq!(scores.len(), 1);
	// The same round, but a stored score is missing: refused.
	assert_eq!(round_result(body.as_bytes(), 7, &CFG, true), Err(Error::MissingScore));
}

#[test]
fn a_staked_round_whose_payouts_all_read_zero_is_unconfirmed_without_the_formula() {
	// Zero is also what a payout not yet settled shows: without a payout factor nothing confirms
	// it, whether one entry or several say so.
	let one = r#"{"data":{"v2RoundModelPerformances":[{"roundNumber":7,"roundResolved":true,"atRisk":"10",
		"submissionScores":[{"displayName":"canon_corr","value":0.01,"payoutSettled":"0"}]}]}}"#;
	let cfg = ScoreConfig { corr: "canon_corr", mmc: "canon_mmc", stored: &["canon_corr"] };
	assert_eq!(round_result(one.as_bytes(), 7, &cfg, true), Err(Error::PayoutUnconfirmed));
	let both = one_round(r#""1000""#, "0.02", "4e-3", r#""0""#, r#""0E-18""#)
		.replace(r#""roundPayoutFactor":"1""#, r#""roundPayoutFactor":null"#);
	assert_eq!(round_result(both.as_bytes(), 7, &CFG, true), Err(Error::PayoutUnconfirmed));
	// With the formula, a payout of zero is confirmed when the formula gives zero.
	let zero = one_round(r#""1000""#, "0", "0", r#""0""#, r#""0""#);
	let out = round_result(zero.as_bytes(), 7, &CFG, true);
	assert!(matches!(out, Ok(RoundOutcome::Resolved(Resolved { payout: 0, .. }))), "{out:?}");
	// Unstaked rounds read zero as ever.
	let unstaked = one_round(r#""0""#, "0.02", "4e-3", r#""0""#, r#""0""#)
		.replace(r#""roundPayoutFactor":"1""#, r#""roundPayoutFactor":null"#);
	let out = round_result(unstaked.as_bytes(), 7, &CFG, true);
	assert!(matches!(out, Ok(RoundOutcome::Resolved(Resolved { payout: 0, .. }))), "{out:?}");
}

#[test]
fn bad_fields_are_precise_errors() {
	let good = one_round(r#""1000""#, "0.02", "4e-3", r#""15""#, r#""9""#);
	let cases: &[(&str, &str, Error)] = &[
		(r#""atRisk":"1000""#, r#""atRisk":1000"#, Error::Shape("atRisk")),
		(r#""atRisk":"1000""#, r#""atRisk":"-1000""#, Error::NegativeAtRisk),
		(
			r#""atRisk":"1000""#,
			r#""atRisk":"1e-19""#,
			Error::Decimal("atRisk", DecimalError::Inexact),
		),
		(
			r#""atRisk":"1000""#,
			r#""atRisk":"NaN""#,
			Error::Decimal("atRisk", DecimalError::InvalidCharacter),
		),
		(r#""atRisk":"1000""#, r#""atRisk":null"#, Error::Shape("atRisk")),
		(r#""value":0.02"#, r#""value":null"#, Error::MissingScore),
		(r#""value":0.02"#, r#""value":true"#, Error::Shape("value")),
		(r#""roundResolved":true"#, r#""roundResolved":"yes""#, Error::Shape("roundResolved")),
		(
			r#""roundNumber":7"#,
			r#""roundNumber":7.5"#,
			Error::Decimal("roundNumber", DecimalError::Inexact),
		),
		(r#""payoutSettled":"15""#, r#""payoutSettled":15"#, Error::Shape("payoutSettled")),
		(r#""displayName":"canon_mmc""#, r#""displayName":"canon_corr""#, Error::DuplicateScore),
	];
	for (from, to, err) in cases {
		let body = good.replacen(from, to, 1);
		assert_ne!(body, good, "{from}");
		assert_eq!(round_result(body.as_bytes(), 7, &CFG, true), Err(err.clone()), "{to}");
	}
}

#[test]
fn fault_modes_of_the_fixture() {
	let good = one_round(r#""1000""#, "0.02", "4e-3", r#""15""#, r#""9""#);
	// Truncated.
	assert!(matches!(
		round_result(&good.as_bytes()[..good.len() / 2], 7, &CFG, true),
		Err(Error::Json(_))
	));
	// Malformed.
	assert!(matches!(
		round_result(b"<html>502 Bad Gateway</html>", 7, &CFG, true),
		Err(Error::Json(_))
	));
	// GraphQL errors (with or without partial data).
	let errors = r#"{"errors":[{"message":"Argument \"modelId\" has invalid value $modelId.","locations":[{"line":1,"column":30}],"path":["v2RoundModelPerformances"]}],"data":null}"#;
	assert_eq!(
		round_result(errors.as_bytes(), 7, &CFG, true),
		Err(Error::GraphQl("Argument \"modelId\" has invalid value $modelId.".to_string()))
	);
	let partial = r#"{"errors":[{"message":"boom"}],"data":{"v2RoundModelPerformances":[]}}"#;
	assert_eq!(
		round_result(partial.as_bytes(), 7, &CFG, true),
		Err(Error::GraphQl("boom".to_string()))
	);
	assert_eq!(
		round_result(br#"{"detail":"Your session is invalid or has expired."}"#, 7, &CFG, true),
		Err(Error::GraphQl("Your session is invalid or has expired.".to_string()))
	);
	// Unknown model: a null field.
	assert_eq!(
		round_result(br#"{"data":{"v2RoundModelPerformances":null}}"#, 7, &CFG, true),
		Err(Error::MissingData)
	);
	assert_eq!(round_result(br#"{}"#, 7, &CFG, true), Err(Error::MissingData));
	// Duplicated round.
	let dup = r#"{"data":{"v2RoundModelPerformances":[{"roundNumber":7},{"roundNumber":7}]}}"#;
	assert_eq!(round_result(dup.as_bytes(), 7, &CFG, true), Err(Error::DuplicateRound));
}

#[test]
fn rounds_and_current_round() {
	let body = r#"{"data":{"rounds":[{"number":1251,"openTime":"2026-04-22T12:00:00Z","closeTime":"2026-04-22T13:00:00Z","resolveTime":"2026-05-24T20:00:00Z",
	  "resolvedGeneral":false,"resolvedStaking":false,"payoutFactor":null,"stakeThreshold":72000.0,"defaultCorrMultiplier":0.75,"defaultMmcMultiplier":2.25}]}}"#;
	let r = round(body.as_bytes(), 1251).unwrap().unwrap();
	assert_eq!(r.number, 1251);
	assert_eq!(r.resolves_at - r.opened_at, 32 * 86_400 + 8 * 3_600);
	assert_eq!(round(body.as_bytes(), 1252), Ok(None));
	assert_eq!(current_round(body.as_bytes()), Ok(Some(r)));
	assert_eq!(current_round(br#"{"data":{"rounds":[]}}"#), Ok(None));
	let bad_time = body.replace("2026-05-24T20:00:00Z", "2026-05-24");
	assert_eq!(
		round(bad_time.as_bytes(), 1251),
		Err(Error::Time("resolveTime", TimeError::Format))
	);
	let reversed = body.replace("2026-05-24T20:00:00Z", "2026-04-01T00:00:00Z");
	assert_eq!(round(reversed.as_bytes(), 1251), Err(Error::Shape("resolveTime")));
}

#[test]
fn profiles_known_unknown_and_shown() {
	let body = r#"{"data":{"v3UserProfile":{"id":"11111111-2222-4333-8444-555555555555","username":"example_model","accountName":"example_account",
	  "bio":"hello numerstake-challenge:0xab12 bye","linkText":null,"linkUrl":null,"nmrStaked":"0.000000000000000000","stakeValue":null,"startDate":"2024-01-05T09:30:00Z"}}}"#;
	let p = profile(body.as_bytes()).unwrap().unwrap();
	assert!(p.shows("11111111-2222-4333-8444-555555555555", "numerstake-challenge:0xab12"));
	assert!(!p.shows("11111111-2222-4333-8444-555555555556", "numerstake-challenge:0xab12"));
	assert!(!p.shows("11111111-2222-4333-8444-555555555555", "numerstake-challenge:0xab13"));
	assert!(!p.shows("11111111-2222-4333-8444-555555555555", ""));
	// Only an explicit `null` without errors says that no model has the name: a refuted claim
	// costs its deposit, so anything that could be an outage is an error.
	assert_eq!(profile(br#"{"data":{"v3UserProfile":null}}"#), Ok(None));
	assert_eq!(profile(br#"{"data":{}}"#), Err(Error::MissingData));
	assert_eq!(profile(br#"{"data":null}"#), Err(Error::MissingData));
	assert_eq!(
		profile(br#"{"errors":[{"message":"boom"}],"data":{"v3UserProfile":null}}"#),
		Err(Error::GraphQl("boom".to_string()))
	);
	assert_eq!(
		profile(br#"{"errors":[{"message":"Model not found"}],"data":null}"#),
		Err(Error::GraphQl("Model not found".to_string()))
	);
	assert_eq!(profile(br#"{"data":{"v3UserProfile":{"bio":"x"}}}"#), Err(Error::Shape("id")));
}

#[test]
fn formula_at_the_limits() {
	// 10^9 NMR at the clip: exactly 5 %.
	let a = 1_000_000_000u128 * NMR as u128;
	assert_eq!(
		formula_payout(a, SCORE_SCALE, SCORE_SCALE, SCORE_SCALE, 0, 0),
		Ok(50_000_000 * NMR)
	);
	assert_eq!(
		formula_payout(a, SCORE_SCALE, SCORE_SCALE, -SCORE_SCALE, 0, 0),
		Ok(-50_000_000 * NMR)
	);
	assert_eq!(
		formula_payout(a, i64::MAX, i64::MAX, i64::MAX, i64::MAX, i64::MAX),
		Err(Error::Overflow)
	);
}

proptest::proptest! {
	#[test]
	fn any_body_is_an_answer_or_an_error(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
		let _ = round_result(&bytes, 7, &CFG, true);
		let _ = profile(&bytes);
		let _ = round(&bytes, 7);
	}

	#[test]
	fn fixture_shaped_rounds_are_always_confirmed(
		stake in 1u64..1_000_000_000,
		corr in -100_000i64..100_000,
		mmc in -100_000i64..100_000,
		split in 0u8..3,
	) {
		// Scores with 6 decimals, payout computed by the same formula the fixture uses.
		let at_risk = u128::from(stake) * NMR as u128;
		let c = corr * 1_000_000;
		let m = mmc * 1_000_000;
		let payout = formula_payout(at_risk, SCORE_SCALE, 750_000_000_000, c, 2_250_000_000_000, m).unwrap();
		let dec = |v: i128| {
			let sign = if v < 0 { "-" } else { "" };
			format!("\"{sign}{}.{:018}\"", v.unsigned_abs() / 10u128.pow(18), v.unsigned_abs() % 10u128.pow(18))
		};
		let (p1, p2) = match split { 0 => (payout, 0), 1 => (payout / 3, payout - payout / 3), _ => (payout, payout) };
		let body = one_round(&dec(at_risk as i128), &format!("{}e-6", corr), &format!("{}e-6", mmc), &dec(p1), &dec(p2));
		let out = round_result(body.as_bytes(), 7, &CFG, true);
		if split == 0 && payout == 0 {
			// Both entries zero: identical readings.
			let zero = matches!(out, Ok(RoundOutcome::Resolved(Resolved { payout: 0, .. })));
			proptest::prop_assert!(zero);
		} else {
			match out {
				Ok(RoundOutcome::Resolved(Resolved { payout: p, .. })) => proptest::prop_assert_eq!(p, payout),
				other => proptest::prop_assert!(false, "{:?}", other),
			}
		}
	}
}

#[test]
fn in_a_window_of_rounds_absence_counts_only_when_the_window_reaches_back_past_the_round() {
	// The notes' response lists rounds 1229, 1230 and 1250.
	let notes = NOTES_RESPONSE.as_bytes();
	// Between listed rounds, a missing round is absent however the list was asked for.
	assert_eq!(round_result(notes, 1240, &CFG, false), Ok(RoundOutcome::Absent));
	assert_eq!(round_result(notes, 1300, &CFG, false), Ok(RoundOutcome::Absent));
	// Before the earliest listed round a window says nothing; neither does an answer to an
	// exact filter that lists other rounds (the server ignored the filter).
	assert_eq!(round_result(notes, 1200, &CFG, false), Err(Error::NotInWindow));
	assert_eq!(round_result(notes, 1200, &CFG, true), Err(Error::NotInWindow));
	let empty = br#"{"data":{"v2RoundModelPerformances":[]}}"#;
	assert_eq!(round_result(empty, 7, &CFG, false), Err(Error::NotInWindow));
	assert_eq!(round_result(empty, 7, &CFG, true), Ok(RoundOutcome::Absent));
	// A listed round reads the same either way.
	assert_eq!(round_result(notes, 1229, &CFG, false), Ok(RoundOutcome::NotSubmitted));
}

#[test]
fn only_an_error_naming_the_filter_argument_switches_the_query_form() {
	let refused = |message: &str| {
		let body = format!(r#"{{"errors":[{{"message":{message:?}}}],"data":null}}"#);
		round_result(body.as_bytes(), 7, &CFG, true).unwrap_err()
	};
	// Absinthe's and graphql-js's wording for an unknown argument.
	let absinthe = refused(
		"Unknown argument \"roundNumber__eq\" on field \"v2RoundModelPerformances\" of type \"RootQueryType\".",
	);
	assert!(refuses_argument(&absinthe, "roundNumber__eq"));
	assert!(!refuses_argument(&absinthe, "roundNumberEq"));
	let js =
		refused("Unknown argument \"lastNRounds\" on field \"Query.v2RoundModelPerformances\".");
	assert!(refuses_argument(&js, "lastNRounds"));
	// Other errors are not about the form.
	let bad_id = refused("Argument \"modelId\" has invalid value $modelId.");
	assert!(!refuses_argument(&bad_id, "roundNumber__eq"));
	assert!(!refuses_argument(&refused("Internal server error"), "roundNumber__eq"));
	assert!(!refuses_argument(&Error::MissingData, "roundNumber__eq"));
}

#[test]
fn the_first_challenge_in_a_profile_is_found_by_its_prefix() {
	let id = "11111111-2222-4333-8444-555555555555";
	let digest = |b: u8| [b; 32];
	let hex = |b: u8| format!("{b:02x}").repeat(32);
	let profile = |texts: Vec<String>| Profile { id: id.to_string(), texts };
	let p = "numerstake-challenge:0x";
	let with = profile(vec![
		"no challenge here".to_string(),
		format!("mine: {p}{} and {p}{}", hex(0xab), hex(0x01)),
	]);
	assert_eq!(with.first_challenge(id, p), Some(digest(0xab)));
	assert_eq!(with.first_challenge(&id.to_uppercase(), p), Some(digest(0xab)));
	assert_eq!(with.first_challenge("00000000-2222-4333-8444-555555555555", p), None);
	// Too short, upper-case or not hex: skipped, the next one counts.
	let odd = profile(vec![format!(
		"{p}{} {p}{} {p}{}",
		&hex(0xcd)[..63],
		hex(0xcd).to_uppercase(),
		hex(0x5e)
	)]);
	assert_eq!(odd.first_challenge(id, p), Some(digest(0x5e)));
	assert_eq!(profile(vec![format!("{p}zz")]).first_challenge(id, p), None);
	assert_eq!(profile(vec![]).first_challenge(id, p), None);
}
