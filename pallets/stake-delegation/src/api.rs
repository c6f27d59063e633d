//! What the runtime API serves. Views settle fees and take cohort shares inside a storage
//! transaction that is always rolled back, so they show what a `settle` would and change
//! nothing, wherever they are called from.

use super::*;
use crate::maths;
use alloc::vec::Vec;
use pallet_stake_delegation_runtime_api::{
	GovernanceView, PoolAction, PoolView, PositionStage, PositionView, Quote,
};
use polkadot_sdk::{
	frame_support::{storage::with_transaction, traits::Get},
	sp_runtime::{DispatchError, DispatchResult, TransactionOutcome},
};

/// Runs `f` and rolls back whatever it wrote (an error only if transactions nest too deep).
fn scratch<R>(f: impl FnOnce() -> Result<R, DispatchError>) -> Result<R, DispatchError> {
	with_transaction(|| TransactionOutcome::Rollback(f()))
}

/// Runs `f` in a layer of its own that is kept only if `f` succeeds, as a dispatchable of a
/// `force_batch` is.
fn layered(f: impl FnOnce() -> DispatchResult) -> DispatchResult {
	with_transaction(|| {
		let r = f();
		if r.is_ok() {
			TransactionOutcome::Commit(r)
		} else {
			TransactionOutcome::Rollback(r)
		}
	})
}

impl<T: Config> Pallet<T> {
	/// Whether `who` sending `action` on `model` now, in a `force_batch` after `catch_up`, would
	/// be accepted (`None`), or the error it would fail with. Everything is rolled back.
	pub fn check(
		who: T::AccountId,
		model: ModelId,
		action: PoolAction<T::AccountId>,
	) -> Option<DispatchError> {
		scratch(|| {
			// A `catch_up` with nothing to do fails alone, as in the batch.
			let _ = layered(|| Self::do_catch_up(model));
			layered(|| match action {
				PoolAction::RequestExit { index } => Self::do_request_exit(who, model, index),
				PoolAction::Withdraw { index } => Self::do_withdraw(who, model, index),
				PoolAction::Settle { staker, index } => {
					Self::do_settle(staker, model, index, T::MaxSettlePeriods::get()).map(|_| ())
				},
				PoolAction::Recommit { index, term_rounds, terms_version } => {
					Self::do_recommit(who, model, index, term_rounds, terms_version)
				},
				PoolAction::Bond { amount } => Self::do_bond(who, model, amount),
				PoolAction::Unbond { amount } => Self::do_unbond(who, model, amount),
				PoolAction::ClaimOwnerPayable => Self::do_claim_owner_payable(who, model),
			})
		})
		.err()
	}

	/// Fee caps, protocol parameters, the chain's delegated value and latest round.
	pub fn governance_view() -> GovernanceView {
		let global = Global::<T>::get();
		GovernanceView {
			caps: global.caps,
			protocol: global.protocol,
			total_value: global.total_value,
			latest_round: global.clock.latest,
		}
	}

	/// The pool of `model`.
	pub fn pool_view(model: ModelId) -> Option<PoolView<T::AccountId>> {
		let pool = Pools::<T>::get(model)?;
		let ratio = Global::<T>::get().protocol.bond_ratio;
		let requirement_next = Self::requirement_next(&pool).ok()?;
		Some(PoolView {
			account: Self::pool_account(&model),
			epoch: pool.ledger.epoch,
			price: pool.ledger.price,
			shares: pool.ledger.shares,
			owner_shares: pool.ledger.owner_shares,
			requirement_next,
			projected: Self::projected(&pool).ok()?,
			queued: pool.joins.queued,
			exit_pot: pool.ledger.exit_pot,
			bond: pool.book.bond,
			bond_required: maths::bond_required(ratio, requirement_next),
			debt: pool.book.debt,
			owner_payable: pool.book.payable,
			under_bonded_since: pool.under_bonded_since,
			last_finalised: pool.last_finalised,
			recorded_through: pool.recorder.recorded_through,
			deferred: pool.deferred.map_or(0, |(_, n)| n),
			served_rounds: pool.calendar.served_rounds,
			next_period_end: pool.calendar.next_period_end,
			delegations: pool.delegations,
			owner: pool.owner,
		})
	}

	/// `staker`'s delegations, settled as far as the history allows.
	pub fn positions_of(staker: T::AccountId) -> Vec<PositionView> {
		let delegations: Vec<_> = Delegations::<T>::iter_prefix((staker,)).collect();
		delegations
			.into_iter()
			.filter_map(|((model, index), d)| Self::scratch_view(model, index, d))
			.collect()
	}

