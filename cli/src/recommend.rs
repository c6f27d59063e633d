//! Diversifying recommendations from the chain's round history.
//!
//! Each model's round returns `q_r = payout_r / at_risk_r` (what a unit of stake earned) are
//! read from the oracle's history. A round the model did not submit to returned 0 to its
//! stakers; a round without any record (before the model's history starts) is *missing*.
//!
//! - **Means** are shrunk toward the mean of all models, each by `prior / (prior + n)` for a
//!   model with `n` observed rounds: a short lucky record does not look like skill.
//! - **Covariance**: correlations come from the sample covariance with missing rounds filled by
//!   the model's own mean (so they add no co-movement); it is rescaled (a congruence, which
//!   keeps it positive semi-definite) to each model's variance over its *own* rounds, shrunk
//!   toward the median variance like the means; then the whole matrix is shrunk toward a
//!   constant-correlation prior (every pair correlated at the average pairwise correlation)
//!   with intensity `prior / (prior + T)`. Both matrices are positive semi-definite, so their
//!   blend is, and the allocation problem is concave.
//! - **Allocation** maximises `mean·w − λ/2 · wᵀΣw` over the whole portfolio `w` (what the staker
//!   holds plus the budget), by projected gradient ascent on
//!   `{x : Σx ≤ budget, 0 ≤ x_i ≤ room_i}`; `room_i` is the least of capacity left, the
//!   per-delegation maximum and the concentration caps. What is not placed stays with the
//!   staker (no return, no risk), so a budget is never pushed into models not worth holding.
//!   Allocations below a model's minimum delegation are dropped and the rest re-optimised.

// Matrix code reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

/// How much variance the staker accepts for return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Risk {
	/// Strong preference for diversification (λ = 40).
	Low,
	/// The default (λ = 10).
	Medium,
	/// Return first (λ = 2).
	High,
}

impl Risk {
	/// The risk-aversion coefficient λ.
	pub fn aversion(self) -> f64 {
		match self {
			Risk::Low => 40.0,
			Risk::Medium => 10.0,
			Risk::High => 2.0,
		}
	}

	/// Parses `low`, `medium` or `high`.
	pub fn parse(text: &str) -> Result<Risk, String> {
		match text.to_ascii_lowercase().as_str() {
			"low" => Ok(Risk::Low),
			"medium" => Ok(Risk::Medium),
			"high" => Ok(Risk::High),
			other => Err(format!("risk `{other}`: use low, medium or high")),
		}
	}
}

/// One candidate model.
#[derive(Clone, Debug)]
pub struct Candidate {
	/// Round returns, aligned with the rounds of the problem (`None`: no record).
	pub returns: Vec<Option<f64>>,
	/// NMR the staker already holds in it.
	pub held: f64,
	/// Most NMR the staker may add (0: the model takes no delegation).
	pub room: f64,
	/// Least NMR of one delegation.
	pub min: f64,
	/// Weight of the model in the rest of the chain's delegated stake (any scale).
	pub market_weight: f64,
}

/// Shrunk statistics of the candidates.
#[derive(Clone, Debug)]
pub struct Estimates {
	/// Observed rounds per model.
	pub observed: Vec<usize>,
	/// The plain mean per model over its observed rounds.
	pub raw_mean: Vec<f64>,
	/// The shrunk mean per model.
	pub mean: Vec<f64>,
	/// The shrunk covariance, row-major `n × n`.
	pub cov: Vec<f64>,
	/// The constant correlation of the prior (average pairwise sample correlation).
	pub prior_correlation: f64,
	/// The covariance shrinkage intensity used.
	pub intensity: f64,
}

impl Estimates {
	/// Σ_ij.
	pub fn cov(&self, i: usize, j: usize) -> f64 {
		self.cov[i * self.mean.len() + j]
	}

	/// The shrunk correlation of models `i` and `j`.
	pub fn correlation(&self, i: usize, j: usize) -> f64 {
		let d = (self.cov(i, i) * self.cov(j, j)).sqrt();
		if d > 0.0 {
			(self.cov(i, j) / d).clamp(-1.0, 1.0)
		} else {
			0.0
		}
	}
}

