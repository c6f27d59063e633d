//! A test runtime: system, timestamp, balances, the real model registry and the oracle, with
//! a recorder in place of the stake-delegation pallet.

use crate as pallet_round_oracle;
use crate::*;
use core::cell::RefCell;
use numerstake_primitives::{DelegationInspect, OnRoundFinalized, RoundReturn};
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, parameter_types,
		traits::{ConstU128, ConstU32, ConstU64},
		weights::Weight,
	},
	frame_system::{self, EnsureRoot},
	pallet_balances, pallet_timestamp,
	sp_core::sr25519,
	sp_io::TestExternalities,
	sp_runtime::{testing::TestXt, traits::IdentityLookup, BuildStorage, Perbill},
};

pub type AccountId = sr25519::Public;
pub type Balance = u128;
pub const NMR: Balance = 1_000_000_000_000_000_000;
/// One NMR as a signed payout.
pub const NMR_I: i128 = NMR as i128;
pub const CLAIM_TTL: u64 = 100;
pub const HISTORY_DEPTH: u32 = 5;
pub const MAX_WATCHED: u32 = 6;
/// Unix seconds of the mock's clock at block 1 (2026-03-01T12:00:00Z).
pub const START: u64 = 1_772_366_400;

pub fn account(n: u8) -> AccountId {
	sr25519::Public::from_raw([n; 32])
}
pub fn alice() -> AccountId {
	account(1)
}
pub fn bob() -> AccountId {
	account(2)
}
pub fn charlie() -> AccountId {
	account(3)
}
pub fn dave() -> AccountId {
	account(4)
}

type Block = frame_system::mocking::MockBlock<Test>;
pub type Extrinsic = TestXt<RuntimeCall, ()>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		Registry: pallet_model_registry,
		Oracle: pallet_round_oracle,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub Caps: numerstake_primitives::FeeCaps = numerstake_primitives::FeeCaps::DEFAULT;
	pub MaxReturn: Perbill = Perbill::from_percent(5);
}

impl pallet_model_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RoundClock = Oracle;
	type Delegations = ();
	type FeeCaps = Caps;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type ModelDeposit = ConstU128<NMR>;
	type ClaimTtl = ConstU64<CLAIM_TTL>;
	type VersionNotice = ConstU32<3>;
	type MaxTermsVersions = ConstU32<4>;
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
	fn set_round(_: RoundIndex) {}
	fn make_delegator(_: &ModelId, _: &AccountId) {}
}

thread_local! {
	static FINALISED: RefCell<Vec<(ModelId, RoundIndex, RoundReturn)>> = const { RefCell::new(Vec::new()) };
	static OBLIGED: RefCell<Vec<ModelId>> = const { RefCell::new(Vec::new()) };
	static TOLD: RefCell<Vec<Told>> = const { RefCell::new(Vec::new()) };
}

/// What the oracle told the stand-in besides results.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Told {
	Opened(RoundIndex),
	Watched(ModelId, Option<RoundIndex>),
	Unwatched(ModelId),
}

/// Stands in for the stake-delegation pallet: records what it is told.
pub struct Settlement;
impl Settlement {
	pub fn take() -> Vec<(ModelId, RoundIndex, RoundReturn)> {
		FINALISED.with(|f| core::mem::take(&mut *f.borrow_mut()))
	}
	/// The clock and watch changes told since the last call.
	pub fn take_told() -> Vec<Told> {
		TOLD.with(|t| core::mem::take(&mut *t.borrow_mut()))
	}
	/// Whether stakers' money depends on `model` (a delegation in it, or not).
	pub fn set_obligations(model: ModelId, obliged: bool) {
		OBLIGED.with(|o| {
			let mut o = o.borrow_mut();
			o.retain(|m| *m != model);
			if obliged {
				o.push(model);
			}
		})
	}
}
impl DelegationInspect<AccountId> for Settlement {
	fn is_delegator(_: &ModelId, _: &AccountId) -> bool {
		false
	}
	fn has_obligations(model: &ModelId) -> bool {
		OBLIGED.with(|o| o.borrow().contains(model))
	}
	fn terms_version_in_use(_: &ModelId, _: u32) -> bool {
		false
	}
	fn has_debt(_: &AccountId) -> bool {
		false
	}
}
impl OnRoundFinalized for Settlement {
	fn on_round_finalized(model: &ModelId, round: RoundIndex, result: &RoundReturn) {
		FINALISED.with(|f| f.borrow_mut().push((*model, round, *result)));
	}
	fn weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn on_round_opened(round: RoundIndex) {
		TOLD.with(|t| t.borrow_mut().push(Told::Opened(round)));
	}
	fn on_watched(model: &ModelId, next: Option<RoundIndex>) {
		TOLD.with(|t| t.borrow_mut().push(Told::Watched(*model, next)));
	}
	fn on_unwatched(model: &ModelId) {
		TOLD.with(|t| t.borrow_mut().push(Told::Unwatched(*model)));
	}
}

