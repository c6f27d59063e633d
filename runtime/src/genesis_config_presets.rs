//! Genesis presets: `development` (one validator and oracle operator, Alice) and `local_testnet`
//! (Alice and Bob, both validators and oracle operators, quorum 2). Both register three demo
//! models that the local Numerai fixture serves.
//!
//! Dev chains start with endowed development accounts; that is the only way NMR comes into
//! existence outside the bridge, and only on these chains. A third preset, `live_template`, is
//! the shape of a live chain's genesis: no NMR, no sudo, keys to be replaced.

use crate::{
	configs::fee_pot_account, AccountId, Balance, BalancesConfig, CouncilMembershipConfig,
	ModelRegistryConfig, NmrBridgeConfig, RoundOracleConfig, RuntimeGenesisConfig, SudoConfig,
	DAYS, EXISTENTIAL_DEPOSIT, NMR,
};
use alloc::{vec, vec::Vec};
use numerstake_primitives::ModelId;
use polkadot_sdk::{
	frame_support::{build_struct_json_patch, BoundedVec},
	pallet_aura, pallet_grandpa,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_core::H160,
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};
use serde_json::Value;

/// What each development account holds at genesis: one million NMR.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * NMR;

/// The development accounts that hold NMR at genesis.
pub fn endowed_dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

/// The development council: Alice, Bob and Charlie.
pub fn dev_council() -> Vec<AccountId> {
	vec![
		Sr25519Keyring::Alice.to_account_id(),
		Sr25519Keyring::Bob.to_account_id(),
		Sr25519Keyring::Charlie.to_account_id(),
	]
}

fn authority(k: (Sr25519Keyring, Ed25519Keyring)) -> (AuraId, GrandpaId) {
	(k.0.public().into(), k.1.public().into())
}

/// The demo models of dev chains (served by the local Numerai fixture), owned by Bob, Charlie
/// and Dave, verified and watched by the oracle from the first round.
pub fn demo_models() -> Vec<(ModelId, AccountId, Vec<u8>)> {
	let owners = [Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];
	numerstake_numerai::DEMO_MODELS
		.iter()
		.zip(owners)
		.filter_map(|((id, name), owner)| {
			ModelId::parse(id.as_bytes())
				.ok()
				.map(|m| (m, owner.to_account_id(), name.as_bytes().to_vec()))
		})
		.collect()
}

/// Oracle parameters of dev chains: Classic scores; an absent model counts as not submitted
/// 10 s after the (accelerated) scheduled resolution.
fn dev_oracle_params() -> pallet_round_oracle::OracleParamsOf<crate::Runtime> {
	let mut params = pallet_round_oracle::OracleParamsOf::<crate::Runtime>::classic();
	params.absent_grace_secs = 10;
	params
}

/// The Ethereum addresses of the development ECDSA keys `//Alice`, `//Bob` and `//Charlie`
/// (the dev relayers' keys; a native test derives them again).
pub const DEV_RELAYER_ETH: [(Sr25519Keyring, [u8; 20]); 3] = [
	(
		Sr25519Keyring::Alice,
		[
			0xe0, 0x4c, 0xc5, 0x5e, 0xbe, 0xe1, 0xcb, 0xce, 0x55, 0x2f, 0x25, 0x0e, 0x85, 0xc5,
			0x7b, 0x70, 0xb2, 0xe2, 0x62, 0x5b,
		],
	),
	(
		Sr25519Keyring::Bob,
		[
			0x25, 0x45, 0x1a, 0x4d, 0xe1, 0x2d, 0xcc, 0xc2, 0xd1, 0x66, 0x92, 0x2f, 0xa9, 0x38,
			0xe9, 0x00, 0xfc, 0xc4, 0xed, 0x24,
		],
	),
	(
		Sr25519Keyring::Charlie,
		[
			0x56, 0x30, 0xa4, 0x80, 0x72, 0x7c, 0xd7, 0x79, 0x90, 0x73, 0xb3, 0x64, 0x72, 0xd9,
			0xb1, 0xa6, 0x03, 0x1f, 0x84, 0x0b,
		],
	),
];

/// The lock contract of dev chains: anvil's chain 31337, deployed by anvil's first account as
/// its second transaction (after the test token), so at this address (`scripts/dev` checks).
pub const DEV_BRIDGE_CONTRACT: pallet_nmr_bridge::EthereumContract =
	pallet_nmr_bridge::EthereumContract {
		chain_id: 31_337,
		address: H160([
			0xe7, 0xf1, 0x72, 0x5e, 0x77, 0x34, 0xce, 0x28, 0x8f, 0x83, 0x67, 0xe1, 0xbb, 0x14,
			0x3e, 0x90, 0xbb, 0x3f, 0x05, 0x12,
		]),
	};

