//! The commands, on one connection. Reads go through the runtime APIs at the finalised block;
//! writes are signed by the key from `--suri-env`/`--keystore`, followed to finality, and a
//! refusal is reported in the pallet's words with exit code 1.

use crate::{gov, watch, Cli, Command, ModelCmd, OracleCmd, TermsCmd, VersionCmd};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use numerstake_cli::{
	amount::{fmt_nmr, fmt_percent, fmt_signed, parse_nmr, plain_nmr, NMR},
	chain::{Chain, Included, Profile},
	files,
	keys::Key,
	recommend::{self, Candidate, Risk},
	report,
};
use numerstake_primitives::{ModelId, ModelStatus, RoundIndex};
use numerstake_runtime::{AccountId, RuntimeCall};
use pallet_round_oracle_runtime_api::{PendingSubject, RoundView};
use pallet_stake_delegation_runtime_api::{PoolView, PositionStage, PositionView};
use polkadot_sdk::{
	frame_support::BoundedVec,
	sp_core::{crypto::Ss58Codec, H256},
};
use serde_json::{json, Value};
use std::{
	collections::BTreeMap,
	io::{IsTerminal, Write},
	time::Duration,
};

/// Why a command did not do what was asked.
pub enum Failure {
	/// The chain (or the chain's rules, checked locally) refused: exit code 1.
	Refused(String),
	/// Anything else (connection, bad input, files): exit code 2.
	Error(String),
}

impl From<numerstake_cli::chain::ChainError> for Failure {
	fn from(e: numerstake_cli::chain::ChainError) -> Self {
		Failure::Error(e.0)
	}
}

impl From<String> for Failure {
	fn from(e: String) -> Self {
		Failure::Error(e)
	}
}

/// `Result` of a command.
pub type Outcome<T = ()> = Result<T, Failure>;

/// One command's connection and options.
pub struct Ctx<'a> {
	/// The parsed command line.
	pub cli: &'a Cli,
	/// The node.
	pub chain: Chain,
	/// The transactions this command sent (block, fee), for `--json`.
	pub sent: std::cell::RefCell<Vec<Value>>,
}

impl Ctx<'_> {
	/// The signing key.
	pub fn key(&self) -> Outcome<Key> {
		let key = match &self.cli.keystore {
			Some(path) => Key::from_keystore(path, "NUMERSTAKE_KEYSTORE_PASSWORD"),
			None => Key::from_env(&self.cli.suri_env),
		};
		key.map_err(Failure::Error)
	}

	/// Prints `value` as JSON (with the transactions sent, under `"transactions"`), or `text`
	/// for people (nothing if it is empty).
	pub fn out(&self, mut value: Value, text: impl FnOnce() -> String) {
		if self.cli.json {
			let sent = self.sent.borrow();
			if let (Value::Object(map), false) = (&mut value, sent.is_empty()) {
				map.insert("transactions".into(), Value::Array(sent.clone()));
			}
			// A closed pipe (`| head`) is not an error worth a panic.
			let _ = writeln!(
				std::io::stdout(),
				"{}",
				serde_json::to_string_pretty(&value).unwrap_or_default()
			);
		} else {
			let text = text();
			if !text.is_empty() {
				let _ = writeln!(std::io::stdout(), "{text}");
			}
		}
	}

	/// Asks before sending (unless `--yes`); refuses without a terminal to ask on.
	pub fn confirm(&self, question: &str) -> Outcome {
		if self.cli.yes {
			return Ok(());
		}
		if !std::io::stdin().is_terminal() {
			return Err(Failure::Error(format!("{question} — pass --yes to send without asking")));
		}
		eprint!("{question} [y/N] ");
		let mut answer = String::new();
		let _ = std::io::stdin().read_line(&mut answer);
		if matches!(answer.trim(), "y" | "Y" | "yes") {
			Ok(())
		} else {
			Err(Failure::Error("not sent".into()))
		}
	}

	/// Signs and sends `call`, reports the outcome; a refusal is a [`Failure::Refused`] (the
	/// transaction, included and paid for, is recorded all the same).
	pub async fn send(&self, key: &Key, label: &str, call: RuntimeCall) -> Outcome<Included> {
		let (included, refusal) = self.chain.send(key, label, call).await?;
		let fee: u128 = included
			.events
			.iter()
			.filter_map(|e| match e {
				numerstake_runtime::RuntimeEvent::TransactionPayment(
					polkadot_sdk::pallet_transaction_payment::Event::TransactionFeePaid {
						who,
						actual_fee,
						..
					},
				) if *who == key.account() => Some(*actual_fee),
				_ => None,
			})
			.sum();
		self.sent.borrow_mut().push(json!({"call": label, "block": included.block, "fee": amt(fee), "signer": key.account().to_ss58check(), "refused": refusal.is_some()}));
		match refusal {
			None => {
				if !self.cli.json {
					eprintln!(
						"✓ {label}: final in block {} (fee {} NMR)",
						included.block,
						fmt_nmr(fee)
					);
				}
				Ok(included)
			},
			Some(refusal) => Err(Failure::Refused(refusal.to_string())),
		}
	}

	/// `call` for `model`'s pool with the catch-up it needs (see [`pool_call`]).
	pub async fn pool_call(
		&self,
		model: ModelId,
		call: pallet_stake_delegation::Call<numerstake_runtime::Runtime>,
	) -> Outcome<RuntimeCall> {
		pool_call(&self.chain, model, call).await
	}

	/// A model by id (UUID) or by its registered name (a verified model's name before a
	/// pending claim's; refused if still ambiguous).
	pub async fn model(&self, text: &str) -> Outcome<ModelId> {
		if let Ok(id) = ModelId::parse(text.as_bytes()) {
			return Ok(id);
		}
		let mut found = Vec::new();
		for id in self.chain.model_ids().await? {
			if let Some(p) = self.chain.profile(id).await? {
				if p.name == text.as_bytes() {
					found.push((id, p.status.is_verified()));
				}
			}
		}
		let verified: Vec<ModelId> = found.iter().filter(|f| f.1).map(|f| f.0).collect();
		match (verified.as_slice(), found.as_slice()) {
			([id], _) => Ok(*id),
			([], [(id, _)]) => Ok(*id),
			([], []) => Err(Failure::Error(format!(
				"`{text}` is neither a model id (UUID) nor the name of a registered model"
			))),
			_ => Err(Failure::Error(format!("more than one model is named `{text}`: give its id"))),
		}
	}
}

/// `call` for `model`'s pool, preceded by `catch_up` in one `force_batch`, as a wallet should
/// send it: the user never meets `CatchUpRequired`, even when a round opens while the
/// transaction is on its way. A `catch_up` with nothing to do (`AlreadyCaughtUp`, or `NoPool`
/// for a pool that `bond` is about to open) fails alone inside the batch and is not reported.
pub async fn pool_call(
	chain: &Chain,
	model: ModelId,
	call: pallet_stake_delegation::Call<numerstake_runtime::Runtime>,
) -> Outcome<RuntimeCall> {
	let _ = chain;
	Ok(RuntimeCall::Utility(polkadot_sdk::pallet_utility::Call::force_batch {
		calls: vec![
			RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::catch_up { model }),
			RuntimeCall::StakeDelegation(call),
		],
	}))
}

/// An SS58 account.
pub fn account(text: &str) -> Outcome<AccountId> {
	AccountId::from_ss58check(text.trim())
		.map_err(|_| Failure::Error(format!("`{text}` is not an SS58 account address")))
}

/// An amount of NMR from the command line.
pub fn nmr(text: &str) -> Outcome<u128> {
	parse_nmr(text).map_err(|e| Failure::Error(e.to_string()))
}

/// An amount for JSON: exact planck (as a string) and NMR text.
pub fn amt(planck: u128) -> Value {
	json!({ "planck": planck.to_string(), "nmr": plain_nmr(planck) })
}

/// A signed amount for JSON.
pub fn samt(planck: i128) -> Value {
	json!({ "planck": planck.to_string(), "nmr": fmt_signed(planck).replace(',', "") })
}

/// A model id as text.
pub fn id_text(m: &ModelId) -> String {
	String::from_utf8_lossy(&m.to_text()).into_owned()
}

