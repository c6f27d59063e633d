//! The part of Numerai's schema the fixture serves, and the checks a GraphQL server makes before
//! it answers: the query parses (with `graphql-parser`), and every field and argument it names
//! exists. A real server refuses the whole query otherwise, with an `errors` answer and no
//! data, and so does the fixture, so that a query the live API would refuse fails here too.
//!
//! Which spelling of the score query's round filter the server accepts is a switch
//! ([`ScoreFilter`]): the sources disagree on it (section 3 of the API notes), and the oracle
//! must work whichever it is.

use graphql_parser::query::{
	parse_query, Definition, Field, OperationDefinition, Selection, SelectionSet, Value as GqlValue,
};
use serde_json::{Map, Number, Value};

/// Which round filter of `v2RoundModelPerformances` the server knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreFilter {
	/// `roundNumber__eq` (and `__gte`, `__lte`), as Numerai's web front end sends.
	FrontEnd,
	/// `roundNumberEq` (and `Gte`, `Lte`), as introspection lists.
	Introspected,
	/// Neither: only `lastNRounds`, `limit` and `offset` select rounds.
	None,
}

impl ScoreFilter {
	/// Parses `front-end`, `introspected` or `none`.
	pub fn parse(name: &str) -> Option<Self> {
		Some(match name {
			"front-end" => ScoreFilter::FrontEnd,
			"introspected" => ScoreFilter::Introspected,
			"none" => ScoreFilter::None,
			_ => return None,
		})
	}

	/// The filter arguments it knows: equal, at least, at most.
	fn arguments(self) -> &'static [&'static str] {
		match self {
			ScoreFilter::FrontEnd => &["roundNumber__eq", "roundNumber__gte", "roundNumber__lte"],
			ScoreFilter::Introspected => &["roundNumberEq", "roundNumberGte", "roundNumberLte"],
			ScoreFilter::None => &[],
		}
	}
}

/// An object type: its name and fields (with the object type of those that have subfields).
struct Type {
	name: &'static str,
	fields: &'static [(&'static str, Option<&'static Type>)],
}

const ROUND: Type = Type {
	name: "Round",
	fields: &[
		("id", None),
		("number", None),
		("tournament", None),
		("openTime", None),
		("closeTime", None),
		("closeStakingTime", None),
		("scoreTime", None),
		("resolveTime", None),
		("resolvedGeneral", None),
		("resolvedStaking", None),
		("payoutFactor", None),
	],
};

const SUBMISSION_SCORE: Type = Type {
	name: "SubmissionScore",
	fields: &[
		("date", None),
		("day", None),
		("displayName", None),
		("payoutPending", None),
		("payoutSettled", None),
		("percentile", None),
		("value", None),
		("resolved", None),
		("resolveDate", None),
		("version", None),
		("roundNumber", None),
	],
};

const PERFORMANCE: Type = Type {
	name: "V2RoundModelPerformance",
	fields: &[
		("atRisk", None),
		("corrMultiplier", None),
		("mmcMultiplier", None),
		("tcMultiplier", None),
		("roundPayoutFactor", None),
		("roundNumber", None),
		("roundOpenTime", None),
		("roundResolveTime", None),
		("roundResolved", None),
		("roundTarget", None),
		("roundId", None),
		("submissionId", None),
		("submissionScores", Some(&SUBMISSION_SCORE)),
	],
};

const PROFILE: Type = Type {
	name: "V3UserProfile",
	fields: &[
		("id", None),
		("username", None),
		("accountName", None),
		("bio", None),
		("linkText", None),
		("linkUrl", None),
		("nmrStaked", None),
		("startDate", None),
		("stakeValue", None),
	],
};

/// The root fields the fixture serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
	/// `rounds`.
	Rounds,
	/// `v2RoundModelPerformances`.
	Performances,
	/// `v3UserProfile`.
	Profile,
}

/// A checked request: the root field and its arguments with variables substituted.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
	/// The root field asked for.
	pub root: Root,
	/// Its arguments by name.
	pub args: Map<String, Value>,
}

/// Why a request was refused: the message and the path, as a GraphQL `errors` entry has them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
	/// The message.
	pub message: String,
	/// The field it is about.
	pub path: String,
}

fn refuse(message: String, path: &str) -> Refusal {
	Refusal { message, path: path.to_string() }
}

