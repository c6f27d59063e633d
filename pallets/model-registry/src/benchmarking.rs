//! Benchmarks of every call, each in its worst case.

use super::*;
use crate::Pallet as Registry;
use alloc::{vec, vec::Vec};
use numerstake_primitives::terms::{ladder, CommitmentOption, TermsDocument};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{fungible::Mutate, EnsureOrigin, Get},
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	sp_core::H256,
	sp_runtime::{traits::Bounded, Permill, Saturating},
};

const SEED: u32 = 0;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = BalanceOf::<T>::max_value() / 4u32.into();
	T::Currency::set_balance(&who, amount);
	who
}

fn model_text(i: u8) -> ModelIdText {
	let mut t = *b"11111111-2222-4333-8444-555555555500";
	let hex = b"0123456789abcdef";
	t[34] = hex[(i >> 4) as usize];
	t[35] = hex[(i & 0x0f) as usize];
	BoundedVec::truncate_from(t.to_vec())
}

fn model_id<T: Config>(i: u8) -> ModelId {
	Registry::<T>::parse_model_id(&model_text(i)).unwrap_or(ModelId([1; 16]))
}

fn max_name() -> ModelName {
	BoundedVec::truncate_from(vec![b'a'; MAX_NAME_LEN as usize])
}

fn claim<T: Config>(owner: &T::AccountId, i: u8) -> ModelId {
	let _ = Registry::<T>::register_model(
		RawOrigin::Signed(owner.clone()).into(),
		model_text(i),
		max_name(),
	);
	model_id::<T>(i)
}

fn verified<T: Config>(owner: &T::AccountId) -> ModelId {
	let m = claim::<T>(owner, 0);
	let _ = <Registry<T> as OwnershipAttestation<T::AccountId>>::attest_ownership(&m, owner);
	m
}

fn b<T: Config>(x: u32) -> BalanceOf<T> {
	BalanceOf::<T>::from(x).saturating_mul(1_000_000u32.into())
}

/// Full ladders, all commitment options, a maximal document URI.
fn worst_terms<T: Config>() -> Terms<BalanceOf<T>> {
	let caps = T::FeeCaps::get();
	Terms {
		capacity: b::<T>(1_000_000),
		min_delegation: b::<T>(1),
		max_delegation: b::<T>(100_000),
		fixed_fee: ladder(
			&(1..=8u32).map(|i| (b::<T>(i * 1_000), 0u32.into())).collect::<Vec<_>>(),
		),
		performance_fee: ladder(
			&(1..=8u32).map(|i| (b::<T>(i * 1_000), caps.max_performance_fee)).collect::<Vec<_>>(),
		),
		commitments: BoundedVec::truncate_from(
			(0..4u32)
				.map(|i| CommitmentOption {
					term_rounds: i * caps.max_commitment_term / 4,
					discount: Permill::from_percent(i),
				})
				.collect(),
		),
		document: Some(TermsDocument {
			hash: H256::repeat_byte(1),
			uri: BoundedVec::truncate_from(vec![b'u'; 256]),
		}),
	}
}

/// An active model with `versions` terms versions, the first effective at round 1 and one
/// every `notice` rounds after; returns the model and the last effective round.
fn with_terms_versions<T: Config>(owner: &T::AccountId, versions: u32) -> (ModelId, RoundIndex) {
	T::BenchmarkHelper::set_round(0);
	let m = verified::<T>(owner);
	let notice = T::FeeCaps::get().min_fee_change_notice;
	let mut round = 0;
	for v in 0..versions {
		T::BenchmarkHelper::set_round(round);
		round = if v == 0 { 1 } else { round.saturating_add(notice) };
		let _ = Registry::<T>::set_terms(
			RawOrigin::Signed(owner.clone()).into(),
			m,
			worst_terms::<T>(),
			Some(round),
		);
	}
	(m, round)
}