fn name(p: &Profile) -> String {
	String::from_utf8_lossy(&p.name).into_owned()
}

fn short(a: &AccountId) -> String {
	let s = a.to_ss58check();
	format!("{}…{}", &s[..6], &s[s.len() - 4..])
}

fn table(header: &[&str]) -> Table {
	let mut t = Table::new();
	t.load_preset(UTF8_FULL_CONDENSED);
	t.set_header(header.iter().map(Cell::new));
	t
}

fn right(s: impl ToString) -> Cell {
	Cell::new(s.to_string()).set_alignment(CellAlignment::Right)
}

fn status_text(s: ModelStatus) -> &'static str {
	match s {
		ModelStatus::Pending => "pending",
		ModelStatus::Verified => "verified",
		ModelStatus::Active => "active",
		ModelStatus::UnderBonded => "under-bonded",
		ModelStatus::Suspended => "suspended",
		ModelStatus::Retiring => "retiring",
	}
}

fn stage_text(s: PositionStage) -> String {
	match s {
		PositionStage::Queued => "queued".into(),
		PositionStage::Activating => "activating".into(),
		PositionStage::Active => "active".into(),
		PositionStage::Exiting { last_round } => format!("exiting after {last_round}"),
		PositionStage::Withdrawable => "withdrawable".into(),
	}
}

/// `q_r` of a round in parts per million (0 when not submitted or nothing at risk).
pub fn return_ppm(r: &RoundView<u32>) -> i64 {
	if !r.submitted || r.at_risk == 0 {
		return 0;
	}
	(r.payout.saturating_mul(1_000_000) / r.at_risk as i128) as i64
}

fn ppm_text(ppm: i64) -> String {
	let sign = if ppm < 0 {
		"-"
	} else if ppm > 0 {
		"+"
	} else {
		""
	};
	format!("{sign}{}", fmt_percent(ppm.unsigned_abs(), 1_000_000))
}

/// Terms in one line: fixed ladder, performance ladder, commitments.
fn terms_summary(t: &numerstake_primitives::terms::Terms<u128>) -> (String, String, String) {
	let fixed = if t.fixed_fee.is_empty() {
		"none".into()
	} else {
		t.fixed_fee
			.iter()
			.map(|s| format!("≤{}: {}/rd", fmt_nmr(s.up_to), fmt_nmr(s.fee)))
			.collect::<Vec<_>>()
			.join(", ")
	};
	let perf = if t.performance_fee.is_empty() {
		"none".into()
	} else {
		t.performance_fee
			.iter()
			.map(|s| {
				format!(
					"≤{}: {}",
					fmt_nmr(s.up_to),
					fmt_percent(s.fee.deconstruct() as u64, 1_000_000)
				)
			})
			.collect::<Vec<_>>()
			.join(", ")
	};
	let commit = t
		.commitments
		.iter()
		.map(|c| {
			if c.term_rounds == 0 {
				"rolling".to_string()
			} else {
				format!(
					"{} rds −{}",
					c.term_rounds,
					fmt_percent(c.discount.deconstruct() as u64, 1_000_000)
				)
			}
		})
		.collect::<Vec<_>>()
		.join(", ");
	(fixed, perf, commit)
}

fn terms_json(t: &numerstake_primitives::terms::Terms<u128>) -> Value {
	json!({
		"capacity": amt(t.capacity),
		"min_delegation": amt(t.min_delegation),
		"max_delegation": amt(t.max_delegation),
		"fixed_fee": t.fixed_fee.iter().map(|s| json!({"up_to": amt(s.up_to), "fee_per_round": amt(s.fee)})).collect::<Vec<_>>(),
		"performance_fee": t.performance_fee.iter().map(|s| json!({"up_to": amt(s.up_to), "fee_ppm": s.fee.deconstruct()})).collect::<Vec<_>>(),
		"commitments": t.commitments.iter().map(|c| json!({"term_rounds": c.term_rounds, "discount_ppm": c.discount.deconstruct()})).collect::<Vec<_>>(),
		"document": t.document.as_ref().map(|d| json!({"hash": format!("{:?}", d.hash), "uri": String::from_utf8_lossy(&d.uri)})),
	})
}

fn round_json(r: &RoundView<u32>) -> Value {
	json!({
		"round": r.round, "submitted": r.submitted, "at_risk": amt(r.at_risk), "payout": samt(r.payout),
		"return_ppm": return_ppm(r), "finalised_at": r.finalised_at,
	})
}

/// The latest rounds of a model's history (up to `n`).
pub async fn recent(
	chain: &Chain,
	model: ModelId,
	latest: RoundIndex,
	n: u32,
) -> Outcome<Vec<RoundView<u32>>> {
	if latest == 0 || n == 0 {
		return Ok(Vec::new());
	}
	Ok(chain.history(model, latest.saturating_sub(n - 1), latest).await?)
}

/// Capacity left for new delegations, from the chain's own quote.
async fn capacity_left(chain: &Chain, model: ModelId, profile: &Profile) -> Outcome<Option<u128>> {
	let Some(t) = &profile.current_terms else { return Ok(None) };
	Ok(chain.quote(model, t.terms.min_delegation, 0).await?.map(|q| q.capacity_left))
}

fn bond_cover(pool: &PoolView<AccountId>) -> String {
	if pool.bond_required == 0 {
		return "—".into();
	}
	let pct = pool.bond.saturating_mul(100) / pool.bond_required;
	format!("{pct}%")
}

/// Runs the command.
pub async fn run(cli: Cli) -> Outcome {
	let mut chain = Chain::connect(&cli.url).await?;
	chain.progress = !cli.json && std::io::stderr().is_terminal();
	let ctx = Ctx { cli: &cli, chain, sent: Default::default() };
	let result = dispatch(&ctx).await;
	if let (Err(Failure::Refused(why)), true) = (&result, cli.json) {
		// Scripts see the refusal and what it cost on stdout too.
		ctx.out(json!({"refused": why}), String::new);
	}
	result
}

