//! `numerstake gov …`: council motions that change fee caps and protocol parameters. A motion
//! shows the current and the proposed values side by side and is refused before sending if a
//! value is outside its hard-coded safe range (the pallet's own check, run locally).

use crate::commands::{Ctx, Failure, Outcome};
use clap::Subcommand;
use codec::{Decode, Encode};
use numerstake_cli::files;
use numerstake_runtime::{AccountId, BlockNumber, Runtime, RuntimeCall, RuntimeEvent};
use polkadot_sdk::{
	frame_support::dispatch::GetDispatchInfo,
	pallet_collective,
	sp_core::{crypto::Ss58Codec, H256},
	sp_io::hashing::twox_128,
	sp_runtime::DispatchError,
};
use serde_json::json;

/// `gov …`
#[derive(Subcommand, Debug)]
pub enum GovCmd {
	/// Propose a council motion.
	Propose {
		#[command(subcommand)]
		what: ProposeCmd,
	},
	/// Vote on a motion (aye unless --nay).
	Vote {
		hash: String,
		index: u32,
		#[arg(long)]
		nay: bool,
	},
	/// Close a motion that has enough votes (or whose time is up); it executes if approved.
	Close { hash: String, index: u32 },
	/// Open motions with their votes.
	List,
}

/// `gov propose …`
#[derive(Subcommand, Debug)]
pub enum ProposeCmd {
	/// New fee caps from FILE.toml (fields not named keep their current value).
	FeeCaps { file: String },
	/// New protocol parameters from FILE.toml (fields not named keep their current value).
	Params { file: String },
}

/// `Votes` of pallet-collective, as stored (its fields are private there).
#[derive(Decode, Debug)]
struct Votes {
	index: u32,
	threshold: u32,
	ayes: Vec<AccountId>,
	nays: Vec<AccountId>,
	end: BlockNumber,
}

fn key(item: &str) -> Vec<u8> {
	let mut k = twox_128(b"Council").to_vec();
	k.extend(twox_128(item.as_bytes()));
	k
}

async fn members(ctx: &Ctx<'_>) -> Outcome<Vec<AccountId>> {
	let raw = ctx.chain.storage(key("Members")).await?;
	Ok(raw.map(|b| Vec::<AccountId>::decode(&mut &b[..]).unwrap_or_default()).unwrap_or_default())
}

fn check(result: Result<(), DispatchError>) -> Outcome {
	match result {
		Ok(()) => Ok(()),
		Err(DispatchError::Module(m)) => Err(Failure::Refused(format!(
			"out of its safe range: StakeDelegation::{} — nothing was sent",
			m.message.unwrap_or("error")
		))),
		Err(e) => Err(Failure::Refused(format!("{e:?}"))),
	}
}

/// Runs a `gov` command.
pub async fn run(ctx: &Ctx<'_>, cmd: &GovCmd) -> Outcome {
	match cmd {
		GovCmd::Propose { what } => propose(ctx, what).await,
		GovCmd::Vote { hash, index, nay } => {
			let key = ctx.key()?;
			let proposal = files::parse_h256(hash)?;
			let call = RuntimeCall::Council(pallet_collective::Call::vote {
				proposal,
				index: *index,
				approve: !nay,
			});
			ctx.send(&key, if *nay { "vote nay" } else { "vote aye" }, call).await?;
			ctx.out(json!({"hash": hash, "index": index, "approve": !nay}), || {
				format!("voted {} on motion #{index}", if *nay { "nay" } else { "aye" })
			});
			Ok(())
		},
		GovCmd::Close { hash, index } => {
			let key = ctx.key()?;
			let proposal_hash = files::parse_h256(hash)?;
			let mut k = key_of("ProposalOf", &proposal_hash);
			let raw = ctx
				.chain
				.storage(std::mem::take(&mut k))
				.await?
				.ok_or_else(|| Failure::Refused(format!("no open motion with hash {hash}")))?;
			let proposal = RuntimeCall::decode(&mut &raw[..])
				.map_err(|e| Failure::Error(format!("decoding the motion: {e}")))?;
			let call = RuntimeCall::Council(pallet_collective::Call::close {
				proposal_hash,
				index: *index,
				proposal_weight_bound: proposal.get_dispatch_info().call_weight,
				length_bound: proposal.encoded_size() as u32,
			});
			let included = ctx.send(&key, "close the motion", call).await?;
			let mut outcome = "closed".to_string();
			for e in &included.events {
				match e {
					RuntimeEvent::Council(pallet_collective::Event::Executed {
						result: Ok(()),
						..
					}) => outcome = "approved and executed".into(),
					RuntimeEvent::Council(pallet_collective::Event::Executed {
						result: Err(err),
						..
					}) => {
						return Err(Failure::Refused(format!(
							"approved, but the motion failed when executed: {err:?}"
						)))
					},
					RuntimeEvent::Council(pallet_collective::Event::Disapproved { .. }) => {
						outcome = "disapproved".into()
					},
					_ => {},
				}
			}
			ctx.out(json!({"hash": hash, "index": index, "outcome": outcome}), || {
				format!("motion #{index}: {outcome}")
			});
			Ok(())
		},
		GovCmd::List => list(ctx).await,
	}
}

fn key_of(item: &str, hash: &H256) -> Vec<u8> {
	let mut k = key(item);
	k.extend_from_slice(hash.as_bytes());
	k
}

