//! The relayer's work, one step at a time: read the chain's bridge state, scan the contract's
//! `Deposited` events in finalised Ethereum blocks, vote the next deposit to mint, sign
//! withdrawals and rotations. It reads the chain at its finalised head only (a withdrawal on a
//! fork that loses is never signed), and it recomputes every digest it signs from the contract
//! it was told to watch. It trusts the numerstake node it talks to for the chain's finalised
//! state: run it against a node you control.
//!
//! Progress survives restarts in a state file (JSON): the last finalised Ethereum block scanned
//! and the deposits seen there but not yet minted on the chain. It is written (atomically)
//! before anything is voted, so that a restart neither skips a deposit nor votes twice (a second
//! vote of the same deposit is stale on chain anyway).

use crate::{
	chain::{map_key, Chain},
	contract::{self, NmrBridge, Signer},
	eth::{Block, Eth},
};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent};
use codec::Encode;
use numerstake_runtime::{AccountId, RuntimeCall};
use pallet_nmr_bridge::{
	api::{RotationProof, UnsignedWithdrawal},
	BridgeStatus, Deposit, EthereumContract,
};
use polkadot_sdk::{
	frame_support::BoundedVec,
	sp_core::{crypto::Ss58Codec, H160, H256},
};
use serde_json::{json, Value};
use std::{
	collections::{BTreeMap, HashMap},
	path::PathBuf,
	time::{Duration, Instant},
};

/// Blocks per `eth_getLogs` request.
const LOG_CHUNK: u64 = 2_000;
/// How long a submitted transaction is given before the relayer submits it again.
const RESUBMIT_AFTER: Duration = Duration::from_secs(30);
/// Most signatures per `submit_signatures` (the runtime's `MaxSignaturesPerCall`).
const SIGNATURES_PER_CALL: usize = 32;
/// Unsigned withdrawals read per runtime API call, and most signed per step.
const WITHDRAWALS_PER_PAGE: u32 = 256;
const MAX_SIGNATURES_PER_STEP: usize = 1_024;

/// What the relayer watches and where it keeps its progress.
#[derive(Clone, Debug)]
pub struct Config {
	/// The Ethereum node's JSON-RPC URL.
	pub eth_url: String,
	/// The numerstake node's JSON-RPC URL.
	pub chain_url: String,
	/// The lock contract.
	pub contract: Address,
	/// The first Ethereum block to scan when there is no state file yet (the contract's
	/// deployment block).
	pub from_block: u64,
	/// The state file.
	pub state: PathBuf,
}

/// A deposit seen in a finalised block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
	pub tx_hash: B256,
	pub log_index: u64,
	pub block: u64,
	pub recipient: B256,
	pub amount: U256,
}

/// Progress kept across restarts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
	pub chain_id: u64,
	pub contract: Address,
	/// The last finalised block whose logs were read.
	pub scanned_to: u64,
	/// Deposits seen and not yet minted, by nonce.
	pub seen: BTreeMap<u64, Seen>,
	/// The block of the last deposit known minted: where a rescan starts.
	pub floor: u64,
}

impl State {
	fn to_json(&self) -> Value {
		let seen: serde_json::Map<String, Value> = self
			.seen
			.iter()
			.map(|(n, s)| {
				(
					n.to_string(),
					json!({"tx": s.tx_hash.to_string(), "log": s.log_index, "block": s.block,
						"recipient": s.recipient.to_string(), "amount": s.amount.to_string()}),
				)
			})
			.collect();
		json!({"chain_id": self.chain_id, "contract": self.contract.to_string(),
			"scanned_to": self.scanned_to, "floor": self.floor, "seen": seen})
	}