async fn dispatch(ctx: &Ctx<'_>) -> Outcome {
	let cli = ctx.cli;
	match &cli.command {
		Command::Models { rounds } => models(ctx, *rounds).await,
		Command::Model { what: ModelCmd::Show { model, rounds } } => {
			model_show(ctx, model, *rounds).await
		},
		Command::Portfolio { who } => portfolio(ctx, who.as_deref()).await,
		Command::Quote { model, amount, term } => quote(ctx, model, amount, *term, false).await,
		Command::Delegate { model, amount, term } => quote(ctx, model, amount, *term, true).await,
		Command::Exit { model, index } => {
			let m = ctx.model(model).await?;
			position_call(
				ctx,
				m,
				"exit",
				pallet_stake_delegation::Call::request_exit { model: m, index: *index },
			)
			.await
		},
		Command::Withdraw { model, index } => {
			let m = ctx.model(model).await?;
			position_call(
				ctx,
				m,
				"withdraw",
				pallet_stake_delegation::Call::withdraw { model: m, index: *index },
			)
			.await
		},
		Command::Settle { model, index, staker } => {
			let m = ctx.model(model).await?;
			let key = ctx.key()?;
			let staker = match staker {
				Some(s) => account(s)?,
				None => key.account(),
			};
			let call = ctx
				.pool_call(
					m,
					pallet_stake_delegation::Call::settle {
						staker,
						model: m,
						index: *index,
						max_periods: 64,
					},
				)
				.await?;
			ctx.send(&key, "settle", call).await?;
			ctx.out(json!({}), String::new);
			Ok(())
		},
		Command::Recommit { model, index, term } => {
			let m = ctx.model(model).await?;
			let key = ctx.key()?;
			let position = ctx
				.chain
				.positions(&key.account())
				.await?
				.into_iter()
				.find(|p| p.model == m && p.index == *index)
				.ok_or_else(|| Failure::Refused(format!("StakeDelegation::UnknownDelegation — no position #{index} of yours in {model}")))?;
			// The same consent as a delegation: the terms and what the term costs, shown first.
			let q = ctx
				.chain
				.quote(m, position.principal, *term)
				.await?
				.ok_or_else(|| Failure::Refused("the model has no terms".into()))?;
			if let Some(r) = &q.refusal {
				return Err(Failure::Refused(format!(
					"the chain would refuse this commitment: {}",
					String::from_utf8_lossy(r)
				)));
			}
			let text = format!(
				"commit #{index} ({} NMR) to {term} rounds on terms version {}: fixed fee {} NMR per round, performance fee {} (discount {}), prepaid now {} NMR",
				fmt_nmr(position.principal), q.terms_version, fmt_nmr(q.fixed_fee_per_round),
				fmt_percent(q.performance_fee.deconstruct() as u64, 1_000_000), fmt_percent(q.discount.deconstruct() as u64, 1_000_000), fmt_nmr(q.prepaid)
			);
			eprintln!("{text}");
			ctx.confirm("Commit on these terms?")?;
			position_call(
				ctx,
				m,
				"recommit",
				pallet_stake_delegation::Call::recommit {
					model: m,
					index: *index,
					term_rounds: *term,
					terms_version: q.terms_version,
				},
			)
			.await
		},
		Command::CatchUp { model } => {
			let m = ctx.model(model).await?;
			let key = ctx.key()?;
			ctx.send(
				&key,
				"catch-up",
				RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::catch_up { model: m }),
			)
			.await?;
			ctx.out(json!({}), String::new);
			Ok(())
		},
		Command::Balance { accounts } => balance(ctx, accounts).await,
		Command::Transfer { to, amount } => transfer(ctx, to, amount).await,
		Command::BotAdd { account: bot } => {
			let key = ctx.key()?;
			let bot = account(bot)?;
			let call = RuntimeCall::Proxy(polkadot_sdk::pallet_proxy::Call::add_proxy {
				delegate: bot.clone().into(),
				proxy_type: numerstake_runtime::configs::proxy::ProxyType::StakingBot,
				delay: 0,
			});
			ctx.send(&key, "add a StakingBot proxy", call).await?;
			ctx.out(
				json!({"bot": bot.to_ss58check(), "staker": key.account().to_ss58check()}),
				|| {
					format!(
						"{} may now exit, settle and withdraw for {} — and nothing else",
						bot.to_ss58check(),
						key.account().to_ss58check()
					)
				},
			);
			Ok(())
		},
		Command::Watch { rules, state, once } => {
			watch::run(ctx, rules, state.as_deref(), *once).await
		},
		Command::Recommend { budget, risk, rounds, who } => {
			recommend_cmd(ctx, budget, risk, *rounds, who.as_deref()).await
		},
		Command::Report { out, who, budget } => report_cmd(ctx, out, who.as_deref(), budget).await,
		Command::Register { model, name } => {
			let key = ctx.key()?;
			let id = ModelId::parse(model.as_bytes()).map_err(|e| {
				Failure::Error(format!("`{model}` is not a Numerai model id (UUID): {e:?}"))
			})?;
			let text = BoundedVec::try_from(id.to_text().to_vec())
				.map_err(|_| Failure::Error("model id too long".into()))?;
			let name_b = BoundedVec::try_from(name.as_bytes().to_vec())
				.map_err(|_| Failure::Error("the name is too long".into()))?;
			let call = RuntimeCall::ModelRegistry(pallet_model_registry::Call::register_model {
				numerai_model_id: text,
				name: name_b,
			});
			ctx.send(&key, "register", call).await?;
			let challenge: Vec<u8> =
				ctx.chain.api("ModelRegistryApi_ownership_challenge", (id, key.account())).await?;
			ctx.out(
				json!({"model": id_text(&id), "challenge": String::from_utf8_lossy(&challenge)}),
				|| {
					format!(
						"claimed {name} ({}). Prove it: `numerstake challenge {}`",
						id_text(&id),
						id_text(&id)
					)
				},
			);
			Ok(())
		},
		Command::Challenge { model, no_wait, timeout } => {
			challenge(ctx, model, *no_wait, *timeout).await
		},
		Command::Terms { what: TermsCmd::Set { model, file } } => terms_set(ctx, model, file).await,
		Command::Version {
			what: VersionCmd::Commit { model, artefact, effective_round, note },
		} => {
			let m = ctx.model(model).await?;
			let key = ctx.key()?;
			let hash = if artefact.starts_with("0x") {
				files::parse_h256(artefact)?
			} else {
				let bytes = std::fs::read(artefact)
					.map_err(|e| Failure::Error(format!("{artefact}: {e}")))?;
				H256(polkadot_sdk::sp_io::hashing::blake2_256(&bytes))
			};
			let note = BoundedVec::try_from(note.as_bytes().to_vec())
				.map_err(|_| Failure::Error("the note is longer than 256 bytes".into()))?;
			let call = RuntimeCall::ModelRegistry(pallet_model_registry::Call::commit_version {
				model: m,
				artefact_hash: hash,
				effective_round: *effective_round,
				note,
			});
			ctx.send(&key, "version commit", call).await?;
			ctx.out(json!({"model": id_text(&m), "artefact_hash": format!("{hash:?}")}), || {
				format!("committed version {hash:?}")
			});
			Ok(())
		},
		Command::Bond { model, amount } => {
			let m = ctx.model(model).await?;
			let amount = nmr(amount)?;
			let key = ctx.key()?;
			let call =
				ctx.pool_call(m, pallet_stake_delegation::Call::bond { model: m, amount }).await?;
			ctx.send(&key, "bond", call).await?;
			let pool = ctx.chain.pool(m).await?;
			ctx.out(json!({"bond": pool.as_ref().map(|p| amt(p.bond)), "bond_required": pool.as_ref().map(|p| amt(p.bond_required))}), String::new);
			Ok(())
		},
		Command::Unbond { model, amount } => {
			let m = ctx.model(model).await?;
			let amount = nmr(amount)?;
			let key = ctx.key()?;
			let call = ctx
				.pool_call(m, pallet_stake_delegation::Call::unbond { model: m, amount })
				.await?;
			ctx.send(&key, "unbond", call).await?;
			let pool = ctx.chain.pool(m).await?;
			ctx.out(json!({"bond": pool.as_ref().map(|p| amt(p.bond))}), String::new);
			Ok(())
		},
		Command::Claim { model } => {
			let m = ctx.model(model).await?;
			let key = ctx.key()?;
			let call = ctx
				.pool_call(m, pallet_stake_delegation::Call::claim_owner_payable { model: m })
				.await?;
			let included = ctx.send(&key, "claim", call).await?;
			let claimed: u128 = included
				.events
				.iter()
				.filter_map(|e| match e {
					numerstake_runtime::RuntimeEvent::StakeDelegation(
						pallet_stake_delegation::Event::OwnerPaid { amount, .. },
					) => Some(*amount),
					_ => None,
				})
				.sum();
			ctx.out(json!({"claimed": amt(claimed)}), || {
				format!("claimed {} NMR", fmt_nmr(claimed))
			});
			Ok(())
		},
		Command::Oracle { what: OracleCmd::Status { operator } } => {
			oracle_status(ctx, operator.as_deref()).await
		},
		Command::Gov { what } => gov::run(ctx, what).await,
	}
}

async fn position_call(
	ctx: &Ctx<'_>,
	model: ModelId,
	label: &str,
	call: pallet_stake_delegation::Call<numerstake_runtime::Runtime>,
) -> Outcome {
	use pallet_stake_delegation::Event as E;
	let key = ctx.key()?;
	let call = ctx.pool_call(model, call).await?;
	let included = ctx.send(&key, label, call).await?;
	let mut what = Vec::new();
	let mut value = json!({});
	for e in &included.events {
		let numerstake_runtime::RuntimeEvent::StakeDelegation(e) = e else { continue };
		match e {
			E::Withdrawn { index, amount, principal, fees_paid, .. } => {
				what.push(format!(
					"withdrew #{index}: {} NMR home (principal {}, fees paid {})",
					fmt_nmr(*amount),
					fmt_nmr(*principal),
					fmt_nmr(*fees_paid)
				));
				value["withdrawn"] = amt(*amount);
			},
			E::ExitRequested { index, last_round, .. } => {
				what.push(format!(
					"#{index} leaves after round {last_round}; withdraw once it is settled"
				));
				value["last_round"] = json!(last_round);
			},
			E::DelegationCancelled { index, refunded, .. } => {
				what.push(format!(
					"#{index} cancelled before its first round: {} NMR refunded",
					fmt_nmr(*refunded)
				));
				value["refunded"] = amt(*refunded);
			},
			E::FeesSettled { index, through, fee_value, .. } => what.push(format!(
				"#{index}: fees settled through round {through}: {} NMR",
				fmt_nmr(*fee_value)
			)),
			E::Recommitted { index, start, end, prepaid, .. } => what.push(format!(
				"#{index} committed for rounds {start}–{end}, prepaid {} NMR",
				fmt_nmr(*prepaid)
			)),
			_ => {},
		}
	}
	let positions = ctx.chain.positions(&key.account()).await?;
	value["positions"] =
		json!(positions.iter().filter(|p| p.model == model).map(position_json).collect::<Vec<_>>());
	ctx.out(value, || what.join("\n"));
	Ok(())
}

