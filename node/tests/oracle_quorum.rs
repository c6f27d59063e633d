//! Three validators that are also the three oracle operators, threshold two, and one of them
//! lying about everything (the network `scripts/zombienet` runs under the zombienet CLI):
//! Alice and Bob read honest copies of the Numerai fixture, Charlie reads one whose results
//! come from another seed and whose rounds open a second later. Blocks keep finalising. Every honest result must finalise, in order, to the planck; nothing Charlie said may
//! be settled; and Charlie's dissent is on record.

mod common;

use common::{build_spec, fixture, free_port, scratch_dir, unix_now, Node};
use numerai_fixture::{world::RoundData, Clock, World};
use numerstake_primitives::ModelId;
use pallet_round_oracle_runtime_api::{OracleStatus, RoundView};
use polkadot_sdk::{
	sp_core::crypto::Ss58Codec,
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};
use serde_json::json;
use std::time::{Duration, Instant};

type AccountId = numerstake_runtime::AccountId;

const ALICE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const ALICE_PEER_ID: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
const BOB_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000002";
const CHARLIE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000003";

/// The local testnet's chain spec with Charlie as a third validator and oracle operator
/// (threshold two): the network of `zombienet/three-validators.toml`.
fn three_operator_spec(dir: &std::path::Path) -> std::path::PathBuf {
	let mut spec = build_spec("local");
	let genesis = &mut spec["genesis"]["runtimeGenesis"];
	let section = if genesis.get("patch").is_some() { "patch" } else { "config" };
	let oracle = &mut genesis[section]["roundOracle"];
	let charlie = Sr25519Keyring::Charlie.to_account_id().to_ss58check();
	let operators = oracle["operators"].as_array_mut().expect("genesis oracle operators");
	assert_eq!(operators.len(), 2, "the local testnet has two operators");
	operators.push(json!(charlie));
	oracle["threshold"] = json!(2);
	// Charlie validates too, as in `zombienet/three-validators.toml`.
	let aura = genesis[section]["aura"]["authorities"].as_array_mut().expect("aura authorities");
	aura.push(json!(charlie));
	let grandpa = Ed25519Keyring::Charlie.public().to_ss58check();
	let grandpa_set = genesis[section]["grandpa"]["authorities"].as_array_mut().expect("grandpa");
	grandpa_set.push(json!([grandpa, 1]));
	let path = dir.join("three-operators.json");
	std::fs::write(&path, serde_json::to_vec_pretty(&spec).unwrap()).unwrap();
	path
}

#[test]
fn one_lying_operator_of_three_neither_halts_nor_corrupts_settlement() {
	let dir = scratch_dir("quorum");
	let spec = three_operator_spec(&dir);
	let spec = spec.to_str().unwrap();
	let clock =
		Clock { start: unix_now() + 25, first_round: 4_000, round_secs: 12, resolve_after: 2 };
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
	let charlie = node(
		"charlie",
		CHARLIE_NODE_KEY,
		free_port(),
		lies.url(),
		&["--charlie", "--validator", "--bootnodes", &bootnode],
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
	// Finality goes on (GRANDPA needs all three votes here, the liar's included).
	let (_, finalised) = bob.heights().expect("heights");
	charlie.wait_for_heights(0, finalised + 3, Duration::from_secs(90));
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
