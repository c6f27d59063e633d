//! Per-model results: order, range checks, history, settlement and consistency.

use super::*;

#[test]
fn results_finalise_in_round_order_and_reach_settlement() {
	build_and_execute(|| {
		watched_model(dave(), model(1));
		open_rounds(100, 102);
		assert_eq!(Oracle::next_round(&model(1)), Some(100));
		assert_noop!(
			submit(alice(), vec![resolved(model(1), 101, 100 * NMR, NMR_I)]),
			Error::<Test>::OutOfOrder
		);
		quorum(vec![resolved(model(1), 100, 100 * NMR, -3 * NMR_I)]);
		quorum(vec![not_submitted(model(1), 101)]);
		assert_eq!(
			Settlement::take(),
			vec![
				(model(1), 100, RoundReturn::Resolved { at_risk: 100 * NMR, payout: -3 * NMR_I }),
				(model(1), 101, RoundReturn::NotSubmitted),
			]
		);
		assert!(oracle_events().contains(&Event::ResultFinalised {
			model: model(1),
			round: 100,
			submitted: true,
			at_risk: 100 * NMR,
			payout: -3 * NMR_I
		}));
		assert_eq!(Oracle::next_round(&model(1)), Some(102));
		// The registry's consistency record counts them.
		let record = pallet_model_registry::Records::<Test>::get(model(1));
		assert_eq!((record.rounds_submitted, record.rounds_missed), (1, 1));
		assert_eq!(record.last_round, Some(101));
		// Stored for readers.
		let history = Oracle::model_history(model(1), 0, 1_000);
		assert_eq!(history.len(), 2);
		assert_eq!(history[0].round, 100);
		assert_eq!(history[0].payout, -3 * NMR_I);
		assert_eq!(history[0].scores[0], (b"canon_corr".to_vec(), 12_300_000_000));
		assert!(!history[1].submitted);
		// A late report about a final round is stale.
		assert_ok!(submit(charlie(), vec![not_submitted(model(1), 101)]));
		System::assert_last_event(
			Event::<Test>::StaleReport {
				subject: Subject::Result(model(1), 101),
				operator: charlie(),
			}
			.into(),
		);
	});
}

#[test]
fn a_result_needs_its_round_opened() {
	build_and_execute(|| {
		watched_model(dave(), model(1));
		// No round at all yet: the model starts at the chain's first round.
		assert_noop!(
			submit(alice(), vec![resolved(model(1), 100, NMR, 0)]),
			Error::<Test>::RoundNotOpened
		);
		open_rounds(100, 100);
		assert_eq!(Oracle::next_round(&model(1)), Some(100));
		quorum(vec![resolved(model(1), 100, NMR, 0)]);
		assert_noop!(
			submit(alice(), vec![resolved(model(1), 101, NMR, 0)]),
			Error::<Test>::RoundNotOpened
		);
	});
}

#[test]
fn unknown_and_unwatched_models_are_refused() {
	build_and_execute(|| {
		open_rounds(100, 100);
		assert_noop!(
			submit(alice(), vec![resolved(model(9), 100, NMR, 0)]),
			Error::<Test>::UnknownModel
		);
		register_verified(dave(), model(1));
		assert_noop!(
			submit(alice(), vec![resolved(model(1), 100, NMR, 0)]),
			Error::<Test>::NotWatched
		);
	});
}

