//! # numerstake primitives
//!
//! What the numerstake pallets share: the Numerai model id, round numbers, governance fee caps,
//! and the traits through which the registry, the round oracle and the stake-delegation pallet
//! talk to each other without depending on one another.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

mod model_id;
pub mod terms;
mod traits;

pub use model_id::{ModelId, ModelIdError};
pub use traits::*;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::{Perbill, Permill};
use scale_info::TypeInfo;

/// Lower-case hexadecimal digits, by value.
pub const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Appends the lower-case hex text of `bytes` to `out`.
pub fn push_hex_lower(out: &mut alloc::vec::Vec<u8>, bytes: &[u8]) {
	for byte in bytes {
		out.push(HEX_DIGITS[(byte >> 4) as usize]);
		out.push(HEX_DIGITS[(byte & 0x0f) as usize]);
	}
}

/// A Numerai round number (the tournament's own numbering, e.g. 1230).
pub type RoundIndex = u32;

/// Governance limits on what model owners may charge and how fast terms may change.
///
/// Every field has a hard-coded safe range ([`FeeCaps::SAFE`]); governance may move caps only
/// inside it. Caps bind new terms; terms already locked by a commitment are never re-checked.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct FeeCaps {
	/// Highest performance fee any ladder step may charge.
	pub max_performance_fee: Permill,
	/// Highest fixed fee per round, as a fraction of the smallest principal of the step it
	/// applies to (so no delegation in the step pays more than this fraction per round).
	pub max_fixed_fee_per_round: Perbill,
	/// Largest rise of a model's highest performance fee from one terms version to the next.
	pub max_performance_fee_increase: Permill,
	/// Fewest rounds between publishing terms and their taking effect.
	pub min_fee_change_notice: RoundIndex,
	/// Longest commitment term, in rounds.
	pub max_commitment_term: RoundIndex,
}

impl FeeCaps {
	/// Defaults for a new chain: performance fee up to 30 %, fixed fee up to 0.1 % of principal
	/// per round (about 25 % a year at 250 rounds), performance fee rises of at most 5 points a
	/// version, 5 rounds' notice (a week of daily rounds), commitments up to 260 rounds (a year).
	pub const DEFAULT: FeeCaps = FeeCaps {
		max_performance_fee: Permill::from_percent(30),
		max_fixed_fee_per_round: Perbill::from_parts(1_000_000),
		max_performance_fee_increase: Permill::from_percent(5),
		min_fee_change_notice: 5,
		max_commitment_term: 260,
	};

	/// The outer bounds governance can never leave, as (least, greatest) pairs of caps.
	pub const SAFE: (FeeCaps, FeeCaps) = (
		FeeCaps {
			max_performance_fee: Permill::zero(),
			max_fixed_fee_per_round: Perbill::zero(),
			max_performance_fee_increase: Permill::zero(),
			min_fee_change_notice: 1,
			max_commitment_term: 0,
		},
		FeeCaps {
			max_performance_fee: Permill::from_percent(50),
			max_fixed_fee_per_round: Perbill::from_parts(10_000_000),
			max_performance_fee_increase: Permill::from_percent(20),
			min_fee_change_notice: 60,
			max_commitment_term: 520,
		},
	);
}

impl Default for FeeCaps {
	fn default() -> Self {
		Self::DEFAULT
	}
}

/// Governance parameters of delegation, each within its hard-coded safe range
/// ([`ProtocolParams::SAFE`]).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct ProtocolParams {
	/// Rounds between the next round to open and a new delegation's first round.
	pub activation_lag: RoundIndex,
	/// Bond the owner must hold per unit of the next round's requirement.
	pub bond_ratio: Perbill,
	/// Rounds a model may stay under-bonded before its committed stakers are freed.
	pub grace_rounds: RoundIndex,
	/// Largest share of all delegated value one model may hold.
	pub model_cap: Perbill,
	/// Largest share of all delegated value one owner's models may hold together.
	pub operator_cap: Perbill,
	/// The caps apply once this much value is delegated chain-wide (a young chain can start).
	pub caps_from_total: u128,
	/// Rounds per fee period (the calendar by round number).
	pub fee_period: RoundIndex,
}

/// One NMR in planck.
const NMR: u128 = 1_000_000_000_000_000_000;

impl ProtocolParams {
	/// Defaults: one round of activation lag (a day's notice for the owner to stake), bond of
	/// 25 % of the requirement with 5 grace rounds (the worst 5-round run of gains on real
	/// score history is 25 % of the delegated stake at payout factor 1), 10 % per model and 20 %
	/// per owner from 100,000 NMR delegated, fee periods of 20 rounds (about a month).
	pub const DEFAULT: ProtocolParams = ProtocolParams {
		activation_lag: 1,
		bond_ratio: Perbill::from_percent(25),
		grace_rounds: 5,
		model_cap: Perbill::from_percent(10),
		operator_cap: Perbill::from_percent(20),
		caps_from_total: 100_000 * NMR,
		fee_period: 20,
	};

	/// The outer bounds governance can never leave, as (least, greatest).
	pub const SAFE: (ProtocolParams, ProtocolParams) = (
		ProtocolParams {
			activation_lag: 0,
			bond_ratio: Perbill::from_percent(5),
			grace_rounds: 1,
			model_cap: Perbill::from_percent(1),
			operator_cap: Perbill::from_percent(1),
			caps_from_total: 0,
			fee_period: 5,
		},
		ProtocolParams {
			activation_lag: 10,
			bond_ratio: Perbill::from_percent(100),
			grace_rounds: 20,
			model_cap: Perbill::from_percent(100),
			operator_cap: Perbill::from_percent(100),
			caps_from_total: 100_000_000 * NMR,
			fee_period: 100,
		},
	);
}

impl Default for ProtocolParams {
	fn default() -> Self {
		Self::DEFAULT
	}
}

/// Where a model stands. The registry owns the record; the delegation pallet drives
/// `Active` ⇄ `UnderBonded` through [`ModelStatusControl`]; governance suspends.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ModelStatus {
	/// Claimed; ownership not yet attested by the oracle quorum. The claim expires.
	Pending,
	/// Ownership attested; no terms published yet.
	Verified,
	/// Terms published: takes delegations (subject to bond and capacity checks).
	Active,
	/// The owner's bond is below the requirement: no new delegations.
	UnderBonded,
	/// Suspended by governance: no new delegations, no new terms.
	Suspended,
	/// The owner is winding the model down: no new delegations or terms.
	Retiring,
}

impl ModelStatus {
	/// Whether new delegations may join a model in this status.
	pub fn accepts_delegations(self) -> bool {
		matches!(self, ModelStatus::Active)
	}

	/// Whether ownership has been proven.
	pub fn is_verified(self) -> bool {
		!matches!(self, ModelStatus::Pending)
	}
}

/// What the chain records about a model's consistency (filled by the oracle and the delegation
/// pallet, and by griefing).
#[derive(
	Clone,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct ConsistencyRecord<Balance> {
	/// Finalised rounds the model submitted to.
	pub rounds_submitted: u32,
	/// Finalised rounds the model missed.
	pub rounds_missed: u32,
	/// The latest finalised round noted.
	pub last_round: Option<RoundIndex>,
	/// Rounds in which the owner staked less on Numerai than was delegated.
	pub backing_breaches: u32,
	/// The latest such round.
	pub last_backing_breach: Option<RoundIndex>,
	/// Times delegators griefed the consistency bond.
	pub griefs: u32,
	/// Bond burned by griefs in all.
	pub grief_burned_bond: Balance,
	/// NMR griefers burned of their own in all.
	pub grief_burned_by_delegators: Balance,
}
