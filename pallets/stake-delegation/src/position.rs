//! What stakers and owners do: join, leave, withdraw, recommit; bond, unbond, exit fee shares
//! and claim what the pool owes the owner. Each checks everything before it changes anything.

use super::*;
use crate::{
	ledger::BondRefused,
	maths,
	pool::{add, sub},
};
use numerstake_primitives::ModelStatus;
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			tokens::{Precision, Preservation},
			Get,
		},
		BoundedVec,
	},
	sp_core::H256,
	sp_runtime::{DispatchError, TokenError},
};

/// What `delegate` found and will do.
pub(crate) struct DelegationPlan<AccountId> {
	pub pool: Pool<AccountId>,
	pub recorded: u32,
	pub version: u32,
	pub first_round: RoundIndex,
	pub prepaid: Balance,
	pub discount: polkadot_sdk::sp_runtime::Permill,
}

impl<T: Config> Pallet<T> {
	/// Moves `amount` from the pool account to `to`; the pool account keeps its existential
	/// deposit.
	pub(crate) fn pay_out(
		model: &ModelId,
		to: &T::AccountId,
		amount: Balance,
	) -> Result<(), DispatchError> {
		if amount == 0 {
			return Ok(());
		}
		T::Currency::transfer(&Self::pool_account(model), to, amount, Preservation::Preserve)
			.map_err(|e| match e {
				DispatchError::Token(TokenError::BelowMinimum | TokenError::CannotCreate) => {
					Error::<T>::CannotReceive.into()
				},
				other => other,
			})
			.map(|_| ())
	}

	/// Moves `amount` from `from` to the pool account, keeping `from` alive.
	fn pay_in(model: &ModelId, from: &T::AccountId, amount: Balance) -> Result<(), DispatchError> {
		if amount == 0 {
			return Ok(());
		}
		T::Currency::transfer(from, &Self::pool_account(model), amount, Preservation::Preserve)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Ok(())
	}

	/// The error for a model that takes no delegations in `status`.
	fn not_accepting(status: ModelStatus) -> Error<T> {
		match status {
			ModelStatus::UnderBonded => Error::<T>::ModelUnderBonded,
			ModelStatus::Suspended => Error::<T>::ModelSuspended,
			ModelStatus::Retiring => Error::<T>::ModelRetiring,
			ModelStatus::Pending | ModelStatus::Verified | ModelStatus::Active => {
				Error::<T>::ModelNotActive
			},
		}
	}

	/// The pool of `model` if `who` owns it.
	fn owned_pool(
		who: &T::AccountId,
		model: &ModelId,
	) -> Result<Pool<T::AccountId>, DispatchError> {
		let pool = Pools::<T>::get(model).ok_or(Error::<T>::NoPool)?;
		ensure!(&pool.owner == who, Error::<T>::NotOwner);
		Ok(pool)
	}

	/// A staker's delegation and its pool, the pool brought up to the opened rounds and the
	/// delegation's cohort shares taken.
	#[allow(clippy::type_complexity)]
	fn load(
		who: &T::AccountId,
		model: ModelId,
		index: DelegationIndex,
	) -> Result<
		((T::AccountId, ModelId, DelegationIndex), Delegation, Pool<T::AccountId>),
		DispatchError,
	> {
		let key = (who.clone(), model, index);
		let mut d = Delegations::<T>::get(&key).ok_or(Error::<T>::UnknownDelegation)?;
		let mut pool = Pools::<T>::get(model).ok_or(Error::<T>::NoPool)?;
		Self::caught_up(&model, &mut pool)?;
		Self::materialise(&model, &mut pool, &mut d)?;
		Ok((key, d, pool))
	}