async fn models(ctx: &Ctx<'_>, rounds: u32) -> Outcome {
	let chain = &ctx.chain;
	let gov = chain.governance().await?;
	let mut rows = Vec::new();
	let mut t = table(&[
		"model",
		"status",
		"owner",
		"fixed fee",
		"perf. fee",
		"commitments",
		"capacity left",
		"bond cover",
		"rounds (missed)",
		"breaches",
		"versions",
		"griefs",
		&format!("return {rounds} rds"),
	]);
	for id in chain.model_ids().await? {
		let Some(p) = chain.profile(id).await? else { continue };
		let pool = chain.pool(id).await?;
		let left = capacity_left(chain, id, &p).await?;
		let history = recent(chain, id, gov.latest_round, rounds).await?;
		let sum: i64 = history.iter().map(return_ppm).sum();
		let (fixed, perf, commit) = p
			.current_terms
			.as_ref()
			.map(|t| terms_summary(&t.terms))
			.unwrap_or_else(|| ("—".into(), "—".into(), "—".into()));
		t.add_row(vec![
			Cell::new(format!("{}\n{}", name(&p), id_text(&id))),
			Cell::new(status_text(p.status)),
			Cell::new(short(&p.owner)),
			Cell::new(fixed),
			Cell::new(perf),
			Cell::new(commit),
			right(left.map(fmt_nmr).unwrap_or_else(|| "—".into())),
			right(pool.as_ref().map(bond_cover).unwrap_or_else(|| "—".into())),
			right(format!("{} ({})", p.record.rounds_submitted, p.record.rounds_missed)),
			right(p.record.backing_breaches),
			right(p.versions_total),
			right(p.record.griefs),
			right(ppm_text(sum)),
		]);
		rows.push(json!({
			"model": id_text(&id), "name": name(&p), "status": status_text(p.status), "owner": p.owner.to_ss58check(),
			"terms_version": p.current_terms.as_ref().map(|t| t.version),
			"terms": p.current_terms.as_ref().map(|t| terms_json(&t.terms)),
			"capacity_left": left.map(amt),
			"bond": pool.as_ref().map(|p| amt(p.bond)), "bond_required": pool.as_ref().map(|p| amt(p.bond_required)),
			"record": {
				"rounds_submitted": p.record.rounds_submitted, "rounds_missed": p.record.rounds_missed,
				"backing_breaches": p.record.backing_breaches, "griefs": p.record.griefs, "versions": p.versions_total,
			},
			"return_ppm": sum, "rounds": history.len(),
		}));
	}
	let caps = files::caps_rows(&gov.caps);
	ctx.out(json!({"latest_round": gov.latest_round, "fee_caps": caps.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(), "models": rows}), || {
		let caps = caps.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(" · ");
		format!("{t}\nlatest round {} · fee caps: {caps}", gov.latest_round)
	});
	Ok(())
}

async fn model_show(ctx: &Ctx<'_>, model: &str, rounds: u32) -> Outcome {
	let chain = &ctx.chain;
	let id = ctx.model(model).await?;
	let p = chain
		.profile(id)
		.await?
		.ok_or_else(|| Failure::Error(format!("no model {model} is registered")))?;
	let pool = chain.pool(id).await?;
	let gov = chain.governance().await?;
	let history = recent(chain, id, gov.latest_round, rounds).await?;
	let terms: Vec<_> = p.current_terms.iter().chain(p.upcoming_terms.iter()).collect();
	let value = json!({
		"model": id_text(&id), "name": name(&p), "owner": p.owner.to_ss58check(), "status": status_text(p.status),
		"deposit": amt(p.deposit),
		"terms": terms.iter().map(|t| json!({"version": t.version, "effective_round": t.effective_round, "published_round": t.published_round, "terms": terms_json(&t.terms), "current": p.current_terms.as_ref().is_some_and(|c| c.version == t.version)})).collect::<Vec<_>>(),
		"versions": p.versions.iter().map(|v| json!({"artefact_hash": format!("{:?}", v.artefact_hash), "effective_round": v.effective_round, "announced_round": v.announced_round, "note": String::from_utf8_lossy(&v.note)})).collect::<Vec<_>>(),
		"versions_total": p.versions_total,
		"consistency_bond": p.consistency_bond.as_ref().map(|b| json!({"amount": amt(b.amount), "ratio_percent": b.ratio_percent})),
		"record": {
			"rounds_submitted": p.record.rounds_submitted, "rounds_missed": p.record.rounds_missed, "last_round": p.record.last_round,
			"backing_breaches": p.record.backing_breaches, "last_backing_breach": p.record.last_backing_breach,
			"griefs": p.record.griefs, "grief_burned_bond": amt(p.record.grief_burned_bond), "grief_burned_by_delegators": amt(p.record.grief_burned_by_delegators),
		},
		"pool": pool.as_ref().map(|pl| json!({
			"account": pl.account.to_ss58check(), "price": pl.price.to_string(), "shares": pl.shares.to_string(), "owner_shares": pl.owner_shares.to_string(),
			"requirement_next": amt(pl.requirement_next), "queued": amt(pl.queued), "exit_pot": amt(pl.exit_pot), "bond": amt(pl.bond),
			"bond_required": amt(pl.bond_required), "debt": amt(pl.debt), "owner_payable": amt(pl.owner_payable),
			"last_finalised": pl.last_finalised, "next_period_end": pl.next_period_end, "delegations": pl.delegations, "epoch": pl.epoch,
		})),
		"rounds": history.iter().map(round_json).collect::<Vec<_>>(),
	});
	ctx.out(value, || {
		let mut s = format!("{} ({}) — {}, owner {}\n", name(&p), id_text(&id), status_text(p.status), p.owner.to_ss58check());
		for t in &terms {
			let (fixed, perf, commit) = terms_summary(&t.terms);
			let when = if p.current_terms.as_ref().is_some_and(|c| c.version == t.version) { "in force" } else { "upcoming" };
			s += &format!(
				"terms v{} ({when}, from round {}): capacity {} NMR, {}–{} NMR per delegation; fixed {fixed}; performance {perf}; {commit}{}\n",
				t.version, t.effective_round, fmt_nmr(t.terms.capacity), fmt_nmr(t.terms.min_delegation), fmt_nmr(t.terms.max_delegation),
				t.terms.document.as_ref().map(|d| format!("; document {} ({:?})", String::from_utf8_lossy(&d.uri), d.hash)).unwrap_or_default(),
			);
		}
		for v in &p.versions {
			s += &format!("version {:?} from round {} (announced {}) {}\n", v.artefact_hash, v.effective_round, v.announced_round, String::from_utf8_lossy(&v.note));
		}
		s += &format!(
			"record: {} rounds submitted, {} missed, {} backing breaches{}, {} griefs (bond burned {} NMR)\n",
			p.record.rounds_submitted, p.record.rounds_missed, p.record.backing_breaches,
			p.record.last_backing_breach.map(|r| format!(" (last in round {r})")).unwrap_or_default(),
			p.record.griefs, fmt_nmr(p.record.grief_burned_bond)
		);
		if let Some(pl) = &pool {
			s += &format!(
				"pool: price {}, {} delegations, bond {} NMR of {} required ({}), owner must stake {} NMR next round, owed to owner {} NMR, debt {} NMR\n",
				fmt_price(pl.price), pl.delegations, fmt_nmr(pl.bond), fmt_nmr(pl.bond_required), bond_cover(pl), fmt_nmr(pl.requirement_next), fmt_nmr(pl.owner_payable), fmt_nmr(pl.debt)
			);
		}
		let mut t = table(&["round", "submitted", "at risk", "payout", "return"]);
		for r in &history {
			t.add_row(vec![right(r.round), Cell::new(if r.submitted { "yes" } else { "no" }), right(fmt_nmr(r.at_risk)), right(fmt_signed(r.payout)), right(ppm_text(return_ppm(r)))]);
		}
		s + &t.to_string()
	});
	Ok(())
}

