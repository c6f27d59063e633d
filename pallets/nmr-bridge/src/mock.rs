//! A test runtime: system, balances and the bridge, with three relayers (threshold two) whose
//! Ethereum keys are `//Relayer1` … `//Relayer3`, a contract on chain 31337, and a guardian.

use crate as pallet_nmr_bridge;
use crate::{EthereumContract, Limits};
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, parameter_types,
		traits::{ConstU128, ConstU32},
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_core::{ecdsa, Pair, H160},
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};

pub type AccountId = u64;
pub type Balance = u128;
pub const NMR: Balance = 1_000_000_000_000_000_000;
/// The existential deposit: a deposit below it cannot be minted to a new account.
pub const ED: Balance = 1_000;
pub const PERIOD: u64 = 100;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const GUARDIAN: AccountId = 50;
/// Relayer accounts, with keys `//Relayer1` … (a fourth, `//Relayer4`, is not in the set).
pub const RELAYERS: [AccountId; 4] = [11, 12, 13, 14];
pub const ENDOWMENT: Balance = 1_000 * NMR;
pub const CHAIN_ID: u64 = 31_337;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Bridge: pallet_nmr_bridge,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<ED>;
	type AccountStore = System;
}

parameter_types! {
	/// Burns by other pallets (none here, but tests may pretend).
	pub static OtherBurns: Balance = 0;
}

impl pallet_nmr_bridge::Config for Test {
	type Currency = Balances;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type OtherBurns = OtherBurns;
	type MaxRelayers = ConstU32<16>;
	type MaxSignaturesPerCall = ConstU32<8>;
	type WeightInfo = ();
}

/// Relayer `i`'s Ethereum key (0-based: `//Relayer1` is 0).
pub fn key(i: usize) -> ecdsa::Pair {
	ecdsa::Pair::from_string(&format!("//Relayer{}", i + 1), None).unwrap()
}

/// Relayer `i`'s Ethereum address.
pub fn eth(i: usize) -> H160 {
	use k256::elliptic_curve::sec1::ToEncodedPoint;
	let key = k256::PublicKey::from_sec1_bytes(key(i).public().as_ref()).unwrap();
	let point = key.to_encoded_point(false);
	H160::from_slice(&polkadot_sdk::sp_io::hashing::keccak_256(&point.as_bytes()[1..])[12..])
}

pub fn contract() -> EthereumContract {
	EthereumContract { chain_id: CHAIN_ID, address: H160::repeat_byte(0xb5) }
}

pub fn limits() -> Limits<Balance, u64> {
	Limits {
		period: PERIOD,
		max_mint: 10_000 * NMR,
		max_burn: 5_000 * NMR,
		min_withdrawal: NMR,
		max_withdrawal: 1_000 * NMR,
	}
}

pub fn new_test_ext() -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, ENDOWMENT), (BOB, ENDOWMENT), (RELAYERS[0], NMR), (GUARDIAN, NMR)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_nmr_bridge::GenesisConfig::<Test> {
		relayers: (0..3).map(|i| (RELAYERS[i], eth(i))).collect(),
		threshold: 2,
		min_threshold: 2,
		contract: Some(contract()),
		guardian: Some(GUARDIAN),
		limits: limits(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = TestExternalities::new(storage);
	// The benchmarks sign with keys of the keystore.
	ext.register_extension(polkadot_sdk::sp_keystore::KeystoreExt::new(
		polkadot_sdk::sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs a test and then checks every invariant of the bridge.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Bridge::do_try_state().expect("bridge invariants hold after the test");
	});
}
