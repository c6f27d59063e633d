//! Pool-level settlement, constant work per round whatever the number of stakers: recording
//! requirements as rounds open, settling a finalised round (activation, return, exit cohort,
//! history), epoch closes, the bond check, and what the pool owes its owner.

use super::*;
use crate::maths::{self, Transfer};
use polkadot_sdk::frame_support::storage::with_storage_layer;
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
			Get,
		},
	},
	sp_runtime::{traits::AccountIdConversion, DispatchError},
};

/// `a + b`, or `Overflow`.
pub(crate) fn add<T: Config>(a: u128, b: u128) -> Result<u128, Error<T>> {
	a.checked_add(b).ok_or(Error::<T>::Overflow)
}

/// `a - b`, or `Overflow` (a broken book: `try_state` would show which).
pub(crate) fn sub<T: Config>(a: u128, b: u128) -> Result<u128, Error<T>> {
	a.checked_sub(b).ok_or(Error::<T>::Overflow)
}

impl<T: Config> Pallet<T> {
	/// The account holding `model`'s pool.
	pub fn pool_account(model: &ModelId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(model)
	}

	/// The latest opened round (this pallet's copy of the oracle's clock).
	pub(crate) fn current_round() -> RoundIndex {
		Global::<T>::get().clock.latest
	}

	/// A new pool of `model` for `owner`, recording from the current round on.
	pub(crate) fn new_pool(
		model: &ModelId,
		owner: T::AccountId,
		account_deposit: Balance,
	) -> Pool<T::AccountId> {
		let global = Global::<T>::get();
		let current = global.clock.latest;
		let period = global.protocol.fee_period;
		Pool {
			owner,
			ledger: ShareLedger::new(),
			book: OwnerBook { account_deposit, ..Default::default() },
			joins: JoinQueue::default(),
			principal: 0,
			tracked_value: 0,
			recorder: RoundRecorder::through(current),
			last_finalised: None,
			deferred: None,
			calendar: FeeCalendar::starting(current.saturating_add(1), period),
			under_bonded_since: None,
			last_breach: None,
			next_index: 0,
			delegations: 0,
			version_users: Default::default(),
			history_from: current.saturating_add(1),
			watched: T::Rounds::watches(model),
		}
	}

	/// What the owner must stake on Numerai for round `recorded_through + 1`: the value of the
	/// shares exposed to it at today's price plus the principal queued to activate by it.
	/// Rounding dust (shares nobody holds) alone is no one's exposure and never a requirement.
	pub fn requirement_next(pool: &Pool<T::AccountId>) -> Result<Balance, DispatchError> {
		let shares = maths::value_of(Self::exposed_shares(pool), pool.ledger.price)
			.ok_or(Error::<T>::Overflow)?;
		Ok(add::<T>(shares, pool.recorder.next_principal)?)
	}

	/// The shares exposed to the next round to record; none if they are only rounding dust
	/// (while positions hold shares the dust moves with them, so that no requirement depends
	/// on when members take their shares).
	fn exposed_shares(pool: &Pool<T::AccountId>) -> u128 {
		if pool.recorder.next_shares == pool.ledger.dust_shares {
			0
		} else {
			pool.recorder.next_shares
		}
	}

	/// Every planck still exposed to a round after the next one to record, at most: the shares
	/// exposed to the next round (including committed exits that leave later) and all queued
	/// principal (including what leaves before activation, until it leaves), but not rounding
	/// dust alone. Capacity, the bond a join needs, unbonding and concentration are checked
	/// against it, so that a join can never push a later round's requirement past them.
	pub fn projected(pool: &Pool<T::AccountId>) -> Result<Balance, DispatchError> {
		let shares = maths::value_of(Self::exposed_shares(pool), pool.ledger.price)
			.ok_or(Error::<T>::Overflow)?;
		Ok(add::<T>(shares, pool.joins.queued)?)
	}

