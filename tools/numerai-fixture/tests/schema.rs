//! The fixture refuses what a GraphQL server refuses, and the oracle's score query finds a form
//! that each kind of server accepts.

mod common;

use common::ask;

use numerai_fixture::{
	graphql::answer,
	schema::{check, Root, ScoreFilter},
	world::RoundData,
	Clock, Fault, PayoutShape, World,
};
use numerstake_numerai::{
	extract::{self, refuses_argument},
	query::{self, ScoreQuery},
	RoundOutcome, ScoreConfig,
};
use serde_json::{json, Value};

const CFG: ScoreConfig =
	ScoreConfig { corr: "canon_corr", mmc: "canon_mmc", stored: &["canon_corr", "canon_mmc"] };

fn body(query: &str, variables: Value) -> Vec<u8> {
	json!({"query": query, "variables": variables}).to_string().into_bytes()
}

fn message(answer: &[u8]) -> String {
	let v: Value = serde_json::from_slice(answer).unwrap();
	assert_eq!(v["data"], Value::Null, "a refused query has no data: {v}");
	v["errors"][0]["message"].as_str().unwrap().to_string()
}

#[test]
fn the_oracles_round_and_profile_queries_pass_the_schema() {
	let vars = |b: String| -> (String, Value) {
		let v: Value = serde_json::from_str(&b).unwrap();
		(v["query"].as_str().unwrap().to_string(), v["variables"].clone())
	};
	let (q, v) = vars(query::rounds(8, 0));
	let r = check(&q, &v, ScoreFilter::None).unwrap();
	assert_eq!(r.root, Root::Rounds);
	assert_eq!(r.args["number"], json!(0));
	let (q, v) = vars(query::user_profile("someone"));
	let r = check(&q, &v, ScoreFilter::None).unwrap();
	assert_eq!((r.root, r.args["modelName"].clone()), (Root::Profile, json!("someone")));
}

#[test]
fn unknown_fields_arguments_variables_and_bad_syntax_are_refused_as_a_server_does() {
	let refused = |q: &str, v: Value| check(q, &v, ScoreFilter::FrontEnd).unwrap_err().message;
	assert_eq!(
		refused("{ v2RoundModelPerformances(modelId: \"x\", round: 3) { roundNumber } }", json!({})),
		"Unknown argument \"round\" on field \"v2RoundModelPerformances\" of type \"RootQueryType\"."
	);
	assert_eq!(
		refused("{ v2RoundModelPerformances(modelId: \"x\") { roundNumber payout } }", json!({})),
		"Cannot query field \"payout\" on type \"V2RoundModelPerformance\"."
	);
	assert_eq!(
		refused(
			"{ v2RoundModelPerformances(modelId: \"x\") { submissionScores { name } } }",
			json!({})
		),
		"Cannot query field \"name\" on type \"SubmissionScore\"."
	);
	assert_eq!(
		refused("{ v2RoundModelPerformances(modelId: \"x\") { submissionScores } }", json!({})),
		"Field \"submissionScores\" of type \"SubmissionScore\" must have a selection of subfields."
	);
	assert_eq!(
		refused("{ leaderboard { rank } }", json!({})),
		"Cannot query field \"leaderboard\" on type \"RootQueryType\"."
	);
	assert_eq!(
		refused("query($id: String!) { v3UserProfile(modelName: $name) { id } }", json!({})),
		"Variable \"$name\" is not defined."
	);
	assert!(refused("{ rounds(tournament: 8 { number } }", json!({})).starts_with("syntax error"));
	// Over HTTP's body: the same refusal as a GraphQL `errors` answer without data.
	let (w, c) = world();
	let a = ask(&w, &c, c.start, &body("{ rounds(tournament: 8) { number winner } }", json!({})));
	assert_eq!(message(&a.body), "Cannot query field \"winner\" on type \"Round\".");
}

fn world() -> (World, Clock) {
	(
		World::synthetic(5, 2),
		Clock { start: 1_772_366_400, first_round: 1_000, round_secs: 30, resolve_after: 3 },
	)
}

/// For each kind of server, the forms it refuses are refused with an error that names their
/// argument (so the oracle moves on), and the first form it accepts reads every resolved round
/// of every model exactly.
#[test]
fn every_kind_of_server_accepts_one_of_the_oracles_score_query_forms() {
	let (w, c) = world();
	let now = c.start + 40 * 30;
	let latest = c.current(now);
	for (filter, works) in [
		(ScoreFilter::FrontEnd, ScoreQuery::FrontEnd),
		(ScoreFilter::Introspected, ScoreQuery::Introspected),
		(ScoreFilter::None, ScoreQuery::Recent),
	] {
		let mut checked = 0;
		for m in w.models.values() {
			for round in 1_000..latest.saturating_sub(c.resolve_after) {
				let mut form = ScoreQuery::FrontEnd;
				let outcome = loop {
					let request = query::round_model_performances(form, &m.id, 8, round, latest);
					let a = answer(
						&w,
						&c,
						PayoutShape::Sum,
						filter,
						Fault::None,
						now,
						request.as_bytes(),
					);
					match extract::round_result(&a.body, round, &CFG, form.is_exact()) {
						Err(e) if refuses_argument(&e, form.argument()) => {
							assert_ne!(form, works, "{filter:?} refused {form:?}: {e:?}");
							form = form.next();
						},
						other => break other.unwrap(),
					}
				};
				assert_eq!(form, works, "{filter:?}");
				match (w.round_data(m, round), outcome) {
					(
						RoundData::Missed { .. },
						RoundOutcome::Absent | RoundOutcome::NotSubmitted,
					) => {},
					(RoundData::Submitted(s), RoundOutcome::Resolved(r)) => {
						assert_eq!((r.at_risk, r.payout), (s.at_risk, s.payout()));
						checked += 1;
					},
					(d, o) => panic!("{filter:?}: {} round {round}: {d:?} read as {o:?}", m.name),
				}
			}
		}
		assert!(checked > 50, "{filter:?}: {checked}");
	}
}

#[test]
fn a_window_of_rounds_is_the_last_n_newest_first() {
	let (w, c) = world();
	let now = c.start + 40 * 30;
	let m = &w.models["numerstake_demo_alpha"];
	let request =
		body(query::RECENT_MODEL_PERFORMANCES, json!({"modelId": m.id, "tournament": 8, "n": 5}));
	let a = answer(&w, &c, PayoutShape::Sum, ScoreFilter::None, Fault::None, now, &request);
	let v: Value = serde_json::from_slice(&a.body).unwrap();
	let rounds: Vec<u64> = v["data"]["v2RoundModelPerformances"]
		.as_array()
		.unwrap()
		.iter()
		.map(|e| e["roundNumber"].as_u64().unwrap())
		.collect();
	let current = u64::from(c.current(now));
	// Missed rounds of even number are absent; every listed round is among the last five.
	assert!(!rounds.is_empty() && rounds.len() <= 5, "{rounds:?}");
	assert!(rounds.windows(2).all(|p| p[0] > p[1]), "{rounds:?}");
	assert!(rounds.iter().all(|r| (current - 4..=current).contains(r)), "{rounds:?}");
}
