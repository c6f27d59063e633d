//! The two-validator local testnet (the zombienet smoke test, run natively): Alice and Bob
//! author and finalise together: best block >= 10 and finalised >= 5 within two minutes.

mod common;

use common::{free_port, scratch_dir, Node};
use serde_json::json;
use std::time::Duration;

/// Alice's well-known dev node key gives a fixed peer id, so Bob can dial her directly.
const ALICE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const ALICE_PEER_ID: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
/// Validators refuse to invent a network key; Bob gets a fixed one too.
const BOB_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000002";

#[test]
fn alice_and_bob_author_and_finalise_together() {
	let dir = scratch_dir("local");
	let alice_p2p = free_port();
	let alice = Node::start_with_ports(
		"alice",
		&dir,
		&[
			"--chain",
			"local",
			"--alice",
			"--validator",
			"--base-path",
			dir.join("alice").to_str().expect("utf-8 path"),
			"--node-key",
			ALICE_NODE_KEY,
		],
		free_port(),
		alice_p2p,
	);
	let bootnode = format!("/ip4/127.0.0.1/tcp/{alice_p2p}/p2p/{ALICE_PEER_ID}");
	let bob = Node::start_with_ports(
		"bob",
		&dir,
		&[
			"--chain",
			"local",
			"--bob",
			"--validator",
			"--base-path",
			dir.join("bob").to_str().expect("utf-8 path"),
			"--node-key",
			BOB_NODE_KEY,
			"--bootnodes",
			&bootnode,
		],
		free_port(),
		free_port(),
	);
	alice.wait_for_rpc(Duration::from_secs(120));
	bob.wait_for_rpc(Duration::from_secs(120));

	// 10 blocks of 6 s take a minute; two minutes is the smoke test's budget.
	let (best, finalized) = bob.wait_for_heights(10, 5, Duration::from_secs(120));
	assert!(best >= 10 && finalized >= 5);
	let peers = bob.rpc("system_health", json!([])).expect("health")["peers"].clone();
	assert_eq!(peers, json!(1), "Bob should see Alice");

	assert!(bob.stop().success());
	assert!(alice.stop().success());
	let _ = std::fs::remove_dir_all(dir);
}
