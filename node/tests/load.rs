//! Load on a dev node over loopback, with signed transactions as wallets send them
//! (`scripts/load` runs these; they are `#[ignore]`d in the ordinary test run, whose CI budget
//! they would take, and report figures rather than assert timings):
//!
//! - `delegations_and_transfers`: `N` balance transfers from Ferdie to `N` new accounts, all
//!   submitted at once, then one delegation from each of those accounts to Bob's pool, all
//!   submitted at once; for each, the blocks that included them, the most in one block and the
//!   inclusion throughput (transactions per second of block time, from the first block that
//!   included one to the last), and the ratio of the two.
//! - `settlement_share_with_a_thousand_models`: a dev chain watching 1,000 models (the three
//!   demo models and 997 of the fixture's synthetic ones, verified at genesis) whose results all
//!   resolve at once: the blocks the oracle takes to finalise them all, and each block's weight
//!   as a share of the block's limit, the results' share and, within it, settlement's (the
//!   delegation pallet's `OnRoundFinalized` weight, charged per result).
//!
//! `NUMERSTAKE_LOAD_N` sets `N` (default 500, at most 4,000: the pool holds 8,192 ready
//! transactions).

mod common;

use codec::Encode;
use common::{
	account_at, build_spec, dev_validator, fixture,
	pools::{open_pool, up_to_date, wait_for},
	scratch_dir, storage_value_at,
	tx::{hex, unhex},
	unix_now, Node,
};
use numerai_fixture::{Clock, World};
use numerstake_primitives::{ModelId, OnRoundFinalized};
use numerstake_runtime::{AccountId, Runtime, RuntimeCall, RuntimeEvent, NMR};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchClass, PerDispatchClass},
		weights::Weight,
	},
	sp_core::{crypto::Ss58Codec, sr25519, Pair, H256},
	sp_keyring::Sr25519Keyring,
};
use serde_json::{json, Value};
use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

/// The chain's genesis hash, spec and transaction versions: what a signer needs.
struct Signing {
	genesis: H256,
	spec: u32,
	tx_version: u32,
}

impl Signing {
	fn of(node: &Node) -> Signing {
		let genesis = node.block_hash(0).expect("the genesis block");
		let version = node.rpc("state_getRuntimeVersion", json!([])).expect("runtime version");
		let number = |field: &str| version[field].as_u64().expect(field) as u32;
		Signing {
			genesis: H256::from_slice(&unhex(&genesis).expect("hex")),
			spec: number("specVersion"),
			tx_version: number("transactionVersion"),
		}
	}

	/// `call` signed by `signer` with `nonce` (immortal, no tip), as hex.
	fn sign(&self, call: RuntimeCall, signer: &sr25519::Pair, nonce: u32) -> String {
		let xt = numerstake_relayer::chain::signed_extrinsic(
			call,
			signer,
			nonce,
			self.genesis,
			self.spec,
			self.tx_version,
			None,
		);
		hex(&xt.encode())
	}
}

/// A block's timestamp (milliseconds), from `Timestamp::Now` in its state.
fn timestamp(node: &Node, at: &str) -> u64 {
	storage_value_at(node, "Timestamp", "Now", Some(at)).expect("a timestamp")
}

/// Block `at`'s weight (all classes) as a share of the block's limit.
fn weight_share(node: &Node, at: &str) -> f64 {
	let weight: PerDispatchClass<Weight> =
		storage_value_at(node, "System", "BlockWeight", Some(at)).unwrap_or_default();
	let limit = numerstake_runtime::configs::RuntimeBlockWeights::get().max_block.ref_time();
	weight.total().ref_time() as f64 / limit as f64
}

/// The events of blocks `from..=to` that `pick` counts, per block (block number, hash, count).
fn count_per_block(
	node: &Node,
	from: u64,
	to: u64,
	mut pick: impl FnMut(&RuntimeEvent) -> bool,
) -> Vec<(u64, String, usize)> {
	(from..=to)
		.map(|n| {
			let hash = node.block_hash(n).expect("a block of the chain");
			let count = node.events_at(&hash).iter().filter(|r| pick(&r.event)).count();
			(n, hash, count)
		})
		.collect()
}

/// Submits every extrinsic (hex) as fast as the node takes them; panics on a refusal.
fn submit_all(node: &Node, xts: &[String]) -> Duration {
	let start = Instant::now();
	for (i, xt) in xts.iter().enumerate() {
		if let Err(e) = node.rpc("author_submitExtrinsic", json!([xt])) {
			panic!("transaction {i} refused: {e}");
		}
	}
	start.elapsed()
}

