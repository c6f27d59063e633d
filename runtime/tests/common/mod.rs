//! What the runtime's test files share: externalities from a genesis preset.

#![allow(dead_code)]

use numerstake_runtime::{genesis_config_presets, BuildStorage, RuntimeGenesisConfig, System};
use polkadot_sdk::sp_io::TestExternalities;
use serde_json::Value;

/// Overlays `patch` on `base`, as the node does with a preset over the default config.
pub fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (k, v) in patch {
				merge(base.entry(k).or_insert(Value::Null), v);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// The genesis config of `preset`, as the node builds it.
pub fn genesis(preset: &str) -> RuntimeGenesisConfig {
	let patch = genesis_config_presets::get_preset(&preset.into()).expect("preset exists");
	let patch: Value = serde_json::from_slice(&patch).expect("preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("default config");
	merge(&mut config, patch);
	serde_json::from_value(config).expect("preset deserialises into the genesis config")
}

/// Externalities at block 1 of `preset`'s genesis.
pub fn ext(preset: &str) -> TestExternalities {
	let storage = genesis(preset).build_storage().expect("genesis storage builds");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
