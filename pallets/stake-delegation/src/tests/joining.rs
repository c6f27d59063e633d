//! Delegating: consent to terms, limits, capacity, bond, concentration, cohorts, cancelling.

use super::*;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_core::H256,
	sp_runtime::Perbill,
};

#[test]
fn a_join_queues_principal_into_the_cohort_of_its_first_round() {
	build_and_execute(|| {
		let m = bonded_model();
		let before = free(ALICE);
		let index = join(ALICE, m, 100 * NMR, 0);
		// Round 100 is open; activation lag 1: first round 102.
		let d = delegation(ALICE, m, index);
		assert_eq!(d.first_round, START_ROUND + 2);
		assert_eq!(d.stage, Stage::Queued);
		assert_eq!(free(ALICE), before - 100 * NMR);
		let p = pool(m);
		assert_eq!(p.joins.queued, 100 * NMR);
		assert_eq!(p.joins.cohorts.len(), 1);
		assert_eq!(p.joins.cohorts[0].round, START_ROUND + 2);
		assert_eq!(free(StakeDelegation::pool_account(&m)), 100 * NMR + p.book.account_deposit);
		System::assert_last_event(
			Event::<Test>::Delegated {
				staker: ALICE,
				model: m,
				index,
				principal: 100 * NMR,
				prepaid: 0,
				first_round: START_ROUND + 2,
				term_rounds: 0,
				terms_version: 0,
			}
			.into(),
		);
	});
}

#[test]
fn a_commitment_prepays_its_whole_fixed_fee() {
	build_and_execute(|| {
		let m = bonded_model();
		let before = free(ALICE);
		let index = join(ALICE, m, 100 * NMR, 10);
		let d = delegation(ALICE, m, index);
		// 10 rounds at 0.01 NMR, 10 % off.
		assert_eq!(d.prepaid, 9 * NMR / 100);
		assert_eq!(free(ALICE), before - 100 * NMR - 9 * NMR / 100);
		assert_eq!(d.commitments[0].start, START_ROUND + 2);
		assert_eq!(d.commitments[0].end, START_ROUND + 11);
		assert_eq!(pool(m).joins.queued_prepaid, 9 * NMR / 100);
	});
}

#[test]
fn the_staker_consents_to_the_terms_they_read() {
	build_and_execute(|| {
		let m = bonded_model();
		// The owner publishes new terms; a staker quoting version 0 is refused.
		assert_ok!(Registry::set_terms(RuntimeOrigin::signed(OWNER), m, free_terms(), None));
		assert_noop!(
			StakeDelegation::delegate(RuntimeOrigin::signed(ALICE), m, 100 * NMR, 0, 0, None),
			Error::<Test>::TermsChanged
		);
		assert_noop!(
			StakeDelegation::delegate(
				RuntimeOrigin::signed(ALICE),
				m,
				100 * NMR,
				0,
				1,
				Some(H256::zero())
			),
			Error::<Test>::DocumentChanged
		);
		assert_ok!(StakeDelegation::delegate(
			RuntimeOrigin::signed(ALICE),
			m,
			100 * NMR,
			0,
			1,
			None
		));
	});
}

#[test]
fn every_refusal_has_its_error_and_changes_nothing() {
	build_and_execute(|| {
		let delegate = |who, m, amount, term| {
			StakeDelegation::delegate(RuntimeOrigin::signed(who), m, amount, term, 0, None)
		};
		assert_noop!(delegate(ALICE, model(), NMR / 2, 0), Error::<Test>::BelowProtocolMinimum);
		assert_noop!(delegate(ALICE, model(), 100 * NMR, 0), Error::<Test>::UnknownModel);
		assert_ok!(Registry::register_model(
			RuntimeOrigin::signed(OWNER),
			BoundedVec::truncate_from(MODEL_TEXT.to_vec()),
			BoundedVec::truncate_from(b"model".to_vec()),
		));
		assert_noop!(delegate(ALICE, model(), 100 * NMR, 0), Error::<Test>::ModelNotActive);
		assert_ok!(
			<Registry as numerstake_primitives::OwnershipAttestation<AccountId>>::attest_ownership(
				&model(),
				&OWNER
			)
		);
		assert_noop!(delegate(ALICE, model(), 100 * NMR, 0), Error::<Test>::ModelNotActive);
		assert_ok!(Registry::set_terms(RuntimeOrigin::signed(OWNER), model(), basic_terms(), None));
		assert_noop!(delegate(ALICE, model(), 100 * NMR, 0), Error::<Test>::NoPool);
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), model(), 100 * NMR));
		let m = model();
		assert_noop!(delegate(ALICE, m, 100 * NMR, 5), Error::<Test>::CommitmentNotOffered);
		assert_noop!(delegate(ALICE, m, 5 * NMR, 0), Error::<Test>::BelowMinimum);
		assert_noop!(delegate(ALICE, m, 200_000 * NMR, 0), Error::<Test>::AboveMaximum);
		// A bond of 100 NMR covers 400 NMR at 25 %.
		assert_noop!(delegate(ALICE, m, 401 * NMR, 0), Error::<Test>::InsufficientBond);
		assert_noop!(delegate(PAUPER, m, 100 * NMR, 0), Error::<Test>::InsufficientBalance);
		oracle_unwatch(m);
		assert_noop!(delegate(ALICE, m, 100 * NMR, 0), Error::<Test>::ModelNotWatched);
		oracle_watch(m, Some(START_ROUND));
		set_clock(0, None);
		assert_noop!(delegate(ALICE, m, 100 * NMR, 0), Error::<Test>::NoRoundsYet);
		set_clock(START_ROUND, Some(START_ROUND));
		assert_ok!(Registry::suspend_model(RuntimeOrigin::root(), m));
		assert_noop!(delegate(ALICE, m, 100 * NMR, 0), Error::<Test>::ModelSuspended);
		assert_ok!(Registry::resume_model(RuntimeOrigin::root(), m));
		assert_ok!(Registry::retire_model(RuntimeOrigin::signed(OWNER), m));
		assert_noop!(delegate(ALICE, m, 100 * NMR, 0), Error::<Test>::ModelRetiring);
	});
}

