//! `numerstake-relayer`: the NMR bridge's relayer, and the dev chain's Ethereum-side helpers.
//!
//! ```text
//! numerstake-relayer run --contract 0x… [--eth-url …] [--chain-url …] [--state FILE] [--from-block N]
//! numerstake-relayer deploy --relayer //Alice [--threshold 1] …        (dev: on anvil)
//! numerstake-relayer deposit --contract 0x… --amount 10 --to 5Grw…      (dev: from an anvil account)
//! numerstake-relayer withdraw --amount 5 --to 0x…                        (burns on the chain)
//! numerstake-relayer release --contract 0x… --nonce 1                    (submits the proof)
//! numerstake-relayer rotate --contract 0x… --set-id 1                    (submits a rotation)
//! numerstake-relayer admin-sign --contract 0x… unpause                    (a relayer signs)
//! numerstake-relayer admin-submit --contract 0x… --signature 0x… … unpause
//! ```
//!
//! Keys come from a file (`--key-file`) or an environment variable, never from the command line,
//! and are never printed: the relayer's from `NUMERSTAKE_RELAYER_SURI`, a user's (for
//! `withdraw`) from `NUMERSTAKE_SURI`. One secret URI gives both keys a relayer needs: its
//! sr25519 account on the chain and its secp256k1 key for Ethereum signatures.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolEvent};
use clap::{Parser, Subcommand};
use numerstake_relayer::{
	chain::Chain,
	contract::{self, NmrBridge, Signer, TestNmr},
	eth::Eth,
	relay::{self, Config, Relayer},
};
use polkadot_sdk::sp_core::{crypto::Ss58Codec, sr25519, Pair};
use std::{path::PathBuf, process::ExitCode, time::Duration};

#[derive(Parser)]
#[command(name = "numerstake-relayer", version, about = "numerstake's NMR bridge relayer")]
struct Cli {
	/// The Ethereum node's JSON-RPC.
	#[arg(long, global = true, default_value = "http://127.0.0.1:8545")]
	eth_url: String,
	/// The numerstake node's JSON-RPC.
	#[arg(long, global = true, default_value = "http://127.0.0.1:9944")]
	chain_url: String,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Relays for ever: votes deposits from finalised Ethereum blocks, signs withdrawals and
	/// rotations. Key: `--key-file` or $NUMERSTAKE_RELAYER_SURI.
	Run {
		/// The lock contract.
		#[arg(long)]
		contract: Address,
		/// Where progress is kept across restarts.
		#[arg(long, default_value = "relayer-state.json")]
		state: PathBuf,
		/// The first Ethereum block to scan when there is no state file (the contract's
		/// deployment block).
		#[arg(long, default_value_t = 0)]
		from_block: u64,
		/// A file holding the relayer's secret URI.
		#[arg(long)]
		key_file: Option<PathBuf>,
		/// Milliseconds between steps.
		#[arg(long, default_value_t = 2_000)]
		interval_ms: u64,
	},
	/// Dev chains: deploys the test token and the lock contract from the node's first unlocked
	/// account (anvil), and gives each other unlocked account test NMR.
	Deploy {
		/// Secret URIs of the relayers of set 0 (their Ethereum keys), e.g. `//Alice`.
		#[arg(long = "relayer", required = true)]
		relayers: Vec<String>,
		#[arg(long, default_value_t = 1)]
		threshold: u16,
		#[arg(long, default_value_t = 1)]
		min_threshold: u16,
		/// Seconds a rotated-out set's releases stay valid.
		#[arg(long, default_value_t = 7 * 86_400)]
		rotation_grace: u64,
		/// The release window, seconds, and the most released per window, NMR.
		#[arg(long, default_value_t = 86_400)]
		window: u64,
		#[arg(long, default_value = "10000")]
		window_cap: String,
		/// The least deposit, NMR.
		#[arg(long, default_value = "0.01")]
		min_deposit: String,
		/// The largest deposit, NMR (at most the chain's mint limit per period).
		#[arg(long, default_value = "100000")]
		max_deposit: String,
		/// Test NMR for each other unlocked account.
		#[arg(long, default_value = "100000")]
		mint: String,
	},
	/// Dev chains: deposits from an unlocked account of the Ethereum node (approving first,
	/// from zero, as NMR requires).
	Deposit {
		#[arg(long)]
		contract: Address,
		/// NMR, e.g. `12.5`.
		#[arg(long)]
		amount: String,
		/// The numerstake account (SS58).
		#[arg(long)]
		to: String,
		/// Which unlocked account pays.
		#[arg(long, default_value_t = 1)]
		account_index: usize,
	},
	/// Burns NMR on the chain to release it to an Ethereum address. Key: $NUMERSTAKE_SURI.
	Withdraw {
		/// NMR.
		#[arg(long)]
		amount: String,
		/// The Ethereum recipient.
		#[arg(long)]
		to: Address,
	},
	/// Submits the rotation into relayer set `set_id` (signed on the chain by the outgoing
	/// set) to the contract, from an unlocked account of the Ethereum node. Rotations go in
	/// order: the contract must be at set `set_id - 1`.
	Rotate {
		#[arg(long)]
		contract: Address,
		#[arg(long)]
		set_id: u32,
		#[arg(long, default_value_t = 0)]
		account_index: usize,
	},
	/// Submits withdrawal `nonce`'s release proof (from the chain) to the contract, from an
	/// unlocked account of the Ethereum node.
	Release {
		#[arg(long)]
		contract: Address,
		#[arg(long)]
		nonce: u64,
		#[arg(long, default_value_t = 1)]
		account_index: usize,
	},
	/// A relayer's signature of an administrative message of the contract (resuming it after a
	/// pause, or replacing its guardian), read from the contract for its current set. Prints
	/// the signer and the signature; collect a threshold of them for `admin-submit`. Key:
	/// `--key-file` or $NUMERSTAKE_RELAYER_SURI.
	AdminSign {
		#[arg(long)]
		contract: Address,
		#[arg(long)]
		key_file: Option<PathBuf>,
		#[command(subcommand)]
		action: AdminAction,
	},
	/// Submits an administrative message with the relayers' signatures (`admin-sign`), checked
	/// and ordered first, from an unlocked account of the Ethereum node; or, with
	/// `--print-calldata`, prints the transaction's data for a wallet to send.
	AdminSubmit {
		#[arg(long)]
		contract: Address,
		/// A relayer's signature (`0x` and 65 bytes); repeat for each.
		#[arg(long = "signature", required = true)]
		signatures: Vec<String>,
		#[arg(long, default_value_t = 0, global = true)]
		account_index: usize,
		#[arg(long, global = true)]
		print_calldata: bool,
		#[command(subcommand)]
		action: AdminAction,
	},
}

