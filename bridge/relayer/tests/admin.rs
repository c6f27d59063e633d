//! The contract's administrative messages through the relayer binary, as operators use it: the
//! guardian pauses; two of three relayers each sign `unpause` with `admin-sign`; anyone submits
//! the signatures with `admin-submit`, which checks and orders them. Then the same for a new
//! guardian. Too few signatures, a stranger's, a signature of an older message and a contract
//! that is not the lock contract are refused with words that say why.

use alloy_primitives::Address;
use alloy_sol_types::SolCall;
use numerstake_relayer::{anvil::Anvil, contract::NmrBridge, eth::Eth};
use std::process::Command;

fn relayer(args: &[&str], suri: Option<&str>) -> Result<String, String> {
	let mut cmd = Command::new(env!("CARGO_BIN_EXE_numerstake-relayer"));
	cmd.args(args).env_remove("NUMERSTAKE_RELAYER_SURI");
	if let Some(s) = suri {
		cmd.env("NUMERSTAKE_RELAYER_SURI", s);
	}
	let out = cmd.output().expect("run numerstake-relayer");
	let text = |b: &[u8]| String::from_utf8_lossy(b).trim().to_string();
	if out.status.success() {
		Ok(text(&out.stdout))
	} else {
		Err(text(&out.stderr))
	}
}

async fn read<C: SolCall>(eth: &Eth, to: Address, call: C) -> C::Return {
	C::abi_decode_returns(&eth.call(to, &call.abi_encode()).await.unwrap()).unwrap()
}

#[tokio::test]
async fn relayers_sign_unpause_and_a_new_guardian_with_the_cli() {
	let anvil = Anvil::start(&["--slots-in-an-epoch", "1"]).expect("anvil starts");
	let url = anvil.url();
	let eth = Eth::connect(&url).unwrap();
	let deployed = relayer(
		&[
			"deploy",
			"--eth-url",
			&url,
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
		],
		None,
	)
	.expect("deploy");
	let deployed: serde_json::Value = serde_json::from_str(&deployed).unwrap();
	let bridge: Address = deployed["bridge"].as_str().unwrap().parse().unwrap();
	let contract = bridge.to_string();
	let guardian = eth.accounts().await.unwrap()[0];
	eth.transact(guardian, Some(bridge), &NmrBridge::pauseCall {}.abi_encode()).await.unwrap();
	assert!(read(&eth, bridge, NmrBridge::pausedCall {}).await);

	let sign = |suri: &str, action: &[&str]| -> String {
		let mut args = vec!["admin-sign", "--eth-url", &url, "--contract", &contract];
		args.extend_from_slice(action);
		let out = relayer(&args, Some(suri)).expect("admin-sign");
		assert!(!out.contains(suri), "the key is never printed");
		let v: serde_json::Value = serde_json::from_str(&out).unwrap();
		v["signature"].as_str().unwrap().to_string()
	};
	let submit = |sigs: &[&str], action: &[&str]| -> Result<String, String> {
		let mut args = vec!["admin-submit", "--eth-url", &url, "--contract", &contract];
		for s in sigs {
			args.extend_from_slice(&["--signature", s]);
		}
		args.extend_from_slice(action);
		relayer(&args, None)
	};

	let (alice, charlie) = (sign("//Alice", &["unpause"]), sign("//Charlie", &["unpause"]));
	// What a relayer signs is shown, and computed by the tool: a contract (or node) that
	// answers another digest gets nothing signed.
	let shown = relayer(
		&["admin-sign", "--eth-url", &url, "--contract", &contract, "unpause"],
		Some("//Bob"),
	)
	.unwrap();
	let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
	assert_eq!(shown["signed"]["message"]["type"], "Unpause", "{shown}");
	assert_eq!(shown["signed"]["contract"], contract.as_str());
	let token = deployed["token"].as_str().unwrap();
	let err = relayer(
		&["admin-sign", "--eth-url", &url, "--contract", token, "unpause"],
		Some("//Alice"),
	)
	.unwrap_err();
	assert!(err.contains("is it the numerstake lock contract"), "{err}");
	let err = relayer(
		&["admin-sign", "--eth-url", &url, "--contract", &contract, "unpause"],
		Some("//Dave"),
	)
	.unwrap_err();
	assert!(err.contains("not in the contract's current set"), "{err}");
	let err = submit(&[&alice], &["unpause"]).unwrap_err();
	assert!(err.contains("refused"), "{err}");
	let err = submit(&[&alice, &alice], &["unpause"]).unwrap_err();
	assert!(err.contains("signed twice"), "{err}");
	// Without an unlocked account: the data for a wallet.
	let calldata = submit(&[&charlie, &alice], &["unpause", "--print-calldata"]).unwrap();
	assert!(calldata.contains("data 0x"), "{calldata}");
	assert!(read(&eth, bridge, NmrBridge::pausedCall {}).await, "printing sends nothing");
	// In any order: the tool sorts the signers as the contract wants them.
	let done = submit(&[&charlie, &alice], &["unpause"]).expect("unpause");
	assert!(done.contains("unpaused"), "{done}");
	assert!(!read(&eth, bridge, NmrBridge::pausedCall {}).await);

	// A new guardian; the old unpause signatures are spent (the admin nonce moved on).
	let new_guardian = eth.accounts().await.unwrap()[5];
	let g = new_guardian.to_string();
	let action = ["set-guardian", "--guardian", g.as_str()];
	let sigs = [sign("//Bob", &action), sign("//Alice", &action)];
	let err = submit(&[&alice, &charlie], &action).unwrap_err();
	assert!(err.contains("not in the contract's current set"), "{err}");
	submit(&[&sigs[0], &sigs[1]], &action).expect("set-guardian");
	assert_eq!(read(&eth, bridge, NmrBridge::guardianCall {}).await, new_guardian);
	// The set's signatures cannot be replayed.
	let err = submit(&[&sigs[0], &sigs[1]], &action).unwrap_err();
	assert!(err.contains("not in the contract's current set"), "{err}");
}
