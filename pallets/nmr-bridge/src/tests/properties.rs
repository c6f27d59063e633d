//! Property: whatever the relayers vote (two honest, one lying at random) and whoever
//! withdraws, every real deposit is minted exactly once, nothing forged is minted, and the
//! issuance equation holds after every step.

use super::*;
use polkadot_sdk::frame_support::traits::fungible::Inspect;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Step {
	/// A real deposit of `amount` NMR to Alice or Bob, voted by the honest two in `order`,
	/// with the liar voting `lie` first (a forged amount, or none).
	Deposit { amount: u32, to_bob: bool, lie: Option<u32>, liar_first: bool },
	/// Alice or Bob withdraws `amount` NMR.
	Withdraw { amount: u32, bob: bool },
	/// Time passes (a new limit period).
	NextPeriod,
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		4 => (1u32..3_000, any::<bool>(), proptest::option::of(1u32..100_000), any::<bool>())
			.prop_map(|(amount, to_bob, lie, liar_first)| Step::Deposit { amount, to_bob, lie, liar_first }),
		2 => (1u32..1_200, any::<bool>()).prop_map(|(amount, bob)| Step::Withdraw { amount, bob }),
		1 => Just(Step::NextPeriod),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]
	#[test]
	fn real_deposits_mint_once_forged_never_and_issuance_balances(steps in proptest::collection::vec(step(), 1..40)) {
		new_test_ext().execute_with(|| -> Result<(), TestCaseError> {
			let mut expected = [ENDOWMENT, ENDOWMENT];
			for s in steps {
				match s {
					Step::Deposit { amount, to_bob, lie, liar_first } => {
						if Deferred::<Test>::get().is_some() {
							System::set_block_number(System::block_number() + PERIOD);
							let _ = Bridge::mint_deferred(RuntimeOrigin::signed(ALICE));
						}
						let nonce = NextDeposit::<Test>::get();
						let to = if to_bob { BOB } else { ALICE };
						let real = deposit(nonce, to, u128::from(amount) * NMR);
						let forged = lie.map(|l| deposit(nonce, BOB, u128::from(l) * NMR + 1));
						if let (Some(f), true) = (&forged, liar_first) {
							let _ = vote(2, f.clone());
						}
						let _ = vote(0, real.clone());
						if let (Some(f), false) = (&forged, liar_first) {
							let _ = vote(2, f.clone());
						}
						let _ = vote(1, real);
						prop_assert_eq!(NextDeposit::<Test>::get(), nonce + 1);
						expected[usize::from(to_bob)] += u128::from(amount) * NMR;
					},
					Step::Withdraw { amount, bob } => {
						let who = if bob { BOB } else { ALICE };
						let amount = u128::from(amount) * NMR;
						if Bridge::withdraw(RuntimeOrigin::signed(who), amount, eth_recipient()).is_ok() {
							expected[usize::from(bob)] -= amount;
						}
					},
					Step::NextPeriod => System::set_block_number(System::block_number() + PERIOD),
				}
				if Deferred::<Test>::get().is_none() {
					prop_assert_eq!(Balances::balance(&ALICE), expected[0]);
					prop_assert_eq!(Balances::balance(&BOB), expected[1]);
				}
				prop_assert!(Bridge::do_try_state().is_ok());
			}
			Ok(())
		})?;
	}
}