/// Estimates means and covariance of `returns` (one row per model, aligned rounds) with a prior
/// worth `prior` rounds of data.
pub fn estimate(returns: &[Vec<Option<f64>>], prior: f64) -> Estimates {
	let n = returns.len();
	let t = returns.iter().map(Vec::len).max().unwrap_or(0);
	let observed: Vec<usize> = returns.iter().map(|r| r.iter().flatten().count()).collect();
	let raw_mean: Vec<f64> = returns
		.iter()
		.zip(&observed)
		.map(|(r, &k)| if k == 0 { 0.0 } else { r.iter().flatten().sum::<f64>() / k as f64 })
		.collect();
	let total_obs: usize = observed.iter().sum();
	let grand = if total_obs == 0 {
		0.0
	} else {
		returns.iter().flat_map(|r| r.iter().flatten()).sum::<f64>() / total_obs as f64
	};
	let mean: Vec<f64> = raw_mean
		.iter()
		.zip(&observed)
		.map(|(&m, &k)| (k as f64 * m + prior * grand) / (k as f64 + prior))
		.collect();

	// Centred, mean-filled data: row i, column r.
	let mut centred = vec![0.0f64; n * t];
	for (i, row) in returns.iter().enumerate() {
		for (r, v) in row.iter().enumerate() {
			if let Some(v) = v {
				centred[i * t + r] = v - raw_mean[i];
			}
		}
	}
	let mut sample = vec![0.0f64; n * n];
	let denom = (t.max(2) - 1) as f64;
	for i in 0..n {
		let a = &centred[i * t..(i + 1) * t];
		for j in i..n {
			let b = &centred[j * t..(j + 1) * t];
			let s = a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>() / denom;
			sample[i * n + j] = s;
			sample[j * n + i] = s;
		}
	}
	// Each model's own variance over the rounds it has (the mean-filled sample divides by all
	// rounds and would make a young model look calm).
	let own_var: Vec<f64> = (0..n)
		.map(|i| {
			let k = observed[i];
			if k < 2 {
				return 0.0;
			}
			let sq: f64 = centred[i * t..(i + 1) * t].iter().map(|x| x * x).sum();
			sq / (k - 1) as f64
		})
		.collect();
	// A model with (almost) no data gets the median variance, so it is neither free of risk
	// nor shunned for being new.
	let mut variances: Vec<f64> =
		(0..n).filter(|&i| observed[i] >= 2).map(|i| own_var[i]).collect();
	variances.sort_by(f64::total_cmp);
	let median_var = variances.get(variances.len() / 2).copied().unwrap_or(1e-4).max(1e-12);
	let var: Vec<f64> = (0..n)
		.map(|i| {
			let k = observed[i] as f64;
			(k * own_var[i] + prior * median_var) / (k + prior)
		})
		.collect();
	let sd: Vec<f64> = var.iter().map(|v| v.sqrt()).collect();
	let sample_sd: Vec<f64> = (0..n).map(|i| sample[i * n + i].max(0.0).sqrt()).collect();
	let (mut sum, mut pairs) = (0.0, 0usize);
	for i in 0..n {
		for j in i + 1..n {
			if sample_sd[i] > 0.0 && sample_sd[j] > 0.0 {
				sum += sample[i * n + j] / (sample_sd[i] * sample_sd[j]);
				pairs += 1;
			}
		}
	}
	// The constant-correlation prior is positive semi-definite for ρ ≥ 0 (any n).
	let prior_correlation = if pairs == 0 { 0.0 } else { (sum / pairs as f64).clamp(0.0, 0.99) };
	let intensity = prior / (prior + t as f64);
	let mut cov = vec![0.0f64; n * n];
	for i in 0..n {
		for j in 0..n {
			// The sample part, rescaled to the shrunk variances (a congruence: PSD is kept).
			let scale = if sample_sd[i] > 0.0 && sample_sd[j] > 0.0 {
				sd[i] * sd[j] / (sample_sd[i] * sample_sd[j])
			} else {
				0.0
			};
			let target = if i == j { var[i] } else { prior_correlation * sd[i] * sd[j] };
			let s = if i == j && scale == 0.0 { var[i] } else { sample[i * n + j] * scale };
			cov[i * n + j] = (1.0 - intensity) * s + intensity * target;
		}
	}
	Estimates { observed, raw_mean, mean, cov, prior_correlation, intensity }
}