	fn from_json(v: &Value) -> Result<Self, String> {
		let bad = |what: &str| format!("state file: bad {what}");
		let mut seen = BTreeMap::new();
		for (n, s) in v["seen"].as_object().ok_or_else(|| bad("seen"))? {
			let word =
				|k: &str| s[k].as_str().and_then(|t| t.parse::<B256>().ok()).ok_or_else(|| bad(k));
			seen.insert(
				n.parse::<u64>().map_err(|_| bad("nonce"))?,
				Seen {
					tx_hash: word("tx")?,
					log_index: s["log"].as_u64().ok_or_else(|| bad("log"))?,
					block: s["block"].as_u64().ok_or_else(|| bad("block"))?,
					recipient: word("recipient")?,
					amount: s["amount"]
						.as_str()
						.and_then(|t| t.parse::<U256>().ok())
						.ok_or_else(|| bad("amount"))?,
				},
			);
		}
		Ok(State {
			chain_id: v["chain_id"].as_u64().ok_or_else(|| bad("chain_id"))?,
			contract: v["contract"]
				.as_str()
				.and_then(|t| t.parse().ok())
				.ok_or_else(|| bad("contract"))?,
			scanned_to: v["scanned_to"].as_u64().ok_or_else(|| bad("scanned_to"))?,
			floor: v["floor"].as_u64().unwrap_or(0),
			seen,
		})
	}

	/// Loads the state file, or starts before `from_block`.
	pub fn load(cfg: &Config, chain_id: u64) -> Result<Self, String> {
		match std::fs::read(&cfg.state) {
			Ok(bytes) => {
				let v: Value = serde_json::from_slice(&bytes)
					.map_err(|e| format!("state file {}: {e}", cfg.state.display()))?;
				let s = Self::from_json(&v)?;
				if s.chain_id != chain_id || s.contract != cfg.contract {
					return Err(format!(
						"state file {} is for contract {} on chain {}, not {} on chain {chain_id}",
						cfg.state.display(),
						s.contract,
						s.chain_id,
						cfg.contract
					));
				}
				Ok(s)
			},
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State {
				chain_id,
				contract: cfg.contract,
				scanned_to: cfg.from_block.saturating_sub(1),
				seen: BTreeMap::new(),
				floor: cfg.from_block,
			}),
			Err(e) => Err(format!("state file {}: {e}", cfg.state.display())),
		}
	}

	/// Writes the state file atomically (a temporary file renamed over it).
	pub fn save(&self, path: &PathBuf) -> Result<(), String> {
		let tmp = path.with_extension("tmp");
		let text = serde_json::to_vec_pretty(&self.to_json()).map_err(|e| e.to_string())?;
		let write = || -> std::io::Result<()> {
			use std::io::Write;
			let mut f = std::fs::File::create(&tmp)?;
			f.write_all(&text)?;
			f.sync_all()?;
			std::fs::rename(&tmp, path)
		};
		write().map_err(|e| format!("state file {}: {e}", path.display()))
	}
}

/// Prints a line for the operator, with the UTC time of day.
pub fn say(text: impl AsRef<str>) {
	let secs = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or(0)
		% 86_400;
	let (h, m, s) = (secs / 3_600, secs / 60 % 60, secs % 60);
	eprintln!("{h:02}:{m:02}:{s:02} relayer: {}", text.as_ref());
}

fn nmr(amount: u128) -> String {
	let whole = amount / 1_000_000_000_000_000_000;
	let frac = amount % 1_000_000_000_000_000_000;
	if frac == 0 {
		format!("{whole} NMR")
	} else {
		let f = format!("{frac:018}");
		format!("{whole}.{} NMR", f.trim_end_matches('0'))
	}
}

/// One relayer.
pub struct Relayer {
	cfg: Config,
	eth: Eth,
	chain: Chain,
	account: AccountId,
	key: Signer,
	chain_id: u64,
	state: State,
	submitted: HashMap<String, Instant>,
	last_said: HashMap<&'static str, String>,
}

impl Relayer {
	/// Connects to both sides and loads the state. `account` signs transactions on the chain;
	/// `key` signs releases (its Ethereum address must be the one registered for `account`).
	pub async fn new(
		cfg: Config,
		account: polkadot_sdk::sp_core::sr25519::Pair,
		key: Signer,
	) -> Result<Self, String> {
		let eth = Eth::connect(&cfg.eth_url).map_err(|e| e.to_string())?;
		let me: AccountId = polkadot_sdk::sp_core::Pair::public(&account).into();
		let chain = Chain::connect(&cfg.chain_url, Some(account))?;
		let chain_id = eth.chain_id().await.map_err(|e| e.to_string())?;
		let state = State::load(&cfg, chain_id)?;
		Ok(Relayer {
			cfg,
			eth,
			chain,
			account: me,
			key,
			chain_id,
			state,
			submitted: HashMap::new(),
			last_said: HashMap::new(),
		})
	}