	/// Whether nothing in the pool is exposed to a round or waits for one: no positions,
	/// nothing queued, no exit cohort, no deferred result; only rounding dust holds shares.
	pub(crate) fn is_idle(pool: &Pool<T::AccountId>) -> bool {
		pool.delegations == 0 && Self::nothing_exposed(pool) && pool.deferred.is_none()
	}

	/// Whether nothing is queued and only rounding dust holds shares: no round to come has
	/// anything exposed to it.
	fn nothing_exposed(pool: &Pool<T::AccountId>) -> bool {
		pool.joins.is_empty() && pool.ledger.shares == pool.ledger.dust_shares
	}

	/// The next round the pool settles: after its deferred results, or after its last settled
	/// round (`None`: a new pool that has settled nothing).
	pub fn next_to_settle(pool: &Pool<T::AccountId>) -> Option<RoundIndex> {
		match (pool.deferred, pool.last_finalised) {
			(Some((first, count)), _) => Some(first.saturating_add(count)),
			(None, Some(last)) => Some(last.saturating_add(1)),
			(None, None) => None,
		}
	}

	/// An idle pool follows the oracle: after an unwatch and a re-watch, a re-registration, or
	/// a watch from a later round, the oracle finalises the model from another round than the
	/// pool last expected, and an idle pool restarts there (a pool with anything exposed is
	/// always watched, and the oracle never moves a watched model's next round).
	pub(crate) fn align_idle(model: &ModelId, pool: &mut Pool<T::AccountId>) {
		Self::align_idle_at(model, pool, T::Rounds::next_result(model));
	}

	/// [`Self::align_idle`] with the oracle's next round for the model given (`None`: none
	/// known yet). The oracle's watch hook calls it with the round it will finalise first, so
	/// that a call on the pool needs no read from the oracle.
	pub(crate) fn align_idle_at(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		next: Option<RoundIndex>,
	) {
		if !Self::is_idle(pool) {
			return;
		}
		if let Some(next) = next {
			if Self::next_to_settle(pool) != Some(next) {
				Self::restart_at(model, pool, next);
			}
		}
	}

	/// Makes an idle pool expect round `next` next. Whatever its round records recorded is no
	/// longer exposed, so the requirement of every recorded round is reset to what activates
	/// from now on. (An idle pool writes no records; the only ones it can hold are requirements
	/// recorded before an epoch close paid their shares out. Those of rounds before `next` are
	/// never read again; `try_state` allows them.)
	fn restart_at(model: &ModelId, pool: &mut Pool<T::AccountId>, next: RoundIndex) {
		if let Some(expected) = Self::next_to_settle(pool) {
			pool.recorder.skip_to(expected, next);
		}
		pool.last_finalised = next.checked_sub(1);
		pool.history_from = pool.history_from.min(next);
		pool.recorder.reset_from(next);
		let period = Global::<T>::get().protocol.fee_period;
		pool.calendar.next_period_end = maths::period_end_from(next, period);
		Self::deposit_event(Event::PoolRestarted { model: *model, next_round: next });
	}

	/// A pool with nothing exposed to any future round (nothing queued, only dust in shares)
	/// records every opened round at once: each one's requirement is zero.
	pub(crate) fn fast_forward_idle(pool: &mut Pool<T::AccountId>) {
		if Self::nothing_exposed(pool) {
			let current = Self::current_round();
			if pool.recorder.recorded_through < current {
				pool.recorder.recorded_through = current;
				pool.recorder.next_shares = pool.ledger.live_shares;
				pool.recorder.next_principal = 0;
			}
		}
	}

	/// Drops an exit cohort's shares and members of a closed epoch (those positions are paid at
	/// the epoch's close price) before the current epoch uses the record.
	pub(crate) fn reset_exit_epoch(cohort: &mut RoundCohort, epoch: u32) {
		if cohort.exit_epoch != epoch {
			cohort.exit_shares = 0;
			cohort.exit_members = 0;
			cohort.exit_epoch = epoch;
		}
	}

