//! Benchmarks of every call, each in its worst case: the vote that completes a quorum while the
//! rest of a full set dissents, a signature batch whose every signature completes a proof, a
//! rotation that clears a full set's votes.

use super::*;
use crate::Pallet as Bridge;
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{fungible::Mutate, EnsureOrigin, Get},
		BoundedVec,
	},
	frame_system::RawOrigin,
	sp_core::{crypto::KeyTypeId, H160, H256},
	sp_io::{
		crypto::{ecdsa_generate, ecdsa_sign_prehashed, secp256k1_ecdsa_recover},
		hashing::keccak_256,
	},
};

/// An Ethereum address from a number (no_std has no `from_low_u64_be`).
fn address(n: u64) -> H160 {
	let mut b = [0u8; 20];
	b[12..].copy_from_slice(&n.to_be_bytes());
	H160(b)
}

const KEY: KeyTypeId = KeyTypeId(*b"nmrb");
const NMR: u128 = 1_000_000_000_000_000_000;

/// A new key in the keystore and its Ethereum address (recovered from a signature, which gives
/// the uncompressed key).
fn eth_key() -> (polkadot_sdk::sp_core::ecdsa::Public, H160) {
	let public = ecdsa_generate(KEY, None);
	let probe = [7u8; 32];
	let sig = ecdsa_sign_prehashed(KEY, &public, &probe).map(|s| s.0).unwrap_or([0; 65]);
	let full = secp256k1_ecdsa_recover(&sig, &probe).unwrap_or([0; 64]);
	(public, H160::from_slice(&keccak_256(&full)[12..]))
}

fn sign(public: &polkadot_sdk::sp_core::ecdsa::Public, digest: &[u8; 32]) -> EthSignature {
	let mut s = ecdsa_sign_prehashed(KEY, public, digest).map(|s| s.0).unwrap_or([0; 65]);
	s[64] += 27;
	s
}

/// A contract, generous limits, and a set of `n` relayers (threshold a bare majority) whose
/// first member's Ethereum key is in the keystore; returns the set's accounts and that key.
fn setup<T: Config>(n: u32) -> (Vec<T::AccountId>, polkadot_sdk::sp_core::ecdsa::Public) {
	Contract::<T>::put(EthereumContract { chain_id: 1, address: H160::repeat_byte(0xb5) });
	LimitsSet::<T>::put(Limits {
		period: 1_000u32.into(),
		max_mint: u128::MAX / 4,
		max_burn: u128::MAX / 4,
		min_withdrawal: 1,
		max_withdrawal: u128::MAX / 4,
	});
	NextDeposit::<T>::put(1);
	NextWithdrawal::<T>::put(1);
	let (public, first) = eth_key();
	let accounts: Vec<T::AccountId> = (0..n).map(|i| account("relayer", i, 0)).collect();
	for a in &accounts {
		Bridge::<T>::hold_account(a);
	}
	let set: Vec<Relayer<T::AccountId>> = accounts
		.iter()
		.enumerate()
		.map(|(i, a)| Relayer {
			account: a.clone(),
			eth: if i == 0 { first } else { address(i as u64 + 1) },
		})
		.collect();
	let mut sorted = set;
	sorted.sort_by_key(|r| r.eth);
	Relayers::<T>::put(BoundedVec::truncate_from(sorted));
	let threshold = n / 2 + 1;
	Threshold::<T>::put(threshold);
	SetThresholds::<T>::insert(SetId::<T>::get(), threshold);
	(accounts, public)
}

fn deposit<T: Config>(nonce: u64, amount: u128) -> DepositOf<T> {
	Deposit {
		chain_id: 1,
		contract: H160::repeat_byte(0xb5),
		tx_hash: H256::repeat_byte(nonce as u8),
		log_index: 0,
		nonce,
		recipient: account("recipient", 0, 0),
		amount,
	}
}

/// `who` withdraws (funded first); returns the nonce.
fn withdrawal<T: Config>(who: &T::AccountId) -> u64 {
	T::Currency::set_balance(who, 1_000 * NMR);
	let nonce = NextWithdrawal::<T>::get();
	let _ = Bridge::<T>::do_withdraw(who.clone(), NMR, H160::repeat_byte(0xe1));
	nonce
}