	/// Says `text` unless it is what was last said about `topic`.
	fn tell(&mut self, topic: &'static str, text: String) {
		if self.last_said.get(topic) != Some(&text) {
			say(&text);
			self.last_said.insert(topic, text);
		}
	}

	fn due(&mut self, action: String) -> bool {
		match self.submitted.get(&action) {
			Some(at) if at.elapsed() < RESUBMIT_AFTER => false,
			_ => {
				self.submitted.insert(action, Instant::now());
				true
			},
		}
	}

	async fn submit(&mut self, what: String, call: RuntimeCall) {
		match self.chain.submit(call).await {
			Ok(hash) => say(format!("{what}: submitted ({hash:?})")),
			Err(e) => say(format!("{what}: the chain refused it: {e}")),
		}
	}

	/// One round of work.
	pub async fn step(&mut self) -> Result<(), String> {
		let at = self.chain.finalized_head().await?;
		let status: BridgeStatus<AccountId, u128, u32> =
			self.chain.call_api_at("NmrBridgeApi_status", &[], Some(at)).await?;
		let expected = EthereumContract {
			chain_id: self.chain_id,
			address: H160::from_slice(self.cfg.contract.as_slice()),
		};
		if status.contract != Some(expected) {
			return Err(format!(
				"the chain trusts contract {:?}; this relayer watches {} on chain {}",
				status.contract, self.cfg.contract, self.chain_id
			));
		}
		let me = self.account.clone();
		let my_eth = H160::from_slice(self.key.address().as_slice());
		// An outgoing relayer signs the rotation even when it is no longer in the set.
		self.sign_rotation(status.set_id, my_eth, at).await?;
		if status.paused {
			self.tell("state", "the bridge is paused on the chain: waiting".into());
			return Ok(());
		}
		match status.relayers.iter().find(|(a, _, _)| *a == me) {
			None => {
				self.tell(
					"state",
					format!(
						"account {} is not a relayer of the current set: waiting",
						me.to_ss58check()
					),
				);
				return Ok(());
			},
			Some((_, eth, _)) if *eth != my_eth => {
				return Err(format!(
					"the chain registers Ethereum address {eth:?} for this account; this key is {my_eth:?}"
				));
			},
			Some(_) => {},
		}
		self.scan().await?;
		let minted = self.state.seen.range(..status.next_deposit).map(|(_, s)| s.block).max();
		if let Some(block) = minted {
			self.state.floor = self.state.floor.max(block);
		}
		self.state.seen.retain(|n, _| *n >= status.next_deposit);
		self.check_gap(status.next_deposit).await?;
		self.vote(&status, at).await?;
		if status.deferred.is_some() && self.due("mint-deferred".into()) {
			self.tell(
				"deferred",
				format!(
					"deposit {:?} waits for the mint limit of the next period",
					status.deferred
				),
			);
			let call = RuntimeCall::NmrBridge(pallet_nmr_bridge::Call::mint_deferred {});
			if let Err(e) = self.chain.submit(call).await {
				self.tell("deferred", format!("deposit still deferred: {e}"));
			}
		}
		self.sign_withdrawals(&status, my_eth, at).await
	}

	/// If the contract (at its finalised block) has made deposit `next` but the relayer has
	/// not seen it (an Ethereum node that answered `eth_getLogs` short), it scans again from
	/// the block of the last deposit it knows was minted.
	async fn check_gap(&mut self, next: u64) -> Result<(), String> {
		if self.state.seen.contains_key(&next) {
			return Ok(());
		}
		let out = self
			.eth
			.call_at(
				self.cfg.contract,
				&NmrBridge::depositNonceCall {}.abi_encode(),
				Block::Finalized,
			)
			.await
			.map_err(|e| e.to_string())?;
		let made =
			NmrBridge::depositNonceCall::abi_decode_returns(&out).map_err(|e| e.to_string())?;
		let floor = self.state.floor.max(self.cfg.from_block);
		if made >= next && self.state.scanned_to >= floor {
			say(format!(
				"the contract has made deposit {next} but no log of it was read: scanning again from block {floor}"
			));
			self.state.scanned_to = floor.saturating_sub(1);
			self.state.save(&self.cfg.state)?;
			self.scan().await?;
		}
		Ok(())
	}

