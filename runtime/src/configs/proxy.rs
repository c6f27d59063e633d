//! Proxies, with a restricted [`ProxyType::StakingBot`] for portfolio automation: a staker can
//! let a bot key exit, settle and withdraw on their behalf without letting it move funds
//! elsewhere.

use crate::{Balance, Balances, Runtime, RuntimeCall, RuntimeEvent, System, MILLI_NMR};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::InstanceFilter},
	pallet_proxy, pallet_utility,
	sp_runtime::traits::BlakeTwo256,
};
use scale_info::TypeInfo;

/// What a proxy may do for the account that appointed it.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// Everything.
	#[default]
	Any,
	/// Everything except moving value to anyone else: no balance transfers, no delegating or
	/// recommitting (a join can prepay fees to a model's owner and expose the stake to losses
	/// that go to the owner), no owner bonds (they pay stakers' gains) or consistency bonds
	/// (griefers can burn them), no griefing (it burns the account's NMR).
	NonTransfer,
	/// Council and membership business.
	Governance,
	/// Staking automation: only the calls that end or tidy a position and return money to the
	/// staker (request an exit, settle fees, withdraw, bring a pool up to date), and batches of
	/// them (the proxy filter applies to every call inside a batch too). A bot can never
	/// delegate, recommit or send the staker's NMR anywhere.
	StakingBot,
}

impl ProxyType {
	fn is_staking_upkeep(call: &RuntimeCall) -> bool {
		matches!(
			call,
			RuntimeCall::StakeDelegation(
				pallet_stake_delegation::Call::request_exit { .. }
					| pallet_stake_delegation::Call::settle { .. }
					| pallet_stake_delegation::Call::withdraw { .. }
					| pallet_stake_delegation::Call::catch_up { .. }
			)
		)
	}

	/// Calls that move the account's NMR to someone else, or burn it.
	fn moves_value(call: &RuntimeCall) -> bool {
		matches!(
			call,
			RuntimeCall::Balances(..)
				| RuntimeCall::StakeDelegation(
					pallet_stake_delegation::Call::delegate { .. }
						| pallet_stake_delegation::Call::recommit { .. }
						| pallet_stake_delegation::Call::bond { .. }
				) | RuntimeCall::ModelRegistry(
				pallet_model_registry::Call::grief { .. }
					| pallet_model_registry::Call::post_consistency_bond { .. }
			) | RuntimeCall::NmrBridge(pallet_nmr_bridge::Call::withdraw { .. })
		)
	}

	fn allows_utility_batch(call: &RuntimeCall) -> bool {
		matches!(
			call,
			RuntimeCall::Utility(
				pallet_utility::Call::batch { .. }
					| pallet_utility::Call::batch_all { .. }
					| pallet_utility::Call::force_batch { .. }
			)
		)
	}
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			ProxyType::NonTransfer => !Self::moves_value(call),
			ProxyType::Governance => {
				matches!(call, RuntimeCall::Council(..) | RuntimeCall::CouncilMembership(..))
					|| Self::allows_utility_batch(call)
			},
			ProxyType::StakingBot => {
				Self::is_staking_upkeep(call) || Self::allows_utility_batch(call)
			},
		}
	}

	fn is_superset(&self, other: &Self) -> bool {
		match (self, other) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, ProxyType::Governance | ProxyType::StakingBot) => true,
			_ => false,
		}
	}
}

parameter_types! {
	/// Deposit for the proxy list of an account: 8 bytes of key plus the list header.
	pub const ProxyDepositBase: Balance = 10 * MILLI_NMR;
	/// Deposit per proxy in the list.
	pub const ProxyDepositFactor: Balance = 3 * MILLI_NMR;
	pub const AnnouncementDepositBase: Balance = 10 * MILLI_NMR;
	pub const AnnouncementDepositFactor: Balance = 6 * MILLI_NMR;
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = polkadot_sdk::frame_support::traits::ConstU32<32>;
	type WeightInfo = pallet_proxy::weights::SubstrateWeight<Runtime>;
	type MaxPending = polkadot_sdk::frame_support::traits::ConstU32<32>;
	type CallHasher = BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}
