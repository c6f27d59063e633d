//! What other pallets ask of delegation (settlement from the oracle, obligations for the
//! registry), and the money invariants checked by `try_state`.

use super::*;
use polkadot_sdk::frame_support::{storage::with_storage_layer, weights::Weight};

impl<T: Config> OnRoundFinalized for Pallet<T> {
	fn on_round_finalized(model: &ModelId, round: RoundIndex, result: &RoundReturn) {
		// All or nothing: a failure (an overflow no real amount reaches) leaves the pool as it
		// was and keeps the result, so that `catch_up` retries it and nothing is lost.
		let outcome = with_storage_layer(|| Self::on_finalized(model, round, *result));
		if let Err(e) = outcome {
			log::error!(target: "numerstake::delegation", "settling round {round} of {model:?} failed: {e:?}");
			if let Some(mut pool) = Pools::<T>::get(model) {
				Self::defer(model, &mut pool, round, *result);
				Pools::<T>::insert(model, pool);
			}
		}
	}

	/// The benchmarked worst case (the most rounds recorded and one round settled, with a gain
	/// or with an epoch close, at 10,000 delegations), twice: a deferred result's settlement
	/// applies at most two results.
	fn weight() -> Weight {
		let gain = T::WeightInfo::on_round_finalized(10_000);
		let close = T::WeightInfo::on_round_finalized_close(10_000);
		gain.max(close).saturating_mul(2)
	}

	fn on_round_opened(round: RoundIndex) {
		Global::<T>::mutate(|g| g.clock = g.clock.opened(round));
	}

	fn opened_weight() -> Weight {
		T::WeightInfo::on_round_opened()
	}

	/// The pool follows the oracle: it takes delegations again, and an idle pool (one that was
	/// unwatched, or a re-registered model's) restarts at the round the oracle finalises first.
	fn on_watched(model: &ModelId, next: Option<RoundIndex>) {
		if let Some(mut pool) = Pools::<T>::get(model) {
			pool.watched = true;
			Self::align_idle_at(model, &mut pool, next);
			Pools::<T>::insert(model, pool);
		}
	}

	fn on_unwatched(model: &ModelId) {
		Pools::<T>::mutate_extant(model, |pool| pool.watched = false);
	}

	fn watch_weight() -> Weight {
		T::WeightInfo::on_watched()
	}
}

impl<T: Config> DelegationInspect<T::AccountId> for Pallet<T> {
	fn is_delegator(model: &ModelId, who: &T::AccountId) -> bool {
		Delegations::<T>::iter_prefix_values((who, model)).next().is_some()
	}

	fn has_obligations(model: &ModelId) -> bool {
		Pools::<T>::get(model).is_some_and(|p| Self::has_obligations_in(model, &p))
	}

	fn terms_version_in_use(model: &ModelId, version: u32) -> bool {
		Pools::<T>::get(model)
			.is_some_and(|p| p.version_users.iter().any(|(v, n)| *v == version && *n > 0))
	}

	fn has_debt(owner: &T::AccountId) -> bool {
		Operators::<T>::get(owner).debt > 0
	}

