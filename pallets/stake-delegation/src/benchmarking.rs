//! Benchmarks of every call, each in its worst case, and of settling a round with `d`
//! delegations in the pool (its weight must not depend on `d`).

use super::*;
use crate::{maths::ONE, Pallet as Delegation};
use alloc::vec::Vec;
use numerstake_primitives::terms::{ladder, CommitmentOption, Terms};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{
			fungible::{Mutate, MutateHold},
			tokens::Precision,
			EnsureOrigin, Get,
		},
		BoundedVec,
	},
	frame_system::RawOrigin,
	sp_runtime::{Perbill, Permill},
};

const SEED: u32 = 0;
const NMR: Balance = ONE;
/// The first round of every benchmark.
const BASE: RoundIndex = 1_000;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, 1_000_000_000 * NMR);
	who
}

/// The signer of a measured call, funded. Its account is whitelisted, as in every FRAME
/// benchmark: the transaction fee payment has read and written it already.
fn signer<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	T::Currency::set_balance(&who, 1_000_000_000 * NMR);
	who
}

fn bench_model(i: u8) -> ModelId {
	let mut id = [0x11u8; 16];
	id[15] = i;
	id[6] = 0x40 | (id[6] & 0x0f);
	ModelId(id)
}

/// Full ladders with fees at the caps, four commitment options.
fn worst_terms<T: Config>(step: u32) -> Terms<Balance> {
	let caps = Global::<T>::get().caps;
	let up_to = |i: u32| Balance::from(i * 1_000 + step) * NMR;
	// Half the cap of the smallest principal each step applies to.
	let per_round = |i: u32| {
		let floor = if i == 1 { NMR } else { up_to(i - 1) + 1 };
		caps.max_fixed_fee_per_round.mul_floor(floor) / 2
	};
	Terms {
		capacity: 1_000_000_000 * NMR,
		min_delegation: NMR,
		max_delegation: 100_000_000 * NMR,
		fixed_fee: ladder(&(1..=8u32).map(|i| (up_to(i), per_round(i))).collect::<Vec<_>>()),
		performance_fee: ladder(
			&(1..=8u32)
				.map(|i| (Balance::from(i * 1_000 + step) * NMR, caps.max_performance_fee))
				.collect::<Vec<_>>(),
		),
		commitments: BoundedVec::truncate_from(
			(0..4u32)
				.map(|i| CommitmentOption {
					term_rounds: i * caps.max_commitment_term.min(40) / 4,
					discount: Permill::from_percent(i),
				})
				.collect(),
		),
		document: None,
	}
}

/// Parameters that make every check run: caps from zero, full concentration allowed.
fn open_params<T: Config>() {
	Global::<T>::mutate(|p| {
		p.protocol.caps_from_total = 0;
		p.protocol.model_cap = Perbill::from_percent(100);
		p.protocol.operator_cap = Perbill::from_percent(100);
		p.protocol.bond_ratio = Perbill::from_percent(25);
	});
}

/// An active model with worst-case terms and a large bond, at round `BASE`.
fn bonded_model<T: Config>(i: u8) -> (ModelId, T::AccountId) {
	open_params::<T>();
	T::BenchmarkHelper::set_round(BASE);
	let owner = funded::<T>("owner", u32::from(i));
	let m = bench_model(i);
	T::BenchmarkHelper::active_model(&m, &owner, worst_terms::<T>(0));
	let _ = Delegation::<T>::bond(RawOrigin::Signed(owner.clone()).into(), m, 100_000_000 * NMR);
	(m, owner)
}

fn latest_version<T: Config>(m: &ModelId) -> u32 {
	T::Registry::latest_terms(m).map_or(0, |(v, _, _)| v)
}

fn join<T: Config>(
	who: &T::AccountId,
	m: ModelId,
	amount: Balance,
	term: RoundIndex,
) -> DelegationIndex {
	let index = Pools::<T>::get(m).map_or(0, |p| p.next_index);
	let _ = Delegation::<T>::delegate(
		RawOrigin::Signed(who.clone()).into(),
		m,
		amount,
		term,
		latest_version::<T>(&m),
		None,
	);
	index
}