fn with_bond<T: Config>(owner: &T::AccountId, m: ModelId) {
	let _ = Registry::<T>::post_consistency_bond(
		RawOrigin::Signed(owner.clone()).into(),
		m,
		b::<T>(1_000),
		T::MaxGriefRatioPercent::get(),
	);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Worst case: a lapsed claim by someone else is cleared first, and the model is reserved
	/// for the caller's challenge (the reservation is checked and used up).
	#[benchmark]
	fn register_model() {
		let squatter = funded::<T>("squatter", 0);
		claim::<T>(&squatter, 0);
		let caller = funded::<T>("owner", 0);
		let digest = Registry::<T>::challenge_digest(&model_id::<T>(0), &caller);
		let _ = <Registry<T> as OwnershipAttestation<T::AccountId>>::reserve_for_challenge(
			&model_id::<T>(0),
			digest,
		);
		frame_system::Pallet::<T>::set_block_number(T::ClaimTtl::get().saturating_add(2u32.into()));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), model_text(0), max_name());

		assert_eq!(Models::<T>::get(model_id::<T>(0)).map(|m| m.owner), Some(caller));
		assert!(!Reservations::<T>::contains_key(model_id::<T>(0)));
	}

	/// Worst case: full history, the oldest version is pruned, ladders and options are full.
	#[benchmark]
	fn set_terms() {
		let owner = funded::<T>("owner", 0);
		let (m, last) = with_terms_versions::<T>(&owner, T::MaxTermsVersions::get());
		T::BenchmarkHelper::set_round(last);
		let effective = last.saturating_add(T::FeeCaps::get().min_fee_change_notice);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), m, worst_terms::<T>(), Some(effective));

		assert_eq!(
			Registry::<T>::latest_terms_version(&m).map(|(_, t)| t.effective_round),
			Some(effective)
		);
	}

	/// Worst case: the history is full and the oldest commitment is dropped; longest note.
	#[benchmark]
	fn commit_version() {
		let owner = funded::<T>("owner", 0);
		T::BenchmarkHelper::set_round(0);
		let m = verified::<T>(&owner);
		let notice = T::VersionNotice::get().max(1);
		let note = BoundedVec::truncate_from(vec![b'n'; T::MaxNoteLen::get() as usize]);
		let mut round = 0;
		for i in 0..T::MaxVersionHistory::get() {
			T::BenchmarkHelper::set_round(round);
			round = round.saturating_add(notice);
			let _ = Registry::<T>::commit_version(
				RawOrigin::Signed(owner.clone()).into(),
				m,
				H256::repeat_byte(i as u8),
				Some(round),
				note.clone(),
			);
		}
		T::BenchmarkHelper::set_round(round);
		let effective = round.saturating_add(notice);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), m, H256::repeat_byte(0xff), Some(effective), note);

		assert_eq!(
			Versions::<T>::get(m).versions.last().map(|v| v.effective_round),
			Some(effective)
		);
	}

	/// Worst case: topping up an existing bond.
	#[benchmark]
	fn post_consistency_bond() {
		let owner = funded::<T>("owner", 0);
		let m = verified::<T>(&owner);
		with_bond::<T>(&owner, m);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), m, b::<T>(1_000), T::MaxGriefRatioPercent::get());

		assert_eq!(ConsistencyBonds::<T>::get(m).map(|b| b.amount), Some(b::<T>(2_000)));
	}

	#[benchmark]
	fn request_bond_withdrawal() {
		let owner = funded::<T>("owner", 0);
		let m = verified::<T>(&owner);
		with_bond::<T>(&owner, m);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), m, b::<T>(500));

		assert!(ConsistencyBonds::<T>::get(m).is_some_and(|b| b.withdrawal.is_some()));
	}

	/// Worst case: the whole bond is released and its record removed.
	#[benchmark]
	fn withdraw_consistency_bond() {
		let owner = funded::<T>("owner", 0);
		let m = verified::<T>(&owner);
		with_bond::<T>(&owner, m);
		let _ = Registry::<T>::request_bond_withdrawal(
			RawOrigin::Signed(owner.clone()).into(),
			m,
			b::<T>(1_000),
		);
		let later = frame_system::Pallet::<T>::block_number()
			.saturating_add(T::ConsistencyBondNotice::get());
		frame_system::Pallet::<T>::set_block_number(later);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), m);

		assert!(ConsistencyBonds::<T>::get(m).is_none());
	}

	/// Worst case: a pending withdrawal is adjusted and the record updated.
	#[benchmark]
	fn grief() {
		let owner = funded::<T>("owner", 0);
		let m = verified::<T>(&owner);
		with_bond::<T>(&owner, m);
		let _ = Registry::<T>::request_bond_withdrawal(
			RawOrigin::Signed(owner.clone()).into(),
			m,
			b::<T>(1_000),
		);
		let griefer = funded::<T>("griefer", 0);
		T::BenchmarkHelper::make_delegator(&m, &griefer);

		#[extrinsic_call]
		_(RawOrigin::Signed(griefer), m, b::<T>(1));

		assert_eq!(Records::<T>::get(m).griefs, 1);
	}

	#[benchmark]
	fn retire_model() {
		let owner = funded::<T>("owner", 0);
		let m = verified::<T>(&owner);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), m);

		assert_eq!(Models::<T>::get(m).map(|m| m.status), Some(ModelStatus::Retiring));
	}

	/// Linear in the stored terms versions; with a bond and a full version history.
	#[benchmark]
	fn deregister_model(v: Linear<0, { T::MaxTermsVersions::get() }>) {
		let owner = funded::<T>("owner", 0);
		let (m, _) = with_terms_versions::<T>(&owner, v);
		with_bond::<T>(&owner, m);
		let _ = Registry::<T>::retire_model(RawOrigin::Signed(owner.clone()).into(), m);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), m);

		assert!(Models::<T>::get(m).is_none());
	}

	#[benchmark]
	fn expire_claim() {
		let squatter = funded::<T>("squatter", 0);
		let m = claim::<T>(&squatter, 0);
		frame_system::Pallet::<T>::set_block_number(T::ClaimTtl::get().saturating_add(2u32.into()));
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), m);

		assert!(Models::<T>::get(m).is_none());
	}

	#[benchmark]
	fn suspend_model() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let m = verified::<T>(&owner);
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, m);

		assert_eq!(Models::<T>::get(m).map(|m| m.status), Some(ModelStatus::Suspended));
		Ok(())
	}

	#[benchmark]
	fn resume_model() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let (m, _) = with_terms_versions::<T>(&owner, 1);
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let _ = Registry::<T>::suspend_model(origin.clone(), m);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, m);

		assert_eq!(Models::<T>::get(m).map(|m| m.status), Some(ModelStatus::Active));
		Ok(())
	}

	impl_benchmark_test_suite!(Registry, crate::mock::new_test_ext(), crate::mock::Test);
}
