//! The invariants checked every few actions and at the end of a run: the three pallets'
//! `try_state`, and cross-pallet invariants only a runtime with all of them can check:
//!
//! - **(a) sync**: a pool with anything exposed or queued belongs to a model the oracle watches
//!   and expects exactly the oracle's next result for that model (a pool that expects another
//!   round ignores every result from then on); a pool whose model is not watched has no
//!   delegations, no queued joins and no shares but dust.
//! - **(b) every position can end**: each delegation is cancellable (queued, first round not
//!   opened: a dry-run `request_exit` refunds it), settling (the round it waits for is after the
//!   pool's last settled round and the oracle watches the model, so its result will come), or
//!   payable: a dry-run of what a diligent staker does (`catch_up` and `settle` until done,
//!   then `withdraw`, or `request_exit` first for a position still in the pool) succeeds.
//! - **(c) an idle pool releases its owner**: once a pool has no delegations, nothing queued,
//!   no shares but dust, and its owner owes no pool anything, a dry-run `unbond` of the whole
//!   bond succeeds (and so does claiming what the pool owes the owner).
//!
//! Dry runs happen inside a storage transaction that is rolled back.

use crate::{action::current_round, mock::*, Failure};
use numerstake_primitives::ModelId;
use pallet_stake_delegation::{
	Delegation, DelegationIndex, Delegations, Error, Exits, FeeExits, Pool, Pools, Stage,
};
use polkadot_sdk::{
	frame_support::storage::{with_transaction, TransactionOutcome},
	sp_runtime::DispatchError,
};

/// A dispatch error by name (`Overflow`, `NotYetReleased`, …).
pub fn error_name(e: &DispatchError) -> String {
	match e {
		DispatchError::Module(m) => match m.message {
			Some(name) => name.to_string(),
			None => format!("{m:?}"),
		},
		other => format!("{other:?}"),
	}
}

fn fail(invariant: impl Into<String>, detail: impl Into<String>) -> Failure {
	Failure { invariant: invariant.into(), detail: detail.into() }
}

/// Runs `f` and rolls back everything it changed.
pub fn dry_run<R>(f: impl FnOnce() -> R) -> R {
	let mut result = None;
	let _ = with_transaction(|| {
		result = Some(f());
		TransactionOutcome::Rollback(Ok::<(), DispatchError>(()))
	});
	result.expect("the closure ran")
}

/// `catch_up` until there is nothing to catch up (bounded).
fn catch_up_fully(caller: AccountId, model: ModelId) {
	for _ in 0..64 {
		if StakeDelegation::catch_up(RuntimeOrigin::signed(caller), model).is_err() {
			break;
		}
	}
}

/// `settle` until the delegation's fee cursor stops moving (bounded).
fn settle_fully(who: AccountId, model: ModelId, index: DelegationIndex) {
	let cursor = || Delegations::<Runtime>::get((who, model, index)).map(|d| d.fees_through);
	for _ in 0..64 {
		let before = cursor();
		let settled = StakeDelegation::settle(
			RuntimeOrigin::signed(who),
			who,
			model,
			index,
			MAX_SETTLE_PERIODS,
		);
		if settled.is_err() || cursor() == before {
			break;
		}
	}
}

fn is(e: &DispatchError, expected: Error<Runtime>) -> bool {
	*e == DispatchError::from(expected)
}

/// Which full checks run (all of them in a run; while shrinking, only those that can show
/// the failure being shrunk).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
	/// The delegation pallet's `try_state`.
	pub delegation: bool,
	/// The registry's `try_state`.
	pub registry: bool,
	/// The oracle's `try_state`.
	pub oracle: bool,
	/// (a) and (c), per pool.
	pub pools: bool,
	/// (b), per delegation.
	pub positions: bool,
}

impl Scope {
	/// Every check.
	pub const ALL: Scope =
		Scope { delegation: true, registry: true, oracle: true, pools: true, positions: true };
	/// No full check (failures the per-action checks find).
	pub const NONE: Scope =
		Scope { delegation: false, registry: false, oracle: false, pools: false, positions: false };

	/// The checks that can report `invariant`.
	pub fn of(invariant: &str) -> Scope {
		let only = |f: fn(&mut Scope)| {
			let mut s = Scope::NONE;
			f(&mut s);
			s
		};
		if invariant.starts_with("try_state(stake-delegation)") {
			only(|s| s.delegation = true)
		} else if invariant.starts_with("try_state(model-registry)") {
			only(|s| s.registry = true)
		} else if invariant.starts_with("try_state(round-oracle)") {
			only(|s| s.oracle = true)
		} else if invariant.starts_with("(a)") || invariant.starts_with("(c)") {
			only(|s| s.pools = true)
		} else if invariant.starts_with("(b)") {
			only(|s| s.positions = true)
		} else if invariant.starts_with("total issuance")
			|| invariant.starts_with("owner in debt")
			|| invariant.starts_with("panic in ")
		{
			Scope::NONE
		} else {
			Scope::ALL
		}
	}
}