/// What a batch of `n` transactions took to be included: blocks, most per block, and the
/// inclusion throughput over block time.
struct Inclusion {
	n: usize,
	first: u64,
	last: u64,
	most: usize,
	secs: f64,
	failed: usize,
	/// The fullest block's weight, as a share of the block's limit.
	fullest_weight: f64,
}

impl Inclusion {
	fn per_sec(&self) -> f64 {
		self.n as f64 / self.secs
	}

	fn print(&self, what: &str, submitted_in: Duration) {
		eprintln!(
			"load: {} {what}: submitted in {:.1} s; included in blocks #{}..=#{} ({} blocks, at most \
			 {} in one, which used {:.0} % of the block weight), {:.1} s of block time: {:.1} per \
			 second; {} failed",
			self.n,
			submitted_in.as_secs_f64(),
			self.first,
			self.last,
			self.last - self.first + 1,
			self.most,
			self.fullest_weight * 100.0,
			self.secs,
			self.per_sec(),
			self.failed
		);
	}
}

/// Waits until `done` and measures how `n` transactions counted by `pick` were included in the
/// blocks after `before`. The time is from the block before the first that included one (its
/// timestamp: when the slot's authoring could start) to the last that did.
fn inclusion(
	node: &Node,
	what: &str,
	n: usize,
	before: u64,
	done: impl FnMut() -> Option<()>,
	mut pick: impl FnMut(&RuntimeEvent) -> bool,
) -> Inclusion {
	let secs = 60 + n as u64 / 4;
	wait_for(node, what, secs, done);
	let best = node.heights().expect("heights").0;
	let mut failed = 0;
	let blocks = count_per_block(node, before + 1, best, |e| {
		if matches!(
			e,
			RuntimeEvent::System(polkadot_sdk::frame_system::Event::ExtrinsicFailed { .. })
		) {
			failed += 1;
		}
		pick(e)
	});
	let with: Vec<&(u64, String, usize)> = blocks.iter().filter(|b| b.2 > 0).collect();
	let (first, last) = (with.first().expect("an inclusion"), with.last().expect("an inclusion"));
	assert_eq!(with.iter().map(|b| b.2).sum::<usize>(), n, "{what}: each included once");
	let parent = node.block_hash(first.0 - 1).expect("the parent block");
	let secs = (timestamp(node, &last.1) - timestamp(node, &parent)) as f64 / 1000.0;
	let fullest = with.iter().max_by_key(|b| b.2).expect("an inclusion");
	Inclusion {
		n,
		first: first.0,
		last: last.0,
		most: fullest.2,
		secs,
		failed,
		fullest_weight: weight_share(node, &fullest.1),
	}
}

/// The next nonce `who` may sign with, counting the transaction pool's.
fn nonce(node: &Node, who: &AccountId) -> u32 {
	node.rpc("system_accountNextIndex", json!([who.to_ss58check()]))
		.expect("nonce")
		.as_u64()
		.expect("a nonce") as u32
}

/// `who`'s nonce in the best block's state: its transactions included so far.
fn included(node: &Node, who: &AccountId) -> u32 {
	account_at(node, who, None).nonce
}

fn load_n() -> usize {
	let n = std::env::var("NUMERSTAKE_LOAD_N").ok().map(|v| v.parse().expect("NUMERSTAKE_LOAD_N"));
	let n = n.unwrap_or(500);
	assert!((1..=4_000).contains(&n), "NUMERSTAKE_LOAD_N must be 1..=4000");
	n
}