	/// Records the requirement of the next round if it has opened; `false` when none has.
	/// The state is unchanged since the round opened (every change first records), so this is
	/// the requirement at the moment it opened.
	pub(crate) fn record_next_round(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
	) -> Result<bool, DispatchError> {
		if pool.recorder.recorded_through >= Self::current_round() {
			return Ok(false);
		}
		Self::skip_unopened(pool);
		Self::fast_forward_idle(pool);
		if pool.recorder.recorded_through >= Self::current_round() {
			return Ok(true);
		}
		let n = pool.recorder.recorded_through.saturating_add(1);
		let mut cohort = Cohorts::<T>::get(model, n);
		let req = Self::requirement_next(pool)?;
		cohort.req = Some(req);
		pool.recorder.note_open_req(n, req);
		// Round n + 1 loses what leaves after n and gains the cohort activating at n + 1.
		if cohort.exit_epoch == pool.ledger.epoch {
			pool.recorder.next_shares = sub::<T>(pool.recorder.next_shares, cohort.exit_shares)?;
		}
		pool.recorder.next_principal =
			sub::<T>(pool.recorder.next_principal, cohort.exit_principal)?;
		pool.recorder.next_principal =
			add::<T>(pool.recorder.next_principal, pool.joins.principal_at(n.saturating_add(1)))?;
		// A round nothing is exposed to and nothing leaves at needs no record.
		if cohort != (RoundCohort { req: Some(0), ..Default::default() }) {
			Cohorts::<T>::insert(model, n, cohort);
			pool.recorder.note_record(n);
		}
		pool.recorder.recorded_through = n;
		Ok(true)
	}

	/// Rounds before the chain's first never open here: a pool opened before the oracle reported
	/// any round starts recording at the first (it has nothing queued: joins wait for it).
	pub(crate) fn skip_unopened(pool: &mut Pool<T::AccountId>) {
		// Only a pool more than one round behind can have unopened rounds to skip.
		if pool.recorder.recorded_through.saturating_add(1) >= Self::current_round() {
			return;
		}
		// Nor can one with joins queued, or one that ever settled a round (the first or later):
		// only the others need the oracle's first round read.
		if !pool.joins.is_empty() || pool.last_finalised.is_some() {
			return;
		}
		if let Some(first) = Global::<T>::get().clock.first {
			if pool.recorder.recorded_through.saturating_add(1) < first {
				pool.recorder.recorded_through = first.saturating_sub(1);
			}
		}
	}

	/// For a call that changes the pool: records the rounds opened since the last touch (at
	/// most [`INLINE_CATCH_UP`]); returns how many. Refuses while results wait.
	pub(crate) fn caught_up(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
	) -> Result<u32, DispatchError> {
		ensure!(pool.deferred.is_none(), Error::<T>::CatchUpRequired);
		// An idle pool follows the oracle: its watch hook and `bond` aligned it, but for a pool
		// bonded before the chain's first round opened (its model watched from that round),
		// which settled nothing yet: the oracle's next result for it is the first round.
		if pool.watched && pool.last_finalised.is_none() {
			Self::align_idle_at(model, pool, Global::<T>::get().clock.first);
		}
		Self::skip_unopened(pool);
		Self::fast_forward_idle(pool);
		let gap = Self::current_round().saturating_sub(pool.recorder.recorded_through);
		ensure!(gap <= INLINE_CATCH_UP, Error::<T>::CatchUpRequired);
		for _ in 0..gap {
			Self::record_next_round(model, pool)?;
		}
		Ok(gap)
	}

