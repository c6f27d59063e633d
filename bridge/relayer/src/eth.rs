//! A small Ethereum JSON-RPC client (on jsonrpsee's HTTP client): what the relayer watches and
//! what the bridge's tests drive. Quantities are read strictly: a field that is missing or not
//! a `0x` hex number is an error, never a zero.

use alloy_primitives::{hex, Address, Bytes, B256};
use jsonrpsee::{
	core::{client::ClientT, params::ArrayParams, ClientError},
	http_client::{HttpClient, HttpClientBuilder},
};
use serde_json::{json, Value};
use std::time::Duration;

/// What can go wrong talking to an Ethereum node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
	/// The node could not be reached or answered with a transport error.
	Transport(String),
	/// The call (or the gas estimate of a transaction) reverted; `data` is the revert data.
	Reverted { message: String, data: Bytes },
	/// Any other JSON-RPC error.
	Rpc { code: i32, message: String },
	/// The answer did not have the expected shape.
	Shape(&'static str),
	/// A transaction was mined but failed.
	Failed(B256),
	/// A transaction was not mined in time.
	NotMined(B256),
}

impl core::fmt::Display for Error {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Error::Transport(e) => write!(f, "Ethereum node unreachable: {e}"),
			Error::Reverted { message, data } => write!(f, "reverted: {message} ({data})"),
			Error::Rpc { code, message } => write!(f, "Ethereum node error {code}: {message}"),
			Error::Shape(what) => write!(f, "unexpected answer from the Ethereum node: {what}"),
			Error::Failed(tx) => write!(f, "transaction {tx} failed"),
			Error::NotMined(tx) => write!(f, "transaction {tx} not mined in time"),
		}
	}
}

impl std::error::Error for Error {}

/// A block to read at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
	/// The newest block.
	Latest,
	/// The newest finalised block (the only one whose events the bridge acts on).
	Finalized,
	/// A block by number.
	Number(u64),
}

impl Block {
	fn param(self) -> Value {
		match self {
			Block::Latest => json!("latest"),
			Block::Finalized => json!("finalized"),
			Block::Number(n) => json!(format!("{n:#x}")),
		}
	}
}

/// An event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Log {
	pub address: Address,
	pub topics: Vec<B256>,
	pub data: Bytes,
	pub block_number: u64,
	pub block_hash: B256,
	pub transaction_hash: B256,
	pub log_index: u64,
}

/// A mined transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
	pub transaction_hash: B256,
	pub block_number: u64,
	pub contract_address: Option<Address>,
	pub logs: Vec<Log>,
}

/// A connection to an Ethereum node's JSON-RPC (HTTP).
pub struct Eth {
	client: HttpClient,
}

fn quantity(v: &Value, what: &'static str) -> Result<u64, Error> {
	let text = v.as_str().and_then(|s| s.strip_prefix("0x")).ok_or(Error::Shape(what))?;
	u64::from_str_radix(text, 16).map_err(|_| Error::Shape(what))
}

fn bytes(v: &Value, what: &'static str) -> Result<Bytes, Error> {
	let text = v.as_str().ok_or(Error::Shape(what))?;
	hex::decode(text).map(Bytes::from).map_err(|_| Error::Shape(what))
}

fn word(v: &Value, what: &'static str) -> Result<B256, Error> {
	let b = bytes(v, what)?;
	B256::try_from(&b[..]).map_err(|_| Error::Shape(what))
}

fn address(v: &Value, what: &'static str) -> Result<Address, Error> {
	let b = bytes(v, what)?;
	Address::try_from(&b[..]).map_err(|_| Error::Shape(what))
}

fn log(v: &Value) -> Result<Log, Error> {
	let topics = v
		.get("topics")
		.and_then(Value::as_array)
		.ok_or(Error::Shape("log topics"))?
		.iter()
		.map(|t| word(t, "log topic"))
		.collect::<Result<_, _>>()?;
	let field = |k: &'static str| v.get(k).ok_or(Error::Shape(k));
	Ok(Log {
		address: address(field("address")?, "log address")?,
		topics,
		data: bytes(field("data")?, "log data")?,
		block_number: quantity(field("blockNumber")?, "log blockNumber")?,
		block_hash: word(field("blockHash")?, "log blockHash")?,
		transaction_hash: word(field("transactionHash")?, "log transactionHash")?,
		log_index: quantity(field("logIndex")?, "log logIndex")?,
	})
}

impl Eth {
	/// Connects to `url` (e.g. `http://127.0.0.1:8545`); requests time out after 10 s.
	pub fn connect(url: &str) -> Result<Self, Error> {
		let client = HttpClientBuilder::default()
			.request_timeout(Duration::from_secs(10))
			.build(url)
			.map_err(|e| Error::Transport(e.to_string()))?;
		Ok(Eth { client })
	}