fn set_round<T: Config>(round: RoundIndex) {
	T::BenchmarkHelper::set_round(round);
}

/// The oracle finalises `m`'s rounds up to `through`, each +1 % on a fully backed stake.
fn settle_through<T: Config>(m: ModelId, through: RoundIndex) {
	loop {
		let Some(pool) = Pools::<T>::get(m) else { return };
		let next = pool.last_finalised.map_or(BASE, |l| l + 1);
		if next > through {
			return;
		}
		if pool.recorder.recorded_through < Delegation::<T>::current_round() {
			let _ =
				Delegation::<T>::catch_up(RawOrigin::Signed(account("keeper", 0, SEED)).into(), m);
		}
		let req = Cohorts::<T>::get(m, next).req.unwrap_or(0).max(NMR);
		<Delegation<T> as OnRoundFinalized>::on_round_finalized(
			&m,
			next,
			&RoundReturn::Resolved { at_risk: req, payout: (req / 100) as i128 },
		);
	}
}

/// Opens rounds up to `round`, settling each with a lag of `lag` rounds.
fn advance<T: Config>(m: ModelId, round: RoundIndex, lag: RoundIndex) {
	let mut r = Delegation::<T>::current_round();
	while r < round {
		r += 1;
		set_round::<T>(r);
		settle_through::<T>(m, r.saturating_sub(lag));
	}
}

/// A delegation that is active and owes exactly `periods` fee periods, with as many terms
/// versions as the registry keeps taking effect one a round from its second round on (the
/// walk's worst case: every version is a run of its own, read and split at); returns its
/// staker and index.
fn owing_periods<T: Config>(
	m: ModelId,
	owner: &T::AccountId,
	periods: u32,
) -> (T::AccountId, DelegationIndex) {
	let staker = funded::<T>("staker", 0);
	let index = join::<T>(&staker, m, 5_000 * NMR, 0);
	let protocol = Global::<T>::get().protocol;
	let notice = Global::<T>::get().caps.min_fee_change_notice;
	let now = Delegation::<T>::current_round();
	let first_round = now + 1 + protocol.activation_lag;
	let first_end = maths::period_end_from(first_round, protocol.fee_period);
	// The staker needs every version from the first on, so the registry keeps them all until
	// it refuses more.
	let from = (first_round + 1).max(now + notice.max(1));
	for k in 0..MAX_VERSION_USERS {
		let before = latest_version::<T>(&m);
		T::BenchmarkHelper::publish_terms(&m, owner, worst_terms::<T>(k % 2), from + k);
		if latest_version::<T>(&m) == before {
			break;
		}
	}
	for k in 0..periods {
		advance::<T>(m, first_end + k * protocol.fee_period, 0);
	}
	(staker, index)
}

/// A pool whose owner holds fee shares earned by a real delegation; returns the round now.
fn with_fee_shares<T: Config>(m: ModelId, owner: &T::AccountId) -> RoundIndex {
	let staker = funded::<T>("staker", 0);
	let index = join::<T>(&staker, m, 5_000 * NMR, 0);
	let period = Global::<T>::get().protocol.fee_period;
	advance::<T>(m, BASE + 2 * period, 0);
	let _ = Delegation::<T>::settle(RawOrigin::Signed(owner.clone()).into(), staker, m, index, 8);
	Delegation::<T>::current_round()
}

