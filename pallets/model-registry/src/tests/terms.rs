//! Publishing terms: who may, when they take effect, caps, version history.

use super::*;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::Permill,
};

fn set(who: AccountId, terms: Terms<Balance>, at: Option<RoundIndex>) -> DispatchResult {
	Registry::set_terms(RuntimeOrigin::signed(who), model(), terms, at)
}

use polkadot_sdk::sp_runtime::DispatchResult;

#[test]
fn first_terms_activate_a_verified_model_from_next_round() {
	build_and_execute(|| {
		verified(ALICE);
		assert_ok!(set(ALICE, basic_terms(), None));
		let info = Models::<Test>::get(model()).unwrap();
		assert_eq!(info.status, ModelStatus::Active);
		assert_eq!(info.next_terms_version, 1);
		assert!(registry_events().contains(&Event::TermsPublished {
			model: model(),
			version: 0,
			effective_round: 101
		}));
		assert!(registry_events().contains(&Event::StatusChanged {
			model: model(),
			from: ModelStatus::Verified,
			to: ModelStatus::Active
		}));
		assert_eq!(Registry::terms_at(&model(), 100), None);
		assert_eq!(Registry::terms_at(&model(), 101), Some((0, basic_terms())));
	});
}

#[test]
fn only_the_verified_owner_of_a_live_model_sets_terms() {
	build_and_execute(|| {
		assert_noop!(set(ALICE, basic_terms(), None), Error::<Test>::UnknownModel);
		claim(ALICE, MODEL_TEXT);
		assert_noop!(set(BOB, basic_terms(), None), Error::<Test>::NotOwner);
		assert_noop!(set(ALICE, basic_terms(), None), Error::<Test>::NotVerified);
		assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(
			&model(),
			&ALICE
		));
		assert_ok!(Registry::suspend_model(RuntimeOrigin::root(), model()));
		assert_noop!(set(ALICE, basic_terms(), None), Error::<Test>::ModelSuspended);
		assert_ok!(Registry::resume_model(RuntimeOrigin::root(), model()));
		assert_ok!(Registry::retire_model(RuntimeOrigin::signed(ALICE), model()));
		assert_noop!(set(ALICE, basic_terms(), None), Error::<Test>::ModelRetiring);
	});
}

#[test]
fn changes_need_notice_and_effective_rounds_only_move_forward() {
	build_and_execute(|| {
		active(ALICE);
		let notice = FeeCaps::DEFAULT.min_fee_change_notice;
		assert_noop!(
			set(ALICE, basic_terms(), Some(100 + notice - 1)),
			Error::<Test>::EffectiveRoundTooSoon
		);
		assert_ok!(set(ALICE, basic_terms(), Some(100 + notice + 10)));
		assert_noop!(
			set(ALICE, basic_terms(), Some(100 + notice + 10)),
			Error::<Test>::EffectiveRoundNotAfterPrevious
		);
		// `None` means current + notice, which is before the pending version.
		assert_noop!(
			set(ALICE, basic_terms(), None),
			Error::<Test>::EffectiveRoundNotAfterPrevious
		);
	});
}

#[test]
fn the_first_terms_may_not_start_in_the_current_round() {
	build_and_execute(|| {
		verified(ALICE);
		assert_noop!(set(ALICE, basic_terms(), Some(100)), Error::<Test>::EffectiveRoundTooSoon);
	});
}