	/// Records up to `records` opened rounds, then, once caught up, applies up to `applies`
	/// deferred results in order. Returns what it did.
	pub(crate) fn process(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		records: u32,
		applies: u32,
	) -> Result<(u32, u32), DispatchError> {
		let mut recorded = 0;
		while recorded < records && Self::record_next_round(model, pool)? {
			recorded += 1;
		}
		let mut applied = 0;
		while applied < applies && pool.recorder.recorded_through >= Self::current_round() {
			let Some((round, count)) = pool.deferred else { break };
			let result = Deferred::<T>::take(model, round).unwrap_or(RoundReturn::NotSubmitted);
			pool.deferred = (count > 1).then(|| (round.saturating_add(1), count - 1));
			Self::settle_or_skip(model, pool, round, result)?;
			applied += 1;
		}
		Ok((recorded, applied))
	}

	/// The oracle finalised `model`'s round `round`. Settles it now, or, if the pool is further
	/// behind the opened rounds than one call may record, keeps it until `catch_up`.
	pub(crate) fn on_finalized(
		model: &ModelId,
		round: RoundIndex,
		result: RoundReturn,
	) -> Result<(), DispatchError> {
		let Some(mut pool) = Pools::<T>::get(model) else { return Ok(()) };
		// The oracle finalises each model's rounds once, in order. An idle pool takes whatever
		// round it finalises next; a pool with anything exposed expects exactly its next one
		// (it is always watched, and the oracle never moves a watched model's next round).
		if Self::is_idle(&pool) && Self::next_to_settle(&pool).is_some_and(|e| e != round) {
			Self::restart_at(model, &mut pool, round);
		}
		if Self::next_to_settle(&pool).is_some_and(|e| e != round) {
			log::error!(target: "numerstake::delegation", "round {round} of {model:?} finalised out of order; ignored");
			Self::deposit_event(Event::ResultIgnored { model: *model, round });
			return Ok(());
		}
		Self::skip_unopened(&mut pool);
		Self::fast_forward_idle(&mut pool);
		let gap = Self::current_round().saturating_sub(pool.recorder.recorded_through);
		if pool.deferred.is_some() || gap > T::MaxCatchUp::get() {
			Self::defer(model, &mut pool, round, result);
			Self::process(model, &mut pool, T::MaxCatchUp::get(), 2)?;
		} else {
			Self::process(model, &mut pool, gap, 0)?;
			Self::settle_or_skip(model, &mut pool, round, result)?;
		}
		Pools::<T>::insert(model, pool);
		Ok(())
	}

	/// Settles a round; if its result cannot be applied (an error no real amount should reach),
	/// says so (`SettlementFailed`) and settles it as not submitted instead, which moves no
	/// money: cohorts still activate and exits still leave, so the pool never freezes. Settling
	/// a round as not submitted fails only on books that `try_state` would show broken.
	pub(crate) fn settle_or_skip(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		round: RoundIndex,
		result: RoundReturn,
	) -> Result<(), DispatchError> {
		let attempt = with_storage_layer(|| {
			let mut p = pool.clone();
			Self::settle_round(model, &mut p, round, result).map(|()| p)
		});
		match attempt {
			Ok(p) => *pool = p,
			Err(error) if result != RoundReturn::NotSubmitted => {
				log::error!(target: "numerstake::delegation", "round {round} of {model:?} cannot be applied ({error:?}); settled as not submitted");
				Self::deposit_event(Event::SettlementFailed { model: *model, round, error });
				Self::settle_round(model, pool, round, RoundReturn::NotSubmitted)?;
			},
			Err(error) => return Err(error),
		}
		Ok(())
	}

	/// Keeps a finalised result for later, in order.
	pub(crate) fn defer(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		round: RoundIndex,
		result: RoundReturn,
	) {
		Deferred::<T>::insert(model, round, result);
		pool.deferred = Some(match pool.deferred {
			Some((first, count)) => (first, count.saturating_add(1)),
			None => (round, 1),
		});
		Self::deposit_event(Event::SettlementDeferred { model: *model, round });
	}

	/// The most any round recorded but not yet settled still requires. A pool with nothing but
	/// rounding dust left owes no open round anything (such a round settles with a requirement
	/// of 0).
	pub fn open_requirement(pool: &Pool<T::AccountId>) -> Balance {
		if Self::nothing_exposed(pool) {
			return 0;
		}
		pool.recorder.open_requirement()
	}

