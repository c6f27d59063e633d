//! The registry's internals: input checks, state transitions, trait implementations for the
//! other pallets, and the invariants checked by `try_state`.

use super::*;
use alloc::vec::Vec;
use numerstake_primitives::terms::TermsError;
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision},
		},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::H256,
	sp_io::hashing::blake2_256,
	sp_runtime::{
		helpers_128bit::multiply_by_rational_with_rounding,
		traits::{Saturating, UniqueSaturatedInto, Zero},
		Rounding,
	},
};

/// The prefix of every ownership challenge.
pub const CHALLENGE_PREFIX: &[u8] = numerstake_primitives::CHALLENGE_PREFIX.as_bytes();

/// Splits a grief of `amount` against a bond of `bond` at `ratio_percent`: what the delegator
/// burns and what the bond loses. When the bond cannot cover `amount * ratio`, the delegator
/// burns only `ceil(bond / ratio)` and the bond loses everything. `None` on overflow.
pub fn grief_burns<B>(amount: B, bond: B, ratio_percent: u32) -> Option<(B, B)>
where
	B: UniqueSaturatedInto<u128> + TryFrom<u128> + Copy,
{
	let amount: u128 = amount.unique_saturated_into();
	let bond: u128 = bond.unique_saturated_into();
	let ratio = u128::from(ratio_percent);
	if ratio == 0 {
		return None;
	}
	let wanted = multiply_by_rational_with_rounding(amount, ratio, 100, Rounding::Down)?;
	let (own, from_bond) = if wanted <= bond {
		(amount, wanted)
	} else {
		(multiply_by_rational_with_rounding(bond, 100, ratio, Rounding::Up)?.min(amount), bond)
	};
	Some((B::try_from(own).ok()?, B::try_from(from_bond).ok()?))
}

impl<T: Config> Pallet<T> {
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Parses a model id's text with a precise error.
	pub fn parse_model_id(text: &[u8]) -> Result<ModelId, Error<T>> {
		ModelId::parse(text).map_err(|e| match e {
			ModelIdError::WrongLength => Error::<T>::ModelIdWrongLength,
			ModelIdError::MisplacedHyphen => Error::<T>::ModelIdMisplacedHyphen,
			ModelIdError::NotHex => Error::<T>::ModelIdNotHex,
			ModelIdError::Nil => Error::<T>::ModelIdNil,
		})
	}

	/// Numerai names: lower-case letters, digits and underscores.
	pub(crate) fn check_name(name: &[u8]) -> Result<(), Error<T>> {
		ensure!(!name.is_empty(), Error::<T>::NameEmpty);
		ensure!(
			name.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_'),
			Error::<T>::NameInvalidCharacter
		);
		Ok(())
	}

	fn terms_error(e: TermsError) -> Error<T> {
		match e {
			TermsError::ZeroCapacity => Error::<T>::ZeroCapacity,
			TermsError::ZeroMinimum => Error::<T>::ZeroMinimum,
			TermsError::MinAboveMax => Error::<T>::MinAboveMax,
			TermsError::MaxAboveCapacity => Error::<T>::MaxAboveCapacity,
			TermsError::FixedLadderNotAscending => Error::<T>::FixedLadderNotAscending,
			TermsError::PerformanceLadderNotAscending => Error::<T>::PerformanceLadderNotAscending,
			TermsError::FixedFeeAboveCap => Error::<T>::FixedFeeAboveCap,
			TermsError::PerformanceFeeAboveCap => Error::<T>::PerformanceFeeAboveCap,
			TermsError::PerformanceFeeIncreaseTooLarge => {
				Error::<T>::PerformanceFeeIncreaseTooLarge
			},
			TermsError::NoCommitmentOptions => Error::<T>::NoCommitmentOptions,
			TermsError::CommitmentTermsNotAscending => Error::<T>::CommitmentTermsNotAscending,
			TermsError::CommitmentTermTooLong => Error::<T>::CommitmentTermTooLong,
			TermsError::InvalidDocumentUri => Error::<T>::InvalidDocumentUri,
		}
	}