/// An 18-decimal share price as text ("1.0234…").
pub fn fmt_price(price: u128) -> String {
	let s = fmt_nmr(price);
	if s.len() > 10 {
		s[..10].to_string()
	} else {
		s
	}
}

/// A position for JSON.
pub fn position_json(p: &PositionView) -> Value {
	json!({
		"model": id_text(&p.model), "index": p.index, "stage": stage_text(p.stage), "principal": amt(p.principal),
		"prepaid": amt(p.prepaid), "first_round": p.first_round, "shares": p.shares.to_string(), "value": amt(p.value),
		"fees_paid": amt(p.fees_paid), "result": samt(p.result), "locked_until": p.locked_until, "release_round": p.release_round,
		"high_water_mark": p.high_water_mark.to_string(), "terms_version": p.terms_version,
	})
}

async fn who(ctx: &Ctx<'_>, who: Option<&str>) -> Outcome<AccountId> {
	match who {
		Some(w) => account(w),
		None => Ok(ctx.key()?.account()),
	}
}

async fn portfolio(ctx: &Ctx<'_>, who_text: Option<&str>) -> Outcome {
	let who = who(ctx, who_text).await?;
	let positions = ctx.chain.positions(&who).await?;
	let mut names = BTreeMap::new();
	for p in &positions {
		if let std::collections::btree_map::Entry::Vacant(e) = names.entry(p.model) {
			e.insert(ctx.chain.profile(p.model).await?.map(|p| name(&p)).unwrap_or_default());
		}
	}
	let (principal, value, fees): (u128, u128, u128) = positions
		.iter()
		.fold((0, 0, 0), |a, p| (a.0 + p.principal, a.1 + p.value, a.2 + p.fees_paid));
	let result: i128 = positions.iter().map(|p| p.result).sum();
	let free = ctx.chain.account_data(&who).await?.free;
	let value_json = json!({
		"account": who.to_ss58check(), "free": amt(free),
		"positions": positions.iter().map(|p| { let mut v = position_json(p); v["name"] = json!(names.get(&p.model)); v }).collect::<Vec<_>>(),
		"totals": {"principal": amt(principal), "value": amt(value), "result": samt(result), "fees_paid": amt(fees)},
	});
	ctx.out(value_json, || {
		if positions.is_empty() {
			return format!("{} — {} NMR free, no positions", who.to_ss58check(), fmt_nmr(free));
		}
		let mut t = table(&[
			"model",
			"#",
			"stage",
			"principal",
			"value",
			"shares",
			"result",
			"fees paid",
			"locked until",
			"release round",
		]);
		for p in &positions {
			t.add_row(vec![
				Cell::new(names.get(&p.model).cloned().unwrap_or_default()),
				right(p.index),
				Cell::new(stage_text(p.stage)),
				right(fmt_nmr(p.principal)),
				right(fmt_nmr(p.value)),
				right(fmt_nmr(p.shares)),
				right(fmt_signed(p.result)),
				right(fmt_nmr(p.fees_paid)),
				right(p.locked_until.map(|r| r.to_string()).unwrap_or_else(|| "—".into())),
				right(p.release_round.map(|r| r.to_string()).unwrap_or_else(|| "—".into())),
			]);
		}
		t.add_row(vec![
			Cell::new("total"),
			Cell::new(""),
			Cell::new(""),
			right(fmt_nmr(principal)),
			right(fmt_nmr(value)),
			Cell::new(""),
			right(fmt_signed(result)),
			right(fmt_nmr(fees)),
			Cell::new(""),
			Cell::new(""),
		]);
		format!("{} — {} NMR free\n{t}", who.to_ss58check(), fmt_nmr(free))
	});
	Ok(())
}

async fn balance(ctx: &Ctx<'_>, accounts: &[String]) -> Outcome {
	let mut list = Vec::new();
	if accounts.is_empty() {
		list.push(ctx.key()?.account());
	}
	for a in accounts {
		list.push(account(a)?);
	}
	let mut rows = Vec::new();
	for a in &list {
		rows.push((a.to_ss58check(), ctx.chain.account_data(a).await?));
	}
	let issuance = ctx.chain.total_issuance().await?;
	ctx.out(
		json!({"total_issuance": amt(issuance), "accounts": rows.iter().map(|(a, d)| json!({"account": a, "free": amt(d.free), "reserved": amt(d.reserved)})).collect::<Vec<_>>()}),
		|| {
			let mut t = table(&["account", "free", "held"]);
			for (a, d) in &rows {
				t.add_row(vec![Cell::new(a), right(fmt_nmr(d.free)), right(fmt_nmr(d.reserved))]);
			}
			format!("{t}\ntotal issuance {} NMR", fmt_nmr(issuance))
		},
	);
	Ok(())
}

async fn transfer(ctx: &Ctx<'_>, to: &str, amount: &str) -> Outcome {
	let key = ctx.key()?;
	let dest = account(to)?;
	let value = nmr(amount)?;
	let call = RuntimeCall::Balances(polkadot_sdk::pallet_balances::Call::transfer_keep_alive {
		dest: dest.clone().into(),
		value,
	});
	ctx.send(&key, "transfer", call).await?;
	ctx.out(json!({"to": dest.to_ss58check(), "amount": amt(value)}), || {
		format!("sent {} NMR to {}", fmt_nmr(value), dest.to_ss58check())
	});
	Ok(())
}

async fn quote(ctx: &Ctx<'_>, model: &str, amount: &str, term: u32, send: bool) -> Outcome {
	let id = ctx.model(model).await?;
	let principal = nmr(amount)?;
	let profile = ctx
		.chain
		.profile(id)
		.await?
		.ok_or_else(|| Failure::Error(format!("no model {model} is registered")))?;
	let q = ctx.chain.quote(id, principal, term).await?.ok_or_else(|| {
		Failure::Refused(format!(
			"{} has no terms in force: nothing to delegate to",
			name(&profile)
		))
	})?;
	// The version the chain will check (the latest published, which may not be in force yet)
	// and its document: what the staker consents to.
	let terms = profile
		.current_terms
		.iter()
		.chain(profile.upcoming_terms.iter())
		.find(|t| t.version == q.terms_version);
	let Some(terms) = terms else {
		return Err(Failure::Error(format!(
			"terms version {} is not in the model's profile; try again",
			q.terms_version
		)));
	};
	let document = terms.terms.document.clone();
	let value = json!({
		"model": id_text(&id), "name": name(&profile), "principal": amt(principal), "term_rounds": term,
		"terms_version": q.terms_version, "document": document.as_ref().map(|d| json!({"hash": format!("{:?}", d.hash), "uri": String::from_utf8_lossy(&d.uri)})),
		"first_round": q.first_round, "fixed_fee_per_round": amt(q.fixed_fee_per_round), "performance_fee_ppm": q.performance_fee.deconstruct(),
		"discount_ppm": q.discount.deconstruct(), "prepaid": amt(q.prepaid), "total_cost": amt(q.total_cost), "capacity_left": amt(q.capacity_left),
		"refusal": q.refusal.as_ref().map(|r| String::from_utf8_lossy(r).into_owned()),
	});
	let text = format!(
		"{} NMR to {} for {}: first round {}, fixed fee {} NMR per round, performance fee {} of profit (discount {}), prepaid now {} NMR, {} NMR in all; capacity left {} NMR.\nTerms version {}{}.",
		fmt_nmr(principal), name(&profile),
		if term == 0 { "rolling (exit any time)".to_string() } else { format!("{term} rounds (locked)") },
		q.first_round, fmt_nmr(q.fixed_fee_per_round), fmt_percent(q.performance_fee.deconstruct() as u64, 1_000_000),
		fmt_percent(q.discount.deconstruct() as u64, 1_000_000), fmt_nmr(q.prepaid), fmt_nmr(q.total_cost), fmt_nmr(q.capacity_left),
		q.terms_version,
		document.as_ref().map(|d| format!(", terms document {} with hash {:?}", String::from_utf8_lossy(&d.uri), d.hash)).unwrap_or_else(|| ", no terms document".into()),
	);
	if let Some(r) = &q.refusal {
		let why = String::from_utf8_lossy(r).into_owned();
		if send {
			return Err(Failure::Refused(format!("the chain would refuse this delegation: {why}")));
		}
		ctx.out(value, || format!("{text}\nThe chain would refuse it: {why}"));
		return Ok(());
	}
	if !send {
		ctx.out(value, || text);
		return Ok(());
	}
	if ctx.cli.json {
		eprintln!("{text}");
	} else {
		println!("{text}");
	}
	ctx.confirm("Delegate on these terms?")?;
	let key = ctx.key()?;
	let call = ctx
		.pool_call(
			id,
			pallet_stake_delegation::Call::delegate {
				model: id,
				principal,
				term_rounds: term,
				terms_version: q.terms_version,
				document_hash: document.map(|d| d.hash),
			},
		)
		.await?;
	ctx.send(&key, "delegate", call).await?;
	let positions = ctx.chain.positions(&key.account()).await?;
	let mine = positions.iter().filter(|p| p.model == id).max_by_key(|p| p.index);
	ctx.out(json!({"quote": value, "position": mine.map(position_json)}), || {
		mine.map(|p| {
			format!(
				"position #{} in {}: {} NMR, exposed from round {}",
				p.index,
				name(&profile),
				fmt_nmr(p.principal),
				p.first_round
			)
		})
		.unwrap_or_default()
	});
	Ok(())
}

