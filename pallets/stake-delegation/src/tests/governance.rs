//! Governance: fee caps and protocol parameters, each within its hard-coded safe range.

use super::*;
use numerstake_primitives::FeeCaps;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::{DispatchError, Perbill},
};

#[test]
fn only_governance_sets_parameters() {
	build_and_execute(|| {
		assert_noop!(
			StakeDelegation::set_fee_caps(RuntimeOrigin::signed(ALICE), FeeCaps::DEFAULT),
			DispatchError::BadOrigin
		);
		assert_noop!(
			StakeDelegation::set_protocol_params(
				RuntimeOrigin::signed(ALICE),
				ProtocolParams::DEFAULT
			),
			DispatchError::BadOrigin
		);
		assert_ok!(StakeDelegation::set_protocol_params(
			RuntimeOrigin::root(),
			ProtocolParams::DEFAULT
		));
		assert_eq!(Global::<Test>::get().protocol, ProtocolParams::DEFAULT);
		System::assert_last_event(
			Event::<Test>::ProtocolParamsSet { params: ProtocolParams::DEFAULT }.into(),
		);
	});
}

#[test]
fn every_fee_cap_outside_its_safe_range_has_its_error() {
	build_and_execute(|| {
		let set = |caps| StakeDelegation::set_fee_caps(RuntimeOrigin::root(), caps);
		let d = FeeCaps::DEFAULT;
		let hi = FeeCaps::SAFE.1;
		assert_noop!(
			set(FeeCaps { max_performance_fee: Permill::from_percent(51), ..d }),
			Error::<Test>::MaxPerformanceFeeOutOfRange
		);
		assert_noop!(
			set(FeeCaps {
				max_fixed_fee_per_round: Perbill::from_parts(
					hi.max_fixed_fee_per_round.deconstruct() + 1
				),
				..d
			}),
			Error::<Test>::MaxFixedFeeOutOfRange
		);
		assert_noop!(
			set(FeeCaps { max_performance_fee_increase: Permill::from_percent(21), ..d }),
			Error::<Test>::MaxPerformanceFeeIncreaseOutOfRange
		);
		assert_noop!(
			set(FeeCaps { min_fee_change_notice: 0, ..d }),
			Error::<Test>::MinFeeChangeNoticeOutOfRange
		);
		assert_noop!(
			set(FeeCaps { max_commitment_term: 521, ..d }),
			Error::<Test>::MaxCommitmentTermOutOfRange
		);
		assert_ok!(set(hi));
		assert_ok!(set(FeeCaps::SAFE.0));
	});
}

#[test]
fn every_protocol_parameter_outside_its_safe_range_has_its_error() {
	build_and_execute(|| {
		let set = |p| StakeDelegation::set_protocol_params(RuntimeOrigin::root(), p);
		let d = ProtocolParams::DEFAULT;
		assert_noop!(
			set(ProtocolParams { activation_lag: 11, ..d }),
			Error::<Test>::ActivationLagOutOfRange
		);
		assert_noop!(
			set(ProtocolParams { bond_ratio: Perbill::from_percent(4), ..d }),
			Error::<Test>::BondRatioOutOfRange
		);
		assert_noop!(
			set(ProtocolParams { grace_rounds: 0, ..d }),
			Error::<Test>::GraceRoundsOutOfRange
		);
		assert_noop!(
			set(ProtocolParams { grace_rounds: 21, ..d }),
			Error::<Test>::GraceRoundsOutOfRange
		);
		assert_noop!(
			set(ProtocolParams { model_cap: Perbill::zero(), ..d }),
			Error::<Test>::ModelCapOutOfRange
		);
		assert_noop!(
			set(ProtocolParams { operator_cap: Perbill::zero(), ..d }),
			Error::<Test>::OperatorCapOutOfRange
		);
		assert_noop!(
			set(ProtocolParams { caps_from_total: 100_000_001 * NMR, ..d }),
			Error::<Test>::CapsFromTotalOutOfRange
		);
		assert_noop!(
			set(ProtocolParams { fee_period: 4, ..d }),
			Error::<Test>::FeePeriodOutOfRange
		);
		assert_noop!(
			set(ProtocolParams { fee_period: 101, ..d }),
			Error::<Test>::FeePeriodOutOfRange
		);
		assert_ok!(set(ProtocolParams::SAFE.0));
		assert_ok!(set(ProtocolParams::SAFE.1));
	});
}

#[test]
fn the_registry_checks_terms_against_the_caps_governance_sets() {
	build_and_execute(|| {
		let m = bonded_model();
		let greedy = Terms {
			performance_fee: ladder(&[
				(1_000 * NMR, Permill::from_percent(28)),
				(Balance::MAX, Permill::from_percent(18)),
			]),
			..basic_terms()
		};
		// Default cap 30 %, but a rise of more than 5 points per version is refused; with the
		// increase cap at 10 points it passes.
		assert_noop!(
			Registry::set_terms(RuntimeOrigin::signed(OWNER), m, greedy.clone(), None),
			pallet_model_registry::Error::<Test>::PerformanceFeeIncreaseTooLarge
		);
		let caps =
			FeeCaps { max_performance_fee_increase: Permill::from_percent(10), ..FeeCaps::DEFAULT };
		assert_ok!(StakeDelegation::set_fee_caps(RuntimeOrigin::root(), caps));
		assert_ok!(Registry::set_terms(RuntimeOrigin::signed(OWNER), m, greedy, None));
	});
}

#[test]
fn lowering_a_cap_leaves_locked_terms_alone() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 20);
		let caps = FeeCaps { max_performance_fee: Permill::from_percent(5), ..FeeCaps::DEFAULT };
		assert_ok!(StakeDelegation::set_fee_caps(RuntimeOrigin::root(), caps));
		// Alice's commitment still charges its locked 20 % (less 20 %).
		let d = delegation(ALICE, m, 0);
		assert_eq!(d.commitments[0].version, 0);
		assert_eq!(d.commitments[0].discount, Permill::from_percent(20));
	});
}

#[test]
fn a_new_fee_period_applies_from_each_pools_next_period_end() {
	build_and_execute(|| {
		let m = bonded_model();
		join(ALICE, m, 1_000 * NMR, 0);
		assert_eq!(pool(m).calendar.next_period_end, START_ROUND + 4);
		let params = ProtocolParams { fee_period: 10, ..test_params().protocol };
		assert_ok!(StakeDelegation::set_protocol_params(RuntimeOrigin::root(), params));
		open_until(START_ROUND + 4);
		resolve_through(m, START_ROUND + 4, 0);
		// 104 was the end under the old calendar; the next is 109 under the new one.
		assert_eq!(pool(m).calendar.next_period_end, START_ROUND + 9);
	});
}
