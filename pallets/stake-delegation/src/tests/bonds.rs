//! The owner's bond: opening the pool, bonding and unbonding, under-bonding, debt.

use super::*;
use numerstake_primitives::{DelegationInspect, ModelStatus};
use polkadot_sdk::frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};

const R: RoundIndex = START_ROUND;

fn status(m: ModelId) -> ModelStatus {
	pallet_model_registry::Models::<Test>::get(m).unwrap().status
}

#[test]
fn the_first_bond_opens_the_pool_and_pays_its_account_deposit() {
	build_and_execute(|| {
		register_active(OWNER, model(), basic_terms());
		let before = free(OWNER);
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), model(), 500 * NMR));
		let ed = <Balances as Inspect<AccountId>>::minimum_balance();
		assert_eq!(before - free(OWNER), 500 * NMR + ed);
		assert_eq!(bond_held(OWNER), 500 * NMR);
		let p = pool(model());
		assert_eq!(
			(p.book.bond, p.book.account_deposit, p.recorder.recorded_through),
			(500 * NMR, ed, R)
		);
		assert_eq!(free(StakeDelegation::pool_account(&model())), ed);
		assert!(events().contains(&Event::PoolOpened {
			model: model(),
			owner: OWNER,
			account: StakeDelegation::pool_account(&model())
		}));
		assert_ne!(
			StakeDelegation::pool_account(&model()),
			StakeDelegation::pool_account(&other_model())
		);
	});
}

#[test]
fn bonding_refuses_what_does_not_apply() {
	build_and_execute(|| {
		let bond = |who, amount| StakeDelegation::bond(RuntimeOrigin::signed(who), model(), amount);
		assert_noop!(bond(OWNER, NMR), Error::<Test>::UnknownModel);
		assert_ok!(Registry::register_model(
			RuntimeOrigin::signed(OWNER),
			BoundedVec::truncate_from(MODEL_TEXT.to_vec()),
			BoundedVec::truncate_from(b"model".to_vec()),
		));
		assert_noop!(bond(OWNER, NMR), Error::<Test>::ModelNotActive);
		assert_noop!(bond(ALICE, NMR), Error::<Test>::NotOwner);
		assert_noop!(bond(OWNER, 0), Error::<Test>::ZeroAmount);
		assert_ok!(
			<Registry as numerstake_primitives::OwnershipAttestation<AccountId>>::attest_ownership(
				&model(),
				&OWNER
			)
		);
		assert_noop!(bond(OWNER, ENDOWMENT), Error::<Test>::InsufficientBalance);
		assert_ok!(bond(OWNER, NMR));
	});
}

#[test]
fn only_the_excess_over_the_requirement_can_be_unbonded() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 1_000 * NMR);
		join(ALICE, m, 2_000 * NMR, 0);
		// 25 % of 2,000 NMR must stay.
		let unbond = |who, amount| StakeDelegation::unbond(RuntimeOrigin::signed(who), m, amount);
		assert_noop!(unbond(ALICE, NMR), Error::<Test>::NotOwner);
		assert_noop!(unbond(OWNER, 0), Error::<Test>::ZeroAmount);
		assert_noop!(unbond(OWNER, 1_001 * NMR), Error::<Test>::AmountExceedsBond);
		assert_noop!(unbond(OWNER, 501 * NMR), Error::<Test>::BondBelowRequirement);
		assert_ok!(unbond(OWNER, 500 * NMR));
		assert_eq!(bond_held(OWNER), 500 * NMR);
		assert_noop!(
			StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), other_model(), NMR),
			Error::<Test>::NoPool
		);
	});
}

#[test]
fn a_short_bond_stops_new_delegations_until_topped_up() {
	build_and_execute(|| {
		let m = model_with(free_terms(), 250 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		open_until(R + 2);
		resolve_through(m, R + 1, 0);
		resolve(m, R + 2, 1_000 * NMR, 20 * NMR as i128);
		assert_eq!(status(m), ModelStatus::UnderBonded);
		assert!(events().iter().any(|e| matches!(e, Event::UnderBonded { .. })));
		assert_noop!(
			StakeDelegation::delegate(RuntimeOrigin::signed(BOB), m, 100 * NMR, 0, 0, None),
			Error::<Test>::ModelUnderBonded
		);
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), m, 100 * NMR));
		assert_eq!(status(m), ModelStatus::Active);
		assert_eq!(pool(m).under_bonded_since, None);
		assert!(events().contains(&Event::BondRestored { model: m }));
		join(BOB, m, 100 * NMR, 0);
	});
}

