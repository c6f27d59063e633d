//! The round oracle and how its off-chain worker signs transactions.

use crate::{
	configs::{governance::EnsureRootOrHalfCouncil, BlockHashCount},
	AccountId, ModelRegistry, Nonce, Runtime, RuntimeCall, Signature, SignedPayload, System,
	Timestamp, TxExtension, UncheckedExtrinsic, NMR,
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstI64, ConstU32, ConstU64},
	},
	frame_system::{self, offchain},
	pallet_transaction_payment,
	sp_runtime::{
		generic::Era,
		traits::{SaturatedConversion, StaticLookup, Verify},
		Perbill,
	},
};

parameter_types! {
	/// Numerai clips a round's return at 5 % of the stake.
	pub const MaxAbsRoundReturn: Perbill = Perbill::from_percent(5);
	/// 10^9 NMR.
	pub const MaxAtRisk: u128 = 1_000_000_000 * NMR;
}

impl pallet_round_oracle::Config for Runtime {
	type AuthorityId = pallet_round_oracle::crypto::OracleAuthId;
	type Registry = ModelRegistry;
	type Consistency = ModelRegistry;
	// The stake-delegation pallet settles each model's pool here.
	type OnRoundFinalized = crate::StakeDelegation;
	// Governance cannot stop following a model whose pool still waits for rounds.
	type Delegations = crate::StakeDelegation;
	type GovernanceOrigin = EnsureRootOrHalfCouncil;
	type UnixTime = Timestamp;
	type MaxOperators = ConstU32<16>;
	type MaxScores = ConstU32<8>;
	type MaxReportsPerCall = ConstU32<32>;
	type MaxWatched = ConstU32<10_000>;
	/// About four years of daily rounds.
	type HistoryDepth = ConstU32<1_000>;
	type MaxAbsRoundReturn = MaxAbsRoundReturn;
	type MaxAtRisk = MaxAtRisk;
	/// Scores, multipliers and factors up to ±1000.
	type MaxAbsScore = ConstI64<{ 1_000 * pallet_round_oracle::SCORE_SCALE }>;
	type MaxClockSkew = ConstU64<600>;
	type OffchainModelsPerBlock = ConstU32<16>;
	type OffchainClaimsPerBlock = ConstU32<4>;
	type WeightInfo = pallet_round_oracle::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = OracleBenchmarkHelper;
}

/// Registry state for the oracle's benchmarks, through the registry's own calls.
#[cfg(feature = "runtime-benchmarks")]
pub struct OracleBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_round_oracle::BenchmarkHelper<AccountId> for OracleBenchmarkHelper {
	fn register_verified(model: &numerstake_primitives::ModelId, owner: &AccountId) {
		use numerstake_primitives::OwnershipAttestation;
		Self::register_pending(model, owner);
		let _ = <ModelRegistry as OwnershipAttestation<AccountId>>::attest_ownership(model, owner);
	}
	fn register_pending(model: &numerstake_primitives::ModelId, claimant: &AccountId) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate;
		let _ = crate::Balances::mint_into(claimant, 10 * NMR);
		let text = model.to_text().to_vec();
		let _ = ModelRegistry::register_model(
			crate::RuntimeOrigin::signed(claimant.clone()),
			polkadot_sdk::frame_support::BoundedVec::truncate_from(text),
			polkadot_sdk::frame_support::BoundedVec::truncate_from(b"bench_model".to_vec()),
		);
	}
}

impl offchain::SigningTypes for Runtime {
	type Public = <Signature as Verify>::Signer;
	type Signature = Signature;
}

impl<C> offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> offchain::CreateTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extension = TxExtension;

	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, extension)
	}
}

impl<C> offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}

/// Signed transactions from the off-chain worker: the same extensions as any user's, a mortal
/// era of the longest period the block-hash count allows, no tip.
impl<C> offchain::CreateSignedTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_signed_transaction<A: offchain::AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		public: <Signature as Verify>::Signer,
		account: AccountId,
		nonce: Nonce,
	) -> Option<UncheckedExtrinsic> {
		let period =
			BlockHashCount::get().checked_next_power_of_two().map(|c| c / 2).unwrap_or(2) as u64;
		// The block being built is `number`; its parent is the era's anchor.
		let current_block = System::block_number().saturated_into::<u64>().saturating_sub(1);
		let extension: TxExtension = (
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::mortal(period, current_block)),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0).into(),
			frame_system::WeightReclaim::<Runtime>::new(),
		);
		let payload = SignedPayload::new(call, extension).ok()?;
		let signature = payload.using_encoded(|bytes| A::sign(bytes, public))?;
		let (call, extension, _) = payload.deconstruct();
		let address = <Runtime as frame_system::Config>::Lookup::unlookup(account);
		Some(UncheckedExtrinsic::new_signed(call, address, signature, extension))
	}
}
