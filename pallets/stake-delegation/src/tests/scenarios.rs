//! Stories as users live them.

use super::*;
use polkadot_sdk::frame_support::assert_ok;

const R: RoundIndex = START_ROUND;

/// Opens `rounds` rounds; the oracle finalises each round two rounds after it opened, paying
/// `bp` basis points on what the owner staked (`stake_percent` of the requirement).
fn season(m: ModelId, rounds: u32, bp: i128, stake_percent: u128) {
	for _ in 0..rounds {
		let r = open_round();
		let _ = StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m);
		if r >= R + 2 {
			let settle = r - 2;
			if pool(m).last_finalised.is_none_or(|l| l < settle) {
				resolve_through(m, settle - 1, 0);
				let at_risk = requirement_of(m, settle) * stake_percent / 100;
				resolve(m, settle, at_risk.max(NMR), at_risk.max(NMR) as i128 * bp / 10_000);
			}
		}
	}
}

#[test]
fn alice_backs_a_good_model_for_a_season_and_takes_her_profit_home() {
	build_and_execute(|| {
		// Ursula (OWNER) runs a model with the basic terms and bonds 5,000 NMR.
		let m = model_with(basic_terms(), 5_000 * NMR);
		let bond_before = bond_held(OWNER);
		let alice_before = free(ALICE);
		// Alice backs it with 1,000 NMR, rolling.
		join(ALICE, m, 1_000 * NMR, 0);
		// A good season: +1 % a round for 30 rounds, fully backed.
		season(m, 30, 100, 100);
		// She asks to leave; two rounds later her last round is settled and she withdraws.
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(ALICE), m, 0));
		season(m, 3, 100, 100);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(ALICE), m, 0));
		let profit = free(ALICE) - alice_before;
		assert!(profit > 250 * NMR, "Alice made {profit}");
		// Ursula earned fees in shares; she takes them out like any staker.
		let fee_shares = pool(m).ledger.owner_shares;
		assert!(fee_shares > 0);
		assert_ok!(StakeDelegation::exit_fee_shares(RuntimeOrigin::signed(OWNER), m, fee_shares));
		let exit_round = CurrentRound::get();
		season(m, 3, 0, 100);
		let owner_before = free(OWNER);
		assert_ok!(StakeDelegation::withdraw_fee_exit(RuntimeOrigin::signed(OWNER), m, exit_round));
		assert_ok!(StakeDelegation::claim_owner_payable(RuntimeOrigin::signed(OWNER), m));
		let fees = free(OWNER) - owner_before;
		// What the bond paid out is exactly what Alice made plus Ursula's fees, up to dust.
		let paid = bond_before - bond_held(OWNER);
		assert!(
			paid >= profit + fees && paid - (profit + fees) < 1_000,
			"paid {paid}, profit {profit}, fees {fees}"
		);
	});
}

#[test]
fn bob_commits_for_a_discount_and_leaves_early_when_the_owner_understakes() {
	build_and_execute(|| {
		let m = bonded_model();
		// Bob commits for 20 rounds at 20 % off: the fixed fee of the term is paid up front.
		let before = free(BOB);
		join(BOB, m, 1_000 * NMR, 20);
		assert_eq!(before - free(BOB), 1_000 * NMR + 16 * NMR / 100);
		season(m, 6, 50, 100);
		// His commitment (rounds 102..=121) binds; then the owner stakes only half of what was
		// delegated.
		season(m, 1, 50, 50);
		let breach = pool(m).last_breach.map(|(r, _)| r).unwrap();
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::BackingBreach { round, .. } if *round == breach)));
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(BOB), m, 0));
		let Stage::Exiting { last_round } = delegation(BOB, m, 0).stage else { panic!("exiting") };
		assert_eq!(last_round, CurrentRound::get(), "freed: he leaves after the latest round");
		season(m, 3, 0, 100);
		assert_ok!(StakeDelegation::withdraw(RuntimeOrigin::signed(BOB), m, 0));
		// The registry's consistency record shows the breach.
		assert_eq!(pallet_model_registry::Records::<Test>::get(m).backing_breaches, 1);
	});
}

#[test]
fn a_model_that_stops_submitting_earns_nothing_and_lets_committed_stakers_go() {
	build_and_execute(|| {
		let m = bonded_model();
		join(CHARLIE, m, 500 * NMR, 20);
		season(m, 4, 100, 100);
		let price = pool(m).ledger.price;
		// The model misses a round.
		open_round();
		let _ = StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m);
		let next = pool(m).last_finalised.unwrap() + 1;
		finalize(m, next, RoundReturn::NotSubmitted);
		assert_eq!(pool(m).ledger.price, price);
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(CHARLIE), m, 0));
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::ExitRequested { freed: Some(Freed::BackingBreach), .. })));
	});
}
