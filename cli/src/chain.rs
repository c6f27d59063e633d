//! The connection to a numerstake node: subxt over WebSocket JSON-RPC against the node's own
//! metadata, for reads (runtime APIs at the finalised block) and writes (signed, mortal
//! transactions followed to finality, their errors decoded into the pallets' own words).
//!
//! Calls are built with the runtime's own Rust types and checked against the node's metadata
//! before signing (`from_call_data_bytes` decodes them with it), so a CLI built for another
//! runtime refuses instead of sending something else. Views are decoded with the runtime API
//! crates' types; the connection refuses a node whose `spec_version` differs from the one this
//! CLI was built with, since the views' layouts are only known for that version.

use crate::keys::Key;
use codec::{Decode, Encode};
use indicatif::{ProgressBar, ProgressStyle};
use numerstake_primitives::{ModelId, RoundIndex};
use numerstake_runtime::{AccountId, BlockNumber, RuntimeCall, RuntimeEvent};
use pallet_model_registry_runtime_api::{ModelProfile, MAX_MODELS_PAGE};
use pallet_round_oracle_runtime_api::{OracleStatus, PendingView, RoundView};
use pallet_stake_delegation_runtime_api::{GovernanceView, PoolView, PositionView, Quote};
use polkadot_sdk::sp_runtime::DispatchError;
use std::time::Duration;
use subxt::{
	config::substrate::SubstrateExtrinsicParamsBuilder as Params, transactions::TransactionStatus,
	OnlineClient, SubstrateConfig,
};

/// The profile of a model as the registry's API returns it.
pub type Profile = ModelProfile<AccountId, u128, BlockNumber>;

/// What went wrong talking to the chain, in words for the user.
#[derive(Debug)]
pub struct ChainError(pub String);

impl std::fmt::Display for ChainError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(&self.0)
	}
}

impl std::error::Error for ChainError {}

/// `Result` with a [`ChainError`].
pub type Result<T> = std::result::Result<T, ChainError>;

fn err(context: &str, e: impl std::fmt::Display) -> ChainError {
	ChainError(format!("{context}: {e}"))
}

/// A call refused by the chain: which call, the pallet's error and its documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
	/// `pallet.call` that failed.
	pub call: String,
	/// `Pallet::Error`, or the dispatch error's kind.
	pub error: String,
	/// The error's documentation from the runtime.
	pub reason: String,
}

impl std::fmt::Display for Refusal {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{} failed: {}", self.call, self.error)?;
		if !self.reason.is_empty() {
			write!(f, " — {}", self.reason)?;
		}
		Ok(())
	}
}

/// What a transaction did, once final.
#[derive(Debug, Clone)]
pub struct Included {
	/// The finalised block it is in.
	pub block: String,
	/// Its events, decoded with the runtime's types.
	pub events: Vec<RuntimeEvent>,
}

/// A connected node.
pub struct Chain {
	client: OnlineClient<SubstrateConfig>,
	rpc: subxt::rpcs::RpcClient,
	/// The URL connected to.
	pub url: String,
	/// Whether progress bars are drawn (off for `--json` and when not on a terminal).
	pub progress: bool,
}

impl Chain {
	/// Connects to `url` and checks that the node runs the runtime this CLI was built for.
	pub async fn connect(url: &str) -> Result<Chain> {
		let local = is_loopback(url);
		let rpc = if local {
			subxt::rpcs::RpcClient::from_insecure_url(url).await
		} else {
			subxt::rpcs::RpcClient::from_url(url).await
		}
		.map_err(|e| err(&format!("cannot connect to {url}"), e))?;
		let client = OnlineClient::<SubstrateConfig>::from_rpc_client(rpc.clone())
			.await
			.map_err(|e| err(&format!("cannot connect to {url}"), e))?;
		let at =
			client.at_current_block().await.map_err(|e| err("cannot read the chain head", e))?;
		let built = numerstake_runtime::VERSION.spec_version;
		if at.spec_version() != built {
			return Err(ChainError(format!(
				"{url} runs runtime spec_version {}, this numerstake CLI was built for {built}: \
				 build the CLI from the same release as the node",
				at.spec_version()
			)));
		}
		Ok(Chain { client, rpc, url: url.into(), progress: false })
	}

	/// A runtime API call at the finalised head, decoded.
	pub async fn api<T: Decode>(&self, method: &str, args: impl Encode) -> Result<T> {
		let at = self
			.client
			.at_current_block()
			.await
			.map_err(|e| err("cannot read the chain head", e))?;
		let bytes = at
			.runtime_apis()
			.call_raw(method, Some(&args.encode()))
			.await
			.map_err(|e| err(&format!("runtime API {method}"), e))?;
		T::decode(&mut &bytes[..]).map_err(|e| err(&format!("decoding {method}"), e))
	}

