//! Runtime API of stake delegation, for wallets, the staker CLI and indexers: a staker's
//! positions with their current value, a model's pool, and quotes for prospective delegations.
//! The runtime and the CLI depend on this crate, not on the pallet.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use numerstake_primitives::{ModelId, RoundIndex};
use polkadot_sdk::{sp_core::H256, sp_runtime::Permill};
use scale_info::TypeInfo;

/// Planck of NMR.
pub type Balance = u128;

/// A model's pool.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PoolView<AccountId> {
	/// The model's owner.
	pub owner: AccountId,
	/// The account holding the stakers' NMR.
	pub account: AccountId,
	/// Share epoch (a new one starts after a wipe-out).
	pub epoch: u32,
	/// Share price, 18 decimals.
	pub price: u128,
	/// All shares of the epoch.
	pub shares: u128,
	/// The owner's fee position, in shares.
	pub owner_shares: u128,
	/// What the owner must stake on Numerai for the next round.
	pub requirement_next: Balance,
	/// Exposure once everything queued has joined.
	pub projected: Balance,
	/// Principal waiting to activate.
	pub queued: Balance,
	/// Owed to exited positions.
	pub exit_pot: Balance,
	/// The owner's bond.
	pub bond: Balance,
	/// The bond the next round requires.
	pub bond_required: Balance,
	/// Gains the bond could not pay.
	pub debt: Balance,
	/// What the owner may claim.
	pub owner_payable: Balance,
	/// Since when the bond has been short, if it is.
	pub under_bonded_since: Option<RoundIndex>,
	/// The latest settled round.
	pub last_finalised: Option<RoundIndex>,
	/// Requirements are recorded up to this round.
	pub recorded_through: RoundIndex,
	/// Finalised results waiting for `catch_up`.
	pub deferred: u32,
	/// Rounds submitted and fully backed.
	pub served_rounds: u32,
	/// The next fee-period end.
	pub next_period_end: RoundIndex,
	/// Live delegations.
	pub delegations: u32,
}

/// Where a position stands.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum PositionStage {
	/// Waiting for its first round to open: `request_exit` cancels with a full refund.
	Queued,
	/// Its first round opened; it activates when that round is settled.
	Activating,
	/// In the pool.
	Active,
	/// Leaving after `last_round`.
	Exiting {
		/// The last round it is exposed to.
		last_round: RoundIndex,
	},
	/// Paid out by `withdraw` now.
	Withdrawable,
}

/// A staker's delegation.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PositionView {
	/// The model.
	pub model: ModelId,
	/// The delegation's index (with the staker and the model, its key).
	pub index: u32,
	/// NMR delegated.
	pub principal: Balance,
	/// Prepaid fixed fees.
	pub prepaid: Balance,
	/// First round exposed.
	pub first_round: RoundIndex,
	/// Where it stands.
	pub stage: PositionStage,
	/// Shares held (net of fees due).
	pub shares: u128,
	/// Current value in planck, net of fees due through the latest settled round.
	pub value: Balance,
	/// Fees charged so far, planck.
	pub fees_paid: Balance,
	/// Value less principal and prepaid fees (what it made or lost so far), planck.
	pub result: i128,
	/// While a commitment binds: its last round.
	pub locked_until: Option<RoundIndex>,
	/// The round whose settlement releases the money, once it asked to exit.
	pub release_round: Option<RoundIndex>,
	/// The high-water mark of its performance fee.
	pub high_water_mark: u128,
	/// The terms version its fees are charged at.
	pub terms_version: u32,
	/// Fee periods that have ended and are not yet settled on chain: what a `settle` would
	/// walk now (0: a `settle` would change nothing but the transaction fee).
	pub settle_periods: u32,
}

/// What a delegation would cost and whether it would be accepted now.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct Quote {
	/// The terms version to consent to.
	pub terms_version: u32,
	/// The hash of that version's terms document, to consent to with it (`None`: no
	/// document).
	pub document_hash: Option<H256>,
	/// The first round it would be exposed to.
	pub first_round: RoundIndex,
	/// Fixed fee per served round, before the discount.
	pub fixed_fee_per_round: Balance,
	/// Performance fee, before the discount.
	pub performance_fee: Permill,
	/// The commitment's discount on both fees.
	pub discount: Permill,
	/// Fixed fee prepaid at join (commitments).
	pub prepaid: Balance,
	/// Principal plus prepaid fee.
	pub total_cost: Balance,
	/// Room left in the model's capacity.
	pub capacity_left: Balance,
	/// Why `delegate` would fail now (the error's name), if it would.
	pub refusal: Option<Vec<u8>>,
}

/// What governance has set for delegation, and the chain-wide figures the caps work on.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct GovernanceView {
	/// Caps on owners' terms.
	pub caps: numerstake_primitives::FeeCaps,
	/// Protocol parameters.
	pub protocol: numerstake_primitives::ProtocolParams,
	/// Delegated value of all pools (the concentration caps' denominator).
	pub total_value: Balance,
	/// The latest round the oracle opened (0 before any).
	pub latest_round: RoundIndex,
}

/// A call on a pool or one of its positions whose outcome [`StakeDelegationApi::check`] tells
/// before it is signed (the call's own arguments, less the model).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum PoolAction<AccountId> {
	/// `request_exit(model, index)`.
	RequestExit {
		/// The delegation.
		index: u32,
	},
	/// `withdraw(model, index)`.
	Withdraw {
		/// The delegation.
		index: u32,
	},
	/// `settle(staker, model, index, max_periods)`, with the most periods a call may settle.
	Settle {
		/// Whose delegation.
		staker: AccountId,
		/// The delegation.
		index: u32,
	},
	/// `recommit(model, index, term_rounds, terms_version)`.
	Recommit {
		/// The delegation.
		index: u32,
		/// The new commitment.
		term_rounds: RoundIndex,
		/// The terms version consented to.
		terms_version: u32,
	},
	/// `bond(model, amount)`.
	Bond {
		/// NMR to add to the bond.
		amount: Balance,
	},
	/// `unbond(model, amount)`.
	Unbond {
		/// NMR to take from the bond.
		amount: Balance,
	},
	/// `claim_owner_payable(model)`.
	ClaimOwnerPayable,
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reads of stake delegation.
	pub trait StakeDelegationApi<AccountId>
	where
		AccountId: Codec,
	{
		/// A model's pool, or `None` before its owner bonded.
		fn pool(model: ModelId) -> Option<PoolView<AccountId>>;
		/// A staker's delegations with their current values (fees due are settled in the
		/// view, not on chain).
		fn positions(staker: AccountId) -> Vec<PositionView>;
		/// What delegating `principal` to `model` for `term_rounds` would cost, or `None` for a
		/// model without terms.
		fn quote(model: ModelId, principal: Balance, term_rounds: RoundIndex) -> Option<Quote>;
		/// Fee caps, protocol parameters and the chain's delegated value.
		fn governance() -> GovernanceView;
		/// Whether `who` sending `action` on `model`'s pool now, after a `catch_up` in the same
		/// batch as wallets send it, would be accepted: `None` if so, else the error the call
		/// would fail with. Nothing is written; the transaction fee is not considered.
		fn check(who: AccountId, model: ModelId, action: PoolAction<AccountId>) -> Option<polkadot_sdk::sp_runtime::DispatchError>;
	}
}
