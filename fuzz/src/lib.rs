//! # numerstake-fuzz
//!
//! A stateful fuzzer of the numerstake pallets, in the pattern of polkadot-sdk's
//! nomination-pools fuzzer: one mock runtime with the model registry, the round oracle and the
//! stake-delegation pallet wired as in the real runtime ([`mock`]); a seeded driver that picks
//! random calls of random owners, stakers, oracle operators and governance ([`gen`]), including
//! a simulated Numerai feed; and invariants checked after every action (total issuance, owner
//! debt, nothing logged at error level, no panic) and every few actions (the pallets'
//! `try_state` and the cross-pallet invariants of [`checks`]). Failing runs are shrunk to a
//! short action sequence that still fails the same invariant.

pub mod action;
pub mod checks;
pub mod gen;
pub mod logs;
pub mod mock;
pub mod rng;

use action::{execute, Action};
use gen::{Generator, Mix};
use mock::{Balances, System};
use numerstake_primitives::ModelId;
use std::{
	collections::BTreeMap,
	panic::{catch_unwind, AssertUnwindSafe},
	time::{Duration, Instant},
};

/// Planck of NMR.
pub type Balance = u128;
/// One NMR in planck.
pub const NMR: Balance = 1_000_000_000_000_000_000;
/// Models of a run.
pub const MODELS: u8 = 4;

/// Model `i` of a run (`0000000i-2222-4333-8444-555555555555`).
pub fn model_id(i: u8) -> ModelId {
	let text = format!("{:08x}-2222-4333-8444-555555555555", u32::from(i % MODELS) + 1);
	ModelId::parse(text.as_bytes()).expect("a valid uuid")
}

/// The index of a model of a run.
pub fn model_index(model: &ModelId) -> Option<u8> {
	(0..MODELS).find(|i| model_id(*i) == *model)
}

/// A broken invariant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
	/// Which invariant, and how (one class of failure per distinct text).
	pub invariant: String,
	/// The figures.
	pub detail: String,
}

/// What a run does.
#[derive(Clone, Debug)]
pub struct Options {
	/// The seed.
	pub seed: u64,
	/// Actions to run.
	pub actions: u64,
	/// Full checks every this many actions (and at the end).
	pub check_every: u64,
	/// The action mix.
	pub mix: Mix,
	/// Failures whose invariant contains one of these are counted, not reported (known
	/// defects, so that a run can look for others).
	pub ignore: Vec<String>,
}

impl Default for Options {
	fn default() -> Self {
		Options {
			seed: 0,
			actions: 5_000,
			check_every: 20,
			mix: Mix::default(),
			ignore: Vec::new(),
		}
	}
}

/// Counts of a run.
#[derive(Clone, Debug, Default)]
pub struct Stats {
	/// Actions run.
	pub actions: u64,
	/// Extrinsics dispatched.
	pub executions: u64,
	/// Per action: succeeded, failed.
	pub per_action: BTreeMap<&'static str, (u64, u64)>,
	/// Errors returned, by action and error.
	pub errors: BTreeMap<String, u64>,
	/// Events deposited, by pallet and variant (what states the run reached).
	pub events: BTreeMap<String, u64>,
	/// Full checks run.
	pub checks: u64,
	/// Ignored failures, by invariant.
	pub ignored: BTreeMap<String, u64>,
}

impl Stats {
	/// Adds `other` to `self`.
	pub fn merge(&mut self, other: &Stats) {
		self.actions += other.actions;
		self.executions += other.executions;
		self.checks += other.checks;
		for (k, (ok, err)) in &other.per_action {
			let e = self.per_action.entry(k).or_default();
			e.0 += ok;
			e.1 += err;
		}
		for (k, n) in &other.errors {
			*self.errors.entry(k.clone()).or_default() += n;
		}
		for (k, n) in &other.events {
			*self.events.entry(k.clone()).or_default() += n;
		}
		for (k, n) in &other.ignored {
			*self.ignored.entry(k.clone()).or_default() += n;
		}
	}
}

