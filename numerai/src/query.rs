//! The GraphQL request bodies the oracle sends (POST, `Content-Type: application/json`).
//!
//! Arguments travel as variables, never spliced into the query text; strings are JSON-escaped.

use crate::json::write_string;
use alloc::{format, string::String};

/// Rounds of a tournament by number (`number: 0` is Numerai's alias for the current round).
pub const ROUNDS: &str = "query($tournament: Int!, $number: Int!) { rounds(tournament: $tournament, number: $number) { number openTime resolveTime } }";

/// How the score query picks a model's round out of `v2RoundModelPerformances`. A GraphQL
/// server refuses a whole query for an argument it does not know, and the sources disagree on
/// the filter's spelling (section 3 of the API notes), so the worker starts with the first
/// form and moves to the next when the server refuses the form's argument
/// ([`crate::extract::refuses_argument`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreQuery {
	/// `roundNumber__eq: $round`, the spelling Numerai's web front end sends.
	FrontEnd,
	/// `roundNumberEq: $round`, the spelling introspection lists.
	Introspected,
	/// No round filter: `lastNRounds: $n`, as other live clients ask; the round is picked
	/// from the list (and its absence proves nothing unless the list reaches back past it).
	Recent,
}

/// `lastNRounds` asks for the rounds from the wanted one to the chain's latest and this many
/// more (rounds Numerai may have opened that the chain has not seen yet).
pub const RECENT_MARGIN: u32 = 10;
/// The most rounds one [`ScoreQuery::Recent`] query asks for.
pub const RECENT_MAX: u32 = 100;

impl ScoreQuery {
	/// The forms in the order the worker tries them.
	pub const ALL: [ScoreQuery; 3] =
		[ScoreQuery::FrontEnd, ScoreQuery::Introspected, ScoreQuery::Recent];

	/// The argument the server may refuse.
	pub fn argument(self) -> &'static str {
		match self {
			ScoreQuery::FrontEnd => "roundNumber__eq",
			ScoreQuery::Introspected => "roundNumberEq",
			ScoreQuery::Recent => "lastNRounds",
		}
	}

	/// The query text.
	pub fn text(self) -> &'static str {
		match self {
			ScoreQuery::FrontEnd => ROUND_MODEL_PERFORMANCES,
			ScoreQuery::Introspected => ROUND_MODEL_PERFORMANCES_INTROSPECTED,
			ScoreQuery::Recent => RECENT_MODEL_PERFORMANCES,
		}
	}

	/// Its place in [`ScoreQuery::ALL`].
	pub fn index(self) -> u8 {
		self as u8
	}

	/// The form at `index` in [`ScoreQuery::ALL`] (the first for anything else).
	pub fn from_index(index: u8) -> Self {
		Self::ALL.get(usize::from(index)).copied().unwrap_or(ScoreQuery::FrontEnd)
	}

	/// The form to try after this one is refused (wrapping around).
	pub fn next(self) -> Self {
		Self::from_index((self.index() + 1) % Self::ALL.len() as u8)
	}

	/// Whether the answer lists exactly the asked round (or nothing), rather than a window.
	pub fn is_exact(self) -> bool {
		self != ScoreQuery::Recent
	}
}

/// The fields read from each round of `v2RoundModelPerformances`.
macro_rules! performance_fields {
	() => {
		"{ roundNumber roundResolved atRisk corrMultiplier mmcMultiplier roundPayoutFactor submissionScores { displayName value payoutSettled } }"
	};
}

/// One model's performance in one round, filtered as Numerai's front end does.
pub const ROUND_MODEL_PERFORMANCES: &str = concat!(
	"query($modelId: String!, $tournament: Int!, $round: Int!) { v2RoundModelPerformances(modelId: $modelId, tournament: $tournament, roundNumber__eq: $round) ",
	performance_fields!(),
	" }"
);

/// One model's performance in one round, filtered with the introspected spelling.
pub const ROUND_MODEL_PERFORMANCES_INTROSPECTED: &str = concat!(
	"query($modelId: String!, $tournament: Int!, $round: Int!) { v2RoundModelPerformances(modelId: $modelId, tournament: $tournament, roundNumberEq: $round) ",
	performance_fields!(),
	" }"
);

/// One model's performance in its last `$n` rounds.
pub const RECENT_MODEL_PERFORMANCES: &str = concat!(
	"query($modelId: String!, $tournament: Int!, $n: Int!) { v2RoundModelPerformances(modelId: $modelId, tournament: $tournament, lastNRounds: $n) ",
	performance_fields!(),
	" }"
);

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

/// The body asking for `model_id`'s result in `round` in the given form; `latest` is the
/// latest round the chain knows (it sizes the window of [`ScoreQuery::Recent`]).
pub fn round_model_performances(
	form: ScoreQuery,
	model_id: &str,
	tournament: u16,
	round: u32,
	latest: u32,
) -> String {
	let mut vars = String::from("{\"modelId\":");
	write_string(&mut vars, model_id);
	match form {
		ScoreQuery::FrontEnd | ScoreQuery::Introspected => {
			vars.push_str(&format!(",\"tournament\":{tournament},\"round\":{round}}}"))
		},
		ScoreQuery::Recent => {
			let n = latest.saturating_sub(round).saturating_add(1 + RECENT_MARGIN).min(RECENT_MAX);
			vars.push_str(&format!(",\"tournament\":{tournament},\"n\":{n}}}"))
		},
	}
	body(form.text(), &vars)
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
		let b = round_model_performances(
			ScoreQuery::FrontEnd,
			"11111111-2222-4333-8444-555555555555",
			8,
			1230,
			1250,
		);
		let v = parse(b.as_bytes()).unwrap();
		assert_eq!(v.get("query").unwrap().as_str(), Some(ROUND_MODEL_PERFORMANCES));
		let vars = v.get("variables").unwrap();
		assert_eq!(vars.get("round").unwrap().as_number_text(), Some("1230"));
		let b = round_model_performances(ScoreQuery::Recent, "m", 8, 1230, 1250);
		let v = parse(b.as_bytes()).unwrap();
		assert_eq!(v.get("variables").unwrap().get("n").unwrap().as_number_text(), Some("31"));
		assert_eq!(ScoreQuery::Recent.next(), ScoreQuery::FrontEnd);
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
