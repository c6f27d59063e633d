//! Version commitments: announced ahead, one pending at a time, bounded history.

use super::*;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_core::H256,
};

fn commit(
	who: AccountId,
	hash: u8,
	at: Option<RoundIndex>,
) -> polkadot_sdk::sp_runtime::DispatchResult {
	Registry::commit_version(
		RuntimeOrigin::signed(who),
		model(),
		H256::repeat_byte(hash),
		at,
		BoundedVec::truncate_from(b"new features".to_vec()),
	)
}

#[test]
fn owners_announce_versions_ahead() {
	build_and_execute(|| {
		verified(ALICE);
		assert_noop!(
			commit(ALICE, 1, Some(100 + VERSION_NOTICE - 1)),
			Error::<Test>::EffectiveRoundTooSoon
		);
		assert_ok!(commit(ALICE, 1, None));
		let history = Versions::<Test>::get(model());
		assert_eq!(history.versions.len(), 1);
		assert_eq!(history.versions[0].effective_round, 100 + VERSION_NOTICE);
		assert_eq!(history.versions[0].announced_round, 100);
		System::assert_last_event(
			Event::<Test>::VersionCommitted {
				model: model(),
				artefact_hash: H256::repeat_byte(1),
				effective_round: 100 + VERSION_NOTICE,
			}
			.into(),
		);
	});
}

#[test]
fn only_verified_owners_of_live_models_commit() {
	build_and_execute(|| {
		assert_noop!(commit(ALICE, 1, None), Error::<Test>::UnknownModel);
		claim(ALICE, MODEL_TEXT);
		assert_noop!(commit(BOB, 1, None), Error::<Test>::NotOwner);
		assert_noop!(commit(ALICE, 1, None), Error::<Test>::NotVerified);
		assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(
			&model(),
			&ALICE
		));
		assert_ok!(Registry::retire_model(RuntimeOrigin::signed(ALICE), model()));
		assert_noop!(commit(ALICE, 1, None), Error::<Test>::ModelRetiring);
	});
}

#[test]
fn one_version_pending_at_a_time() {
	build_and_execute(|| {
		verified(ALICE);
		assert_ok!(commit(ALICE, 1, Some(110)));
		assert_noop!(commit(ALICE, 2, Some(120)), Error::<Test>::VersionAlreadyPending);
		CurrentRound::set(110);
		assert_noop!(commit(ALICE, 2, Some(110)), Error::<Test>::EffectiveRoundTooSoon);
		assert_ok!(commit(ALICE, 2, Some(120)));
	});
}

/// Alice's verified model gets versions effective at rounds 103, 106, 109, 112 and 115, each
/// announced once the previous one took effect.
fn five_versions_three_rounds_apart() {
	verified(ALICE);
	let mut round = 100;
	for i in 0..5u8 {
		assert_ok!(commit(ALICE, i, Some(round + VERSION_NOTICE)));
		round += VERSION_NOTICE;
		CurrentRound::set(round);
	}
}

#[test]
fn history_keeps_the_newest_and_remembers_what_it_dropped() {
	build_and_execute(|| {
		five_versions_three_rounds_apart();
		let history = Versions::<Test>::get(model());
		assert_eq!(history.versions.len() as u32, MAX_HISTORY);
		assert_eq!(history.total, 5);
		// Effective rounds 103, 106, 109, 112, 115: the first two were dropped.
		assert_eq!(history.dropped, Some((103, 106)));
		assert_eq!(history.versions[0].effective_round, 109);
	});
}

#[test]
fn version_changes_are_found_by_round_range() {
	build_and_execute(|| {
		five_versions_three_rounds_apart();
		let changed = |a, b| Registry::version_changed_between(&model(), a, b);
		assert!(changed(100, 103), "a dropped version still counts");
		assert!(changed(105, 106));
		assert!(changed(103, 105), "inside the dropped span: counted as changed (conservative)");
		assert!(!changed(106, 108));
		assert!(changed(108, 109));
		assert!(changed(114, 200));
		assert!(!changed(115, 200));
		assert!(!Registry::version_changed_between(&other_model(), 0, 1_000));
	});
}