/// A failed run.
#[derive(Clone, Debug)]
pub struct Report {
	/// The run's seed.
	pub seed: u64,
	/// The action (0-based) after which the invariant failed.
	pub iteration: u64,
	/// What failed.
	pub failure: Failure,
	/// Every action of the run up to the failure.
	pub actions: Vec<Action>,
	/// Counts up to the failure.
	pub stats: Stats,
}

impl Report {
	/// The report with the last `tail` actions.
	pub fn render(&self, tail: usize) -> String {
		let mut s = format!(
			"FAILURE seed {} after action {}: {}\n  {}\n  last {} actions:\n",
			self.seed,
			self.iteration,
			self.failure.invariant,
			self.failure.detail,
			tail.min(self.actions.len())
		);
		let from = self.actions.len().saturating_sub(tail);
		for (i, a) in self.actions.iter().enumerate().skip(from) {
			s.push_str(&format!("    #{i}: {a:?}\n"));
		}
		s
	}
}

/// The event's pallet and variant, from its debug text (`StakeDelegation::EpochClosed`).
fn event_name(text: &str) -> String {
	let mut parts = text
		.split(|c: char| !c.is_alphanumeric() && c != '_')
		.filter(|p| !p.is_empty() && *p != "Event");
	match (parts.next(), parts.next()) {
		(Some(pallet), Some(variant)) => format!("{pallet}::{variant}"),
		(Some(pallet), None) => pallet.to_string(),
		_ => text.to_string(),
	}
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
	payload
		.downcast_ref::<&str>()
		.map(|s| s.to_string())
		.or_else(|| payload.downcast_ref::<String>().cloned())
		.unwrap_or_else(|| "a panic".into())
}

/// The state a run carries between actions.
struct Sim<'a> {
	/// Total issuance at genesis less the evented grief and refutation burns.
	expected_issuance: Balance,
	stats: Stats,
	ignore: &'a [String],
	scope: checks::Scope,
	/// Per action run: whether it was a single call that failed (and so changed nothing).
	failed_calls: Vec<bool>,
}

impl<'a> Sim<'a> {
	fn new(ignore: &'a [String], scope: checks::Scope) -> Self {
		Sim {
			expected_issuance: Balances::total_issuance(),
			stats: Stats::default(),
			ignore,
			scope,
			failed_calls: Vec::new(),
		}
	}

	fn ignores(&self, f: &Failure) -> bool {
		self.ignore.iter().any(|i| f.invariant.contains(i.as_str()))
	}

	/// `r`, unless it failed in a way the run ignores (then counted).
	fn unless_ignored(&mut self, r: Result<(), Failure>) -> Result<(), Failure> {
		match r {
			Err(f) if self.ignores(&f) => {
				*self.stats.ignored.entry(f.invariant).or_default() += 1;
				Ok(())
			},
			other => other,
		}
	}

	/// Runs one action and the checks after every action.
	fn step(&mut self, action: &Action) -> Result<(), Failure> {
		let r = self.step_inner(action);
		self.unless_ignored(r)
	}

	fn step_inner(&mut self, action: &Action) -> Result<(), Failure> {
		logs::take();
		let out = catch_unwind(AssertUnwindSafe(|| execute(action))).map_err(|p| Failure {
			invariant: format!("panic in {}", action.name()),
			detail: panic_message(p),
		})?;
		self.stats.actions += 1;
		self.stats.executions += u64::from(out.dispatched);
		self.failed_calls.push(action.is_single_call() && out.error.is_some());
		let counts = self.stats.per_action.entry(action.name()).or_default();
		match &out.error {
			None => counts.0 += 1,
			Some(e) => {
				counts.1 += 1;
				let key = format!("{}: {}", action.name(), checks::error_name(e));
				*self.stats.errors.entry(key).or_default() += 1;
			},
		}
		for record in System::events() {
			let event = record.event;
			match &event {
				mock::RuntimeEvent::ModelRegistry(pallet_model_registry::Event::Griefed {
					burned_by_delegator,
					burned_from_bond,
					..
				}) => {
					self.expected_issuance = self
						.expected_issuance
						.saturating_sub(*burned_by_delegator)
						.saturating_sub(*burned_from_bond);
				},
				mock::RuntimeEvent::ModelRegistry(pallet_model_registry::Event::ClaimRefuted {
					burned,
					..
				}) => self.expected_issuance = self.expected_issuance.saturating_sub(*burned),
				_ => {},
			}
			*self.stats.events.entry(event_name(&format!("{event:?}"))).or_default() += 1;
		}
		System::reset_events();
		if let Some((invariant, detail)) = out.violation {
			return Err(Failure { invariant, detail });
		}
		Self::logged()?;
		let issuance = Balances::total_issuance();
		if issuance != self.expected_issuance {
			return Err(Failure {
				invariant: "total issuance changed (other than evented grief and refutation burns)"
					.into(),
				detail: format!(
					"issuance {issuance}, expected {} (difference {})",
					self.expected_issuance,
					issuance as i128 - self.expected_issuance as i128
				),
			});
		}
		Ok(())
	}

