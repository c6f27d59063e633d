//! Per-delegation fees, settled lazily from the pool's recorded history: at the end of each fee
//! period (and at the round a delegation leaves), a fixed fee per served round for the rounds
//! not prepaid by a commitment, at the terms in force in each round, and a performance fee on
//! the share price's rise above the delegation's high-water mark. Both are taken in shares at
//! the period-end price. Every figure comes from stored history, so the result does not depend
//! on when anyone settles.

use super::*;
use crate::{maths, pool::add};
use alloc::vec::Vec;
use numerstake_primitives::terms::Terms;
use polkadot_sdk::sp_runtime::{DispatchError, Permill};

/// How far a delegation's fees are due, and whether that is its last settlement.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct FeeTarget {
	/// Fees are due through this round.
	pub through: RoundIndex,
	/// It is the round the delegation leaves at (its exit round or its epoch's close):
	/// crystallise there even if it is not a period end.
	pub last: bool,
	/// The position no longer holds shares in the pool (exiting or paid out by an epoch close):
	/// fees are owed from its exiting shares rather than moved.
	pub leaving: bool,
}

/// The rolling discount of a terms version: its term-0 option's.
fn rolling_discount(terms: &Terms<Balance>) -> Permill {
	terms.commitment(0).map_or(Permill::zero(), |c| c.discount)
}

impl<T: Config> Pallet<T> {
	/// The oldest terms version `d` may still need.
	pub(crate) fn version_floor(d: &Delegation) -> u32 {
		d.commitments.iter().map(|c| c.version).fold(d.terms_version, u32::min)
	}

	/// Counts a delegation as a user of `version` (or, with `add == false`, no longer).
	pub(crate) fn count_version_user(
		pool: &mut Pool<T::AccountId>,
		version: u32,
		add: bool,
	) -> Result<(), DispatchError> {
		match pool.version_users.iter().position(|(v, _)| *v == version) {
			Some(i) => {
				if add {
					pool.version_users[i].1 = pool.version_users[i].1.saturating_add(1);
				} else {
					pool.version_users[i].1 = pool.version_users[i].1.saturating_sub(1);
					if pool.version_users[i].1 == 0 {
						pool.version_users.remove(i);
					}
				}
			},
			None if add => {
				let at = pool
					.version_users
					.iter()
					.position(|(v, _)| *v > version)
					.unwrap_or(pool.version_users.len());
				pool.version_users
					.try_insert(at, (version, 1))
					.map_err(|_| Error::<T>::TooManyVersionsInUse)?;
			},
			None => {},
		}
		Ok(())
	}

	/// Where `d`'s fees are due to; `None` before it holds shares.
	pub(crate) fn fee_target(
		model: &ModelId,
		pool: &Pool<T::AccountId>,
		d: &Delegation,
	) -> Option<FeeTarget> {
		let last = pool.last_finalised?;
		let closed =
			(d.epoch < pool.ledger.epoch).then(|| EpochCloses::<T>::get(model, d.epoch)).flatten();
		match (d.stage, closed) {
			(Stage::Queued | Stage::QueuedExit { .. }, _) => None,
			(Stage::Exiting { last_round }, close)
				if close.is_none_or(|c| last_round <= c.round) =>
			{
				Some(if last_round <= last {
					FeeTarget { through: last_round, last: true, leaving: true }
				} else {
					FeeTarget { through: last, last: false, leaving: true }
				})
			},
			(_, Some(close)) => Some(FeeTarget { through: close.round, last: true, leaving: true }),
			(Stage::Active, None) => Some(FeeTarget { through: last, last: false, leaving: false }),
			(Stage::Exiting { .. }, None) => None,
		}
	}