async fn challenge(ctx: &Ctx<'_>, model: &str, no_wait: bool, timeout: u64) -> Outcome {
	let id = ModelId::parse(model.as_bytes()).map_err(|e| {
		Failure::Error(format!("`{model}` is not a Numerai model id (UUID): {e:?}"))
	})?;
	let key = ctx.key()?;
	let text: Vec<u8> =
		ctx.chain.api("ModelRegistryApi_ownership_challenge", (id, key.account())).await?;
	let text = String::from_utf8_lossy(&text).into_owned();
	if !ctx.cli.json {
		println!("Put this line in the model's public Numerai profile (its bio):\n\n    {text}\n");
	}
	if no_wait {
		ctx.out(json!({"model": id_text(&id), "challenge": text}), String::new);
		return Ok(());
	}
	let bar = if ctx.chain.progress {
		indicatif::ProgressBar::new_spinner()
	} else {
		indicatif::ProgressBar::hidden()
	};
	bar.enable_steady_tick(Duration::from_millis(120));
	let start = std::time::Instant::now();
	loop {
		let profile = ctx.chain.profile(id).await?;
		match &profile {
			Some(p) if p.status.is_verified() && p.owner == key.account() => {
				bar.finish_and_clear();
				ctx.out(json!({"model": id_text(&id), "challenge": text, "verified": true, "status": status_text(p.status)}), || {
					format!("✓ the oracle attested: {} is yours. Next: `numerstake terms set {} TERMS.toml`", name(p), id_text(&id))
				});
				return Ok(());
			},
			Some(p) if p.owner != key.account() => {
				bar.finish_and_clear();
				return Err(Failure::Refused(format!(
					"{} is claimed by {}, not by this key",
					id_text(&id),
					p.owner.to_ss58check()
				)));
			},
			None => {
				bar.finish_and_clear();
				return Err(Failure::Refused(format!("there is no claim on {}: `numerstake register` first (or the claim lapsed or was refuted)", id_text(&id))));
			},
			_ => {},
		}
		if start.elapsed().as_secs() > timeout {
			bar.finish_and_clear();
			return Err(Failure::Error(format!(
				"the oracle has not attested within {timeout} s; is the challenge in the profile?"
			)));
		}
		let block = ctx.chain.finalised_number().await.unwrap_or_default();
		bar.set_message(format!(
			"waiting for the oracle's operators to see the challenge (finalised block {block})"
		));
		tokio::time::sleep(Duration::from_secs(3)).await;
	}
}

async fn terms_set(ctx: &Ctx<'_>, model: &str, file: &str) -> Outcome {
	let id = ctx.model(model).await?;
	let key = ctx.key()?;
	let text = std::fs::read_to_string(file).map_err(|e| Failure::Error(format!("{file}: {e}")))?;
	let dir = std::path::Path::new(file).parent().unwrap_or(std::path::Path::new("."));
	let (terms, effective_round) = files::read_terms(&text, dir)?;
	// The chain's own rules, before anything is sent.
	let profile = ctx
		.chain
		.profile(id)
		.await?
		.ok_or_else(|| Failure::Error(format!("no model {model} is registered")))?;
	if profile.owner != key.account() {
		return Err(Failure::Refused(format!(
			"{} belongs to {}, not to this key",
			name(&profile),
			profile.owner.to_ss58check()
		)));
	}
	match profile.status {
		ModelStatus::Pending => {
			return Err(Failure::Refused(
				"ModelRegistry::NotVerified — prove ownership first (`numerstake challenge`)"
					.into(),
			))
		},
		ModelStatus::Suspended => {
			return Err(Failure::Refused("ModelRegistry::ModelSuspended".into()))
		},
		ModelStatus::Retiring => {
			return Err(Failure::Refused("ModelRegistry::ModelRetiring".into()))
		},
		_ => {},
	}
	let gov = ctx.chain.governance().await?;
	let previous = profile.upcoming_terms.last().or(profile.current_terms.as_ref());
	if let Err(e) = terms.validate(&gov.caps, previous.map(|p| &p.terms)) {
		return Err(Failure::Refused(format!(
			"the chain would refuse these terms: ModelRegistry::{e:?} (fee caps: {})",
			files::caps_rows(&gov.caps)
				.iter()
				.map(|(k, v)| format!("{k} {v}"))
				.collect::<Vec<_>>()
				.join(", ")
		)));
	}
	let earliest = if previous.is_some() {
		gov.latest_round + gov.caps.min_fee_change_notice
	} else {
		gov.latest_round + 1
	};
	if let Some(r) = effective_round {
		if r < earliest {
			return Err(Failure::Refused(format!("ModelRegistry::EffectiveRoundTooSoon — round {r} is before {earliest}, the earliest these terms may take effect")));
		}
	}
	let (fixed, perf, commit) = terms_summary(&terms);
	if !ctx.cli.json {
		let from = match effective_round {
			Some(r) => format!("from round {r}"),
			None if previous.is_some() => format!(
				"from round {earliest} (the notice of {} rounds)",
				gov.caps.min_fee_change_notice
			),
			None => "from the next round".into(),
		};
		println!(
			"terms for {}: capacity {} NMR, {}–{} NMR per delegation; fixed {fixed}; performance {perf}; {commit}; in force {from}",
			name(&profile), fmt_nmr(terms.capacity), fmt_nmr(terms.min_delegation), fmt_nmr(terms.max_delegation)
		);
	}
	ctx.confirm("Publish these terms?")?;
	let call = RuntimeCall::ModelRegistry(pallet_model_registry::Call::set_terms {
		model: id,
		terms,
		effective_round,
	});
	ctx.send(&key, "terms set", call).await?;
	let after = ctx.chain.profile(id).await?;
	let version = after.as_ref().and_then(|p| {
		p.upcoming_terms.last().or(p.current_terms.as_ref()).map(|t| (t.version, t.effective_round))
	});
	ctx.out(json!({"model": id_text(&id), "version": version.map(|v| v.0), "effective_round": version.map(|v| v.1)}), || {
		version.map(|(v, r)| format!("terms v{v} published, in force from round {r}")).unwrap_or_default()
	});
	Ok(())
}