	/// Reads `Deposited` events up to the finalised block.
	async fn scan(&mut self) -> Result<(), String> {
		let finalized = self.eth.block_number(Block::Finalized).await.map_err(|e| e.to_string())?;
		while self.state.scanned_to < finalized {
			let from = self.state.scanned_to + 1;
			let to = finalized.min(from + LOG_CHUNK - 1);
			let logs = self
				.eth
				.logs(self.cfg.contract, NmrBridge::Deposited::SIGNATURE_HASH, from, to)
				.await
				.map_err(|e| e.to_string())?;
			for log in logs {
				let d = NmrBridge::Deposited::decode_raw_log(log.topics.iter().copied(), &log.data)
					.map_err(|e| {
						format!("undecodable Deposited event in block {}: {e}", log.block_number)
					})?;
				say(format!(
					"saw deposit {} in finalised block {} (tx {}): {} for {}",
					d.nonce,
					log.block_number,
					log.transaction_hash,
					u128::try_from(d.amount).map(nmr).unwrap_or_else(|_| d.amount.to_string()),
					AccountId::new(d.recipient.0).to_ss58check()
				));
				self.state.seen.insert(
					d.nonce,
					Seen {
						tx_hash: log.transaction_hash,
						log_index: log.log_index,
						block: log.block_number,
						recipient: d.recipient,
						amount: d.amount,
					},
				);
			}
			self.state.scanned_to = to;
			self.state.save(&self.cfg.state)?;
		}
		Ok(())
	}

	/// The deposit `nonce` as the chain takes it.
	fn deposit(&self, nonce: u64, s: &Seen) -> Option<Deposit<AccountId, u128>> {
		Some(Deposit {
			chain_id: self.chain_id,
			contract: H160::from_slice(self.cfg.contract.as_slice()),
			tx_hash: H256(s.tx_hash.0),
			log_index: s.log_index,
			nonce,
			recipient: AccountId::new(s.recipient.0),
			amount: u128::try_from(s.amount).ok()?,
		})
	}

	async fn vote(
		&mut self,
		status: &BridgeStatus<AccountId, u128, u32>,
		at: H256,
	) -> Result<(), String> {
		let next = status.next_deposit;
		let Some(seen) = self.state.seen.get(&next).cloned() else {
			self.tell("vote", format!("waiting for deposit {next} in a finalised block"));
			return Ok(());
		};
		if status.deferred.is_some() {
			return Ok(());
		}
		let Some(deposit) = self.deposit(next, &seen) else {
			self.tell(
				"vote",
				format!("deposit {next} is larger than the chain's balances can hold"),
			);
			return Ok(());
		};
		let hash = pallet_nmr_bridge::Pallet::<numerstake_runtime::Runtime>::deposit_hash(&deposit);
		let key = map_key("NmrBridge", "DepositVotes", &self.account.clone());
		let mine = self
			.chain
			.storage(&key, Some(at))
			.await?
			.and_then(|v| <(u64, H256) as codec::Decode>::decode(&mut &v[..]).ok());
		if mine == Some((next, hash)) {
			self.tell("vote", format!("voted deposit {next}; waiting for the other relayers"));
			return Ok(());
		}
		if self.due(format!("vote:{next}:{hash:?}")) {
			let what = format!(
				"vote for deposit {next} ({} to {})",
				nmr(deposit.amount),
				deposit.recipient.to_ss58check()
			);
			self.submit(
				what,
				RuntimeCall::NmrBridge(pallet_nmr_bridge::Call::vote_deposit { deposit }),
			)
			.await;
		}
		Ok(())
	}