	/// Settles a finalised round of the pool (which has recorded every opened round): activate
	/// the round's cohort, apply its return, burn its exit cohort into the exit pot, record it.
	pub(crate) fn settle_round(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		round: RoundIndex,
		result: RoundReturn,
	) -> Result<(), DispatchError> {
		let protocol = Global::<T>::get().protocol;
		let reset = pool.recorder.in_reset(round);
		let recorded = Cohorts::<T>::get(model, round).req.unwrap_or(0);
		let epoch = pool.ledger.epoch;
		let price_before = pool.ledger.price;
		let period_end = pool.calendar.period_of(round, protocol.fee_period);

		// 1. The cohort whose first round this is joins at the current price.
		let activated = Self::activate(model, pool, round, period_end)?;
		// After a close, what was recorded for this round counted shares no longer exposed:
		// what is exposed is exactly the principal activated since (less what left).
		// Only rounding dust left: whatever the round recorded (shares that have left since),
		// no one is exposed to it.
		let req = if pool.ledger.shares == pool.ledger.dust_shares {
			0
		} else if reset {
			pool.recorder.reset_exposed
		} else {
			recorded
		};

		// 2. What the delegated stake earned or lost on Numerai.
		#[cfg(test)]
		if crate::mock::FailReturn::get() == Some(round) && result != RoundReturn::NotSubmitted {
			return Err(Error::<T>::Overflow.into());
		}
		let (submitted, at_risk, (transfer, breach)) = match result {
			RoundReturn::NotSubmitted => (false, 0, (Transfer::None, false)),
			RoundReturn::Resolved { at_risk, payout } => {
				(at_risk > 0, at_risk, maths::round_transfer(payout, at_risk, req))
			},
		};
		if breach {
			T::Registry::note_backing_breach(model, round);
			Self::deposit_event(Event::BackingBreach {
				model: *model,
				round,
				requirement: req,
				at_risk,
			});
		}
		if breach {
			Self::note_breach(pool, round, Freed::BackingBreach);
		} else if !submitted && req > 0 {
			// Nothing backed the delegated stake this round: commitments no longer bind.
			Self::note_breach(pool, round, Freed::BackingBreach);
		}
		let moved: i128 = match transfer {
			Transfer::Gain(g) => Self::pay_gain(model, pool, round, g)? as i128,
			Transfer::Loss(l) => -(Self::take_loss(model, pool, l)? as i128),
			Transfer::None => 0,
		};

		// 3. The exit cohort leaves at the new price.
		let cohort = Cohorts::<T>::take(model, round);
		let mut exited = 0;
		if cohort.exit_epoch == pool.ledger.epoch {
			exited = pool.ledger.burn_exits(cohort.exit_shares).ok_or(Error::<T>::Overflow)?;
			if cohort.exit_members > 0 {
				Exits::<T>::insert(
					model,
					round,
					ExitRecord {
						epoch: pool.ledger.epoch,
						price: pool.ledger.price,
						members: cohort.exit_members,
					},
				);
			}
		}
		if cohort.exit_principal > 0 {
			log::error!(target: "numerstake::delegation", "exit principal of round {round} left unconverted");
		}
		pool.recorder.settled(round);
		if reset {
			if cohort.reset_epoch == pool.ledger.epoch {
				pool.recorder.reset_exposed =
					pool.recorder.reset_exposed.saturating_sub(cohort.reset_exit);
			}
			if pool.recorder.reset_through == Some(round) {
				pool.recorder.reset_through = None;
				pool.recorder.reset_exposed = 0;
			}
		}

		// 4. History: price, served counter, the fee calendar.
		let served = submitted && !breach;
		let calendar = pool.calendar.settled(round, served, protocol.fee_period);
		History::<T>::insert(
			model,
			round,
			RoundRecord {
				price_before,
				price_after: pool.ledger.price,
				epoch,
				served_total: calendar.served_total,
				served,
				period_end,
				next_end: calendar.next_end,
			},
		);
		// Records a restart skipped are never settled: two go each round.
		for stale in pool.recorder.take_stale(2) {
			Cohorts::<T>::remove(model, stale);
		}
		// Keep the latest `HistoryDepth` rounds; two a round, so that pruning catches up after
		// a restart skipped rounds.
		let keep_from = round.saturating_add(1).saturating_sub(T::HistoryDepth::get());
		for _ in 0..2 {
			if pool.history_from >= keep_from {
				break;
			}
			History::<T>::remove(model, pool.history_from);
			pool.history_from = pool.history_from.saturating_add(1);
		}
		pool.last_finalised = Some(round);
		Self::deposit_event(Event::RoundSettled {
			model: *model,
			round,
			requirement: req,
			activated,
			transfer: moved,
			exited,
			price: pool.ledger.price,
			shares: pool.ledger.shares,
			served,
		});

		// A wiped-out pool pays its shares out and starts a new epoch; one whose last shares
		// just left at a price below the floor simply starts again at 1 (nothing is left to
		// pay out, and no cohort can activate at a price of 0).
		if pool.ledger.wiped_out() {
			Self::close_epoch(model, pool, round)?;
		}
		pool.ledger.restart_price_if_empty();
		Self::check_bond(model, pool)?;
		Self::update_tracked(pool)
	}