	/// The finalised block's number.
	pub async fn finalised_number(&self) -> Result<u64> {
		let at = self
			.client
			.at_current_block()
			.await
			.map_err(|e| err("cannot read the chain head", e))?;
		Ok(at.block_number())
	}

	/// A raw storage value at the finalised head (`None` when absent).
	pub async fn storage(&self, key: Vec<u8>) -> Result<Option<Vec<u8>>> {
		let at = self
			.client
			.at_current_block()
			.await
			.map_err(|e| err("cannot read the chain head", e))?;
		match at.storage().fetch_raw(key).await {
			Ok(v) => Ok(Some(v)),
			Err(subxt::error::StorageError::NoValueFound) => Ok(None),
			Err(e) => Err(err("storage read", e)),
		}
	}

	/// Every registered model, paged through the registry's API.
	pub async fn model_ids(&self) -> Result<Vec<ModelId>> {
		let mut all = Vec::new();
		let mut after: Option<ModelId> = None;
		loop {
			let page: Vec<ModelId> =
				self.api("ModelRegistryApi_models", (after, MAX_MODELS_PAGE)).await?;
			let full = page.len() as u32 == MAX_MODELS_PAGE;
			after = page.last().copied();
			all.extend(page);
			if !full {
				return Ok(all);
			}
		}
	}

	/// A model's profile.
	pub async fn profile(&self, model: ModelId) -> Result<Option<Profile>> {
		self.api("ModelRegistryApi_model_profile", model).await
	}

	/// A model's pool.
	pub async fn pool(&self, model: ModelId) -> Result<Option<PoolView<AccountId>>> {
		self.api("StakeDelegationApi_pool", model).await
	}

	/// A staker's positions.
	pub async fn positions(&self, who: &AccountId) -> Result<Vec<PositionView>> {
		self.api("StakeDelegationApi_positions", who).await
	}

	/// A quote for delegating `principal` to `model` for `term` rounds.
	pub async fn quote(
		&self,
		model: ModelId,
		principal: u128,
		term: RoundIndex,
	) -> Result<Option<Quote>> {
		self.api("StakeDelegationApi_quote", (model, principal, term)).await
	}

	/// Governance's caps and parameters.
	pub async fn governance(&self) -> Result<GovernanceView> {
		self.api("StakeDelegationApi_governance", ()).await
	}

	/// The oracle's status.
	pub async fn oracle_status(&self) -> Result<OracleStatus<AccountId>> {
		self.api("RoundOracleApi_status", ()).await
	}

	/// Subjects waiting for an oracle quorum.
	pub async fn pending(&self) -> Result<Vec<PendingView<AccountId, BlockNumber>>> {
		self.api("RoundOracleApi_pending", pallet_round_oracle_runtime_api::MAX_PENDING_PAGE).await
	}

	/// A model's finalised rounds from `from` to `to` (at most `MAX_HISTORY_RANGE` per call;
	/// longer ranges are read in pieces).
	pub async fn history(
		&self,
		model: ModelId,
		from: RoundIndex,
		to: RoundIndex,
	) -> Result<Vec<RoundView<BlockNumber>>> {
		let mut out = Vec::new();
		let mut start = from;
		while start <= to {
			let end = to
				.min(start.saturating_add(pallet_round_oracle_runtime_api::MAX_HISTORY_RANGE - 1));
			let part: Vec<RoundView<BlockNumber>> =
				self.api("RoundOracleApi_model_history", (model, start, end)).await?;
			out.extend(part);
			if end == RoundIndex::MAX {
				break;
			}
			start = end + 1;
		}
		Ok(out)
	}

	/// An account's balances.
	pub async fn account_data(
		&self,
		who: &AccountId,
	) -> Result<polkadot_sdk::pallet_balances::AccountData<u128>> {
		use polkadot_sdk::sp_io::hashing::{blake2_128, twox_128};
		let mut key = twox_128(b"System").to_vec();
		key.extend(twox_128(b"Account"));
		key.extend(blake2_128(who.as_ref()));
		key.extend_from_slice(who.as_ref());
		let Some(bytes) = self.storage(key).await? else { return Ok(Default::default()) };
		let info = polkadot_sdk::frame_system::AccountInfo::<
			u32,
			polkadot_sdk::pallet_balances::AccountData<u128>,
		>::decode(&mut &bytes[..])
		.map_err(|e| err("decoding an account", e))?;
		Ok(info.data)
	}

