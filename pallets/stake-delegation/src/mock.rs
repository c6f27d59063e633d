//! A test runtime: system, balances, the real model registry and the delegation pallet, with a
//! round clock the tests move and the oracle's finalisations called directly.

use crate as pallet_stake_delegation;
use crate::{
	CurrentFeeCaps, GovernanceParams, ModelId, OnRoundFinalized, ProtocolParams, RoundClock,
	RoundClockCopy, RoundIndex,
};
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, parameter_types,
		traits::{ConstU128, ConstU32, ConstU64},
		PalletId,
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, Perbill},
};

/// Wide enough that pool accounts (`modl` + pallet id + model id, truncated) differ per model.
pub type AccountId = u128;
pub use crate::Balance;
pub const NMR: Balance = 1_000_000_000_000_000_000;
pub const ENDOWMENT: Balance = 1_000_000 * NMR;
/// Rounds of history the mock keeps.
pub const HISTORY_DEPTH: u32 = 400;

pub const OWNER: AccountId = 1;
pub const ALICE: AccountId = 2;
pub const BOB: AccountId = 3;
pub const CHARLIE: AccountId = 4;
pub const DAVE: AccountId = 5;
pub const OTHER_OWNER: AccountId = 6;
/// An account with no NMR.
pub const PAUPER: AccountId = 99;
/// The first round of every test.
pub const START_ROUND: RoundIndex = 100;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Registry: pallet_model_registry,
		StakeDelegation: pallet_stake_delegation,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = polkadot_sdk::sp_runtime::traits::IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<{ NMR / 1_000 }>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub static CurrentRound: RoundIndex = START_ROUND;
	pub static FirstRound: Option<RoundIndex> = Some(START_ROUND);
	/// A round whose result the pallet fails to apply (a forced error).
	pub static FailReturn: Option<RoundIndex> = None;
}

thread_local! {
	/// The oracle's watch list: per model, its next round (`None`: not watched). A model
	/// without an entry is watched from the chain's first round.
	static WATCH: core::cell::RefCell<std::collections::BTreeMap<ModelId, Option<RoundIndex>>> =
		Default::default();
}

/// The oracle's next round for `model`, as the real oracle reports it.
pub fn oracle_next(model: &ModelId) -> Option<RoundIndex> {
	WATCH.with(|w| w.borrow().get(model).copied()).unwrap_or_else(FirstRound::get)
}

/// The oracle stops following `model`, and tells the pallet as the real one does.
pub fn oracle_unwatch(model: ModelId) {
	WATCH.with(|w| w.borrow_mut().insert(model, None));
	<StakeDelegation as OnRoundFinalized>::on_unwatched(&model);
}

/// The oracle follows `model` from `from` (`None`: the round after the latest opened), and
/// tells the pallet as the real one does.
pub fn oracle_watch(model: ModelId, from: Option<RoundIndex>) {
	let from = from.unwrap_or(CurrentRound::get() + 1);
	WATCH.with(|w| w.borrow_mut().insert(model, Some(from)));
	<StakeDelegation as OnRoundFinalized>::on_watched(&model, Some(from));
}

/// Sets the oracle's clock, and the pallet's copy of it, to `latest` and `first` (tests that
/// go back to before the first round; others open rounds one by one with `open_round`).
pub fn set_clock(latest: RoundIndex, first: Option<RoundIndex>) {
	CurrentRound::set(latest);
	FirstRound::set(first);
	crate::Global::<Test>::mutate(|g| g.clock = RoundClockCopy { latest, first });
}

/// The oracle opens round `round` and tells the pallet as the real one does.
pub fn oracle_open(round: RoundIndex) {
	CurrentRound::set(round);
	if FirstRound::get().is_none() {
		FirstRound::set(Some(round));
	}
	<StakeDelegation as OnRoundFinalized>::on_round_opened(round);
}

/// The oracle finalised `model`'s next round.
pub fn oracle_advance(model: ModelId, round: RoundIndex) {
	assert_eq!(
		oracle_next(&model),
		Some(round),
		"the oracle finalises each model's rounds in order"
	);
	WATCH.with(|w| w.borrow_mut().insert(model, Some(round + 1)));
}

