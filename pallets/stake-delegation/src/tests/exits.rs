//! Leaving: exposure to every round opened before the request, commitments and what frees them,
//! exits before activation, withdrawal.

use super::*;
use crate::maths::ONE;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_core::H256,
};

const R: RoundIndex = START_ROUND;

/// Alice delegates 1,000 NMR for `term` rounds (first round 102); rounds settle flat through
/// 102.
fn alice_active(term: RoundIndex) -> ModelId {
	let m = model_with(free_terms(), 100_000 * NMR);
	join(ALICE, m, 1_000 * NMR, term);
	open_until(R + 2);
	resolve_through(m, R + 2, 0);
	m
}

/// Alice's delegation 0 in `m` asked to exit after `last_round`, freed of its lock or not.
fn assert_alice_exits(m: ModelId, last_round: RoundIndex, freed: Option<Freed>) {
	let expected = Event::ExitRequested { staker: ALICE, model: m, index: 0, last_round, freed };
	assert!(events().contains(&expected), "no {expected:?} in {:?}", events());
}

#[test]
fn a_rolling_exit_stays_exposed_to_every_round_already_open() {
	build_and_execute(|| {
		let m = alice_active(0);
		open_until(R + 5);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(BOB), m));
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		System::assert_last_event(
			Event::<Test>::ExitRequested {
				staker: ALICE,
				model: m,
				index: 0,
				last_round: R + 5,
				freed: None,
			}
			.into(),
		);
		assert_noop!(
			StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0),
			Error::<Test>::NotYetReleased
		);
		// Rounds 103..=105 (open before the request) still count: +1 % each of the 1,000 NMR
		// staked on Numerai for each, as recorded when they opened.
		for r in R + 3..=R + 5 {
			let at_risk = requirement_of(m, r);
			assert_eq!(at_risk, 1_000 * NMR);
			resolve(m, r, at_risk, at_risk as i128 / 100);
		}
		let before = free(ALICE);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0));
		assert_eq!(free(ALICE) - before, 1_030 * NMR);
		assert!(Delegations::<Test>::get((ALICE, m, 0)).is_none());
		assert_eq!(pool(m).delegations, 0);
	});
}

#[test]
fn a_commitment_keeps_the_stake_in_until_its_end() {
	build_and_execute(|| {
		let m = alice_active(10);
		open_round(); // 103
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		// Committed for rounds 102..=111.
		assert_eq!(delegation(ALICE, m, 0).stage, Stage::Exiting { last_round: R + 11 });
		assert_alice_exits(m, R + 11, None);
		let view = StakeDelegation::positions_of(ALICE);
		assert_eq!(view[0].locked_until, Some(R + 11));
		assert_eq!(view[0].release_round, Some(R + 11));
	});
}

#[test]
fn a_backing_breach_inside_the_commitment_frees_the_staker() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 100_000 * NMR);
		join(ALICE, m, 1_000 * NMR, 10);
		open_until(R + 3);
		resolve_through(m, R + 1, 0);
		// Round 102: the owner staked half of what was required.
		resolve(m, R + 2, 500 * NMR, 0);
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		assert_alice_exits(m, R + 3, Some(Freed::BackingBreach));
	});
}

#[test]
fn a_breach_before_the_commitment_began_frees_nobody() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 100_000 * NMR);
		join(BOB, m, 1_000 * NMR, 0);
		open_until(R + 2);
		resolve_through(m, R + 1, 0);
		resolve(m, R + 2, 500 * NMR, 0); // breach in round 102
		join(ALICE, m, 1_000 * NMR, 10); // first round 104
		open_until(R + 4);
		resolve_through(m, R + 4, 0);
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 1));
		assert_eq!(delegation(ALICE, m, 1).stage, Stage::Exiting { last_round: R + 13 });
	});
}

#[test]
fn a_version_change_inside_the_commitment_frees_the_staker() {
	build_and_execute(|| {
		let m = alice_active(10);
		assert_ok!(Registry::commit_version(
			RuntimeOrigin::signed(OWNER),
			m,
			H256::repeat_byte(7),
			Some(R + 6),
			BoundedVec::truncate_from(b"new features".to_vec())
		));
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		assert_alice_exits(m, R + 2, Some(Freed::VersionChanged));
	});
}

