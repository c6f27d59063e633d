//! The bridge's internals: checks, votes, mints, burns, signatures, and the invariants.

use super::*;
use alloc::vec::Vec;
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::{Fortitude, Precision, Preservation},
		},
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_core::{H160, H256},
	sp_io::hashing::blake2_256,
	sp_runtime::traits::{Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	/// A relayer set, sorted by Ethereum address, if it is valid with `threshold`.
	pub(crate) fn check_set(
		relayers: &[(T::AccountId, H160)],
		threshold: u32,
	) -> Result<RelayersOf<T>, Error<T>> {
		let n = relayers.len() as u32;
		// A majority, at least the minimum, and (with more than one relayer) fewer than all, so
		// that one relayer can neither mint alone nor halt the bridge by withholding its vote.
		ensure!(
			n > 0
				&& threshold >= MinThreshold::<T>::get().max(1)
				&& threshold.saturating_mul(2) > n
				&& (threshold < n || n == 1),
			Error::<T>::InvalidRelayerSet
		);
		let mut set: Vec<Relayer<T::AccountId>> = relayers
			.iter()
			.map(|(account, eth)| Relayer { account: account.clone(), eth: *eth })
			.collect();
		set.sort_by_key(|r| r.eth);
		for (i, r) in set.iter().enumerate() {
			ensure!(r.eth != H160::zero(), Error::<T>::InvalidRelayerSet);
			// Sorted: equal addresses are neighbours; accounts are few, so compare all.
			ensure!(
				set[i + 1..].iter().all(|o| o.eth != r.eth && o.account != r.account),
				Error::<T>::InvalidRelayerSet
			);
		}
		BoundedVec::try_from(set).map_err(|_| Error::<T>::InvalidRelayerSet)
	}

	pub(crate) fn check_limits(l: &LimitsOf<T>) -> Result<(), Error<T>> {
		ensure!(
			!l.period.is_zero()
				&& !l.max_mint.is_zero()
				&& !l.min_withdrawal.is_zero()
				&& l.min_withdrawal <= l.max_withdrawal
				&& l.max_withdrawal <= l.max_burn,
			Error::<T>::InvalidLimits
		);
		Ok(())
	}

	/// This period's use (a new period starts empty).
	pub(crate) fn usage() -> UsageOf<T> {
		let now = frame_system::Pallet::<T>::block_number();
		let usage = PeriodUsage::<T>::get();
		if now >= usage.since.saturating_add(LimitsSet::<T>::get().period) {
			Usage { since: now, minted: Zero::zero(), burned: Zero::zero() }
		} else {
			usage
		}
	}

	fn relayer(who: &T::AccountId) -> Option<Relayer<T::AccountId>> {
		Relayers::<T>::get().into_iter().find(|r| r.account == *who)
	}

	/// The hash relayers' votes are compared by.
	pub fn deposit_hash(deposit: &DepositOf<T>) -> H256 {
		H256(blake2_256(&deposit.encode()))
	}

	/// What `who`'s vote on `deposit` would do, without doing it.
	pub(crate) fn check_vote(
		who: &T::AccountId,
		deposit: &DepositOf<T>,
	) -> Result<VoteCheck, DispatchError> {
		ensure!(Self::relayer(who).is_some(), Error::<T>::NotRelayer);
		ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
		let contract = Contract::<T>::get().ok_or(Error::<T>::NoContract)?;
		ensure!(!LimitsSet::<T>::get().period.is_zero(), Error::<T>::NoLimits);
		ensure!(
			deposit.chain_id == contract.chain_id && deposit.contract == contract.address,
			Error::<T>::WrongContract
		);
		let next = NextDeposit::<T>::get();
		if deposit.nonce < next {
			return Ok(VoteCheck::Stale);
		}
		ensure!(deposit.nonce == next, Error::<T>::NotNextDeposit);
		ensure!(Deferred::<T>::get().is_none(), Error::<T>::DepositDeferred);
		ensure!(!deposit.amount.is_zero(), Error::<T>::ZeroAmount);
		let hash = Self::deposit_hash(deposit);
		match DepositVotes::<T>::get(who) {
			Some((n, previous)) if n == deposit.nonce && previous == hash => Ok(VoteCheck::Stale),
			Some((n, _)) if n == deposit.nonce => Err(Error::<T>::AlreadyVoted.into()),
			_ => Ok(VoteCheck::Counts(hash)),
		}
	}

	/// Records `who`'s vote; mints on a quorum. `Ok(false)`: ignored as stale.
	pub(crate) fn do_vote(who: T::AccountId, deposit: DepositOf<T>) -> Result<bool, DispatchError> {
		let nonce = deposit.nonce;
		let hash = match Self::check_vote(&who, &deposit)? {
			VoteCheck::Stale => {
				Self::deposit_event(Event::StaleVote { nonce, relayer: who });
				return Ok(false);
			},
			VoteCheck::Counts(hash) => hash,
		};
		DepositVotes::<T>::insert(&who, (nonce, hash));
		DepositCandidates::<T>::insert(hash, &deposit);
		Self::deposit_event(Event::DepositVoted { nonce, relayer: who, hash });
		let relayers = Relayers::<T>::get();
		let votes = relayers
			.iter()
			.filter(|r| DepositVotes::<T>::get(&r.account) == Some((nonce, hash)))
			.count() as u32;
		if votes >= Threshold::<T>::get() {
			Self::finalise(nonce, hash, deposit);
		}
		Ok(true)
	}

	/// Deposit `nonce` has a quorum on `hash`: dissent for the other votes, then mint (or
	/// defer to a later period).
	fn finalise(nonce: u64, hash: H256, deposit: DepositOf<T>) {
		for r in Relayers::<T>::get() {
			let Some((n, voted)) = DepositVotes::<T>::take(&r.account) else { continue };
			DepositCandidates::<T>::remove(voted);
			if n == nonce && voted != hash {
				let count = Dissents::<T>::mutate(&r.account, |c| {
					*c = c.saturating_add(1);
					*c
				});
				Self::deposit_event(Event::DepositDissent {
					nonce,
					relayer: r.account,
					voted,
					minted: hash,
					count,
				});
			}
		}
		NextDeposit::<T>::put(nonce.saturating_add(1));
		if Self::mint_allowed(deposit.amount) {
			Self::mint(deposit);
		} else {
			Self::deposit_event(Event::MintDeferred { nonce, amount: deposit.amount });
			Deferred::<T>::put(deposit);
		}
	}

	/// Mints a deposit with a quorum, or strands it if the recipient cannot take it.
	pub(crate) fn mint(deposit: DepositOf<T>) {
		let Deposit { nonce, recipient, amount, tx_hash, .. } = deposit.clone();
		match T::Currency::mint_into(&recipient, amount) {
			Ok(_) => {
				let mut usage = Self::usage();
				usage.minted = usage.minted.saturating_add(amount);
				PeriodUsage::<T>::put(usage);
				TotalMinted::<T>::mutate(|m| *m = m.saturating_add(amount));
				Self::deposit_event(Event::DepositMinted { nonce, recipient, amount, tx_hash });
			},
			Err(error) => {
				Stranded::<T>::insert(nonce, deposit);
				Self::deposit_event(Event::DepositStranded { nonce, error });
			},
		}
	}

	pub(crate) fn do_withdraw(
		who: T::AccountId,
		amount: BalanceOf<T>,
		recipient: H160,
	) -> DispatchResult {
		ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
		ensure!(Contract::<T>::get().is_some(), Error::<T>::NoContract);
		ensure!(recipient != H160::zero(), Error::<T>::ZeroRecipient);
		let limits = LimitsSet::<T>::get();
		ensure!(!limits.period.is_zero(), Error::<T>::NoLimits);
		ensure!(amount >= limits.min_withdrawal, Error::<T>::BelowMinimum);
		ensure!(amount <= limits.max_withdrawal, Error::<T>::AboveMaximum);
		let mut usage = Self::usage();
		ensure!(usage.burned.saturating_add(amount) <= limits.max_burn, Error::<T>::OverBurnLimit);
		ensure!(
			T::Currency::reducible_balance(&who, Preservation::Expendable, Fortitude::Polite)
				>= amount,
			Error::<T>::InsufficientBalance
		);
		T::Currency::burn_from(
			&who,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		usage.burned = usage.burned.saturating_add(amount);
		PeriodUsage::<T>::put(usage);
		TotalBurned::<T>::mutate(|b| *b = b.saturating_add(amount));
		let nonce = NextWithdrawal::<T>::get();
		NextWithdrawal::<T>::put(nonce.saturating_add(1));
		Withdrawals::<T>::insert(
			nonce,
			Withdrawal {
				who: who.clone(),
				recipient,
				amount,
				requested_at: frame_system::Pallet::<T>::block_number(),
				set_id: SetId::<T>::get(),
				signatures: BoundedVec::new(),
			},
		);
		Unsigned::<T>::insert(nonce, ());
		Self::deposit_event(Event::WithdrawalQueued { nonce, who, recipient, amount });
		Ok(())
	}

	/// The digest relayers sign to release withdrawal `nonce` for its set.
	pub fn release_digest(nonce: u64, w: &WithdrawalOf<T>) -> Option<[u8; 32]> {
		let c = Contract::<T>::get()?;
		Some(eth::release_digest(c.chain_id, &c.address, nonce, &w.recipient, w.amount, w.set_id))
	}

	/// Where `signature` of withdrawal `nonce` by `relayer` would go, without storing it: the
	/// withdrawal as it would be signed (an incomplete older set's proof starts anew) and the
	/// signature's place in it, or `None` when the relayer signed it already.
	fn check_signature(
		relayer: &Relayer<T::AccountId>,
		nonce: u64,
		signature: &EthSignature,
	) -> Result<(WithdrawalOf<T>, Option<usize>), DispatchError> {
		let set_id = SetId::<T>::get();
		let mut w = Withdrawals::<T>::get(nonce).ok_or(Error::<T>::UnknownWithdrawal)?;
		if w.set_id != set_id {
			// An older set's proof: if it was never completed, the current set signs anew; a
			// complete one stays (the contract honours it for a while) until its owner asks for
			// a new one.
			let old_threshold = SetThresholds::<T>::get(w.set_id).unwrap_or(u32::MAX);
			ensure!((w.signatures.len() as u32) < old_threshold, Error::<T>::ProofComplete);
			w.set_id = set_id;
			w.signatures = BoundedVec::new();
		}
		let digest = Self::release_digest(nonce, &w).ok_or(Error::<T>::NoContract)?;
		let signer = eth::signer(&digest, signature).ok_or(Error::<T>::BadSignature)?;
		ensure!(signer == relayer.eth, Error::<T>::WrongSigner);
		let at = w.signatures.binary_search_by_key(&signer, |(a, _)| *a).err();
		Ok((w, at))
	}

	/// Whether every one of `who`'s signatures would count (the call is then free of fees,
	/// which relayers need on a chain whose genesis holds no NMR).
	pub(crate) fn signatures_count(who: &T::AccountId, signatures: &[(u64, EthSignature)]) -> bool {
		let Some(relayer) = Self::relayer(who) else { return false };
		if Paused::<T>::get() || Contract::<T>::get().is_none() {
			return false;
		}
		// Two signatures of one withdrawal in one call: the second would not count.
		let mut nonces: Vec<u64> = signatures.iter().map(|(n, _)| *n).collect();
		nonces.sort_unstable();
		nonces.dedup();
		let threshold = Threshold::<T>::get() as usize;
		!signatures.is_empty()
			&& nonces.len() == signatures.len()
			&& signatures.iter().all(|(nonce, signature)| {
				// Counts: a new signer, on a proof still short of the threshold.
				matches!(Self::check_signature(&relayer, *nonce, signature),
					Ok((w, Some(_))) if w.signatures.len() < threshold)
			})
	}

	/// Adds `who`'s signatures; `Ok(true)` when every one counted.
	pub(crate) fn do_sign(
		who: T::AccountId,
		signatures: &[(u64, EthSignature)],
	) -> Result<bool, DispatchError> {
		let relayer = Self::relayer(&who).ok_or(Error::<T>::NotRelayer)?;
		ensure!(!signatures.is_empty(), Error::<T>::NoSignatures);
		ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
		ensure!(Contract::<T>::get().is_some(), Error::<T>::NoContract);
		let set_id = SetId::<T>::get();
		let threshold = Threshold::<T>::get();
		let mut all_counted = true;
		for (nonce, signature) in signatures {
			let (mut w, at) = Self::check_signature(&relayer, *nonce, signature)?;
			let Some(at) = at else {
				all_counted = false;
				continue;
			};
			if w.signatures.len() as u32 >= threshold {
				// Complete already: kept (harmless), but it adds nothing and pays.
				all_counted = false;
			}
			w.signatures
				.try_insert(at, (relayer.eth, *signature))
				.map_err(|_| Error::<T>::InvalidRelayerSet)?;
			let count = w.signatures.len() as u32;
			Self::deposit_event(Event::WithdrawalSigned {
				nonce: *nonce,
				relayer: who.clone(),
				set_id,
				count,
			});
			if count >= threshold {
				Unsigned::<T>::remove(nonce);
				Self::deposit_event(Event::WithdrawalReady { nonce: *nonce, set_id });
			} else {
				Unsigned::<T>::insert(nonce, ());
			}
			Withdrawals::<T>::insert(nonce, w);
		}
		Ok(all_counted)
	}

	/// The digest the outgoing set signs for `rotation`.
	pub fn rotation_digest(rotation: &RotationOf<T>) -> Option<[u8; 32]> {
		let c = Contract::<T>::get()?;
		Some(eth::rotate_digest(
			c.chain_id,
			&c.address,
			rotation.set_id,
			&rotation.signers,
			rotation.threshold,
			rotation.cutoff,
		))
	}

	/// Where `signature` would go in rotation `set_id`, without storing it.
	pub(crate) fn check_rotation_signature(
		set_id: u32,
		signature: &EthSignature,
	) -> Result<(RotationOf<T>, H160, usize), DispatchError> {
		let rotation = Rotations::<T>::get(set_id).ok_or(Error::<T>::UnknownRotation)?;
		let digest = Self::rotation_digest(&rotation).ok_or(Error::<T>::NoContract)?;
		let signer = eth::signer(&digest, signature).ok_or(Error::<T>::BadSignature)?;
		ensure!(rotation.outgoing.binary_search(&signer).is_ok(), Error::<T>::WrongSigner);
		let at = rotation
			.signatures
			.binary_search_by_key(&signer, |(a, _)| *a)
			.err()
			.ok_or(Error::<T>::AlreadySigned)?;
		Ok((rotation, signer, at))
	}

	pub(crate) fn do_sign_rotation(set_id: u32, signature: EthSignature) -> DispatchResult {
		let (mut rotation, signer, at) = Self::check_rotation_signature(set_id, &signature)?;
		let was_complete = rotation.is_complete();
		rotation
			.signatures
			.try_insert(at, (signer, signature))
			.map_err(|_| Error::<T>::InvalidRelayerSet)?;
		let count = rotation.signatures.len() as u32;
		let ready = !was_complete && rotation.is_complete();
		Rotations::<T>::insert(set_id, rotation);
		Self::deposit_event(Event::RotationSigned { set_id, signer, count });
		if ready {
			Self::deposit_event(Event::RotationReady { set_id });
			// The relayers who left with this rotation have signed what they had to.
			for who in Leaving::<T>::take() {
				Self::release_account(&who);
			}
		}
		Ok(())
	}

	/// A relayer's account exists while it is a relayer (or leaving), even without NMR: a
	/// live chain's genesis holds none, and the relayers' votes bring the first NMR in.
	pub(crate) fn hold_account(who: &T::AccountId) {
		frame_system::Pallet::<T>::inc_sufficients(who);
	}

	fn release_account(who: &T::AccountId) {
		frame_system::Pallet::<T>::dec_sufficients(who);
	}

	/// Whether the rotation into the current set (if any) has the outgoing set's threshold.
	fn rotation_signed() -> bool {
		Rotations::<T>::get(SetId::<T>::get()).is_none_or(|r| r.is_complete())
	}

	pub(crate) fn do_set_relayers(
		relayers: &[(T::AccountId, H160)],
		threshold: u32,
	) -> DispatchResult {
		let set = Self::check_set(relayers, threshold)?;
		ensure!(Self::rotation_signed(), Error::<T>::RotationPending);
		let old = Relayers::<T>::get();
		let old_threshold = Threshold::<T>::get();
		for r in &old {
			// Pending votes go: the new set votes the next deposit again.
			if let Some((_, hash)) = DepositVotes::<T>::take(&r.account) {
				DepositCandidates::<T>::remove(hash);
			}
			if !set.iter().any(|n| n.account == r.account) {
				Dissents::<T>::remove(&r.account);
			}
		}
		// The contract's set 0 is the set installed when it is configured: only later sets
		// are rotations the contract must be told of.
		let mut set_id = SetId::<T>::get();
		let rotates = Contract::<T>::get().is_some() && !old.is_empty();
		for r in &set {
			if !old.iter().any(|o| o.account == r.account) {
				Self::hold_account(&r.account);
			}
		}
		let leaving = old.iter().filter(|o| !set.iter().any(|n| n.account == o.account));
		if rotates {
			// Leaving relayers must still sign the rotation: their accounts stay until then.
			Leaving::<T>::put(BoundedVec::truncate_from(
				leaving.map(|r| r.account.clone()).collect::<Vec<_>>(),
			));
		} else {
			for r in leaving {
				Self::release_account(&r.account);
			}
		}
		if rotates {
			set_id = set_id.saturating_add(1);
			Rotations::<T>::insert(
				set_id,
				Rotation {
					set_id,
					signers: BoundedVec::truncate_from(set.iter().map(|r| r.eth).collect()),
					threshold: u16::try_from(threshold).unwrap_or(u16::MAX),
					outgoing: BoundedVec::truncate_from(old.iter().map(|r| r.eth).collect()),
					outgoing_threshold: u16::try_from(old_threshold).unwrap_or(u16::MAX),
					cutoff: NextWithdrawal::<T>::get(),
					signatures: BoundedVec::new(),
				},
			);
		}
		let count = set.len() as u32;
		Relayers::<T>::put(set);
		Threshold::<T>::put(threshold);
		SetId::<T>::put(set_id);
		SetThresholds::<T>::insert(set_id, threshold);
		Self::deposit_event(Event::RelayersSet { set_id, threshold, relayers: count });
		Ok(())
	}

	/// The release proof of withdrawal `nonce`.
	pub fn proof(nonce: u64) -> Option<ReleaseProof<BalanceOf<T>>> {
		let w = Withdrawals::<T>::get(nonce)?;
		let threshold = SetThresholds::<T>::get(w.set_id).unwrap_or(u32::MAX);
		Some(ReleaseProof {
			nonce,
			recipient: w.recipient,
			amount: w.amount,
			set_id: w.set_id,
			signatures: w.signatures.iter().flat_map(|(_, s)| s.iter().copied()).collect(),
			complete: w.signatures.len() as u32 >= threshold,
		})
	}

	/// Withdrawals the current set has not signed enough yet, after `after`, at most `limit`
	/// (off chain: walks storage).
	pub fn unsigned(after: Option<u64>, limit: u32) -> Vec<(u64, WithdrawalOf<T>)> {
		let iter = match after {
			Some(n) => Unsigned::<T>::iter_keys_from(Unsigned::<T>::hashed_key_for(n)),
			None => Unsigned::<T>::iter_keys(),
		};
		iter.filter_map(|n| Withdrawals::<T>::get(n).map(|w| (n, w))).take(limit as usize).collect()
	}

	/// The bridge's state.
	pub fn status() -> BridgeStatus<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> {
		BridgeStatus {
			contract: Contract::<T>::get(),
			next_deposit: NextDeposit::<T>::get(),
			next_withdrawal: NextWithdrawal::<T>::get(),
			set_id: SetId::<T>::get(),
			relayers: Relayers::<T>::get()
				.into_iter()
				.map(|r| {
					let d = Dissents::<T>::get(&r.account);
					(r.account, r.eth, d)
				})
				.collect(),
			threshold: Threshold::<T>::get(),
			paused: Paused::<T>::get(),
			limits: LimitsSet::<T>::get(),
			usage: Self::usage(),
			deferred: Deferred::<T>::get().map(|d| d.nonce),
			total_minted: TotalMinted::<T>::get(),
			total_burned: TotalBurned::<T>::get(),
		}
	}

	/// Checks the bridge's invariants: the money (total issuance = genesis issuance + minted −
	/// burned for withdrawals − other evented burns), the relayer set, the vote and
	/// withdrawal indexes.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		let expected = GenesisIssuance::<T>::get()
			.saturating_add(TotalMinted::<T>::get())
			.saturating_sub(TotalBurned::<T>::get())
			.saturating_sub(T::OtherBurns::get());
		ensure!(
			T::Currency::total_issuance() == expected,
			"total issuance differs from genesis + minted - burned - evented burns"
		);
		let relayers = Relayers::<T>::get();
		let threshold = Threshold::<T>::get();
		if !relayers.is_empty() {
			let pairs: Vec<_> = relayers.iter().map(|r| (r.account.clone(), r.eth)).collect();
			let sorted = Self::check_set(&pairs, threshold).map_err(|_| "relayer set invalid")?;
			ensure!(sorted == relayers, "relayers not sorted by Ethereum address");
		}
		let leaving = Leaving::<T>::get();
		for who in relayers.iter().map(|r| &r.account).chain(leaving.iter()) {
			ensure!(
				frame_system::Pallet::<T>::sufficients(who) > 0,
				"a relayer's account is not held"
			);
		}
		ensure!(
			leaving.is_empty() || !Self::rotation_signed(),
			"leaving relayers kept after their rotation was signed"
		);
		let next = NextDeposit::<T>::get();
		for (who, (nonce, hash)) in DepositVotes::<T>::iter() {
			ensure!(relayers.iter().any(|r| r.account == who), "a vote of a non-relayer");
			ensure!(nonce == next, "a vote for a nonce other than the next");
			ensure!(DepositCandidates::<T>::contains_key(hash), "a vote without its deposit");
		}
		if let Some(d) = Deferred::<T>::get() {
			ensure!(d.nonce.saturating_add(1) == next, "the deferred deposit is not the last");
		}
		for d in Dissents::<T>::iter_keys() {
			ensure!(relayers.iter().any(|r| r.account == d), "dissent of a removed relayer");
		}
		for n in Unsigned::<T>::iter_keys() {
			ensure!(n < NextWithdrawal::<T>::get(), "an unsigned withdrawal from the future");
			let w = Withdrawals::<T>::get(n).ok_or("an unsigned withdrawal that does not exist")?;
			if w.set_id == SetId::<T>::get() {
				ensure!((w.signatures.len() as u32) < threshold, "a signed withdrawal unsigned");
			}
		}
		Ok(())
	}
}
