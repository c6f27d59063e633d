//! numerstake over JSON-RPC (jsonrpsee's HTTP client): runtime API calls, storage reads, and
//! transactions signed with the runtime's own types, as a wallet does. The spec and transaction
//! versions are read from the node, so a relayer keeps working across runtime upgrades that
//! leave its calls unchanged.

use codec::{Decode, Encode};
use jsonrpsee::{
	core::{client::ClientT, params::ArrayParams},
	http_client::{HttpClient, HttpClientBuilder},
};
use numerstake_runtime::{AccountId, RuntimeCall, SignedPayload, TxExtension, UncheckedExtrinsic};
use polkadot_sdk::{
	frame_system, pallet_transaction_payment,
	sp_core::{crypto::Ss58Codec, sr25519, Pair, H256},
	sp_runtime::generic::Era,
};
use serde_json::{json, Value};
use std::time::Duration;

/// `0x`-prefixed lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
	alloy_primitives::hex::encode_prefixed(bytes)
}

/// A connection to a numerstake node, with the key that signs (none: read only).
pub struct Chain {
	client: HttpClient,
	signer: Option<sr25519::Pair>,
}

impl Chain {
	/// Connects to the node's JSON-RPC at `url` (`http://` or `ws://`: the node serves both on
	/// one port; this client speaks HTTP).
	pub fn connect(url: &str, signer: Option<sr25519::Pair>) -> Result<Self, String> {
		let url = url.replacen("ws://", "http://", 1).replacen("wss://", "https://", 1);
		let client = HttpClientBuilder::default()
			.request_timeout(Duration::from_secs(20))
			.build(&url)
			.map_err(|e| format!("numerstake node URL {url}: {e}"))?;
		Ok(Chain { client, signer })
	}

	/// The signing account.
	pub fn account(&self) -> Option<AccountId> {
		self.signer.as_ref().map(|s| s.public().into())
	}

	/// Any JSON-RPC method.
	pub async fn rpc(&self, method: &str, params: Vec<Value>) -> Result<Value, String> {
		let mut array = ArrayParams::new();
		for p in params {
			array.insert(p).map_err(|e| e.to_string())?;
		}
		self.client
			.request::<Value, _>(method, array)
			.await
			.map_err(|e| format!("numerstake node: {method}: {e}"))
	}

	/// The hash of the newest finalised block.
	pub async fn finalized_head(&self) -> Result<H256, String> {
		let v = self.rpc("chain_getFinalizedHead", vec![]).await?;
		Ok(H256::from_slice(&unhex(v.as_str().ok_or("no finalised head")?)?))
	}

	/// Calls runtime API `method` (e.g. `NmrBridgeApi_status`) with SCALE-encoded `args`, at
	/// the best block.
	pub async fn call_api<T: Decode>(&self, method: &str, args: &[u8]) -> Result<T, String> {
		self.call_api_at(method, args, None).await
	}

	/// As [`Self::call_api`], at block `at` (the best block if `None`).
	pub async fn call_api_at<T: Decode>(
		&self,
		method: &str,
		args: &[u8],
		at: Option<H256>,
	) -> Result<T, String> {
		let mut params = vec![json!(method), json!(hex(args))];
		if let Some(at) = at {
			params.push(json!(hex(at.as_bytes())));
		}
		let out = self.rpc("state_call", params).await?;
		let bytes = unhex(out.as_str().ok_or("state_call: not a string")?)?;
		T::decode(&mut &bytes[..]).map_err(|e| format!("{method}: undecodable answer: {e}"))
	}

	/// The raw value under storage `key` at block `at` (the best block if `None`).
	pub async fn storage(&self, key: &[u8], at: Option<H256>) -> Result<Option<Vec<u8>>, String> {
		let mut params = vec![json!(hex(key))];
		if let Some(at) = at {
			params.push(json!(hex(at.as_bytes())));
		}
		let v = self.rpc("state_getStorage", params).await?;
		match v.as_str() {
			None => Ok(None),
			Some(text) => unhex(text).map(Some),
		}
	}