	/// Settles up to `max_periods` of `d`'s fee periods; returns how many it walked and whether
	/// nothing more is due now. Fees of a position still in the pool move to the owner's fee
	/// position; a leaving position owes them from its exiting shares.
	pub(crate) fn settle_fees(
		model: &ModelId,
		pool: &mut Pool<T::AccountId>,
		d: &mut Delegation,
		max_periods: u32,
	) -> Result<(u32, bool), DispatchError> {
		let Some(target) = Self::fee_target(model, pool, d) else { return Ok((0, true)) };
		let floor_before = Self::version_floor(d);
		let mut walked = 0;
		let complete = loop {
			if d.fees_through >= target.through {
				break true;
			}
			if walked >= max_periods {
				break false;
			}
			let period_end = d.next_fee_round;
			let end = if period_end <= target.through {
				period_end
			} else if target.last {
				target.through
			} else {
				break true;
			};
			match History::<T>::get(model, end) {
				Some(record) => {
					let fee_shares = Self::crystallise(model, d, end, &record)?;
					if end == period_end {
						d.next_fee_round = record.next_end;
					}
					if target.leaving {
						d.exit_fee_shares = add::<T>(d.exit_fee_shares, fee_shares)?;
					} else {
						d.shares = d.shares.saturating_sub(fee_shares);
						pool.ledger.to_owner(fee_shares).ok_or(Error::<T>::Overflow)?;
					}
				},
				None => Self::waive(model, pool, d, target)?,
			}
			walked += 1;
		};
		let floor_after = Self::version_floor(d);
		if floor_after != floor_before {
			Self::count_version_user(pool, floor_before, false)?;
			Self::count_version_user(pool, floor_after, true)?;
		}
		Ok((walked, complete))
	}

	/// The history a settlement needs is older than [`Config::HistoryDepth`]: the fees of the
	/// lost span are waived (in the staker's favour) and settlement resumes at the latest period
	/// end, or, for a leaving position, ends.
	fn waive(
		model: &ModelId,
		pool: &Pool<T::AccountId>,
		d: &mut Delegation,
		target: FeeTarget,
	) -> Result<(), DispatchError> {
		let resume = pool
			.calendar
			.last_period_end
			.filter(|lpe| !target.last && *lpe > d.fees_through)
			.and_then(|lpe| History::<T>::get(model, lpe).map(|r| (lpe, r)));
		match resume {
			Some((lpe, record)) if record.epoch == d.epoch => {
				d.fees_through = lpe;
				d.served_through = record.served_total;
				d.next_fee_round = record.next_end;
				d.hwm = d.hwm.max(record.price_after);
				while let Some((effective, _)) =
					T::Registry::terms_version(model, d.terms_version.saturating_add(1))
				{
					if effective > lpe {
						break;
					}
					d.terms_version = d.terms_version.saturating_add(1);
				}
			},
			_ => d.fees_through = target.through,
		}
		d.commitments.retain(|c| c.end > d.fees_through);
		Ok(())
	}