	/// The model, if `who` owns it.
	pub(crate) fn owned_model(
		who: &T::AccountId,
		model: &ModelId,
	) -> Result<ModelInfoOf<T>, DispatchError> {
		let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(&info.owner == who, Error::<T>::NotOwner);
		Ok(info)
	}

	pub(crate) fn do_register(
		who: T::AccountId,
		model: ModelId,
		name: ModelName,
	) -> DispatchResult {
		ensure!(!T::Delegations::has_debt(&who), Error::<T>::OwnerInDebt);
		let now = Self::now();
		if let Some(existing) = Models::<T>::get(model) {
			ensure!(existing.status == ModelStatus::Pending, Error::<T>::AlreadyRegistered);
			ensure!(now > existing.claim_expires_at, Error::<T>::ClaimPending);
			Self::lapse_claim(&model, existing)?;
		}
		if let Some(reservation) = Reservations::<T>::get(model) {
			ensure!(
				now > reservation.until
					|| reservation.digest == Self::challenge_digest(&model, &who),
				Error::<T>::ModelReserved
			);
			Reservations::<T>::remove(model);
		}
		let deposit = T::ModelDeposit::get();
		T::Currency::hold(&HoldReason::ModelDeposit.into(), &who, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let claim_expires_at = now.saturating_add(T::ClaimTtl::get());
		Models::<T>::insert(
			model,
			ModelInfo {
				owner: who.clone(),
				name: name.clone(),
				status: ModelStatus::Pending,
				deposit,
				claimed_at: now,
				claim_expires_at,
				next_terms_version: 0,
				first_terms_version: 0,
			},
		);
		OwnerModels::<T>::insert(&who, model, ());
		PendingClaims::<T>::insert(model, claim_expires_at);
		Self::deposit_event(Event::ModelClaimed {
			model,
			owner: who,
			name,
			deposit,
			claim_expires_at,
		});
		Ok(())
	}

	/// A pending claim as the oracle sees it.
	fn claim_view(model: &ModelId) -> Option<PendingClaim<T::AccountId>> {
		use polkadot_sdk::sp_runtime::SaturatedConversion;
		let m = Models::<T>::get(model).filter(|m| m.status == ModelStatus::Pending)?;
		Some(PendingClaim {
			model: *model,
			claimant: m.owner,
			name: m.name.into_inner(),
			expires_at: m.claim_expires_at.saturated_into::<u64>(),
		})
	}

	/// Removes a lapsed claim and returns its deposit.
	pub(crate) fn lapse_claim(model: &ModelId, info: ModelInfoOf<T>) -> DispatchResult {
		T::Currency::release(
			&HoldReason::ModelDeposit.into(),
			&info.owner,
			info.deposit,
			Precision::Exact,
		)?;
		Models::<T>::remove(model);
		OwnerModels::<T>::remove(&info.owner, model);
		PendingClaims::<T>::remove(model);
		Self::deposit_event(Event::ClaimExpired { model: *model, claimant: info.owner });
		Ok(())
	}

	/// Deletes a model and what its registration stored (not its consistency record); returns
	/// how many terms versions went.
	pub(crate) fn remove_model(
		model: &ModelId,
		info: ModelInfoOf<T>,
	) -> Result<u32, DispatchError> {
		let mut released = T::Currency::release(
			&HoldReason::ModelDeposit.into(),
			&info.owner,
			info.deposit,
			Precision::Exact,
		)?;
		if let Some(bond) = ConsistencyBonds::<T>::take(model) {
			let freed = T::Currency::release(
				&HoldReason::ConsistencyBond.into(),
				&info.owner,
				bond.amount,
				Precision::Exact,
			)?;
			released = released.saturating_add(freed);
		}
		let versions = info.next_terms_version.saturating_sub(info.first_terms_version);
		let _ = TermsVersions::<T>::clear_prefix(model, versions, None);
		Versions::<T>::remove(model);
		// The consistency record stays: it belongs to the Numerai model, and a later
		// registration of the same model (by anyone) inherits it.
		PendingClaims::<T>::remove(model);
		OwnerModels::<T>::remove(&info.owner, model);
		Models::<T>::remove(model);
		Self::deposit_event(Event::ModelDeregistered {
			model: *model,
			owner: info.owner,
			released,
		});
		Ok(versions)
	}

	pub(crate) fn set_status(model: &ModelId, to: ModelStatus) -> DispatchResult {
		Models::<T>::try_mutate(model, |info| -> DispatchResult {
			let info = info.as_mut().ok_or(Error::<T>::UnknownModel)?;
			let from = info.status;
			if from != to {
				info.status = to;
				Self::deposit_event(Event::StatusChanged { model: *model, from, to });
			}
			Ok(())
		})
	}

	/// The terms version in force at `round`, with its index.
	pub fn terms_version_at(
		model: &ModelId,
		round: RoundIndex,
	) -> Option<(u32, TermsVersion<BalanceOf<T>>)> {
		let info = Models::<T>::get(model)?;
		(info.first_terms_version..info.next_terms_version)
			.rev()
			.filter_map(|v| TermsVersions::<T>::get(model, v).map(|t| (v, t)))
			.find(|(_, t)| t.effective_round <= round)
	}

	/// The newest published terms version (possibly not yet in force), with its index.
	pub fn latest_terms_version(model: &ModelId) -> Option<(u32, TermsVersion<BalanceOf<T>>)> {
		let info = Models::<T>::get(model)?;
		let last = info.next_terms_version.checked_sub(1)?;
		TermsVersions::<T>::get(model, last).map(|t| (last, t))
	}

	pub(crate) fn do_set_terms(
		who: T::AccountId,
		model: ModelId,
		terms: Terms<BalanceOf<T>>,
		effective_round: Option<RoundIndex>,
	) -> DispatchResult {
		let mut info = Self::owned_model(&who, &model)?;
		match info.status {
			ModelStatus::Pending => return Err(Error::<T>::NotVerified.into()),
			ModelStatus::Suspended => return Err(Error::<T>::ModelSuspended.into()),
			ModelStatus::Retiring => return Err(Error::<T>::ModelRetiring.into()),
			ModelStatus::Verified | ModelStatus::Active | ModelStatus::UnderBonded => {},
		}
		let caps = T::FeeCaps::get();
		let current = T::RoundClock::current_round();
		let previous = Self::latest_terms_version(&model);
		// The first terms bind nobody yet: they may start next round. Changes need notice.
		let earliest = match previous {
			None => current.saturating_add(1),
			Some(_) => current.saturating_add(caps.min_fee_change_notice),
		};
		let effective_round = effective_round.unwrap_or(earliest);
		ensure!(effective_round >= earliest, Error::<T>::EffectiveRoundTooSoon);
		if let Some((_, prev)) = &previous {
			ensure!(
				effective_round > prev.effective_round,
				Error::<T>::EffectiveRoundNotAfterPrevious
			);
		}
		terms
			.validate(&caps, previous.as_ref().map(|(_, p)| &p.terms))
			.map_err(Self::terms_error)?;

		// Keep the history bounded: drop the oldest version once a newer one is in force and no
		// delegation needs it; otherwise refuse.
		if info.next_terms_version.saturating_sub(info.first_terms_version)
			>= T::MaxTermsVersions::get()
		{
			let oldest = info.first_terms_version;
			let successor_in_force = TermsVersions::<T>::get(model, oldest.saturating_add(1))
				.is_some_and(|t| t.effective_round <= current);
			ensure!(
				successor_in_force && !T::Delegations::terms_version_in_use(&model, oldest),
				Error::<T>::TooManyTermsVersions
			);
			TermsVersions::<T>::remove(model, oldest);
			info.first_terms_version = oldest.saturating_add(1);
		}

		let version = info.next_terms_version;
		TermsVersions::<T>::insert(
			model,
			version,
			TermsVersion { effective_round, published_round: current, terms },
		);
		info.next_terms_version = version.saturating_add(1);
		let from = info.status;
		if from == ModelStatus::Verified {
			info.status = ModelStatus::Active;
		}
		let to = info.status;
		Models::<T>::insert(model, info);
		Self::deposit_event(Event::TermsPublished { model, version, effective_round });
		if from != to {
			Self::deposit_event(Event::StatusChanged { model, from, to });
		}
		Ok(())
	}

	pub(crate) fn do_commit_version(
		who: T::AccountId,
		model: ModelId,
		artefact_hash: H256,
		effective_round: Option<RoundIndex>,
		note: BoundedVec<u8, T::MaxNoteLen>,
	) -> DispatchResult {
		let info = Self::owned_model(&who, &model)?;
		ensure!(info.status.is_verified(), Error::<T>::NotVerified);
		ensure!(info.status != ModelStatus::Retiring, Error::<T>::ModelRetiring);
		let current = T::RoundClock::current_round();
		let earliest = current.saturating_add(T::VersionNotice::get());
		let effective_round = effective_round.unwrap_or(earliest);
		ensure!(effective_round >= earliest, Error::<T>::EffectiveRoundTooSoon);
		Versions::<T>::try_mutate(model, |history| -> DispatchResult {
			if let Some(last) = history.versions.last() {
				ensure!(last.effective_round <= current, Error::<T>::VersionAlreadyPending);
				ensure!(
					effective_round > last.effective_round,
					Error::<T>::EffectiveRoundNotAfterPrevious
				);
			}
			if history.versions.is_full() && !history.versions.is_empty() {
				let dropped = history.versions.remove(0).effective_round;
				let first = history.dropped.map_or(dropped, |(first, _)| first);
				history.dropped = Some((first, dropped));
			}
			let commitment = VersionCommitment {
				artefact_hash,
				effective_round,
				announced_round: current,
				note,
			};
			// Room was made above; a zero-capacity history keeps nothing.
			let _ = history.versions.try_push(commitment);
			history.total = history.total.saturating_add(1);
			Ok(())
		})?;
		Self::deposit_event(Event::VersionCommitted { model, artefact_hash, effective_round });
		Ok(())
	}

	/// The challenge `claimant` must publish in `model`'s Numerai profile: unique to this chain
	/// (genesis hash), the claimant and the model.
	pub fn challenge_for(model: &ModelId, claimant: &T::AccountId) -> Vec<u8> {
		let digest = Self::challenge_digest(model, claimant);
		let mut text = Vec::with_capacity(CHALLENGE_PREFIX.len() + 64);
		text.extend_from_slice(CHALLENGE_PREFIX);
		numerstake_primitives::push_hex_lower(&mut text, &digest);
		text
	}

	/// The digest in `claimant`'s challenge for `model`.
	pub fn challenge_digest(model: &ModelId, claimant: &T::AccountId) -> [u8; 32] {
		let genesis = frame_system::BlockHash::<T>::get(BlockNumberFor::<T>::zero());
		blake2_256(&(b"numerstake/ownership", genesis, claimant, model).encode())
	}

	/// Checks the registry's invariants: holds equal records, ladders valid, histories bounded,
	/// indexes consistent.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use polkadot_sdk::frame_support::traits::fungible::InspectHold;
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut bonds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut pending = 0u32;
		for (model, info) in Models::<T>::iter() {
			let d = deposits.entry(info.owner.clone()).or_default();
			*d = d.saturating_add(info.deposit);
			ensure!(
				OwnerModels::<T>::contains_key(&info.owner, model),
				"owner index misses a model"
			);
			ensure!(
				(info.status == ModelStatus::Pending) == PendingClaims::<T>::contains_key(model),
				"pending-claims index disagrees with status"
			);
			if info.status == ModelStatus::Pending {
				pending += 1;
			}
			ensure!(info.first_terms_version <= info.next_terms_version, "terms indices reversed");
			ensure!(
				info.next_terms_version - info.first_terms_version <= T::MaxTermsVersions::get(),
				"too many terms versions"
			);
			let mut last_effective = None;
			for v in info.first_terms_version..info.next_terms_version {
				let t = TermsVersions::<T>::get(model, v).ok_or("missing terms version")?;
				ensure!(last_effective < Some(t.effective_round), "terms not in effective order");
				last_effective = Some(t.effective_round);
				ensure!(
					t.terms.min_delegation <= t.terms.max_delegation
						&& t.terms.max_delegation <= t.terms.capacity,
					"stored terms invalid"
				);
			}
			if let Some(bond) = ConsistencyBonds::<T>::get(model) {
				ensure!(!bond.amount.is_zero(), "empty bond kept");
				let b = bonds.entry(info.owner.clone()).or_default();
				*b = b.saturating_add(bond.amount);
			}
			let history = Versions::<T>::get(model);
			ensure!(
				history.versions.windows(2).all(|w| w[0].effective_round < w[1].effective_round),
				"version history out of order"
			);
			ensure!(history.total as usize >= history.versions.len(), "version total too small");
		}
		ensure!(pending == PendingClaims::<T>::count(), "pending-claims count off");
		for (owner, model, ()) in OwnerModels::<T>::iter() {
			ensure!(
				Models::<T>::get(model).is_some_and(|m| m.owner == owner),
				"owner index points at a model of someone else"
			);
		}
		ensure!(
			TermsVersions::<T>::iter_keys().all(|(m, _)| Models::<T>::contains_key(m)),
			"terms of a removed model"
		);
		ensure!(
			ConsistencyBonds::<T>::iter_keys().all(Models::<T>::contains_key),
			"bond of a removed model"
		);
		for (owner, total) in deposits {
			let held = T::Currency::balance_on_hold(&HoldReason::ModelDeposit.into(), &owner);
			ensure!(held == total, "deposit holds differ from records");
		}
		for (owner, total) in bonds {
			let held = T::Currency::balance_on_hold(&HoldReason::ConsistencyBond.into(), &owner);
			ensure!(held == total, "bond holds differ from records");
		}
		for (model, _) in Reservations::<T>::iter() {
			ensure!(
				Models::<T>::get(model).is_none_or(|m| m.status == ModelStatus::Pending),
				"a reservation of a model already proven"
			);
		}
		Ok(())
	}
}

