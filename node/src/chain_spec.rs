//! Chain specifications: the built-in `dev` and `local` chains, the `live-template` to fill in
//! for a live network, or a JSON file.

use numerstake_runtime::{TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};
use polkadot_sdk::{
	sc_service::{self, ChainType, Properties},
	sp_genesis_builder,
};

/// The chain specification type of this node.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The SS58 address format: the generic Substrate prefix.
pub const SS58_FORMAT: u16 = 42;

/// Token symbol, decimals and address format, so that wallets show NMR with 18 decimals.
pub fn chain_properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_FORMAT.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime wasm was not built (was SKIP_WASM_BUILD set?); rebuild without it".to_string()
	})
}

/// A single-validator development chain (Alice).
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("numerstake development")
		.with_id("numerstake_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(chain_properties())
		.build())
}

/// A two-validator local testnet (Alice and Bob).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("numerstake local testnet")
		.with_id("numerstake_local_testnet")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(chain_properties())
		.build())
}

/// The id of the live template. The node refuses to run a chain with this id: its development
/// keys (validators, council, oracle operators, relayers) are public, so whoever launched it
/// unedited would hand anyone the bridge. Editing the spec means giving it an id of its own.
pub const LIVE_TEMPLATE_ID: &str = "numerstake_live_template";

/// The template of a live chain (no NMR at genesis, no sudo; development keys standing in for
/// the operators' own, to be replaced before launch).
pub fn live_template_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("numerstake")
		.with_id(LIVE_TEMPLATE_ID)
		.with_chain_type(ChainType::Live)
		.with_genesis_config_preset_name(
			numerstake_runtime::genesis_config_presets::LIVE_TEMPLATE_PRESET,
		)
		.with_properties(chain_properties())
		.build())
}