#[test]
fn capacity_counts_everything_queued_and_active() {
	build_and_execute(|| {
		let terms = Terms { capacity: 1_000 * NMR, max_delegation: 1_000 * NMR, ..basic_terms() };
		let m = model_with(terms, 1_000 * NMR);
		join(ALICE, m, 600 * NMR, 0);
		assert_noop!(
			StakeDelegation::delegate(RuntimeOrigin::signed(BOB), m, 401 * NMR, 0, 0, None),
			Error::<Test>::CapacityExceeded
		);
		join(BOB, m, 400 * NMR, 0);
	});
}

#[test]
fn concentration_caps_bind_once_enough_is_delegated() {
	build_and_execute(|| {
		// Two models of different owners; caps from 1,000 NMR: 50 % per model, 60 % per owner.
		let m = bonded_model();
		register_active(OTHER_OWNER, other_model(), basic_terms());
		assert_ok!(StakeDelegation::bond(
			RuntimeOrigin::signed(OTHER_OWNER),
			other_model(),
			100_000 * NMR
		));
		let mut params = ProtocolParams::DEFAULT;
		params.caps_from_total = 1_000 * NMR;
		params.model_cap = Perbill::from_percent(50);
		params.operator_cap = Perbill::from_percent(60);
		params.fee_period = 5;
		assert_ok!(StakeDelegation::set_protocol_params(RuntimeOrigin::root(), params));
		// Below the minimum total: no cap.
		join(ALICE, m, 900 * NMR, 0);
		// The chain's total counts settled value: settle the rounds so 900 NMR is active.
		open_until(START_ROUND + 2);
		resolve_through(m, START_ROUND + 2, 0);
		resolve_through(other_model(), START_ROUND + 2, 0);
		assert_eq!(Global::<Test>::get().total_value, 900 * NMR);
		// 900 + 100 of 1,000 is above 50 %.
		assert_noop!(
			StakeDelegation::delegate(RuntimeOrigin::signed(BOB), m, 100 * NMR, 0, 0, None),
			Error::<Test>::ModelConcentration
		);
		// The other model may take stake: 900 of 1,800 is 50 % for each.
		join(BOB, other_model(), 900 * NMR, 0);
		params.model_cap = Perbill::from_percent(100);
		params.operator_cap = Perbill::from_percent(40);
		assert_ok!(StakeDelegation::set_protocol_params(RuntimeOrigin::root(), params));
		// 900 + 100 of the 1,000 NMR counted would be 100 % of it for the owner.
		assert_noop!(
			StakeDelegation::delegate(RuntimeOrigin::signed(CHARLIE), m, 100 * NMR, 0, 0, None),
			Error::<Test>::OperatorConcentration
		);
	});
}

#[test]
fn joins_of_one_round_share_a_cohort_and_later_rounds_get_their_own() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 100 * NMR, 0);
		join(BOB, m, 50 * NMR, 10);
		open_round();
		join(CHARLIE, m, 30 * NMR, 0);
		let p = pool(m);
		assert_eq!(p.joins.cohorts.len(), 2);
		assert_eq!(
			(p.joins.cohorts[0].round, p.joins.cohorts[0].principal, p.joins.cohorts[0].members),
			(START_ROUND + 2, 150 * NMR, 2)
		);
		assert_eq!(
			(p.joins.cohorts[1].round, p.joins.cohorts[1].principal),
			(START_ROUND + 3, 30 * NMR)
		);
		// Round 101 opened: its requirement was recorded before Charlie joined (nothing exposed).
		assert_eq!(requirement_of(m, START_ROUND + 1), 0);
		assert_eq!(p.recorder.next_principal, 150 * NMR, "round 102 will expose the first cohort");
	});
}