	/// Takes a delegation's shares from its activated cohort once its first round is settled.
	pub(crate) fn materialise(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		d: &mut Delegation,
	) -> Result<(), DispatchError> {
		if !matches!(d.stage, Stage::Queued | Stage::QueuedExit { .. })
			|| pool.last_finalised.is_none_or(|l| l < d.first_round)
		{
			return Ok(());
		}
		let mut a =
			Activations::<T>::get(model, d.first_round).ok_or(Error::<T>::UnknownDelegation)?;
		let shares = maths::shares_for(d.principal, a.price).ok_or(Error::<T>::Overflow)?;
		d.shares = shares;
		d.epoch = a.epoch;
		d.hwm = a.price;
		d.fees_through = d.first_round.saturating_sub(1);
		d.served_through = a.served_before;
		d.next_fee_round = a.period_end;
		match d.stage {
			Stage::QueuedExit { last_round } => {
				d.stage = Stage::Exiting { last_round };
				a.exit_members = a.exit_members.saturating_sub(1);
			},
			_ => {
				d.stage = Stage::Active;
				a.shares = sub::<T>(a.shares, shares)?;
				a.members = a.members.saturating_sub(1);
			},
		}
		// Once every member who stays has taken its shares, what is left of the cohort's shares
		// is rounding dust, whoever of its early leavers is still to take theirs (their shares
		// are in their exit cohort, not among these).
		if a.members == 0 && a.shares > 0 {
			if a.epoch == pool.ledger.epoch {
				pool.ledger.unclaimed_to_dust(a.shares).ok_or(Error::<T>::Overflow)?;
			}
			a.shares = 0;
		}
		if a.members == 0 && a.exit_members == 0 {
			Activations::<T>::remove(model, d.first_round);
		} else {
			Activations::<T>::insert(model, d.first_round, a);
		}
		Ok(())
	}

	/// Every check of `delegate` but the staker's balance; returns the pool (caught up) and what
	/// the join takes.
	pub(crate) fn plan_delegation(
		model: &ModelId,
		principal: Balance,
		term_rounds: RoundIndex,
		terms_version: u32,
		document_hash: Option<H256>,
	) -> Result<DelegationPlan<T::AccountId>, DispatchError> {
		ensure!(principal >= T::MinDelegation::get(), Error::<T>::BelowProtocolMinimum);
		let status = T::Registry::status(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(status.accepts_delegations(), Self::not_accepting(status));
		// The oracle reports rounds from the chain's first: before it, the clock reads 0.
		let global = Global::<T>::get();
		let current = global.clock.latest;
		ensure!(current > 0, Error::<T>::NoRoundsYet);
		let (version, _, terms) = T::Registry::latest_terms(model).ok_or(Error::<T>::NoTerms)?;
		ensure!(version == terms_version, Error::<T>::TermsChanged);
		ensure!(
			terms.document.as_ref().map(|d| d.hash) == document_hash,
			Error::<T>::DocumentChanged
		);
		let option = terms.commitment(term_rounds).ok_or(Error::<T>::CommitmentNotOffered)?;
		ensure!(principal >= terms.min_delegation, Error::<T>::BelowMinimum);
		ensure!(principal <= terms.max_delegation, Error::<T>::AboveMaximum);
		let mut pool = Pools::<T>::get(model).ok_or(Error::<T>::NoPool)?;
		ensure!(pool.watched, Error::<T>::ModelNotWatched);
		let recorded = Self::caught_up(model, &mut pool)?;
		let params = global.protocol;

		let exposed = Self::projected(&pool)?;
		let projected = add::<T>(exposed, principal)?;
		ensure!(projected <= terms.capacity, Error::<T>::CapacityExceeded);
		ensure!(
			pool.book.bond >= maths::bond_required(params.bond_ratio, projected),
			Error::<T>::InsufficientBond
		);
		// Concentration: settled value chain-wide and per owner, with this pool counted at
		// everything it still has exposed plus the join, on both sides (other pools' queued
		// joins count once they activate, which errs towards refusing).
		let others = global.total_value.saturating_sub(pool.tracked_value);
		let total = add::<T>(others, projected)?;
		if total >= params.caps_from_total {
			ensure!(
				maths::within_share(projected, total, params.model_cap),
				Error::<T>::ModelConcentration
			);
			let owner_others =
				Operators::<T>::get(&pool.owner).value.saturating_sub(pool.tracked_value);
			let owner_value = add::<T>(owner_others, projected)?;
			ensure!(
				maths::within_share(owner_value, total, params.operator_cap),
				Error::<T>::OperatorConcentration
			);
		}
		let prepaid = if term_rounds == 0 {
			0
		} else {
			maths::prepaid_fee(terms.fixed_fee_per_round(principal), term_rounds, option.discount)
				.ok_or(Error::<T>::Overflow)?
		};
		// Never before the next round the pool settles (the oracle's next result for the model:
		// a watch starts no later than the round after the latest, so this is a safeguard).
		let first_round =
			Self::first_round_of(Self::next_to_settle(&pool), current, params.activation_lag);
		ensure!(pool.joins.has_room_for(first_round), Error::<T>::TooManyPendingCohorts);
		Ok(DelegationPlan {
			pool,
			recorded,
			version,
			first_round,
			prepaid,
			discount: option.discount,
		})
	}

	/// The first round a join asked for now, when round `current` is the latest, is exposed
	/// to, in a pool (if any) that settles `next_to_settle` next.
	pub(crate) fn first_round_of(
		next_to_settle: Option<RoundIndex>,
		current: RoundIndex,
		activation_lag: RoundIndex,
	) -> RoundIndex {
		current.saturating_add(1).saturating_add(activation_lag).max(next_to_settle.unwrap_or(0))
	}

	pub(crate) fn do_delegate(
		who: T::AccountId,
		model: ModelId,
		principal: Balance,
		term_rounds: RoundIndex,
		terms_version: u32,
		document_hash: Option<H256>,
	) -> Result<u32, DispatchError> {
		let DelegationPlan { mut pool, recorded, version, first_round, prepaid, discount } =
			Self::plan_delegation(&model, principal, term_rounds, terms_version, document_hash)?;
		pool.joins.join(first_round, principal, prepaid).map_err(Error::<T>::from)?;
		if first_round == pool.recorder.recorded_through.saturating_add(1) {
			pool.recorder.next_principal = add::<T>(pool.recorder.next_principal, principal)?;
		}
		pool.principal = add::<T>(pool.principal, principal)?;
		pool.delegations = pool.delegations.saturating_add(1);
		Self::count_version_user(&mut pool, version, true)?;
		let index = pool.next_index;
		pool.next_index = pool.next_index.saturating_add(1);
		let mut commitments = BoundedVec::new();
		if term_rounds > 0 {
			let commitment = Commitment {
				start: first_round,
				end: first_round.saturating_add(term_rounds - 1),
				version,
				discount,
			};
			commitments.try_push(commitment).map_err(|_| Error::<T>::TooManyCommitments)?;
		}
		Self::pay_in(&model, &who, add::<T>(principal, prepaid)?)?;
		Delegations::<T>::insert(
			(&who, model, index),
			Delegation {
				principal,
				prepaid,
				first_round,
				joined_version: version,
				stage: Stage::Queued,
				epoch: 0,
				shares: 0,
				commitments,
				terms_version: version,
				hwm: maths::ONE,
				fees_through: first_round.saturating_sub(1),
				served_through: 0,
				next_fee_round: first_round,
				exit_fee_shares: 0,
				fees_paid: 0,
			},
		);
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::Delegated {
			staker: who,
			model,
			index,
			principal,
			prepaid,
			first_round,
			term_rounds,
			terms_version: version,
		});
		Ok(recorded)
	}

