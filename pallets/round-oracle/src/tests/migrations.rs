//! Storage migrations: version 0's dissent counts become version 1's records.

use super::*;
use crate::migrations::v1::{self, MigrateV0ToV1};
use polkadot_sdk::frame_support::{
	traits::{GetStorageVersion, OnGenesis, OnRuntimeUpgrade, StorageVersion},
	weights::RuntimeDbWeight,
};

/// A chain as version 0 left it: dissent counts for two of the three operators.
fn version_0_chain() {
	StorageVersion::new(0).put::<Oracle>();
	v1::v0::Dissents::<Test>::insert(charlie(), 7);
	v1::v0::Dissents::<Test>::insert(bob(), 1);
}

#[test]
fn a_new_chain_starts_at_the_current_storage_version() {
	build_and_execute(|| {
		// What a runtime's genesis does for every pallet (the mock assimilates the pallet's
		// genesis config alone).
		<Oracle as OnGenesis>::on_genesis();
		assert_eq!(Oracle::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Oracle::on_chain_storage_version(), Oracle::in_code_storage_version());
	});
}

#[test]
fn version_0_dissent_counts_become_records_with_no_latest_dissent() {
	build_and_execute(|| {
		version_0_chain();
		let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Oracle::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Dissents::<Test>::get(charlie()), DissentRecord { count: 7, last: None });
		assert_eq!(Dissents::<Test>::get(bob()), DissentRecord { count: 1, last: None });
		assert!(!Dissents::<Test>::contains_key(alice()));
		assert_eq!(Dissents::<Test>::iter().count(), 2);
		assert_eq!(Oracle::status().dissents, vec![0, 1, 7]);
		// Two records read and written, and the version read and written.
		let db: RuntimeDbWeight = <Test as polkadot_sdk::frame_system::Config>::DbWeight::get();
		assert_eq!(weight, db.reads_writes(3, 3));
	});
}

#[test]
fn the_migration_runs_once() {
	build_and_execute(|| {
		version_0_chain();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let migrated = Dissents::<Test>::iter().collect::<Vec<_>>();
		// Listed again in a later runtime, it only reads the version.
		let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let db: RuntimeDbWeight = <Test as polkadot_sdk::frame_system::Config>::DbWeight::get();
		assert_eq!(weight, db.reads(1));
		assert_eq!(Dissents::<Test>::iter().collect::<Vec<_>>(), migrated);
	});
}

#[test]
fn after_the_migration_a_dissent_counts_on_and_is_dated() {
	build_and_execute(|| {
		version_0_chain();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		// Charlie lies about round 100's opening; Alice and Bob finalise the truth.
		let misdated = match opened(100) {
			Report::RoundOpened { round, opened_at, resolves_at } => {
				Report::RoundOpened { round, opened_at: opened_at + 1, resolves_at }
			},
			_ => unreachable!(),
		};
		assert_ok!(submit(charlie(), vec![misdated]));
		assert_ok!(submit(alice(), vec![opened(100)]));
		assert_ok!(submit(bob(), vec![opened(100)]));
		assert_eq!(
			Dissents::<Test>::get(charlie()),
			DissentRecord { count: 8, last: Some((Subject::Round(100), System::block_number())) }
		);
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn the_migrations_checks_pass_on_version_0_state() {
	build_and_execute(|| {
		version_0_chain();
		// pre_upgrade, the migration, post_upgrade (which compares every record).
		MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true).expect("the migration's checks");
		assert_eq!(Oracle::on_chain_storage_version(), StorageVersion::new(1));
	});
}