#[test]
fn staying_under_bonded_past_the_grace_rounds_frees_the_staker() {
	build_and_execute(|| {
		// A 250 NMR bond covers exactly 1,000 NMR at 25 %; a gain takes the bond below.
		let m = model_with(free_terms(), 250 * NMR);
		join(ALICE, m, 1_000 * NMR, 20);
		open_until(R + 2);
		resolve_through(m, R + 1, 0);
		resolve(m, R + 2, 1_000 * NMR, 10 * NMR as i128);
		assert_eq!(pool(m).under_bonded_since, Some(R + 2));
		assert_eq!(
			pallet_model_registry::Models::<Test>::get(m).unwrap().status,
			numerstake_primitives::ModelStatus::UnderBonded
		);
		// Within the grace rounds the commitment binds.
		open_until(R + 6);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(BOB), m));
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		assert_eq!(delegation(ALICE, m, 0).stage, Stage::Exiting { last_round: R + 21 });
	});
	build_and_execute(|| {
		let m = model_with(free_terms(), 250 * NMR);
		join(ALICE, m, 1_000 * NMR, 20);
		open_until(R + 2);
		resolve_through(m, R + 1, 0);
		resolve(m, R + 2, 1_000 * NMR, 10 * NMR as i128);
		// Five grace rounds later it no longer does.
		open_until(R + 7);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(BOB), m));
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		assert_alice_exits(m, R + 7, Some(Freed::UnderBonded));
	});
}

#[test]
fn an_exit_asked_after_the_first_round_opened_but_before_activation_keeps_its_exposure() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 100_000 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		join(BOB, m, 1_000 * NMR, 0);
		// Rounds 102..=104 open; Alice changes her mind while 104 is the latest.
		open_until(R + 4);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(CHARLIE), m));
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		assert_eq!(delegation(ALICE, m, 0).stage, Stage::QueuedExit { last_round: R + 4 });
		assert_eq!(pool(m).joins.cohorts[0].exiting, 1_000 * NMR);
		// She is exposed to 102, 103 and 104 (+1 % each), not to 105.
		resolve_through(m, R + 1, 0);
		for r in R + 2..=R + 4 {
			resolve(m, r, requirement_of(m, r), requirement_of(m, r) as i128 / 100);
		}
		open_round();
		resolve(m, R + 5, requirement_of(m, R + 5), requirement_of(m, R + 5) as i128 / 100);
		assert_eq!(requirement_of(m, R + 5), 0, "round 105 was recorded when it opened");
		// Each round's requirement was the 2,000 NMR principal when it opened.
		let before = free(ALICE);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0));
		assert_eq!(free(ALICE) - before, 1_030 * NMR);
		// Bob stays, with the same three rounds so far.
		assert_eq!(position_value(BOB, m, 1), 1_030 * NMR);
	});
}

#[test]
fn exits_before_activation_are_bounded_per_cohort() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 100_000 * NMR);
		let stakers: Vec<AccountId> = (10..40u128).chain([ALICE, CHARLIE, DAVE]).collect();
		for who in &stakers {
			join(*who, m, 10 * NMR, 0);
		}
		open_until(R + 2);
		let slots = MAX_PRE_EXITS as usize;
		for (i, who) in stakers.iter().take(slots).enumerate() {
			assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(*who), m, i as u32));
			open_round();
			assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(BOB), m));
		}
		// Every round of more than a month has its own exit round; one more must wait for the
		// activation.
		assert_noop!(
			StakeDelegation::request_exit(RuntimeOrigin::signed(stakers[slots]), m, slots as u32),
			Error::<Test>::TooManyPendingExits
		);
		assert_eq!(PreExits::<Test>::get(m, R + 2).len(), slots);
	});
}

#[test]
fn withdrawing_and_exiting_refuse_what_does_not_apply() {
	build_and_execute(|| {
		let m = alice_active(0);
		assert_noop!(
			StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 7),
			Error::<Test>::UnknownDelegation
		);
		assert_noop!(
			StakeDelegation::request_exit(RuntimeOrigin::signed(BOB), m, 0),
			Error::<Test>::UnknownDelegation
		);
		assert_noop!(
			StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0),
			Error::<Test>::NotExiting
		);
		open_round(); // 103
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		assert_noop!(
			StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0),
			Error::<Test>::AlreadyExiting
		);
		join(BOB, m, 100 * NMR, 0);
		open_until(R + 5);
		// Bob's first round (105) opened: his exit waits for the activation.
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(BOB), m, 1));
		assert_noop!(
			StakeDelegation::withdraw(RuntimeOrigin::signed(BOB), m, 1),
			Error::<Test>::NotYetReleased
		);
		assert_eq!(pool(m).ledger.price, ONE);
	});
}