	/// Signs `call` (mortal, no tip, the account's next nonce, including the pool's) and
	/// submits it; the transaction hash. A transaction the pool refuses comes back as an error
	/// naming the reason.
	pub async fn submit(&self, call: RuntimeCall) -> Result<H256, String> {
		let signer = self.signer.as_ref().ok_or("no key to sign with")?;
		let account: AccountId = signer.public().into();
		let nonce = self
			.rpc("system_accountNextIndex", vec![json!(account.to_ss58check())])
			.await?
			.as_u64()
			.ok_or("system_accountNextIndex: not a number")? as u32;
		let genesis = self.rpc("chain_getBlockHash", vec![json!(0)]).await?;
		let genesis = H256::from_slice(&unhex(genesis.as_str().ok_or("no genesis hash")?)?);
		let version = self.rpc("state_getRuntimeVersion", vec![]).await?;
		let spec = version["specVersion"].as_u64().ok_or("no specVersion")? as u32;
		let tx_version =
			version["transactionVersion"].as_u64().ok_or("no transactionVersion")? as u32;
		// Mortal from the finalised head: a transaction not included within the period can
		// never be replayed, even if the account is reaped and its nonce starts again.
		let head = self.finalized_head().await?;
		let header = self.rpc("chain_getHeader", vec![json!(hex(head.as_bytes()))]).await?;
		let number = header["number"]
			.as_str()
			.and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
			.ok_or("chain_getHeader: no block number")?;
		let xt =
			signed_extrinsic(call, signer, nonce, genesis, spec, tx_version, Some((number, head)));
		let hash = self.rpc("author_submitExtrinsic", vec![json!(hex(&xt.encode()))]).await?;
		let text = hash.as_str().ok_or("author_submitExtrinsic: no hash")?;
		Ok(H256::from_slice(&unhex(text)?))
	}
}

/// Blocks a relayer's transaction stays valid for.
pub const MORTAL_PERIOD: u64 = 64;

/// `call` signed by `signer` as a wallet signs it: no tip, nonce `nonce`, for the chain of
/// `genesis` at runtime `spec` / `tx_version`; valid for [`MORTAL_PERIOD`] blocks from
/// `checkpoint` (a block's number and hash), or for ever if `None`.
pub fn signed_extrinsic(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: u32,
	genesis: H256,
	spec: u32,
	tx_version: u32,
	checkpoint: Option<(u64, H256)>,
) -> UncheckedExtrinsic {
	let (era, era_hash) = match checkpoint {
		Some((number, hash)) => (Era::mortal(MORTAL_PERIOD, number), hash),
		None => (Era::Immortal, genesis),
	};
	let extension: TxExtension = (
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(era),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0).into(),
		frame_system::WeightReclaim::new(),
	);
	let implicit = ((), spec, tx_version, genesis, era_hash, (), (), (), ());
	let payload = SignedPayload::from_raw(call, extension, implicit);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let (call, extension, _) = payload.deconstruct();
	let account: AccountId = signer.public().into();
	UncheckedExtrinsic::new_signed(
		call,
		account.into(),
		polkadot_sdk::sp_runtime::MultiSignature::Sr25519(signature),
		extension,
	)
}

/// Bytes of `0x`-prefixed hex.
pub fn unhex(text: &str) -> Result<Vec<u8>, String> {
	alloy_primitives::hex::decode(text).map_err(|e| format!("not hex: {e}"))
}

/// The storage key of a `Blake2_128Concat` map entry.
pub fn map_key(pallet: &str, item: &str, key: &impl Encode) -> Vec<u8> {
	use polkadot_sdk::sp_io::hashing::{blake2_128, twox_128};
	let encoded = key.encode();
	let mut k = twox_128(pallet.as_bytes()).to_vec();
	k.extend(twox_128(item.as_bytes()));
	k.extend(blake2_128(&encoded));
	k.extend(encoded);
	k
}
