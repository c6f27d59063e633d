//! `numerstake`: the command-line tool for stakers, model owners, oracle operators and council
//! members. Run `numerstake --help`; the README has a section per role.

mod commands;
mod gov;
mod watch;

use clap::{Parser, Subcommand};

/// numerstake: stake NMR on other people's Numerai models.
#[derive(Parser, Debug)]
#[command(name = "numerstake", version, about)]
pub struct Cli {
	/// The node's WebSocket JSON-RPC endpoint.
	#[arg(long, global = true, env = "NUMERSTAKE_URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// Print machine-readable JSON instead of tables (amounts as exact planck strings and NMR text).
	#[arg(long, global = true)]
	pub json: bool,
	/// Environment variable holding the signing key's secret URI.
	#[arg(long, global = true, default_value = "NUMERSTAKE_SURI")]
	pub suri_env: String,
	/// A Polkadot.js keystore file to sign with instead (its password in $NUMERSTAKE_KEYSTORE_PASSWORD).
	#[arg(long, global = true)]
	pub keystore: Option<String>,
	/// Send without asking for confirmation.
	#[arg(long, short = 'y', global = true)]
	pub yes: bool,
	#[command(subcommand)]
	pub command: Command,
}

/// Commands.
#[derive(Subcommand, Debug)]
pub enum Command {
	/// All models: terms, capacity left, bond cover, consistency and recent returns.
	Models {
		/// Rounds of returns to sum.
		#[arg(long, default_value_t = 20)]
		rounds: u32,
	},
	/// One model in full: terms, versions, record, pool and round results.
	Model {
		#[command(subcommand)]
		what: ModelCmd,
	},
	/// The signer's (or any account's) positions and totals.
	Portfolio {
		/// An account (SS58) to show instead of the signer's.
		#[arg(long)]
		who: Option<String>,
	},
	/// What delegating AMOUNT NMR to MODEL for TERM rounds would cost.
	Quote {
		model: String,
		amount: String,
		#[arg(long, default_value_t = 0)]
		term: u32,
	},
	/// Delegate AMOUNT NMR to MODEL, consenting to its current terms (shown first).
	Delegate {
		model: String,
		amount: String,
		#[arg(long, default_value_t = 0)]
		term: u32,
	},
	/// Ask to leave a position (refunded in full before its first round opens).
	Exit { model: String, index: u32 },
	/// Take a released position's NMR home.
	Withdraw { model: String, index: u32 },
	/// Settle a position's fees up to now (anyone may, for anyone).
	Settle {
		model: String,
		index: u32,
		/// The position's staker (SS58); the signer by default.
		#[arg(long)]
		staker: Option<String>,
	},
	/// Commit a position for TERM rounds on the model's current terms.
	Recommit { model: String, index: u32, term: u32 },
	/// Bring a pool's records up to date (sent automatically before calls that need it).
	CatchUp { model: String },
	/// Accounts' free and held balances, and the total issuance.
	Balance { accounts: Vec<String> },
	/// Send AMOUNT NMR to an account (e.g. to fund a bot key's fees).
	Transfer { to: String, amount: String },
	/// Register a staking bot: ACCOUNT may exit, settle and withdraw for the signer, nothing else.
	BotAdd { account: String },
	/// The automation daemon: act on RULES.toml as the staker's StakingBot proxy.
	Watch {
		rules: String,
		/// Where to remember baselines (default: RULES.toml.state.json).
		#[arg(long)]
		state: Option<String>,
		/// Look once, act, and stop (for cron and tests).
		#[arg(long)]
		once: bool,
	},
	/// A diversifying allocation of BUDGET NMR from the chain's round history.
	Recommend {
		#[arg(long)]
		budget: String,
		/// low, medium or high.
		#[arg(long, default_value = "medium")]
		risk: String,
		/// Rounds of history to use.
		#[arg(long, default_value_t = 300)]
		rounds: u32,
		/// Whose portfolio to diversify (SS58); the signer's by default, none if no key.
		#[arg(long)]
		who: Option<String>,
	},
	/// Write an HTML report with plots into DIR.
	Report {
		#[arg(long)]
		out: String,
		#[arg(long)]
		who: Option<String>,
		/// Budget for the recommendation shown in the report.
		#[arg(long, default_value = "1000")]
		budget: String,
	},
	/// Owner: claim a Numerai model (1 NMR deposit) by its id and exact public name.
	Register { model: String, name: String },
	/// Owner: print the ownership challenge to paste into the model's Numerai profile, and wait for the oracle.
	Challenge {
		model: String,
		/// Print and return without waiting.
		#[arg(long)]
		no_wait: bool,
		/// Give up after this many seconds.
		#[arg(long, default_value_t = 3600)]
		timeout: u64,
	},
	/// Owner: terms.
	Terms {
		#[command(subcommand)]
		what: TermsCmd,
	},
	/// Owner: model versions.
	Version {
		#[command(subcommand)]
		what: VersionCmd,
	},
	/// Owner: add AMOUNT NMR to the model's bond.
	Bond { model: String, amount: String },
	/// Owner: take AMOUNT NMR out of the bond (what the open rounds do not need).
	Unbond { model: String, amount: String },
	/// Owner: claim what the pool owes (losses it kept for you and fees).
	Claim { model: String },
	/// Oracle operators.
	Oracle {
		#[command(subcommand)]
		what: OracleCmd,
	},
	/// Council motions on fee caps and protocol parameters.
	Gov {
		#[command(subcommand)]
		what: gov::GovCmd,
	},
}

/// `model …`
#[derive(Subcommand, Debug)]
pub enum ModelCmd {
	/// Everything about one model.
	Show {
		model: String,
		#[arg(long, default_value_t = 30)]
		rounds: u32,
	},
}

/// `terms …`
#[derive(Subcommand, Debug)]
pub enum TermsCmd {
	/// Publish terms from FILE.toml (checked with the chain's rules before sending).
	Set { model: String, file: String },
}

/// `version …`
#[derive(Subcommand, Debug)]
pub enum VersionCmd {
	/// Commit the hash of a model artefact (or a file to hash), effective after the notice.
	Commit {
		model: String,
		/// `0x…` blake2-256 hash, or a path to a file to hash.
		artefact: String,
		#[arg(long)]
		effective_round: Option<u32>,
		#[arg(long, default_value = "")]
		note: String,
	},
}

/// `oracle …`
#[derive(Subcommand, Debug)]
pub enum OracleCmd {
	/// Rounds, operators and their dissent, pending subjects and conflicts.
	Status {
		/// The operator to single out (SS58); the signer by default.
		#[arg(long)]
		operator: Option<String>,
	},
}

fn main() {
	let cli = Cli::parse();
	let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
		Ok(r) => r,
		Err(e) => {
			eprintln!("error: cannot start: {e}");
			std::process::exit(2);
		},
	};
	match runtime.block_on(commands::run(cli)) {
		Ok(()) => {},
		Err(commands::Failure::Refused(message)) => {
			eprintln!("refused: {message}");
			std::process::exit(1);
		},
		Err(commands::Failure::Error(message)) => {
			eprintln!("error: {message}");
			std::process::exit(2);
		},
	}
}
