//! `numerstake watch RULES.toml`: the automation daemon. It signs with a bot key registered as
//! the staker's `StakingBot` proxy (`numerstake bot-add`), so every call goes through
//! `proxy.proxy(staker, StakingBot, …)` and the chain itself stops the bot from moving funds
//! anywhere but home. It says what it did and why, remembers its baselines in a state file, and
//! reconnects when the node restarts.

use crate::commands::{account, id_text, pool_call, Ctx, Failure, Outcome};
use numerstake_cli::{
	chain::Chain,
	rules::{self, ActionKind, Memory, ModelFacts},
};
use numerstake_runtime::{configs::proxy::ProxyType, RuntimeCall};
use polkadot_sdk::{pallet_proxy, sp_core::crypto::Ss58Codec};
use std::{collections::BTreeMap, time::Duration};

fn now() -> String {
	let secs = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or(0);
	let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
	format!("{h:02}:{m:02}:{s:02}Z")
}

fn say(line: &str) {
	println!("[{}] {line}", now());
}

/// Runs the daemon.
pub async fn run(ctx: &Ctx<'_>, rules_path: &str, state: Option<&str>, once: bool) -> Outcome {
	let text = std::fs::read_to_string(rules_path)
		.map_err(|e| Failure::Error(format!("{rules_path}: {e}")))?;
	let rules = rules::read(&text)?;
	let staker = account(&rules.staker)?;
	let key = ctx.key()?;
	let state_path = state.map(String::from).unwrap_or_else(|| format!("{rules_path}.state.json"));
	// Only a missing file is a fresh start: an unreadable one must not reset the baselines.
	let mut memory: Memory = match std::fs::read_to_string(&state_path) {
		Ok(t) => {
			serde_json::from_str(&t).map_err(|e| Failure::Error(format!("{state_path}: {e}")))?
		},
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => Memory::default(),
		Err(e) => return Err(Failure::Error(format!("{state_path}: {e}"))),
	};
	say(&format!(
		"watching {} as its StakingBot {} ({} rules, every {} s; state in {state_path})",
		staker.to_ss58check(),
		key.account().to_ss58check(),
		rules.rules.len(),
		rules.interval_secs
	));
	let mut chain: Option<Chain> = None;
	loop {
		if chain.is_none() {
			match Chain::connect(&ctx.chain.url).await {
				Ok(c) => {
					match c.finalised_number().await {
						Ok(block) => {
							say(&format!("connected to {} (finalised block {block})", c.url))
						},
						Err(_) => say(&format!("connected to {}", c.url)),
					}
					chain = Some(c);
				},
				Err(e) => say(&format!(
					"cannot reach the node ({e}); trying again in {} s",
					rules.interval_secs
				)),
			}
		}
		if let Some(c) = &chain {
			match tick(c, &rules, &staker, &key, &mut memory).await {
				Ok(()) => {
					memory.looks += 1;
					if let Err(e) = save(&state_path, &memory) {
						say(&format!("cannot save the state to {state_path}: {e}"));
					}
				},
				Err(Failure::Error(e)) => {
					say(&format!("lost the node ({e}); reconnecting in {} s", rules.interval_secs));
					chain = None;
				},
				Err(Failure::Refused(e)) => say(&e),
			}
		}
		if once {
			return Ok(());
		}
		tokio::time::sleep(Duration::from_secs(rules.interval_secs)).await;
	}
}

/// Writes the state beside its place and renames it over, so a crash never leaves half a file.
fn save(path: &str, memory: &Memory) -> std::io::Result<()> {
	let text = serde_json::to_string_pretty(memory).map_err(std::io::Error::other)?;
	let tmp = format!("{path}.tmp");
	std::fs::write(&tmp, text)?;
	std::fs::rename(&tmp, path)
}

async fn tick(
	chain: &Chain,
	rules: &rules::Rules,
	staker: &numerstake_runtime::AccountId,
	key: &numerstake_cli::keys::Key,
	memory: &mut Memory,
) -> Outcome {
	let positions = chain.positions(staker).await?;
	let mut facts = BTreeMap::new();
	for p in &positions {
		if facts.contains_key(&p.model) {
			continue;
		}
		let (Some(profile), Some(pool)) =
			(chain.profile(p.model).await?, chain.pool(p.model).await?)
		else {
			continue;
		};
		facts.insert(
			p.model,
			ModelFacts {
				versions_total: profile.versions_total,
				backing_breaches: profile.record.backing_breaches,
				status: profile.status,
				next_period_end: pool.next_period_end,
			},
		);
	}
	for action in rules::decide(rules, &positions, &facts, memory) {
		let (label, call) = match action.kind {
			ActionKind::Exit => (
				"exit",
				pallet_stake_delegation::Call::request_exit {
					model: action.model,
					index: action.index,
				},
			),
			ActionKind::Withdraw => (
				"withdraw",
				pallet_stake_delegation::Call::withdraw {
					model: action.model,
					index: action.index,
				},
			),
			ActionKind::Settle => (
				"settle",
				pallet_stake_delegation::Call::settle {
					staker: staker.clone(),
					model: action.model,
					index: action.index,
					max_periods: 64,
				},
			),
		};
		let what = format!("{label} {} #{}", id_text(&action.model), action.index);
		say(&format!("{what}: {}", action.reason));
		let inner = pool_call(chain, action.model, call).await?;
		let call = RuntimeCall::Proxy(pallet_proxy::Call::proxy {
			real: staker.clone().into(),
			force_proxy_type: Some(ProxyType::StakingBot),
			call: Box::new(inner),
		});
		match chain.send(key, &what, call).await? {
			(included, None) => {
				memory.succeeded(&action);
				say(&format!("{what}: done, final in block {}", included.block));
				if action.kind == ActionKind::Settle {
					if let Some(f) = facts.get(&action.model) {
						memory.settled_for.insert(
							format!("{}/{}", id_text(&action.model), action.index),
							f.next_period_end,
						);
					}
				}
			},
			(_, Some(refusal)) => {
				memory.failed(&action);
				say(&format!("{what}: the chain refused: {refusal} (trying again later)"));
			},
		}
	}
	Ok(())
}
