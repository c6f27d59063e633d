//! Pallet configurations of the runtime, grouped by concern.

pub mod bridge;
pub mod delegation;
pub mod governance;
pub mod oracle;
pub mod proxy;
pub mod registry;

use super::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask,
	System, EXISTENTIAL_DEPOSIT, SLOT_DURATION, VERSION,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		dispatch::DispatchClass,
		parameter_types,
		traits::{
			fungible::{Balanced, Credit},
			tokens::imbalance::Imbalance,
			ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, FindAuthor, OnUnbalanced,
			VariantCountOf,
		},
		weights::{
			constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
			ConstantMultiplier, Weight,
		},
		PalletId,
	},
	frame_system::{
		self,
		limits::{BlockLength, BlockWeights},
	},
	pallet_aura, pallet_balances, pallet_grandpa, pallet_skip_feeless_payment, pallet_sudo,
	pallet_timestamp,
	pallet_transaction_payment::{self, ConstFeeMultiplier, FungibleAdapter, Multiplier},
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_runtime::{
		traits::{AccountIdConversion, One},
		Perbill,
	},
	sp_version::RuntimeVersion,
};

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// Two seconds of compute per six-second block.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// 5 MiB blocks, of which normal transactions may fill 75 %.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	/// The generic Substrate address prefix.
	pub const SS58Prefix: u16 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	// The node stores state in ParityDB (no RocksDB is built in), so weights use its costs.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	type BaseCallFilter = NoPlainBurns;
}

/// Every call but `Balances::burn`: NMR leaves the chain only through the bridge (whose burns
/// the contract releases) or the registry's evented burns, so that total issuance always equals
/// what the lock contract holds.
pub struct NoPlainBurns;

impl polkadot_sdk::frame_support::traits::Contains<RuntimeCall> for NoPlainBurns {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::Balances(pallet_balances::Call::burn { .. }))
	}
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = polkadot_sdk::sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	// Dust of reaped accounts goes to the fee pot: no planck is destroyed outside the bridge.
	type DustRemoval = DustToFeePot;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Where transaction fees go when the block author cannot take them. Never drained by code
	/// other than governance, so fees are never destroyed.
	pub const FeePotId: PalletId = PalletId(*b"nmst/fee");
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

/// The account that collects fees the block author could not take.
pub fn fee_pot_account() -> AccountId {
	FeePotId::get().into_account_truncating()
}

/// Transaction fees go to the author of the block (or to the fee pot), never to nowhere: NMR
/// enters and leaves the chain only through the bridge, so fees must not be burned.
pub struct FeesToAuthor;

impl FeesToAuthor {
	fn block_author() -> Option<AccountId> {
		let digest = System::digest();
		let pre_runtime = digest.logs().iter().filter_map(|item| item.as_pre_runtime());
		pallet_aura::FindAccountFromAuthorIndex::<Runtime, Aura>::find_author(pre_runtime)
			.map(|aura_id| AccountId::from(aura_id.into_inner()))
	}
}

impl OnUnbalanced<Credit<AccountId, Balances>> for FeesToAuthor {
	fn on_nonzero_unbalanced(credit: Credit<AccountId, Balances>) {
		let credit = match Self::block_author() {
			Some(author) => match Balances::resolve(&author, credit) {
				Ok(()) => return,
				Err(credit) => credit,
			},
			None => credit,
		};
		to_fee_pot(credit);
	}
}

/// NMR owed to the fee pot: fees and dust that arrived while the pot held less than the
/// existential deposit and could not take them (only on a live chain's first transactions,
/// since its genesis holds no NMR). Not in any account, so the issuance checks count it.
#[polkadot_sdk::frame_support::storage_alias]
pub type FeePotOwed =
	StorageValue<FeePot, Balance, polkadot_sdk::frame_support::pallet_prelude::ValueQuery>;

/// Puts `credit` into the fee pot, with whatever the pot is owed. If the pot cannot exist yet
/// (it and everything owed are below the existential deposit), the amount is recorded as owed
/// and issued again once the pot can take it: no fee is ever destroyed.
pub fn to_fee_pot(credit: Credit<AccountId, Balances>) {
	// One read per fee; a write only in the rare case something is owed.
	let owed = FeePotOwed::get();
	let credit = if owed > 0 {
		FeePotOwed::kill();
		credit.merge(Balances::issue(owed))
	} else {
		credit
	};
	if let Err(credit) = Balances::resolve(&fee_pot_account(), credit) {
		FeePotOwed::put(credit.peek());
		// Dropping the credit lowers total issuance by what is now owed.
		drop(credit);
	}
}

/// Dust left by a reaped account goes to the fee pot (NMR is never destroyed by the runtime:
/// only the bridge's burns and the registry's evented burns remove it).
pub struct DustToFeePot;

impl OnUnbalanced<Credit<AccountId, Balances>> for DustToFeePot {
	fn on_nonzero_unbalanced(credit: Credit<AccountId, Balances>) {
		to_fee_pot(credit);
	}
}

/// Planck charged per picosecond of reference execution time. A transfer costs about
/// 0.0002 NMR; a full block of normal transactions about 1.5 NMR.
pub const PLANCK_PER_WEIGHT_UNIT: Balance = 1_000_000;
/// Planck charged per byte of transaction: 1 KiB costs about 0.00001 NMR.
pub const PLANCK_PER_BYTE: Balance = 10_000_000_000;

parameter_types! {
	pub const WeightFeeFactor: Balance = PLANCK_PER_WEIGHT_UNIT;
	pub const TransactionByteFee: Balance = PLANCK_PER_BYTE;
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, FeesToAuthor>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = ConstantMultiplier<Balance, WeightFeeFactor>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_skip_feeless_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