	/// The round a delegation asking to exit now stays exposed to, and what freed it from a
	/// commitment that would otherwise bind longer.
	fn exit_round(
		model: &ModelId,
		pool: &Pool<T::AccountId>,
		d: &Delegation,
		current: RoundIndex,
	) -> (RoundIndex, Option<Freed>) {
		let Some(c) = d.commitments.iter().filter(|c| c.end > current).max_by_key(|c| c.end) else {
			return (current, None);
		};
		let grace = Global::<T>::get().protocol.grace_rounds;
		if pool.under_bonded_since.is_some_and(|s| current >= s.saturating_add(grace)) {
			return (current, Some(Freed::UnderBonded));
		}
		if let Some((round, why)) = pool.last_breach {
			if round >= c.start {
				return (current, Some(why));
			}
		}
		if T::Registry::version_changed_between(model, c.start.saturating_sub(1), c.end) {
			return (current, Some(Freed::VersionChanged));
		}
		(c.end, None)
	}

	pub(crate) fn do_request_exit(
		who: T::AccountId,
		model: ModelId,
		index: DelegationIndex,
	) -> Result<(), DispatchError> {
		let (key, mut d, mut pool) = Self::load(&who, model, index)?;
		let current = Self::current_round();
		ensure!(
			matches!(d.stage, Stage::Queued | Stage::Active)
				&& !(d.stage == Stage::Active && d.epoch < pool.ledger.epoch),
			Error::<T>::AlreadyExiting
		);
		if d.stage == Stage::Queued && current < d.first_round {
			return Self::cancel(who, model, index, d, pool);
		}
		let (last_round, freed) = Self::exit_round(&model, &pool, &d, current);
		let next = pool.recorder.recorded_through.saturating_add(1);
		if d.stage == Stage::Queued {
			// The first round opened but has not been settled: the principal leaves at
			// `last_round`, converted to shares when its cohort activates.
			pool.joins
				.exit_before_activation(d.first_round, d.principal)
				.map_err(Error::<T>::from)?;
			PreExits::<T>::try_mutate(model, d.first_round, |list| -> Result<(), DispatchError> {
				match list.iter_mut().find(|(l, _, _)| *l == last_round) {
					Some(entry) => {
						entry.1 = add::<T>(entry.1, d.principal)?;
						entry.2 = entry.2.saturating_add(1);
					},
					None => list
						.try_push((last_round, d.principal, 1))
						.map_err(|_| Error::<T>::TooManyPendingExits)?,
				}
				Ok(())
			})?;
			pool.recorder.note_record(last_round);
			Cohorts::<T>::try_mutate(model, last_round, |c| -> Result<(), DispatchError> {
				c.exit_principal = add::<T>(c.exit_principal, d.principal)?;
				Ok(())
			})?;
			if last_round < next {
				pool.recorder.next_principal = sub::<T>(pool.recorder.next_principal, d.principal)?;
			}
			d.stage = Stage::QueuedExit { last_round };
		} else {
			let (_, complete) =
				Self::settle_fees(&model, &mut pool, &mut d, T::MaxSettlePeriods::get())?;
			ensure!(complete, Error::<T>::SettleFirst);
			if pool.last_finalised.is_some_and(|l| last_round <= l) {
				// Every round it is exposed to is settled already: it leaves now, paying the
				// fees of its partial period at its last round as any leaving position does.
				d.stage = Stage::Exiting { last_round };
				let (_, complete) =
					Self::settle_fees(&model, &mut pool, &mut d, T::MaxSettlePeriods::get())?;
				ensure!(complete, Error::<T>::SettleFirst);
				return Self::leave_now(who, model, index, d, pool, freed);
			}
			let epoch = pool.ledger.epoch;
			pool.recorder.note_record(last_round);
			Cohorts::<T>::try_mutate(model, last_round, |c| -> Result<(), DispatchError> {
				Self::reset_exit_epoch(c, epoch);
				c.exit_shares = add::<T>(c.exit_shares, d.shares)?;
				c.exit_members = c.exit_members.saturating_add(1);
				Ok(())
			})?;
			pool.ledger.queue_exit(d.shares).ok_or(Error::<T>::Overflow)?;
			if last_round < next {
				pool.recorder.next_shares = sub::<T>(pool.recorder.next_shares, d.shares)?;
			}
			d.stage = Stage::Exiting { last_round };
		}
		Delegations::<T>::insert(&key, d);
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::ExitRequested { staker: who, model, index, last_round, freed });
		Ok(())
	}

	/// Pays out an active delegation at the current price: the pool has settled every round it
	/// is exposed to (only when the oracle is as far as the latest opened round).
	fn leave_now(
		who: T::AccountId,
		model: ModelId,
		index: DelegationIndex,
		d: Delegation,
		mut pool: Pool<T::AccountId>,
		freed: Option<Freed>,
	) -> Result<(), DispatchError> {
		let (amount, owner_fee) =
			pool.ledger.leave_now(d.shares, d.exit_fee_shares).ok_or(Error::<T>::Overflow)?;
		pool.recorder.next_shares = sub::<T>(pool.recorder.next_shares, d.shares)?;
		Self::credit_owner(&model, &mut pool, owner_fee)?;
		Self::forget(&mut pool, &d)?;
		Self::check_bond(&model, &mut pool)?;
		Self::pay_out(&model, &who, amount)?;
		Delegations::<T>::remove((&who, model, index));
		Pools::<T>::insert(model, pool);
		let last_round = Self::current_round();
		Self::deposit_event(Event::ExitRequested {
			staker: who.clone(),
			model,
			index,
			last_round,
			freed,
		});
		Self::deposit_event(Event::Withdrawn {
			staker: who,
			model,
			index,
			amount,
			principal: d.principal,
			fees_paid: d.fees_paid,
		});
		Ok(())
	}

	/// Cancels a delegation whose first round has not opened: principal and prepaid fee back.
	fn cancel(
		who: T::AccountId,
		model: ModelId,
		index: DelegationIndex,
		d: Delegation,
		mut pool: Pool<T::AccountId>,
	) -> Result<(), DispatchError> {
		pool.joins.cancel(d.first_round, d.principal, d.prepaid).map_err(Error::<T>::from)?;
		if d.first_round == pool.recorder.recorded_through.saturating_add(1) {
			pool.recorder.next_principal = sub::<T>(pool.recorder.next_principal, d.principal)?;
		}
		Self::forget(&mut pool, &d)?;
		let refunded = add::<T>(d.principal, d.prepaid)?;
		Self::pay_out(&model, &who, refunded)?;
		Delegations::<T>::remove((&who, model, index));
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::DelegationCancelled { staker: who, model, index, refunded });
		Ok(())
	}

	/// Takes a leaving delegation off the pool's books.
	fn forget(pool: &mut Pool<T::AccountId>, d: &Delegation) -> Result<(), DispatchError> {
		pool.principal = sub::<T>(pool.principal, d.principal)?;
		pool.delegations = pool.delegations.saturating_sub(1);
		Self::count_version_user(pool, Self::version_floor(d), false)
	}

	/// The price a leaving position is paid at, if it can be paid now: after its last round
	/// (once settled), or its epoch's close price.
	fn release_price(
		model: &ModelId,
		pool: &Pool<T::AccountId>,
		epoch: u32,
		last_round: RoundIndex,
	) -> Result<(u128, bool), DispatchError> {
		if epoch < pool.ledger.epoch {
			if let Some(close) = EpochCloses::<T>::get(model, epoch) {
				if last_round > close.round {
					return Ok((close.price, false));
				}
			}
		}
		let exit = Exits::<T>::get(model, last_round).ok_or(Error::<T>::NotYetReleased)?;
		Ok((exit.price, true))
	}

	/// One position of an exit cohort was paid.
	fn exit_member_paid(model: &ModelId, last_round: RoundIndex) {
		Exits::<T>::mutate_exists(model, last_round, |e| {
			if let Some(record) = e {
				record.members = record.members.saturating_sub(1);
				if record.members == 0 {
					*e = None;
				}
			}
		});
	}

	pub(crate) fn do_withdraw(
		who: T::AccountId,
		model: ModelId,
		index: DelegationIndex,
	) -> Result<(), DispatchError> {
		// Fees paid to an owner in debt go into the pool's value: `load` records opened rounds.
		let (key, mut d, mut pool) = Self::load(&who, model, index)?;
		let closed =
			matches!(d.stage, Stage::Active | Stage::Exiting { .. }) && d.epoch < pool.ledger.epoch;
		let last_round = match d.stage {
			Stage::Exiting { last_round } => last_round,
			Stage::Active if closed => RoundIndex::MAX,
			Stage::QueuedExit { .. } => return Err(Error::<T>::NotYetReleased.into()),
			Stage::Active | Stage::Queued => return Err(Error::<T>::NotExiting.into()),
		};
		let (price, via_exit) = Self::release_price(&model, &pool, d.epoch, last_round)?;
		let (_, complete) =
			Self::settle_fees(&model, &mut pool, &mut d, T::MaxSettlePeriods::get())?;
		ensure!(complete, Error::<T>::SettleFirst);
		let held = sub::<T>(d.shares, d.exit_fee_shares.min(d.shares))?;
		let amount = maths::value_of(held, price).ok_or(Error::<T>::Overflow)?;
		let owner_fee =
			maths::value_of(d.exit_fee_shares.min(d.shares), price).ok_or(Error::<T>::Overflow)?;
		pool.ledger.pay_from_pot(add::<T>(amount, owner_fee)?).ok_or(Error::<T>::Overflow)?;
		Self::credit_owner(&model, &mut pool, owner_fee)?;
		Self::forget(&mut pool, &d)?;
		if via_exit {
			Self::exit_member_paid(&model, last_round);
		}
		Self::pay_out(&model, &who, amount)?;
		Delegations::<T>::remove(&key);
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::Withdrawn {
			staker: who,
			model,
			index,
			amount,
			principal: d.principal,
			fees_paid: d.fees_paid,
		});
		Ok(())
	}

	pub(crate) fn do_recommit(
		who: T::AccountId,
		model: ModelId,
		index: DelegationIndex,
		term_rounds: RoundIndex,
		terms_version: u32,
	) -> Result<(), DispatchError> {
		let (key, mut d, mut pool) = Self::load(&who, model, index)?;
		ensure!(d.stage == Stage::Active && d.epoch == pool.ledger.epoch, Error::<T>::NotActive);
		let current = Self::current_round();
		ensure!(d.commitments.iter().all(|c| c.end <= current), Error::<T>::Locked);
		ensure!(term_rounds > 0, Error::<T>::ZeroTerm);
		let (version, _, terms) = T::Registry::latest_terms(&model).ok_or(Error::<T>::NoTerms)?;
		ensure!(version == terms_version, Error::<T>::TermsChanged);
		let option = terms.commitment(term_rounds).ok_or(Error::<T>::CommitmentNotOffered)?;
		let (_, complete) =
			Self::settle_fees(&model, &mut pool, &mut d, T::MaxSettlePeriods::get())?;
		ensure!(complete, Error::<T>::SettleFirst);
		let prepaid = maths::prepaid_fee(
			terms.fixed_fee_per_round(d.principal),
			term_rounds,
			option.discount,
		)
		.ok_or(Error::<T>::Overflow)?;
		let floor_before = Self::version_floor(&d);
		let start = current.saturating_add(1);
		let end = current.saturating_add(term_rounds);
		d.commitments
			.try_push(Commitment { start, end, version, discount: option.discount })
			.map_err(|_| Error::<T>::TooManyCommitments)?;
		let floor_after = Self::version_floor(&d);
		if floor_after != floor_before {
			Self::count_version_user(&mut pool, floor_before, false)?;
			Self::count_version_user(&mut pool, floor_after, true)?;
		}
		d.prepaid = add::<T>(d.prepaid, prepaid)?;
		Self::pay_in(&model, &who, prepaid)?;
		Self::credit_owner(&model, &mut pool, prepaid)?;
		Delegations::<T>::insert(&key, d);
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::Recommitted { staker: who, model, index, start, end, prepaid });
		Ok(())
	}

	/// Whether anything in the pool is still owed to or by anyone: positions, the bond, debt,
	/// the owner's fee position or a fee exit not yet withdrawn, what the pool owes the owner,
	/// an exit pot beyond its rounding dust.
	pub(crate) fn has_obligations_in(model: &ModelId, pool: &Pool<T::AccountId>) -> bool {
		pool.delegations > 0
			|| pool.book.is_open()
			|| pool.ledger.owner_shares > 0
			|| pool.ledger.exit_pot > pool.ledger.dust_allowance
			|| FeeExits::<T>::iter_prefix(model).next().is_some()
	}

	/// An owner in debt anywhere takes no value out of any pool: `pool`'s own debt is repaid
	/// from what it pays (`repays`), any other debt must be repaid first.
	fn ensure_no_other_debt(pool: &Pool<T::AccountId>, repays: bool) -> Result<(), Error<T>> {
		let total = Operators::<T>::get(&pool.owner).debt;
		let allowed = if repays { pool.book.debt } else { 0 };
		ensure!(total <= allowed, Error::<T>::InDebt);
		Ok(())
	}

	pub(crate) fn do_bond(
		who: T::AccountId,
		model: ModelId,
		amount: Balance,
	) -> Result<(), DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let owner = T::Registry::owner(&model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(owner == who, Error::<T>::NotOwner);
		let status = T::Registry::status(&model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(status.is_verified(), Error::<T>::ModelNotActive);
		let account = Self::pool_account(&model);
		let deposit = T::Currency::minimum_balance();
		let mut pool = match Pools::<T>::get(model) {
			Some(pool) if pool.owner == who => pool,
			Some(mut pool) => {
				// The model changed hands after its pool emptied: the new owner takes it over.
				ensure!(!Self::has_obligations_in(&model, &pool), Error::<T>::PoolHasObligations);
				Self::pay_in(&model, &who, deposit)?;
				Self::pay_out(&model, &pool.owner, pool.book.account_deposit)?;
				// The oracle follows the model afresh: so does the pool (its dust stays).
				let fresh = Self::new_pool(&model, who.clone(), deposit);
				if let Some((first, count)) = pool.deferred {
					for r in first..first.saturating_add(count) {
						Deferred::<T>::remove(model, r);
					}
				}
				let tracked = pool.tracked_value;
				Operators::<T>::mutate(&pool.owner, |o| o.value = o.value.saturating_sub(tracked));
				Operators::<T>::mutate(&who, |o| o.value = o.value.saturating_add(tracked));
				pool.owner = fresh.owner;
				pool.book.account_deposit = fresh.book.account_deposit;
				pool.recorder.recorded_through = fresh.recorder.recorded_through;
				pool.calendar.next_period_end = fresh.calendar.next_period_end;
				pool.last_finalised = None;
				pool.calendar.last_period_end = None;
				pool.deferred = None;
				pool.under_bonded_since = None;
				pool.last_breach = None;
				pool.watched = fresh.watched;
				pool
			},
			None => {
				Self::pay_in(&model, &who, deposit)?;
				Self::deposit_event(Event::PoolOpened { model, owner: who.clone(), account });
				Self::new_pool(&model, who.clone(), deposit)
			},
		};
		// Repaying debt moves the share price, and ending under-bonding needs the next round's
		// requirement: both only once the opened rounds are recorded. A pool further behind
		// takes the whole amount as bond; the next settlement sees it.
		Self::align_idle(&model, &mut pool);
		Self::skip_unopened(&mut pool);
		Self::fast_forward_idle(&mut pool);
		let current = pool.deferred.is_none()
			&& Self::current_round().saturating_sub(pool.recorder.recorded_through)
				<= INLINE_CATCH_UP;
		if current {
			Self::caught_up(&model, &mut pool)?;
		}
		let repaid = if current { amount.min(pool.book.debt) } else { 0 };
		Self::pay_in(&model, &who, repaid)?;
		Self::repay_into_pool(&model, &mut pool, repaid)?;
		let held = amount - repaid;
		if held > 0 {
			T::Currency::hold(&HoldReason::OwnerBond.into(), &who, held)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			pool.book.add_bond(held).ok_or(Error::<T>::Overflow)?;
		}
		if current {
			Self::check_bond(&model, &mut pool)?;
		}
		let bond = pool.book.bond;
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::Bonded { model, amount, repaid, bond });
		Ok(())
	}

	pub(crate) fn do_unbond(
		who: T::AccountId,
		model: ModelId,
		amount: Balance,
	) -> Result<(), DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let mut pool = Self::owned_pool(&who, &model)?;
		Self::ensure_no_other_debt(&pool, false)?;
		Self::caught_up(&model, &mut pool)?;
		ensure!(amount <= pool.book.bond, Error::<T>::AmountExceedsBond);
		let ratio = Global::<T>::get().protocol.bond_ratio;
		// Every round still to settle, and every one to come, keeps its share of the bond.
		let exposure = Self::projected(&pool)?
			.max(Self::requirement_next(&pool)?)
			.max(Self::open_requirement(&pool));
		let left = pool.book.release_bond(amount, maths::bond_required(ratio, exposure)).map_err(
			|refused| match refused {
				BondRefused::ExceedsBond => Error::<T>::AmountExceedsBond,
				BondRefused::BelowRequirement => Error::<T>::BondBelowRequirement,
			},
		)?;
		T::Currency::release(&HoldReason::OwnerBond.into(), &who, amount, Precision::Exact)?;
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::Unbonded { model, amount, bond: left });
		Ok(())
	}

	pub(crate) fn do_exit_fee_shares(
		who: T::AccountId,
		model: ModelId,
		shares: u128,
	) -> Result<(), DispatchError> {
		ensure!(shares > 0, Error::<T>::ZeroAmount);
		let mut pool = Self::owned_pool(&who, &model)?;
		Self::ensure_no_other_debt(&pool, false)?;
		Self::caught_up(&model, &mut pool)?;
		ensure!(shares <= pool.ledger.owner_shares, Error::<T>::InsufficientFeeShares);
		let last_round = Self::current_round();
		if pool.last_finalised.is_some_and(|l| last_round <= l) {
			// The latest opened round is settled: the shares leave now.
			let amount = pool.ledger.owner_leaves_now(shares).ok_or(Error::<T>::Overflow)?;
			pool.recorder.next_shares = sub::<T>(pool.recorder.next_shares, shares)?;
			Self::pay_out(&model, &who, amount)?;
			Pools::<T>::insert(model, pool);
			Self::deposit_event(Event::FeeSharesExiting { model, shares, last_round });
			Self::deposit_event(Event::FeeExitWithdrawn { model, round: last_round, amount });
			return Ok(());
		}
		let epoch = pool.ledger.epoch;
		pool.recorder.note_record(last_round);
		Cohorts::<T>::try_mutate(model, last_round, |c| -> Result<(), DispatchError> {
			Self::reset_exit_epoch(c, epoch);
			c.exit_shares = add::<T>(c.exit_shares, shares)?;
			Ok(())
		})?;
		FeeExits::<T>::try_mutate(model, last_round, |e| -> Result<(), DispatchError> {
			match e {
				Some(exit) if exit.epoch == epoch => exit.shares = add::<T>(exit.shares, shares)?,
				Some(_) => return Err(Error::<T>::FeeExitPending.into()),
				None => {
					*e = Some(FeeExit { epoch, shares });
					Cohorts::<T>::mutate(model, last_round, |c| {
						c.exit_members = c.exit_members.saturating_add(1)
					});
				},
			}
			Ok(())
		})?;
		pool.ledger.queue_owner_exit(shares).ok_or(Error::<T>::Overflow)?;
		// `last_round` is the current round, which the next round to record follows.
		pool.recorder.next_shares = sub::<T>(pool.recorder.next_shares, shares)?;
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::FeeSharesExiting { model, shares, last_round });
		Ok(())
	}

	pub(crate) fn do_withdraw_fee_exit(
		who: T::AccountId,
		model: ModelId,
		round: RoundIndex,
	) -> Result<(), DispatchError> {
		let mut pool = Self::owned_pool(&who, &model)?;
		Self::ensure_no_other_debt(&pool, true)?;
		Self::caught_up(&model, &mut pool)?;
		let exit = FeeExits::<T>::get(model, round).ok_or(Error::<T>::NoFeeExit)?;
		let (price, via_exit) = Self::release_price(&model, &pool, exit.epoch, round)?;
		let amount = maths::value_of(exit.shares, price).ok_or(Error::<T>::Overflow)?;
		pool.ledger.pay_from_pot(amount).ok_or(Error::<T>::Overflow)?;
		let repaid = amount.min(pool.book.debt);
		Self::repay_into_pool(&model, &mut pool, repaid)?;
		if via_exit {
			Self::exit_member_paid(&model, round);
		}
		Self::pay_out(&model, &who, amount - repaid)?;
		FeeExits::<T>::remove(model, round);
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::FeeExitWithdrawn { model, round, amount });
		Ok(())
	}

	pub(crate) fn do_claim_owner_payable(
		who: T::AccountId,
		model: ModelId,
	) -> Result<(), DispatchError> {
		let mut pool = Self::owned_pool(&who, &model)?;
		let payable = pool.book.payable;
		ensure!(payable > 0, Error::<T>::NothingToClaim);
		Self::ensure_no_other_debt(&pool, true)?;
		Self::caught_up(&model, &mut pool)?;
		let (amount, repaid) = pool.book.take_payable();
		Self::repaid_into_shares(&model, &mut pool, repaid)?;
		Self::pay_out(&model, &who, amount)?;
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::OwnerPaid { model, amount });
		Ok(())
	}

	pub(crate) fn do_catch_up(model: ModelId) -> Result<(), DispatchError> {
		let mut pool = Pools::<T>::get(model).ok_or(Error::<T>::NoPool)?;
		ensure!(
			pool.deferred.is_some() || pool.recorder.recorded_through < Self::current_round(),
			Error::<T>::AlreadyCaughtUp
		);
		Self::process(&model, &mut pool, T::MaxCatchUp::get(), 2)?;
		let recorded_through = pool.recorder.recorded_through;
		let deferred_left = pool.deferred.map_or(0, |(_, n)| n);
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::CaughtUp { model, recorded_through, deferred_left });
		Ok(())
	}
}