	async fn sign_withdrawals(
		&mut self,
		status: &BridgeStatus<AccountId, u128, u32>,
		my_eth: H160,
		at: H256,
	) -> Result<(), String> {
		// Every withdrawal short of signatures, page by page; those queued under an older set
		// and never completed are signed for the current set (the chain starts them anew).
		let mut list: Vec<UnsignedWithdrawal<u128>> = Vec::new();
		let mut after = None;
		loop {
			let page: Vec<UnsignedWithdrawal<u128>> = self
				.chain
				.call_api_at(
					"NmrBridgeApi_unsigned_withdrawals",
					&(after, WITHDRAWALS_PER_PAGE).encode(),
					Some(at),
				)
				.await?;
			let full = page.len() as u32 == WITHDRAWALS_PER_PAGE;
			after = page.last().map(|w| w.nonce);
			list.extend(page);
			if !full || list.len() >= MAX_SIGNATURES_PER_STEP {
				break;
			}
		}
		let mut batch = Vec::new();
		for w in list {
			if w.set_id == status.set_id && w.signed.contains(&my_eth) {
				continue;
			}
			let recipient = Address::from_slice(w.recipient.as_bytes());
			let digest = contract::release_digest(
				self.chain_id,
				self.cfg.contract,
				w.nonce,
				recipient,
				U256::from(w.amount),
				status.set_id,
			);
			if w.set_id == status.set_id && digest.0 != w.digest {
				say(format!(
					"withdrawal {}: the chain's release digest is not the contract's; not signing",
					w.nonce
				));
				continue;
			}
			if self.due(format!("sign:{}:{}", w.nonce, status.set_id)) {
				batch.push((w.nonce, self.key.sign(digest), w.amount, recipient));
			}
		}
		for chunk in batch.chunks(SIGNATURES_PER_CALL) {
			let what = chunk
				.iter()
				.map(|(n, _, a, r)| format!("{n} ({} to {r})", nmr(*a)))
				.collect::<Vec<_>>()
				.join(", ");
			let signatures =
				BoundedVec::truncate_from(chunk.iter().map(|(n, s, _, _)| (*n, *s)).collect());
			self.submit(
				format!("signatures of withdrawals {what}"),
				RuntimeCall::NmrBridge(pallet_nmr_bridge::Call::submit_signatures { signatures }),
			)
			.await;
		}
		Ok(())
	}

	async fn sign_rotation(&mut self, set_id: u32, my_eth: H160, at: H256) -> Result<(), String> {
		let rotation: Option<RotationProof> =
			self.chain.call_api_at("NmrBridgeApi_rotation", &set_id.encode(), Some(at)).await?;
		let Some(r) = rotation else { return Ok(()) };
		if r.complete || !r.outgoing.contains(&my_eth) {
			return Ok(());
		}
		let signers: Vec<Address> =
			r.signers.iter().map(|a| Address::from_slice(a.as_bytes())).collect();
		let digest = contract::rotate_digest(
			self.chain_id,
			self.cfg.contract,
			r.set_id,
			&signers,
			r.threshold,
			r.cutoff,
		);
		if digest.0 != r.digest {
			say(format!(
				"rotation to set {}: the chain's digest is not the contract's; not signing",
				r.set_id
			));
			return Ok(());
		}
		let signed_already = r
			.signatures
			.chunks(65)
			.filter_map(|s| <&[u8; 65]>::try_from(s).ok())
			.any(|s| pallet_nmr_bridge::eth::signer(&r.digest, s) == Some(my_eth));
		if !signed_already && self.due(format!("rotation:{}", r.set_id)) {
			let signature = self.key.sign(digest);
			self.submit(
				format!("signature of the rotation to set {}", r.set_id),
				RuntimeCall::NmrBridge(pallet_nmr_bridge::Call::sign_rotation {
					set_id: r.set_id,
					signature,
				}),
			)
			.await;
		}
		Ok(())
	}

	/// Works for ever: a step every `interval`; when either side is down, waits longer each
	/// time (up to a minute) and says what it waits for.
	pub async fn run(mut self, interval: Duration) {
		say(format!(
			"relaying for account {} (Ethereum key {}), contract {} on chain {}; state in {}",
			self.account.clone().to_ss58check(),
			self.key.address(),
			self.cfg.contract,
			self.chain_id,
			self.cfg.state.display()
		));
		let mut backoff = interval;
		loop {
			match self.step().await {
				Ok(()) => backoff = interval,
				Err(e) => {
					say(format!("{e}; trying again in {} s", backoff.as_secs().max(1)));
					backoff = (backoff * 2).min(Duration::from_secs(60));
				},
			}
			tokio::time::sleep(backoff).await;
		}
	}
}