	/// Activates the cohort of `round` at the current price; returns its principal.
	fn activate(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		round: RoundIndex,
		period_end: RoundIndex,
	) -> Result<Balance, DispatchError> {
		let Some(act) = pool.joins.activate(round).map_err(Error::<T>::from)? else {
			return Ok(0);
		};
		let n = pool.recorder.recorded_through.saturating_add(1);
		let price = pool.ledger.price;
		let epoch = pool.ledger.epoch;
		let reset = pool.recorder.in_reset(round);
		if reset {
			pool.recorder.reset_exposed = add::<T>(pool.recorder.reset_exposed, act.principal)?;
		}
		// Principal already out of round n's exposure: exits after rounds before n.
		let mut left_before_n: Balance = 0;
		if act.exiting > 0 {
			for (last, principal, members) in PreExits::<T>::take(model, round) {
				let shares = pool.ledger.mint_exiting(principal).ok_or(Error::<T>::Overflow)?;
				let leaves_reset = reset && pool.recorder.in_reset(last);
				pool.recorder.note_record(last);
				Cohorts::<T>::try_mutate(model, last, |c| -> Result<(), DispatchError> {
					Self::reset_exit_epoch(c, epoch);
					c.exit_principal = sub::<T>(c.exit_principal, principal)?;
					c.exit_shares = add::<T>(c.exit_shares, shares)?;
					c.exit_members = c.exit_members.saturating_add(members);
					if leaves_reset {
						if c.reset_epoch != epoch {
							c.reset_epoch = epoch;
							c.reset_exit = 0;
						}
						c.reset_exit = add::<T>(c.reset_exit, principal)?;
					}
					Ok(())
				})?;
				if last < n {
					left_before_n = add::<T>(left_before_n, principal)?;
				} else {
					pool.recorder.next_shares = add::<T>(pool.recorder.next_shares, shares)?;
				}
			}
		}
		let staying = sub::<T>(act.principal, act.exiting)?;
		// Members' own shares are floors of their principal; what is left over stays in the
		// pool (dust).
		let shares = pool.ledger.mint_live(staying, act.members).ok_or(Error::<T>::Overflow)?;
		pool.recorder.next_shares = add::<T>(pool.recorder.next_shares, shares)?;
		pool.recorder.next_principal =
			sub::<T>(pool.recorder.next_principal, sub::<T>(act.principal, left_before_n)?)?;
		Activations::<T>::insert(
			model,
			round,
			Activation {
				epoch,
				price,
				served_before: pool.calendar.served_rounds,
				period_end,
				shares,
				members: act.members.saturating_sub(act.exiting_members),
				exit_members: act.exiting_members,
			},
		);
		// The term is bought: prepaid fees are the owner's now.
		Self::credit_owner(model, pool, act.prepaid)?;
		Ok(act.principal)
	}