/// Parses and checks `query`, substituting `variables`.
pub fn check(query: &str, variables: &Value, filter: ScoreFilter) -> Result<Request, Refusal> {
	let doc = parse_query::<&str>(query)
		.map_err(|e| refuse(format!("syntax error: {}", e.to_string().trim()), "query"))?;
	let mut operations = doc.definitions.iter().filter_map(|d| match d {
		Definition::Operation(op) => Some(op),
		Definition::Fragment(_) => None,
	});
	let (Some(op), None) = (operations.next(), operations.next()) else {
		return Err(refuse(
			"the fixture answers exactly one operation per request".into(),
			"query",
		));
	};
	let selection = match op {
		OperationDefinition::Query(q) => &q.selection_set,
		OperationDefinition::SelectionSet(s) => s,
		_ => return Err(refuse("only queries are served".into(), "query")),
	};
	let mut fields = fields_of(selection, "RootQueryType")?;
	let (Some(field), None) = (fields.next(), fields.next()) else {
		return Err(refuse("the fixture answers exactly one root field per query".into(), "query"));
	};
	let field = field?;
	let (root, allowed, ty): (Root, Vec<&str>, &Type) = match field.name {
		"rounds" => (Root::Rounds, vec!["tournament", "number"], &ROUND),
		"v2RoundModelPerformances" => {
			let mut allowed = vec!["modelId", "tournament", "lastNRounds", "limit", "offset"];
			allowed.extend_from_slice(filter.arguments());
			(Root::Performances, allowed, &PERFORMANCE)
		},
		"v3UserProfile" => (Root::Profile, vec!["modelName"], &PROFILE),
		other => {
			return Err(refuse(
				format!("Cannot query field \"{other}\" on type \"RootQueryType\"."),
				other,
			))
		},
	};
	let mut args = Map::new();
	for (name, value) in &field.arguments {
		if !allowed.contains(name) {
			return Err(refuse(
				format!(
					"Unknown argument \"{name}\" on field \"{}\" of type \"RootQueryType\".",
					field.name
				),
				field.name,
			));
		}
		args.insert(name.to_string(), resolve(value, variables, field.name)?);
	}
	check_selection(&field.selection_set, ty, field.name)?;
	Ok(Request { root, args })
}

/// The fields of a selection set (fragments are not served).
fn fields_of<'a, 'q>(
	set: &'a SelectionSet<'q, &'q str>,
	on: &'static str,
) -> Result<impl Iterator<Item = Result<&'a Field<'q, &'q str>, Refusal>>, Refusal> {
	Ok(set.items.iter().map(move |item| match item {
		Selection::Field(f) => Ok(f),
		_ => Err(refuse(format!("fragments on \"{on}\" are not served by the fixture"), on)),
	}))
}

fn check_selection<'q>(
	set: &SelectionSet<'q, &'q str>,
	ty: &Type,
	path: &str,
) -> Result<(), Refusal> {
	if set.items.is_empty() {
		return Err(refuse(
			format!("Field \"{path}\" of type \"{}\" must have a selection of subfields.", ty.name),
			path,
		));
	}
	for field in fields_of(set, ty.name)? {
		let field = field?;
		let Some((_, sub)) = ty.fields.iter().find(|(name, _)| *name == field.name) else {
			return Err(refuse(
				format!("Cannot query field \"{}\" on type \"{}\".", field.name, ty.name),
				field.name,
			));
		};
		if let Some((name, _)) = field.arguments.first() {
			return Err(refuse(
				format!(
					"Unknown argument \"{name}\" on field \"{}\" of type \"{}\".",
					field.name, ty.name
				),
				field.name,
			));
		}
		match sub {
			Some(sub) => check_selection(&field.selection_set, sub, field.name)?,
			None if !field.selection_set.items.is_empty() => {
				return Err(refuse(
					format!(
						"Field \"{}\" must not have a selection since it has no subfields.",
						field.name
					),
					field.name,
				))
			},
			None => {},
		}
	}
	Ok(())
}

/// An argument's value as JSON, its variables substituted.
fn resolve<'q>(
	value: &GqlValue<'q, &'q str>,
	variables: &Value,
	path: &str,
) -> Result<Value, Refusal> {
	Ok(match value {
		GqlValue::Variable(name) => variables
			.get(*name)
			.cloned()
			.ok_or_else(|| refuse(format!("Variable \"${name}\" is not defined."), path))?,
		GqlValue::Int(n) => {
			let n = n.as_i64().ok_or_else(|| refuse("an integer out of range".into(), path))?;
			Value::Number(Number::from(n))
		},
		GqlValue::Float(f) => Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
		GqlValue::String(s) => Value::String(s.clone()),
		GqlValue::Boolean(b) => Value::Bool(*b),
		GqlValue::Null => Value::Null,
		GqlValue::Enum(e) => Value::String(e.to_string()),
		GqlValue::List(items) => Value::Array(
			items.iter().map(|v| resolve(v, variables, path)).collect::<Result<_, _>>()?,
		),
		GqlValue::Object(map) => Value::Object(
			map.iter()
				.map(|(k, v)| Ok((k.to_string(), resolve(v, variables, path)?)))
				.collect::<Result<_, Refusal>>()?,
		),
	})
}
