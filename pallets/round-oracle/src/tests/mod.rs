//! Tests by feature; helpers shared by them (and by the mock's benchmark helper).

mod governance;
mod migrations;
mod offchain;
mod ownership;
mod quorum;
mod results;
mod rounds;

pub use crate::mock::*;
pub use crate::*;
pub use numerstake_primitives::{ModelStatus, OwnershipAttestation, RoundReturn};
pub use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, pallet_prelude::*, BoundedVec},
	sp_core::H256,
};

/// The Numerai id text of test model `n`.
pub fn model_text(n: u8) -> Vec<u8> {
	format!("{n:08x}-2222-4333-8444-555555555555").into_bytes()
}

/// Test model `n`.
pub fn model(n: u8) -> ModelId {
	ModelId::parse(&model_text(n)).unwrap()
}

/// `who` claims model `m` (named `model_<first byte>`).
pub fn register_pending(who: AccountId, m: ModelId) {
	let text = m.to_text().to_vec();
	let name = format!("model_{}", m.0[3]).into_bytes();
	assert_ok!(Registry::register_model(
		RuntimeOrigin::signed(who),
		BoundedVec::truncate_from(text),
		BoundedVec::truncate_from(name)
	));
}

/// `who` owns model `m`, verified (without the oracle's watch).
pub fn register_verified(who: AccountId, m: ModelId) {
	register_pending(who, m);
	assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(&m, &who));
}

/// `who` owns model `m`, verified and watched from the next round.
pub fn watched_model(who: AccountId, m: ModelId) {
	register_verified(who, m);
	assert_ok!(Oracle::watch_model(RuntimeOrigin::root(), m, None));
}

/// Round `round`, opened `round - 200` hours from [`START`] (in the past for the rounds the
/// tests use), resolving 30 days later.
pub fn opened(round: RoundIndex) -> ReportOf<Test> {
	let opened_at = START - 200 * 3_600 + u64::from(round) * 3_600;
	Report::RoundOpened { round, opened_at, resolves_at: opened_at + 30 * 86_400 }
}

/// A resolved result with scores for `model` in `round`.
pub fn resolved(m: ModelId, round: RoundIndex, at_risk: u128, payout: i128) -> ReportOf<Test> {
	Report::RoundResult {
		model: m,
		round,
		result: RoundResult::Resolved(ResolvedResult {
			at_risk,
			payout,
			scores: BoundedVec::truncate_from(vec![
				Score {
					name: ScoreName::truncate_from(b"canon_corr".to_vec()),
					value: 12_300_000_000,
				},
				Score {
					name: ScoreName::truncate_from(b"canon_mmc".to_vec()),
					value: -3_100_000_000,
				},
			]),
			payout_factor: Some(SCORE_SCALE),
			corr_multiplier: Some(750_000_000_000),
			mmc_multiplier: Some(2_250_000_000_000),
		}),
	}
}

/// `model` did not submit in `round`.
pub fn not_submitted(m: ModelId, round: RoundIndex) -> ReportOf<Test> {
	Report::RoundResult { model: m, round, result: RoundResult::NotSubmitted }
}

/// `who` sends `reports`.
pub fn submit(who: AccountId, reports: Vec<ReportOf<Test>>) -> DispatchResultWithPostInfo {
	Oracle::submit_reports(RuntimeOrigin::signed(who), BoundedVec::truncate_from(reports))
}

/// Alice and Bob (the quorum of 2) report `reports`.
pub fn quorum(reports: Vec<ReportOf<Test>>) {
	assert_ok!(submit(alice(), reports.clone()));
	assert_ok!(submit(bob(), reports));
}

/// Rounds `from..=to` open.
pub fn open_rounds(from: RoundIndex, to: RoundIndex) {
	for r in from..=to {
		quorum(vec![opened(r)]);
	}
}

/// The oracle's events, newest last.
pub fn oracle_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|e| match e.event {
			RuntimeEvent::Oracle(e) => Some(e),
			_ => None,
		})
		.collect()
}
