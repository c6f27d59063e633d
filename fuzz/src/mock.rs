//! One test runtime with the three numerstake pallets wired to each other exactly as the real
//! runtime wires them (`runtime/src/configs/{registry,oracle,delegation}.rs`): the registry's
//! round clock is the oracle and its delegations the delegation pallet, whose fee caps it
//! reads; the oracle's registry is the registry, its settlement and obligations the
//! delegation pallet; the delegation pallet's registry is the registry and its rounds the
//! oracle. Governance is root. Constants are small so that interesting states come fast.

use crate::NMR;
use pallet_stake_delegation::{CurrentFeeCaps, GovernanceParams, ProtocolParams};
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, parameter_types,
		traits::{ConstI64, ConstU128, ConstU32, ConstU64},
		PalletId,
	},
	frame_system::{self, EnsureRoot},
	pallet_balances, pallet_timestamp,
	sp_core::sr25519,
	sp_io::TestExternalities,
	sp_runtime::{testing::TestXt, traits::IdentityLookup, BuildStorage, Perbill},
};

/// Accounts are sr25519 public keys, as the oracle's off-chain signing needs (32 bytes, so
/// pool accounts differ per model).
pub type AccountId = sr25519::Public;
/// Planck of NMR.
pub type Balance = u128;
/// What the oracle's off-chain worker would submit (never used: no worker runs here).
pub type Extrinsic = TestXt<RuntimeCall, ()>;

type Block = frame_system::mocking::MockBlock<Runtime>;

frame_support::construct_runtime!(
	pub enum Runtime {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		ModelRegistry: pallet_model_registry,
		RoundOracle: pallet_round_oracle,
		StakeDelegation: pallet_stake_delegation,
	}
);

/// A small existential deposit (10^-6 NMR), so that dust-sized balances are reachable.
pub const EXISTENTIAL_DEPOSIT: Balance = NMR / 1_000_000;
/// Blocks an unverified claim stays live.
pub const CLAIM_TTL: u64 = 60;
/// Rounds of history the delegation pallet keeps (more than the largest fee period, 100).
pub const DELEGATION_HISTORY: u32 = 120;
/// Rounds of results the oracle keeps.
pub const ORACLE_HISTORY: u32 = 150;
/// Rounds recorded per settlement or `catch_up`.
pub const MAX_CATCH_UP: u32 = 4;
/// Fee periods one `settle` walks.
pub const MAX_SETTLE_PERIODS: u32 = 8;
/// Largest `|payout| / at_risk` the oracle accepts.
pub const MAX_ABS_ROUND_RETURN: Perbill = Perbill::from_percent(5);
/// Unix seconds of the clock at genesis (2026-03-01T12:00:00Z).
pub const START_SECS: u64 = 1_772_366_400;

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Runtime {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_model_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RoundClock = RoundOracle;
	type Delegations = StakeDelegation;
	type FeeCaps = CurrentFeeCaps<Runtime>;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type ModelDeposit = ConstU128<NMR>;
	type ClaimTtl = ConstU64<CLAIM_TTL>;
	type VersionNotice = ConstU32<3>;
	type MaxTermsVersions = ConstU32<4>;
	type MaxVersionHistory = ConstU32<3>;
	type MaxNoteLen = ConstU32<32>;
	type ConsistencyBondNotice = ConstU64<30>;
	type MinGriefRatioPercent = ConstU32<50>;
	type MaxGriefRatioPercent = ConstU32<1_000>;
	type WeightInfo = ();
}

impl frame_system::offchain::SigningTypes for Runtime {
	type Public = AccountId;
	type Signature = sr25519::Signature;
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<LocalCall> frame_system::offchain::CreateSignedTransaction<LocalCall> for Runtime
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
		C::sign(&nonce.to_le_bytes(), public)?;
		Some(Extrinsic::new_signed(call, u64::from(nonce), (), ()))
	}
}