	/// Errors the pallets logged.
	fn logged() -> Result<(), Failure> {
		let lines = logs::take();
		match lines.first() {
			Some(first) => Err(Failure {
				invariant: format!("pallet logged an error: {}", logs::class_of(first)),
				detail: lines.join("\n"),
			}),
			None => Ok(()),
		}
	}

	/// The full checks (`last`: of every delegation, else of a window of them).
	fn check(&mut self, last: bool) -> Result<(), Failure> {
		self.stats.checks += 1;
		let window = (!last).then_some(self.stats.checks);
		logs::take();
		let mut seen = Vec::new();
		let mut ignored = |f: &Failure| {
			let ignore = self.ignore.iter().any(|i| f.invariant.contains(i.as_str()));
			if ignore {
				seen.push(f.invariant.clone());
			}
			ignore
		};
		let r = catch_unwind(AssertUnwindSafe(|| checks::full(self.scope, window, &mut ignored)))
			.map_err(|p| Failure {
				invariant: "panic in the checks".into(),
				detail: panic_message(p),
			})
			.and_then(|r| r)
			.and_then(|()| Self::logged());
		for invariant in seen {
			*self.stats.ignored.entry(invariant).or_default() += 1;
		}
		self.unless_ignored(r)
	}
}

/// Runs `opts.actions` generated actions from `opts.seed`.
pub fn run(opts: &Options) -> Result<Stats, Box<Report>> {
	logs::install();
	mock::new_ext().execute_with(|| {
		let mut sim = Sim::new(&opts.ignore, checks::Scope::ALL);
		let mut generator = Generator::new(opts.seed, opts.mix);
		let mut actions = Vec::with_capacity(opts.actions as usize);
		let every = opts.check_every.max(1);
		for i in 0..opts.actions {
			let action = match catch_unwind(AssertUnwindSafe(|| generator.next_action())) {
				Ok(a) => a,
				Err(p) => {
					let failure = Failure {
						invariant: "panic while reading state".into(),
						detail: panic_message(p),
					};
					let stats = sim.stats.clone();
					return Err(Box::new(Report {
						seed: opts.seed,
						iteration: i,
						failure,
						actions,
						stats,
					}));
				},
			};
			actions.push(action);
			let action = actions.last().expect("pushed");
			let last = i + 1 == opts.actions;
			let result = sim.step(action).and_then(|()| {
				if (i + 1) % every == 0 || last {
					sim.check(last)
				} else {
					Ok(())
				}
			});
			if let Err(failure) = result {
				let stats = sim.stats.clone();
				return Err(Box::new(Report {
					seed: opts.seed,
					iteration: i,
					failure,
					actions,
					stats,
				}));
			}
		}
		Ok(sim.stats)
	})
}

/// Replays `actions` from genesis with the full checks of `scope`: the index of the first
/// action after which a check failed.
pub fn replay(
	actions: &[Action],
	check_every: u64,
	ignore: &[String],
	scope: checks::Scope,
) -> Result<Stats, (usize, Failure)> {
	replay_recording(actions, check_every, ignore, scope).map_err(|(i, f, _)| (i, f))
}

