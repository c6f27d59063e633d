//! The GraphQL request bodies the oracle sends (POST, `Content-Type: application/json`).
//!
//! Arguments travel as variables, never spliced into the query text; strings are JSON-escaped.

use crate::json::write_string;
use alloc::{format, string::String};

/// Rounds of a tournament by number (`number: 0` is Numerai's alias for the current round).
pub const ROUNDS: &str = "query($tournament: Int!, $number: Int!) { rounds(tournament: $tournament, number: $number) { number openTime resolveTime } }";

/// One model's performance in one round.
pub const ROUND_MODEL_PERFORMANCES: &str = "query($modelId: String!, $tournament: Int!, $round: Int!) { v2RoundModelPerformances(modelId: $modelId, tournament: $tournament, roundNumberEq: $round) { roundNumber roundResolved atRisk corrMultiplier mmcMultiplier roundPayoutFactor submissionScores { displayName value payoutSettled } } }";

/// A model's public profile, by name.
pub const USER_PROFILE: &str =
	"query($modelName: String!) { v3UserProfile(modelName: $modelName) { id username bio linkText linkUrl } }";

fn body(query: &str, variables: &str) -> String {
	let mut out = String::from("{\"query\":");
	write_string(&mut out, query);
	out.push_str(",\"variables\":");
	out.push_str(variables);
	out.push('}');
	out
}

/// The body asking for round `number` of `tournament`.
pub fn rounds(tournament: u16, number: u32) -> String {
	body(ROUNDS, &format!("{{\"tournament\":{tournament},\"number\":{number}}}"))
}

/// The body asking for `model_id`'s result in `round`.
pub fn round_model_performances(model_id: &str, tournament: u16, round: u32) -> String {
	let mut vars = String::from("{\"modelId\":");
	write_string(&mut vars, model_id);
	vars.push_str(&format!(",\"tournament\":{tournament},\"round\":{round}}}"));
	body(ROUND_MODEL_PERFORMANCES, &vars)
}

/// The body asking for the public profile of the model named `name`.
pub fn user_profile(name: &str) -> String {
	let mut vars = String::from("{\"modelName\":");
	write_string(&mut vars, name);
	vars.push('}');
	body(USER_PROFILE, &vars)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::json::parse;

	#[test]
	fn bodies_are_json_with_variables() {
		let b = round_model_performances("11111111-2222-4333-8444-555555555555", 8, 1230);
		let v = parse(b.as_bytes()).unwrap();
		assert_eq!(v.get("query").unwrap().as_str(), Some(ROUND_MODEL_PERFORMANCES));
		let vars = v.get("variables").unwrap();
		assert_eq!(vars.get("round").unwrap().as_number_text(), Some("1230"));
		let p = user_profile("we\"ird\\name");
		let v = parse(p.as_bytes()).unwrap();
		assert_eq!(
			v.get("variables").unwrap().get("modelName").unwrap().as_str(),
			Some("we\"ird\\name")
		);
		let r = parse(rounds(8, 0).as_bytes()).unwrap();
		assert_eq!(r.get("variables").unwrap().get("number").unwrap().as_number_text(), Some("0"));
	}
}