#[test]
fn terms_are_checked_against_the_caps() {
	build_and_execute(|| {
		verified(ALICE);
		let too_greedy = Terms {
			performance_fee: ladder(&[(Balance::MAX, Permill::from_percent(31))]),
			..basic_terms()
		};
		assert_noop!(set(ALICE, too_greedy, None), Error::<Test>::PerformanceFeeAboveCap);
		let too_expensive = Terms { fixed_fee: ladder(&[(Balance::MAX, NMR)]), ..basic_terms() };
		assert_noop!(set(ALICE, too_expensive, None), Error::<Test>::FixedFeeAboveCap);
		assert_noop!(
			set(ALICE, Terms { capacity: 0, ..basic_terms() }, None),
			Error::<Test>::ZeroCapacity
		);
		assert_noop!(
			set(ALICE, Terms { min_delegation: 0, ..basic_terms() }, None),
			Error::<Test>::ZeroMinimum
		);
		assert_noop!(
			set(ALICE, Terms { min_delegation: 2_000 * NMR, ..basic_terms() }, None),
			Error::<Test>::MinAboveMax
		);
		assert_noop!(
			set(ALICE, Terms { max_delegation: 20_000 * NMR, ..basic_terms() }, None),
			Error::<Test>::MaxAboveCapacity
		);
		assert_noop!(
			set(ALICE, Terms { fixed_fee: ladder(&[(2, 0), (1, 0)]), ..basic_terms() }, None),
			Error::<Test>::FixedLadderNotAscending
		);
		assert_noop!(
			set(
				ALICE,
				Terms {
					performance_fee: ladder(&[(2, Permill::zero()), (2, Permill::zero())]),
					..basic_terms()
				},
				None
			),
			Error::<Test>::PerformanceLadderNotAscending
		);
		assert_noop!(
			set(ALICE, Terms { commitments: BoundedVec::new(), ..basic_terms() }, None),
			Error::<Test>::NoCommitmentOptions
		);
		let unordered = BoundedVec::truncate_from(vec![
			CommitmentOption { term_rounds: 20, discount: Permill::zero() },
			CommitmentOption { term_rounds: 0, discount: Permill::zero() },
		]);
		assert_noop!(
			set(ALICE, Terms { commitments: unordered, ..basic_terms() }, None),
			Error::<Test>::CommitmentTermsNotAscending
		);
		let long = BoundedVec::truncate_from(vec![CommitmentOption {
			term_rounds: FeeCaps::DEFAULT.max_commitment_term + 1,
			discount: Permill::zero(),
		}]);
		assert_noop!(
			set(ALICE, Terms { commitments: long, ..basic_terms() }, None),
			Error::<Test>::CommitmentTermTooLong
		);
		let doc = numerstake_primitives::terms::TermsDocument {
			hash: Default::default(),
			uri: BoundedVec::new(),
		};
		assert_noop!(
			set(ALICE, Terms { document: Some(doc), ..basic_terms() }, None),
			Error::<Test>::InvalidDocumentUri
		);
	});
}

#[test]
fn performance_fee_increases_are_limited_per_version() {
	build_and_execute(|| {
		active(ALICE);
		let jump = Terms {
			performance_fee: ladder(&[(Balance::MAX, Permill::from_percent(26))]),
			..basic_terms()
		};
		assert_noop!(set(ALICE, jump, Some(200)), Error::<Test>::PerformanceFeeIncreaseTooLarge);
		let step = Terms {
			performance_fee: ladder(&[
				(100 * NMR, Permill::from_percent(25)),
				(Balance::MAX, Permill::from_percent(15)),
			]),
			..basic_terms()
		};
		assert_ok!(set(ALICE, step, Some(200)));
	});
}

#[test]
fn the_terms_in_force_follow_the_effective_rounds() {
	build_and_execute(|| {
		active(ALICE); // v0 from round 101
		let cheaper = Terms { fixed_fee: ladder(&[]), ..basic_terms() };
		assert_ok!(set(ALICE, cheaper.clone(), Some(110))); // v1 from 110
		assert_eq!(Registry::terms_at(&model(), 100), None);
		assert_eq!(Registry::terms_at(&model(), 101).map(|t| t.0), Some(0));
		assert_eq!(Registry::terms_at(&model(), 109).map(|t| t.0), Some(0));
		assert_eq!(Registry::terms_at(&model(), 110), Some((1, cheaper.clone())));
		assert_eq!(Registry::terms_at(&model(), 10_000), Some((1, cheaper)));
		assert_eq!(Registry::terms_at(&other_model(), 110), None);
	});
}

#[test]
fn history_is_bounded_and_prunes_only_what_nobody_needs() {
	build_and_execute(|| {
		active(ALICE); // v0 at 101
		for (i, round) in [110, 120, 130].into_iter().enumerate() {
			assert_ok!(set(ALICE, basic_terms(), Some(round)));
			assert_eq!(Models::<Test>::get(model()).unwrap().next_terms_version, i as u32 + 2);
		}
		// Four versions stored: the limit. v1 (from 110) is not in force yet at round 100.
		assert_noop!(set(ALICE, basic_terms(), Some(140)), Error::<Test>::TooManyTermsVersions);
		CurrentRound::set(115);
		// v1 is in force, but a committed delegation still uses v0.
		FakeDelegations::set_version_in_use(model(), 0, true);
		assert_noop!(set(ALICE, basic_terms(), Some(140)), Error::<Test>::TooManyTermsVersions);
		FakeDelegations::set_version_in_use(model(), 0, false);
		assert_ok!(set(ALICE, basic_terms(), Some(140)));
		let info = Models::<Test>::get(model()).unwrap();
		assert_eq!((info.first_terms_version, info.next_terms_version), (1, 5));
		assert!(TermsVersions::<Test>::get(model(), 0).is_none());
		assert_eq!(Registry::terms_at(&model(), 105), None, "v0 is gone");
	});
}
