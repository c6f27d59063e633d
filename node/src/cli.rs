//! Command-line interface.

use polkadot_sdk::sc_cli::{self, RunCmd};

/// The node's command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: RunCmd,

	/// Numerai GraphQL endpoint for this node's oracle off-chain worker (used only if the
	/// keystore holds an oracle operator's key). Defaults to the local fixture server
	/// (`http://127.0.0.1:8787/graphql`) on development and local chains; live chains need it
	/// set (e.g. `https://api-tournament.numer.ai`).
	#[arg(long, value_name = "URL")]
	pub numerai_endpoint: Option<String>,
}

/// Sub-commands besides running the node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect, and `insert` keys into the keystore (Aura, GRANDPA,
	/// and the oracle and bridge roles of later releases).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks (`benchmark pallet` writes the weight files). Needs a node built with
	/// `--features runtime-benchmarks`.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(polkadot_sdk::frame_benchmarking_cli::BenchmarkCmd),

	/// Benchmarks are not compiled into this binary.
	#[cfg(not(feature = "runtime-benchmarks"))]
	Benchmark,

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
