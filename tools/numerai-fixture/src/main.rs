//! `numerai-fixture`: serves a local Numerai GraphQL API (see the library docs).

use clap::Parser;
use numerai_fixture::{Clock, Config, Fault, Fixture, PayoutShape, World};
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
	/// Load models and results from this JSON file instead (see `World::from_json`).
	#[arg(long, value_name = "FILE")]
	data: Option<std::path::PathBuf>,
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
	let world = match &args.data {
		Some(path) => {
			let text =
				std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
			let doc =
				serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
			World::from_json(args.seed, &doc)?
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
	let fault = Fault::parse(&args.fault).ok_or(format!("unknown --fault {:?}", args.fault))?;
	let clock = Clock {
		start: args.start.unwrap_or(now),
		first_round: args.first_round,
		round_secs: args.round_secs,
		resolve_after: args.resolve_after,
	};
	let fixture = Fixture::start(Config { listen: args.listen, world, clock, shape, fault })
		.map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
	println!(
		"numerai-fixture listening on {} (round {} now, a round every {} s, resolving after {} rounds)",
		fixture.url(),
		args.first_round,
		args.round_secs,
		args.resolve_after
	);
	fixture.wait();
	Ok(())
}