#[benchmarks]
mod benches {
	use super::*;

	#[benchmark]
	fn vote_deposit(r: Linear<3, { T::MaxRelayers::get() }>) {
		let (accounts, _) = setup::<T>(r);
		let threshold = (r / 2 + 1) as usize;
		let real = deposit::<T>(1, 10 * NMR);
		let mut forged = real.clone();
		forged.amount = 11 * NMR;
		// The minority votes a forged version (all dissent), the quorum but one the real one.
		for who in &accounts[threshold..] {
			let _ = Bridge::<T>::do_vote(who.clone(), forged.clone());
		}
		for who in &accounts[1..threshold] {
			let _ = Bridge::<T>::do_vote(who.clone(), real.clone());
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(accounts[0].clone()), real);

		assert_eq!(NextDeposit::<T>::get(), 2);
		assert_eq!(TotalMinted::<T>::get(), 10 * NMR);
	}

	#[benchmark]
	fn withdraw() {
		setup::<T>(3);
		let who: T::AccountId = account("user", 0, 0);
		T::Currency::set_balance(&who, 1_000 * NMR);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), 10 * NMR, H160::repeat_byte(0xe1));

		assert_eq!(NextWithdrawal::<T>::get(), 2);
	}

	#[benchmark]
	fn submit_signatures(n: Linear<1, { T::MaxSignaturesPerCall::get() }>) {
		// A full set; each withdrawal has an incomplete proof of the previous set (the reset
		// path) and, after it, this signature is one of the new set's.
		let (accounts, public) = setup::<T>(T::MaxRelayers::get());
		SetThresholds::<T>::insert(0, Threshold::<T>::get());
		let user: T::AccountId = account("user", 0, 0);
		let mut nonces = Vec::new();
		for _ in 0..n {
			let nonce = withdrawal::<T>(&user);
			Withdrawals::<T>::mutate(nonce, |w| {
				if let Some(w) = w {
					for i in 0..Threshold::<T>::get().saturating_sub(1) {
						let _ = w.signatures.try_push((address(100 + u64::from(i)), [1; 65]));
					}
				}
			});
			nonces.push(nonce);
		}
		SetId::<T>::put(1);
		SetThresholds::<T>::insert(1, Threshold::<T>::get());
		let mut sigs = Vec::new();
		for nonce in nonces {
			let mut w = Withdrawals::<T>::get(nonce).expect("queued");
			w.set_id = 1;
			let digest = Bridge::<T>::release_digest(nonce, &w).expect("contract set");
			sigs.push((nonce, sign(&public, &digest)));
		}
		let relayer = accounts[0].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), BoundedVec::truncate_from(sigs));

		assert!(Withdrawals::<T>::iter_values().all(|w| w.set_id == 1 && w.signatures.len() == 1));
	}

	#[benchmark]
	fn sign_rotation() {
		let (_, public) = setup::<T>(T::MaxRelayers::get());
		let outgoing: Vec<H160> = Relayers::<T>::get().iter().map(|r| r.eth).collect();
		let threshold = Threshold::<T>::get() as u16;
		// All but one of the outgoing threshold signed (with addresses that sort after the
		// key's, so the insertion shifts them all).
		let mut signatures = BoundedVec::new();
		for i in 0..threshold.saturating_sub(1) {
			let _ = signatures.try_push((H160::repeat_byte(0xf0 + i as u8), [1; 65]));
		}
		Rotations::<T>::insert(
			1,
			Rotation {
				set_id: 1,
				signers: BoundedVec::truncate_from(outgoing.clone()),
				threshold,
				outgoing: BoundedVec::truncate_from(outgoing),
				outgoing_threshold: threshold,
				cutoff: 1,
				signatures,
			},
		);
		let digest =
			Bridge::<T>::rotation_digest(&Rotations::<T>::get(1).expect("set")).expect("c");
		let caller: T::AccountId = account("anyone", 0, 0);
		// The completing signature releases every relayer that left (at most a whole set).
		let leaving: Vec<T::AccountId> =
			(0..T::MaxRelayers::get()).map(|i| account("leaving", i, 0)).collect();
		for a in &leaving {
			Bridge::<T>::hold_account(a);
		}
		Leaving::<T>::put(BoundedVec::truncate_from(leaving));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 1, sign(&public, &digest));

		assert!(Leaving::<T>::get().is_empty());

		assert!(Bridge::<T>::rotation(1).is_some_and(|r| r.complete));
	}

	#[benchmark]
	fn set_relayers(r: Linear<3, { T::MaxRelayers::get() }>) -> Result<(), BenchmarkError> {
		let max = T::MaxRelayers::get();
		let (accounts, _) = setup::<T>(max);
		// Every outgoing relayer has a pending vote and a dissent count.
		for (i, who) in accounts.iter().enumerate() {
			let _ = Bridge::<T>::do_vote(who.clone(), deposit::<T>(1, (i as u128 + 1) * NMR));
			Dissents::<T>::insert(who, 1);
		}
		MinThreshold::<T>::put(1);
		let new: Vec<(T::AccountId, H160)> =
			(0..r).map(|i| (account("new", i, 0), address(1_000 + i as u64))).collect();
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BoundedVec::truncate_from(new), r / 2 + 1);

		assert_eq!(DepositVotes::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn set_limits() -> Result<(), BenchmarkError> {
		setup::<T>(3);
		let limits = LimitsSet::<T>::get();
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, limits);

		Ok(())
	}

	#[benchmark]
	fn set_contract() -> Result<(), BenchmarkError> {
		Contract::<T>::kill();
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			EthereumContract { chain_id: 1, address: H160::repeat_byte(1) },
		);

		assert!(Contract::<T>::get().is_some());
		Ok(())
	}

	#[benchmark]
	fn set_guardian() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let guardian: T::AccountId = account("guardian", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Some(guardian));

		Ok(())
	}

	#[benchmark]
	fn pause() {
		// The guardian's path: governance is tried first.
		let guardian: T::AccountId = account("guardian", 0, 0);
		Guardian::<T>::put(&guardian);

		#[extrinsic_call]
		_(RawOrigin::Signed(guardian));

		assert!(Paused::<T>::get());
	}

	#[benchmark]
	fn unpause() -> Result<(), BenchmarkError> {
		Paused::<T>::put(true);
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin);

		assert!(!Paused::<T>::get());
		Ok(())
	}

	#[benchmark]
	fn mint_deferred() {
		setup::<T>(3);
		Deferred::<T>::put(deposit::<T>(1, 10 * NMR));
		NextDeposit::<T>::put(2);
		let caller: T::AccountId = account("anyone", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller));

		assert_eq!(TotalMinted::<T>::get(), 10 * NMR);
	}

	#[benchmark]
	fn rescue_stranded() -> Result<(), BenchmarkError> {
		setup::<T>(3);
		Stranded::<T>::insert(1, deposit::<T>(1, 10 * NMR));
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let to: T::AccountId = account("rescued", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1, to);

		assert!(Stranded::<T>::get(1).is_none());
		Ok(())
	}

	#[benchmark]
	fn request_resign() {
		setup::<T>(T::MaxRelayers::get());
		let user: T::AccountId = account("user", 0, 0);
		let nonce = withdrawal::<T>(&user);
		Withdrawals::<T>::mutate(nonce, |w| {
			if let Some(w) = w {
				for i in 0..T::MaxRelayers::get() {
					let _ = w.signatures.try_push((address(100 + u64::from(i)), [1; 65]));
				}
			}
		});
		SetId::<T>::put(1);

		#[extrinsic_call]
		_(RawOrigin::Signed(user), nonce);

		assert_eq!(Withdrawals::<T>::get(nonce).map(|w| w.set_id), Some(1));
	}

	impl_benchmark_test_suite!(Bridge, crate::mock::new_test_ext(), crate::mock::Test);
}
