//! `numerstake watch RULES.toml`: what the automation daemon may do, and the decisions it takes
//! from what it reads. The decisions are pure functions of the chain's views and the state the
//! daemon remembers, so they are tested without a node.

use crate::amount::{fmt_percent, parse_percent};
use numerstake_primitives::{ModelId, ModelStatus, RoundIndex};
use pallet_stake_delegation_runtime_api::{PositionStage, PositionView};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct RuleFile {
	model: Option<String>,
	stop_loss: Option<String>,
	#[serde(default)]
	exit_on_version_change: bool,
	#[serde(default)]
	exit_on_backing_breach: bool,
	#[serde(default)]
	exit_on_under_bonded: bool,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct RebalanceFile {
	targets: BTreeMap<String, String>,
	tolerance: Option<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct RulesFile {
	staker: String,
	interval_secs: Option<u64>,
	#[serde(default)]
	auto_settle: bool,
	#[serde(default)]
	auto_withdraw: bool,
	#[serde(default, rename = "rule")]
	rules: Vec<RuleFile>,
	rebalance: Option<RebalanceFile>,
}

/// One rule, for one model or every position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
	/// The model it applies to (`None`: all).
	pub model: Option<ModelId>,
	/// Exit when the result falls to this fraction of principal (parts per million, negative).
	pub stop_loss_ppm: Option<i64>,
	/// Exit when the owner commits a new model version.
	pub exit_on_version_change: bool,
	/// Exit when the owner is found staking less than was delegated.
	pub exit_on_backing_breach: bool,
	/// Exit when the model is under-bonded.
	pub exit_on_under_bonded: bool,
}

/// The whole rules file.
#[derive(Debug, Clone)]
pub struct Rules {
	/// The staker's account (SS58) the bot acts for.
	pub staker: String,
	/// Seconds between looks at the chain.
	pub interval_secs: u64,
	/// Settle positions once per fee period.
	pub auto_settle: bool,
	/// Withdraw released positions.
	pub auto_withdraw: bool,
	/// The exit rules.
	pub rules: Vec<Rule>,
	/// Target weights per model (parts per million) and the tolerance above them.
	pub rebalance: Option<(BTreeMap<ModelId, u64>, u64)>,
}

fn model_id(text: &str) -> Result<ModelId, String> {
	ModelId::parse(text.as_bytes())
		.map_err(|e| format!("`{text}` is not a Numerai model id (UUID): {e:?}"))
}

/// Reads a rules file.
pub fn read(text: &str) -> Result<Rules, String> {
	let f: RulesFile = toml::from_str(text).map_err(|e| format!("rules file: {e}"))?;
	let mut rules = Vec::new();
	for (i, r) in f.rules.iter().enumerate() {
		let stop_loss_ppm = match &r.stop_loss {
			None => None,
			Some(t) => {
				let neg = t.trim().starts_with('-');
				let parts = parse_percent(t.trim().trim_start_matches('-'), 1_000_000)
					.map_err(|e| format!("rule[{i}].stop_loss: {e}"))? as i64;
				Some(if neg { -parts } else { -parts.abs() })
			},
		};
		rules.push(Rule {
			model: r
				.model
				.as_deref()
				.map(model_id)
				.transpose()
				.map_err(|e| format!("rule[{i}].model: {e}"))?,
			stop_loss_ppm,
			exit_on_version_change: r.exit_on_version_change,
			exit_on_backing_breach: r.exit_on_backing_breach,
			exit_on_under_bonded: r.exit_on_under_bonded,
		});
	}
	let rebalance = match f.rebalance {
		None => None,
		Some(b) => {
			let mut targets = BTreeMap::new();
			let mut sum = 0u64;
			for (m, w) in &b.targets {
				let ppm = parse_percent(w, 1_000_000)
					.map_err(|e| format!("rebalance.targets.{m}: {e}"))?;
				sum += ppm;
				targets.insert(model_id(m)?, ppm);
			}
			if sum > 1_000_000 {
				return Err(format!(
					"rebalance.targets add up to {}, more than 100%",
					fmt_percent(sum, 1_000_000)
				));
			}
			let tolerance = match &b.tolerance {
				Some(t) => {
					parse_percent(t, 1_000_000).map_err(|e| format!("rebalance.tolerance: {e}"))?
				},
				None => 50_000,
			};
			Some((targets, tolerance))
		},
	};
	Ok(Rules {
		staker: f.staker,
		interval_secs: f.interval_secs.unwrap_or(12).max(1),
		auto_settle: f.auto_settle,
		auto_withdraw: f.auto_withdraw,
		rules,
		rebalance,
	})
}

/// What the daemon remembers between runs (a JSON file beside the rules).
#[derive(Serialize, Deserialize, Debug, Default, Clone, PartialEq, Eq)]
pub struct Memory {
	/// Per position ("model/index"): the model's versions and backing breaches when the daemon
	/// first saw the position (what happened before is not news to it).
	pub baseline: BTreeMap<String, (u32, u32)>,
	/// Per position ("model/index"): the fee period end it was last settled for.
	pub settled_for: BTreeMap<String, RoundIndex>,
	/// Per action ("exit model/index", …): failures in a row, and the look at which to try
	/// again (the wait doubles with each failure, up to 64 looks).
	pub failures: BTreeMap<String, (u32, u64)>,
	/// Looks taken so far.
	pub looks: u64,
}

impl Memory {
	/// Records that `action` failed.
	pub fn failed(&mut self, action: &Action) {
		let key = action.key();
		let n = self.failures.get(&key).map_or(0, |f| f.0) + 1;
		self.failures.insert(key, (n, self.looks + (1u64 << n.min(6))));
	}

	/// Records that `action` succeeded.
	pub fn succeeded(&mut self, action: &Action) {
		self.failures.remove(&action.key());
	}

	/// Whether `action` is still waiting after a failure.
	pub fn backing_off(&self, action: &Action) -> bool {
		self.failures.get(&action.key()).is_some_and(|(_, next)| self.looks < *next)
	}
}

/// What the chain says about a model, as the rules need it.
#[derive(Debug, Clone)]
pub struct ModelFacts {
	/// Versions committed in all.
	pub versions_total: u32,
	/// Backing breaches recorded in all.
	pub backing_breaches: u32,
	/// The model's status.
	pub status: ModelStatus,
	/// The pool's next fee period end.
	pub next_period_end: RoundIndex,
}

/// One thing to do, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
	/// What to send.
	pub kind: ActionKind,
	/// The position.
	pub model: ModelId,
	/// Its index.
	pub index: u32,
	/// Why, in words.
	pub reason: String,
}