	/// All NMR on the chain.
	pub async fn total_issuance(&self) -> Result<u128> {
		use polkadot_sdk::sp_io::hashing::twox_128;
		let mut key = twox_128(b"Balances").to_vec();
		key.extend(twox_128(b"TotalIssuance"));
		let bytes = self.storage(key).await?.unwrap_or_default();
		if bytes.is_empty() {
			return Ok(0);
		}
		u128::decode(&mut &bytes[..]).map_err(|e| err("decoding the total issuance", e))
	}

	/// Signs `call` with `key`, submits it and follows it to finality. `Err` for transport
	/// problems; otherwise the final block and events, and the refusal if the chain refused the
	/// call (also inside a batch or a proxy call), in the pallet's words. A refused call is
	/// still included, and its fee paid.
	pub async fn send(
		&self,
		key: &Key,
		label: &str,
		call: RuntimeCall,
	) -> Result<(Included, Option<Refusal>)> {
		let bar = self.bar(label);
		let at = self
			.client
			.at_current_block()
			.await
			.map_err(|e| err("cannot read the chain head", e))?;
		let mut txs = at.transactions();
		let payload = txs.from_call_data_bytes(&call.encode()).map_err(|e| {
			err(&format!("{label}: the node's metadata does not accept this call"), e)
		})?;
		// The next nonce as the node's pool sees it: the finalised state lags behind
		// transactions in the best blocks and the pool (an oracle operator's own reports).
		let ss58 = {
			use polkadot_sdk::sp_core::crypto::Ss58Codec;
			key.account().to_ss58check()
		};
		let nonce: u64 = self
			.rpc
			.request("system_accountNextIndex", subxt::rpcs::rpc_params![ss58])
			.await
			.map_err(|e| err(&format!("{label}: reading the account's nonce"), e))?;
		let params = Params::<SubstrateConfig>::new().mortal(64).nonce(nonce).build();
		bar.set_message(format!("{label}: signing and submitting"));
		let mut progress = txs
			.sign_and_submit_then_watch(&payload, key.signer(), params)
			.await
			.map_err(|e| err(&format!("{label}: submission refused"), e))?;
		let mut outcome = None;
		while let Some(status) = progress.next().await {
			let status =
				status.map_err(|e| err(&format!("{label}: following the transaction"), e))?;
			match status {
				TransactionStatus::Validated | TransactionStatus::Broadcasted => {
					bar.set_message(format!("{label}: in the pool, waiting for a block"));
				},
				TransactionStatus::NoLongerInBestBlock => {
					bar.set_message(format!("{label}: re-organised out, waiting again"));
				},
				TransactionStatus::InBestBlock(b) => {
					let hash = format!("{:?}", b.block_hash());
					bar.set_message(format!(
						"{label}: in block {}, waiting for finality",
						short(&hash)
					));
				},
				TransactionStatus::InFinalizedBlock(b) => {
					let events = b
						.fetch_events()
						.await
						.map_err(|e| err(&format!("{label}: reading its events"), e))?;
					let mut decoded = Vec::new();
					for ev in events.iter() {
						let ev = ev.map_err(|e| err(&format!("{label}: an event"), e))?;
						let mut bytes = vec![ev.pallet_index(), ev.event_index()];
						bytes.extend_from_slice(ev.field_bytes());
						let event = RuntimeEvent::decode(&mut &bytes[..]).map_err(|e| {
							err(
								&format!(
									"{label}: decoding {}.{}",
									ev.pallet_name(),
									ev.event_name()
								),
								e,
							)
						})?;
						decoded.push(event);
					}
					let block = format!("{:?}", b.block_hash());
					let refusal = self.refusal(&call, &decoded, &at.metadata());
					outcome = Some((Included { block, events: decoded }, refusal));
					break;
				},
				TransactionStatus::Error { message }
				| TransactionStatus::Invalid { message }
				| TransactionStatus::Dropped { message } => {
					bar.finish_and_clear();
					return Err(ChainError(format!(
						"{label}: the transaction was not included: {message}"
					)));
				},
			}
		}
		bar.finish_and_clear();
		outcome.ok_or_else(|| {
			ChainError(format!("{label}: the node stopped reporting the transaction"))
		})
	}

	fn bar(&self, label: &str) -> ProgressBar {
		if !self.progress {
			return ProgressBar::hidden();
		}
		let bar = ProgressBar::new_spinner();
		bar.set_style(
			ProgressStyle::with_template("{spinner} {elapsed:>3} {msg}")
				.unwrap_or_else(|_| ProgressStyle::default_spinner()),
		);
		bar.enable_steady_tick(Duration::from_millis(120));
		bar.set_message(label.to_string());
		bar
	}