/// The most expensive settlement to set up for a pool with `d` delegations: round `r` (a
/// fee-period end) activates a cohort of `d` whose members asked to exit at the most distinct
/// rounds before it activates, burns an exit cohort, and finds the most rounds to record.
/// Returns the model, its owner and `r`.
fn worst_settlement<T: Config>(d: u32) -> (ModelId, T::AccountId, RoundIndex) {
	let (m, owner) = bonded_model::<T>(0);
	let period = Global::<T>::get().protocol.fee_period;
	let r = maths::period_end_from(BASE + 4, period);
	// An earlier delegation, active, leaves after round r.
	let early = funded::<T>("early", 0);
	let early_index = join::<T>(&early, m, 1_000 * NMR, 0);
	advance::<T>(m, r - 2, 0);
	// Round r activates a cohort of `d` delegations...
	let stakers: Vec<T::AccountId> =
		(0..=MAX_PRE_EXITS).map(|i| funded::<T>("staker", i)).collect();
	let first = Pools::<T>::get(m).map_or(0, |p| p.next_index);
	for i in 0..d {
		join::<T>(&stakers[(i % (MAX_PRE_EXITS + 1)) as usize], m, NMR, 0);
	}
	set_round::<T>(r);
	while Delegation::<T>::catch_up(RawOrigin::Signed(owner.clone()).into(), m).is_ok() {}
	let _ = Delegation::<T>::request_exit(RawOrigin::Signed(early.clone()).into(), m, early_index);
	// ...some of whose members ask to exit, at distinct rounds, before it activates.
	for (k, who) in stakers.iter().take(MAX_PRE_EXITS.min(d) as usize).enumerate() {
		set_round::<T>(r + k as u32);
		while Delegation::<T>::catch_up(RawOrigin::Signed(owner.clone()).into(), m).is_ok() {}
		let _ = Delegation::<T>::request_exit(
			RawOrigin::Signed(who.clone()).into(),
			m,
			first + k as u32,
		);
	}
	settle_through::<T>(m, r - 1);
	assert_eq!(PreExits::<T>::get(m, r).len() as u32, MAX_PRE_EXITS.min(d));
	assert!(Cohorts::<T>::get(m, r).exit_shares > 0, "an exit cohort leaves at r");
	// Two records an earlier restart skipped, removed with this settlement.
	for stale in 1..=2 {
		Cohorts::<T>::insert(m, stale, RoundCohort { req: Some(NMR), ..Default::default() });
	}
	Pools::<T>::mutate(m, |p| {
		if let Some(p) = p {
			p.recorder.stale = Some((1, 3));
		}
	});
	// The most rounds for the settlement to record.
	let now = Delegation::<T>::current_round();
	set_round::<T>(now + T::MaxCatchUp::get());
	(m, owner, r)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A committed join (prepaid fee) into a pool whose pending list is nearly full, with every
	/// check active; no round to record (see `record_round`).
	#[benchmark]
	fn delegate() {
		let (m, _) = bonded_model::<T>(0);
		let filler = funded::<T>("filler", 0);
		for r in 0..MAX_PENDING_COHORTS - 2 {
			set_round::<T>(BASE + r);
			join::<T>(&filler, m, NMR, 0);
		}
		assert_eq!(
			Pools::<T>::get(m).map(|p| p.joins.cohorts.len() as u32),
			Some(MAX_PENDING_COHORTS - 2)
		);
		let staker = signer::<T>();
		let term = Global::<T>::get().caps.max_commitment_term.min(40) * 3 / 4;
		let version = latest_version::<T>(&m);
		#[extrinsic_call]
		delegate(RawOrigin::Signed(staker.clone()), m, 7_500 * NMR, term, version, None);
		assert!(Delegations::<T>::iter_prefix_values((staker,)).next().is_some());
	}

	/// Recording one opened round's requirement (what a call does inline per round behind).
	#[benchmark]
	fn record_round() {
		let (m, _) = bonded_model::<T>(0);
		let staker = funded::<T>("staker", 0);
		join::<T>(&staker, m, 1_000 * NMR, 0);
		set_round::<T>(BASE + 1);
		let mut pool = Pools::<T>::get(m).expect("pool");
		#[block]
		{
			let _ = Delegation::<T>::record_next_round(&m, &mut pool);
		}
		assert_eq!(pool.recorder.recorded_through, BASE + 1);
	}

	/// An active delegation owing the most fee periods one call settles.
	#[benchmark]
	fn request_exit() {
		let (m, owner) = bonded_model::<T>(0);
		let (staker, index) = owing_periods::<T>(m, &owner, T::MaxSettlePeriods::get());
		// Keep a round open so that the exit queues rather than pays out at once.
		let r = Delegation::<T>::current_round();
		set_round::<T>(r + 1);
		let _ = Delegation::<T>::catch_up(RawOrigin::Signed(owner.clone()).into(), m);
		let d = Delegations::<T>::get((staker.clone(), m, index)).map(|d| d.stage);
		assert_eq!(d, Some(Stage::Queued), "activated on settlement, not yet taken");
		#[extrinsic_call]
		request_exit(RawOrigin::Signed(staker.clone()), m, index);
		assert!(matches!(
			Delegations::<T>::get((staker, m, index)).map(|d| d.stage),
			Some(Stage::Exiting { .. })
		));
	}

	/// A released delegation whose fees since its request span the most periods: it asked to
	/// leave while settlement lagged that many periods behind the opened rounds.
	#[benchmark]
	fn withdraw() {
		let (m, owner) = bonded_model::<T>(0);
		let staker = signer::<T>();
		let index = join::<T>(&staker, m, 5_000 * NMR, 0);
		advance::<T>(m, BASE + 2, 0);
		let period = Global::<T>::get().protocol.fee_period;
		let last = BASE + 2 + T::MaxSettlePeriods::get().saturating_sub(1) * period + 1;
		set_round::<T>(last);
		while Delegation::<T>::catch_up(RawOrigin::Signed(owner.clone()).into(), m).is_ok() {}
		let _ = Delegation::<T>::request_exit(RawOrigin::Signed(staker.clone()).into(), m, index);
		settle_through::<T>(m, last);
		let d = Delegations::<T>::get((staker.clone(), m, index)).expect("delegation");
		assert_eq!(d.stage, Stage::Exiting { last_round: last });
		#[extrinsic_call]
		withdraw(RawOrigin::Signed(staker.clone()), m, index);
		assert!(Delegations::<T>::get((staker, m, index)).is_none());
	}

	/// Recommitting with the most fee periods to settle first.
	#[benchmark]
	fn recommit() {
		let (m, owner) = bonded_model::<T>(0);
		let (staker, index) = owing_periods::<T>(m, &owner, T::MaxSettlePeriods::get());
		let term = Global::<T>::get().caps.max_commitment_term.min(40) * 3 / 4;
		let version = latest_version::<T>(&m);
		#[extrinsic_call]
		recommit(RawOrigin::Signed(staker.clone()), m, index, term, version);
		assert!(
			Delegations::<T>::get((staker, m, index)).is_some_and(|d| !d.commitments.is_empty())
		);
	}

	/// Settling `p` fee periods, meeting every terms version the registry keeps (each a run
	/// of its own).
	#[benchmark]
	fn settle(p: Linear<1, { T::MaxSettlePeriods::get() }>) {
		let (m, owner) = bonded_model::<T>(0);
		let (staker, index) = owing_periods::<T>(m, &owner, p);
		assert!(latest_version::<T>(&m) >= 4, "many terms versions to walk");
		let caller = funded::<T>("caller", 0);
		// (The staker is the whitelisted signer here; the caller pays for reading it.)
		#[extrinsic_call]
		settle(RawOrigin::Signed(caller), staker.clone(), m, index, p);
		assert!(Delegations::<T>::get((staker, m, index)).is_some_and(|d| d.fees_paid > 0));
	}

	/// Bonding while in debt and under-bonded: repays, holds, restores the status.
	#[benchmark]
	fn bond() {
		let (m, owner) = bonded_model::<T>(0);
		let staker = funded::<T>("staker", 0);
		join::<T>(&staker, m, 10_000 * NMR, 0);
		advance::<T>(m, BASE + 2, 0);
		Pools::<T>::mutate(m, |p| {
			if let Some(p) = p {
				p.book.debt = NMR;
				p.under_bonded_since = Some(BASE + 1);
			}
		});
		Operators::<T>::mutate(&owner, |o| o.debt = NMR);
		#[extrinsic_call]
		bond(RawOrigin::Signed(owner.clone()), m, 1_000 * NMR);
		assert_eq!(Pools::<T>::get(m).map(|p| p.book.debt), Some(0));
	}

	#[benchmark]
	fn unbond() {
		let (m, owner) = bonded_model::<T>(0);
		let staker = funded::<T>("staker", 0);
		join::<T>(&staker, m, 10_000 * NMR, 0);
		#[extrinsic_call]
		unbond(RawOrigin::Signed(owner), m, 1_000 * NMR);
	}

	#[benchmark]
	fn exit_fee_shares() {
		let (m, owner) = bonded_model::<T>(0);
		let now = with_fee_shares::<T>(m, &owner);
		set_round::<T>(now + 1);
		let shares = Pools::<T>::get(m).map_or(0, |p| p.ledger.owner_shares);
		#[extrinsic_call]
		exit_fee_shares(RawOrigin::Signed(owner), m, shares);
		assert!(FeeExits::<T>::get(m, now + 1).is_some());
	}

	#[benchmark]
	fn withdraw_fee_exit() {
		let (m, owner) = bonded_model::<T>(0);
		let now = with_fee_shares::<T>(m, &owner);
		set_round::<T>(now + 1);
		let shares = Pools::<T>::get(m).map_or(0, |p| p.ledger.owner_shares);
		let _ =
			Delegation::<T>::exit_fee_shares(RawOrigin::Signed(owner.clone()).into(), m, shares);
		settle_through::<T>(m, now + 1);
		#[extrinsic_call]
		withdraw_fee_exit(RawOrigin::Signed(owner), m, now + 1);
		assert!(FeeExits::<T>::get(m, now + 1).is_none());
	}

	#[benchmark]
	fn claim_owner_payable() {
		let (m, owner) = bonded_model::<T>(0);
		let staker = funded::<T>("staker", 0);
		join::<T>(&staker, m, 1_000 * NMR, 10);
		advance::<T>(m, BASE + 2, 0);
		#[extrinsic_call]
		claim_owner_payable(RawOrigin::Signed(owner), m);
		assert_eq!(Pools::<T>::get(m).map(|p| p.book.payable), Some(0));
	}

	/// The most rounds recorded and two deferred results applied.
	#[benchmark]
	fn catch_up() {
		let (m, _) = bonded_model::<T>(0);
		let staker = funded::<T>("staker", 0);
		join::<T>(&staker, m, 1_000 * NMR, 0);
		advance::<T>(m, BASE + 2, 0);
		let behind = T::MaxCatchUp::get();
		set_round::<T>(BASE + 2 + 3 * behind);
		// Two results arrive while the pool is far behind: both wait.
		for r in [BASE + 3, BASE + 4] {
			<Delegation<T> as OnRoundFinalized>::on_round_finalized(
				&m,
				r,
				&RoundReturn::Resolved { at_risk: 1_000 * NMR, payout: (10 * NMR) as i128 },
			);
		}
		assert_eq!(Pools::<T>::get(m).and_then(|p| p.deferred), Some((BASE + 3, 2)));
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		catch_up(RawOrigin::Signed(caller), m);
		assert_eq!(Pools::<T>::get(m).and_then(|p| p.last_finalised), Some(BASE + 4));
	}

	#[benchmark]
	fn set_fee_caps() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let caps = numerstake_primitives::FeeCaps::SAFE.1;
		#[extrinsic_call]
		set_fee_caps(origin as T::RuntimeOrigin, caps);
		assert_eq!(Global::<T>::get().caps, caps);
		Ok(())
	}

	#[benchmark]
	fn set_protocol_params() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = ProtocolParams::SAFE.1;
		#[extrinsic_call]
		set_protocol_params(origin as T::RuntimeOrigin, params);
		assert_eq!(Global::<T>::get().protocol, params);
		Ok(())
	}

	/// Settling a round of a pool with `d` delegations, in its most expensive path with a
	/// gain: the most rounds to record, a cohort with the most exits asked before activation, a
	/// gain on an under-staked round (a backing breach) that the bond pays only in part (debt),
	/// an exit cohort burned, a fee-period end, and the bond falling short (a status change).
	/// `d` must not matter.
	#[benchmark]
	fn on_round_finalized(d: Linear<1, 10_000>) {
		let (m, owner, r) = worst_settlement::<T>(d);
		let req = Cohorts::<T>::get(m, r).req.unwrap_or(NMR);
		let at_risk = req / 2;
		let payout = (at_risk / 20) as i128;
		// Earlier gains left a bond that pays half of this one.
		let left = payout as u128 / 2;
		let bonded = Pools::<T>::get(m).map_or(0, |p| p.book.bond);
		let _ = T::Currency::release(
			&HoldReason::OwnerBond.into(),
			&owner,
			bonded - left,
			Precision::Exact,
		);
		Pools::<T>::mutate(m, |p| {
			if let Some(p) = p {
				p.book.bond = left;
			}
		});
		assert!(Pools::<T>::get(m).is_some_and(|p| p.book.bond < payout as u128));
		let result = RoundReturn::Resolved { at_risk, payout };
		#[block]
		{
			<Delegation<T> as OnRoundFinalized>::on_round_finalized(&m, r, &result);
		}
		let pool = Pools::<T>::get(m).expect("pool");
		assert_eq!(pool.last_finalised, Some(r));
		assert!(pool.book.debt > 0 && pool.calendar.last_period_end == Some(r));
		// With members staying in the pool, the bond is now short of their requirement.
		assert!(d <= MAX_PRE_EXITS || pool.under_bonded_since.is_some());
	}

	/// The same round losing everything: the epoch closes (its shares paid out at price 0)
	/// with the rounds opened since recorded with them, whose requirements are reset (in
	/// constant work: no round is rewritten). `d` must not matter.
	#[benchmark]
	fn on_round_finalized_close(d: Linear<1, 10_000>) {
		let (m, _, r) = worst_settlement::<T>(d);
		let req = Cohorts::<T>::get(m, r).req.unwrap_or(NMR);
		// Earlier losses left the price just above the floor: this one takes the rest.
		Pools::<T>::mutate(m, |p| {
			if let Some(p) = p {
				p.ledger.price = 2 * maths::PRICE_FLOOR;
			}
		});
		let result = RoundReturn::Resolved { at_risk: req, payout: -(req as i128) };
		#[block]
		{
			<Delegation<T> as OnRoundFinalized>::on_round_finalized(&m, r, &result);
		}
		let pool = Pools::<T>::get(m).expect("pool");
		assert_eq!((pool.last_finalised, pool.ledger.price), (Some(r), ONE));
		// (With one delegation, it leaves at r itself and there is nothing left to close.)
		assert!(
			d == 1 || pool.ledger.epoch == 1 && pool.recorder.reset_through.is_some_and(|t| t > r)
		);
	}

	/// The oracle opened a round: the pallet's copy of the clock moves.
	#[benchmark]
	fn on_round_opened() {
		set_round::<T>(BASE);
		#[block]
		{
			<Delegation<T> as OnRoundFinalized>::on_round_opened(BASE + 1);
		}
		assert_eq!(Delegation::<T>::current_round(), BASE + 1);
	}

	/// The oracle watches a model again whose idle pool expected an earlier round (the most
	/// either watch hook does): the pool takes delegations again and restarts at the round
	/// the oracle finalises first, its skipped rounds kept for pruning.
	#[benchmark]
	fn on_watched() {
		let (m, _) = bonded_model::<T>(1);
		Pools::<T>::mutate(m, |p| {
			if let Some(p) = p {
				p.watched = false;
			}
		});
		set_round::<T>(BASE + 10);
		#[block]
		{
			<Delegation<T> as OnRoundFinalized>::on_watched(&m, Some(BASE + 10));
		}
		let pool = Pools::<T>::get(m).expect("pool");
		assert!(pool.watched);
		assert_eq!(Delegation::<T>::next_to_settle(&pool), Some(BASE + 10));
	}

	impl_benchmark_test_suite!(Delegation, crate::mock::new_test_ext(), crate::mock::Test);
}
