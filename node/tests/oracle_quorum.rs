//! Three oracle operators on three real nodes, threshold two, and one of them lying about
//! everything: Alice and Bob (the validators) read honest copies of the Numerai fixture,
//! Charlie reads one whose results come from another seed and whose rounds open a second
//! later. Every honest result must finalise, in order, to the planck; nothing Charlie said may
//! be settled; and Charlie's dissent is on record.

mod common;

use common::{free_port, scratch_dir, Node};
use numerai_fixture::{
	world::RoundData, Clock, Config, Fault, Fixture, PayoutShape, ScoreFilter, World,
};
use numerstake_primitives::ModelId;
use pallet_round_oracle_runtime_api::{OracleStatus, RoundView};
use polkadot_sdk::{sp_core::crypto::Ss58Codec, sp_keyring::Sr25519Keyring};
use serde_json::{json, Value};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

type AccountId = numerstake_runtime::AccountId;

const ALICE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const ALICE_PEER_ID: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
const BOB_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000002";
const CHARLIE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000003";

/// The local testnet's chain spec with Charlie as a third oracle operator (threshold two).
fn three_operator_spec(dir: &std::path::Path) -> std::path::PathBuf {
	let out = std::process::Command::new(common::node_binary())
		.args(["build-spec", "--chain", "local", "--disable-default-bootnode"])
		.output()
		.expect("run build-spec");
	assert!(out.status.success(), "build-spec: {}", String::from_utf8_lossy(&out.stderr));
	let mut spec: Value = serde_json::from_slice(&out.stdout).expect("chain spec JSON");
	let genesis = &mut spec["genesis"]["runtimeGenesis"];
	let section = if genesis.get("patch").is_some() { "patch" } else { "config" };
	let oracle = &mut genesis[section]["roundOracle"];
	let charlie = Sr25519Keyring::Charlie.to_account_id().to_ss58check();
	let operators = oracle["operators"].as_array_mut().expect("genesis oracle operators");
	assert_eq!(operators.len(), 2, "the local testnet has two operators");
	operators.push(json!(charlie));
	oracle["threshold"] = json!(2);
	let path = dir.join("three-operators.json");
	std::fs::write(&path, serde_json::to_vec_pretty(&spec).unwrap()).unwrap();
	path
}

fn fixture(world: World, clock: Clock) -> Fixture {
	Fixture::start(Config {
		listen: "127.0.0.1:0".parse().unwrap(),
		world,
		clock,
		shape: PayoutShape::Sum,
		filter: ScoreFilter::FrontEnd,
		fault: Fault::None,
	})
	.expect("start a fixture")
}

#[test]
fn one_lying_operator_of_three_neither_halts_nor_corrupts_settlement() {
	let dir = scratch_dir("quorum");
	let spec = three_operator_spec(&dir);
	let spec = spec.to_str().unwrap();
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let clock = Clock { start: now + 25, first_round: 4_000, round_secs: 12, resolve_after: 2 };
	let truth = World::synthetic(42, 0);
	let (honest_a, honest_b) =
		(fixture(truth.clone(), clock.clone()), fixture(truth.clone(), clock.clone()));
	// The liar: other results for every model and round, and every round a second later.
	let lies =
		fixture(World::synthetic(4_242, 0), Clock { start: clock.start + 1, ..clock.clone() });

	let alice_p2p = free_port();
	let bootnode = format!("/ip4/127.0.0.1/tcp/{alice_p2p}/p2p/{ALICE_PEER_ID}");
	let node = |name: &str, key: &str, p2p: u16, url: String, extra: &[&str]| {
		let base = dir.join(name);
		let mut args = vec![
			"--chain",
			spec,
			"--base-path",
			base.to_str().unwrap(),
			"--node-key",
			key,
			"--numerai-endpoint",
			&url,
		];
		args.extend_from_slice(extra);
		Node::start_with_ports(name, &dir, &args, free_port(), p2p)
	};
	let alice =
		node("alice", ALICE_NODE_KEY, alice_p2p, honest_a.url(), &["--alice", "--validator"]);
	let bob = node(
		"bob",
		BOB_NODE_KEY,
		free_port(),
		honest_b.url(),
		&["--bob", "--validator", "--bootnodes", &bootnode],
	);
	// Charlie is not an authority: its off-chain worker runs because it is asked to.
	let charlie = node(
		"charlie",
		CHARLIE_NODE_KEY,
		free_port(),
		lies.url(),
		&["--charlie", "--offchain-worker", "always", "--bootnodes", &bootnode],
	);
	for n in [&alice, &bob, &charlie] {
		n.wait_for_rpc(Duration::from_secs(120));
	}

	let demo: Vec<ModelId> = numerstake_numerai::DEMO_MODELS
		.iter()
		.map(|(id, _)| ModelId::parse(id.as_bytes()).unwrap())
		.collect();
	let history = |m: &ModelId| -> Vec<RoundView<u32>> {
		bob.call_api("RoundOracleApi_model_history", (m, 4_000u32, 4_999u32)).unwrap_or_default()
	};
	let status =
		|| -> Option<OracleStatus<AccountId>> { bob.call_api("RoundOracleApi_status", ()).ok() };
	let deadline = Instant::now() + Duration::from_secs(360);
	loop {
		let dissent = status().map(|s| s.dissents).unwrap_or_default();
		if demo.iter().all(|m| history(m).len() >= 4) && dissent.get(2).is_some_and(|d| *d > 0) {
			break;
		}
		assert!(
			Instant::now() < deadline,
			"honest results did not finalise (dissent {dissent:?}); Bob's log:\n{}",
			bob.log_text().lines().rev().take(60).collect::<Vec<_>>().join("\n")
		);
		std::thread::sleep(Duration::from_secs(3));
	}

	// Rounds opened when the honest fixtures say they did.
	let status = status().expect("oracle status");
	assert_eq!(status.threshold, 2);
	assert_eq!(status.operators.len(), 3);
	let latest = status.latest_round.expect("rounds opened");
	let (opened_at, _) = status.latest_round_times.expect("latest round times");
	assert_eq!(opened_at, clock.opens_at(latest), "round {latest} opened as the liar said");
	// The honest operators never dissent; the liar has.
	assert_eq!(&status.dissents[..2], &[0, 0], "{:?}", status.dissents);
	assert!(status.dissents[2] > 0, "{:?}", status.dissents);

	// Every result is the honest truth, in order, none skipped.
	let mut checked = 0;
	for (m, (_, name)) in demo.iter().zip(numerstake_numerai::DEMO_MODELS) {
		let model = truth.by_name(name).expect("demo model");
		let history = history(m);
		assert!(history.windows(2).all(|w| w[1].round == w[0].round + 1), "{history:?}");
		for view in &history {
			match truth.round_data(model, view.round) {
				RoundData::Missed { .. } => assert!(!view.submitted, "{name} {}", view.round),
				RoundData::Submitted(s) => {
					assert!(view.submitted, "{name} round {}", view.round);
					assert_eq!((view.at_risk, view.payout), (s.at_risk, s.payout()));
					assert_eq!(view.scores[0].1, s.corr.scaled);
				},
			}
			checked += 1;
		}
	}
	assert!(checked >= 12, "{checked}");
	// The liar was heard (it asked its fixture and sent reports).
	assert!(lies.requests() > 5);
	assert!(charlie.log_text().contains("submitted"), "Charlie never reported");

	for n in [charlie, bob, alice] {
		assert!(n.stop().success());
	}
	for f in [honest_a, honest_b, lies] {
		f.stop();
	}
	let _ = std::fs::remove_dir_all(dir);
}
