//! The runtime APIs the node, wallets and the CLI call.

use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		self,
		genesis_builder_helper::{build_state, get_preset},
		weights::Weight,
	},
	frame_system_rpc_runtime_api, pallet_aura, pallet_grandpa,
	pallet_transaction_payment::{FeeDetails, RuntimeDispatchInfo},
	pallet_transaction_payment_rpc_runtime_api, sp_api,
	sp_api::impl_runtime_apis,
	sp_block_builder, sp_consensus_aura,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa,
	sp_core::{crypto::KeyTypeId, OpaqueMetadata},
	sp_genesis_builder, sp_inherents, sp_offchain,
	sp_runtime::{
		traits::{Block as BlockT, NumberFor},
		transaction_validity::{TransactionSource, TransactionValidity},
		ApplyExtrinsicResult,
	},
	sp_session, sp_transaction_pool,
	sp_version::RuntimeVersion,
};

use numerstake_primitives::ModelId;

use super::{
	AccountId, Aura, Balance, Block, BlockNumber, Executive, Grandpa, InherentDataExt,
	ModelRegistry, Nonce, RoundOracle, Runtime, RuntimeCall, RuntimeGenesisConfig, SessionKeys,
	StakeDelegation, System, TransactionPayment, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> polkadot_sdk::sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			pallet_grandpa::CurrentSetId::<Runtime>::get()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: sp_consensus_grandpa::AuthorityId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			// No key-owner proofs: the proof type is uninhabited (no session pallet).
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(uxt: <Block as BlockT>::Extrinsic, len: u32) -> RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(uxt: <Block as BlockT>::Extrinsic, len: u32) -> FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(call: RuntimeCall, len: u32) -> RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(call: RuntimeCall, len: u32) -> FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl polkadot_sdk::frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<polkadot_sdk::frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			crate::benchmarks::metadata(extra)
		}

		fn dispatch_benchmark(
			config: polkadot_sdk::frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<polkadot_sdk::frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			crate::benchmarks::dispatch(config)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl polkadot_sdk::frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(
			checks: polkadot_sdk::frame_try_runtime::UpgradeCheckSelect,
		) -> (Weight, Weight) {
			// try-runtime is off-chain tooling: a failed check is reported by aborting here.
			match Executive::try_runtime_upgrade(checks) {
				Ok(weight) => (weight, super::configs::RuntimeBlockWeights::get().max_block),
				Err(e) => panic!("try_runtime_upgrade failed: {e:?}"),
			}
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: polkadot_sdk::frame_try_runtime::TryStateSelect,
		) -> Weight {
			// try-runtime is off-chain tooling: a failed check is reported by aborting here.
			match Executive::try_execute_block(block, state_root_check, signature_check, select) {
				Ok(weight) => weight,
				Err(e) => panic!("try_execute_block failed: {e:?}"),
			}
		}
	}

	impl pallet_model_registry_runtime_api::ModelRegistryApi<Block, AccountId, Balance, BlockNumber>
		for Runtime
	{
		fn model_profile(
			model: ModelId,
		) -> Option<pallet_model_registry_runtime_api::ModelProfile<AccountId, Balance, BlockNumber>> {
			ModelRegistry::model_profile(model)
		}

		fn ownership_challenge(model: ModelId, claimant: AccountId) -> Vec<u8> {
			ModelRegistry::challenge_for(&model, &claimant)
		}

		fn models_of(owner: AccountId) -> Vec<ModelId> {
			ModelRegistry::models_of(&owner)
		}

		fn models(after: Option<ModelId>, limit: u32) -> Vec<ModelId> {
			ModelRegistry::models_page(after, limit)
		}
	}

	impl pallet_nmr_bridge::api::NmrBridgeApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn status() -> pallet_nmr_bridge::BridgeStatus<AccountId, Balance, BlockNumber> {
			pallet_nmr_bridge::Pallet::<Runtime>::status()
		}

		fn withdrawal_proof(nonce: u64) -> Option<pallet_nmr_bridge::ReleaseProof<Balance>> {
			pallet_nmr_bridge::Pallet::<Runtime>::proof(nonce)
		}

		fn unsigned_withdrawals(
			after: Option<u64>,
			limit: u32,
		) -> Vec<pallet_nmr_bridge::api::UnsignedWithdrawal<Balance>> {
			pallet_nmr_bridge::Pallet::<Runtime>::unsigned_withdrawals(after, limit)
		}

		fn rotation(set_id: u32) -> Option<pallet_nmr_bridge::api::RotationProof> {
			pallet_nmr_bridge::Pallet::<Runtime>::rotation(set_id)
		}
	}

	impl pallet_round_oracle_runtime_api::RoundOracleApi<Block, AccountId, BlockNumber> for Runtime {
		fn model_history(
			model: ModelId,
			from: numerstake_primitives::RoundIndex,
			to: numerstake_primitives::RoundIndex,
		) -> Vec<pallet_round_oracle_runtime_api::RoundView<BlockNumber>> {
			RoundOracle::model_history(model, from, to)
		}

		fn next_round(model: ModelId) -> Option<numerstake_primitives::RoundIndex> {
			RoundOracle::next_round(&model)
		}

		fn status() -> pallet_round_oracle_runtime_api::OracleStatus<AccountId> {
			RoundOracle::status()
		}

		fn pending(
			limit: u32,
		) -> Vec<pallet_round_oracle_runtime_api::PendingView<AccountId, BlockNumber>> {
			RoundOracle::pending(limit)
		}
	}

	impl pallet_stake_delegation_runtime_api::StakeDelegationApi<Block, AccountId> for Runtime {
		fn pool(model: ModelId) -> Option<pallet_stake_delegation_runtime_api::PoolView<AccountId>> {
			StakeDelegation::pool_view(model)
		}

		fn positions(staker: AccountId) -> Vec<pallet_stake_delegation_runtime_api::PositionView> {
			StakeDelegation::positions_of(staker)
		}

		fn quote(
			model: ModelId,
			principal: Balance,
			term_rounds: numerstake_primitives::RoundIndex,
		) -> Option<pallet_stake_delegation_runtime_api::Quote> {
			StakeDelegation::quote(model, principal, term_rounds)
		}

		fn governance() -> pallet_stake_delegation_runtime_api::GovernanceView {
			StakeDelegation::governance_view()
		}

		fn check(
			who: AccountId,
			model: ModelId,
			action: pallet_stake_delegation_runtime_api::PoolAction<AccountId>,
		) -> Option<polkadot_sdk::sp_runtime::DispatchError> {
			StakeDelegation::check(who, model, action)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}