/// The contract's administrative messages, signed by the current set's threshold.
#[derive(Subcommand, Clone, Copy)]
enum AdminAction {
	/// Resume the paused contract.
	Unpause,
	/// Make `guardian` the contract's guardian.
	SetGuardian {
		#[arg(long)]
		guardian: Address,
	},
}

/// An administrative message as the current set signs it: computed here from the contract's
/// chain id, address, current set and admin nonce, and checked against the digest the contract
/// itself answers, so that a node or contract serving another digest (a release, say) cannot
/// get it signed.
struct AdminMessage {
	digest: B256,
	set_id: u32,
	members: Vec<Address>,
	shown: serde_json::Value,
}

async fn admin_message(
	eth: &Eth,
	contract: Address,
	action: AdminAction,
) -> Result<AdminMessage, String> {
	async fn read<C: alloy_sol_types::SolCall>(
		eth: &Eth,
		contract: Address,
		call: C,
		what: &str,
	) -> Result<C::Return, String> {
		let out = eth.call(contract, &call.abi_encode()).await.map_err(|e| {
			format!("reading {what} from {contract}: {e} (is it the numerstake lock contract?)")
		})?;
		C::abi_decode_returns(&out).map_err(|e| {
			format!("{contract} answered {what} with {e}: is it the numerstake lock contract?")
		})
	}
	let chain_id = eth.chain_id().await.map_err(|e| e.to_string())?;
	let set_id = read(eth, contract, NmrBridge::currentSetCall {}, "currentSet").await?;
	let nonce = read(eth, contract, NmrBridge::adminNonceCall {}, "adminNonce").await?;
	let members =
		read(eth, contract, NmrBridge::signersOfCall { setId: set_id }, "signersOf").await?;
	let (digest, answered, shown) = match action {
		AdminAction::Unpause => (
			contract::unpause_digest(chain_id, contract, set_id, nonce),
			read(eth, contract, NmrBridge::unpauseDigestCall {}, "unpauseDigest").await?,
			serde_json::json!({"type": "Unpause", "setId": set_id, "nonce": nonce}),
		),
		AdminAction::SetGuardian { guardian } => (
			contract::guardian_digest(chain_id, contract, set_id, guardian, nonce),
			read(
				eth,
				contract,
				NmrBridge::guardianDigestCall { guardian_: guardian },
				"guardianDigest",
			)
			.await?,
			serde_json::json!({
				"type": "SetGuardian", "setId": set_id, "guardian": guardian.to_string(), "nonce": nonce
			}),
		),
	};
	if answered != digest {
		return Err(format!(
			"{contract} on chain {chain_id} answers digest {answered} for this message, not the \
			 {digest} of a numerstake lock contract: refusing"
		));
	}
	let shown = serde_json::json!({
		"chainId": chain_id, "contract": contract.to_string(), "message": shown,
		"digest": digest.to_string(),
	});
	Ok(AdminMessage { digest, set_id, members, shown })
}