impl frame_system::offchain::SigningTypes for Test {
	type Public = AccountId;
	type Signature = sr25519::Signature;
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<LocalCall> frame_system::offchain::CreateSignedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<
		C: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>,
	>(
		call: RuntimeCall,
		public: AccountId,
		_account: AccountId,
		nonce: u32,
	) -> Option<Extrinsic> {
		// Sign something so that a missing key fails as it would in the runtime.
		C::sign(&nonce.to_le_bytes(), public)?;
		Some(Extrinsic::new_signed(call, u64::from(nonce), (), ()))
	}
}

impl pallet_round_oracle::Config for Test {
	type AuthorityId = crate::crypto::OracleAuthId;
	type Registry = Registry;
	type Consistency = Registry;
	type OnRoundFinalized = Settlement;
	type Delegations = Settlement;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type UnixTime = Timestamp;
	type MaxOperators = ConstU32<5>;
	type MaxScores = ConstU32<3>;
	type MaxReportsPerCall = ConstU32<8>;
	type MaxWatched = ConstU32<MAX_WATCHED>;
	type HistoryDepth = ConstU32<HISTORY_DEPTH>;
	type MaxAbsRoundReturn = MaxReturn;
	type MaxAtRisk = ConstU128<{ 1_000_000_000 * NMR }>;
	type MaxAbsScore = ConstI64<{ 1_000 * SCORE_SCALE }>;
	type MaxClockSkew = ConstU64<600>;
	type OffchainModelsPerBlock = ConstU32<2>;
	type OffchainClaimsPerBlock = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = OracleBenchHelper;
}

pub use polkadot_sdk::frame_support::traits::ConstI64;

#[cfg(feature = "runtime-benchmarks")]
pub struct OracleBenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for OracleBenchHelper {
	fn register_verified(model: &ModelId, owner: &AccountId) {
		fund(owner);
		crate::tests::register_verified(*owner, *model);
	}
	fn register_pending(model: &ModelId, claimant: &AccountId) {
		fund(claimant);
		crate::tests::register_pending(*claimant, *model);
	}
}

/// Benchmark accounts start empty; the registry holds a deposit.
#[cfg(feature = "runtime-benchmarks")]
fn fund(who: &AccountId) {
	use polkadot_sdk::frame_support::traits::fungible::Mutate;
	let _ = Balances::mint_into(who, 10 * NMR);
}

/// Externalities: Alice, Bob and Charlie operators with threshold 2, endowed accounts, block 1,
/// clock at [`START`].
pub fn new_test_ext() -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=4).map(|n| (account(n), 1_000 * NMR)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_round_oracle::GenesisConfig::<Test> {
		operators: vec![alice(), bob(), charlie()],
		threshold: 2,
		params: None,
		watched: vec![],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(START * 1_000);
		Settlement::take();
	});
	ext
}

/// Runs a test and then checks every invariant of the oracle and the registry.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Oracle::do_try_state().expect("oracle invariants hold after the test");
		Registry::do_try_state().expect("registry invariants hold after the test");
	});
}
