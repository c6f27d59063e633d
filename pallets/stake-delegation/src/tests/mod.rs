//! Tests of stake delegation, by feature. Each runs inside `build_and_execute`, which checks
//! both pallets' invariants and total issuance afterwards.

mod attack;
mod bonds;
mod differential;
mod exits;
mod fees;
mod governance;
mod joining;
mod reference;
mod review;
mod scenarios;
mod settlement;

use crate::{mock::*, *};
pub use numerstake_primitives::terms::{ladder, CommitmentOption};
use polkadot_sdk::{
	frame_support::{assert_ok, traits::fungible::InspectHold, BoundedVec},
	sp_runtime::Permill,
};

/// Terms with the runtime's balance.
pub type Terms = numerstake_primitives::terms::Terms<Balance>;

pub const MODEL_TEXT: &[u8] = b"11111111-2222-4333-8444-555555555555";
pub const OTHER_TEXT: &[u8] = b"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

pub fn model() -> ModelId {
	ModelId::parse(MODEL_TEXT).unwrap()
}

pub fn other_model() -> ModelId {
	ModelId::parse(OTHER_TEXT).unwrap()
}

/// 10 to 100,000 NMR per delegation, 1,000,000 NMR capacity; 0.01 NMR per served round up to
/// 1,000 NMR and 0.5 NMR above; 20 % performance fee up to 1,000 NMR and 10 % above; rolling,
/// or 10 rounds at 10 % off, or 20 rounds at 20 % off.
pub fn basic_terms() -> Terms {
	Terms {
		capacity: 1_000_000 * NMR,
		min_delegation: 10 * NMR,
		max_delegation: 100_000 * NMR,
		fixed_fee: ladder(&[(1_000 * NMR, NMR / 100), (100_000 * NMR, NMR / 2)]),
		performance_fee: ladder(&[
			(1_000 * NMR, Permill::from_percent(20)),
			(Balance::MAX, Permill::from_percent(10)),
		]),
		commitments: BoundedVec::truncate_from(vec![
			CommitmentOption { term_rounds: 0, discount: Permill::zero() },
			CommitmentOption { term_rounds: 10, discount: Permill::from_percent(10) },
			CommitmentOption { term_rounds: 20, discount: Permill::from_percent(20) },
		]),
		document: None,
	}
}

/// Terms without fees.
pub fn free_terms() -> Terms {
	Terms { fixed_fee: ladder(&[]), performance_fee: ladder(&[]), ..basic_terms() }
}

/// `owner` registers `model`, the oracle attests it, and `terms` take effect next round.
pub fn register_active(owner: AccountId, model: ModelId, terms: Terms) {
	assert_ok!(Registry::register_model(
		RuntimeOrigin::signed(owner),
		BoundedVec::truncate_from(model.to_text().to_vec()),
		BoundedVec::truncate_from(b"model".to_vec()),
	));
	assert_ok!(
		<Registry as numerstake_primitives::OwnershipAttestation<AccountId>>::attest_ownership(
			&model, &owner
		)
	);
	assert_ok!(Registry::set_terms(RuntimeOrigin::signed(owner), model, terms, None));
	// The oracle follows a verified model it does not follow yet from the next round.
	if !<Clock as RoundClock>::watches(&model) {
		oracle_watch(model, None);
	}
}

/// The default model, active with `terms` and a bond of `bond`, owned by [`OWNER`].
pub fn model_with(terms: Terms, bond: Balance) -> ModelId {
	register_active(OWNER, model(), terms);
	assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), model(), bond));
	model()
}

/// The default model with basic terms and a 100,000 NMR bond.
pub fn bonded_model() -> ModelId {
	model_with(basic_terms(), 100_000 * NMR)
}

/// The latest terms version of `m`.
pub fn version(m: ModelId) -> u32 {
	use numerstake_primitives::ModelRegistryInspect;
	<Registry as ModelRegistryInspect<AccountId, Balance>>::latest_terms(&m).unwrap().0
}

/// `who` delegates `amount` to `m` for `term` rounds; returns the delegation's index.
pub fn join(who: AccountId, m: ModelId, amount: Balance, term: RoundIndex) -> DelegationIndex {
	let index = Pools::<Test>::get(m).unwrap().next_index;
	assert_ok!(StakeDelegation::delegate(
		RuntimeOrigin::signed(who),
		m,
		amount,
		term,
		version(m),
		None
	));
	index
}