/// The proposed allocation.
#[derive(Clone, Debug)]
pub struct Allocation {
	/// NMR to add per candidate.
	pub add: Vec<f64>,
	/// Portfolio weights after adding (held + add, normalised).
	pub weights: Vec<f64>,
	/// Expected return per round of the whole portfolio.
	pub expected_return: f64,
	/// Standard deviation per round of the whole portfolio.
	pub volatility: f64,
	/// Correlation of the portfolio's round return with the rest of the chain's stake.
	pub correlation_to_rest: Option<f64>,
	/// The same for the portfolio before adding, if the staker holds anything.
	pub correlation_to_rest_before: Option<f64>,
	/// Projected-gradient iterations used.
	pub iterations: usize,
}

/// Projects `y` onto `{x : Σx ≤ total, 0 ≤ x_i ≤ upper_i}` (what is not placed stays with the
/// staker, earning nothing and risking nothing): clipping alone when that fits the budget,
/// otherwise bisection on the shift.
fn project(y: &[f64], upper: &[f64], total: f64) -> Vec<f64> {
	let clip = |tau: f64| -> Vec<f64> {
		y.iter().zip(upper).map(|(v, u)| (v - tau).clamp(0.0, *u)).collect()
	};
	let plain = clip(0.0);
	if plain.iter().sum::<f64>() <= total {
		return plain;
	}
	let (mut lo, mut hi) = (
		y.iter().copied().fold(f64::INFINITY, f64::min) - total - 1.0,
		y.iter().copied().fold(f64::NEG_INFINITY, f64::max) + 1.0,
	);
	for _ in 0..100 {
		let mid = 0.5 * (lo + hi);
		if clip(mid).iter().sum::<f64>() > total {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	clip(0.5 * (lo + hi))
}

fn quad(cov: &[f64], a: &[f64], b: &[f64]) -> f64 {
	let n = a.len();
	let mut s = 0.0;
	for i in 0..n {
		if a[i] == 0.0 {
			continue;
		}
		let row = &cov[i * n..(i + 1) * n];
		s += a[i] * row.iter().zip(b).map(|(c, x)| c * x).sum::<f64>();
	}
	s
}

fn correlation(cov: &[f64], a: &[f64], b: &[f64]) -> Option<f64> {
	let d = (quad(cov, a, a) * quad(cov, b, b)).sqrt();
	(d > 0.0).then(|| (quad(cov, a, b) / d).clamp(-1.0, 1.0))
}

/// Maximises the portfolio's risk-adjusted return with `budget` NMR to add.
pub fn allocate(est: &Estimates, candidates: &[Candidate], budget: f64, risk: Risk) -> Allocation {
	let n = candidates.len();
	let held: f64 = candidates.iter().map(|c| c.held).sum();
	let total = held + budget;
	let lambda = risk.aversion();
	let mut upper: Vec<f64> = candidates.iter().map(|c| c.room.max(0.0)).collect();
	let mut x = vec![0.0f64; n];
	let mut iterations = 0;
	if total > 0.0 && budget > 0.0 {
		for _pass in 0..4 {
			// Start from an even spread over what has room.
			let open = upper.iter().filter(|u| **u > 0.0).count().max(1) as f64;
			x = project(&vec![budget / open; n], &upper, budget);
			// Step from the Lipschitz constant of the gradient (in fractions of the total).
			let trace: f64 = (0..n).map(|i| est.cov(i, i)).sum();
			let step = 1.0 / (lambda * trace.max(1e-12));
			for _ in 0..400 {
				iterations += 1;
				let w: Vec<f64> =
					candidates.iter().zip(&x).map(|(c, a)| (c.held + a) / total).collect();
				let mut y = x.clone();
				let mut moved = 0.0f64;
				for i in 0..n {
					let row = &est.cov[i * n..(i + 1) * n];
					let g =
						est.mean[i] - lambda * row.iter().zip(&w).map(|(c, v)| c * v).sum::<f64>();
					y[i] += step * g * total;
				}
				let next = project(&y, &upper, budget);
				for i in 0..n {
					moved = moved.max((next[i] - x[i]).abs());
				}
				x = next;
				if moved <= budget * 1e-9 {
					break;
				}
			}
			// Too small to delegate: close those models and re-optimise.
			let mut dropped = false;
			for i in 0..n {
				if x[i] > 0.0 && x[i] < candidates[i].min && upper[i] > 0.0 {
					upper[i] = 0.0;
					dropped = true;
				}
			}
			if !dropped {
				break;
			}
		}
		for i in 0..n {
			if x[i] < candidates[i].min || x[i] < budget * 1e-6 {
				x[i] = 0.0;
			}
		}
	}
	let weights: Vec<f64> = candidates
		.iter()
		.zip(&x)
		.map(|(c, a)| if total > 0.0 { (c.held + a) / total } else { 0.0 })
		.collect();
	let before: Vec<f64> =
		candidates.iter().map(|c| if held > 0.0 { c.held / held } else { 0.0 }).collect();
	let expected_return = weights.iter().zip(&est.mean).map(|(w, m)| w * m).sum();
	let volatility = quad(&est.cov, &weights, &weights).max(0.0).sqrt();
	// The rest of the chain: stake outside this portfolio's models.
	let rest_weight = |inside: &[f64]| -> Vec<f64> {
		let mut v: Vec<f64> = candidates
			.iter()
			.zip(inside)
			.map(|(c, w)| if *w > 0.0 { 0.0 } else { c.market_weight.max(0.0) })
			.collect();
		let s: f64 = v.iter().sum();
		if s > 0.0 {
			v.iter_mut().for_each(|x| *x /= s);
		}
		v
	};
	let rest = rest_weight(&weights);
	let correlation_to_rest =
		if rest.iter().any(|v| *v > 0.0) { correlation(&est.cov, &weights, &rest) } else { None };
	let correlation_to_rest_before = if held > 0.0 {
		let rest = rest_weight(&before);
		correlation(&est.cov, &before, &rest)
	} else {
		None
	};
	Allocation {
		add: x,
		weights,
		expected_return,
		volatility,
		correlation_to_rest,
		correlation_to_rest_before,
		iterations,
	}
}

/// Correlation of candidate `i` with the staker's current holdings (`None` if none).
pub fn correlation_to_holdings(est: &Estimates, candidates: &[Candidate], i: usize) -> Option<f64> {
	let held: Vec<f64> = candidates.iter().map(|c| c.held).collect();
	if held.iter().all(|h| *h == 0.0) {
		return None;
	}
	let mut unit = vec![0.0; candidates.len()];
	unit[i] = 1.0;
	correlation(&est.cov, &unit, &held)
}

/// A deterministic synthetic history: `models` models over `rounds` rounds, driven by three
/// common factors plus noise, with gaps (models start late and miss rounds). For tests and the
/// benchmark.
pub fn synthetic(models: usize, rounds: usize, seed: u64) -> Vec<Vec<Option<f64>>> {
	let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
	let mut next = move || {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		(state >> 11) as f64 / (1u64 << 53) as f64
	};
	let mut normal = move || {
		let (u, v) = (next().max(1e-12), next());
		(-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
	};
	let factors: Vec<[f64; 3]> =
		(0..rounds).map(|_| [normal() * 0.02, normal() * 0.01, normal() * 0.01]).collect();
	(0..models)
		.map(|m| {
			let loading = [0.5 + 0.5 * normal().abs(), normal(), normal()];
			let alpha = normal() * 0.002;
			let start = ((normal().abs() * 0.2) * rounds as f64) as usize;
			(0..rounds)
				.map(|r| {
					if r < start.min(rounds.saturating_sub(2)) || (m + r * 7) % 23 == 0 {
						return None;
					}
					let f = factors[r];
					Some(
						alpha
							+ loading[0] * f[0] + loading[1] * f[1]
							+ loading[2] * f[2] + normal() * 0.01,
					)
				})
				.collect()
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	fn candidates(returns: &[Vec<Option<f64>>], room: f64) -> Vec<Candidate> {
		returns
			.iter()
			.map(|r| Candidate {
				returns: r.clone(),
				held: 0.0,
				room,
				min: 1.0,
				market_weight: 1.0,
			})
			.collect()
	}

	fn is_psd(est: &Estimates) -> bool {
		// Cholesky with a tiny tolerance.
		let n = est.mean.len();
		let mut l = vec![0.0f64; n * n];
		for i in 0..n {
			for j in 0..=i {
				let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
				if i == j {
					let d = est.cov(i, i) - s;
					if d < -1e-12 {
						return false;
					}
					l[i * n + i] = d.max(0.0).sqrt();
				} else if l[j * n + j] > 1e-15 {
					l[i * n + j] = (est.cov(i, j) - s) / l[j * n + j];
				}
			}
		}
		true
	}

	#[test]
	fn a_short_lucky_record_is_shrunk_toward_everyone_else() {
		let mut returns = vec![vec![Some(0.0); 100]; 3];
		returns[0] = (0..100).map(|r| if r < 95 { None } else { Some(0.05) }).collect();
		let est = estimate(&returns, 20.0);
		assert_eq!(est.observed, vec![5, 100, 100]);
		assert!((est.raw_mean[0] - 0.05).abs() < 1e-12);
		// 5 rounds against a prior worth 20: a fifth of the raw mean, plus the grand mean's part.
		let grand = 0.25 / 205.0;
		assert!((est.mean[0] - (5.0 * 0.05 + 20.0 * grand) / 25.0).abs() < 1e-12);
	}

	#[test]
	fn a_young_model_is_not_calmer_than_its_own_rounds() {
		let old = synthetic(1, 300, 11).remove(0);
		// The same series, but only its last 60 rounds known.
		let young: Vec<Option<f64>> =
			old.iter().enumerate().map(|(r, v)| if r >= 240 { *v } else { None }).collect();
		let est = estimate(&[old.clone(), young.clone()], 0.0);
		let own = |v: &[Option<f64>]| {
			let xs: Vec<f64> = v.iter().flatten().copied().collect();
			let m = xs.iter().sum::<f64>() / xs.len() as f64;
			xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64
		};
		assert!(
			(est.cov(1, 1) - own(&young)).abs() < 1e-12,
			"{} vs {}",
			est.cov(1, 1),
			own(&young)
		);
		assert!((est.cov(0, 0) - own(&old)).abs() < 1e-12);
	}

	#[test]
	fn identical_models_are_correlated_and_opposite_ones_anti_correlated() {
		let base = synthetic(1, 200, 7).remove(0);
		let neg: Vec<Option<f64>> = base.iter().map(|v| v.map(|x| -x)).collect();
		let est = estimate(&[base.clone(), base, neg], 5.0);
		assert!(est.correlation(0, 1) > 0.95);
		assert!(est.correlation(0, 2) < -0.5);
	}

	#[test]
	fn the_allocation_diversifies_away_from_a_correlated_holding() {
		// Models 0 and 1 move together; model 2 is independent; equal means. A staker who holds
		// model 0 is pointed at model 2.
		let t = 300;
		let common = synthetic(1, t, 1).remove(0);
		let other = synthetic(1, t, 2).remove(0);
		let noise = synthetic(2, t, 3);
		// Every model earns 1 % a round on average, so the whole budget is worth placing.
		let demean = |v: &[Option<f64>]| {
			let m = v.iter().flatten().sum::<f64>() / v.iter().flatten().count() as f64;
			v.iter().map(|x| x.unwrap_or(m) - m).collect::<Vec<f64>>()
		};
		let (common, other) = (demean(&common), demean(&other));
		let (n0, n1) = (demean(&noise[0]), demean(&noise[1]));
		let m0: Vec<Option<f64>> = (0..t).map(|r| Some(0.01 + common[r] + 0.1 * n0[r])).collect();
		let m1: Vec<Option<f64>> = (0..t).map(|r| Some(0.01 + common[r] + 0.1 * n1[r])).collect();
		let m2: Vec<Option<f64>> = (0..t).map(|r| Some(0.01 + other[r])).collect();
		let returns = vec![m0, m1, m2];
		let est = estimate(&returns, 20.0);
		let mut c = candidates(&returns, 1_000.0);
		c[0].held = 1_000.0;
		let a = allocate(&est, &c, 1_000.0, Risk::Medium);
		assert!(a.add[2] > a.add[1] * 2.0, "independent model preferred: {:?}", a.add);
		let sum: f64 = a.add.iter().sum();
		assert!((sum - 1_000.0).abs() < 1e-6, "the whole budget is placed: {sum}");
	}

	#[test]
	fn room_and_minimums_are_respected() {
		let returns = synthetic(20, 120, 9);
		let est = estimate(&returns, 20.0);
		let mut c = candidates(&returns, 50.0);
		c[3].room = 0.0;
		for x in c.iter_mut() {
			x.min = 10.0;
		}
		let a = allocate(&est, &c, 300.0, Risk::High);
		assert_eq!(a.add[3], 0.0);
		for (i, v) in a.add.iter().enumerate() {
			assert!(*v <= c[i].room + 1e-9 && (*v == 0.0 || *v >= c[i].min - 1e-9), "{i}: {v}");
		}
	}

	#[test]
	fn nothing_is_placed_in_models_that_lose_on_average() {
		let returns: Vec<Vec<Option<f64>>> = synthetic(4, 100, 5)
			.into_iter()
			.map(|r| r.into_iter().map(|v| v.map(|x| x - 0.05)).collect())
			.collect();
		let est = estimate(&returns, 20.0);
		let a = allocate(&est, &candidates(&returns, 1_000.0), 1_000.0, Risk::High);
		assert!(a.add.iter().all(|x| *x == 0.0), "{:?}", a.add);
	}

	#[test]
	fn everything_is_placed_where_room_is_short() {
		let returns: Vec<Vec<Option<f64>>> = synthetic(3, 50, 4)
			.into_iter()
			.map(|r| r.into_iter().map(|v| v.map(|x| x + 0.05)).collect())
			.collect();
		let est = estimate(&returns, 20.0);
		let c = candidates(&returns, 10.0);
		let a = allocate(&est, &c, 1_000.0, Risk::Medium);
		assert_eq!(a.add, vec![10.0, 10.0, 10.0]);
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(24))]

		#[test]
		fn the_shrunk_covariance_is_positive_semi_definite(
			models in 2usize..12, rounds in 3usize..60, seed in any::<u64>(), prior in 0.0f64..50.0,
		) {
			let est = estimate(&synthetic(models, rounds, seed), prior);
			prop_assert!(is_psd(&est));
			for i in 0..models {
				for j in 0..models {
					prop_assert!((est.cov(i, j) - est.cov(j, i)).abs() < 1e-15);
				}
			}
		}

		#[test]
		fn allocations_stay_in_bounds_and_within_budget(
			models in 1usize..15, rounds in 3usize..80, seed in any::<u64>(), budget in 1.0f64..10_000.0,
			room in 0.0f64..5_000.0,
		) {
			let returns = synthetic(models, rounds, seed);
			let est = estimate(&returns, 20.0);
			let c = candidates(&returns, room);
			let a = allocate(&est, &c, budget, Risk::Medium);
			let sum: f64 = a.add.iter().sum();
			prop_assert!(sum <= budget * (1.0 + 1e-9) + 1e-9);
			for v in &a.add {
				prop_assert!(*v >= 0.0 && *v <= room + 1e-9);
			}
		}
	}
}