impl<T: Config> ModelRegistryInspect<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn owner(model: &ModelId) -> Option<T::AccountId> {
		Models::<T>::get(model).map(|m| m.owner)
	}

	fn status(model: &ModelId) -> Option<ModelStatus> {
		Models::<T>::get(model).map(|m| m.status)
	}

	fn terms_at(model: &ModelId, round: RoundIndex) -> Option<(u32, Terms<BalanceOf<T>>)> {
		Self::terms_version_at(model, round).map(|(v, t)| (v, t.terms))
	}

	fn terms_version(model: &ModelId, version: u32) -> Option<(RoundIndex, Terms<BalanceOf<T>>)> {
		TermsVersions::<T>::get(model, version).map(|t| (t.effective_round, t.terms))
	}

	fn latest_terms(model: &ModelId) -> Option<(u32, RoundIndex, Terms<BalanceOf<T>>)> {
		Self::latest_terms_version(model).map(|(v, t)| (v, t.effective_round, t.terms))
	}

	fn version_changed_between(model: &ModelId, after: RoundIndex, up_to: RoundIndex) -> bool {
		let history = Versions::<T>::get(model);
		let in_range = |r: RoundIndex| r > after && r <= up_to;
		// Dropped versions are known only by their span: any overlap counts as a change.
		history.versions.iter().any(|v| in_range(v.effective_round))
			|| history.dropped.is_some_and(|(first, last)| first <= up_to && last > after)
	}
}