/// The oracle reports the next round opened.
pub fn open_round() -> RoundIndex {
	oracle_open(CurrentRound::get() + 1);
	CurrentRound::get()
}

/// Opens rounds until `round` is the latest.
pub fn open_until(round: RoundIndex) {
	while CurrentRound::get() < round {
		open_round();
	}
}

/// The oracle finalises `m`'s round `round`.
pub fn finalize(m: ModelId, round: RoundIndex, result: RoundReturn) {
	oracle_advance(m, round);
	<StakeDelegation as OnRoundFinalized>::on_round_finalized(&m, round, &result);
}

/// The oracle finalises `m`'s round `round` as resolved with `at_risk` and `payout`.
pub fn resolve(m: ModelId, round: RoundIndex, at_risk: Balance, payout: i128) {
	finalize(m, round, RoundReturn::Resolved { at_risk, payout });
}

/// Finalises every unsettled round of `m` up to `round` with `payout_bp` basis points on a fully
/// backed stake.
pub fn resolve_through(m: ModelId, round: RoundIndex, payout_bp: i128) {
	loop {
		let pool = Pools::<Test>::get(m).unwrap();
		let next = pool.last_finalised.map_or(START_ROUND, |l| l + 1);
		if next > round {
			break;
		}
		let req = requirement_of(m, next);
		let at_risk = req.max(NMR);
		resolve(m, next, at_risk, at_risk as i128 * payout_bp / 10_000);
	}
}

/// Settles every round of `m` up to `through` with `bp(round)` basis points on what each
/// required (at least 1 NMR at risk), opening rounds and catching up as needed.
pub fn run_rounds(m: ModelId, through: RoundIndex, bp: impl Fn(RoundIndex) -> i128) {
	open_until(through.max(CurrentRound::get()));
	let _ = StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m);
	loop {
		let next = pool(m).last_finalised.map_or(START_ROUND, |l| l + 1);
		if next > through {
			break;
		}
		let req = requirement_of(m, next).max(NMR);
		resolve(m, next, req, req as i128 * bp(next) / 10_000);
		let _ = StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m);
	}
}

/// `who` asks to leave `m` with delegation `index`.
pub fn exit(who: AccountId, m: ModelId, index: DelegationIndex) {
	assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(who), m, index));
}

/// The requirement `m`'s pool settled `round` with (from its `RoundSettled` event).
pub fn settled_requirement(m: ModelId, round: RoundIndex) -> Balance {
	events()
		.into_iter()
		.find_map(|e| match e {
			Event::RoundSettled { model, round: r, requirement, .. }
				if model == m && r == round =>
			{
				Some(requirement)
			},
			_ => None,
		})
		.unwrap_or_else(|| panic!("round {round} not settled"))
}

/// The requirement recorded for `round` (the pool records on its next touch).
pub fn requirement_of(m: ModelId, round: RoundIndex) -> Balance {
	Cohorts::<Test>::get(m, round).req.unwrap_or(0)
}

/// The pool of `m`.
pub fn pool(m: ModelId) -> Pool<AccountId> {
	Pools::<Test>::get(m).unwrap()
}

/// `who`'s delegation `index` in `m`.
pub fn delegation(who: AccountId, m: ModelId, index: DelegationIndex) -> Delegation {
	Delegations::<Test>::get((who, m, index)).unwrap()
}

/// NMR held as `who`'s owner bond.
pub fn bond_held(who: AccountId) -> Balance {
	<Balances as InspectHold<AccountId>>::balance_on_hold(&HoldReason::OwnerBond.into(), &who)
}

/// Free NMR of `who`.
pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

/// Events of this pallet so far, oldest first.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::StakeDelegation(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// The value `who`'s delegation would withdraw now, as the runtime API shows it.
pub fn position_value(who: AccountId, m: ModelId, index: DelegationIndex) -> Balance {
	StakeDelegation::positions_of(who)
		.into_iter()
		.find(|p| p.model == m && p.index == index)
		.map(|p| p.value)
		.unwrap()
}

/// Every delegation of `m`, as the runtime API shows it.
pub fn positions_of_all(m: ModelId) -> Vec<pallet_stake_delegation_runtime_api::PositionView> {
	Delegations::<Test>::iter()
		.filter(|((_, model, _), _)| *model == m)
		.filter_map(|((_, model, index), d)| StakeDelegation::scratch_view(model, index, d))
		.collect()
}
