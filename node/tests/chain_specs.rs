//! The committed local-testnet chain specs must be exactly what this node generates, so that
//! nobody starts a network from a stale genesis. Regenerate with `scripts/gen-chain-specs`.

mod common;

use std::{path::Path, process::Command};

fn generated(raw: bool) -> String {
	let mut args = vec!["build-spec", "--chain", "local", "--disable-default-bootnode"];
	if raw {
		args.push("--raw");
	}
	let output = Command::new(common::node_binary()).args(&args).output().expect("run build-spec");
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	String::from_utf8(output.stdout).expect("utf-8 spec")
}

fn committed(file: &str) -> String {
	let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../chain-specs").join(file);
	std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn assert_same(file: &str, raw: bool) {
	let (now, then) = (generated(raw), committed(file));
	let now: serde_json::Value = serde_json::from_str(&now).expect("generated spec is JSON");
	let then: serde_json::Value = serde_json::from_str(&then).expect("committed spec is JSON");
	assert!(
		now == then,
		"chain-specs/{file} is stale: run scripts/gen-chain-specs and commit the result"
	);
}

#[test]
fn committed_raw_local_testnet_spec_matches_the_node() {
	assert_same("local-testnet-raw.json", true);
}

#[test]
fn committed_plain_local_testnet_spec_matches_the_node() {
	assert_same("local-testnet.json", false);
}

#[test]
fn dev_spec_carries_nmr_properties() {
	let output = Command::new(common::node_binary())
		.args(["build-spec", "--chain", "dev"])
		.output()
		.expect("run build-spec");
	assert!(output.status.success());
	let spec: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON spec");
	assert_eq!(spec["properties"]["tokenSymbol"], "NMR");
	assert_eq!(spec["properties"]["tokenDecimals"], 18);
}