#[test]
fn an_owner_in_debt_cannot_unbond_exit_fee_shares_or_register_models() {
	build_and_execute(|| {
		let m = model_with(basic_terms(), 250 * NMR);
		join(ALICE, m, 1_000 * NMR, 0);
		open_until(R + 4);
		assert_ok!(StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m));
		resolve_through(m, R + 1, 0);
		// +30 %: a 300 NMR gain on a 250 NMR bond.
		resolve(m, R + 2, 1_000 * NMR, 300 * NMR as i128);
		assert_eq!(pool(m).book.debt, 50 * NMR);
		assert!(<StakeDelegation as DelegationInspect<AccountId>>::has_debt(&OWNER));
		assert_noop!(
			StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, NMR),
			Error::<Test>::InDebt
		);
		assert_noop!(
			StakeDelegation::exit_fee_shares(RuntimeOrigin::signed(OWNER), m, 1),
			Error::<Test>::InDebt
		);
		assert_noop!(
			Registry::register_model(
				RuntimeOrigin::signed(OWNER),
				BoundedVec::truncate_from(OTHER_TEXT.to_vec()),
				BoundedVec::truncate_from(b"second".to_vec()),
			),
			pallet_model_registry::Error::<Test>::OwnerInDebt
		);
		// A later loss owed to the owner repays the debt first: 1 % of the 1,000 NMR required
		// when round 103 opened.
		resolve(m, R + 3, 1_300 * NMR, -(13 * NMR as i128));
		let p = pool(m);
		assert_eq!(p.book.debt, 40 * NMR);
		assert_eq!(p.book.payable, 0);
		assert_noop!(
			StakeDelegation::claim_owner_payable(RuntimeOrigin::signed(OWNER), m),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn a_pool_with_obligations_keeps_its_model_registered() {
	build_and_execute(|| {
		let m = bonded_model();
		assert_ok!(Registry::retire_model(RuntimeOrigin::signed(OWNER), m));
		assert_noop!(
			Registry::deregister_model(RuntimeOrigin::signed(OWNER), m),
			pallet_model_registry::Error::<Test>::HasObligations
		);
		assert_ok!(StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, 100_000 * NMR));
		assert_ok!(Registry::deregister_model(RuntimeOrigin::signed(OWNER), m));
	});
}

#[test]
fn a_new_owner_of_a_model_takes_over_its_empty_pool() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 100 * NMR, 0);
		open_until(R + 3);
		resolve_through(m, R + 3, 0);
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		assert_ok!(StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, 100_000 * NMR));
		// Alice's fees of her last, partial period are the owner's to claim first.
		assert_ok!(StakeDelegation::claim_owner_payable(RuntimeOrigin::signed(OWNER), m));
		assert_ok!(Registry::retire_model(RuntimeOrigin::signed(OWNER), m));
		assert_ok!(Registry::deregister_model(RuntimeOrigin::signed(OWNER), m));
		// Anyone may then unwatch it; someone else claims the model later (the oracle watches
		// it again from the next round); the old owner's deposit for the pool account goes
		// back to them.
		oracle_unwatch(m);
		open_until(R + 10);
		let old_owner_before = free(OWNER);
		register_active(OTHER_OWNER, m, basic_terms());
		assert_noop!(
			StakeDelegation::bond(RuntimeOrigin::signed(OWNER), m, NMR),
			Error::<Test>::NotOwner
		);
		assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OTHER_OWNER), m, 1_000 * NMR));
		let ed = <Balances as Inspect<AccountId>>::minimum_balance();
		assert_eq!(free(OWNER), old_owner_before + ed);
		let p = pool(m);
		assert_eq!(
			(p.owner, p.last_finalised, p.recorder.recorded_through),
			(OTHER_OWNER, Some(R + 10), R + 10)
		);
		// The oracle's first result of the new watch settles normally.
		join(BOB, m, 100 * NMR, 0);
		open_until(R + 12);
		resolve(m, R + 11, NMR, 0);
		resolve(m, R + 12, 100 * NMR, NMR as i128);
		assert_eq!(position_value(BOB, m, 1), 101 * NMR);
	});
}
