//! Test harness: starts real `numerstake-node` processes on free loopback ports and talks to them
//! over JSON-RPC (plain HTTP/1.1, no client library needed).

#![allow(dead_code)]

pub mod pools;
pub mod tx;

use serde_json::{json, Value};
use std::{
	cell::RefCell,
	fs::File,
	io::{Read, Write},
	net::{TcpListener, TcpStream},
	path::{Path, PathBuf},
	process::{Child, Command, ExitStatus, Stdio},
	time::{Duration, Instant},
};

/// Unix seconds now.
pub fn unix_now() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.expect("a clock after 1970")
		.as_secs()
}

/// A Numerai fixture on a free loopback port serving `world` on `clock`, answering correctly
/// (front-end score filter, summed payouts).
pub fn fixture(
	world: numerai_fixture::World,
	clock: numerai_fixture::Clock,
) -> numerai_fixture::Fixture {
	numerai_fixture::Fixture::start(numerai_fixture::Config {
		listen: "127.0.0.1:0".parse().expect("a socket address"),
		world,
		clock,
		shape: numerai_fixture::PayoutShape::Sum,
		filter: numerai_fixture::ScoreFilter::FrontEnd,
		fault: numerai_fixture::Fault::None,
	})
	.expect("start a fixture")
}

/// The plain chain spec the node builds for `chain` (without the default bootnode).
pub fn build_spec(chain: &str) -> Value {
	let out = Command::new(node_binary())
		.args(["build-spec", "--chain", chain, "--disable-default-bootnode"])
		.output()
		.expect("run build-spec");
	assert!(out.status.success(), "build-spec: {}", String::from_utf8_lossy(&out.stderr));
	serde_json::from_slice(&out.stdout).expect("chain spec JSON")
}

/// A single dev validator, Alice (authoring alone, a temporary database), on `chain` (a chain
/// name or a spec file) with the Numerai fixture at `endpoint`; started, answering JSON-RPC and
/// past its first block.
pub fn dev_validator(name: &str, dir: &Path, chain: &str, endpoint: &str) -> Node {
	let node = Node::start(
		name,
		dir,
		&[
			"--chain",
			chain,
			"--alice",
			"--validator",
			"--force-authoring",
			"--tmp",
			"--unsafe-force-node-key-generation",
			"--numerai-endpoint",
			endpoint,
		],
	);
	node.wait_for_rpc(Duration::from_secs(120));
	node.wait_for_heights(1, 0, Duration::from_secs(120));
	node
}

/// The node binary cargo built for these tests.
pub fn node_binary() -> PathBuf {
	PathBuf::from(env!("CARGO_BIN_EXE_numerstake-node"))
}

/// A loopback TCP port that was free a moment ago.
pub fn free_port() -> u16 {
	let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
	listener.local_addr().expect("local address").port()
}

/// A fresh scratch directory under the system temp dir.
pub fn scratch_dir(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!(
		"numerstake-test-{name}-{}-{}",
		std::process::id(),
		Instant::now().elapsed().as_nanos()
	));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).expect("create scratch dir");
	dir
}

/// A running node; killed when dropped if the test did not stop it.
pub struct Node {
	pub name: String,
	pub rpc_port: u16,
	pub p2p_port: u16,
	pub log: PathBuf,
	child: RefCell<Option<Child>>,
}

impl Node {
	/// Starts the node with `args` plus free RPC and p2p ports; output goes to a log file.
	pub fn start(name: &str, dir: &Path, args: &[&str]) -> Node {
		Self::start_with_ports(name, dir, args, free_port(), free_port())
	}

	pub fn start_with_ports(
		name: &str,
		dir: &Path,
		args: &[&str],
		rpc_port: u16,
		p2p_port: u16,
	) -> Node {
		let log = dir.join(format!("{name}.log"));
		let out = File::create(&log).expect("create log file");
		let err = out.try_clone().expect("clone log file");
		let child = Command::new(node_binary())
			.args(args)
			.args([
				"--rpc-port",
				&rpc_port.to_string(),
				// Loopback only: the node neither advertises nor dials any other address.
				"--listen-addr",
				&format!("/ip4/127.0.0.1/tcp/{p2p_port}"),
				"--no-prometheus",
				"--no-telemetry",
				"--no-mdns",
			])
			.stdin(Stdio::null())
			.stdout(out)
			.stderr(err)
			.spawn()
			.expect("start numerstake-node");
		Node { name: name.into(), rpc_port, p2p_port, log, child: RefCell::new(Some(child)) }
	}