	fn is_under_bonded(model: &ModelId) -> bool {
		Pools::<T>::get(model).is_some_and(|p| p.under_bonded_since.is_some())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Makes `who` a delegator of `model` (for other pallets' benchmarks): a queued delegation
	/// record, without money.
	pub fn benchmark_delegator(model: &ModelId, who: &T::AccountId) {
		Delegations::<T>::insert(
			(who, *model, u32::MAX),
			Delegation {
				principal: 0,
				prepaid: 0,
				first_round: RoundIndex::MAX,
				joined_version: 0,
				stage: Stage::Queued,
				epoch: 0,
				shares: 0,
				commitments: Default::default(),
				terms_version: 0,
				hwm: 0,
				fees_through: 0,
				served_through: 0,
				next_fee_round: 0,
				exit_fee_shares: 0,
				fees_paid: 0,
			},
		);
	}
}

#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod checks {
	use super::*;
	use crate::maths;
	use alloc::{collections::btree_map::BTreeMap, vec::Vec};
	use polkadot_sdk::{
		frame_support::{
			ensure,
			traits::{
				fungible::{Inspect, InspectHold},
				Get,
			},
		},
		sp_runtime::TryRuntimeError,
	};

	impl<T: Config> Pallet<T> {
		/// Checks the money invariants of every pool:
		/// - the pool account holds at least the value of all shares, the exit pot, queued
		///   principal and prepaid fees, what it owes the owner and its existential deposit, and
		///   the excess is at most the recorded rounding dust;
		/// - the shares of the positions, unclaimed cohort shares, exit cohorts, the owner's fee
		///   position and dust add up to the pool's shares;
		/// - the exposure of the next round matches the cohorts;
		/// - cohort totals match their members; the exit pot covers every released position;
		/// - bonds equal the holds, debts and concentration totals equal their sums.
		pub fn do_try_state() -> Result<(), TryRuntimeError> {
			let mut by_model: BTreeMap<ModelId, Vec<(T::AccountId, DelegationIndex, Delegation)>> =
				BTreeMap::new();
			for ((who, model, index), d) in Delegations::<T>::iter() {
				by_model.entry(model).or_default().push((who, index, d));
			}
			let mut bonds: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
			let mut debts: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
			let mut values: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
			let mut total_value: Balance = 0;
			for (model, pool) in Pools::<T>::iter() {
				let empty = Vec::new();
				let delegations = by_model.get(&model).unwrap_or(&empty);
				Self::check_pool(&model, &pool, delegations)?;
				*bonds.entry(pool.owner.clone()).or_default() += pool.book.bond;
				*debts.entry(pool.owner.clone()).or_default() += pool.book.debt;
				*values.entry(pool.owner.clone()).or_default() += pool.tracked_value;
				total_value += pool.tracked_value;
			}
			for model in by_model.keys() {
				ensure!(Pools::<T>::contains_key(model), "delegation without a pool");
			}
			let clock = Global::<T>::get().clock;
			ensure!(
				clock.latest == T::Rounds::current_round()
					&& clock.first == T::Rounds::first_round(),
				"the round clock differs from the oracle's"
			);
			for (owner, bond) in &bonds {
				let held = T::Currency::balance_on_hold(&HoldReason::OwnerBond.into(), owner);
				ensure!(held == *bond, "bond holds differ from the pools' bonds");
			}
			for (owner, stats) in Operators::<T>::iter() {
				ensure!(
					debts.get(&owner).copied().unwrap_or(0) == stats.debt,
					"owner debt differs from its pools'"
				);
				ensure!(
					values.get(&owner).copied().unwrap_or(0) == stats.value,
					"owner value differs from its pools'"
				);
			}
			ensure!(
				Global::<T>::get().total_value == total_value,
				"total delegated value differs from the pools'"
			);
			Ok(())
		}

		fn check_pool(
			model: &ModelId,
			pool: &Pool<T::AccountId>,
			delegations: &[(T::AccountId, DelegationIndex, Delegation)],
		) -> Result<(), TryRuntimeError> {
			let epoch = pool.ledger.epoch;
			let n = pool.recorder.recorded_through.saturating_add(1);
			let value =
				|s: u128, p: u128| maths::value_of(s, p).ok_or(TryRuntimeError::from("overflow"));

			// Cohort records of this epoch.
			let mut exit_shares_total: u128 = 0;
			let mut exits_after_next: u128 = 0;
			let mut exit_members: BTreeMap<RoundIndex, u32> = BTreeMap::new();
			for (round, c) in Cohorts::<T>::iter_prefix(model) {
				// A restarted idle pool keeps the records of rounds it skipped until they are
				// pruned (see `restart_at`); other records of settled rounds hold no exits.
				ensure!(round <= pool.recorder.furthest, "cohort record beyond the furthest");
				let holds_exits = c.exit_shares > 0 || c.exit_principal > 0 || c.exit_members > 0;
				ensure!(
					!holds_exits
						|| pool.last_finalised.is_none_or(|l| round > l)
						|| (pool.recorder.is_stale(round) && c.exit_epoch < epoch),
					"cohort record of a settled round"
				);
				ensure!(
					c.req.is_none() || round <= pool.recorder.recorded_through,
					"requirement recorded ahead"
				);
				if c.exit_epoch == epoch {
					exit_shares_total += c.exit_shares;
					if round >= n {
						exits_after_next += c.exit_shares;
					}
					exit_members.insert(round, c.exit_members);
				}
			}
			let mut unclaimed: u128 = 0;
			for (_, a) in Activations::<T>::iter_prefix(model) {
				ensure!(a.members > 0 || a.exit_members > 0, "empty activation record kept");
				if a.epoch == epoch {
					unclaimed += a.shares;
				}
			}

			// Positions.
			let mut active_shares: u128 = 0;
			let mut principal: Balance = 0;
			let mut owed: Balance = 0;
			let mut floors: BTreeMap<u32, u32> = BTreeMap::new();
			let mut cohort_principal: BTreeMap<RoundIndex, (Balance, Balance, u32, Balance)> =
				BTreeMap::new();
			let mut exiting_by_round: BTreeMap<RoundIndex, (u128, u32)> = BTreeMap::new();
			for (_, _, d) in delegations {
				principal += d.principal;
				*floors.entry(Self::version_floor(d)).or_default() += 1;
				let activated = pool.last_finalised.is_some_and(|l| l >= d.first_round);
				match d.stage {
					Stage::Queued | Stage::QueuedExit { .. } if !activated => {
						let e = cohort_principal.entry(d.first_round).or_default();
						e.0 += d.principal;
						e.1 += d.prepaid;
						e.2 += 1;
						if matches!(d.stage, Stage::QueuedExit { .. }) {
							e.3 += d.principal;
						}
						if let Stage::QueuedExit { last_round } = d.stage {
							ensure!(last_round >= d.first_round, "exit before the first round");
						}
					},
					Stage::Queued => {},
					Stage::QueuedExit { last_round } => {
						// Activated, shares not yet taken: they are in the exit cohort.
						// Priced as `withdraw` prices it: at the close of its activation epoch if
						// that closed before its last round, else at its exit round.
						let a = Activations::<T>::get(model, d.first_round)
							.ok_or("activation record missing")?;
						let s = maths::shares_for(d.principal, a.price).ok_or("overflow")?;
						let closed = (a.epoch < epoch)
							.then(|| EpochCloses::<T>::get(model, a.epoch))
							.flatten();
						match closed {
							Some(close) if last_round > close.round => {
								owed += value(s, close.price)?
							},
							_ => match Exits::<T>::get(model, last_round) {
								Some(exit) => owed += value(s, exit.price)?,
								None => {
									ensure!(a.epoch == epoch, "unreleased exit of a closed epoch");
									let e = exiting_by_round.entry(last_round).or_default();
									e.0 += s;
									e.1 += 1;
								},
							},
						}
					},
					Stage::Active => {
						ensure!(
							d.exit_fee_shares == 0 || d.epoch < epoch,
							"fees owed by an active position"
						);
						if d.epoch == epoch {
							active_shares += d.shares;
						} else if let Some(close) = EpochCloses::<T>::get(model, d.epoch) {
							owed += value(d.shares, close.price)?;
						}
					},
					Stage::Exiting { last_round } => {
						ensure!(d.exit_fee_shares <= d.shares, "fees above the shares");
						let closed = (d.epoch < epoch)
							.then(|| EpochCloses::<T>::get(model, d.epoch))
							.flatten();
						match closed {
							Some(close) if last_round > close.round => {
								owed += value(d.shares, close.price)?
							},
							_ => match Exits::<T>::get(model, last_round) {
								Some(exit) => owed += value(d.shares, exit.price)?,
								None => {
									ensure!(d.epoch == epoch, "unreleased exit of a closed epoch");
									let e = exiting_by_round.entry(last_round).or_default();
									e.0 += d.shares;
									e.1 += 1;
								},
							},
						}
					},
				}
			}
			for (round, exit) in FeeExits::<T>::iter_prefix(model) {
				let closed = (exit.epoch < epoch)
					.then(|| EpochCloses::<T>::get(model, exit.epoch))
					.flatten();
				match closed {
					Some(close) if round > close.round => owed += value(exit.shares, close.price)?,
					_ => match Exits::<T>::get(model, round) {
						Some(e) => owed += value(exit.shares, e.price)?,
						None => {
							let e = exiting_by_round.entry(round).or_default();
							e.0 += exit.shares;
							e.1 += 1;
						},
					},
				}
			}
			for (round, (shares, members)) in &exiting_by_round {
				let c = Cohorts::<T>::get(model, round);
				ensure!(
					c.exit_epoch == epoch && c.exit_shares >= *shares,
					"exit cohort below its members' shares"
				);
				ensure!(c.exit_members == *members, "exit cohort member count off");
			}
			for (round, members) in &exit_members {
				if *members > 0 {
					ensure!(
						exiting_by_round.contains_key(round),
						"exit cohort members without positions"
					);
				}
			}

			// Shares add up.
			ensure!(
				active_shares + unclaimed + pool.ledger.owner_shares + pool.ledger.dust_shares
					== pool.ledger.live_shares,
				"live shares differ from the positions'"
			);
			ensure!(
				pool.ledger.live_shares + exit_shares_total == pool.ledger.shares,
				"shares differ from live and exiting"
			);
			ensure!(
				pool.ledger.live_shares + exits_after_next == pool.recorder.next_shares,
				"next round's exposed shares off"
			);

			// Cohorts.
			let mut queued: Balance = 0;
			let mut queued_prepaid: Balance = 0;
			let mut queued_exiting: Balance = 0;
			let mut exposed_principal: Balance = 0;
			let mut last = None;
			for p in pool.joins.cohorts.iter() {
				ensure!(last < Some(p.round), "pending cohorts out of order");
				last = Some(p.round);
				ensure!(
					pool.last_finalised.is_none_or(|l| p.round > l),
					"pending cohort of a settled round"
				);
				let (pr, pp, members, exiting) =
					cohort_principal.remove(&p.round).unwrap_or_default();
				ensure!(
					pr == p.principal && pp == p.prepaid && members == p.members,
					"cohort differs from its members"
				);
				ensure!(exiting == p.exiting, "cohort exits differ from its members'");
				let pre: Vec<_> = PreExits::<T>::get(model, p.round).into_inner();
				ensure!(
					pre.iter().map(|e| e.1).sum::<Balance>() == p.exiting,
					"pre-exits differ from the cohort's"
				);
				ensure!(
					pre.iter().map(|e| e.2).sum::<u32>() == p.exiting_members,
					"pre-exit members off"
				);
				queued += p.principal;
				queued_prepaid += p.prepaid;
				queued_exiting += p.exiting;
				if p.round <= n {
					exposed_principal += p.principal;
					exposed_principal -=
						pre.iter().filter(|e| e.0 < n).map(|e| e.1).sum::<Balance>();
				}
			}
			ensure!(cohort_principal.is_empty(), "queued delegations without a cohort");
			ensure!(
				queued == pool.joins.queued && queued_prepaid == pool.joins.queued_prepaid,
				"queued totals off"
			);
			ensure!(queued_exiting == pool.joins.queued_exiting, "queued exits off");
			ensure!(
				exposed_principal == pool.recorder.next_principal,
				"next round's exposed principal off"
			);

			// Positions' principal, count and terms versions.
			ensure!(principal == pool.principal, "principal differs from the delegations'");
			ensure!(delegations.len() as u32 == pool.delegations, "delegation count off");
			let users: BTreeMap<u32, u32> = pool.version_users.iter().copied().collect();
			ensure!(users == floors, "terms-version users differ from the delegations' floors");

			// Money.
			ensure!(
				pool.ledger.exit_pot >= owed,
				"exit pot below what released positions are owed"
			);
			let owes = pool.book.account_deposit
				+ value(pool.ledger.shares, pool.ledger.price)?
				+ pool.ledger.exit_pot
				+ pool.joins.queued
				+ pool.joins.queued_prepaid
				+ pool.book.payable;
			let balance = T::Currency::balance(&Self::pool_account(model));
			ensure!(balance >= owes, "pool account holds less than it owes");
			// Anyone can send NMR to the pool account, so only tests (which do not) bound the
			// excess by the recorded rounding dust.
			#[cfg(test)]
			ensure!(
				balance - owes <= pool.ledger.dust_allowance,
				"pool excess beyond the rounding dust"
			);

			// The pool and the oracle agree on the next round: a pool with anything exposed is
			// watched and expects exactly the oracle's next result for its model.
			ensure!(
				pool.watched == T::Rounds::watches(model),
				"the pool's watch state differs from the oracle's"
			);
			if !Self::is_idle(pool) {
				let next = T::Rounds::next_result(model);
				ensure!(next.is_some(), "a pool with positions whose model is not watched");
				ensure!(
					Self::next_to_settle(pool) == next,
					"the pool expects another round than the oracle finalises next"
				);
			}
			ensure!(
				pool.recorder.reset_through.is_some() || pool.recorder.reset_exposed == 0,
				"stray reset exposure"
			);

			// Deferred results and history.
			match pool.deferred {
				Some((first, count)) => {
					for r in first..first.saturating_add(count) {
						ensure!(Deferred::<T>::contains_key(model, r), "deferred result missing");
					}
					ensure!(
						Deferred::<T>::iter_prefix(model).count() as u32 == count,
						"stray deferred results"
					);
				},
				None => ensure!(
					Deferred::<T>::iter_prefix(model).next().is_none(),
					"stray deferred results"
				),
			}
			// History: the latest `HistoryDepth` rounds, and (only after a restart skipped
			// rounds, while pruning catches up two a round) older ones from `history_from` on.
			let keep_from = pool
				.last_finalised
				.map_or(0, |l| l.saturating_add(1).saturating_sub(T::HistoryDepth::get()));
			let lag = keep_from.saturating_sub(pool.history_from);
			let mut kept: u32 = 0;
			for (round, _) in History::<T>::iter_prefix(model) {
				ensure!(round >= pool.history_from, "history record pruning missed");
				kept += 1;
			}
			ensure!(kept <= T::HistoryDepth::get().saturating_add(lag), "history beyond its depth");
			// The window of open rounds' requirements covers every recorded, unsettled round.
			for (round, c) in Cohorts::<T>::iter_prefix(model) {
				let open = pool.last_finalised.is_none_or(|l| round > l)
					&& round <= pool.recorder.recorded_through
					&& pool.recorder.reset_through.is_none_or(|t| round > t);
				if let (true, Some(req)) = (open, c.req) {
					ensure!(
						req == 0
							|| pool
								.recorder
								.open_reqs
								.iter()
								.any(|(r, v)| *r >= round && *v >= req),
						"an open round's requirement is not covered by the bond window"
					);
				}
			}
			ensure!(
				pool.ledger.price >= maths::PRICE_FLOOR || pool.ledger.shares == 0,
				"price below the floor"
			);
			Ok(())
		}
	}
}
