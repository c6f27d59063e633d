//! A test runtime: system, balances and the registry, with a settable round clock and a fake
//! delegation pallet.

use crate as pallet_model_registry;
use crate::{DelegationInspect, ModelId, RoundClock, RoundIndex};
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, parameter_types,
		traits::{ConstU128, ConstU32, ConstU64},
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};
use std::collections::BTreeSet;

pub type AccountId = u64;
pub type Balance = u128;
pub const NMR: Balance = 1_000_000_000_000_000_000;
pub const DEPOSIT: Balance = NMR;
pub const CLAIM_TTL: u64 = 100;
pub const BOND_NOTICE: u64 = 50;
pub const VERSION_NOTICE: RoundIndex = 3;
pub const MAX_TERMS_VERSIONS: u32 = 4;
pub const MAX_HISTORY: u32 = 3;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
/// An account with no NMR.
pub const PAUPER: AccountId = 99;
pub const ENDOWMENT: Balance = 1_000 * NMR;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Registry: pallet_model_registry,
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
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub static CurrentRound: RoundIndex = 100;
}

/// The oracle's round clock, set by tests.
pub struct Clock;
impl RoundClock for Clock {
	fn current_round() -> RoundIndex {
		CurrentRound::get()
	}
}

thread_local! {
	static DELEGATORS: RefCell<BTreeSet<(ModelId, AccountId)>> = const { RefCell::new(BTreeSet::new()) };
	static OBLIGATIONS: RefCell<BTreeSet<ModelId>> = const { RefCell::new(BTreeSet::new()) };
	static VERSIONS_IN_USE: RefCell<BTreeSet<(ModelId, u32)>> = const { RefCell::new(BTreeSet::new()) };
	static DEBTORS: RefCell<BTreeSet<AccountId>> = const { RefCell::new(BTreeSet::new()) };
}

/// A stand-in for the stake-delegation pallet.
pub struct FakeDelegations;
impl FakeDelegations {
	pub fn add_delegator(model: ModelId, who: AccountId) {
		DELEGATORS.with(|d| d.borrow_mut().insert((model, who)));
	}
	pub fn set_obligations(model: ModelId, has: bool) {
		OBLIGATIONS.with(|o| {
			if has {
				o.borrow_mut().insert(model);
			} else {
				o.borrow_mut().remove(&model);
			}
		});
	}
	pub fn set_debt(who: AccountId, in_debt: bool) {
		DEBTORS.with(|d| {
			if in_debt {
				d.borrow_mut().insert(who);
			} else {
				d.borrow_mut().remove(&who);
			}
		});
	}
	pub fn set_version_in_use(model: ModelId, version: u32, in_use: bool) {
		VERSIONS_IN_USE.with(|v| {
			if in_use {
				v.borrow_mut().insert((model, version));
			} else {
				v.borrow_mut().remove(&(model, version));
			}
		});
	}
}
impl DelegationInspect<AccountId> for FakeDelegations {
	fn is_delegator(model: &ModelId, who: &AccountId) -> bool {
		DELEGATORS.with(|d| d.borrow().contains(&(*model, *who)))
	}
	fn has_obligations(model: &ModelId) -> bool {
		OBLIGATIONS.with(|o| o.borrow().contains(model))
	}
	fn terms_version_in_use(model: &ModelId, version: u32) -> bool {
		VERSIONS_IN_USE.with(|v| v.borrow().contains(&(*model, version)))
	}
	fn has_debt(who: &AccountId) -> bool {
		DEBTORS.with(|d| d.borrow().contains(who))
	}
}

parameter_types! {
	pub Caps: crate::FeeCaps = crate::FeeCaps::DEFAULT;
}

impl pallet_model_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RoundClock = Clock;
	type Delegations = FakeDelegations;
	type FeeCaps = Caps;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type ModelDeposit = ConstU128<DEPOSIT>;
	type ClaimTtl = ConstU64<CLAIM_TTL>;
	type VersionNotice = ConstU32<VERSION_NOTICE>;
	type MaxTermsVersions = ConstU32<MAX_TERMS_VERSIONS>;
	type MaxVersionHistory = ConstU32<MAX_HISTORY>;
	type MaxNoteLen = ConstU32<64>;
	type ConsistencyBondNotice = ConstU64<BOND_NOTICE>;
	type MinGriefRatioPercent = ConstU32<50>;
	type MaxGriefRatioPercent = ConstU32<1_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Benchmark set-up through the mock's clock and fake delegations.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn set_round(round: RoundIndex) {
		CurrentRound::set(round);
	}
	fn make_delegator(model: &ModelId, who: &AccountId) {
		FakeDelegations::add_delegator(*model, *who);
	}
}

/// Externalities with endowed accounts 1..=4, block 1, round 100.
pub fn new_test_ext() -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(ALICE, ENDOWMENT),
			(BOB, ENDOWMENT),
			(CHARLIE, ENDOWMENT),
			(DAVE, ENDOWMENT),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		CurrentRound::set(100);
	});
	ext
}

/// Runs a test and then checks every invariant of the registry.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Registry::do_try_state().expect("registry invariants hold after the test");
	});
}

/// Moves to block `n`.
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}