	/// The view of one delegation, computed on scratch state.
	pub(crate) fn scratch_view(
		model: ModelId,
		index: DelegationIndex,
		d: Delegation,
	) -> Option<PositionView> {
		scratch(|| Self::position_view(model, index, d)).ok()
	}

	fn position_view(
		model: ModelId,
		index: DelegationIndex,
		mut d: Delegation,
	) -> Result<PositionView, DispatchError> {
		let mut pool = Pools::<T>::get(model).ok_or(Error::<T>::NoPool)?;
		Self::materialise(&model, &mut pool, &mut d)?;
		// Walk everything due (bounded by the history kept).
		let (settle_periods, _) =
			Self::settle_fees(&model, &mut pool, &mut d, T::HistoryDepth::get())?;
		let current = Self::current_round();
		let held = d.shares.saturating_sub(d.exit_fee_shares);
		let closed =
			matches!(d.stage, Stage::Active | Stage::Exiting { .. }) && d.epoch < pool.ledger.epoch;
		let close = closed.then(|| EpochCloses::<T>::get(model, d.epoch)).flatten();
		let (stage, price) = match d.stage {
			Stage::Queued if current < d.first_round => (PositionStage::Queued, None),
			Stage::Queued | Stage::QueuedExit { .. } => (PositionStage::Activating, None),
			Stage::Active if close.is_some() => {
				(PositionStage::Withdrawable, close.map(|c| c.price))
			},
			Stage::Active => (PositionStage::Active, Some(pool.ledger.price)),
			Stage::Exiting { last_round } => match (close, Exits::<T>::get(model, last_round)) {
				(Some(c), _) if last_round > c.round => {
					(PositionStage::Withdrawable, Some(c.price))
				},
				(_, Some(exit)) => (PositionStage::Withdrawable, Some(exit.price)),
				_ => (PositionStage::Exiting { last_round }, Some(pool.ledger.price)),
			},
		};
		let value = match price {
			Some(p) => maths::value_of(held, p).ok_or(Error::<T>::Overflow)?,
			None => d.principal,
		};
		let locked_until = d.commitments.iter().filter(|c| c.end > current).map(|c| c.end).max();
		Ok(PositionView {
			model,
			index,
			principal: d.principal,
			prepaid: d.prepaid,
			first_round: d.first_round,
			stage,
			shares: held,
			value,
			fees_paid: d.fees_paid,
			result: (value as i128)
				.saturating_sub(d.principal as i128)
				.saturating_sub(d.prepaid as i128),
			locked_until,
			release_round: d.stage.last_round(),
			high_water_mark: d.hwm,
			terms_version: d.terms_version,
			settle_periods,
		})
	}

	/// What delegating `principal` to `model` for `term_rounds` would cost now.
	pub fn quote(model: ModelId, principal: Balance, term_rounds: RoundIndex) -> Option<Quote> {
		let (version, _, terms) = T::Registry::latest_terms(&model)?;
		let discount = terms.commitment(term_rounds).map_or(Default::default(), |c| c.discount);
		let fixed = terms.fixed_fee_per_round(principal);
		let prepaid =
			if term_rounds == 0 { 0 } else { maths::prepaid_fee(fixed, term_rounds, discount)? };
		let global = Global::<T>::get();
		let (lag, current) = (global.protocol.activation_lag, global.clock.latest);
		let pool = Pools::<T>::get(model);
		let projected = pool.as_ref().and_then(|p| Self::projected(p).ok()).unwrap_or(0);
		// The same checks `delegate` makes, on a scratch copy of the state, for a staker who
		// can pay, after the `catch_up` that wallets send in the same batch.
		let document = terms.document.as_ref().map(|d| d.hash);
		let refusal = scratch(|| {
			let _ = layered(|| Self::do_catch_up(model));
			Self::plan_delegation(&model, principal, term_rounds, version, document)
		})
		.err()
		.map(|e| match e {
			DispatchError::Module(m) => m.message.unwrap_or("module error").as_bytes().to_vec(),
			other => <&'static str>::from(other).as_bytes().to_vec(),
		});
		Some(Quote {
			terms_version: version,
			document_hash: document,
			first_round: Self::first_round_of(
				pool.as_ref().and_then(Self::next_to_settle),
				current,
				lag,
			),
			fixed_fee_per_round: fixed,
			performance_fee: terms.performance_fee(principal),
			discount,
			prepaid,
			total_cost: principal.saturating_add(prepaid),
			capacity_left: terms.capacity.saturating_sub(projected),
			refusal,
		})
	}
}
