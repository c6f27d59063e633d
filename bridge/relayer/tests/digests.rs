//! The chain and the relayer compute the contract's messages the same way: the pallet's
//! EIP-712 digests (no_std, `sp_io` keccak) equal the relayer's (alloy), which the contract
//! test checks against the contract itself; and a relayer's signature recovers, in the pallet,
//! to the relayer's Ethereum address.

use alloy_primitives::{Address, U256};
use numerstake_relayer::contract::{self, Signer};
use pallet_nmr_bridge::eth;
use polkadot_sdk::sp_core::H160;
use proptest::prelude::*;

fn h160(a: Address) -> H160 {
	H160::from_slice(a.as_slice())
}

proptest! {
	#[test]
	fn release_and_rotation_digests_agree(
		chain_id in any::<u64>(),
		contract_bytes in any::<[u8; 20]>(),
		nonce in any::<u64>(),
		recipient_bytes in any::<[u8; 20]>(),
		amount in any::<u128>(),
		set_id in any::<u32>(),
		signers in proptest::collection::vec(any::<[u8; 20]>(), 1..8),
		threshold in any::<u16>(),
		cutoff in any::<u64>(),
	) {
		let (c, r) = (Address::from(contract_bytes), Address::from(recipient_bytes));
		let ours = contract::release_digest(chain_id, c, nonce, r, U256::from(amount), set_id);
		let chain = eth::release_digest(chain_id, &h160(c), nonce, &h160(r), amount, set_id);
		prop_assert_eq!(ours.0, chain);
		let signers: Vec<Address> = signers.into_iter().map(Address::from).collect();
		let ours = contract::rotate_digest(chain_id, c, set_id, &signers, threshold, cutoff);
		let h: Vec<H160> = signers.iter().map(|a| h160(*a)).collect();
		prop_assert_eq!(ours.0, eth::rotate_digest(chain_id, &h160(c), set_id, &h, threshold, cutoff));
	}

	#[test]
	fn a_relayers_signature_recovers_to_its_address_on_chain(seed in any::<[u8; 32]>(), digest in any::<[u8; 32]>()) {
		let signer = Signer::from_suri(&format!("0x{}", alloy_primitives::hex::encode(seed))).unwrap();
		let sig = signer.sign(digest.into());
		prop_assert!(sig[64] == 27 || sig[64] == 28);
		prop_assert_eq!(eth::signer(&digest, &sig), Some(h160(signer.address())));
	}
}
