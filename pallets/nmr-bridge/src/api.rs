//! The runtime API: what wallets, the relayer and the CLI read.

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use polkadot_sdk::sp_core::H160;
use scale_info::TypeInfo;

pub use crate::types::{BridgeStatus, ReleaseProof};

/// A withdrawal the current set still has to sign.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct UnsignedWithdrawal<Balance> {
	/// Its nonce.
	pub nonce: u64,
	/// The Ethereum recipient.
	pub recipient: H160,
	/// Planck.
	pub amount: Balance,
	/// The set that signs.
	pub set_id: u32,
	/// The release digest to sign.
	pub digest: [u8; 32],
	/// The addresses that signed already.
	pub signed: Vec<H160>,
}

/// The rotation the contract must be told of, with the outgoing set's signatures so far.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RotationProof {
	/// The incoming set's id.
	pub set_id: u32,
	/// The incoming set, ascending.
	pub signers: Vec<H160>,
	/// Its threshold.
	pub threshold: u16,
	/// The outgoing set, ascending.
	pub outgoing: Vec<H160>,
	/// The first withdrawal nonce the outgoing set's signatures no longer release.
	pub cutoff: u64,
	/// The digest the outgoing set signs.
	pub digest: [u8; 32],
	/// The signatures, concatenated in the contract's order.
	pub signatures: Vec<u8>,
	/// Whether the outgoing set's threshold signed.
	pub complete: bool,
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reading the NMR bridge.
	pub trait NmrBridgeApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The bridge's state: contract, nonces, relayers with dissent counts, limits.
		fn status() -> BridgeStatus<AccountId, Balance, BlockNumber>;
		/// The release proof of withdrawal `nonce` (complete or not).
		fn withdrawal_proof(nonce: u64) -> Option<ReleaseProof<Balance>>;
		/// Withdrawals the current set has not signed enough, after `after`, at most `limit`.
		fn unsigned_withdrawals(after: Option<u64>, limit: u32) -> Vec<UnsignedWithdrawal<Balance>>;
		/// The rotation into set `set_id` (the current set's id: the latest), with the outgoing
		/// set's signatures so far; submitted to the contract in order of set id.
		fn rotation(set_id: u32) -> Option<RotationProof>;
	}
}

impl<T: crate::Config> crate::Pallet<T> {
	/// [`NmrBridgeApi::unsigned_withdrawals`].
	pub fn unsigned_withdrawals(
		after: Option<u64>,
		limit: u32,
	) -> Vec<UnsignedWithdrawal<crate::BalanceOf<T>>> {
		Self::unsigned(after, limit.min(1_000))
			.into_iter()
			.filter_map(|(nonce, w)| {
				let digest = Self::release_digest(nonce, &w)?;
				Some(UnsignedWithdrawal {
					nonce,
					recipient: w.recipient,
					amount: w.amount,
					set_id: w.set_id,
					digest,
					signed: w.signatures.iter().map(|(a, _)| *a).collect(),
				})
			})
			.collect()
	}

	/// [`NmrBridgeApi::rotation`].
	pub fn rotation(set_id: u32) -> Option<RotationProof> {
		let r = crate::Rotations::<T>::get(set_id)?;
		let digest = Self::rotation_digest(&r)?;
		Some(RotationProof {
			set_id: r.set_id,
			signers: r.signers.to_vec(),
			threshold: r.threshold,
			outgoing: r.outgoing.to_vec(),
			cutoff: r.cutoff,
			digest,
			signatures: r.signatures.iter().flat_map(|(_, s)| s.iter().copied()).collect(),
			complete: r.is_complete(),
		})
	}
}