impl<T: Config> ModelStatusControl for Pallet<T> {
	fn set_under_bonded(model: &ModelId, under_bonded: bool) -> DispatchResult {
		let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		match (info.status, under_bonded) {
			(ModelStatus::Active, true) => Self::set_status(model, ModelStatus::UnderBonded),
			(ModelStatus::UnderBonded, false) => Self::set_status(model, ModelStatus::Active),
			(ModelStatus::Active, false) | (ModelStatus::UnderBonded, true) => Ok(()),
			// Suspended and retiring models stay so; bonding does not change that.
			(ModelStatus::Suspended | ModelStatus::Retiring, _) => Ok(()),
			(ModelStatus::Pending | ModelStatus::Verified, _) => {
				Err(Error::<T>::InvalidStatus.into())
			},
		}
	}
}

impl<T: Config> OwnershipAttestation<T::AccountId> for Pallet<T> {
	fn challenge(model: &ModelId, claimant: &T::AccountId) -> Vec<u8> {
		Self::challenge_for(model, claimant)
	}

	fn pending_claims(after: Option<ModelId>, limit: u32) -> Vec<PendingClaim<T::AccountId>> {
		let now = Self::now();
		let iter = match after {
			Some(m) => PendingClaims::<T>::iter_from(PendingClaims::<T>::hashed_key_for(m)),
			None => PendingClaims::<T>::iter(),
		};
		iter.filter(|(_, expires)| *expires >= now)
			.filter_map(|(model, _)| Self::claim_view(&model))
			.take(limit as usize)
			.collect()
	}

