//! The Ethereum side's messages, computed on chain exactly as the lock contract computes them:
//! EIP-712 digests (domain: name `numerstake NMR bridge`, version `1`, chain id, contract), and
//! the recovery of a relayer's Ethereum address from its signature.

use polkadot_sdk::{
	sp_core::{H160, U256},
	sp_io::{crypto::secp256k1_ecdsa_recover, hashing::keccak_256},
};

/// secp256k1 order / 2: a signature with a higher `s` is the malleated twin of another, and
/// the contract refuses it.
const HALF_ORDER: [u8; 32] = [
	0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
];

fn word_u64(v: u64) -> [u8; 32] {
	let mut w = [0u8; 32];
	w[24..].copy_from_slice(&v.to_be_bytes());
	w
}

fn word_address(a: &H160) -> [u8; 32] {
	let mut w = [0u8; 32];
	w[12..].copy_from_slice(a.as_bytes());
	w
}

fn hash_words(words: &[[u8; 32]]) -> [u8; 32] {
	let mut buf = alloc::vec::Vec::with_capacity(words.len() * 32);
	for w in words {
		buf.extend_from_slice(w);
	}
	keccak_256(&buf)
}

/// The EIP-712 domain separator of the contract `contract` on Ethereum chain `chain_id`.
pub fn domain_separator(chain_id: u64, contract: &H160) -> [u8; 32] {
	hash_words(&[
		keccak_256(
			b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
		),
		keccak_256(b"numerstake NMR bridge"),
		keccak_256(b"1"),
		word_u64(chain_id),
		word_address(contract),
	])
}

fn typed(chain_id: u64, contract: &H160, struct_hash: [u8; 32]) -> [u8; 32] {
	let mut m = [0u8; 66];
	m[..2].copy_from_slice(b"\x19\x01");
	m[2..34].copy_from_slice(&domain_separator(chain_id, contract));
	m[34..].copy_from_slice(&struct_hash);
	keccak_256(&m)
}

/// What relayers sign to release withdrawal `nonce`: the contract's `releaseDigest`.
pub fn release_digest(
	chain_id: u64,
	contract: &H160,
	nonce: u64,
	recipient: &H160,
	amount: u128,
	set_id: u32,
) -> [u8; 32] {
	let type_hash =
		keccak_256(b"Release(uint64 nonce,address recipient,uint256 amount,uint32 setId)");
	let amount = U256::from(amount).to_big_endian();
	typed(
		chain_id,
		contract,
		hash_words(&[
			type_hash,
			word_u64(nonce),
			word_address(recipient),
			amount,
			word_u64(set_id.into()),
		]),
	)
}

/// What set `set_id - 1` signs to install `signers` (ascending) with `threshold` as set
/// `set_id`, its own signatures counting from then on only for withdrawals below `cutoff`: the
/// contract's `rotateDigest`.
pub fn rotate_digest(
	chain_id: u64,
	contract: &H160,
	set_id: u32,
	signers: &[H160],
	threshold: u16,
	cutoff: u64,
) -> [u8; 32] {
	let type_hash =
		keccak_256(b"Rotate(uint32 setId,address[] signers,uint16 threshold,uint64 cutoff)");
	let words: alloc::vec::Vec<[u8; 32]> = signers.iter().map(word_address).collect();
	typed(
		chain_id,
		contract,
		hash_words(&[
			type_hash,
			word_u64(set_id.into()),
			hash_words(&words),
			word_u64(threshold.into()),
			word_u64(cutoff),
		]),
	)
}

/// The Ethereum address that signed `digest` with `signature` (`r ‖ s ‖ v`), if the signature
/// is one the contract accepts: `v` 27 or 28, `s` in the lower half of the order.
pub fn signer(digest: &[u8; 32], signature: &[u8; 65]) -> Option<H160> {
	if signature[64] != 27 && signature[64] != 28 {
		return None;
	}
	if signature[32..64] > HALF_ORDER[..] {
		return None;
	}
	let public = secp256k1_ecdsa_recover(signature, digest).ok()?;
	Some(H160::from_slice(&keccak_256(&public)[12..]))
}