/// Bridge limits of dev chains: a day's period; 1,000,000 NMR minted (the dev contract's largest
/// deposit is 100,000 NMR) and 10,000 NMR burned per day at most (the dev contract releases
/// 10,000 NMR a day, so releases always keep up); withdrawals from 0.01 to 10,000 NMR.
pub fn dev_bridge_limits() -> pallet_nmr_bridge::LimitsOf<crate::Runtime> {
	pallet_nmr_bridge::Limits {
		period: DAYS,
		max_mint: 1_000_000 * NMR,
		max_burn: 10_000 * NMR,
		min_withdrawal: NMR / 100,
		max_withdrawal: 10_000 * NMR,
	}
}

fn bridge_genesis(relayers: usize) -> pallet_nmr_bridge::GenesisConfig<crate::Runtime> {
	let relayers: Vec<(AccountId, H160)> = DEV_RELAYER_ETH[..relayers]
		.iter()
		.map(|(k, eth)| (k.to_account_id(), H160(*eth)))
		.collect();
	let threshold = relayers.len() as u32 / 2 + 1;
	pallet_nmr_bridge::GenesisConfig {
		relayers,
		threshold,
		// One relayer is allowed on the dev chain only; the local testnet has three, two of
		// which must agree.
		min_threshold: threshold,
		contract: Some(DEV_BRIDGE_CONTRACT),
		guardian: Some(Sr25519Keyring::Alice.to_account_id()),
		limits: dev_bridge_limits(),
	}
}

fn testnet_genesis(
	initial_authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	council: Vec<AccountId>,
	root: AccountId,
	oracle_operators: Vec<AccountId>,
	relayers: usize,
) -> Value {
	let bridge = bridge_genesis(relayers);
	let models = demo_models();
	let watched: Vec<ModelId> = models.iter().map(|m| m.0).collect();
	let threshold = oracle_operators.len() as u32 / 2 + 1;
	let mut balances: Vec<(AccountId, Balance)> =
		endowed_accounts.into_iter().map(|a| (a, DEV_ENDOWMENT)).collect();
	// The fee pot exists from genesis so that fees paid into it can never be lost.
	balances.push((fee_pot_account(), EXISTENTIAL_DEPOSIT));
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		aura: pallet_aura::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| (x.1.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		council_membership: CouncilMembershipConfig { members: BoundedVec::truncate_from(council) },
		model_registry: ModelRegistryConfig { verified_models: models },
		round_oracle: RoundOracleConfig {
			operators: oracle_operators,
			threshold,
			params: Some(dev_oracle_params()),
			watched,
		},
		nmr_bridge: NmrBridgeConfig {
			relayers: bridge.relayers,
			threshold: bridge.threshold,
			min_threshold: bridge.min_threshold,
			contract: bridge.contract,
			guardian: bridge.guardian,
			limits: bridge.limits,
		},
	})
}

/// The development chain: Alice authors and finalises alone and holds sudo.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority((Sr25519Keyring::Alice, Ed25519Keyring::Alice))],
		endowed_dev_accounts(),
		dev_council(),
		Sr25519Keyring::Alice.to_account_id(),
		vec![Sr25519Keyring::Alice.to_account_id()],
		1,
	)
}

/// The local testnet: Alice and Bob are validators; Alice holds sudo.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority((Sr25519Keyring::Alice, Ed25519Keyring::Alice)),
			authority((Sr25519Keyring::Bob, Ed25519Keyring::Bob)),
		],
		endowed_dev_accounts(),
		dev_council(),
		Sr25519Keyring::Alice.to_account_id(),
		vec![Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id()],
		3,
	)
}

/// The name of the live template preset.
pub const LIVE_TEMPLATE_PRESET: &str = "live_template";

/// The shape of a live chain's genesis, to be filled in before launch: **no NMR at all** (every
/// planck is minted by the bridge against NMR locked on Ethereum), no sudo, governance by the
/// council, three relayers of whom two must agree (at least two on a live chain), and the bridge
/// open from the first block. Every key in it is a well-known development key standing in for
/// the operators' own, and the contract is the dev chain's: replace them (`build-spec --chain
/// live-template`, edit, `build-spec --raw`) — `docs/bridge.md` lists what to change.
pub fn live_template_genesis() -> Value {
	let bridge = bridge_genesis(3);
	let operators = dev_council();
	let threshold = operators.len() as u32 / 2 + 1;
	build_struct_json_patch!(RuntimeGenesisConfig {
		aura: pallet_aura::GenesisConfig {
			authorities: vec![authority((Sr25519Keyring::Alice, Ed25519Keyring::Alice)).0],
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: vec![(authority((Sr25519Keyring::Alice, Ed25519Keyring::Alice)).1, 1)],
		},
		council_membership: CouncilMembershipConfig {
			members: BoundedVec::truncate_from(dev_council())
		},
		round_oracle: RoundOracleConfig { operators, threshold },
		nmr_bridge: NmrBridgeConfig {
			relayers: bridge.relayers,
			threshold: bridge.threshold,
			min_threshold: 2,
			contract: bridge.contract,
			guardian: bridge.guardian,
			limits: bridge.limits,
		},
	})
}

/// The JSON patch of the named preset, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		LIVE_TEMPLATE_PRESET => live_template_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(LIVE_TEMPLATE_PRESET),
	]
}