async fn oracle_status(ctx: &Ctx<'_>, operator: Option<&str>) -> Outcome {
	let status = ctx.chain.oracle_status().await?;
	let pending = ctx.chain.pending().await?;
	let me = match operator {
		Some(o) => Some(account(o)?),
		None => ctx.key().ok().map(|k| k.account()),
	};
	let subject = |s: &PendingSubject| match s {
		PendingSubject::Round(r) => format!("round {r} opening"),
		PendingSubject::Result(m, r) => format!("result of {} in round {r}", id_text(m)),
		PendingSubject::Ownership(m) => format!("ownership of {}", id_text(m)),
		PendingSubject::Profile(m) => format!("profile of {}", id_text(m)),
	};
	let mine = me.as_ref().and_then(|m| status.operators.iter().position(|o| o == m));
	let value = json!({
		"latest_round": status.latest_round, "threshold": status.threshold, "watched": status.watched,
		"operators": status.operators.iter().zip(&status.dissents).map(|(o, d)| json!({"account": o.to_ss58check(), "dissents": d})).collect::<Vec<_>>(),
		"pending_complete": (pending.len() as u32) < pallet_round_oracle_runtime_api::MAX_PENDING_PAGE,
		"pending": pending.iter().map(|p| json!({"subject": subject(&p.subject), "candidates": p.candidates, "conflicted": p.conflicted, "since": p.since, "reporters": p.reporters.iter().map(|r| r.to_ss58check()).collect::<Vec<_>>()})).collect::<Vec<_>>(),
		"conflicts": pending.iter().filter(|p| p.conflicted).count(),
		"operator": me.as_ref().map(|m| json!({"account": m.to_ss58check(), "is_operator": mine.is_some(), "dissents": mine.map(|i| status.dissents[i])})),
	});
	ctx.out(value, || {
		let mut s = format!(
			"latest round {} · {} operators, threshold {} · {} models watched · {}{} pending subjects, {} in conflict\n",
			status.latest_round.map(|r| r.to_string()).unwrap_or_else(|| "none".into()), status.operators.len(), status.threshold,
			status.watched,
			if pending.len() as u32 >= pallet_round_oracle_runtime_api::MAX_PENDING_PAGE { "at least " } else { "" },
			pending.len(), pending.iter().filter(|p| p.conflicted).count()
		);
		let mut t = table(&["operator", "dissents"]);
		for (o, d) in status.operators.iter().zip(&status.dissents) {
			let marker = if me.as_ref() == Some(o) { " (you)" } else { "" };
			t.add_row(vec![Cell::new(format!("{}{marker}", o.to_ss58check())), right(d)]);
		}
		s += &t.to_string();
		if !pending.is_empty() {
			let mut t = table(&["pending", "reports", "distinct", "conflict", "since block"]);
			for p in &pending {
				t.add_row(vec![Cell::new(subject(&p.subject)), right(p.reporters.len()), right(p.candidates), Cell::new(if p.conflicted { "yes" } else { "no" }), right(p.since)]);
			}
			s += &format!("\n{t}");
		}
		if let (Some(m), None) = (&me, mine) {
			s += &format!("\n{} is not an operator", m.to_ss58check());
		}
		s
	});
	Ok(())
}

/// Candidates for a recommendation: every model with a pool and history.
pub struct Universe {
	/// Model ids.
	pub ids: Vec<ModelId>,
	/// Names.
	pub names: Vec<String>,
	/// Candidates (NMR as approximate floats: statistics only).
	pub candidates: Vec<Candidate>,
}

/// Reads the universe of models for `recommend` and `report`.
pub async fn universe(ctx: &Ctx<'_>, who: Option<&AccountId>, rounds: u32) -> Outcome<Universe> {
	let chain = &ctx.chain;
	let gov = chain.governance().await?;
	let latest = gov.latest_round;
	let first_round = latest.saturating_sub(rounds.max(1) - 1);
	let positions = match who {
		Some(w) => chain.positions(w).await?,
		None => Vec::new(),
	};
	let total_value = gov.total_value as f64 / NMR as f64;
	let (mut ids, mut names, mut candidates) = (Vec::new(), Vec::new(), Vec::new());
	for id in chain.model_ids().await? {
		let Some(p) = chain.profile(id).await? else { continue };
		let history = recent(chain, id, latest, rounds).await?;
		let mut returns = vec![None; (latest - first_round + 1) as usize];
		for r in &history {
			if r.round >= first_round && r.round <= latest {
				returns[(r.round - first_round) as usize] = Some(return_ppm(r) as f64 / 1e6);
			}
		}
		let held: u128 = positions
			.iter()
			.filter(|x| {
				x.model == id
					&& !matches!(
						x.stage,
						PositionStage::Exiting { .. } | PositionStage::Withdrawable
					)
			})
			.map(|x| x.value.max(x.principal * (x.stage != PositionStage::Active) as u128))
			.sum();
		let pool = chain.pool(id).await?;
		// The chain's own quote for the smallest delegation: if it would refuse even that
		// (bond, watch, concentration), the model has no room.
		let quote_min = match &p.current_terms {
			Some(t) => chain.quote(id, t.terms.min_delegation, 0).await?,
			None => None,
		};
		let (room, min) = match (&p.current_terms, p.status.accepts_delegations(), &quote_min) {
			(Some(t), true, Some(q)) if q.refusal.is_none() => {
				let left = q.capacity_left.min(t.terms.max_delegation);
				// The concentration cap, once it applies.
				let cap = if gov.total_value >= gov.protocol.caps_from_total {
					let model_value = pool
						.as_ref()
						.map(|pl| {
							pallet_stake_delegation::maths::value_of(pl.shares, pl.price)
								.unwrap_or(0) + pl.queued
						})
						.unwrap_or(0);
					(gov.protocol.model_cap * gov.total_value).saturating_sub(model_value)
				} else {
					u128::MAX
				};
				(left.min(cap) as f64 / NMR as f64, t.terms.min_delegation as f64 / NMR as f64)
			},
			_ => (0.0, 0.0),
		};
		let market = pool
			.as_ref()
			.map(|pl| pallet_stake_delegation::maths::value_of(pl.shares, pl.price).unwrap_or(0))
			.unwrap_or(0) as f64
			/ NMR as f64;
		if history.is_empty() && held == 0 && room == 0.0 {
			continue;
		}
		ids.push(id);
		names.push(name(&p));
		candidates.push(Candidate {
			returns,
			held: held as f64 / NMR as f64,
			room,
			min,
			market_weight: if total_value > 0.0 { market } else { 1.0 },
		});
	}
	Ok(Universe { ids, names, candidates })
}

/// The recommendation with its reasons.
pub struct Advice {
	/// The allocation.
	pub allocation: recommend::Allocation,
	/// The estimates.
	pub estimates: recommend::Estimates,
	/// Per pick: (index, planck to add, reason).
	pub picks: Vec<(usize, u128, String)>,
	/// Summary lines.
	pub summary: Vec<String>,
}

