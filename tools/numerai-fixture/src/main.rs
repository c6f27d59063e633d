//! `numerai-fixture`: serves a local Numerai GraphQL API (see the library docs).

use clap::Parser;
use numerai_fixture::{Clock, Config, Fault, Fixture, PayoutShape, ScoreFilter, World};
use std::{
	net::SocketAddr,
	time::{SystemTime, UNIX_EPOCH},
};

/// A local Numerai GraphQL API for dev chains and tests.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
	/// Address to listen on.
	#[arg(long, default_value = "127.0.0.1:8787")]
	listen: SocketAddr,
	/// Seed of the synthetic results.
	#[arg(long, default_value_t = 42)]
	seed: u64,
	/// Synthetic models besides the three demo models.
	#[arg(long, default_value_t = 20)]
	models: u32,
	/// Also serve the models and results of this data file, JSON or (by its `.csv` extension)
	/// a CSV of per-round scores (formats in the crate's README); the demo models the dev chain
	/// registers stay, unless the file replaces them by name.
	#[arg(long, value_name = "FILE")]
	data: Option<std::path::PathBuf>,
	/// Print the data file a CSV of per-round scores converts to, and exit.
	#[arg(long, value_name = "CSV")]
	convert: Option<std::path::PathBuf>,
	/// The round open when the fixture starts.
	#[arg(long, default_value_t = 1_000)]
	first_round: u32,
	/// Seconds between round openings (Numerai: a day).
	#[arg(long, default_value_t = 30)]
	round_secs: u64,
	/// Rounds between a round's opening and its resolution (Numerai: about 23).
	#[arg(long, default_value_t = 3)]
	resolve_after: u32,
	/// Unix seconds at which `first_round` opened (default: now).
	#[arg(long)]
	start: Option<u64>,
	/// How payoutSettled is spread over score entries: `sum` or `repeated`.
	#[arg(long, default_value = "sum")]
	payout_shape: String,
	/// The round filter the score query may use: `front-end` (`roundNumber__eq`, as Numerai's
	/// web front end sends), `introspected` (`roundNumberEq`) or `none` (only `lastNRounds`).
	/// Queries with another argument are refused, as a GraphQL server does.
	#[arg(long, default_value = "front-end")]
	score_filter: String,
	/// A fault from the start (none, http500, slow, truncated, malformed, nulls, exponent,
	/// zero_e18, graphql_errors, unknown_models).
	#[arg(long, default_value = "none")]
	fault: String,
}

fn main() {
	let args = Args::parse();
	if let Err(e) = run(args) {
		eprintln!("numerai-fixture: {e}");
		std::process::exit(1);
	}
}

fn run(args: Args) -> Result<(), String> {
	if let Some(path) = &args.convert {
		let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
		let json = numerai_fixture::world::csv_to_json(&text)
			.map_err(|e| format!("{}: {e}", path.display()))?;
		// Check it as the server would load it.
		World::from_json(args.seed, json.as_bytes())
			.map_err(|e| format!("{}: {e}", path.display()))?;
		println!("{json}");
		return Ok(());
	}
	let world = match &args.data {
		Some(path) => {
			let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
			let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
			let world = if is_csv {
				World::from_csv(args.seed, &text)
			} else {
				World::from_json(args.seed, &text)
			};
			world.map_err(|e| format!("{}: {e}", path.display()))?
		},
		None => World::synthetic(args.seed, args.models),
	};
	if args.round_secs == 0 {
		return Err("--round-secs must be at least 1".into());
	}
	let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
	let shape = match args.payout_shape.as_str() {
		"sum" => PayoutShape::Sum,
		"repeated" => PayoutShape::Repeated,
		other => return Err(format!("--payout-shape must be sum or repeated, not {other:?}")),
	};
	let filter = ScoreFilter::parse(&args.score_filter).ok_or(format!(
		"--score-filter must be front-end, introspected or none, not {:?}",
		args.score_filter
	))?;
	let fault = Fault::parse(&args.fault).ok_or(format!("unknown --fault {:?}", args.fault))?;
	let clock = Clock {
		start: args.start.unwrap_or(now),
		first_round: args.first_round,
		round_secs: args.round_secs,
		resolve_after: args.resolve_after,
	};
	let current = clock.current(now);
	let served: Vec<String> = world
		.models
		.values()
		.map(|m| {
			let kind = if m.fixed.is_some() { "from the data file" } else { "synthetic" };
			format!("{} ({}, {kind})", m.name, m.id)
		})
		.collect();
	let fixture =
		Fixture::start(Config { listen: args.listen, world, clock, shape, filter, fault })
			.map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
	println!(
		"numerai-fixture listening on {} (round {current} now, round {} opened at {}, a round every {} s, resolving after {} rounds; score filter {})",
		fixture.url(),
		args.first_round,
		numerai_fixture::graphql::iso(args.start.unwrap_or(now)),
		args.round_secs,
		args.resolve_after,
		args.score_filter,
	);
	println!("serving {} models (names match without regard to case):", served.len());
	for line in served {
		println!("  {line}");
	}
	fixture.wait();
	Ok(())
}
