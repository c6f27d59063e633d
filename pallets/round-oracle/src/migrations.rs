//! Storage migrations, one module per storage version.
//!
//! The runtime lists them in its `Migrations`, which `Executive` runs on the first block after a
//! code upgrade, before any hook. Each is a [`VersionedMigration`]: it runs only when the
//! pallet's stored version is the one it was written for, and then sets the next version, so
//! that listing it in a runtime whose chain has already migrated does nothing.

use crate::{Config, DissentRecord, Dissents, Pallet};
use polkadot_sdk::frame_support::{
	migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade, weights::Weight,
};
#[cfg(feature = "try-runtime")]
use polkadot_sdk::{frame_support::ensure, sp_runtime::TryRuntimeError};
#[cfg(feature = "try-runtime")]
use {
	alloc::vec::Vec,
	codec::{Decode, Encode},
};

/// Version 1: an operator's dissent record keeps, beside the count, the subject and the block of
/// its latest dissent (version 0 kept the count alone).
pub mod v1 {
	use super::*;
	use polkadot_sdk::frame_support::{pallet_prelude::*, storage_alias};

	/// The version-0 layout of the dissent records.
	pub(crate) mod v0 {
		use super::*;

		#[storage_alias]
		pub type Dissents<T: Config> = StorageMap<
			Pallet<T>,
			Blake2_128Concat,
			<T as polkadot_sdk::frame_system::Config>::AccountId,
			u32,
		>;
	}

	/// Rewrites each dissent count as a record with no latest dissent known. There is one
	/// record per current operator at most (`set_operators` drops those of removed operators,
	/// and `try_state` checks it), so this reads and writes at most
	/// [`Config::MaxOperators`] entries.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut entries = 0u64;
			Dissents::<T>::translate::<u32, _>(|_, count| {
				entries += 1;
				Some(DissentRecord { count, last: None })
			});
			T::DbWeight::get().reads_writes(entries, entries)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let counts: Vec<(T::AccountId, u32)> = v0::Dissents::<T>::iter().collect();
			Ok(counts.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let before = Vec::<(T::AccountId, u32)>::decode(&mut &state[..])
				.map_err(|_| TryRuntimeError::Other("the pre-upgrade dissent counts"))?;
			ensure!(
				Dissents::<T>::iter().count() == before.len(),
				"the migration changed the number of dissent records"
			);
			for (operator, count) in before {
				ensure!(
					Dissents::<T>::get(&operator) == DissentRecord { count, last: None },
					"a dissent count changed in the migration"
				);
			}
			Ok(())
		}
	}

	/// [`InnerMigrateV0ToV1`] from storage version 0 to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as polkadot_sdk::frame_system::Config>::DbWeight,
	>;
}
