//! try-runtime, natively (the registry's `try-runtime-cli` does not work with this SDK): the
//! checks `Executive::try_runtime_upgrade(UpgradeCheckSelect::All)` makes before an upgrade is
//! proposed (every migration's pre- and post-upgrade checks around the migrations themselves,
//! then every pallet's `try_state`), on the state each genesis preset builds and on a snapshot
//! of a running chain of the previous release (`snapshots/`, made by the node's upgrade test).
//!
//!     cargo test --release -p numerstake-runtime --features try-runtime --test try_runtime

#![cfg(feature = "try-runtime")]

mod common;

use numerstake_runtime::{Executive, RoundOracle, Runtime, System};
use polkadot_sdk::{
	frame_support::{
		storage::unhashed,
		traits::{GetStorageVersion, StorageVersion},
	},
	frame_try_runtime::UpgradeCheckSelect,
	sp_core::storage::Storage,
	sp_io::TestExternalities,
};
use serde_json::Value;

/// The snapshot: a dev chain on runtime 109 with a pool, two positions and a queued exit.
const SNAPSHOT: &str =
	concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/dev-chain-runtime-109.json");

fn unhex(text: &str) -> Vec<u8> {
	let text = text.strip_prefix("0x").expect("0x-prefixed hex");
	(0..text.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
		.collect()
}

/// The snapshot's state, at its block's number.
fn snapshot() -> (TestExternalities, Value) {
	let text = std::fs::read(SNAPSHOT).expect("the committed snapshot");
	let doc: Value = serde_json::from_slice(&text).expect("snapshot JSON");
	let top = doc["pairs"]
		.as_array()
		.expect("pairs")
		.iter()
		.map(|pair| (unhex(pair[0].as_str().unwrap()), unhex(pair[1].as_str().unwrap())))
		.collect();
	let mut ext = TestExternalities::new(Storage { top, children_default: Default::default() });
	ext.execute_with(|| {
		// The block being built on top of the snapshot's.
		let number = System::block_number();
		assert!(number > 0, "the snapshot has a block number");
		System::set_block_number(number + 1);
	});
	(ext, doc)
}

#[test]
fn every_preset_passes_the_upgrade_checks() {
	for preset in [
		"development",
		"local_testnet",
		numerstake_runtime::genesis_config_presets::LIVE_TEMPLATE_PRESET,
	] {
		common::ext(preset).execute_with(|| {
			// A new chain is at every pallet's current storage version: nothing to migrate.
			assert_eq!(RoundOracle::on_chain_storage_version(), StorageVersion::new(1));
			Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
				.unwrap_or_else(|e| panic!("{preset}: {e:?}"));
		});
	}
}

#[test]
fn the_previous_releases_chain_passes_the_upgrade_checks_and_migrates() {
	let (mut ext, doc) = snapshot();
	assert_eq!(doc["spec_version"], 109);
	ext.execute_with(|| {
		assert_eq!(RoundOracle::on_chain_storage_version(), StorageVersion::new(0));
		// The money state the checks run on: a pool with positions and a queued exit.
		assert!(pallet_stake_delegation::Pools::<Runtime>::iter().count() >= 1);
		assert!(pallet_stake_delegation::Delegations::<Runtime>::iter().count() >= 2);
		// Version-0 dissent counts (a bare u32 per operator), so that the migration has data to
		// move: the running chain had no dissent yet.
		let operators = pallet_round_oracle::Operators::<Runtime>::get();
		assert!(!operators.is_empty(), "the snapshot has oracle operators");
		for (i, operator) in operators.iter().enumerate() {
			let key = pallet_round_oracle::Dissents::<Runtime>::hashed_key_for(operator);
			unhashed::put(&key, &(i as u32 + 3));
		}
		Executive::try_runtime_upgrade(UpgradeCheckSelect::All).expect("the upgrade checks");
		assert_eq!(RoundOracle::on_chain_storage_version(), StorageVersion::new(1));
		for (i, operator) in operators.iter().enumerate() {
			assert_eq!(
				pallet_round_oracle::Dissents::<Runtime>::get(operator),
				pallet_round_oracle::DissentRecord { count: i as u32 + 3, last: None },
			);
		}
		assert_eq!(RoundOracle::on_chain_storage_version(), RoundOracle::in_code_storage_version());
		// The migrations are idempotent: a second upgrade migrates nothing and still checks.
		Executive::try_runtime_upgrade(UpgradeCheckSelect::All).expect("the checks, again");
	});
}