/// The oracle's round clock and watch list, moved by tests.
pub struct Clock;
impl RoundClock for Clock {
	fn current_round() -> RoundIndex {
		CurrentRound::get()
	}
	fn watches(model: &ModelId) -> bool {
		WATCH.with(|w| w.borrow().get(model) != Some(&None))
	}
	fn first_round() -> Option<RoundIndex> {
		FirstRound::get()
	}
	fn next_result(model: &ModelId) -> Option<RoundIndex> {
		oracle_next(model)
	}
}

impl pallet_model_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RoundClock = Clock;
	type Delegations = StakeDelegation;
	type FeeCaps = CurrentFeeCaps<Test>;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type ModelDeposit = ConstU128<NMR>;
	type ClaimTtl = ConstU64<100>;
	type VersionNotice = ConstU32<3>;
	type MaxTermsVersions = ConstU32<8>;
	type MaxVersionHistory = ConstU32<4>;
	type MaxNoteLen = ConstU32<64>;
	type ConsistencyBondNotice = ConstU64<50>;
	type MinGriefRatioPercent = ConstU32<50>;
	type MaxGriefRatioPercent = ConstU32<1_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegistryBenchHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct RegistryBenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_model_registry::BenchmarkHelper<AccountId> for RegistryBenchHelper {
	fn set_round(round: RoundIndex) {
		bench_set_round(round);
	}
	fn make_delegator(_: &ModelId, _: &AccountId) {}
}

parameter_types! {
	pub const DelegationPalletId: PalletId = PalletId(*b"nmst/stk");
}

impl pallet_stake_delegation::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type Rounds = Clock;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type PalletId = DelegationPalletId;
	type MinDelegation = ConstU128<NMR>;
	type HistoryDepth = ConstU32<HISTORY_DEPTH>;
	type MaxCatchUp = ConstU32<4>;
	type MaxSettlePeriods = ConstU32<8>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = DelegationBenchHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct DelegationBenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for DelegationBenchHelper {
	fn active_model(model: &ModelId, owner: &AccountId, terms: crate::tests::Terms) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(owner, 10 * NMR);
		// The oracle follows the model from the current round (the benchmarks' first).
		oracle_watch(*model, Some(CurrentRound::get()));
		crate::tests::register_active(*owner, *model, terms);
	}
	fn publish_terms(
		model: &ModelId,
		owner: &AccountId,
		terms: crate::tests::Terms,
		effective: RoundIndex,
	) {
		let _ = Registry::set_terms(RuntimeOrigin::signed(*owner), *model, terms, Some(effective));
	}
	fn set_round(round: RoundIndex) {
		bench_set_round(round);
	}
}

/// Makes `round` the latest opened round for both pallets' benchmarks (the first round moves
/// back if `round` is before it).
#[cfg(feature = "runtime-benchmarks")]
fn bench_set_round(round: RoundIndex) {
	set_clock(round, FirstRound::get().map(|f| f.min(round)));
}

/// The parameters tests run with: fee periods of 5 rounds, caps from a high total (tests of
/// the caps lower it).
pub fn test_params() -> GovernanceParams {
	GovernanceParams {
		caps: Default::default(),
		protocol: ProtocolParams {
			fee_period: 5,
			caps_from_total: 100_000_000 * NMR,
			bond_ratio: Perbill::from_percent(25),
			..ProtocolParams::DEFAULT
		},
	}
}

/// Externalities with endowed accounts, block 1, round [`START_ROUND`].
pub fn new_test_ext() -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [OWNER, ALICE, BOB, CHARLIE, DAVE, OTHER_OWNER]
			.into_iter()
			.chain(10..40)
			.map(|a| (a, ENDOWMENT))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_stake_delegation::GenesisConfig::<Test> {
		params: Some(test_params()),
		_config: Default::default(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		set_clock(START_ROUND, Some(START_ROUND));
		FailReturn::set(None);
		WATCH.with(|w| w.borrow_mut().clear());
	});
	ext
}

/// Runs a test, then checks every invariant of both pallets and that no NMR was created or
/// destroyed.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		test();
		StakeDelegation::do_try_state().expect("delegation invariants hold after the test");
		Registry::do_try_state().expect("registry invariants hold after the test");
		assert_eq!(Balances::total_issuance(), issuance, "NMR created or destroyed");
	});
}