	fn pending_claim(model: &ModelId) -> Option<PendingClaim<T::AccountId>> {
		let expires = PendingClaims::<T>::get(model)?;
		(expires >= Self::now()).then(|| Self::claim_view(model)).flatten()
	}

	fn attest_ownership(model: &ModelId, claimant: &T::AccountId) -> DispatchResult {
		let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(info.status == ModelStatus::Pending, Error::<T>::NotPending);
		ensure!(&info.owner == claimant, Error::<T>::ClaimantMismatch);
		ensure!(Self::now() <= info.claim_expires_at, Error::<T>::ClaimExpired);
		PendingClaims::<T>::remove(model);
		// The owner proved it: a reservation from an older challenge in the profile is moot.
		Reservations::<T>::remove(model);
		Self::set_status(model, ModelStatus::Verified)?;
		Self::deposit_event(Event::OwnershipVerified { model: *model, owner: info.owner });
		Ok(())
	}

	fn reserve_for_challenge(model: &ModelId, digest: [u8; 32]) -> DispatchResult {
		let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(info.status == ModelStatus::Pending, Error::<T>::NotPending);
		ensure!(
			digest != Self::challenge_digest(model, &info.owner),
			Error::<T>::ReservedForClaimant
		);
		// From the lapse of the pending claim, a full claim period for the challenge's account.
		let until = info.claim_expires_at.saturating_add(T::ClaimTtl::get());
		Reservations::<T>::insert(model, Reservation { digest, until });
		Self::deposit_event(Event::ModelReserved { model: *model, digest, until });
		Ok(())
	}

