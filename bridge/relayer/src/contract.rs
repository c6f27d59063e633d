//! The lock contract and the test token: bindings generated from the committed ABI
//! (`bridge/contracts/build`), their bytecode, the EIP-712 messages relayers sign, and the
//! signatures in the form the contract takes.

use alloy_primitives::{hex, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolValue};
use polkadot_sdk::sp_core::{ecdsa, Pair};

sol!(
	#[derive(Debug, PartialEq, Eq)]
	NmrBridge,
	concat!(env!("CARGO_MANIFEST_DIR"), "/../contracts/build/NmrBridge.abi")
);

sol!(
	#[derive(Debug, PartialEq, Eq)]
	TestNmr,
	concat!(env!("CARGO_MANIFEST_DIR"), "/../contracts/build/TestNmr.abi")
);

const BRIDGE_BIN: &str = include_str!("../../contracts/build/NmrBridge.bin");
const TEST_NMR_BIN: &str = include_str!("../../contracts/build/TestNmr.bin");

/// The lock contract's creation code.
pub fn bridge_bytecode() -> Vec<u8> {
	hex::decode(BRIDGE_BIN.trim()).unwrap_or_default()
}

/// The test token's creation code.
pub fn test_nmr_bytecode() -> Vec<u8> {
	hex::decode(TEST_NMR_BIN.trim()).unwrap_or_default()
}

/// The EIP-712 domain of the lock contract at `contract` on chain `chain_id`.
pub fn domain_separator(chain_id: u64, contract: Address) -> B256 {
	keccak256(
		(
			keccak256(
				"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
			),
			keccak256("numerstake NMR bridge"),
			keccak256("1"),
			U256::from(chain_id),
			contract,
		)
			.abi_encode(),
	)
}

fn typed(chain_id: u64, contract: Address, struct_hash: B256) -> B256 {
	let mut m = Vec::with_capacity(66);
	m.extend_from_slice(b"\x19\x01");
	m.extend_from_slice(domain_separator(chain_id, contract).as_slice());
	m.extend_from_slice(struct_hash.as_slice());
	keccak256(m)
}

/// What relayers sign to release withdrawal `nonce` (the contract's `releaseDigest`).
pub fn release_digest(
	chain_id: u64,
	contract: Address,
	nonce: u64,
	recipient: Address,
	amount: U256,
	set_id: u32,
) -> B256 {
	let type_hash =
		keccak256("Release(uint64 nonce,address recipient,uint256 amount,uint32 setId)");
	typed(chain_id, contract, keccak256((type_hash, nonce, recipient, amount, set_id).abi_encode()))
}

/// What set `set_id - 1` signs to install `signers` with `threshold` as set `set_id`, its own
/// signatures counting from then on only for withdrawals below `cutoff`.
pub fn rotate_digest(
	chain_id: u64,
	contract: Address,
	set_id: u32,
	signers: &[Address],
	threshold: u16,
	cutoff: u64,
) -> B256 {
	let type_hash =
		keccak256("Rotate(uint32 setId,address[] signers,uint16 threshold,uint64 cutoff)");
	let mut packed = Vec::with_capacity(32 * signers.len());
	for s in signers {
		packed.extend_from_slice(B256::left_padding_from(s.as_slice()).as_slice());
	}
	typed(
		chain_id,
		contract,
		keccak256((type_hash, set_id, keccak256(packed), threshold, cutoff).abi_encode()),
	)
}

/// What the current set `set_id` signs to unpause the contract (its `unpauseDigest`), at admin
/// nonce `nonce`.
pub fn unpause_digest(chain_id: u64, contract: Address, set_id: u32, nonce: u64) -> B256 {
	let type_hash = keccak256("Unpause(uint32 setId,uint64 nonce)");
	typed(chain_id, contract, keccak256((type_hash, set_id, nonce).abi_encode()))
}

/// What the current set `set_id` signs to make `guardian` the contract's guardian (its
/// `guardianDigest`), at admin nonce `nonce`.
pub fn guardian_digest(
	chain_id: u64,
	contract: Address,
	set_id: u32,
	guardian: Address,
	nonce: u64,
) -> B256 {
	let type_hash = keccak256("SetGuardian(uint32 setId,address guardian,uint64 nonce)");
	typed(chain_id, contract, keccak256((type_hash, set_id, guardian, nonce).abi_encode()))
}

/// A relayer's secp256k1 key.
pub struct Signer(ecdsa::Pair);

impl Signer {
	/// From a secret URI (`//Alice`, a mnemonic, or `0x` and 32 bytes of seed).
	pub fn from_suri(suri: &str) -> Result<Self, String> {
		ecdsa::Pair::from_string(suri, None)
			.map(Signer)
			.map_err(|e| format!("not a valid relayer key: {e:?}"))
	}

	/// The compressed public key (what the chain stores).
	pub fn public(&self) -> ecdsa::Public {
		self.0.public()
	}

	/// The Ethereum address of the key.
	pub fn address(&self) -> Address {
		eth_address(&self.0.public())
	}

	/// A signature of `digest` as the contract takes it: `r ‖ s ‖ v`, `v` 27 or 28, low `s`.
	pub fn sign(&self, digest: B256) -> [u8; 65] {
		let mut sig = self.0.sign_prehashed(&digest.0).0;
		sig[64] += 27;
		sig
	}
}

/// The Ethereum address of a compressed secp256k1 public key (`Address::ZERO` if it is not
/// a point of the curve).
pub fn eth_address(public: &ecdsa::Public) -> Address {
	use k256::elliptic_curve::sec1::ToEncodedPoint;
	match k256::PublicKey::from_sec1_bytes(public.as_ref()) {
		Ok(key) => {
			let point = key.to_encoded_point(false);
			Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..])
		},
		Err(_) => Address::ZERO,
	}
}

/// Signatures in the contract's order: by signer address, strictly ascending, concatenated.
pub fn ordered(mut signatures: Vec<(Address, [u8; 65])>) -> Bytes {
	signatures.sort_by_key(|(a, _)| *a);
	signatures.dedup_by_key(|(a, _)| *a);
	Bytes::from(signatures.into_iter().flat_map(|(_, s)| s).collect::<Vec<u8>>())
}