#[test]
fn an_exit_needing_more_fee_periods_than_one_call_settles_asks_for_settle() {
	build_and_execute(|| {
		let m = model_with(basic_terms(), 100_000 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		// 50 rounds: ten fee periods of five.
		for _ in 0..50 {
			let r = open_round();
			resolve_through(m, r - 1, 0);
		}
		assert_noop!(
			StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0),
			Error::<Test>::SettleFirst
		);
		assert_ok!(StakeDelegation::settle(RuntimeOrigin::signed(BOB), ALICE, m, 0, 8));
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
	});
}

#[test]
fn with_every_opened_round_settled_an_exit_pays_out_at_once() {
	build_and_execute(|| {
		let m = alice_active(0);
		// Round 102 is the latest opened and it is settled.
		let before = free(ALICE);
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		assert_eq!(free(ALICE) - before, 1_000 * NMR);
		assert!(Delegations::<Test>::get((ALICE, m, 0)).is_none());
		assert!(
			Cohorts::<Test>::iter_prefix(m).next().is_none(),
			"no exit cohort for a settled round"
		);
	});
}

#[test]
fn check_tells_what_the_call_would_do_and_changes_nothing() {
	use pallet_stake_delegation_runtime_api::PoolAction;
	use polkadot_sdk::sp_io::storage::root;
	build_and_execute(|| {
		let m = alice_active(0);
		let err = |e: Error<Test>| Some(polkadot_sdk::sp_runtime::DispatchError::from(e));
		// Each answer equals what the call itself then does, and the check writes nothing.
		let before = root(polkadot_sdk::sp_runtime::StateVersion::V1);
		assert_eq!(
			StakeDelegation::check(ALICE, m, PoolAction::Withdraw { index: 0 }),
			err(Error::<Test>::NotExiting)
		);
		assert_eq!(
			StakeDelegation::check(BOB, m, PoolAction::RequestExit { index: 0 }),
			err(Error::<Test>::UnknownDelegation)
		);
		assert_eq!(
			StakeDelegation::check(BOB, m, PoolAction::ClaimOwnerPayable),
			err(Error::<Test>::NotOwner)
		);
		assert_eq!(StakeDelegation::check(ALICE, m, PoolAction::RequestExit { index: 0 }), None);
		// A settle is accepted whenever the delegation exists; the view says whether it would
		// walk any fee period (here none has ended).
		assert_eq!(
			StakeDelegation::check(ALICE, m, PoolAction::Settle { staker: ALICE, index: 0 }),
			None
		);
		assert_eq!(StakeDelegation::positions_of(ALICE)[0].settle_periods, 0);
		assert_eq!(root(polkadot_sdk::sp_runtime::StateVersion::V1), before);
		assert_noop!(
			StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0),
			Error::<Test>::NotExiting
		);
		// A round opened since the pool last caught up: the check catches up first, as the
		// batch a wallet sends does, and still writes nothing.
		open_until(R + 5);
		let before = root(polkadot_sdk::sp_runtime::StateVersion::V1);
		assert_eq!(StakeDelegation::check(ALICE, m, PoolAction::RequestExit { index: 0 }), None);
		assert_eq!(root(polkadot_sdk::sp_runtime::StateVersion::V1), before);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(BOB), m));
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		assert_eq!(
			StakeDelegation::check(ALICE, m, PoolAction::RequestExit { index: 0 }),
			err(Error::<Test>::AlreadyExiting)
		);
		assert_eq!(
			StakeDelegation::check(ALICE, m, PoolAction::Withdraw { index: 0 }),
			err(Error::<Test>::NotYetReleased)
		);
		for r in R + 3..=R + 5 {
			let at_risk = requirement_of(m, r);
			resolve(m, r, at_risk, 0);
		}
		assert_eq!(StakeDelegation::check(ALICE, m, PoolAction::Withdraw { index: 0 }), None);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0));
	});
}
