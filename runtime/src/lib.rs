//! # numerstake runtime
//!
//! A solochain runtime (Aura + GRANDPA) whose native token is NMR with 18 decimals, so that one
//! planck equals one wei of the NMR ERC-20 and bridging is exact. Later crates add the model
//! registry, the round oracle, stake delegation and the bridge; this crate wires them to the
//! FRAME system pallets, a council for governance and a restricted proxy type for staking bots.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`/`impl_runtime_apis` expand to large items.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;

use alloc::{borrow::Cow, vec::Vec};
use polkadot_sdk::{
	frame_executive, frame_support, frame_system, pallet_aura, pallet_balances, pallet_collective,
	pallet_grandpa, pallet_membership, pallet_proxy, pallet_skip_feeless_payment, pallet_sudo,
	pallet_timestamp, pallet_transaction_payment, pallet_utility,
	sp_runtime::{
		generic, impl_opaque_keys,
		traits::{BlakeTwo256, IdentifyAccount, Verify},
		MultiAddress, MultiSignature,
	},
	sp_version::{self, RuntimeVersion},
};

pub use configs::proxy::ProxyType;
pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use polkadot_sdk::sp_runtime::BuildStorage;

/// Opaque types, for the node: it needs the block format, not the runtime's call types.
pub mod opaque {
	use super::*;
	use polkadot_sdk::sp_runtime::traits::Hash as HashT;

	pub use polkadot_sdk::sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The keys a node holds: block authoring (Aura), finality (GRANDPA) and, on oracle
	/// operators' nodes, the oracle key its off-chain worker signs reports with.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
		pub oracle: RoundOracle,
	}
}

/// The runtime version. Bump `spec_version` on every change of behaviour and
/// `transaction_version` on every change of call indices or transaction format.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: Cow::Borrowed("numerstake"),
	impl_name: Cow::Borrowed("numerstake-node"),
	authoring_version: 1,
	spec_version: 110,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Block time: one block every six seconds.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// Aura slot duration; it cannot change once the chain runs.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute, hour and day.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// NMR has 18 decimals, exactly like the ERC-20: 1 planck = 1 wei.
pub const TOKEN_DECIMALS: u8 = 18;
/// The token symbol shown by wallets.
pub const TOKEN_SYMBOL: &str = "NMR";
/// One NMR in planck.
pub const NMR: Balance = 1_000_000_000_000_000_000;
/// One thousandth of an NMR.
pub const MILLI_NMR: Balance = NMR / 1_000;
/// One millionth of an NMR.
pub const MICRO_NMR: Balance = NMR / 1_000_000;

/// The smallest balance an account may hold: 0.001 NMR (about a cent), enough to keep dust
/// accounts from bloating state without making small stakes impractical.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_NMR;

/// The signature scheme of transactions.
pub type Signature = MultiSignature;
/// Account identifiers: the public key of the signature scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balances in planck (10^-18 NMR). u128 covers 3.4 * 10^20 NMR.
pub type Balance = u128;
/// Transaction counter of an account.
pub type Nonce = u32;
/// Hash of blocks and data.
pub type Hash = polkadot_sdk::sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// The address format of calls.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block with its justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block identifier.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions every signed transaction carries.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	// Calls that declare themselves free (a relayer's vote that counts) skip the fee, so that
	// relayers need no NMR on a chain whose genesis holds none.
	pallet_skip_feeless_payment::SkipCheckIfFeeless<
		Runtime,
		pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	>,
	frame_system::WeightReclaim<Runtime>,
);

/// An extrinsic as the runtime sees it.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload that a transaction's signature covers.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations, run once by `Executive` on the first block after a code upgrade (each
/// only from the storage version it was written for; `docs/upgrades.md`).
type Migrations = (pallet_round_oracle::migrations::v1::MigrateV0ToV1<Runtime>,);

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(7)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(8)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(9)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(10)]
	pub type Proxy = pallet_proxy;
	#[runtime::pallet_index(11)]
	pub type SkipFeelessPayment = pallet_skip_feeless_payment;
	// 20..: numerstake pallets (registry, oracle, delegation, bridge).
	#[runtime::pallet_index(20)]
	pub type ModelRegistry = pallet_model_registry;
	#[runtime::pallet_index(21)]
	pub type RoundOracle = pallet_round_oracle;
	#[runtime::pallet_index(22)]
	pub type StakeDelegation = pallet_stake_delegation;
	#[runtime::pallet_index(23)]
	pub type NmrBridge = pallet_nmr_bridge;
}