#[test]
#[ignore = "a load run of minutes: scripts/load"]
fn delegations_and_transfers() {
	let n = load_n();
	let clock =
		Clock { start: unix_now() + 10, first_round: 7_000, round_secs: 60, resolve_after: 2 };
	let fixture = fixture(World::synthetic(7, 0), clock);
	let dir = scratch_dir("load");
	let node = dev_validator("load", &dir, "dev", &fixture.url());
	let signing = Signing::of(&node);

	// Bob's pool, and the oracle's first round (a delegation needs one).
	let (id, _) = numerstake_numerai::DEMO_MODELS[0];
	let model = ModelId::parse(id.as_bytes()).expect("a demo model");
	open_pool(&node, Sr25519Keyring::Bob, model, 200_000 * NMR);
	wait_for(&node, "the oracle's first round", 120, || {
		let status: pallet_round_oracle_runtime_api::OracleStatus<AccountId> =
			node.call_api("RoundOracleApi_status", ()).ok()?;
		status.latest_round
	});
	let pool_ready = || {
		let pool: Option<pallet_stake_delegation_runtime_api::PoolView<AccountId>> =
			node.call_api("StakeDelegationApi_pool", model).ok()?;
		pool.filter(|p| p.bond > 0).map(|_| ())
	};
	wait_for(&node, "Bob's pool", 60, pool_ready);

	// N new accounts, each funded by one transfer from Alice.
	let stakers: Vec<sr25519::Pair> = (0..n)
		.map(|i| sr25519::Pair::from_string(&format!("//load//{i}"), None).expect("a dev key"))
		.collect();
	// Ferdie funds them: Alice's nonces are her oracle worker's.
	let funder = Sr25519Keyring::Ferdie;
	let funder_id = funder.to_account_id();
	let first_nonce = nonce(&node, &funder_id);
	let transfers: Vec<String> = stakers
		.iter()
		.enumerate()
		.map(|(i, pair)| {
			let dest = AccountId::from(pair.public());
			let call =
				RuntimeCall::Balances(polkadot_sdk::pallet_balances::Call::transfer_keep_alive {
					dest: dest.into(),
					value: 20 * NMR,
				});
			signing.sign(call, &funder.pair(), first_nonce + i as u32)
		})
		.collect();
	let before = node.heights().expect("heights").0;
	let submitted_in = submit_all(&node, &transfers);
	let last_nonce = first_nonce + n as u32;
	let transferred = inclusion(
		&node,
		"the transfers",
		n,
		before,
		|| (included(&node, &funder_id) >= last_nonce).then_some(()),
		|e| {
			matches!(e, RuntimeEvent::Balances(polkadot_sdk::pallet_balances::Event::Transfer {
				from, ..
			}) if from == &funder_id)
		},
	);
	transferred.print("transfers", submitted_in);

	// One delegation of 10 NMR from each, as a wallet sends it (catch-up first).
	let delegations: Vec<String> = stakers
		.iter()
		.map(|pair| {
			let call = pallet_stake_delegation::Call::delegate {
				model,
				principal: 10 * NMR,
				term_rounds: 0,
				terms_version: 0,
				document_hash: None,
			};
			signing.sign(up_to_date(model, call), pair, 0)
		})
		.collect();
	let staker_ids: Vec<AccountId> = stakers.iter().map(|p| AccountId::from(p.public())).collect();
	let before = node.heights().expect("heights").0;
	let submitted_in = submit_all(&node, &delegations);
	let last = staker_ids.last().expect("a staker").clone();
	let delegated = inclusion(
		&node,
		"the delegations",
		n,
		before,
		|| {
			(included(&node, &last) >= 1 && staker_ids.iter().all(|s| included(&node, s) >= 1))
				.then_some(())
		},
		|e| {
			matches!(e, RuntimeEvent::StakeDelegation(pallet_stake_delegation::Event::Delegated {
				model: m, ..
			}) if m == &model)
		},
	);
	delegated.print("delegations", submitted_in);
	assert_eq!(delegated.failed, 0, "a delegation failed");
	eprintln!(
		"load: ratio of inclusion throughput, delegations to transfers: {:.2} ({:.1} / {:.1} per \
		 second)",
		delegated.per_sec() / transferred.per_sec(),
		delegated.per_sec(),
		transferred.per_sec()
	);

	assert!(node.stop().success());
	fixture.stop();
	let _ = std::fs::remove_dir_all(dir);
}

/// How many models the settlement run watches.
const MODELS: u32 = 1_000;