/// The calls a staking bot may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
	/// `request_exit`
	Exit,
	/// `withdraw`
	Withdraw,
	/// `settle`
	Settle,
}

fn text(m: &ModelId) -> String {
	String::from_utf8_lossy(&m.to_text()).into_owned()
}

impl Action {
	/// A stable name for the action, for the memory.
	pub fn key(&self) -> String {
		format!("{:?} {}/{}", self.kind, text(&self.model), self.index)
	}
}

/// Decides what to do now. `memory` is updated with first-seen baselines; actions that failed
/// recently are held back (see [`Memory::failed`]).
pub fn decide(
	rules: &Rules,
	positions: &[PositionView],
	facts: &BTreeMap<ModelId, ModelFacts>,
	memory: &mut Memory,
) -> Vec<Action> {
	let mut actions = Vec::new();
	for p in positions {
		if let Some(f) = facts.get(&p.model) {
			memory
				.baseline
				.entry(format!("{}/{}", text(&p.model), p.index))
				.or_insert((f.versions_total, f.backing_breaches));
		}
	}
	let mut exits: BTreeMap<(ModelId, u32), String> = BTreeMap::new();
	for p in positions {
		let Some(f) = facts.get(&p.model) else { continue };
		let key = format!("{}/{}", text(&p.model), p.index);
		let (versions0, breaches0) = memory.baseline.get(&key).copied().unwrap_or_default();
		match p.stage {
			PositionStage::Withdrawable if rules.auto_withdraw => {
				actions.push(Action {
					kind: ActionKind::Withdraw,
					model: p.model,
					index: p.index,
					reason: "its last round is settled: the money can come home".into(),
				});
				continue;
			},
			PositionStage::Exiting { .. } | PositionStage::Withdrawable => continue,
			_ => {},
		}
		let mut exit: Option<String> = None;
		for r in rules.rules.iter().filter(|r| r.model.is_none_or(|m| m == p.model)) {
			// The stake's own result: the prepaid fee of a commitment is not a loss of the
			// stake (it is −prepaid from the start), and a position not yet active has none.
			if let (Some(limit), PositionStage::Active) = (r.stop_loss_ppm, p.stage) {
				let own = p.result.saturating_add(p.prepaid as i128);
				// own / principal <= limit / 1e6, in integers.
				if p.principal > 0
					&& own.saturating_mul(1_000_000)
						<= (limit as i128).saturating_mul(p.principal as i128)
				{
					let ppm = (own.saturating_mul(1_000_000) / p.principal as i128) as i64;
					exit.get_or_insert(format!(
						"the result {}{} of principal reached the stop-loss -{}",
						if ppm < 0 { "-" } else { "" },
						fmt_percent(ppm.unsigned_abs(), 1_000_000),
						fmt_percent(limit.unsigned_abs(), 1_000_000)
					));
				}
			}
			if r.exit_on_version_change && f.versions_total > versions0 {
				exit.get_or_insert(format!(
					"the owner committed a new model version ({} → {} versions)",
					versions0, f.versions_total
				));
			}
			if r.exit_on_backing_breach && f.backing_breaches > breaches0 {
				exit.get_or_insert(format!(
					"the owner staked less than was delegated ({} new backing breach(es))",
					f.backing_breaches - breaches0
				));
			}
			if r.exit_on_under_bonded && f.status == ModelStatus::UnderBonded {
				exit.get_or_insert(
					"the model is under-bonded: its bond cannot cover the stakers' gains".into(),
				);
			}
		}
		if let Some(reason) = exit {
			exits.insert((p.model, p.index), reason);
			continue;
		}
		let settled = memory.settled_for.get(&key).copied() == Some(f.next_period_end);
		if rules.auto_settle && p.stage == PositionStage::Active && !settled {
			actions.push(Action {
				kind: ActionKind::Settle,
				model: p.model,
				index: p.index,
				reason: format!("a new fee period (ending at round {}) began", f.next_period_end),
			});
		}
	}
	if let Some((targets, tolerance)) = &rules.rebalance {
		for (model, index, reason) in rebalance(positions, targets, *tolerance, &exits) {
			exits.insert((model, index), reason);
		}
	}
	for ((model, index), reason) in exits {
		actions.push(Action { kind: ActionKind::Exit, model, index, reason });
	}
	actions.retain(|a| !memory.backing_off(a));
	actions
}

