//! The NMR bridge end to end, on loopback: a real EVM (anvil) with the test token and the lock
//! contract, a dev node, and relayers.
//!
//! The story: the contract is deployed for the dev chain's single relayer (Alice); governance
//! grows the set to Alice, Bob and Charlie with threshold two; Alice's relayer signs the
//! rotation and it is submitted to the contract. Alice and Bob run the relayer binary; Charlie
//! lies, voting a forged version of a real deposit and a deposit that never happened. A user
//! deposits three times on Ethereum; Bob's relayer is killed and restarted in the middle. Every
//! real deposit is minted once, nothing forged is, Charlie's dissent is recorded; Eve withdraws,
//! the relayers sign, the proof is released on Ethereum. At the end, NMR locked in the contract =
//! NMR minted on the chain − NMR burned.

mod common;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use common::{free_balance, scratch_dir, storage_value, tx::submit, Node};
use numerstake_relayer::{
	anvil::Anvil,
	chain::Chain,
	contract::{NmrBridge, Signer, TestNmr},
	eth::Eth,
};
use numerstake_runtime::{AccountId, RuntimeCall, NMR};
use pallet_nmr_bridge::{BridgeStatus, Deposit};
use polkadot_sdk::{
	frame_support::BoundedVec,
	sp_core::{crypto::Ss58Codec, sr25519, Pair, H160, H256},
	sp_keyring::Sr25519Keyring,
};
use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

fn relayer_binary() -> PathBuf {
	let path =
		PathBuf::from(env!("CARGO_BIN_EXE_numerstake-node")).with_file_name("numerstake-relayer");
	assert!(
		path.exists(),
		"{} is missing: build it with `cargo build --release -p numerstake-relayer` (the \
		 workspace test command does)",
		path.display()
	);
	path
}