#[test]
#[ignore = "a load run of minutes: scripts/load"]
fn settlement_share_with_a_thousand_models() {
	// Round 8,000 has been open for 9 minutes of its 10 and resolves 60 s after the clock is
	// read: every model's result at once, while the next round is still 10 minutes away.
	let now = unix_now();
	let clock = Clock { start: now - 540, first_round: 8_000, round_secs: 600, resolve_after: 1 };
	let demo = numerstake_numerai::DEMO_MODELS.len() as u32;
	let world = World::synthetic(11, MODELS - demo);
	let fixture = fixture(world.clone(), clock.clone());
	let dir = scratch_dir("load-models");

	// The dev chain with every model of the fixture verified (Bob owns the synthetic ones) and
	// watched from genesis.
	let mut spec = build_spec("dev");
	let patch = &mut spec["genesis"]["runtimeGenesis"]["patch"];
	let bob = Sr25519Keyring::Bob.to_account_id().to_ss58check();
	let mut verified = patch["modelRegistry"]["verifiedModels"].as_array().expect("models").clone();
	let mut watched = patch["roundOracle"]["watched"].as_array().expect("watched").clone();
	for model in world.models.values().filter(|m| m.name.starts_with("synthetic_")) {
		verified.push(json!([model.id, bob, model.name.as_bytes()]));
		watched.push(json!(model.id));
	}
	assert_eq!(watched.len() as u32, MODELS);
	patch["modelRegistry"]["verifiedModels"] = Value::Array(verified);
	patch["roundOracle"]["watched"] = Value::Array(watched);
	let spec_path = dir.join("thousand-models.json");
	std::fs::write(&spec_path, serde_json::to_vec(&spec).expect("JSON")).expect("write the spec");
	let node =
		dev_validator("load-models", &dir, spec_path.to_str().expect("a path"), &fixture.url());

	let status = |node: &Node| -> Option<pallet_round_oracle_runtime_api::OracleStatus<AccountId>> {
		node.call_api("RoundOracleApi_status", ()).ok()
	};
	assert_eq!(status(&node).expect("the oracle's status").watched, MODELS);
	let round = clock.first_round;
	wait_for(&node, "the round to open", 120, || {
		(status(&node)?.latest_round? >= round).then_some(())
	});
	let opened = node.heights().expect("heights").0;
	// Every result of the round finalised: 1,000 `ResultFinalised` events.
	// Blocks with results of the round: hash and how many.
	let mut results = BTreeMap::new();
	let (mut scanned, mut total) = (opened, 0usize);
	let started = Instant::now();
	while (total as u32) < MODELS {
		assert!(started.elapsed() < Duration::from_secs(900), "{total} results in 15 min");
		std::thread::sleep(Duration::from_secs(6));
		let best = node.heights().expect("heights").0;
		for (n, hash, count) in count_per_block(&node, scanned + 1, best, |e| {
			matches!(e, RuntimeEvent::RoundOracle(pallet_round_oracle::Event::ResultFinalised {
				round: r, ..
			}) if *r == round)
		}) {
			if count > 0 {
				results.insert(n, (hash, count));
				total += count;
			}
		}
		scanned = best;
	}
	assert_eq!(total as u32, MODELS, "each result finalised once");

	// Each block's weight against the limit, and what the results and their settlement take.
	let limits = numerstake_runtime::configs::RuntimeBlockWeights::get();
	let max_block = limits.max_block.ref_time() as f64;
	let normal_max = limits.get(DispatchClass::Normal).max_total.map(|w| w.ref_time() as f64);
	let settlement =
		<pallet_stake_delegation::Pallet<Runtime> as OnRoundFinalized>::weight().ref_time() as f64;
	let per_result = <<Runtime as pallet_round_oracle::Config>::WeightInfo as pallet_round_oracle::WeightInfo>::report_result()
		.ref_time() as f64 + settlement;
	let (first, last) = (*results.keys().next().expect("a block"), *results.keys().last().unwrap());
	let mut shares = Vec::new();
	for n in first..=last {
		let used = weight_share(&node, &node.block_hash(n).expect("a block"));
		let count = results.get(&n).map_or(0, |r| r.1);
		shares.push((n, count, used));
	}
	let with: Vec<&(u64, usize, f64)> = shares.iter().filter(|s| s.1 > 0).collect();
	let most = with.iter().map(|s| s.1).max().unwrap_or(0);
	let peak = with.iter().map(|s| s.2).fold(0.0, f64::max);
	let mean = with.iter().map(|s| s.2).sum::<f64>() / with.len() as f64;
	let secs = (timestamp(&node, &results[&last].0)
		- timestamp(&node, &node.block_hash(first - 1).expect("a block"))) as f64
		/ 1000.0;
	eprintln!(
		"load: {MODELS} results of round {round} finalised in blocks #{first}..=#{last} ({} \
		 blocks, {} of them with results, at most {most} in one; {secs:.0} s of block time)",
		last - first + 1,
		with.len()
	);
	eprintln!(
		"load: block weight in those blocks: peak {:.1} %, mean {:.1} % of the {:.1} s limit \
		 (normal transactions may use {:.0} %)",
		peak * 100.0,
		mean * 100.0,
		max_block / 1e12,
		normal_max.map_or(100.0, |m| m / max_block * 100.0)
	);
	eprintln!(
		"load: per result {:.2} ms charged, of which settlement {:.2} ms; a block with {most} \
		 results: results {:.1} %, settlement {:.1} % of the block",
		per_result / 1e9,
		settlement / 1e9,
		most as f64 * per_result / max_block * 100.0,
		most as f64 * settlement / max_block * 100.0
	);
	assert!(peak < 1.0, "a block over its weight limit");

	assert!(node.stop().success());
	fixture.stop();
	let _ = std::fs::remove_dir_all(dir);
}