	/// Pays a gain from the owner's bond into the pool (what it cannot pay is debt); returns
	/// what was paid.
	fn pay_gain(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		round: RoundIndex,
		gain: Balance,
	) -> Result<Balance, DispatchError> {
		let gain = gain.min(pool.ledger.gain_room());
		let want = gain.min(pool.book.bond);
		let paid = if want > 0 {
			T::Currency::transfer_on_hold(
				&HoldReason::OwnerBond.into(),
				&pool.owner,
				&Self::pool_account(model),
				want,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Polite,
			)
			.unwrap_or_else(|e| {
				log::error!(target: "numerstake::delegation", "bond transfer failed: {e:?}");
				0
			})
		} else {
			0
		};
		let unpaid = pool.book.cover_gain(gain, paid).ok_or(Error::<T>::Overflow)?;
		if unpaid > 0 {
			Operators::<T>::mutate(&pool.owner, |o| o.debt = o.debt.saturating_add(unpaid));
			Self::deposit_event(Event::OwnerDebtIncurred {
				model: *model,
				round,
				unpaid,
				debt: pool.book.debt,
			});
		}
		pool.ledger.apply_gain(paid).ok_or(Error::<T>::Overflow)?;
		Ok(paid)
	}

	/// Moves a loss out of the stakers' value to the owner (whose Numerai stake took the burn),
	/// netting the owner's debt first; returns the loss taken.
	fn take_loss(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		loss: Balance,
	) -> Result<Balance, DispatchError> {
		let value = pool.ledger.value(pool.ledger.shares).ok_or(Error::<T>::Overflow)?;
		let loss = loss.min(value);
		// What repays debt stays in the shares' value (it was owed to them).
		let repaid = pool.book.repay(loss);
		let net = loss - repaid;
		pool.ledger.apply_loss(net).ok_or(Error::<T>::Overflow)?;
		pool.book.credit(net).ok_or(Error::<T>::Overflow)?;
		Self::debt_repaid(model, pool, repaid);
		Ok(loss)
	}

	/// The owner's debt across pools and the event follow `repaid` planck of `pool`'s debt
	/// repaid (the book already recorded it).
	fn debt_repaid(model: &ModelId, pool: &Pool<T::AccountId>, repaid: Balance) {
		if repaid == 0 {
			return;
		}
		Operators::<T>::mutate(&pool.owner, |o| o.debt = o.debt.saturating_sub(repaid));
		Self::deposit_event(Event::DebtRepaid {
			model: *model,
			amount: repaid,
			debt: pool.book.debt,
		});
	}

	/// `amount` planck already in the pool account (outside the shares' value) go into the
	/// shares' value to repay debt: the price rises for every share in the pool then. With no
	/// staker's shares left (only the owner's fee position and rounding dust), the planck stay
	/// as dust: the stakers the gain was owed to have left, and the owner must not get the
	/// repayment back through the fee position. The price never passes
	/// [`maths::PRICE_CEILING`] (what would stays as dust too).
	pub(crate) fn repay_into_pool(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		amount: Balance,
	) -> Result<(), DispatchError> {
		let repaid = pool.book.repay(amount);
		Self::repaid_into_shares(model, pool, repaid)
	}

	/// `repaid` planck of debt the owner's book already recorded as repaid go into the shares'
	/// value ([`ShareLedger::repay`]).
	pub(crate) fn repaid_into_shares(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		repaid: Balance,
	) -> Result<(), DispatchError> {
		pool.ledger.repay(repaid).ok_or(Error::<T>::Overflow)?;
		Self::debt_repaid(model, pool, repaid);
		Ok(())
	}