async fn admin_submit(
	eth: &Eth,
	contract: Address,
	action: AdminAction,
	signatures: &[String],
	from: Option<Address>,
) -> Result<String, String> {
	let AdminMessage { digest, set_id: current, members, .. } =
		admin_message(eth, contract, action).await?;
	let mut signed: Vec<(Address, [u8; 65])> = Vec::new();
	for text in signatures {
		let bytes = numerstake_relayer::chain::unhex(text)?;
		let sig: [u8; 65] =
			bytes.try_into().map_err(|_| format!("{text} is not a 65-byte signature"))?;
		let signer = pallet_nmr_bridge::eth::signer(&digest.0, &sig)
			.map(|a| Address::from_slice(a.as_bytes()))
			.ok_or(format!("{text} is not a valid signature"))?;
		if !members.contains(&signer) {
			return Err(format!(
				"{signer} signed, but it is not in the contract's current set {current} (the \
				 signature may be of an older message: sign again)"
			));
		}
		if signed.iter().any(|(a, _)| *a == signer) {
			return Err(format!("{signer} signed twice"));
		}
		signed.push((signer, sig));
	}
	let concatenated = contract::ordered(signed);
	let (data, done) = match action {
		AdminAction::Unpause => (
			NmrBridge::unpauseCall { signatures: concatenated }.abi_encode(),
			"unpaused the contract".to_string(),
		),
		AdminAction::SetGuardian { guardian } => (
			NmrBridge::setGuardianCall { guardian_: guardian, signatures: concatenated }
				.abi_encode(),
			format!("made {guardian} the contract's guardian"),
		),
	};
	let Some(from) = from else {
		return Ok(format!("to {contract}\ndata {}", alloy_primitives::hex::encode_prefixed(data)));
	};
	let receipt = eth
		.transact(from, Some(contract), &data)
		.await
		.map_err(|e| format!("the contract refused it: {e}"))?;
	Ok(format!("{done} in block {} (tx {})", receipt.block_number, receipt.transaction_hash))
}

fn planck(text: &str) -> Result<u128, String> {
	let v = numerstake_numerai::decimal::parse_nmr(text)
		.map_err(|e| format!("{text:?} is not an NMR amount: {e:?}"))?;
	u128::try_from(v).map_err(|_| format!("{text:?} is negative"))
}

fn secret(file: Option<&PathBuf>, var: &str) -> Result<String, String> {
	match file {
		Some(path) => std::fs::read_to_string(path)
			.map(|s| s.trim().to_string())
			.map_err(|e| format!("key file {}: {e}", path.display())),
		None => std::env::var(var).map_err(|_| format!("no key: set ${var} or pass --key-file")),
	}
}

fn account_key(suri: &str) -> Result<sr25519::Pair, String> {
	sr25519::Pair::from_string(suri, None).map_err(|e| format!("not a valid secret URI: {e:?}"))
}

async fn unlocked(eth: &Eth, index: usize) -> Result<Address, String> {
	let accounts = eth.accounts().await.map_err(|e| e.to_string())?;
	accounts
		.get(index)
		.copied()
		.ok_or_else(|| format!("the Ethereum node has no unlocked account {index}"))
}

