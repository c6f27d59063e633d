//! A short deterministic fuzz run (part of `cargo test --workspace`): a few seeds, a few
//! thousand actions in all, every invariant checked. A failure prints the seed and the last
//! actions; `numerstake-fuzz --seed S --iterations N` reproduces it and shrinks it.

use numerstake_fuzz::{run, Options};

#[test]
fn short_fuzz_run_keeps_every_invariant() {
	let mut executions = 0;
	let mut failures = Vec::new();
	for seed in 1..=4 {
		let opts = Options { seed, actions: 1_250, check_every: 20, ..Default::default() };
		match run(&opts) {
			Ok(stats) => executions += stats.executions,
			Err(report) => failures.push(report.render(30)),
		}
	}
	assert!(failures.is_empty(), "{}", failures.join("\n"));
	assert!(executions > 4_000, "too few calls dispatched: {executions}");
}