	/// Credits the owner with `amount` planck held by the pool outside the shares' value
	/// (prepaid fees, fee exits): debt is repaid first, the rest is the owner's to claim.
	pub(crate) fn credit_owner(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		amount: Balance,
	) -> Result<(), DispatchError> {
		let repaid = pool.book.credit(amount).ok_or(Error::<T>::Overflow)?;
		Self::repaid_into_shares(model, pool, repaid)
	}

	/// Closes a wiped-out epoch: the value of all its shares goes to the exit pot (the owner's
	/// fee position to the owner), and the price restarts at 1 for new cohorts.
	fn close_epoch(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		round: RoundIndex,
	) -> Result<(), DispatchError> {
		let closed = pool.ledger.close().ok_or(Error::<T>::Overflow)?;
		EpochCloses::<T>::insert(model, closed.epoch, EpochClose { round, price: closed.price });
		Self::deposit_event(Event::EpochClosed {
			model: *model,
			epoch: closed.epoch,
			round,
			price: closed.price,
			paid_out: closed.total,
		});
		pool.recorder.next_shares = 0;
		// Rounds opened before the close were recorded with the shares just paid out.
		pool.recorder.reset_from(round.saturating_add(1));
		Self::credit_owner(model, pool, closed.owner_part)
	}

	/// Marks commitments freed from `round` on.
	pub(crate) fn note_breach(pool: &mut Pool<T::AccountId>, round: RoundIndex, why: Freed) {
		if pool.last_breach.is_none_or(|(r, _)| r <= round) {
			pool.last_breach = Some((round, why));
		}
	}

	/// The bond against the next round's requirement: under-bonded models take no new
	/// delegations; past the grace rounds their commitments no longer bind.
	pub(crate) fn check_bond(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
	) -> Result<(), DispatchError> {
		let protocol = Global::<T>::get().protocol;
		let current = Self::current_round();
		let required = maths::bond_required(protocol.bond_ratio, Self::requirement_next(pool)?);
		if pool.book.bond < required {
			if pool.under_bonded_since.is_none() {
				pool.under_bonded_since = Some(current);
				let _ = T::Registry::set_under_bonded(model, true);
				Self::deposit_event(Event::UnderBonded {
					model: *model,
					bond: pool.book.bond,
					required,
				});
			}
			Self::note_grace(pool, protocol.grace_rounds, current);
		} else if pool.under_bonded_since.is_some() {
			Self::note_grace(pool, protocol.grace_rounds, current);
			pool.under_bonded_since = None;
			let _ = T::Registry::set_under_bonded(model, false);
			Self::deposit_event(Event::BondRestored { model: *model });
		}
		Ok(())
	}

	/// Under-bonded past the grace rounds frees commitments from the round the grace ended.
	pub(crate) fn note_grace(
		pool: &mut Pool<T::AccountId>,
		grace: RoundIndex,
		current: RoundIndex,
	) {
		if let Some(since) = pool.under_bonded_since {
			let freed_at = since.saturating_add(grace);
			if current >= freed_at {
				Self::note_breach(pool, freed_at, Freed::UnderBonded);
			}
		}
	}

	/// Brings the chain's and the owner's concentration totals up to the pool's live value.
	pub(crate) fn update_tracked(pool: &mut Pool<T::AccountId>) -> Result<(), DispatchError> {
		let value = maths::value_of(pool.ledger.live_shares, pool.ledger.price)
			.ok_or(Error::<T>::Overflow)?;
		let old = pool.tracked_value;
		if value != old {
			Global::<T>::mutate(|g| {
				g.total_value = g.total_value.saturating_sub(old).saturating_add(value)
			});
			Operators::<T>::mutate(&pool.owner, |o| {
				o.value = o.value.saturating_sub(old).saturating_add(value)
			});
			pool.tracked_value = value;
		}
		Ok(())
	}
}