/// Exits that bring models listed in `targets` back to at most `target + tolerance` of the
/// portfolio: the fewest positions (largest first) that cover each model's excess. The
/// portfolio counts everything still at stake (queued, active and exiting); nothing is
/// rebalanced while an earlier exit is still on its way out, so the weights it would change
/// are never counted twice.
fn rebalance(
	positions: &[PositionView],
	targets: &BTreeMap<ModelId, u64>,
	tolerance: u64,
	already: &BTreeMap<(ModelId, u32), String>,
) -> Vec<(ModelId, u32, String)> {
	if positions.iter().any(|p| matches!(p.stage, PositionStage::Exiting { .. }))
		|| !already.is_empty()
	{
		return Vec::new();
	}
	let worth =
		|p: &PositionView| if p.stage == PositionStage::Active { p.value } else { p.principal };
	let total: u128 =
		positions.iter().filter(|p| p.stage != PositionStage::Withdrawable).map(worth).sum();
	if total == 0 {
		return Vec::new();
	}
	let mut out = Vec::new();
	for (model, target) in targets {
		let mut held: Vec<&PositionView> = positions
			.iter()
			.filter(|p| p.model == *model && p.stage != PositionStage::Withdrawable)
			.collect();
		let mut value: u128 = held.iter().map(|p| worth(p)).sum();
		let limit = total.saturating_mul((target + tolerance) as u128) / 1_000_000;
		if value <= limit {
			continue;
		}
		let weight = (value.saturating_mul(1_000_000) / total) as u64;
		held.retain(|p| p.stage == PositionStage::Active);
		held.sort_by(|a, b| b.value.cmp(&a.value).then(a.index.cmp(&b.index)));
		for p in held {
			if value <= limit {
				break;
			}
			value = value.saturating_sub(p.value);
			out.push((
				*model,
				p.index,
				format!(
					"the model is {} of the portfolio, above its target {} by more than {} (the bot cannot delegate: place the freed NMR yourself)",
					fmt_percent(weight, 1_000_000),
					fmt_percent(*target, 1_000_000),
					fmt_percent(tolerance, 1_000_000)
				),
			));
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	fn position(
		model: ModelId,
		index: u32,
		principal: u128,
		result: i128,
		stage: PositionStage,
	) -> PositionView {
		PositionView {
			model,
			index,
			principal,
			prepaid: 0,
			first_round: 10,
			stage,
			shares: principal,
			value: (principal as i128 + result) as u128,
			fees_paid: 0,
			result,
			locked_until: None,
			release_round: None,
			high_water_mark: 0,
			terms_version: 0,
			settle_periods: 0,
		}
	}

	fn facts(versions: u32, breaches: u32, status: ModelStatus) -> ModelFacts {
		ModelFacts {
			versions_total: versions,
			backing_breaches: breaches,
			status,
			next_period_end: 20,
		}
	}

	const A: &str = "00000000-0000-4000-8000-000000000001";
	const B: &str = "00000000-0000-4000-8000-000000000002";

	fn rules(extra: &str) -> Rules {
		read(&format!("staker = \"5Grw\"\n{extra}")).unwrap()
	}

	#[test]
	fn a_stop_loss_exits_at_its_threshold_and_not_before() {
		let r = rules("[[rule]]\nstop_loss = \"-5%\"");
		let a = model_id(A).unwrap();
		let f = BTreeMap::from([(a, facts(0, 0, ModelStatus::Active))]);
		let mut m = Memory::default();
		let above = position(a, 0, 1_000, -49, PositionStage::Active);
		assert!(decide(&r, &[above], &f, &mut m).is_empty());
		let at = position(a, 0, 1_000, -50, PositionStage::Active);
		let actions = decide(&r, &[at], &f, &mut m);
		assert_eq!(actions.len(), 1);
		assert_eq!(actions[0].kind, ActionKind::Exit);
		assert!(actions[0].reason.contains("stop-loss -5%"), "{}", actions[0].reason);
	}

	#[test]
	fn a_new_version_or_breach_after_the_bot_started_exits() {
		let r = rules("[[rule]]\nexit_on_version_change = true\nexit_on_backing_breach = true");
		let (a, b) = (model_id(A).unwrap(), model_id(B).unwrap());
		let positions = [
			position(a, 0, 1_000, 0, PositionStage::Active),
			position(b, 0, 1_000, 0, PositionStage::Active),
		];
		let mut m = Memory::default();
		let start = BTreeMap::from([
			(a, facts(1, 0, ModelStatus::Active)),
			(b, facts(1, 2, ModelStatus::Active)),
		]);
		assert!(
			decide(&r, &positions, &start, &mut m).is_empty(),
			"history before the bot started is not news"
		);
		let later = BTreeMap::from([
			(a, facts(2, 0, ModelStatus::Active)),
			(b, facts(1, 3, ModelStatus::Active)),
		]);
		let actions = decide(&r, &positions, &later, &mut m);
		assert_eq!(actions.len(), 2);
		assert!(actions[0].reason.contains("new model version"));
		assert!(actions[1].reason.contains("backing breach"));
	}

	#[test]
	fn released_positions_are_withdrawn_and_exiting_ones_left_alone() {
		let r = rules(
			"auto_withdraw = true\nauto_settle = true\n[[rule]]\nexit_on_under_bonded = true",
		);
		let a = model_id(A).unwrap();
		let f = BTreeMap::from([(a, facts(0, 0, ModelStatus::UnderBonded))]);
		let mut m = Memory::default();
		let p = [
			position(a, 0, 1_000, 0, PositionStage::Withdrawable),
			position(a, 1, 1_000, 0, PositionStage::Exiting { last_round: 12 }),
			position(a, 2, 1_000, 0, PositionStage::Active),
		];
		let actions = decide(&r, &p, &f, &mut m);
		assert_eq!(
			actions.iter().map(|a| (a.kind, a.index)).collect::<Vec<_>>(),
			vec![(ActionKind::Withdraw, 0), (ActionKind::Exit, 2)]
		);
	}

	#[test]
	fn rebalancing_exits_only_what_covers_the_excess_and_then_waits() {
		let r =
			rules(&format!("[rebalance]\ntolerance = \"5%\"\ntargets = {{ \"{A}\" = \"50%\" }}"));
		let (a, b) = (model_id(A).unwrap(), model_id(B).unwrap());
		let f = BTreeMap::from([
			(a, facts(0, 0, ModelStatus::Active)),
			(b, facts(0, 0, ModelStatus::Active)),
		]);
		let mut m = Memory::default();
		// A holds 400 + 300 of 1000: 70 %, above 55 %; exiting the 400 brings it to 30 %.
		let p = [
			position(a, 0, 300, 0, PositionStage::Active),
			position(a, 1, 400, 0, PositionStage::Active),
			position(b, 0, 300, 0, PositionStage::Active),
		];
		let actions = decide(&r, &p, &f, &mut m);
		assert_eq!(
			actions.iter().map(|x| (x.model, x.index)).collect::<Vec<_>>(),
			vec![(a, 1)],
			"one exit, the largest, and B (not listed) is left alone"
		);
		assert!(actions[0].reason.contains("70%"), "{}", actions[0].reason);
		// While that exit is on its way out nothing more is rebalanced.
		let later = [
			position(a, 0, 300, 0, PositionStage::Active),
			position(a, 1, 400, 0, PositionStage::Exiting { last_round: 12 }),
			position(b, 0, 300, 0, PositionStage::Active),
		];
		assert!(decide(&r, &later, &f, &mut m).is_empty());
	}

	#[test]
	fn a_commitments_prepaid_fee_does_not_trip_the_stop_loss() {
		let r = rules("[[rule]]\nstop_loss = \"-5%\"");
		let a = model_id(A).unwrap();
		let f = BTreeMap::from([(a, facts(0, 0, ModelStatus::Active))]);
		let mut m = Memory::default();
		let mut queued = position(a, 0, 1_000, -60, PositionStage::Queued);
		queued.prepaid = 60;
		assert!(decide(&r, &[queued.clone()], &f, &mut m).is_empty(), "not active yet");
		let mut active = queued;
		active.stage = PositionStage::Active;
		assert!(
			decide(&r, &[active.clone()], &f, &mut m).is_empty(),
			"the stake itself lost nothing"
		);
		active.result = -110;
		assert_eq!(decide(&r, &[active], &f, &mut m).len(), 1, "the stake lost 5 %");
	}

	#[test]
	fn a_failed_action_waits_longer_each_time() {
		let r = rules("auto_withdraw = true");
		let a = model_id(A).unwrap();
		let f = BTreeMap::from([(a, facts(0, 0, ModelStatus::Active))]);
		let mut m = Memory::default();
		let p = [position(a, 0, 1_000, 0, PositionStage::Withdrawable)];
		let first = decide(&r, &p, &f, &mut m);
		m.failed(&first[0]);
		let mut tries = 1;
		for look in 1..=10 {
			m.looks = look;
			if let Some(action) = decide(&r, &p, &f, &mut m).first() {
				tries += 1;
				m.failed(action);
			}
		}
		assert_eq!(tries, 3, "tried at looks 0, 2 and 6 (waits of 2, 4, then 8 looks)");
		m.succeeded(&first[0]);
		assert_eq!(decide(&r, &p, &f, &mut m).len(), 1);
	}

	#[test]
	fn a_new_position_in_a_model_that_changed_before_is_not_exited() {
		let r = rules("[[rule]]\nexit_on_version_change = true");
		let a = model_id(A).unwrap();
		let mut m = Memory::default();
		let one = [position(a, 0, 1_000, 0, PositionStage::Active)];
		decide(&r, &one, &BTreeMap::from([(a, facts(1, 0, ModelStatus::Active))]), &mut m);
		let changed = BTreeMap::from([(a, facts(2, 0, ModelStatus::Active))]);
		assert_eq!(decide(&r, &one, &changed, &mut m).len(), 1);
		let newer = [position(a, 1, 1_000, 0, PositionStage::Active)];
		assert!(
			decide(&r, &newer, &changed, &mut m).is_empty(),
			"the version it joined on is not news"
		);
	}

	#[test]
	fn bad_rules_are_refused_with_the_field() {
		assert!(read("staker = \"x\"\n[[rule]]\nstop_loss = \"lots\"")
			.unwrap_err()
			.contains("rule[0].stop_loss"));
		assert!(read("staker = \"x\"\n[[rule]]\nmodel = \"alpha\"")
			.unwrap_err()
			.contains("rule[0].model"));
		assert!(read(&format!(
			"staker = \"x\"\n[rebalance]\ntargets = {{ \"{A}\" = \"80%\", \"{B}\" = \"30%\" }}"
		))
		.unwrap_err()
		.contains("more than 100%"));
		assert!(read("staker = \"x\"\nsell_everything = true")
			.unwrap_err()
			.contains("unknown field"));
	}
}
