//! The committed local-testnet chain specs must describe what this node generates, so that
//! nobody starts a network from a stale genesis. Regenerate them with `scripts/gen-chain-specs`.
//!
//! The runtime wasm is not byte-for-byte reproducible across checkout paths: cargo hashes each
//! path crate's location into its metadata, and that shows in the code layout. So the code blob
//! is not compared byte for byte; instead:
//! 1. the committed plain spec equals the generated one apart from the code blob;
//! 2. the committed raw spec is exactly what the node builds from the committed plain spec;
//! 3. the genesis state that the committed code builds equals, key by key, the state the current
//!    node builds, apart from `:code` itself.

mod common;

use serde_json::{Map, Value};
use std::{path::PathBuf, process::Command};

/// The storage key of the runtime code, `:code`.
const CODE_KEY: &str = "0x3a636f6465";

fn build_spec(chain: &str, raw: bool) -> Value {
	let mut args = vec!["build-spec", "--chain", chain, "--disable-default-bootnode"];
	if raw {
		args.push("--raw");
	}
	let output = Command::new(common::node_binary()).args(&args).output().expect("run build-spec");
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	serde_json::from_slice(&output.stdout).expect("build-spec prints JSON")
}

fn committed_path(file: &str) -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../chain-specs").join(file)
}

fn committed(file: &str) -> Value {
	let path = committed_path(file);
	let text =
		std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
	serde_json::from_str(&text).expect("committed spec is JSON")
}

const STALE: &str = "stale: run scripts/gen-chain-specs and commit the result";

fn without_plain_code(mut spec: Value) -> Value {
	spec["genesis"]["runtimeGenesis"]["code"] = Value::Null;
	spec
}

fn raw_top_without_code(spec: &Value) -> Map<String, Value> {
	let mut top = spec["genesis"]["raw"]["top"].as_object().expect("raw genesis").clone();
	assert!(top.remove(CODE_KEY).is_some(), "raw genesis has no :code");
	top
}

#[test]
fn committed_plain_spec_matches_the_node_apart_from_the_code_blob() {
	let generated = without_plain_code(build_spec("local", false));
	let committed = without_plain_code(committed("local-testnet.json"));
	assert!(generated == committed, "chain-specs/local-testnet.json is {STALE}");
}

#[test]
fn committed_raw_spec_is_built_from_the_committed_plain_spec() {
	let plain = committed_path("local-testnet.json");
	let rebuilt = build_spec(plain.to_str().expect("utf-8 path"), true);
	assert!(
		rebuilt == committed("local-testnet-raw.json"),
		"chain-specs/local-testnet-raw.json does not match local-testnet.json: {STALE}"
	);
}

#[test]
fn committed_genesis_state_matches_the_node() {
	let generated = build_spec("local", true);
	let committed = committed("local-testnet-raw.json");
	let (now, then) = (raw_top_without_code(&generated), raw_top_without_code(&committed));
	let changed: Vec<&String> =
		now.keys().chain(then.keys()).filter(|k| now.get(*k) != then.get(*k)).collect();
	assert!(changed.is_empty(), "genesis keys differ {changed:?}: chain-specs are {STALE}");
	assert_eq!(
		generated["genesis"]["raw"]["childrenDefault"],
		committed["genesis"]["raw"]["childrenDefault"]
	);
	for field in ["name", "id", "chainType", "bootNodes", "properties", "protocolId"] {
		assert_eq!(generated[field], committed[field], "{field}: {STALE}");
	}
}

#[test]
fn dev_spec_carries_nmr_properties() {
	let spec = build_spec("dev", false);
	assert_eq!(spec["properties"]["tokenSymbol"], "NMR");
	assert_eq!(spec["properties"]["tokenDecimals"], 18);
}
