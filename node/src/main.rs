//! numerstake node: an Aura + GRANDPA solochain node with off-chain workers and JSON-RPC.

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
