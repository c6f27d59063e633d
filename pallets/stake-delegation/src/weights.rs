//! Weights for `pallet_stake_delegation`: provisional figures until
//! `scripts/gen-weights pallet_stake_delegation` replaces this file.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_stake_delegation`.
pub trait WeightInfo {
	fn delegate() -> Weight;
	fn record_round() -> Weight;
	fn request_exit() -> Weight;
	fn withdraw() -> Weight;
	fn recommit() -> Weight;
	fn settle(p: u32, ) -> Weight;
	fn bond() -> Weight;
	fn unbond() -> Weight;
	fn exit_fee_shares() -> Weight;
	fn withdraw_fee_exit() -> Weight;
	fn claim_owner_payable() -> Weight;
	fn catch_up() -> Weight;
	fn set_fee_caps() -> Weight;
	fn set_protocol_params() -> Weight;
	fn on_round_finalized(d: u32, ) -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn delegate() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn record_round() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn request_exit() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(14_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(14_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn recommit() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(14_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn settle(p: u32, ) -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads((10_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn bond() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn unbond() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn exit_fee_shares() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn withdraw_fee_exit() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn claim_owner_payable() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn catch_up() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(40_u64))
			.saturating_add(T::DbWeight::get().writes(20_u64))
	}
	fn set_fee_caps() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_protocol_params() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn on_round_finalized(_d: u32, ) -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(40_u64))
			.saturating_add(T::DbWeight::get().writes(30_u64))
	}
}

/// The same measurements with RocksDB's database weights, for tests.
impl WeightInfo for () {
	fn delegate() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(12_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn record_round() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn request_exit() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(14_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(14_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	fn recommit() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(14_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn settle(p: u32, ) -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads((10_u64).saturating_mul(p.into())))
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn bond() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn unbond() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn exit_fee_shares() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn withdraw_fee_exit() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn claim_owner_payable() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn catch_up() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(40_u64))
			.saturating_add(RocksDbWeight::get().writes(20_u64))
	}
	fn set_fee_caps() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn set_protocol_params() -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn on_round_finalized(_d: u32, ) -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(40_u64))
			.saturating_add(RocksDbWeight::get().writes(30_u64))
	}
}