	/// The first failure among the events of one extrinsic: the extrinsic itself, an item of a
	/// batch (a `catch_up` that found nothing to do is not a failure of the user's call), or
	/// the call a proxy made.
	fn refusal(
		&self,
		call: &RuntimeCall,
		events: &[RuntimeEvent],
		metadata: &subxt::metadata::Metadata,
	) -> Option<Refusal> {
		use polkadot_sdk::{frame_system, pallet_proxy, pallet_utility};
		let calls = flatten(call);
		let mut item = 0usize;
		for event in events {
			match event {
				RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
					dispatch_error,
					..
				}) => {
					return Some(describe(
						calls.last().map(|c| c.0.clone()).unwrap_or_default(),
						dispatch_error,
						metadata,
					))
				},
				RuntimeEvent::Utility(pallet_utility::Event::ItemCompleted) => item += 1,
				RuntimeEvent::Utility(pallet_utility::Event::ItemFailed { error }) => {
					let (name, benign) = calls.get(item).cloned().unwrap_or_default();
					item += 1;
					if !benign {
						return Some(describe(name, error, metadata));
					}
				},
				RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result: Err(error) }) => {
					return Some(describe(
						calls.last().map(|c| c.0.clone()).unwrap_or_default(),
						error,
						metadata,
					))
				},
				_ => {},
			}
		}
		None
	}
}

/// The calls a batch or proxy call carries, in order: (`pallet.call`, whether its failure is
/// harmless — a `catch_up` sent in case the pool needed it).
fn flatten(call: &RuntimeCall) -> Vec<(String, bool)> {
	use polkadot_sdk::{pallet_proxy, pallet_utility};
	match call {
		// `force_batch` reports each item; a failed `batch_all` fails the extrinsic. (`batch`,
		// which stops at the first failure with `BatchInterrupted`, is not sent by this CLI.)
		RuntimeCall::Utility(
			pallet_utility::Call::force_batch { calls } | pallet_utility::Call::batch_all { calls },
		) => calls.iter().flat_map(flatten).collect(),
		RuntimeCall::Proxy(pallet_proxy::Call::proxy { call, .. }) => flatten(call),
		other => {
			let benign = matches!(
				other,
				RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::catch_up { .. })
			);
			vec![(call_name(other), benign)]
		},
	}
}

/// `pallet.call` of a call, from its metadata-visible names.
pub fn call_name(call: &RuntimeCall) -> String {
	use polkadot_sdk::frame_support::traits::GetCallMetadata;
	let m = call.get_call_metadata();
	format!("{}.{}", m.pallet_name, m.function_name)
}

fn describe(call: String, error: &DispatchError, metadata: &subxt::metadata::Metadata) -> Refusal {
	match error {
		DispatchError::Module(m) => {
			let found = metadata.pallet_by_error_index(m.index).and_then(|p| {
				p.error_variant_by_index(m.error[0])
					.map(|v| (p.name().to_string(), v.name.clone(), v.docs.join(" ")))
			});
			match found {
				Some((pallet, name, docs)) => {
					Refusal { call, error: format!("{pallet}::{name}"), reason: docs }
				},
				None => {
					Refusal { call, error: format!("module error {:?}", m), reason: String::new() }
				},
			}
		},
		other => Refusal { call, error: format!("{other:?}"), reason: describe_plain(other) },
	}
}

fn describe_plain(error: &DispatchError) -> String {
	match error {
		DispatchError::BadOrigin => "this account may not make this call".into(),
		DispatchError::Token(t) => format!("the account's balance does not allow it ({t:?})"),
		DispatchError::Arithmetic(a) => format!("arithmetic {a:?}"),
		_ => String::new(),
	}
}

/// Whether `url`'s host is exactly a loopback address (plain `ws://` is allowed only there).
pub fn is_loopback(url: &str) -> bool {
	let Some((_, rest)) = url.split_once("://") else { return false };
	let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
	let host = match authority.strip_prefix('[') {
		Some(v6) => v6.split(']').next().unwrap_or(""),
		None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
	};
	matches!(host, "127.0.0.1" | "localhost" | "::1")
}

fn short(hash: &str) -> String {
	if hash.len() > 12 {
		format!("{}…", &hash[..12])
	} else {
		hash.into()
	}
}

#[cfg(test)]
mod tests {
	use super::is_loopback;

	#[test]
	fn only_a_loopback_host_counts_as_loopback() {
		assert!(is_loopback("ws://127.0.0.1:9944"));
		assert!(is_loopback("ws://localhost:9944/"));
		assert!(is_loopback("ws://[::1]:9944"));
		assert!(!is_loopback("ws://127.0.0.1.evil.example:9944"));
		assert!(!is_loopback("ws://localhost.evil.net"));
		assert!(!is_loopback("wss://rpc.example.org"));
		assert!(!is_loopback("127.0.0.1:9944"));
	}
}