	/// Any JSON-RPC method.
	pub async fn request(&self, method: &str, params: Vec<Value>) -> Result<Value, Error> {
		let mut array = ArrayParams::new();
		for p in params {
			array.insert(p).map_err(|e| Error::Transport(e.to_string()))?;
		}
		self.client.request::<Value, _>(method, array).await.map_err(|e| match e {
			ClientError::Call(obj) => {
				let data = obj
					.data()
					.and_then(|d| serde_json::from_str::<Value>(d.get()).ok())
					.and_then(|d| d.as_str().and_then(|s| hex::decode(s).ok()));
				match (obj.code(), data) {
					(3, Some(data)) => Error::Reverted {
						message: obj.message().to_string(),
						data: Bytes::from(data),
					},
					(code, _) => Error::Rpc { code, message: obj.message().to_string() },
				}
			},
			other => Error::Transport(other.to_string()),
		})
	}

	/// The chain id.
	pub async fn chain_id(&self) -> Result<u64, Error> {
		quantity(&self.request("eth_chainId", vec![]).await?, "chain id")
	}

	/// The number of `block` (`Finalized`: the newest finalised block).
	pub async fn block_number(&self, block: Block) -> Result<u64, Error> {
		let b = self.request("eth_getBlockByNumber", vec![block.param(), json!(false)]).await?;
		quantity(b.get("number").ok_or(Error::Shape("block number"))?, "block number")
	}

	/// The hash of block `number`, if it exists.
	pub async fn block_hash(&self, number: u64) -> Result<Option<B256>, Error> {
		let b = self
			.request("eth_getBlockByNumber", vec![Block::Number(number).param(), json!(false)])
			.await?;
		if b.is_null() {
			return Ok(None);
		}
		word(b.get("hash").ok_or(Error::Shape("block hash"))?, "block hash").map(Some)
	}

	/// The node's unlocked accounts (dev nodes).
	pub async fn accounts(&self) -> Result<Vec<Address>, Error> {
		let list = self.request("eth_accounts", vec![]).await?;
		list.as_array()
			.ok_or(Error::Shape("accounts"))?
			.iter()
			.map(|a| address(a, "account"))
			.collect()
	}

	/// `eth_call` of `data` on `to` at the latest block.
	pub async fn call(&self, to: Address, data: &[u8]) -> Result<Bytes, Error> {
		self.call_at(to, data, Block::Latest).await
	}

	/// `eth_call` of `data` on `to` at `block`.
	pub async fn call_at(&self, to: Address, data: &[u8], block: Block) -> Result<Bytes, Error> {
		let tx = json!({"to": to.to_string(), "data": hex::encode_prefixed(data)});
		bytes(&self.request("eth_call", vec![tx, block.param()]).await?, "call output")
	}

	/// Sends a transaction from the node's unlocked account `from` (dev nodes: anvil) and
	/// waits for its receipt. A transaction that would revert is not sent: it is simulated
	/// first, and the revert comes back as [`Error::Reverted`] with its data.
	pub async fn transact(
		&self,
		from: Address,
		to: Option<Address>,
		data: &[u8],
	) -> Result<Receipt, Error> {
		let mut tx = json!({"from": from.to_string(), "data": hex::encode_prefixed(data)});
		if let Some(to) = to {
			tx["to"] = json!(to.to_string());
		}
		self.request("eth_call", vec![tx.clone(), Block::Latest.param()]).await?;
		let hash = word(&self.request("eth_sendTransaction", vec![tx]).await?, "tx hash")?;
		for _ in 0..600 {
			let r =
				self.request("eth_getTransactionReceipt", vec![json!(hash.to_string())]).await?;
			if !r.is_null() {
				if quantity(r.get("status").ok_or(Error::Shape("status"))?, "status")? != 1 {
					return Err(Error::Failed(hash));
				}
				let contract_address = match r.get("contractAddress") {
					Some(Value::Null) | None => None,
					Some(a) => Some(address(a, "contract address")?),
				};
				let logs = r
					.get("logs")
					.and_then(Value::as_array)
					.ok_or(Error::Shape("receipt logs"))?
					.iter()
					.map(log)
					.collect::<Result<_, _>>()?;
				return Ok(Receipt {
					transaction_hash: hash,
					block_number: quantity(
						r.get("blockNumber").ok_or(Error::Shape("blockNumber"))?,
						"blockNumber",
					)?,
					contract_address,
					logs,
				});
			}
			tokio::time::sleep(Duration::from_millis(100)).await;
		}
		Err(Error::NotMined(hash))
	}

	/// The logs of `address` with first topic `topic0` in blocks `from ..= to`.
	pub async fn logs(
		&self,
		address: Address,
		topic0: B256,
		from: u64,
		to: u64,
	) -> Result<Vec<Log>, Error> {
		let filter = json!({
			"address": address.to_string(),
			"topics": [topic0.to_string()],
			"fromBlock": Block::Number(from).param(),
			"toBlock": Block::Number(to).param(),
		});
		let list = self.request("eth_getLogs", vec![filter]).await?;
		list.as_array().ok_or(Error::Shape("logs"))?.iter().map(log).collect()
	}
}