/// Most delegations (b) dry-runs in one check; beyond it, successive checks take successive
/// windows, and the final check takes them all.
pub const POSITIONS_PER_CHECK: usize = 48;

/// The checks of `scope`: the first failure `ignored` does not accept (each check runs even
/// when an earlier one failed in an ignored way). With `window: Some(k)`, (b) covers the k-th
/// window of [`POSITIONS_PER_CHECK`] delegations (cyclically), else all of them.
pub fn full(
	scope: Scope,
	window: Option<u64>,
	ignored: &mut dyn FnMut(&Failure) -> bool,
) -> Result<(), Failure> {
	let mut keep = |r: Result<(), Failure>| match r {
		Err(f) if !ignored(&f) => Err(f),
		_ => Ok(()),
	};
	if scope.delegation {
		keep(
			StakeDelegation::do_try_state()
				.map_err(|e| fail(format!("try_state(stake-delegation): {e:?}"), pools_summary())),
		)?;
	}
	if scope.registry {
		keep(
			ModelRegistry::do_try_state()
				.map_err(|e| fail(format!("try_state(model-registry): {e:?}"), "")),
		)?;
	}
	if scope.oracle {
		keep(
			RoundOracle::do_try_state()
				.map_err(|e| fail(format!("try_state(round-oracle): {e:?}"), "")),
		)?;
	}
	if scope.pools {
		for (model, pool) in Pools::<Runtime>::iter() {
			keep(sync(&model, &pool))?;
			keep(idle_releases_owner(&model, &pool))?;
		}
	}
	if scope.positions {
		let all: Vec<_> = Delegations::<Runtime>::iter().collect();
		let n = all.len();
		let (start, len) = match window {
			Some(k) if n > POSITIONS_PER_CHECK => {
				((k as usize).wrapping_mul(POSITIONS_PER_CHECK) % n, POSITIONS_PER_CHECK)
			},
			_ => (0, n),
		};
		for i in 0..len {
			let ((who, model, index), d) = &all[(start + i) % n];
			let Some(pool) = Pools::<Runtime>::get(model) else { continue };
			keep(position_can_end(*who, *model, *index, d, &pool))?;
		}
	}
	Ok(())
}

/// Every pool's figures, for reports.
pub fn pools_summary() -> String {
	let mut out = String::new();
	for (model, p) in Pools::<Runtime>::iter() {
		let balance = Balances::free_balance(StakeDelegation::pool_account(&model));
		out.push_str(&format!(
			"\n    pool of model {:?}: epoch {}, price {}, shares {} (live {}, owner {}, dust {}), \
			 exit pot {}, owner payable {}, bond {}, debt {}, queued {}, last settled {:?}, \
			 deferred {:?}, recorded through {}, delegations {}, pending {:?}, account {}, \
			 dust allowance {}",
			crate::model_index(&model),
			p.ledger.epoch,
			p.ledger.price,
			p.ledger.shares,
			p.ledger.live_shares,
			p.ledger.owner_shares,
			p.ledger.dust_shares,
			p.ledger.exit_pot,
			p.book.payable,
			p.book.bond,
			p.book.debt,
			p.joins.queued,
			p.last_finalised,
			p.deferred,
			p.recorder.recorded_through,
			p.delegations,
			p.joins.cohorts.iter().map(|c| (c.round, c.principal, c.exiting)).collect::<Vec<_>>(),
			balance,
			p.ledger.dust_allowance,
		));
		for (epoch, close) in pallet_stake_delegation::EpochCloses::<Runtime>::iter_prefix(model) {
			out.push_str(&format!("\n      epoch {epoch} closed: {close:?}"));
		}
		for (round, exit) in Exits::<Runtime>::iter_prefix(model) {
			out.push_str(&format!("\n      exit of round {round}: {exit:?}"));
		}
		for (round, exit) in FeeExits::<Runtime>::iter_prefix(model) {
			out.push_str(&format!("\n      fee exit of round {round}: {exit:?}"));
		}
		for ((who, m, index), d) in Delegations::<Runtime>::iter() {
			if m == model {
				let first = <AccountId as AsRef<[u8]>>::as_ref(&who)[0];
				out.push_str(&format!(
					"\n      delegation (staker {}, {index}): {:?}, epoch {}, first round {}, \
					 shares {}, exit fee shares {}, principal {}",
					first.wrapping_sub(1),
					d.stage,
					d.epoch,
					d.first_round,
					d.shares,
					d.exit_fee_shares,
					d.principal
				));
			}
		}
	}
	out
}