	/// The fees of `d` for rounds `fees_through + 1 ..= end`, crystallised at `end` with the
	/// pool's record of that round, in shares (at most what `d` holds). Advances `d`'s cursors.
	///
	/// The rounds split into runs at each change of terms version (for rolling rounds) and at
	/// each commitment's start and end. Each run pays the fixed fee of its served rounds (unless
	/// prepaid) at its own terms, and the performance fee at its own rate on its part of the
	/// period's rise above the high-water mark ([`maths::split_rise`]).
	pub(crate) fn crystallise(
		model: &ModelId,
		d: &mut Delegation,
		end: RoundIndex,
		record: &RoundRecord,
	) -> Result<u128, DispatchError> {
		let principal = d.principal;
		let terms_of =
			|v: u32| T::Registry::terms_version(model, v).ok_or(Error::<T>::TermsVersionMissing);
		let mut version = d.terms_version;
		let mut terms = terms_of(version)?.1;
		let mut next = T::Registry::terms_version(model, version.saturating_add(1));
		let mut fixed: Balance = 0;
		let mut from = d.fees_through;
		let mut served_from = d.served_through;
		// Each run's performance-fee rate and the share price after it.
		let mut runs: Vec<(Permill, u128)> = Vec::new();
		while from < end {
			// The version in force at round `from + 1`.
			while let Some((effective, t)) = next.take() {
				if effective > from.saturating_add(1) {
					next = Some((effective, t));
					break;
				}
				version = version.saturating_add(1);
				terms = t;
				next = T::Registry::terms_version(model, version.saturating_add(1));
			}
			// The run goes to the next change of version or commitment, or to `end`.
			let mut to = end;
			if let Some((effective, _)) = &next {
				to = to.min(effective.saturating_sub(1));
			}
			for c in d.commitments.iter() {
				let before = c.start.saturating_sub(1);
				if before > from {
					to = to.min(before);
				}
				if c.end > from {
					to = to.min(c.end);
				}
			}
			let at_to = if to == end { Some(*record) } else { History::<T>::get(model, to) };
			let served_to = at_to.map_or(served_from, |h| h.served_total);
			let first = from.saturating_add(1);
			let committed = d.commitments.iter().find(|c| c.start <= first && first <= c.end);
			let rate = match committed {
				Some(c) => {
					maths::discounted(terms_of(c.version)?.1.performance_fee(principal), c.discount)
				},
				None => {
					let served = served_to.saturating_sub(served_from);
					let fee = maths::fixed_fee(
						terms.fixed_fee_per_round(principal),
						served,
						rolling_discount(&terms),
					)
					.ok_or(Error::<T>::Overflow)?;
					fixed = add::<T>(fixed, fee)?;
					maths::discounted(terms.performance_fee(principal), rolling_discount(&terms))
				},
			};
			// A run whose record is gone (older than the history depth) made no new high.
			let price_to = at_to.map_or(d.hwm, |h| h.price_after);
			runs.push((rate, price_to));
			from = to;
			served_from = served_to;
		}
		let held = d.shares.saturating_sub(d.exit_fee_shares);
		let rise = record.price_after.saturating_sub(d.hwm);
		let ends: Vec<u128> = runs.iter().map(|(_, p)| *p).collect();
		let parts = maths::split_rise(d.hwm, rise, &ends).ok_or(Error::<T>::Overflow)?;
		// The rise each rate applies to (runs at one rate add up first, so that a period at
		// one rate pays exactly that rate on its whole rise).
		let mut by_rate: Vec<(Permill, u128)> = Vec::new();
		for ((rate, _), part) in runs.iter().zip(parts) {
			match by_rate.iter_mut().find(|(r, _)| r == rate) {
				Some((_, sum)) => *sum = add::<T>(*sum, part)?,
				None => by_rate.push((*rate, part)),
			}
		}
		let mut performance: Balance = 0;
		for (rate, part) in by_rate {
			let base = maths::value_of(held, part).ok_or(Error::<T>::Overflow)?;
			performance = add::<T>(performance, rate.mul_floor(base))?;
		}
		let fee = add::<T>(fixed, performance)?;
		let fee_shares =
			maths::fee_in_shares(fee, record.price_after, held).ok_or(Error::<T>::Overflow)?;
		d.hwm = d.hwm.max(record.price_after);
		d.fees_through = end;
		d.served_through = record.served_total;
		d.terms_version = version;
		d.fees_paid = d
			.fees_paid
			.saturating_add(maths::value_of(fee_shares, record.price_after).unwrap_or(0));
		d.commitments.retain(|c| c.end > end);
		Ok(fee_shares)
	}

	/// Settles `staker`'s delegation `index` in `model` by up to `max_periods` periods; returns
	/// how many it walked.
	pub(crate) fn do_settle(
		staker: T::AccountId,
		model: ModelId,
		index: DelegationIndex,
		max_periods: u32,
	) -> Result<u32, DispatchError> {
		let key = (staker.clone(), model, index);
		let mut d = Delegations::<T>::get(&key).ok_or(Error::<T>::UnknownDelegation)?;
		let mut pool = Pools::<T>::get(model).ok_or(Error::<T>::NoPool)?;
		Self::materialise(&model, &mut pool, &mut d)?;
		let shares_before = d.shares.saturating_sub(d.exit_fee_shares);
		let paid_before = d.fees_paid;
		let (walked, _) = Self::settle_fees(&model, &mut pool, &mut d, max_periods)?;
		let fee_shares = shares_before.saturating_sub(d.shares.saturating_sub(d.exit_fee_shares));
		Self::deposit_event(Event::FeesSettled {
			staker,
			model,
			index,
			through: d.fees_through,
			fee_shares,
			fee_value: d.fees_paid.saturating_sub(paid_before),
		});
		Delegations::<T>::insert(&key, d);
		Pools::<T>::insert(model, pool);
		Ok(walked)
	}
}