/// [`replay`], also telling on failure which actions were single calls that failed.
fn replay_recording(
	actions: &[Action],
	check_every: u64,
	ignore: &[String],
	scope: checks::Scope,
) -> Result<Stats, (usize, Failure, Vec<bool>)> {
	logs::install();
	mock::new_ext().execute_with(|| {
		let mut sim = Sim::new(ignore, scope);
		let every = check_every.max(1) as usize;
		for (i, action) in actions.iter().enumerate() {
			let last = i + 1 == actions.len();
			sim.step(action)
				.and_then(|()| if (i + 1) % every == 0 || last { sim.check(last) } else { Ok(()) })
				.map_err(|f| (i, f, core::mem::take(&mut sim.failed_calls)))?;
		}
		Ok(sim.stats)
	})
}

/// Shrinks a failing sequence to a shorter one that fails the same invariant (delta
/// debugging: drop chunks, halving their size, while the failure stays), within `budget`.
/// Short candidates are checked after every action, long ones every `check_every` actions.
pub fn shrink(
	actions: &[Action],
	invariant: &str,
	check_every: u64,
	ignore: &[String],
	budget: Duration,
) -> Vec<Action> {
	let started = Instant::now();
	let hook = std::panic::take_hook();
	std::panic::set_hook(Box::new(|_| {}));
	let scope = checks::Scope::of(invariant);
	let fails = |candidate: &[Action]| {
		let every = if candidate.len() <= 300 { 1 } else { check_every };
		match replay(candidate, every, ignore, scope) {
			Err((i, f)) if f.invariant == invariant => Some(i),
			_ => None,
		}
	};
	let mut best = actions.to_vec();
	// Calls that failed changed nothing: drop them all at once.
	if let Err((i, f, failed)) = replay_recording(&best, check_every, ignore, scope) {
		if f.invariant == invariant {
			best.truncate(i + 1);
			let kept: Vec<Action> = best
				.iter()
				.zip(failed.iter().chain(core::iter::repeat(&false)))
				.filter(|(_, failed)| !**failed)
				.map(|(a, _)| a.clone())
				.collect();
			if let Some(i) = fails(&kept) {
				best = kept;
				best.truncate(i + 1);
			}
		}
	}
	// Then everything about one model at a time.
	for model in 0..MODELS {
		let kept: Vec<Action> = best.iter().filter(|a| a.model() != Some(model)).cloned().collect();
		if kept.len() < best.len() {
			if let Some(i) = fails(&kept) {
				best = kept;
				best.truncate(i + 1);
			}
		}
	}
	let mut chunk = (best.len() / 2).max(1);
	while started.elapsed() < budget {
		let mut removed = false;
		let mut at = 0;
		while at < best.len() && started.elapsed() < budget {
			let end = (at + chunk).min(best.len());
			let candidate: Vec<Action> = best[..at].iter().chain(&best[end..]).cloned().collect();
			match fails(&candidate) {
				Some(i) => {
					best = candidate;
					best.truncate(i + 1);
					removed = true;
				},
				None => at += chunk,
			}
		}
		if !removed {
			if chunk == 1 {
				break;
			}
			chunk = (chunk / 2).max(1);
		}
	}
	// Simpler parameters where they do not matter: honest quorums, plain stakes.
	for i in 0..best.len() {
		if started.elapsed() >= budget {
			break;
		}
		if let Some(simpler) = simpler(&best[i]) {
			let mut candidate = best.clone();
			candidate[i] = simpler;
			if let Some(at) = fails(&candidate) {
				best = candidate;
				best.truncate(at + 1);
			}
		}
	}
	std::panic::set_hook(hook);
	best
}

/// The action with its incidental parameters made plain (if any were not).
fn simpler(action: &Action) -> Option<Action> {
	use action::{Dissent, Quorum, ResultKind};
	let plain = Quorum { other: 2, dissent: Dissent::Absent };
	let simple = match action.clone() {
		Action::OpenRound { .. } => Action::OpenRound { quorum: plain },
		Action::Result { model, kind, .. } => {
			let kind = match kind {
				ResultKind::Resolved { at_risk_permille, payout_permille, .. } => {
					ResultKind::Resolved { at_risk_permille, payout_permille, min_at_risk: 0 }
				},
				other => other,
			};
			Action::Result { model, kind, quorum: plain }
		},
		_ => return None,
	};
	(simple != *action).then_some(simple)
}
