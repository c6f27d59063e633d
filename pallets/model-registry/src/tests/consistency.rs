//! Consistency insurance (bond, notice, griefing) and the consistency record.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

fn post(who: AccountId, amount: Balance, ratio: u32) -> polkadot_sdk::sp_runtime::DispatchResult {
	Registry::post_consistency_bond(RuntimeOrigin::signed(who), model(), amount, ratio)
}

#[test]
fn owners_post_a_bond_at_a_fixed_ratio() {
	build_and_execute(|| {
		active(ALICE);
		assert_ok!(post(ALICE, 100 * NMR, 300));
		assert_ok!(post(ALICE, 50 * NMR, 300));
		assert_eq!(held(HoldReason::ConsistencyBond, ALICE), 150 * NMR);
		assert_eq!(ConsistencyBonds::<Test>::get(model()).unwrap().amount, 150 * NMR);
		System::assert_last_event(
			Event::<Test>::ConsistencyBondPosted {
				model: model(),
				amount: 50 * NMR,
				total: 150 * NMR,
				ratio_percent: 300,
			}
			.into(),
		);
		assert_noop!(post(ALICE, NMR, 200), Error::<Test>::GriefRatioMismatch);
	});
}

#[test]
fn bond_posting_errors() {
	build_and_execute(|| {
		assert_noop!(post(ALICE, NMR, 300), Error::<Test>::UnknownModel);
		claim(ALICE, MODEL_TEXT);
		assert_noop!(post(BOB, NMR, 300), Error::<Test>::NotOwner);
		assert_noop!(post(ALICE, NMR, 300), Error::<Test>::NotVerified);
		assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(
			&model(),
			&ALICE
		));
		assert_noop!(post(ALICE, 0, 300), Error::<Test>::ZeroAmount);
		assert_noop!(post(ALICE, NMR, 49), Error::<Test>::GriefRatioOutOfRange);
		assert_noop!(post(ALICE, NMR, 1_001), Error::<Test>::GriefRatioOutOfRange);
		assert_noop!(post(ALICE, 2 * ENDOWMENT, 300), Error::<Test>::InsufficientBalance);
	});
}

#[test]
fn withdrawal_waits_out_the_notice() {
	build_and_execute(|| {
		active(ALICE);
		let request = |amount| {
			Registry::request_bond_withdrawal(RuntimeOrigin::signed(ALICE), model(), amount)
		};
		let withdraw =
			|| Registry::withdraw_consistency_bond(RuntimeOrigin::signed(ALICE), model());
		assert_noop!(request(NMR), Error::<Test>::NoConsistencyBond);
		assert_noop!(withdraw(), Error::<Test>::NoConsistencyBond);
		assert_ok!(post(ALICE, 100 * NMR, 300));
		assert_noop!(
			Registry::request_bond_withdrawal(RuntimeOrigin::signed(BOB), model(), NMR),
			Error::<Test>::NotOwner
		);
		assert_noop!(request(0), Error::<Test>::ZeroAmount);
		assert_noop!(request(101 * NMR), Error::<Test>::AmountExceedsBond);
		assert_noop!(withdraw(), Error::<Test>::NoWithdrawalRequested);
		assert_ok!(request(40 * NMR));
		assert_noop!(request(NMR), Error::<Test>::WithdrawalPending);
		run_to_block(BOND_NOTICE);
		assert_noop!(withdraw(), Error::<Test>::WithdrawalNotDue);
		run_to_block(1 + BOND_NOTICE);
		assert_ok!(withdraw());
		assert_eq!(held(HoldReason::ConsistencyBond, ALICE), 60 * NMR);
		assert_eq!(ConsistencyBonds::<Test>::get(model()).unwrap().withdrawal, None);
		// Withdrawing everything removes the bond.
		assert_ok!(request(60 * NMR));
		run_to_block(2 + 2 * BOND_NOTICE);
		assert_ok!(withdraw());
		assert!(ConsistencyBonds::<Test>::get(model()).is_none());
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT - DEPOSIT);
	});
}

#[test]
fn a_delegator_burns_to_burn_the_bond_and_both_burns_are_evented() {
	build_and_execute(|| {
		active(ALICE);
		assert_ok!(post(ALICE, 100 * NMR, 300));
		FakeDelegations::add_delegator(model(), BOB);
		let issuance = Balances::total_issuance();
		assert_ok!(Registry::grief(RuntimeOrigin::signed(BOB), model(), 10 * NMR));
		assert_eq!(Balances::free_balance(BOB), ENDOWMENT - 10 * NMR);
		assert_eq!(held(HoldReason::ConsistencyBond, ALICE), 70 * NMR);
		assert_eq!(Balances::total_issuance(), issuance - 40 * NMR);
		assert_eq!(Burned::<Test>::get(), 40 * NMR);
		System::assert_last_event(
			Event::<Test>::Griefed {
				model: model(),
				delegator: BOB,
				burned_by_delegator: 10 * NMR,
				burned_from_bond: 30 * NMR,
			}
			.into(),
		);
		let record = Records::<Test>::get(model());
		assert_eq!(record.griefs, 1);
		assert_eq!(record.grief_burned_bond, 30 * NMR);
		assert_eq!(record.grief_burned_by_delegators, 10 * NMR);
	});
}