/// Runs the relayer binary with `args` to completion; its standard output.
fn relayer_cli(args: &[&str], env: &[(&str, &str)]) -> String {
	let out = Command::new(relayer_binary())
		.args(args)
		.envs(env.iter().copied())
		.output()
		.expect("run numerstake-relayer");
	assert!(
		out.status.success(),
		"numerstake-relayer {args:?} failed: {}",
		String::from_utf8_lossy(&out.stderr)
	);
	String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Eve burns 4 NMR for `to` on Ethereum (withdrawal 1); waits until the relayers signed it.
fn eve_withdraws_4_nmr_and_the_relayers_sign(
	node: &Node,
	chain_url: &str,
	to: Address,
	logs: &[&Path],
) {
	relayer_cli(
		&["withdraw", "--chain-url", chain_url, "--amount", "4", "--to", &to.to_string()],
		&[("NUMERSTAKE_SURI", "//Eve")],
	);
	wait_for("the withdrawal's proof", 120, logs, || {
		node.call_api::<Option<pallet_nmr_bridge::ReleaseProof<u128>>>(
			"NmrBridgeApi_withdrawal_proof",
			1u64,
		)
		.ok()
		.flatten()
		.filter(|p| p.complete)
	});
}

/// A relayer process, killed when dropped.
struct RelayerProcess(Child);

impl RelayerProcess {
	fn start(suri: &str, eth: &str, chain: &str, contract: &str, state: &Path, log: &Path) -> Self {
		let out = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
		let child = Command::new(relayer_binary())
			.args([
				"run",
				"--eth-url",
				eth,
				"--chain-url",
				chain,
				"--contract",
				contract,
				"--state",
				state.to_str().unwrap(),
				"--interval-ms",
				"1000",
			])
			.env("NUMERSTAKE_RELAYER_SURI", suri)
			.stdout(Stdio::null())
			.stderr(out)
			.spawn()
			.expect("start the relayer");
		RelayerProcess(child)
	}

	/// `kill -9`.
	fn kill(mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

impl Drop for RelayerProcess {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

fn wait_for<T>(what: &str, secs: u64, logs: &[&Path], mut f: impl FnMut() -> Option<T>) -> T {
	let deadline = Instant::now() + Duration::from_secs(secs);
	loop {
		if let Some(v) = f() {
			return v;
		}
		if Instant::now() > deadline {
			let tails: Vec<String> = logs
				.iter()
				.map(|l| {
					let text = std::fs::read_to_string(l).unwrap_or_default();
					let lines: Vec<&str> = text.lines().rev().take(30).collect();
					format!(
						"--- {} ---\n{}",
						l.display(),
						lines.into_iter().rev().collect::<Vec<_>>().join("\n")
					)
				})
				.collect();
			panic!("{what} did not happen within {secs} s\n{}", tails.join("\n"));
		}
		std::thread::sleep(Duration::from_millis(500));
	}
}

fn status(node: &Node) -> BridgeStatus<AccountId, u128, u32> {
	node.call_api("NmrBridgeApi_status", ()).expect("bridge status")
}

fn eth_of(k: Sr25519Keyring) -> H160 {
	let suri = format!("//{k}");
	H160::from_slice(Signer::from_suri(&suri).unwrap().address().as_slice())
}

#[test]
fn deposits_mint_once_through_three_relayers_one_lying_and_withdrawals_release_on_ethereum() {
	let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
	let dir = scratch_dir("bridge");
	let anvil = Anvil::start(&["--block-time", "1", "--slots-in-an-epoch", "1"]).expect("anvil");
	let eth_url = anvil.url();
	let eth = Eth::connect(&eth_url).unwrap();
	let node = Node::start("bridge", &dir, &["--dev", "--tmp"]);
	node.wait_for_rpc(Duration::from_secs(120));
	node.wait_for_heights(1, 0, Duration::from_secs(120));
	let chain_url = format!("http://127.0.0.1:{}", node.rpc_port);

	// The contract for the dev chain's genesis set (Alice, threshold 1), at the address the dev
	// chain trusts.
	let deployed = relayer_cli(
		&["deploy", "--eth-url", &eth_url, "--relayer", "//Alice", "--window-cap", "1000"],
		&[],
	);
	let deployed: serde_json::Value = serde_json::from_str(deployed.trim()).unwrap();
	let bridge: Address = deployed["bridge"].as_str().unwrap().parse().unwrap();
	let token: Address = deployed["token"].as_str().unwrap().parse().unwrap();
	let expected = status(&node).contract.expect("the dev chain trusts a contract");
	assert_eq!(H160::from_slice(bridge.as_slice()), expected.address, "deterministic address");
	let contract_arg = bridge.to_string();

	// Governance grows the set to three, threshold two.
	let set: Vec<(AccountId, H160)> =
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
			.into_iter()
			.map(|k| (k.to_account_id(), eth_of(k)))
			.collect();
	let grow = RuntimeCall::NmrBridge(pallet_nmr_bridge::Call::set_relayers {
		relayers: BoundedVec::truncate_from(set),
		threshold: 2,
	});
	let sudo = RuntimeCall::Sudo(polkadot_sdk::pallet_sudo::Call::sudo { call: Box::new(grow) });
	submit(&node, Sr25519Keyring::Alice, sudo).expect("set_relayers accepted");

	let logs = [dir.join("alice.log"), dir.join("bob.log")];
	let log_refs: Vec<&Path> =
		logs.iter().map(|p| p.as_path()).chain([node.log.as_path()]).collect();
	let alice = RelayerProcess::start(
		"//Alice",
		&eth_url,
		&chain_url,
		&contract_arg,
		&dir.join("alice.json"),
		&logs[0],
	);
	let mut bob = Some(RelayerProcess::start(
		"//Bob",
		&eth_url,
		&chain_url,
		&contract_arg,
		&dir.join("bob.json"),
		&logs[1],
	));

	// Alice, the outgoing set, signs the rotation; anyone submits it to the contract.
	wait_for("the rotation's signature", 90, &log_refs, || {
		node.call_api::<Option<pallet_nmr_bridge::api::RotationProof>>(
			"NmrBridgeApi_rotation",
			1u32,
		)
		.ok()
		.flatten()
		.filter(|r| r.complete)
	});
	// Finalised on the chain before the tool reads it there.
	std::thread::sleep(Duration::from_secs(14));
	println!(
		"{}",
		relayer_cli(
			&[
				"rotate",
				"--eth-url",
				&eth_url,
				"--chain-url",
				&chain_url,
				"--contract",
				&contract_arg,
				"--set-id",
				"1"
			],
			&[]
		)
		.trim()
	);
	let accounts = rt.block_on(eth.accounts()).unwrap();

	// Charlie lies from the start: a forged version of deposit 1 (to himself, 1,000 NMR).
	let charlie =
		Chain::connect(&chain_url, Some(sr25519::Pair::from_string("//Charlie", None).unwrap()))
			.unwrap();
	let lie = |nonce: u64, amount: u128| Deposit {
		chain_id: expected.chain_id,
		contract: expected.address,
		tx_hash: H256::repeat_byte(0x66),
		log_index: 0,
		nonce,
		recipient: Sr25519Keyring::Charlie.to_account_id(),
		amount,
	};
	let vote =
		|d: Deposit<AccountId, u128>| {
			rt.block_on(charlie.submit(RuntimeCall::NmrBridge(
				pallet_nmr_bridge::Call::vote_deposit { deposit: d },
			)))
		};
	let charlie_before = free_balance(&node, &Sr25519Keyring::Charlie.to_account_id());
	vote(lie(1, 1_000 * NMR)).expect("the forged vote is accepted into the pool");

	let (eve, ferdie) =
		(Sr25519Keyring::Eve.to_account_id(), Sr25519Keyring::Ferdie.to_account_id());
	let eve_before = free_balance(&node, &eve);
	let ferdie_before = free_balance(&node, &ferdie);
	let deposit = |amount: &str, to: &AccountId| {
		relayer_cli(
			&[
				"deposit",
				"--eth-url",
				&eth_url,
				"--contract",
				&contract_arg,
				"--amount",
				amount,
				"--to",
				&to.to_ss58check(),
			],
			&[],
		)
	};
	let started = Instant::now();
	println!("{}", deposit("10", &eve).trim());
	wait_for("deposit 1 minted", 120, &log_refs, || {
		(free_balance(&node, &eve) == eve_before + 10 * NMR).then_some(())
	});
	let deposit_latency = started.elapsed();

	// Bob's relayer dies (kill -9) while deposit 2 is made, and comes back from its state file.
	bob.take().unwrap().kill();
	println!("{}", deposit("5", &ferdie).trim());
	std::thread::sleep(Duration::from_secs(3));
	bob = Some(RelayerProcess::start(
		"//Bob",
		&eth_url,
		&chain_url,
		&contract_arg,
		&dir.join("bob.json"),
		&logs[1],
	));
	wait_for("deposit 2 minted", 120, &log_refs, || {
		(free_balance(&node, &ferdie) == ferdie_before + 5 * NMR).then_some(())
	});
	// A deposit that never happened, voted first, as nonce 3.
	vote(lie(3, 777 * NMR)).expect("the phantom vote is accepted into the pool");
	println!("{}", deposit("3", &eve).trim());
	wait_for("deposit 3 minted", 120, &log_refs, || {
		(free_balance(&node, &eve) == eve_before + 13 * NMR).then_some(())
	});

	let s = status(&node);
	assert_eq!(s.next_deposit, 4);
	assert_eq!(s.total_minted, 18 * NMR, "every real deposit once, nothing forged");
	let charlie_dissent =
		s.relayers.iter().find(|r| r.0 == Sr25519Keyring::Charlie.to_account_id()).unwrap().2;
	assert_eq!(charlie_dissent, 2, "the forged and the phantom deposit are Charlie's dissent");
	// Charlie paid fees for nothing but got no NMR from his lies.
	assert!(free_balance(&node, &Sr25519Keyring::Charlie.to_account_id()) <= charlie_before);

	// Eve withdraws 4 NMR to an Ethereum account; the relayers sign; the proof is released.
	let to = accounts[2];
	let token_balance = |who: Address| -> U256 {
		let out = rt
			.block_on(eth.call(token, &TestNmr::balanceOfCall::new((who,)).abi_encode()))
			.unwrap();
		TestNmr::balanceOfCall::abi_decode_returns(&out).unwrap()
	};
	let to_before = token_balance(to);
	let started = Instant::now();
	eve_withdraws_4_nmr_and_the_relayers_sign(&node, &chain_url, to, &log_refs);
	println!(
		"{}",
		relayer_cli(
			&[
				"release",
				"--eth-url",
				&eth_url,
				"--chain-url",
				&chain_url,
				"--contract",
				&contract_arg,
				"--nonce",
				"1"
			],
			&[]
		)
		.trim()
	);
	let withdrawal_latency = started.elapsed();
	assert_eq!(token_balance(to), to_before + U256::from(4 * NMR));

	// NMR locked in the contract = NMR minted on the chain − NMR burned.
	let locked = NmrBridge::lockedCall::abi_decode_returns(
		&rt.block_on(eth.call(bridge, &NmrBridge::lockedCall {}.abi_encode())).unwrap(),
	)
	.unwrap();
	let s = status(&node);
	assert_eq!(s.total_burned, 4 * NMR);
	assert_eq!(locked, U256::from(s.total_minted - s.total_burned));
	assert_eq!(token_balance(bridge), locked);
	println!(
		"bridge latency: deposit → minted {:.1} s, withdraw → released {:.1} s",
		deposit_latency.as_secs_f64(),
		withdrawal_latency.as_secs_f64()
	);
	drop(alice);
	drop(bob);
}

/// A live chain starts with no NMR at all. Its relayers (Alice and Bob of the template's three,
/// threshold two) hold none either, yet they mint the first deposit: their accounts exist while
/// they serve and their votes and signatures that count are free. The first fees, too small for
/// an account that does not exist (the block author's, the fee pot's), are owed to the fee pot
/// and paid into it once it can exist; at every step total issuance + owed = NMR locked.
#[test]
fn a_live_chain_starts_with_no_nmr_and_its_relayers_bring_the_first_in() {
	let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
	let dir = scratch_dir("bridge-live");
	let anvil = Anvil::start(&["--block-time", "1", "--slots-in-an-epoch", "1"]).expect("anvil");
	let eth_url = anvil.url();
	let eth = Eth::connect(&eth_url).unwrap();
	// The operator's path: write out the template, (edit it,) run the file.
	let spec = dir.join("live.json");
	let out = Command::new(common::node_binary())
		.args(["build-spec", "--chain", "live-template", "--disable-default-bootnode"])
		.output()
		.expect("build-spec");
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	std::fs::write(&spec, &out.stdout).unwrap();
	// Unedited, the node refuses it: its development keys are public.
	let refused = Command::new(common::node_binary())
		.args(["--chain", spec.to_str().unwrap(), "--tmp", "--unsafe-force-node-key-generation"])
		.output()
		.expect("node");
	let why = String::from_utf8_lossy(&refused.stderr);
	assert!(!refused.status.success() && why.contains("this is the live template"), "{why}");
	// The operators' edit: here they keep the development keys as their own, and name it.
	let mut edited: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	edited["id"] = "numerstake_live_test".into();
	std::fs::write(&spec, serde_json::to_vec_pretty(&edited).unwrap()).unwrap();
	let node = Node::start(
		"live",
		&dir,
		&[
			"--chain",
			spec.to_str().unwrap(),
			"--alice",
			"--validator",
			"--tmp",
			"--unsafe-force-node-key-generation",
		],
	);
	node.wait_for_rpc(Duration::from_secs(120));
	node.wait_for_heights(1, 0, Duration::from_secs(120));
	let chain_url = format!("http://127.0.0.1:{}", node.rpc_port);

	let issuance = |node: &Node| storage_value::<u128>(node, "Balances", "TotalIssuance");
	let owed = |node: &Node| storage_value::<u128>(node, "FeePot", "FeePotOwed").unwrap_or(0);
	assert_eq!(issuance(&node).unwrap_or(0), 0, "no NMR at genesis");
	assert!(storage_value::<AccountId>(&node, "Sudo", "Key").is_none(), "no sudo key");
	let (alice, bob) = (Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id());

	let deployed = relayer_cli(
		&[
			"deploy",
			"--eth-url",
			&eth_url,
			"--relayer",
			"//Alice",
			"--relayer",
			"//Bob",
			"--relayer",
			"//Charlie",
			"--threshold",
			"2",
			"--min-threshold",
			"2",
			"--window-cap",
			"1000",
		],
		&[],
	);
	let deployed: serde_json::Value = serde_json::from_str(deployed.trim()).unwrap();
	let bridge: Address = deployed["bridge"].as_str().unwrap().parse().unwrap();
	let contract_arg = bridge.to_string();
	let logs = [dir.join("alice.log"), dir.join("bob.log")];
	let log_refs: Vec<&Path> =
		logs.iter().map(|p| p.as_path()).chain([node.log.as_path()]).collect();
	let relayers = [("//Alice", &logs[0], "alice.json"), ("//Bob", &logs[1], "bob.json")].map(
		|(suri, log, state)| {
			RelayerProcess::start(suri, &eth_url, &chain_url, &contract_arg, &dir.join(state), log)
		},
	);

	let eve = Sr25519Keyring::Eve.to_account_id();
	let started = Instant::now();
	relayer_cli(
		&[
			"deposit",
			"--eth-url",
			&eth_url,
			"--contract",
			&contract_arg,
			"--amount",
			"10",
			"--to",
			&eve.to_ss58check(),
		],
		&[],
	);
	wait_for("the first deposit minted", 120, &log_refs, || {
		(free_balance(&node, &eve) == 10 * NMR).then_some(())
	});
	println!(
		"live chain: first deposit minted {:.1} s after it was made",
		started.elapsed().as_secs_f64()
	);
	assert_eq!(issuance(&node), Some(10 * NMR));
	assert_eq!(
		(free_balance(&node, &alice), free_balance(&node, &bob)),
		(0, 0),
		"relayers paid nothing"
	);

	// Eve's first transfers: their fees are below the existential deposit and neither the
	// block author (Alice, no NMR) nor the fee pot exists yet, so they are owed to the pot.
	let ferdie = Sr25519Keyring::Ferdie.to_account_id();
	let pot = numerstake_runtime::configs::fee_pot_account();
	let mut sent = 0;
	let mut owed_seen = 0;
	while sent < 20 {
		let call =
			RuntimeCall::Balances(polkadot_sdk::pallet_balances::Call::transfer_allow_death {
				dest: ferdie.clone().into(),
				value: NMR / 2,
			});
		submit(&node, Sr25519Keyring::Eve, call).expect("transfer accepted");
		sent += 1;
		wait_for("the transfer", 60, &log_refs, || {
			(free_balance(&node, &ferdie) == sent * NMR / 2).then_some(())
		});
		let o = owed(&node);
		// Nothing is lost: what no account holds yet is owed to the pot.
		assert_eq!(issuance(&node).unwrap() + o, 10 * NMR, "after transfer {sent}");
		if o == 0 && owed_seen > 0 {
			break;
		}
		owed_seen = owed_seen.max(o);
	}
	assert!(owed_seen > 0, "the first fees were owed to the pot");
	let fees = free_balance(&node, &pot);
	println!(
		"live chain: fees owed to the pot up to {owed_seen} planck; it exists after {sent} \
		 transfers, holding {fees} planck"
	);
	assert!(owed(&node) == 0 && fees > 0, "the pot took what it was owed");
	assert_eq!(issuance(&node), Some(10 * NMR), "every fee is in an account");
	assert_eq!(
		free_balance(&node, &eve)
			+ free_balance(&node, &ferdie)
			+ fees + free_balance(&node, &alice),
		10 * NMR
	);

	// Back out: the relayers sign Eve's withdrawal for free; the proof releases on Ethereum.
	let to = rt.block_on(eth.accounts()).unwrap()[3];
	eve_withdraws_4_nmr_and_the_relayers_sign(&node, &chain_url, to, &log_refs);
	relayer_cli(
		&[
			"release",
			"--eth-url",
			&eth_url,
			"--chain-url",
			&chain_url,
			"--contract",
			&contract_arg,
			"--nonce",
			"1",
		],
		&[],
	);
	let locked = NmrBridge::lockedCall::abi_decode_returns(
		&rt.block_on(eth.call(bridge, &NmrBridge::lockedCall {}.abi_encode())).unwrap(),
	)
	.unwrap();
	assert_eq!(locked, U256::from(6 * NMR));
	assert_eq!(issuance(&node), Some(6 * NMR), "issuance = NMR locked");
	assert_eq!(free_balance(&node, &bob), 0, "a relayer needs no NMR");
	drop(relayers);
}

/// The dev presets register the Ethereum addresses of the ECDSA keys `//Alice` and `//Bob`: the
/// keys their relayers sign with.
#[test]
fn the_dev_relayer_addresses_are_those_of_the_dev_keys() {
	for (keyring, address) in numerstake_runtime::genesis_config_presets::DEV_RELAYER_ETH {
		assert_eq!(eth_of(keyring).0, address, "{keyring}");
	}
}