	fn reserved_for(model: &ModelId) -> Option<[u8; 32]> {
		Reservations::<T>::get(model).map(|r| r.digest)
	}

	fn challenge_digest(model: &ModelId, claimant: &T::AccountId) -> [u8; 32] {
		Self::challenge_digest(model, claimant)
	}

	fn refute_claim(model: &ModelId, claimant: &T::AccountId) -> DispatchResult {
		let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(info.status == ModelStatus::Pending, Error::<T>::NotPending);
		ensure!(&info.owner == claimant, Error::<T>::ClaimantMismatch);
		ensure!(Self::now() <= info.claim_expires_at, Error::<T>::ClaimExpired);
		let burned = T::Currency::burn_held(
			&HoldReason::ModelDeposit.into(),
			&info.owner,
			info.deposit,
			Precision::Exact,
			Fortitude::Force,
		)?;
		Burned::<T>::mutate(|b| *b = b.saturating_add(burned));
		Models::<T>::remove(model);
		OwnerModels::<T>::remove(&info.owner, model);
		PendingClaims::<T>::remove(model);
		Self::deposit_event(Event::ClaimRefuted {
			model: *model,
			claimant: info.owner,
			name: info.name,
			burned,
		});
		Ok(())
	}
}

impl<T: Config> ConsistencyRecorder for Pallet<T> {
	fn note_round(model: &ModelId, round: RoundIndex, submitted: bool) {
		if !Models::<T>::contains_key(model) {
			return;
		}
		Records::<T>::mutate(model, |r| {
			if submitted {
				r.rounds_submitted = r.rounds_submitted.saturating_add(1);
			} else {
				r.rounds_missed = r.rounds_missed.saturating_add(1);
			}
			r.last_round = r.last_round.max(Some(round));
		});
	}

	fn note_backing_breach(model: &ModelId, round: RoundIndex) {
		if !Models::<T>::contains_key(model) {
			return;
		}
		Records::<T>::mutate(model, |r| {
			r.backing_breaches = r.backing_breaches.saturating_add(1);
			r.last_backing_breach = r.last_backing_breach.max(Some(round));
		});
	}
}
