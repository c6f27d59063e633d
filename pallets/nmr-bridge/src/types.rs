//! The bridge's stored and reported types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, BoundedVec},
	sp_core::{H160, H256},
};
use scale_info::TypeInfo;

/// A relayer signature as the contract takes it: `r ‖ s ‖ v`, `v` 27 or 28.
pub type EthSignature = [u8; 65];

/// The lock contract the bridge trusts.
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
pub struct EthereumContract {
	/// The Ethereum chain id (1 on mainnet).
	pub chain_id: u64,
	/// The contract's address.
	pub address: H160,
}

/// A deposit as a relayer saw it in a finalised Ethereum block: the lock contract's
/// `Deposited(nonce, from, recipient, amount)` event and where it was.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Deposit<AccountId, Balance> {
	/// The Ethereum chain id.
	pub chain_id: u64,
	/// The contract that emitted the event.
	pub contract: H160,
	/// The transaction that deposited.
	pub tx_hash: H256,
	/// The event's index in its block.
	pub log_index: u64,
	/// The contract's deposit nonce (1, 2, …).
	pub nonce: u64,
	/// Who gets the NMR here.
	pub recipient: AccountId,
	/// Planck (NMR's 18 decimals on both sides).
	pub amount: Balance,
}

/// A relayer: its account here and its Ethereum signing address.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Relayer<AccountId> {
	/// The account that votes and submits signatures.
	pub account: AccountId,
	/// The address its release signatures recover to.
	pub eth: H160,
}

/// A withdrawal: burned here, to be released by the contract.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxSigners))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
// The bounds the derives need stay on the parameters; codec's bound is its own attribute.
#[allow(clippy::multiple_bound_locations)]
pub struct Withdrawal<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxSigners: Get<u32>,
> {
	/// Whose NMR was burned.
	pub who: AccountId,
	/// The Ethereum address to pay.
	pub recipient: H160,
	/// Planck.
	pub amount: Balance,
	/// When it was requested.
	pub requested_at: BlockNumber,
	/// The relayer set whose signatures are collected.
	pub set_id: u32,
	/// Signatures so far, by signer address ascending (the contract's order).
	pub signatures: BoundedVec<(H160, EthSignature), MaxSigners>,
}

/// A rotation of the relayer set that the contract must be told of: the outgoing set signs
/// the incoming one.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxSigners))]
pub struct Rotation<MaxSigners: Get<u32>> {
	/// The incoming set's id.
	pub set_id: u32,
	/// The incoming set's addresses, ascending.
	pub signers: BoundedVec<H160, MaxSigners>,
	/// The incoming set's threshold.
	pub threshold: u16,
	/// The outgoing set's addresses, ascending, and its threshold.
	pub outgoing: BoundedVec<H160, MaxSigners>,
	/// The outgoing set's threshold.
	pub outgoing_threshold: u16,
	/// The first withdrawal nonce the outgoing set's signatures no longer release (the
	/// withdrawals it could sign were queued before the rotation).
	pub cutoff: u64,
	/// The outgoing set's signatures so far, ascending.
	pub signatures: BoundedVec<(H160, EthSignature), MaxSigners>,
}

impl<MaxSigners: Get<u32>> Rotation<MaxSigners> {
	/// Whether the outgoing set's threshold signed it.
	pub fn is_complete(&self) -> bool {
		self.signatures.len() >= usize::from(self.outgoing_threshold)
	}
}

/// Governance's limits.
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
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct Limits<Balance, BlockNumber> {
	/// The length of a limit period, in blocks.
	pub period: BlockNumber,
	/// Most minted per period (a deposit over it waits for the next period).
	pub max_mint: Balance,
	/// Most burned for withdrawals per period.
	pub max_burn: Balance,
	/// The least withdrawal.
	pub min_withdrawal: Balance,
	/// The most one withdrawal may be: at most the contract's release cap per window, or the
	/// contract could never release it.
	pub max_withdrawal: Balance,
}

/// What the current period has used.
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
	Default,
)]
pub struct Usage<Balance, BlockNumber> {
	/// The block the period began.
	pub since: BlockNumber,
	/// Minted in it.
	pub minted: Balance,
	/// Burned in it.
	pub burned: Balance,
}

/// A complete or partial release proof, as anyone may submit it to the contract's `release`.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ReleaseProof<Balance> {
	/// The withdrawal nonce.
	pub nonce: u64,
	/// The Ethereum recipient.
	pub recipient: H160,
	/// Planck.
	pub amount: Balance,
	/// The set whose signatures these are.
	pub set_id: u32,
	/// The signatures, concatenated in the contract's order (65 bytes each).
	pub signatures: alloc::vec::Vec<u8>,
	/// Whether there are enough signatures for the set's threshold.
	pub complete: bool,
}

/// The bridge's state for clients and relayers.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct BridgeStatus<AccountId, Balance, BlockNumber> {
	/// The contract trusted.
	pub contract: Option<EthereumContract>,
	/// The next deposit nonce to mint.
	pub next_deposit: u64,
	/// The nonce the next withdrawal gets.
	pub next_withdrawal: u64,
	/// The relayer set's id (the contract's `currentSet` once rotated).
	pub set_id: u32,
	/// The relayers, by Ethereum address ascending, with their dissent counts.
	pub relayers: alloc::vec::Vec<(AccountId, H160, u32)>,
	/// Identical votes that mint; signatures that release.
	pub threshold: u32,
	/// Whether the guardian paused the bridge.
	pub paused: bool,
	/// Governance's limits and this period's use.
	pub limits: Limits<Balance, BlockNumber>,
	/// Use in the current period.
	pub usage: Usage<Balance, BlockNumber>,
	/// A deposit with a quorum waiting for the mint limit of the next period.
	pub deferred: Option<u64>,
	/// All NMR minted and burned by the bridge, ever.
	pub total_minted: Balance,
	/// All NMR burned for withdrawals, ever.
	pub total_burned: Balance,
}

/// What a relayer's deposit vote would do.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VoteCheck {
	/// It counts toward a quorum on this hash.
	Counts(H256),
	/// It is ignored: the deposit was minted, or the relayer voted the same before.
	Stale,
}