#[test]
fn a_grief_larger_than_the_bond_costs_only_what_the_bond_justifies() {
	build_and_execute(|| {
		active(ALICE);
		assert_ok!(post(ALICE, 100 * NMR, 300));
		assert_ok!(Registry::request_bond_withdrawal(
			RuntimeOrigin::signed(ALICE),
			model(),
			90 * NMR
		));
		FakeDelegations::add_delegator(model(), BOB);
		// 100 NMR of bond at 3x justify 33.33… NMR: the griefer burns that, rounded up.
		assert_ok!(Registry::grief(RuntimeOrigin::signed(BOB), model(), 50 * NMR));
		let own = (100 * NMR).div_ceil(3);
		assert_eq!(Balances::free_balance(BOB), ENDOWMENT - own);
		assert!(ConsistencyBonds::<Test>::get(model()).is_none(), "bond exhausted");
		assert_eq!(held(HoldReason::ConsistencyBond, ALICE), 0);
	});
}

#[test]
fn a_grief_during_a_withdrawal_shrinks_what_can_be_withdrawn() {
	build_and_execute(|| {
		active(ALICE);
		assert_ok!(post(ALICE, 100 * NMR, 100));
		assert_ok!(Registry::request_bond_withdrawal(
			RuntimeOrigin::signed(ALICE),
			model(),
			90 * NMR
		));
		FakeDelegations::add_delegator(model(), BOB);
		assert_ok!(Registry::grief(RuntimeOrigin::signed(BOB), model(), 20 * NMR));
		assert_eq!(
			ConsistencyBonds::<Test>::get(model()).unwrap().withdrawal.unwrap().amount,
			80 * NMR
		);
		run_to_block(1 + BOND_NOTICE);
		assert_ok!(Registry::withdraw_consistency_bond(RuntimeOrigin::signed(ALICE), model()));
		assert!(ConsistencyBonds::<Test>::get(model()).is_none());
	});
}

#[test]
fn grief_errors() {
	build_and_execute(|| {
		let grief = |who, amount| Registry::grief(RuntimeOrigin::signed(who), model(), amount);
		assert_noop!(grief(BOB, NMR), Error::<Test>::UnknownModel);
		active(ALICE);
		assert_noop!(grief(BOB, NMR), Error::<Test>::NotDelegator);
		FakeDelegations::add_delegator(model(), BOB);
		FakeDelegations::add_delegator(model(), PAUPER);
		assert_noop!(grief(BOB, NMR), Error::<Test>::NoConsistencyBond);
		assert_ok!(post(ALICE, 100 * NMR, 300));
		assert_noop!(grief(BOB, 0), Error::<Test>::ZeroAmount);
		assert_noop!(grief(PAUPER, NMR), Error::<Test>::InsufficientBalance);
	});
}

#[test]
fn the_record_counts_rounds_and_backing_breaches() {
	build_and_execute(|| {
		active(ALICE);
		<Registry as ConsistencyRecorder>::note_round(&model(), 101, true);
		<Registry as ConsistencyRecorder>::note_round(&model(), 102, false);
		<Registry as ConsistencyRecorder>::note_round(&model(), 103, true);
		<Registry as ConsistencyRecorder>::note_backing_breach(&model(), 103);
		// Unknown models are ignored.
		<Registry as ConsistencyRecorder>::note_round(&other_model(), 101, true);
		let r = Records::<Test>::get(model());
		assert_eq!((r.rounds_submitted, r.rounds_missed, r.last_round), (2, 1, Some(103)));
		assert_eq!((r.backing_breaches, r.last_backing_breach), (1, Some(103)));
		assert!(!Records::<Test>::contains_key(other_model()));
	});
}

mod grief_maths {
	use crate::impls::grief_burns;
	use proptest::prelude::*;

	proptest! {
		/// The bond never loses more than it has or than ratio × what the delegator burns, and
		/// the delegator never burns more than asked.
		#[test]
		fn burns_are_bounded(amount in 1u128..10u128.pow(27), bond in 0u128..10u128.pow(27), ratio in 50u32..=1_000) {
			let (own, from_bond) = grief_burns(amount, bond, ratio).unwrap();
			prop_assert!(own <= amount);
			prop_assert!(from_bond <= bond);
			prop_assert!(from_bond <= own * ratio as u128 / 100 + 1);
			if amount * ratio as u128 / 100 <= bond {
				prop_assert_eq!(own, amount);
			} else {
				prop_assert_eq!(from_bond, bond);
			}
		}
	}
}