/// The round the pool settles next (`None`: it has settled nothing).
fn next_to_settle(pool: &Pool<AccountId>) -> Option<u32> {
	match (pool.deferred, pool.last_finalised) {
		(Some((first, count)), _) => Some(first + count),
		(None, Some(last)) => Some(last + 1),
		(None, None) => None,
	}
}

/// Whether the result of `model`'s round `round` will reach the pool: it waits among the
/// pool's deferred results (`catch_up` applies it), or the oracle watches the model and has not
/// finalised that round yet.
fn result_will_come(model: &ModelId, pool: &Pool<AccountId>, round: u32) -> bool {
	let deferred =
		pool.deferred.is_some_and(|(first, count)| first <= round && round < first + count);
	let watched = pallet_round_oracle::Progress::<Runtime>::contains_key(model);
	deferred || (watched && RoundOracle::next_round(model).is_some_and(|n| n <= round))
}

/// (a) The pool and the oracle agree on the next round.
fn sync(model: &ModelId, pool: &Pool<AccountId>) -> Result<(), Failure> {
	let exposed = pool.delegations > 0
		|| !pool.joins.cohorts.is_empty()
		|| pool.ledger.shares > pool.ledger.dust_shares
		|| pool.deferred.is_some();
	if !exposed {
		return Ok(());
	}
	let watched = pallet_round_oracle::Progress::<Runtime>::contains_key(model);
	let context = || {
		format!(
			"model {model:?}: delegations {}, pending {:?}, shares {} (dust {}), last settled {:?}, \
			 deferred {:?}; oracle watches: {watched}, oracle next {:?}, latest round {}",
			pool.delegations,
			pool.joins.cohorts.iter().map(|p| p.round).collect::<Vec<_>>(),
			pool.ledger.shares,
			pool.ledger.dust_shares,
			pool.last_finalised,
			pool.deferred,
			RoundOracle::next_round(model),
			current_round()
		)
	};
	if !watched {
		return Err(fail(
			"(a) a pool with positions belongs to a model the oracle does not watch",
			context(),
		));
	}
	let Some(oracle_next) = RoundOracle::next_round(model) else { return Ok(()) };
	match next_to_settle(pool) {
		Some(next) if next != oracle_next => Err(fail(
			"(a) the pool expects another round than the oracle finalises next",
			context(),
		)),
		None if pool.joins.cohorts.iter().any(|p| p.round < oracle_next) => {
			Err(fail("(a) a new pool has a cohort before the oracle's next round", context()))
		},
		_ => Ok(()),
	}
}

/// (c) An idle pool lets its owner take the bond back.
fn idle_releases_owner(model: &ModelId, pool: &Pool<AccountId>) -> Result<(), Failure> {
	let idle = pool.delegations == 0
		&& pool.joins.cohorts.is_empty()
		&& pool.ledger.shares == pool.ledger.dust_shares
		&& pool.deferred.is_none()
		&& pallet_stake_delegation::Operators::<Runtime>::get(pool.owner).debt == 0
		&& FeeExits::<Runtime>::iter_prefix(model).next().is_none();
	if !idle || (pool.book.bond == 0 && pool.book.payable == 0) {
		return Ok(());
	}
	let owner = pool.owner;
	let (bond, payable) = (pool.book.bond, pool.book.payable);
	dry_run(|| -> Result<(), Failure> {
		catch_up_fully(owner, *model);
		if bond > 0 {
			StakeDelegation::unbond(RuntimeOrigin::signed(owner), *model, bond).map_err(|e| {
				fail(
					format!("(c) an idle pool's owner cannot unbond: {}", error_name(&e)),
					format!(
						"model {model:?}: bond {bond}, dust shares {} at price {}, recorder {:?}, \
						 last finalised {:?}, latest round {}",
						pool.ledger.dust_shares,
						pool.ledger.price,
						pool.recorder,
						pool.last_finalised,
						current_round()
					),
				)
			})?;
		}
		if payable > 0 {
			StakeDelegation::claim_owner_payable(RuntimeOrigin::signed(owner), *model).map_err(
				|e| {
					fail(
						format!("(c) an idle pool's owner cannot claim: {}", error_name(&e)),
						format!("model {model:?}: owner payable {payable}"),
					)
				},
			)?;
		}
		Ok(())
	})
}