#[test]
fn exiting_before_the_first_round_opens_cancels_with_a_full_refund() {
	build_and_execute(|| {
		let m = bonded_model();
		let before = free(ALICE);
		let index = join(ALICE, m, 100 * NMR, 10);
		open_round();
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, index));
		assert_eq!(free(ALICE), before);
		assert!(Delegations::<Test>::get((ALICE, m, index)).is_none());
		let p = pool(m);
		assert_eq!(
			(p.joins.queued, p.joins.queued_prepaid, p.principal, p.delegations),
			(0, 0, 0, 0)
		);
		assert!(p.joins.cohorts.is_empty());
		assert!(events().contains(&Event::DelegationCancelled {
			staker: ALICE,
			model: m,
			index,
			refunded: 100 * NMR + 9 * NMR / 100
		}));
	});
}

#[test]
fn a_pool_behind_the_rounds_asks_for_catch_up() {
	build_and_execute(|| {
		let m = bonded_model();
		// (An idle pool records every opened round at once: nothing is exposed to them.)
		join(BOB, m, 100 * NMR, 0);
		open_until(START_ROUND + 3);
		assert_noop!(
			StakeDelegation::delegate(RuntimeOrigin::signed(ALICE), m, 100 * NMR, 0, 0, None),
			Error::<Test>::CatchUpRequired
		);
		// The quote answers for the batch wallets send, `catch_up` then `delegate`, which
		// would be accepted, and writes nothing.
		let before = polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1);
		assert_eq!(StakeDelegation::quote(m, 100 * NMR, 0).map(|q| q.refusal), Some(None));
		assert_eq!(
			polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1),
			before
		);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(BOB), m));
		assert_noop!(
			StakeDelegation::catch_up(RuntimeOrigin::signed(BOB), m),
			Error::<Test>::AlreadyCaughtUp
		);
		join(ALICE, m, 100 * NMR, 0);
	});
}

#[test]
fn the_quote_shows_costs_and_why_a_join_would_fail() {
	build_and_execute(|| {
		let m = bonded_model();
		let q = StakeDelegation::quote(m, 100 * NMR, 10).unwrap();
		assert_eq!(q.prepaid, 9 * NMR / 100);
		assert_eq!(q.total_cost, 100 * NMR + 9 * NMR / 100);
		assert_eq!(q.first_round, START_ROUND + 2);
		assert_eq!(q.discount, Permill::from_percent(10));
		assert_eq!(q.refusal, None);
		assert_eq!(q.document_hash, None);
		let q = StakeDelegation::quote(m, 5 * NMR, 0).unwrap();
		assert_eq!(q.refusal, Some(b"BelowMinimum".to_vec()));
		assert!(StakeDelegation::quote(other_model(), NMR, 0).is_none());
	});
}

#[test]
fn a_pool_opened_before_the_oracles_first_round_starts_there() {
	build_and_execute(|| {
		// The oracle has reported nothing: the clock reads 0.
		set_clock(0, None);
		let m = bonded_model();
		assert_eq!(pool(m).recorder.recorded_through, 0);
		assert_noop!(
			StakeDelegation::delegate(RuntimeOrigin::signed(ALICE), m, 100 * NMR, 0, 0, None),
			Error::<Test>::NoRoundsYet
		);
		// Numerai's round 3000 is the chain's first: nothing in between ever opens here.
		oracle_open(3_000);
		join(ALICE, m, 100 * NMR, 0);
		let p = pool(m);
		assert_eq!(p.recorder.recorded_through, 3_000);
		// It expects the oracle's next result for the model: the first round's.
		assert_eq!(StakeDelegation::next_to_settle(&p), Some(3_000));
		assert_eq!(delegation(ALICE, m, 0).first_round, 3_002);
	});
}

#[test]
fn the_pool_follows_the_oracles_clock_and_watch_list_through_its_hooks() {
	build_and_execute(|| {
		let m = bonded_model();
		assert!(pool(m).watched);
		// Governance stops following the idle model: no joins until it is watched again.
		oracle_unwatch(m);
		assert!(!pool(m).watched);
		assert_noop!(
			StakeDelegation::delegate(
				RuntimeOrigin::signed(ALICE),
				m,
				100 * NMR,
				0,
				version(m),
				None
			),
			Error::<Test>::ModelNotWatched
		);
		// A round opens while it is not followed; it is watched again from the next one.
		assert_eq!(open_round(), START_ROUND + 1);
		assert_eq!(StakeDelegation::current_round(), START_ROUND + 1);
		oracle_watch(m, None);
		let p = pool(m);
		assert!(p.watched);
		assert_eq!(StakeDelegation::next_to_settle(&p), Some(START_ROUND + 2));
		// A join starts after the activation lag, as ever, and settles from there.
		let index = join(ALICE, m, 100 * NMR, 0);
		assert_eq!(delegation(ALICE, m, index).first_round, START_ROUND + 3);
	});
}
