//! Benchmark of the recommendation maths on 500 models × 300 rounds (with gaps): estimation
//! and allocation together must stay under 2 s on this machine. Prints the times; fails if the
//! limit is broken. `cargo test --release -p numerstake-cli --bench recommend`.

use numerstake_cli::recommend::{allocate, estimate, synthetic, Candidate, Risk};
use std::time::Instant;

fn main() {
	let (models, rounds) = (500, 300);
	let returns = synthetic(models, rounds, 42);
	let candidates: Vec<Candidate> = returns
		.iter()
		.enumerate()
		.map(|(i, r)| Candidate {
			returns: r.clone(),
			held: if i % 50 == 0 { 500.0 } else { 0.0 },
			room: 2_000.0,
			min: 10.0,
			market_weight: 1.0,
		})
		.collect();
	let mut best = f64::INFINITY;
	for run in 0..3 {
		let start = Instant::now();
		let est = estimate(&returns, 20.0);
		let t_est = start.elapsed().as_secs_f64();
		let alloc = allocate(&est, &candidates, 10_000.0, Risk::Medium);
		let total = start.elapsed().as_secs_f64();
		let picked = alloc.add.iter().filter(|a| **a > 0.0).count();
		println!(
			"recommend {models} models × {rounds} rounds, run {run}: estimate {:.3} s, allocate {:.3} s ({} iterations), total {:.3} s; {picked} models picked, correlation to the rest {:?}",
			t_est, total - t_est, alloc.iterations, total, alloc.correlation_to_rest.map(|c| (c * 100.0).round() / 100.0)
		);
		best = best.min(total);
	}
	println!("best {best:.3} s of a 2 s budget (ratio {:.2})", best / 2.0);
	assert!(best < 2.0, "recommend took {best:.3} s, over the 2 s budget");
}