async fn propose(ctx: &Ctx<'_>, what: &ProposeCmd) -> Outcome {
	let gov = ctx.chain.governance().await?;
	let (proposal, before, after, label) = match what {
		ProposeCmd::FeeCaps { file } => {
			let text = std::fs::read_to_string(file)
				.map_err(|e| Failure::Error(format!("{file}: {e}")))?;
			let caps = files::read_caps(&text, gov.caps)?;
			check(pallet_stake_delegation::Pallet::<Runtime>::check_caps(&caps))?;
			(
				RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::set_fee_caps { caps }),
				files::caps_rows(&gov.caps),
				files::caps_rows(&caps),
				"fee caps",
			)
		},
		ProposeCmd::Params { file } => {
			let text = std::fs::read_to_string(file)
				.map_err(|e| Failure::Error(format!("{file}: {e}")))?;
			let params = files::read_params(&text, gov.protocol)?;
			check(pallet_stake_delegation::Pallet::<Runtime>::check_protocol(&params))?;
			(
				RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::set_protocol_params {
					params,
				}),
				files::params_rows(&gov.protocol),
				files::params_rows(&params),
				"protocol parameters",
			)
		},
	};
	let changes: Vec<_> = before
		.iter()
		.zip(&after)
		.filter(|(b, a)| b.1 != a.1)
		.map(|(b, a)| (b.0, b.1.clone(), a.1.clone()))
		.collect();
	if changes.is_empty() {
		return Err(Failure::Error(format!(
			"the file proposes the {label} already in force: nothing to propose"
		)));
	}
	if !ctx.cli.json {
		let mut t = comfy_table::Table::new();
		t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
		t.set_header(vec!["", "now", "proposed"]);
		for (b, a) in before.iter().zip(&after) {
			let mark = if b.1 != a.1 { "→" } else { "" };
			t.add_row(vec![format!("{} {mark}", b.0), b.1.clone(), a.1.clone()]);
		}
		println!("{label}:\n{t}");
	}
	ctx.confirm("Propose this motion to the council?")?;
	let key = ctx.key()?;
	let members = members(ctx).await?;
	if !members.contains(&key.account()) {
		return Err(Failure::Refused(format!(
			"{} is not a council member (Council::NotMember)",
			key.account().to_ss58check()
		)));
	}
	let threshold = members.len() as u32 / 2 + 1;
	let length_bound = proposal.encoded_size() as u32;
	let call = RuntimeCall::Council(pallet_collective::Call::propose {
		threshold,
		proposal: Box::new(proposal),
		length_bound,
	});
	let included = ctx.send(&key, "propose", call).await?;
	let mut found = None;
	for e in &included.events {
		match e {
			RuntimeEvent::Council(pallet_collective::Event::Proposed {
				proposal_index,
				proposal_hash,
				threshold,
				..
			}) => found = Some((*proposal_index, *proposal_hash, *threshold, false)),
			RuntimeEvent::Council(pallet_collective::Event::Executed { proposal_hash, result }) => {
				if let Err(err) = result {
					return Err(Failure::Refused(format!(
						"the motion executed at once and failed: {err:?}"
					)));
				}
				found = Some((0, *proposal_hash, 1, true));
			},
			_ => {},
		}
	}
	let (index, hash, threshold, executed) =
		found.ok_or_else(|| Failure::Error("no Proposed event".into()))?;
	ctx.out(
		json!({"index": index, "hash": format!("{hash:?}"), "threshold": threshold, "executed": executed,
			"changes": changes.iter().map(|(k, b, a)| json!({"field": k, "now": b, "proposed": a})).collect::<Vec<_>>()}),
		|| if executed {
			"executed at once (a council of one)".into()
		} else {
			format!("motion #{index} {hash:?}: needs {threshold} ayes of {} members.\n  numerstake gov vote {hash:?} {index}\n  numerstake gov close {hash:?} {index}", members.len())
		},
	);
	Ok(())
}

async fn list(ctx: &Ctx<'_>) -> Outcome {
	let raw = ctx.chain.storage(key("Proposals")).await?;
	let hashes =
		raw.map(|b| Vec::<H256>::decode(&mut &b[..]).unwrap_or_default()).unwrap_or_default();
	let mut rows = Vec::new();
	for h in &hashes {
		let call = ctx
			.chain
			.storage(key_of("ProposalOf", h))
			.await?
			.and_then(|b| RuntimeCall::decode(&mut &b[..]).ok());
		let votes = ctx
			.chain
			.storage(key_of("Voting", h))
			.await?
			.and_then(|b| Votes::decode(&mut &b[..]).ok());
		rows.push((h, call, votes));
	}
	ctx.out(
		json!(rows
			.iter()
			.map(|(h, c, v)| json!({
				"hash": format!("{h:?}"), "call": c.as_ref().map(|c| format!("{c:?}")),
				"index": v.as_ref().map(|v| v.index), "threshold": v.as_ref().map(|v| v.threshold),
				"ayes": v.as_ref().map(|v| v.ayes.iter().map(|a| a.to_ss58check()).collect::<Vec<_>>()),
				"nays": v.as_ref().map(|v| v.nays.iter().map(|a| a.to_ss58check()).collect::<Vec<_>>()),
				"end": v.as_ref().map(|v| v.end),
			}))
			.collect::<Vec<_>>()),
		|| {
			if rows.is_empty() {
				return "no open motions".into();
			}
			rows.iter()
				.map(|(h, c, v)| match v {
					Some(v) => format!(
						"#{} {h:?}: {} ayes / {} nays of {} needed, ends at block {}\n  {}",
						v.index,
						v.ayes.len(),
						v.nays.len(),
						v.threshold,
						v.end,
						c.as_ref().map(|c| format!("{c:?}")).unwrap_or_default()
					),
					None => format!("{h:?}"),
				})
				.collect::<Vec<_>>()
				.join("\n")
		},
	);
	Ok(())
}