/// (b) The delegation can end: cancel, wait for a result that will come, or be paid.
fn position_can_end(
	who: AccountId,
	model: ModelId,
	index: DelegationIndex,
	d: &Delegation,
	pool: &Pool<AccountId>,
) -> Result<(), Failure> {
	let last = pool.last_finalised;
	let activated = last.is_some_and(|l| l >= d.first_round);
	let watched = pallet_round_oracle::Progress::<Runtime>::contains_key(model);
	let oracle_next = RoundOracle::next_round(&model);
	let describe = |why: &str| {
		format!(
			"{why}; delegation ({who:?}, {model:?}, {index}): stage {:?}, epoch {} (pool's {}), \
			 first round {}, shares {}, principal {}; pool last settled {last:?}, deferred {:?}, \
			 price {}; oracle watches {watched}, next {oracle_next:?}; latest round {}",
			d.stage,
			d.epoch,
			pool.ledger.epoch,
			d.first_round,
			d.shares,
			d.principal,
			pool.deferred,
			pool.ledger.price,
			current_round()
		)
	};
	let will_settle = |round: u32| result_will_come(&model, pool, round);
	match d.stage {
		Stage::Queued if !activated && current_round() < d.first_round => dry_run(|| {
			catch_up_fully(who, model);
			StakeDelegation::request_exit(RuntimeOrigin::signed(who), model, index).map_err(|e| {
				fail(
					format!(
						"(b) a delegation before its first round cannot cancel: {}",
						error_name(&e)
					),
					describe("cancel"),
				)
			})
		}),
		Stage::Queued | Stage::QueuedExit { .. } if !activated => {
			if will_settle(d.first_round) {
				Ok(())
			} else {
				Err(fail(
					"(b) a queued delegation waits for a first round that will never settle",
					describe("queued"),
				))
			}
		},
		Stage::Exiting { last_round }
			if d.epoch == pool.ledger.epoch
				&& !Exits::<Runtime>::contains_key(model, last_round)
				&& last.is_none_or(|l| l < last_round) =>
		{
			if will_settle(last_round) {
				Ok(())
			} else {
				Err(fail(
					"(b) an exiting delegation waits for a last round that will never settle",
					describe("exiting"),
				))
			}
		},
		_ => dry_run(|| payable(who, model, index, &describe)),
	}
}

/// What a diligent staker does to be paid: catch up, settle, withdraw (or exit first).
fn payable(
	who: AccountId,
	model: ModelId,
	index: DelegationIndex,
	describe: &dyn Fn(&str) -> String,
) -> Result<(), Failure> {
	let key = (who, model, index);
	let origin = || RuntimeOrigin::signed(who);
	catch_up_fully(who, model);
	settle_fully(who, model, index);
	let withdrawn = StakeDelegation::withdraw(origin(), model, index);
	let waiting = |last_round: u32| {
		let pool = Pools::<Runtime>::get(model);
		let unsettled =
			pool.as_ref().is_some_and(|p| p.last_finalised.is_none_or(|l| l < last_round));
		let watched = pallet_round_oracle::Progress::<Runtime>::contains_key(model);
		let next = RoundOracle::next_round(&model);
		unsettled && watched && next.is_some_and(|n| n <= last_round)
	};
	match withdrawn {
		Ok(()) => Ok(()),
		Err(e) if is(&e, Error::NotExiting) => {
			StakeDelegation::request_exit(origin(), model, index).map_err(|e| {
				fail(
					format!("(b) an active position cannot request its exit: {}", error_name(&e)),
					describe("request_exit"),
				)
			})?;
			match Delegations::<Runtime>::get(key).map(|d| d.stage) {
				None => Ok(()),
				Some(Stage::Exiting { last_round } | Stage::QueuedExit { last_round }) => {
					if waiting(last_round) {
						return Ok(());
					}
					settle_fully(who, model, index);
					StakeDelegation::withdraw(origin(), model, index).map_err(|e| {
						fail(
							format!(
								"(b) a position whose exit round is settled cannot be paid: {}",
								error_name(&e)
							),
							describe("request_exit, then withdraw"),
						)
					})
				},
				Some(stage) => Err(fail(
					"(b) a position did not leave after request_exit",
					describe(&format!("stage after request_exit {stage:?}")),
				)),
			}
		},
		Err(e) if is(&e, Error::NotYetReleased) => {
			let last_round = Delegations::<Runtime>::get(key).and_then(|d| d.stage.last_round());
			match last_round {
				Some(r) if waiting(r) => Ok(()),
				_ => Err(fail(
					"(b) a position whose exit round is settled is not released",
					describe("withdraw: NotYetReleased"),
				)),
			}
		},
		Err(e) => Err(fail(
			format!("(b) a payable position cannot be withdrawn: {}", error_name(&e)),
			describe("withdraw"),
		)),
	}
}
