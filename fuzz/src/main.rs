//! `numerstake-fuzz [--seed S] [--iterations N] [--runs R] [--check-every C] [--no-donations]
//! [--no-far-watch] [--stop] [--no-shrink] [--shrink-secs T] [--verbose] [--ignore TEXT]...`
//!
//! Runs R seeds (S, S+1, …) of N actions each, checking the invariants, and reports each
//! distinct failure once with a shrunk reproduction. Exits non-zero if any run failed.

use numerstake_fuzz::{checks::Scope, gen::Mix, run, shrink, Options, Report, Stats};
use std::{collections::BTreeMap, process::ExitCode, time::Duration, time::Instant};

struct Args {
	seed: u64,
	iterations: u64,
	runs: u64,
	check_every: u64,
	donations: bool,
	far_watch: bool,
	stop: bool,
	shrink: bool,
	shrink_secs: u64,
	verbose: bool,
	ignore: Vec<String>,
}

const USAGE: &str = "usage: numerstake-fuzz [--seed S] [--iterations N] [--runs R] \
	[--check-every C] [--no-donations] [--no-far-watch] [--stop] [--no-shrink] \
	[--shrink-secs T] [--verbose] [--ignore TEXT]...";

fn parse() -> Result<Args, String> {
	let mut args = Args {
		seed: 1,
		iterations: 5_000,
		runs: 1,
		check_every: 20,
		donations: true,
		far_watch: true,
		stop: false,
		shrink: true,
		shrink_secs: 120,
		verbose: false,
		ignore: Vec::new(),
	};
	let mut it = std::env::args().skip(1);
	while let Some(flag) = it.next() {
		let mut value = |name: &str| -> Result<u64, String> {
			it.next()
				.ok_or_else(|| format!("{name} needs a value"))?
				.replace('_', "")
				.parse::<u64>()
				.map_err(|e| format!("{name}: {e}"))
		};
		match flag.as_str() {
			"--seed" => args.seed = value("--seed")?,
			"--iterations" => args.iterations = value("--iterations")?,
			"--runs" => args.runs = value("--runs")?,
			"--check-every" => args.check_every = value("--check-every")?.max(1),
			"--shrink-secs" => args.shrink_secs = value("--shrink-secs")?,
			"--no-donations" => args.donations = false,
			"--no-far-watch" => args.far_watch = false,
			"--stop" => args.stop = true,
			"--no-shrink" => args.shrink = false,
			"--verbose" => args.verbose = true,
			"--ignore" => args.ignore.push(it.next().ok_or("--ignore needs a value")?),
			"--help" | "-h" => return Err(USAGE.into()),
			other => return Err(format!("unknown argument {other}\n{USAGE}")),
		}
	}
	Ok(args)
}

fn print_stats(stats: &Stats) {
	println!("actions (ok / failed):");
	for (name, (ok, err)) in &stats.per_action {
		println!("  {name:28} {ok:>9} / {err}");
	}
	println!("errors returned:");
	for (name, n) in &stats.errors {
		println!("  {name:60} {n:>8}");
	}
	println!("events:");
	for (name, n) in &stats.events {
		println!("  {name:60} {n:>8}");
	}
}

fn main() -> ExitCode {
	let args = match parse() {
		Ok(a) => a,
		Err(e) => {
			eprintln!("{e}");
			return ExitCode::from(2);
		},
	};
	let mix = Mix { donations: args.donations, far_watch: args.far_watch };
	let started = Instant::now();
	let mut total = Stats::default();
	let mut failures: Vec<Box<Report>> = Vec::new();
	let mut classes: BTreeMap<String, Vec<u64>> = BTreeMap::new();
	for seed in args.seed..args.seed + args.runs {
		let opts = Options {
			seed,
			actions: args.iterations,
			check_every: args.check_every,
			mix,
			ignore: args.ignore.clone(),
		};
		match run(&opts) {
			Ok(stats) => {
				total.merge(&stats);
				if args.verbose {
					println!(
						"seed {seed}: {} actions, {} executions, ok",
						stats.actions, stats.executions
					);
				}
			},
			Err(report) => {
				total.merge(&report.stats);
				let seeds = classes.entry(report.failure.invariant.clone()).or_default();
				seeds.push(seed);
				if seeds.len() == 1 {
					println!("{}", report.render(50));
					failures.push(report);
				} else {
					println!(
						"seed {seed}: failed after action {}: {} (seen before)",
						report.iteration, report.failure.invariant
					);
				}
				if args.stop {
					break;
				}
			},
		}
	}
	let elapsed = started.elapsed().as_secs_f64();
	if args.verbose {
		print_stats(&total);
	}
	println!(
		"rate: {:.0} executions/s, {:.0} actions/s ({} executions, {} actions, {} full checks in {elapsed:.1} s)",
		total.executions as f64 / elapsed,
		total.actions as f64 / elapsed,
		total.executions,
		total.actions,
		total.checks,
	);
	if !total.ignored.is_empty() {
		println!("ignored failures (--ignore):");
		for (invariant, n) in &total.ignored {
			println!("  {invariant}: {n}");
		}
	}
	if !classes.is_empty() {
		println!("distinct failures:");
		for (invariant, seeds) in &classes {
			println!("  {invariant}: seeds {seeds:?}");
		}
	}
	if args.shrink {
		for report in &failures {
			let minimal = shrink(
				&report.actions,
				&report.failure.invariant,
				args.check_every,
				&args.ignore,
				Duration::from_secs(args.shrink_secs),
			);
			println!(
				"\nminimal reproduction of \"{}\" (seed {}, {} of {} actions kept):",
				report.failure.invariant,
				report.seed,
				minimal.len(),
				report.actions.len()
			);
			for (i, a) in minimal.iter().enumerate() {
				println!("  #{i}: {a:?}");
			}
			if let Err((i, f)) = numerstake_fuzz::replay(&minimal, 1, &args.ignore, Scope::ALL) {
				println!("  fails after #{i}: {}\n  {}", f.invariant, f.detail);
			}
		}
	}
	let failed: usize = classes.values().map(Vec::len).sum();
	println!("fuzz: {} executions, {failed} failures", total.executions);
	if failed > 0 {
		ExitCode::FAILURE
	} else {
		ExitCode::SUCCESS
	}
}