/// Runs the recommendation maths on `u`.
pub fn advise(u: &Universe, budget: u128, risk: Risk) -> Advice {
	let returns: Vec<Vec<Option<f64>>> = u.candidates.iter().map(|c| c.returns.clone()).collect();
	let estimates = recommend::estimate(&returns, 20.0);
	let allocation =
		recommend::allocate(&estimates, &u.candidates, budget as f64 / NMR as f64, risk);
	let mut picks = Vec::new();
	let mut order: Vec<usize> = (0..u.ids.len()).filter(|i| allocation.add[*i] > 0.0).collect();
	order.sort_by(|a, b| allocation.add[*b].total_cmp(&allocation.add[*a]));
	let mut placed = 0u128;
	for i in order {
		// Whole hundredths of NMR, never above the budget.
		let planck = ((allocation.add[i] * 100.0).floor() as u128)
			.saturating_mul(NMR / 100)
			.min(budget - placed);
		if planck == 0 {
			continue;
		}
		placed += planck;
		let c = &u.candidates[i];
		let mut reason = format!(
			"expected {} per round (shrunk from {} over {} rounds), volatility {:.2}%",
			ppm_text((estimates.mean[i] * 1e6).round() as i64),
			ppm_text((estimates.raw_mean[i] * 1e6).round() as i64),
			estimates.observed[i],
			estimates.cov(i, i).sqrt() * 100.0
		);
		if let Some(rho) = recommend::correlation_to_holdings(&estimates, &u.candidates, i) {
			reason += &format!(", correlation {rho:+.2} with what you hold");
		}
		if (allocation.add[i] - c.room).abs() < 1e-6 {
			reason += ", limited by the room it has left (capacity, per-delegation maximum or concentration cap)";
		}
		picks.push((i, planck, reason));
	}
	let mut summary = vec![format!(
		"portfolio after: expected {} per round, volatility {:.2}% per round",
		ppm_text((allocation.expected_return * 1e6).round() as i64),
		allocation.volatility * 100.0
	)];
	match (allocation.correlation_to_rest_before, allocation.correlation_to_rest) {
		(Some(b), Some(a)) => summary.push(format!(
			"correlation with the rest of the chain's stake: {b:+.2} now, {a:+.2} after"
		)),
		(None, Some(a)) => summary
			.push(format!("expected correlation with the rest of the chain's stake: {a:+.2}")),
		_ => summary.push("no other stake on the chain to compare with".into()),
	}
	summary.push(format!(
		"estimates: means shrunk toward the average with a prior worth 20 rounds; covariance shrunk {:.0}% toward a constant correlation of {:+.2}",
		estimates.intensity * 100.0,
		estimates.prior_correlation
	));
	if placed < budget {
		summary.push(format!(
			"{} NMR of the budget left unplaced: not enough room in models worth holding",
			fmt_nmr(budget - placed)
		));
	}
	Advice { allocation, estimates, picks, summary }
}

async fn recommend_cmd(
	ctx: &Ctx<'_>,
	budget: &str,
	risk: &str,
	rounds: u32,
	who_text: Option<&str>,
) -> Outcome {
	let budget = nmr(budget)?;
	let risk = Risk::parse(risk)?;
	let who = match who_text {
		Some(w) => Some(account(w)?),
		None => ctx.key().ok().map(|k| k.account()),
	};
	let u = universe(ctx, who.as_ref(), rounds).await?;
	let mut advice = advise(&u, budget, risk);
	// Each pick as the chain would take it now.
	for (i, planck, reason) in advice.picks.iter_mut() {
		if let Some(q) = ctx.chain.quote(u.ids[*i], *planck, 0).await? {
			if let Some(r) = q.refusal {
				reason.push_str(&format!(
					"; but the chain would refuse this amount now: {}",
					String::from_utf8_lossy(&r)
				));
			}
		}
	}
	let value = json!({
		"budget": amt(budget), "risk": risk_text(risk),
		"picks": advice.picks.iter().map(|(i, planck, reason)| json!({"model": id_text(&u.ids[*i]), "name": u.names[*i], "amount": amt(*planck), "reason": reason})).collect::<Vec<_>>(),
		"expected_return_per_round": advice.allocation.expected_return, "volatility_per_round": advice.allocation.volatility,
		"correlation_to_rest": advice.allocation.correlation_to_rest, "correlation_to_rest_before": advice.allocation.correlation_to_rest_before,
		"summary": advice.summary,
	});
	ctx.out(value, || {
		let mut s = String::new();
		if advice.picks.is_empty() {
			s += "No allocation to propose: no model with room and history.\n";
		}
		for (i, planck, reason) in &advice.picks {
			s += &format!(
				"• {} NMR to {} ({}): {reason}\n  numerstake delegate {} {}\n",
				fmt_nmr(*planck),
				u.names[*i],
				id_text(&u.ids[*i]),
				id_text(&u.ids[*i]),
				plain_nmr(*planck)
			);
		}
		s + &advice.summary.join("\n")
	});
	Ok(())
}

fn risk_text(r: Risk) -> &'static str {
	match r {
		Risk::Low => "low",
		Risk::Medium => "medium",
		Risk::High => "high",
	}
}

async fn report_cmd(ctx: &Ctx<'_>, out: &str, who_text: Option<&str>, budget: &str) -> Outcome {
	let who = who(ctx, who_text).await?;
	let budget = nmr(budget)?;
	let positions = ctx.chain.positions(&who).await?;
	let gov = ctx.chain.governance().await?;
	let u = universe(ctx, Some(&who), 300).await?;
	let advice = advise(&u, budget, Risk::Medium);
	let mut data = report::ReportData {
		title: format!("numerstake portfolio of {}", who.to_ss58check()),
		subtitle: format!(
			"{} · finalised block {} · latest round {}",
			ctx.chain.url,
			ctx.chain.finalised_number().await?,
			gov.latest_round
		),
		table_header: [
			"model",
			"#",
			"stage",
			"principal",
			"value",
			"result",
			"fees paid",
			"release round",
		]
		.iter()
		.map(|s| s.to_string())
		.collect(),
		..Default::default()
	};
	let mut portfolio: BTreeMap<u32, f64> = BTreeMap::new();
	for p in &positions {
		let name = u
			.ids
			.iter()
			.position(|m| *m == p.model)
			.map(|i| u.names[i].clone())
			.unwrap_or_else(|| id_text(&p.model));
		data.table.push(vec![
			name.clone(),
			p.index.to_string(),
			stage_text(p.stage),
			fmt_nmr(p.principal),
			fmt_nmr(p.value),
			fmt_signed(p.result),
			fmt_nmr(p.fees_paid),
			p.release_round.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
		]);
		let last = match p.stage {
			PositionStage::Exiting { last_round } => last_round.min(gov.latest_round),
			_ => gov.latest_round,
		};
		let history = if p.first_round <= last {
			ctx.chain.history(p.model, p.first_round, last).await?
		} else {
			Vec::new()
		};
		let principal = p.principal as f64 / NMR as f64;
		let mut value = principal;
		let mut points = vec![(p.first_round.saturating_sub(1), 0.0)];
		for r in &history {
			value *= 1.0 + return_ppm(r) as f64 / 1e6;
			points.push((r.round, value - principal));
			*portfolio.entry(r.round).or_default() += 0.0;
		}
		data.positions.push(report::Series { label: format!("{name} #{}", p.index), points });
		data.fees.push((format!("{name} #{}", p.index), p.fees_paid as f64 / NMR as f64));
	}
	// The portfolio: the sum of each position's last known result at every round.
	let rounds: Vec<u32> = portfolio.keys().copied().collect();
	let points: Vec<(u32, f64)> = rounds
		.iter()
		.map(|r| {
			let total = data
				.positions
				.iter()
				.map(|s| {
					s.points.iter().take_while(|(x, _)| x <= r).last().map(|p| p.1).unwrap_or(0.0)
				})
				.sum();
			(*r, total)
		})
		.collect();
	if !points.is_empty() {
		data.portfolio = Some(report::Series { label: "portfolio".into(), points });
	}
	// Heatmap: held and recommended models.
	let mut shown: Vec<(usize, bool)> =
		(0..u.ids.len()).filter(|i| u.candidates[*i].held > 0.0).map(|i| (i, true)).collect();
	for (i, _, _) in &advice.picks {
		if !shown.iter().any(|(j, _)| j == i) {
			shown.push((*i, false));
		}
	}
	data.heat_labels = shown.iter().map(|(i, held)| (u.names[*i].clone(), *held)).collect();
	for (i, _) in &shown {
		for (j, _) in &shown {
			data.heat.push(advice.estimates.correlation(*i, *j));
		}
	}
	data.notes = advice
		.picks
		.iter()
		.map(|(i, planck, reason)| {
			format!("Recommended: {} NMR to {}: {reason}", fmt_nmr(*planck), u.names[*i])
		})
		.chain(advice.summary.iter().cloned())
		.collect();
	let html = report::render(&data)?;
	std::fs::create_dir_all(out).map_err(|e| Failure::Error(format!("{out}: {e}")))?;
	let path = std::path::Path::new(out).join("index.html");
	std::fs::write(&path, html).map_err(|e| Failure::Error(format!("{}: {e}", path.display())))?;
	ctx.out(json!({"report": path.display().to_string()}), || {
		format!("report written to {} (open it in any browser)", path.display())
	});
	Ok(())
}