async fn main_result(cli: Cli) -> Result<(), String> {
	let eth = || Eth::connect(&cli.eth_url).map_err(|e| e.to_string());
	match cli.command {
		Command::Run { contract, state, from_block, key_file, interval_ms } => {
			let suri = secret(key_file.as_ref(), "NUMERSTAKE_RELAYER_SURI")?;
			let cfg = Config {
				eth_url: cli.eth_url.clone(),
				chain_url: cli.chain_url.clone(),
				contract,
				from_block,
				state,
			};
			let relayer = loop {
				match Relayer::new(cfg.clone(), account_key(&suri)?, Signer::from_suri(&suri)?)
					.await
				{
					Ok(r) => break r,
					Err(e) if e.contains("state file") => return Err(e),
					Err(e) => {
						relay::say(format!("{e}; trying again in 5 s"));
						tokio::time::sleep(Duration::from_secs(5)).await;
					},
				}
			};
			relayer.run(Duration::from_millis(interval_ms)).await;
			Ok(())
		},
		Command::Deploy {
			relayers,
			threshold,
			min_threshold,
			rotation_grace,
			window,
			window_cap,
			min_deposit,
			max_deposit,
			mint,
		} => {
			let eth = eth()?;
			let deployer = unlocked(&eth, 0).await?;
			let token = eth
				.transact(deployer, None, &contract::test_nmr_bytecode())
				.await
				.map_err(|e| format!("deploying the test token: {e}"))?
				.contract_address
				.ok_or("no token address")?;
			let mut signers = relayers
				.iter()
				.map(|s| Signer::from_suri(s).map(|k| k.address()))
				.collect::<Result<Vec<_>, _>>()?;
			signers.sort();
			let constructor = NmrBridge::constructorCall {
				token_: token,
				signers,
				threshold,
				minThreshold_: min_threshold,
				guardian_: deployer,
				rotationGrace_: U256::from(rotation_grace),
				window_: U256::from(window),
				windowCap_: U256::from(planck(&window_cap)?),
				minDeposit_: U256::from(planck(&min_deposit)?),
				maxDeposit_: U256::from(planck(&max_deposit)?),
			};
			let code = [contract::bridge_bytecode(), constructor.abi_encode()].concat();
			let receipt = eth
				.transact(deployer, None, &code)
				.await
				.map_err(|e| format!("deploying the bridge: {e}"))?;
			let bridge = receipt.contract_address.ok_or("no bridge address")?;
			let mint = U256::from(planck(&mint)?);
			for who in eth.accounts().await.map_err(|e| e.to_string())?.into_iter().skip(1) {
				let call = TestNmr::mintCall { to: who, value: mint };
				eth.transact(deployer, Some(token), &call.abi_encode())
					.await
					.map_err(|e| format!("minting test NMR: {e}"))?;
			}
			println!(
				"{}",
				serde_json::json!({"token": token.to_string(), "bridge": bridge.to_string(),
					"block": receipt.block_number, "chain_id": eth.chain_id().await.map_err(|e| e.to_string())?})
			);
			Ok(())
		},
		Command::Deposit { contract, amount, to, account_index } => {
			let eth = eth()?;
			let from = unlocked(&eth, account_index).await?;
			let amount = U256::from(planck(&amount)?);
			let recipient = polkadot_sdk::sp_core::crypto::AccountId32::from_ss58check(&to)
				.map_err(|e| format!("{to} is not a numerstake account: {e:?}"))?;
			let token = NmrBridge::tokenCall::abi_decode_returns(
				&eth.call(contract, &NmrBridge::tokenCall {}.abi_encode())
					.await
					.map_err(|e| e.to_string())?,
			)
			.map_err(|e| e.to_string())?;
			for value in [U256::ZERO, amount] {
				let call = TestNmr::approveCall { spender: contract, value };
				eth.transact(from, Some(token), &call.abi_encode())
					.await
					.map_err(|e| format!("approving the bridge: {e}"))?;
			}
			let call = NmrBridge::depositCall {
				amount,
				recipient: B256::from(<[u8; 32]>::from(recipient)),
			};
			let receipt = eth
				.transact(from, Some(contract), &call.abi_encode())
				.await
				.map_err(|e| format!("deposit: {e}"))?;
			let nonce = receipt
				.logs
				.iter()
				.find(|l| l.topics.first() == Some(&NmrBridge::Deposited::SIGNATURE_HASH))
				.and_then(|l| {
					NmrBridge::Deposited::decode_raw_log(l.topics.iter().copied(), &l.data).ok()
				})
				.map(|d| d.nonce)
				.ok_or("no Deposited event")?;
			println!(
				"deposit {nonce} in block {} (tx {})",
				receipt.block_number, receipt.transaction_hash
			);
			Ok(())
		},
		Command::Withdraw { amount, to } => {
			let suri = secret(None, "NUMERSTAKE_SURI")?;
			let chain = Chain::connect(&cli.chain_url, Some(account_key(&suri)?))?;
			let call =
				numerstake_runtime::RuntimeCall::NmrBridge(pallet_nmr_bridge::Call::withdraw {
					amount: planck(&amount)?,
					recipient: polkadot_sdk::sp_core::H160::from_slice(to.as_slice()),
				});
			let hash = chain.submit(call).await?;
			let by = chain.account().map(|a| a.to_ss58check()).unwrap_or_default();
			println!("withdrawal submitted ({hash:?}) by {by}");
			Ok(())
		},
		Command::Rotate { contract, set_id, account_index } => {
			let eth = eth()?;
			let from = unlocked(&eth, account_index).await?;
			let chain = Chain::connect(&cli.chain_url, None)?;
			let at = chain.finalized_head().await?;
			let rotation: Option<pallet_nmr_bridge::api::RotationProof> = chain
				.call_api_at("NmrBridgeApi_rotation", &codec::Encode::encode(&set_id), Some(at))
				.await?;
			let r = rotation.ok_or(format!("the chain has no rotation into set {set_id}"))?;
			if !r.complete {
				return Err(format!(
					"the rotation into set {set_id} lacks the outgoing set's signatures"
				));
			}
			let call = NmrBridge::rotateCall {
				signers: r.signers.iter().map(|a| Address::from_slice(a.as_bytes())).collect(),
				threshold: r.threshold,
				cutoff: r.cutoff,
				signatures: r.signatures.into(),
			};
			let receipt = eth
				.transact(from, Some(contract), &call.abi_encode())
				.await
				.map_err(|e| format!("rotate: {e}"))?;
			println!(
				"rotated the contract to set {set_id} in block {} (tx {})",
				receipt.block_number, receipt.transaction_hash
			);
			Ok(())
		},
		Command::AdminSign { contract, key_file, action } => {
			let key = Signer::from_suri(&secret(key_file.as_ref(), "NUMERSTAKE_RELAYER_SURI")?)?;
			let m = admin_message(&eth()?, contract, action).await?;
			if !m.members.contains(&key.address()) {
				return Err(format!(
					"{} is not in the contract's current set {}: its signature would not count",
					key.address(),
					m.set_id
				));
			}
			println!(
				"{}",
				serde_json::json!({
					"signer": key.address().to_string(),
					"signature": alloy_primitives::hex::encode_prefixed(key.sign(m.digest)),
					"signed": m.shown,
				})
			);
			Ok(())
		},
		Command::AdminSubmit { contract, signatures, account_index, print_calldata, action } => {
			let eth = eth()?;
			let from =
				if print_calldata { None } else { Some(unlocked(&eth, account_index).await?) };
			println!("{}", admin_submit(&eth, contract, action, &signatures, from).await?);
			Ok(())
		},
		Command::Release { contract, nonce, account_index } => {
			let eth = eth()?;
			let from = unlocked(&eth, account_index).await?;
			let chain = Chain::connect(&cli.chain_url, None)?;
			let proof: Option<pallet_nmr_bridge::ReleaseProof<u128>> = chain
				.call_api("NmrBridgeApi_withdrawal_proof", &codec::Encode::encode(&nonce))
				.await?;
			let proof = proof.ok_or(format!("the chain has no withdrawal {nonce}"))?;
			if !proof.complete {
				return Err(format!("withdrawal {nonce} is not signed by enough relayers yet"));
			}
			let call = NmrBridge::releaseCall {
				nonce,
				recipient: Address::from_slice(proof.recipient.as_bytes()),
				amount: U256::from(proof.amount),
				setId: proof.set_id,
				signatures: proof.signatures.into(),
			};
			let receipt = eth
				.transact(from, Some(contract), &call.abi_encode())
				.await
				.map_err(|e| format!("release: {e}"))?;
			println!(
				"released withdrawal {nonce} in block {} (tx {})",
				receipt.block_number, receipt.transaction_hash
			);
			Ok(())
		},
	}
}

#[tokio::main]
async fn main() -> ExitCode {
	match main_result(Cli::parse()).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("numerstake-relayer: {e}");
			ExitCode::FAILURE
		},
	}
}