#[test]
fn amounts_and_scores_are_range_checked() {
	build_and_execute(|| {
		watched_model(dave(), model(1));
		open_rounds(100, 100);
		let r = |at_risk: u128, payout: i128| vec![resolved(model(1), 100, at_risk, payout)];
		// 5 % of 100 NMR is the largest return either way.
		assert_noop!(
			submit(alice(), r(100 * NMR, 5 * NMR as i128 + 1)),
			Error::<Test>::ReturnOutOfRange
		);
		assert_noop!(
			submit(alice(), r(100 * NMR, -(5 * NMR as i128) - 1)),
			Error::<Test>::ReturnOutOfRange
		);
		assert_noop!(submit(alice(), r(0, 1)), Error::<Test>::ReturnOutOfRange);
		assert_noop!(submit(alice(), r(1_000_000_000 * NMR + 1, 0)), Error::<Test>::AtRiskTooLarge);
		let with = |scores: Vec<(&[u8], i64)>, factor: Option<i64>| {
			vec![Report::RoundResult {
				model: model(1),
				round: 100,
				result: RoundResult::Resolved(ResolvedResult {
					at_risk: NMR,
					payout: 0,
					scores: BoundedVec::truncate_from(
						scores
							.into_iter()
							.map(|(n, v)| Score {
								name: ScoreName::truncate_from(n.to_vec()),
								value: v,
							})
							.collect(),
					),
					payout_factor: factor,
					corr_multiplier: None,
					mmc_multiplier: None,
				}),
			}]
		};
		let max = 1_000 * SCORE_SCALE;
		assert_noop!(
			submit(alice(), with(vec![(b"canon_corr", max + 1)], None)),
			Error::<Test>::ScoreOutOfRange
		);
		assert_noop!(
			submit(alice(), with(vec![(b"canon_corr", i64::MIN)], None)),
			Error::<Test>::ScoreOutOfRange
		);
		assert_noop!(submit(alice(), with(vec![], Some(-max - 1))), Error::<Test>::ScoreOutOfRange);
		assert_noop!(
			submit(alice(), with(vec![(b"fnc_v3", 1)], None)),
			Error::<Test>::UnexpectedScore
		);
		assert_noop!(
			submit(alice(), with(vec![(b"canon_mmc", 1), (b"canon_corr", 1)], None)),
			Error::<Test>::UnexpectedScore
		);
		assert_noop!(
			submit(alice(), with(vec![(b"canon_corr", 1), (b"canon_corr", 1)], None)),
			Error::<Test>::UnexpectedScore
		);
		// Limits themselves are fine; a subset of the scores too.
		assert_ok!(submit(alice(), r(100 * NMR, -(5 * NMR as i128))));
		assert_ok!(submit(bob(), with(vec![(b"canon_mmc", max)], Some(max))));
	});
}

#[test]
fn history_is_kept_to_its_depth() {
	build_and_execute(|| {
		watched_model(dave(), model(1));
		let last = 100 + HISTORY_DEPTH + 2;
		open_rounds(100, last);
		for r in 100..=last {
			quorum(vec![resolved(model(1), r, NMR, 0)]);
		}
		let rounds: Vec<_> =
			Oracle::model_history(model(1), 0, 10_000).iter().map(|v| v.round).collect();
		assert_eq!(rounds, ((last + 1 - HISTORY_DEPTH)..=last).collect::<Vec<_>>());
		// Ranges are clipped to the API's maximum.
		assert_eq!(Oracle::model_history(model(1), last, last).len(), 1);
		assert!(Oracle::model_history(model(1), 0, 50).is_empty());
	});
}

#[test]
fn a_wide_history_range_returns_the_oldest_stored_rounds_not_nothing() {
	build_and_execute(|| {
		// Rounds beyond the API's range cap from round 0.
		polkadot_sdk::pallet_timestamp::Now::<Test>::put((START + 3_000 * 3_600) * 1_000);
		watched_model(dave(), model(1));
		open_rounds(2_500, 2_503);
		for r in 2_500..=2_503 {
			quorum(vec![resolved(model(1), r, NMR, 0)]);
		}
		let rounds = |from, to| -> Vec<RoundIndex> {
			Oracle::model_history(model(1), from, to).iter().map(|v| v.round).collect()
		};
		assert_eq!(rounds(0, 100_000), vec![2_500, 2_501, 2_502, 2_503]);
		assert_eq!(rounds(0, RoundIndex::MAX), vec![2_500, 2_501, 2_502, 2_503]);
		assert_eq!(rounds(2_502, 100_000), vec![2_502, 2_503]);
		assert!(rounds(0, 2_000).is_empty());
		assert!(Oracle::model_history(model(2), 0, RoundIndex::MAX).is_empty());
	});
}

#[test]
fn a_model_watched_late_starts_after_the_latest_round() {
	build_and_execute(|| {
		open_rounds(100, 103);
		watched_model(dave(), model(1));
		assert_eq!(Oracle::next_round(&model(1)), Some(104));
		assert_ok!(submit(alice(), vec![resolved(model(1), 103, NMR, 0)]));
		System::assert_last_event(
			Event::<Test>::StaleReport {
				subject: Subject::Result(model(1), 103),
				operator: alice(),
			}
			.into(),
		);
	});
}