impl pallet_round_oracle::Config for Runtime {
	type AuthorityId = pallet_round_oracle::crypto::OracleAuthId;
	type Registry = ModelRegistry;
	type Consistency = ModelRegistry;
	type OnRoundFinalized = StakeDelegation;
	type Delegations = StakeDelegation;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type UnixTime = Timestamp;
	type MaxOperators = ConstU32<5>;
	type MaxScores = ConstU32<3>;
	type MaxReportsPerCall = ConstU32<8>;
	type MaxWatched = ConstU32<16>;
	type HistoryDepth = ConstU32<ORACLE_HISTORY>;
	type MaxAbsRoundReturn = MaxReturn;
	type MaxAtRisk = ConstU128<{ 1_000_000_000 * NMR }>;
	type MaxAbsScore = ConstI64<{ 1_000 * pallet_round_oracle::SCORE_SCALE }>;
	type MaxClockSkew = ConstU64<600>;
	type OffchainModelsPerBlock = ConstU32<2>;
	type OffchainClaimsPerBlock = ConstU32<2>;
	type WeightInfo = ();
}

parameter_types! {
	pub const MaxReturn: Perbill = MAX_ABS_ROUND_RETURN;
	pub const DelegationPalletId: PalletId = PalletId(*b"nmst/stk");
}

impl pallet_stake_delegation::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = ModelRegistry;
	type Rounds = RoundOracle;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type PalletId = DelegationPalletId;
	type MinDelegation = ConstU128<NMR>;
	type HistoryDepth = ConstU32<DELEGATION_HISTORY>;
	type MaxCatchUp = ConstU32<MAX_CATCH_UP>;
	type MaxSettlePeriods = ConstU32<MAX_SETTLE_PERIODS>;
	type WeightInfo = ();
}

/// Stakers, model owners and oracle operators of a run.
pub const STAKERS: u8 = 10;
/// Model owners.
pub const OWNERS: u8 = 3;
/// Oracle operators (threshold 2).
pub const OPERATORS: u8 = 3;
/// What every staker starts with.
pub const STAKER_ENDOWMENT: Balance = 2_000_000 * NMR;
/// What every owner starts with.
pub const OWNER_ENDOWMENT: Balance = 20_000_000 * NMR;

/// The account of staker `i`.
pub fn staker(i: u8) -> AccountId {
	sr25519::Public::from_raw([1 + i % STAKERS; 32])
}
/// The account of owner `i`.
pub fn owner(i: u8) -> AccountId {
	sr25519::Public::from_raw([100 + i % OWNERS; 32])
}
/// The account of operator `i`.
pub fn operator(i: u8) -> AccountId {
	sr25519::Public::from_raw([200 + i % OPERATORS; 32])
}

/// Delegation parameters at genesis: fee periods of 5 rounds, caps from 50,000 NMR.
pub fn genesis_params() -> GovernanceParams {
	GovernanceParams {
		caps: Default::default(),
		protocol: ProtocolParams {
			fee_period: 5,
			caps_from_total: 50_000 * NMR,
			model_cap: Perbill::from_percent(60),
			operator_cap: Perbill::from_percent(80),
			..ProtocolParams::DEFAULT
		},
	}
}

/// Externalities: endowed stakers and owners, three operators with threshold 2, block 1, the
/// clock at [`START_SECS`], no round opened yet.
pub fn new_ext() -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Runtime>::default().build_storage().unwrap();
	let balances = (0..STAKERS)
		.map(|i| (staker(i), STAKER_ENDOWMENT))
		.chain((0..OWNERS).map(|i| (owner(i), OWNER_ENDOWMENT)))
		.chain((0..OPERATORS).map(|i| (operator(i), NMR)))
		.collect();
	pallet_balances::GenesisConfig::<Runtime> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_round_oracle::GenesisConfig::<Runtime> {
		operators: (0..OPERATORS).map(operator).collect(),
		threshold: 2,
		params: None,
		watched: vec![],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_stake_delegation::GenesisConfig::<Runtime> {
		params: Some(genesis_params()),
		_config: Default::default(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(START_SECS * 1_000);
	});
	ext
}
