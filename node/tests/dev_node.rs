//! The dev chain as a user starts it: `numerstake-node --dev --tmp` produces and finalises
//! blocks, serves JSON-RPC, reports NMR with 18 decimals, and stops cleanly on SIGTERM.

mod common;

use common::{scratch_dir, Node};
use serde_json::json;
use std::time::Duration;

#[test]
fn dev_node_produces_and_finalises_blocks_and_stops_cleanly() {
	let dir = scratch_dir("dev");
	let node = Node::start("dev", &dir, &["--dev", "--tmp"]);
	node.wait_for_rpc(Duration::from_secs(120));

	let properties = node.rpc("system_properties", json!([])).expect("system_properties");
	assert_eq!(properties["tokenSymbol"], json!("NMR"), "properties: {properties}");
	assert_eq!(properties["tokenDecimals"], json!(18), "properties: {properties}");
	assert_eq!(properties["ss58Format"], json!(42), "properties: {properties}");

	let chain_type = node.rpc("system_chainType", json!([])).expect("system_chainType");
	assert_eq!(chain_type, json!("Development"));
	let version = node.rpc("state_getRuntimeVersion", json!([])).expect("runtime version");
	assert_eq!(version["specName"], json!("numerstake"));

	// Generous deadline: the assertion is on progress, not speed.
	let (best, finalized) = node.wait_for_heights(3, 1, Duration::from_secs(180));
	assert!(best >= 3 && finalized >= 1);

	let status = node.stop();
	assert!(status.success(), "node exited with {status}");
	let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn unknown_chain_spec_is_a_clear_error() {
	let output = std::process::Command::new(common::node_binary())
		.args(["build-spec", "--chain", "/nonexistent/spec.json"])
		.output()
		.expect("run node");
	assert!(!output.status.success());
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(stderr.contains("spec.json"), "stderr: {stderr}");
}

#[test]
fn a_numerai_endpoint_that_is_not_http_is_a_clear_error() {
	let output = std::process::Command::new(common::node_binary())
		.args(["--dev", "--tmp", "--numerai-endpoint", "ftp://example.org/graphql"])
		.args(["--rpc-port", &common::free_port().to_string(), "--no-prometheus", "--no-telemetry"])
		.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", common::free_port())])
		.output()
		.expect("run node");
	assert!(!output.status.success());
	let text = String::from_utf8_lossy(&output.stderr);
	assert!(text.contains("--numerai-endpoint must be an http(s) URL"), "stderr: {text}");
}
