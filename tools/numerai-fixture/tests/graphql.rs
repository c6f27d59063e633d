//! The fixture's answers read back through the oracle's own parser: exactly, in every
//! encoding and payout shape, and refused under every fault.

mod common;

use common::ask;
use numerai_fixture::{
	graphql::{answer, iso, SLOW_MS},
	world::RoundData,
	Clock, Fault, PayoutShape, ScoreFilter, World,
};
use numerstake_numerai::{extract, query, query::ScoreQuery, RoundOutcome, ScoreConfig};

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
	let a = ask(&w, &c, now, query::rounds(8, 0).as_bytes());
	let r = extract::current_round(&a.body).unwrap().unwrap();
	assert_eq!(r.number, 1_003);
	assert_eq!(r.opened_at, c.start + 90);
	let a = ask(&w, &c, now, query::rounds(8, 1_004).as_bytes());
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
					let body =
						query::round_model_performances(ScoreQuery::FrontEnd, &m.id, 8, r, r);
					let a =
						answer(&w, &c, shape, ScoreFilter::FrontEnd, fault, now, body.as_bytes());
					let out = extract::round_result(&a.body, r, &CFG, true).unwrap();
					match (w.round_data(m, r), out) {
						(
							RoundData::Missed { .. },
							RoundOutcome::Absent | RoundOutcome::NotSubmitted,
						) => {},
						(RoundData::Submitted(s), RoundOutcome::Resolved(read)) => {
							assert_eq!(read.at_risk, s.at_risk);
							assert_eq!(read.payout, s.payout());
							assert_eq!(read.scores[0].1, s.corr.scaled);
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
	let a = ask(
		&w,
		&c,
		now,
		query::round_model_performances(ScoreQuery::FrontEnd, &m.id, 8, r, r).as_bytes(),
	);
	assert!(matches!(
		extract::round_result(&a.body, r, &CFG, true),
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
	let body = query::round_model_performances(ScoreQuery::FrontEnd, &m.id, 8, r, r);
	for fault in [
		Fault::Truncated,
		Fault::Malformed,
		Fault::Nulls,
		Fault::GraphqlErrors,
		Fault::UnknownModels,
	] {
		let a =
			answer(&w, &c, PayoutShape::Sum, ScoreFilter::FrontEnd, fault, now, body.as_bytes());
		assert!(extract::round_result(&a.body, r, &CFG, true).is_err(), "{fault:?}");
	}
	let a = answer(
		&w,
		&c,
		PayoutShape::Sum,
		ScoreFilter::FrontEnd,
		Fault::Http500,
		now,
		body.as_bytes(),
	);
	assert_eq!(a.status, 500);
	let a =
		answer(&w, &c, PayoutShape::Sum, ScoreFilter::FrontEnd, Fault::Slow, now, body.as_bytes());
	assert_eq!(a.delay_ms, SLOW_MS);
}

#[test]
fn profiles_by_name() {
	let (mut w, c) = setup();
	w.models.get_mut("numerstake_demo_beta").unwrap().bio =
		Some("numerstake-challenge:0xab".into());
	let a = ask(&w, &c, 0, query::user_profile("NumerStake_Demo_Beta").as_bytes());
	let p = extract::profile(&a.body).unwrap().unwrap();
	assert!(p.shows("00000000-0000-4000-8000-000000000002", "numerstake-challenge:0xab"));
	let a = ask(&w, &c, 0, query::user_profile("nobody").as_bytes());
	assert_eq!(extract::profile(&a.body), Ok(None));
}

/// A round of a data file as a user has it: 18-decimal scores as strings and JSON numbers, the
/// round's own multipliers and payout factor, and what Numerai settled, which the oracle
/// reports to the planck (it agrees with the formula within the tolerance, so it is confirmed).
#[test]
fn a_data_file_round_is_served_verbatim_and_read_to_the_planck() {
	let at_risk = "1234.567890123456789";
	let planck = numerstake_numerai::decimal::parse_nmr(at_risk).unwrap() as u128;
	let scale = |t: &str| numerstake_numerai::decimal::parse_score(t).unwrap();
	let formula = extract::formula_payout(
		planck,
		scale("0.9"),
		scale("0.5"),
		scale("0.012345678901234567"),
		scale("2"),
		scale("0.0031"),
	)
	.unwrap();
	// Numerai's settlement, a millionth of an NMR from our formula's truncation.
	let settled = formula + 1_000_000_000_000;
	let settled_text = format!(
		"{}.{:018}",
		settled / 1_000_000_000_000_000_000,
		settled % 1_000_000_000_000_000_000
	);
	let doc = format!(
		r#"{{"models":[{{"id":"11111111-2222-4333-8444-555555555555","name":"Real_Model","results":{{
		"1001":{{"at_risk":"{at_risk}","corr":"0.012345678901234567","mmc":3.1e-3,"corr_multiplier":0.5,
		         "mmc_multiplier":"2","payout_factor":"0.9","payout":"{settled_text}"}}}}}}]}}"#
	);
	let w = World::from_json(1, doc.as_bytes()).unwrap();
	let c = Clock { start: 1_772_366_400, first_round: 1_000, round_secs: 30, resolve_after: 3 };
	let now = c.resolves_at(1_001);
	for shape in [PayoutShape::Sum, PayoutShape::Repeated] {
		let body = query::round_model_performances(
			ScoreQuery::FrontEnd,
			"11111111-2222-4333-8444-555555555555",
			8,
			1_001,
			1_001,
		);
		let a = answer(&w, &c, shape, ScoreFilter::FrontEnd, Fault::None, now, body.as_bytes());
		let text = String::from_utf8(a.body.clone()).unwrap();
		// Served as numbers, digit for digit.
		assert!(text.contains(r#""value":0.012345678901234567"#), "{text}");
		assert!(text.contains(r#""value":3.1e-3"#), "{text}");
		assert!(text.contains(r#""corrMultiplier":0.5"#), "{text}");
		assert!(text.contains(r#""roundPayoutFactor":"0.9""#), "{text}");
		let Ok(RoundOutcome::Resolved(read)) = extract::round_result(&a.body, 1_001, &CFG, true)
		else {
			panic!("{text}")
		};
		assert_eq!(read.at_risk, planck);
		assert_eq!(read.payout, settled);
		assert_eq!(read.scores[0].1, 12_345_678_901);
		assert_eq!(read.payout_factor, Some(900_000_000_000));
	}
}

/// The example history (`examples/history/demo-history.csv`): every round, served in both
/// payout shapes, reads back through the oracle as the file says, payouts to the planck.
#[test]
fn the_example_history_reads_back_as_the_file_says() {
	let csv = std::fs::read(concat!(
		env!("CARGO_MANIFEST_DIR"),
		"/../../examples/history/demo-history.csv"
	))
	.unwrap();
	let w = World::from_csv(1, &csv).unwrap();
	let c = Clock { start: 1_772_366_400, first_round: 1_190, round_secs: 30, resolve_after: 3 };
	let now = c.resolves_at(1_219);
	let (mut settled, mut missed) = (0, 0);
	for m in w.models.values() {
		assert!(m.fixed.is_some(), "{} is served from the file", m.name);
		for round in 1_190..=1_219 {
			for shape in [PayoutShape::Sum, PayoutShape::Repeated] {
				let body =
					query::round_model_performances(ScoreQuery::FrontEnd, &m.id, 8, round, round);
				let a =
					answer(&w, &c, shape, ScoreFilter::FrontEnd, Fault::None, now, body.as_bytes());
				let out = extract::round_result(&a.body, round, &CFG, true).unwrap();
				match (w.round_data(m, round), out) {
					(
						RoundData::Missed { .. },
						RoundOutcome::Absent | RoundOutcome::NotSubmitted,
					) => missed += 1,
					(RoundData::Submitted(s), RoundOutcome::Resolved(read)) => {
						assert_eq!(read.at_risk, s.at_risk);
						assert_eq!(Some(read.payout), s.settled, "{} round {round}", m.name);
						assert_eq!(read.payout_factor, Some(s.payout_factor.scaled));
						assert_eq!(read.corr_multiplier, Some(s.corr_multiplier.scaled));
						assert_eq!(read.scores[1].1, s.mmc.scaled);
						settled += 1;
					},
					(d, o) => panic!("{} round {round}: {d:?} read as {o:?}", m.name),
				}
			}
		}
	}
	assert_eq!((settled, missed), (2 * 87, 2 * 3));
}

#[test]
fn a_csv_converts_with_its_numbers_as_written_and_names_its_bad_lines() {
	use numerai_fixture::world::csv_to_json;
	let csv = b"model_id,model_name,round,missed,at_risk,corr,mmc,payout\n\
		11111111-2222-4333-8444-555555555555,m,7,,150.5,0.012345678901234567,-3.1e-3,1.25\n\
		11111111-2222-4333-8444-555555555555,m,8,listed,,,,\n";
	let json: serde_json::Value = serde_json::from_str(&csv_to_json(csv).unwrap()).unwrap();
	let results = &json["models"][0]["results"];
	assert_eq!(results["7"]["corr"], "0.012345678901234567");
	assert_eq!(results["7"]["payout"], "1.25");
	assert_eq!(results["8"]["missed"], "listed");
	assert!(csv_to_json(b"model_id,model_name,round,score\n")
		.unwrap_err()
		.contains("unknown column \"score\""));
	assert!(csv_to_json(b"model_id,round\n").unwrap_err().contains("no model_name column"));
	let twice = b"model_id,model_name,round,at_risk,corr,mmc\nx,m,7,1,0,0\nx,m,7,1,0,0\n";
	assert!(csv_to_json(twice).unwrap_err().starts_with("CSV line 3:"));
	let bad = b"model_id,model_name,round,at_risk,corr,mmc\n11111111-2222-4333-8444-555555555555,m,7,1,zero,0\n";
	let json = csv_to_json(bad).unwrap();
	assert!(World::from_json(1, json.as_bytes())
		.unwrap_err()
		.starts_with("model m: round 7: corr:"));
}
