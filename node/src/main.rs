//! numerstake node: an Aura + GRANDPA solochain node with off-chain workers and JSON-RPC.

// `sc_cli::Error` is the SDK's error type and large by design; every sub-command returns it.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
