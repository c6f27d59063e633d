//! Signed transactions built with the runtime's own types, submitted over JSON-RPC: what a
//! wallet does, without a client library.

use super::Node;
use codec::Encode;
use numerstake_runtime::RuntimeCall;
use polkadot_sdk::{
	sp_core::{crypto::Ss58Codec, H256},
	sp_keyring::Sr25519Keyring,
};
use serde_json::json;

/// `0x`-prefixed hex, both ways: the relayer's (one implementation for the node tests and it).
pub use numerstake_relayer::chain::{hex, unhex};

/// Signs `call` as `signer` (immortal, no tip, next nonce, for the runtime version the node
/// runs now, as a wallet reads it) and submits it; the transaction hash.
pub fn submit(node: &Node, signer: Sr25519Keyring, call: RuntimeCall) -> Result<String, String> {
	let account = signer.to_account_id();
	let nonce = node
		.rpc("system_accountNextIndex", json!([account.to_ss58check()]))?
		.as_u64()
		.ok_or("no nonce")? as u32;
	let genesis = node.rpc("chain_getBlockHash", json!([0]))?;
	let genesis = H256::from_slice(&unhex(genesis.as_str().ok_or("no genesis hash")?)?);
	let version = node.rpc("state_getRuntimeVersion", json!([]))?;
	let number = |field: &str| {
		version[field].as_u64().and_then(|v| u32::try_from(v).ok()).ok_or(format!("no {field}"))
	};
	let xt = numerstake_relayer::chain::signed_extrinsic(
		call,
		&signer.pair(),
		nonce,
		genesis,
		number("specVersion")?,
		number("transactionVersion")?,
		None,
	);
	let hash = node.rpc("author_submitExtrinsic", json!([hex(&xt.encode())]))?;
	Ok(hash.as_str().unwrap_or_default().to_string())
}