	/// Everything the node logged so far.
	pub fn log_text(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// A runtime API call at block `at` (the best block if `None`), decoded.
	pub fn call_api_at<T: codec::Decode>(
		&self,
		method: &str,
		args: impl codec::Encode,
		at: Option<&str>,
	) -> Result<T, String> {
		let args = tx::hex(&args.encode());
		let out = match at {
			Some(hash) => self.rpc("state_call", json!([method, args, hash]))?,
			None => self.rpc("state_call", json!([method, args]))?,
		};
		let bytes = tx::unhex(out.as_str().ok_or("state_call result not a string")?)?;
		T::decode(&mut &bytes[..]).map_err(|e| e.to_string())
	}

	/// A runtime API call at the best block, decoded.
	pub fn call_api<T: codec::Decode>(
		&self,
		method: &str,
		args: impl codec::Encode,
	) -> Result<T, String> {
		self.call_api_at(method, args, None)
	}

	/// One JSON-RPC call; `Err` for transport errors and JSON-RPC errors alike.
	pub fn rpc(&self, method: &str, params: Value) -> Result<Value, String> {
		rpc_call(self.rpc_port, method, params)
	}

	/// Best and finalised block numbers.
	pub fn heights(&self) -> Result<(u64, u64), String> {
		let best = self.rpc("chain_getHeader", json!([]))?;
		let finalized_hash = self.rpc("chain_getFinalizedHead", json!([]))?;
		let finalized = self.rpc("chain_getHeader", json!([finalized_hash]))?;
		Ok((block_number(&best)?, block_number(&finalized)?))
	}

	/// Polls until best >= `best` and finalised >= `finalized`, or the deadline passes.
	pub fn wait_for_heights(&self, best: u64, finalized: u64, deadline: Duration) -> (u64, u64) {
		let start = Instant::now();
		let mut last = (0, 0);
		while start.elapsed() < deadline {
			if let Ok(h) = self.heights() {
				last = h;
				if h.0 >= best && h.1 >= finalized {
					return h;
				}
			}
			self.assert_running();
			std::thread::sleep(Duration::from_millis(500));
		}
		panic!(
			"{}: best {} / finalised {} after {:?}, wanted {best} / {finalized}\n--- log ---\n{}",
			self.name,
			last.0,
			last.1,
			deadline,
			self.log_text()
		);
	}

	/// Waits until the RPC server answers.
	pub fn wait_for_rpc(&self, deadline: Duration) {
		let start = Instant::now();
		while start.elapsed() < deadline {
			if self.rpc("system_health", json!([])).is_ok() {
				return;
			}
			self.assert_running();
			std::thread::sleep(Duration::from_millis(250));
		}
		panic!("{}: RPC did not come up within {deadline:?}\n{}", self.name, self.log_text());
	}

	fn assert_running(&self) {
		if let Some(child) = self.child.borrow_mut().as_mut() {
			if let Ok(Some(status)) = child.try_wait() {
				panic!("{} exited early with {status}\n{}", self.name, self.log_text());
			}
		}
	}

	/// Kills the node with SIGKILL, as a power cut would (no shutdown, no flush), and reaps it.
	pub fn kill(self) {
		let mut child = self.child.borrow_mut().take().expect("node still running");
		child.kill().expect("SIGKILL the node");
		child.wait().expect("reap the node");
	}

	/// The hash of block `number` in the node's chain (`None`: it has none).
	pub fn block_hash(&self, number: u64) -> Option<String> {
		self.rpc("chain_getBlockHash", json!([number])).ok()?.as_str().map(String::from)
	}

	/// The finalised head's hash and number.
	pub fn finalised_head(&self) -> (String, u64) {
		let hash = self.rpc("chain_getFinalizedHead", json!([])).expect("finalised head");
		let hash = hash.as_str().expect("a hash").to_string();
		let header = self.rpc("chain_getHeader", json!([hash])).expect("finalised header");
		(hash, block_number(&header).expect("a block number"))
	}

	/// The state root in block `hash`'s header.
	pub fn state_root(&self, hash: &str) -> String {
		let header = self.rpc("chain_getHeader", json!([hash])).expect("header");
		header["stateRoot"].as_str().expect("a state root").to_string()
	}

	/// The events deposited in block `hash`, decoded with this build's runtime types.
	pub fn events_at(
		&self,
		hash: &str,
	) -> Vec<
		polkadot_sdk::frame_system::EventRecord<
			numerstake_runtime::RuntimeEvent,
			polkadot_sdk::sp_core::H256,
		>,
	> {
		use codec::Decode;
		use polkadot_sdk::sp_io::hashing::twox_128;
		let key = [twox_128(b"System"), twox_128(b"Events")].concat();
		let value = self.rpc("state_getStorage", json!([tx::hex(&key), hash])).expect("events");
		let Some(text) = value.as_str() else { return Vec::new() };
		Decode::decode(&mut &tx::unhex(text).expect("hex")[..]).expect("events decode")
	}

	/// A value in the node's persistent off-chain storage (`None`: not set).
	pub fn offchain_get(&self, key: &[u8]) -> Option<Vec<u8>> {
		let value = self
			.rpc("offchain_localStorageGet", json!(["PERSISTENT", tx::hex(key)]))
			.expect("offchain_localStorageGet");
		value.as_str().map(|v| tx::unhex(v).expect("hex"))
	}

	/// Sets a value in the node's persistent off-chain storage.
	pub fn offchain_set(&self, key: &[u8], value: &[u8]) {
		self.rpc("offchain_localStorageSet", json!(["PERSISTENT", tx::hex(key), tx::hex(value)]))
			.expect("offchain_localStorageSet");
	}

	/// Sends SIGTERM and waits for a clean exit.
	pub fn stop(self) -> ExitStatus {
		let mut child = self.child.borrow_mut().take().expect("node still running");
		let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
		let start = Instant::now();
		loop {
			if let Some(status) = child.try_wait().expect("wait for node") {
				return status;
			}
			if start.elapsed() > Duration::from_secs(60) {
				let _ = child.kill();
				panic!("{} did not stop within 60 s of SIGTERM\n{}", self.name, self.log_text());
			}
			std::thread::sleep(Duration::from_millis(100));
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		if let Some(mut child) = self.child.get_mut().take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

fn block_number(header: &Value) -> Result<u64, String> {
	let hex = header["number"].as_str().ok_or_else(|| format!("no block number in {header}"))?;
	u64::from_str_radix(hex.trim_start_matches("0x"), 16).map_err(|e| e.to_string())
}

/// A JSON-RPC 2.0 request over HTTP/1.1 to 127.0.0.1:`port`.
pub fn rpc_call(port: u16, method: &str, params: Value) -> Result<Value, String> {
	let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
	let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
	stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
	let request = format!(
		"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
		 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	);
	stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
	let mut response = Vec::new();
	stream.read_to_end(&mut response).map_err(|e| e.to_string())?;
	let response = String::from_utf8(response).map_err(|e| e.to_string())?;
	let (head, body) = response.split_once("\r\n\r\n").ok_or("no HTTP body")?;
	if !head.starts_with("HTTP/1.1 200") {
		return Err(format!("HTTP error: {head}"));
	}
	let value: Value = serde_json::from_str(body.trim()).map_err(|e| format!("{e}: {body}"))?;
	match value.get("error") {
		Some(error) => Err(format!("RPC error: {error}")),
		None => Ok(value["result"].clone()),
	}
}

/// An account's free balance at the best block, read from `System::Account` storage.
pub fn free_balance(node: &Node, who: &numerstake_runtime::AccountId) -> u128 {
	free_balance_at(node, who, None)
}

/// An account's free balance at block `at` (the best block if `None`).
pub fn free_balance_at(node: &Node, who: &numerstake_runtime::AccountId, at: Option<&str>) -> u128 {
	account_at(node, who, at).data.free
}

/// An account's `System::Account` record at block `at` (the best block if `None`): its nonce
/// on chain (not counting the transaction pool's, as `system_accountNextIndex` does) and its
/// balances; the default for an account that does not exist.
pub fn account_at(
	node: &Node,
	who: &numerstake_runtime::AccountId,
	at: Option<&str>,
) -> polkadot_sdk::frame_system::AccountInfo<u32, polkadot_sdk::pallet_balances::AccountData<u128>>
{
	use codec::Decode;
	use polkadot_sdk::sp_io::hashing::{blake2_128, twox_128};
	let mut key = twox_128(b"System").to_vec();
	key.extend(twox_128(b"Account"));
	key.extend(blake2_128(who.as_ref()));
	key.extend(who.as_ref() as &[u8]);
	let Some(bytes) = storage_raw(node, &key, at) else { return Default::default() };
	Decode::decode(&mut &bytes[..]).expect("account info")
}

/// The raw value under storage `key` at block `at` (the best block if `None`).
fn storage_raw(node: &Node, key: &[u8], at: Option<&str>) -> Option<Vec<u8>> {
	let params = match at {
		Some(hash) => json!([tx::hex(key), hash]),
		None => json!([tx::hex(key)]),
	};
	let value = node.rpc("state_getStorage", params).expect("storage read");
	Some(tx::unhex(value.as_str()?).expect("hex"))
}

/// A plain storage value (`pallet`, `item` as the storage key's prefixes), `None` when absent.
pub fn storage_value<T: codec::Decode>(node: &Node, pallet: &str, item: &str) -> Option<T> {
	storage_value_at(node, pallet, item, None)
}

/// A plain storage value at block `at` (the best block if `None`), `None` when absent.
pub fn storage_value_at<T: codec::Decode>(
	node: &Node,
	pallet: &str,
	item: &str,
	at: Option<&str>,
) -> Option<T> {
	use polkadot_sdk::sp_io::hashing::twox_128;
	let mut key = twox_128(pallet.as_bytes()).to_vec();
	key.extend(twox_128(item.as_bytes()));
	let bytes = storage_raw(node, &key, at)?;
	Some(T::decode(&mut &bytes[..]).expect("decodes"))
}

/// The storage key of the runtime code.
pub const CODE_KEY: &str = "0x3a636f6465";

/// Every top-level storage pair at block `at` except the runtime code (hex keys and values),
/// read with the safe RPCs `state_getKeysPaged` and `state_queryStorageAt`: the state a
/// try-runtime snapshot holds.
pub fn state_snapshot(node: &Node, at: &str) -> Vec<(String, String)> {
	const PAGE: usize = 512;
	let mut pairs = Vec::new();
	let mut start: Option<String> = None;
	loop {
		let keys = node.rpc("state_getKeysPaged", json!(["0x", PAGE, start, at])).expect("keys");
		let keys: Vec<String> = keys
			.as_array()
			.expect("a key list")
			.iter()
			.map(|k| k.as_str().expect("a hex key").to_string())
			.collect();
		let wanted: Vec<&String> = keys.iter().filter(|k| k.as_str() != CODE_KEY).collect();
		if !wanted.is_empty() {
			let sets = node.rpc("state_queryStorageAt", json!([wanted, at])).expect("values");
			for change in sets[0]["changes"].as_array().expect("changes") {
				if let (Some(k), Some(v)) = (change[0].as_str(), change[1].as_str()) {
					pairs.push((k.to_string(), v.to_string()));
				}
			}
		}
		if keys.len() < PAGE {
			return pairs;
		}
		start = keys.last().cloned();
	}
}

/// A pallet's storage version on chain (`None`: not written).
pub fn storage_version(node: &Node, pallet: &str) -> Option<u16> {
	storage_value(node, pallet, ":__STORAGE_VERSION__:")
}

/// The runtime's `specVersion` as the node reports it.
pub fn spec_version(node: &Node) -> Option<u64> {
	node.rpc("state_getRuntimeVersion", json!([])).ok()?["specVersion"].as_u64()
}
