//! The off-chain worker: reads Numerai, submits one signed batch of reports per block.
//!
//! It runs only where the keystore holds an oracle key ([`crate::KEY_TYPE`]) whose account is
//! an operator. Per block it does bounded work: one round query, at most
//! [`Config::OffchainClaimsPerBlock`] profile queries and [`Config::OffchainModelsPerBlock`]
//! result queries, each with a 5 s deadline and none after the run's 40 s budget, walking claims and the watch list in rotating batches
//! (cursors in off-chain storage). A storage lock keeps runs from overlapping, and no new batch
//! is sent while the previous one is still in the pool. Every response goes through
//! `numerstake-numerai`; anything it cannot read with certainty is logged, counted under
//! [`SKIPPED_KEY`], and not reported.
//!
//! The Numerai endpoint is the raw (not SCALE-encoded) URL in persistent off-chain storage
//! under [`ENDPOINT_KEY`]: the node sets it from `--numerai-endpoint` (default on dev chains:
//! the local fixture), operators may change it with `offchain_localStorageSet`.

use super::*;
use alloc::{string::String, vec, vec::Vec};
use numerstake_numerai::{extract, query, query::ScoreQuery, RoundOutcome, ScoreConfig};
use numerstake_primitives::PendingClaim;
use polkadot_sdk::{
	frame_support::{
		traits::{ConstU32, Get},
		BoundedVec,
	},
	frame_system::{
		offchain::{SendSignedTransaction, Signer},
		pallet_prelude::BlockNumberFor,
	},
	sp_core::offchain::{Duration, StorageKind},
	sp_io::offchain,
	sp_runtime::{
		offchain::{
			http,
			storage::StorageValueRef,
			storage_lock::{StorageLock, Time},
		},
		traits::Saturating,
	},
};

/// Off-chain storage key of the Numerai endpoint URL (raw bytes).
pub const ENDPOINT_KEY: &[u8] = b"numerstake::oracle::endpoint";
/// Off-chain storage key of the count of responses skipped as unreadable (SCALE `u64`).
pub const SKIPPED_KEY: &[u8] = b"numerstake::oracle::skipped";
/// Off-chain storage key of the score query form in use (SCALE `u8`, the index in
/// [`ScoreQuery::ALL`]): the worker moves to the next form when the server refuses one.
pub const SCORE_FORM_KEY: &[u8] = b"numerstake::oracle::score-form";
/// Off-chain storage key of how many score responses each form got read (SCALE `[u64; 3]`,
/// in the order of [`ScoreQuery::ALL`]).
pub const SCORE_FORM_COUNTS_KEY: &[u8] = b"numerstake::oracle::score-form-counts";
const LOCK_KEY: &[u8] = b"numerstake::oracle::lock";
/// Off-chain storage key of the watch-list slot the next result batch starts at (SCALE `u32`).
pub const MODEL_CURSOR_KEY: &[u8] = b"numerstake::oracle::model-cursor";
const CLAIM_CURSOR_KEY: &[u8] = b"numerstake::oracle::claim-cursor";
/// Off-chain storage key of the batch sent last: `(block, nonce)`, SCALE.
pub const IN_FLIGHT_KEY: &[u8] = b"numerstake::oracle::in-flight";
/// Prefix of the key (followed by the model id's 16 bytes) under which the worker remembers
/// when it first found a claim's profile not the model's: `(claimant, unix seconds)`.
pub const REFUTE_KEY_PREFIX: &[u8] = b"numerstake::oracle::refute:";
/// How long a claim's profile must read as not the model's, across reads, before the worker
/// refutes the claim (which burns the claimant's deposit): three hours, so that an outage that
/// answers `null` for a while (every operator reads the same API) or a renaming in progress does
/// not cost an honest claimant, while a squatter still pays a deposit every few hours.
pub const REFUTE_CONFIRM_SECS: u64 = 3 * 3_600;

/// Deadline of one HTTP request.
const HTTP_DEADLINE_MS: u64 = 5_000;
/// A run sends no request after this long (however many time out).
const RUN_BUDGET_MS: u64 = 40_000;
/// A run holds the lock at most this long (longer than its budget plus one request).
const LOCK_MS: u64 = 60_000;
/// Off-chain storage key of the current run's end of budget (unix ms).
const RUN_END_KEY: &[u8] = b"numerstake::oracle::run-end";
/// Largest response read.
const MAX_BODY: usize = 512 * 1024;
/// Blocks to wait for a sent batch to be included before sending again.
const IN_FLIGHT_BLOCKS: u32 = 5;

const TARGET: &str = "numerstake::oracle";

fn count_skip(what: &str, error: &impl core::fmt::Debug) {
	log::warn!(target: TARGET, "skipped {what}: {error:?}");
	let counter = StorageValueRef::persistent(SKIPPED_KEY);
	let _ = counter.mutate::<u64, (), _>(|n| Ok(n.ok().flatten().unwrap_or(0).saturating_add(1)));
}

/// Why an HTTP call gave no body (logged with `Debug`).
#[allow(dead_code)]
#[derive(Debug)]
enum FetchError {
	/// The request could not be started or timed out.
	Http(http::Error),
	/// A non-200 status.
	Status(u16),
	/// The body exceeded [`MAX_BODY`].
	TooLarge,
	/// The body broke off (deadline or connection).
	Truncated,
	/// The run's time budget is spent.
	OutOfTime,
}

fn post(endpoint: &str, body: String) -> Result<Vec<u8>, FetchError> {
	let now = offchain::timestamp();
	let run_end = StorageValueRef::persistent(RUN_END_KEY).get::<u64>().ok().flatten();
	let mut deadline = now.add(Duration::from_millis(HTTP_DEADLINE_MS));
	if let Some(end) = run_end {
		if now.unix_millis() >= end {
			return Err(FetchError::OutOfTime);
		}
		deadline = deadline.min(polkadot_sdk::sp_core::offchain::Timestamp::from_unix_millis(end));
	}
	let pending = http::Request::post(endpoint, vec![body.into_bytes()])
		.add_header("Content-Type", "application/json")
		.add_header("Accept", "application/json")
		.deadline(deadline)
		.send()
		.map_err(|_| FetchError::Http(http::Error::IoError))?;
	let response = pending
		.try_wait(deadline)
		.map_err(|_| FetchError::Http(http::Error::DeadlineReached))?
		.map_err(FetchError::Http)?;
	if response.code != 200 {
		return Err(FetchError::Status(response.code));
	}
	let mut body = response.body();
	body.deadline(deadline);
	let mut out = Vec::new();
	for byte in body.by_ref() {
		if out.len() >= MAX_BODY {
			return Err(FetchError::TooLarge);
		}
		out.push(byte);
	}
	if body.error().is_some() {
		return Err(FetchError::Truncated);
	}
	Ok(out)
}

/// The keystore account that is an operator, if any.
fn operator_account<T: Config>() -> Option<(T::AccountId, T::Public)> {
	let operators = Operators::<T>::get();
	Signer::<T, T::AuthorityId>::keystore_accounts()
		.find(|a| operators.contains(&a.id))
		.map(|a| (a.id, a.public))
}

/// Whether the previous batch may still be in the pool. A record from a block after `now` is
/// stale (off-chain storage from another chain, or from a fork the node left): it holds
/// nothing back, or a node restored from an old database would stay silent until the chain
/// reached that block.
fn in_flight<T: Config>(who: &T::AccountId, now: BlockNumberFor<T>) -> bool {
	let stored = StorageValueRef::persistent(IN_FLIGHT_KEY);
	let Ok(Some((sent_at, nonce))) = stored.get::<(BlockNumberFor<T>, T::Nonce)>() else {
		return false;
	};
	let current = frame_system::Account::<T>::get(who).nonce;
	current <= nonce && sent_at <= now && now < sent_at.saturating_add(IN_FLIGHT_BLOCKS.into())
}

fn endpoint() -> Option<String> {
	let raw = offchain::local_storage_get(StorageKind::PERSISTENT, ENDPOINT_KEY)?;
	String::from_utf8(raw).ok().filter(|s| !s.is_empty())
}

/// One off-chain worker run.
pub(crate) fn run<T: Config>(now: BlockNumberFor<T>) {
	let Some((who, public)) = operator_account::<T>() else { return };
	let mut lock = StorageLock::<Time>::with_deadline(LOCK_KEY, Duration::from_millis(LOCK_MS));
	let Ok(_guard) = lock.try_lock() else {
		log::debug!(target: TARGET, "previous run still going");
		return;
	};
	if in_flight::<T>(&who, now) {
		log::debug!(target: TARGET, "previous batch not included yet");
		return;
	}
	let run_end = offchain::timestamp().add(Duration::from_millis(RUN_BUDGET_MS));
	StorageValueRef::persistent(RUN_END_KEY).set(&run_end.unix_millis());
	let Some(endpoint) = endpoint() else {
		log::warn!(target: TARGET, "no Numerai endpoint configured (--numerai-endpoint)");
		return;
	};
	let reports = collect::<T>(&who, &endpoint);
	if reports.is_empty() {
		return;
	}
	let count = reports.len();
	let Ok(batch) = BoundedVec::<ReportOf<T>, T::MaxReportsPerCall>::try_from(reports) else {
		return;
	};
	let nonce = frame_system::Account::<T>::get(&who).nonce;
	let sent = Signer::<T, T::AuthorityId>::any_account()
		.with_filter(vec![public])
		.send_signed_transaction(|_| Call::submit_reports { reports: batch.clone() });
	match sent {
		Some((_, Ok(()))) => {
			log::info!(target: TARGET, "submitted {count} report(s)");
			StorageValueRef::persistent(IN_FLIGHT_KEY).set(&(now, nonce));
		},
		_ => log::warn!(target: TARGET, "could not submit {count} report(s)"),
	}
}

/// The reports this operator has not sent yet, each checked against the chain.
fn collect<T: Config>(who: &T::AccountId, endpoint: &str) -> Vec<ReportOf<T>> {
	let max = T::MaxReportsPerCall::get() as usize;
	let mut reports = Vec::new();
	let push = |reports: &mut Vec<ReportOf<T>>, report: ReportOf<T>| {
		if reports.len() >= max || Pallet::<T>::has_live_vote(report.subject(), who) {
			return;
		}
		match Pallet::<T>::check_report(&report) {
			Ok(Freshness::Fresh) => reports.push(report),
			Ok(Freshness::Stale) => {},
			Err(e) => count_skip("report the chain would refuse", &e),
		}
	};
	// Subjects this operator already voted on wait for the others: no need to ask again.
	let voted = |subject: Subject| Pallet::<T>::has_live_vote(subject, who);
	let params = Params::<T>::get();
	if let Some(r) = next_round::<T>(endpoint, params.tournament, &voted) {
		push(&mut reports, r);
	}
	for r in claims::<T>(endpoint, &voted) {
		push(&mut reports, r);
	}
	for r in results::<T>(endpoint, &params, &voted) {
		push(&mut reports, r);
	}
	reports
}

/// The round after the latest on chain (or the current one on a new chain), once open.
fn next_round<T: Config>(
	endpoint: &str,
	tournament: u16,
	voted: &impl Fn(Subject) -> bool,
) -> Option<ReportOf<T>> {
	let latest = LatestRound::<T>::get();
	let number = latest.map_or(0, |l| l.saturating_add(1));
	if latest.is_some() && voted(Subject::Round(number)) {
		return None;
	}
	let body = post(endpoint, query::rounds(tournament, number))
		.map_err(|e| count_skip("rounds", &e))
		.ok()?;
	let read = match latest {
		Some(_) => extract::round(&body, number),
		None => extract::current_round(&body),
	};
	let round = read.map_err(|e| count_skip("rounds", &e)).ok()??;
	let now = offchain::timestamp().unix_millis() / 1_000;
	(round.opened_at <= now).then_some(Report::RoundOpened {
		round: round.number,
		opened_at: round.opened_at,
		resolves_at: round.resolves_at,
	})
}

/// Ownership reports for the next batch of live claims.
fn claims<T: Config>(endpoint: &str, voted: &impl Fn(Subject) -> bool) -> Vec<ReportOf<T>> {
	let limit = T::OffchainClaimsPerBlock::get();
	let cursor = StorageValueRef::persistent(CLAIM_CURSOR_KEY);
	let after = cursor.get::<ModelId>().ok().flatten();
	let batch = T::Registry::pending_claims(after, limit);
	match batch.last() {
		Some(last) if batch.len() as u32 == limit => cursor.set(&last.model),
		_ => {
			let mut cursor = cursor;
			cursor.clear();
		},
	}
	let now = offchain::timestamp().unix_millis() / 1_000;
	let mut out = Vec::new();
	for PendingClaim { model, claimant, name, expires_at } in batch {
		let (seen, other) = (voted(Subject::Ownership(model)), voted(Subject::Profile(model)));
		if seen && other {
			continue;
		}
		let bounded_name = BoundedVec::truncate_from(name.clone());
		let (Ok(name), Ok(challenge)) = (
			core::str::from_utf8(&name),
			String::from_utf8(T::Registry::challenge(&model, &claimant)),
		) else {
			continue;
		};
		let profile = post(endpoint, query::user_profile(name))
			.map_err(|e| count_skip("profile", &e))
			.ok()
			.and_then(|body| extract::profile(&body).map_err(|e| count_skip("profile", &e)).ok());
		let id = model.to_text();
		let id = core::str::from_utf8(&id).unwrap_or_default();
		let Some(profile) = profile else { continue };
		let refuting = profile.as_ref().is_none_or(|p| !p.id.eq_ignore_ascii_case(id));
		let claim = (claimant.clone(), bounded_name.clone(), expires_at);
		let first_refuted = refuted_since::<T>(&model, &claim, refuting, now);
		let report = match profile {
			// Numerai has no model of that name, or the name is another model's: the claim
			// names a profile that is not the model's (a squatter's way around the profile).
			// Only when every read for a while has said so.
			_ if refuting => first_refuted
				.filter(|since| !seen && now >= since.saturating_add(REFUTE_CONFIRM_SECS))
				.map(|_| Report::ClaimRefuted { model, claimant, name: bounded_name }),
			Some(p) if p.shows(id, &challenge) => {
				(!seen).then_some(Report::Ownership { model, claimant })
			},
			// Another account's challenge, not the claimant's: the profile's owner wants
			// someone else to have the model.
			Some(p) => p
				.first_challenge(id, numerstake_primitives::CHALLENGE_PREFIX)
				.filter(|_| !other)
				.map(|digest| Report::ForeignChallenge { model, digest }),
			None => None,
		};
		out.extend(report);
	}
	out
}

/// One claim: its claimant, name and expiry.
type ClaimId<T> = (<T as frame_system::Config>::AccountId, BoundedVec<u8, ConstU32<64>>, u64);

/// When the worker first read `claim` (of `model`) as naming a profile that is not the model's,
/// if this read (`refuting`) says so too; a read that does not forgets it, and so does another
/// claim (another claimant, name or expiry).
fn refuted_since<T: Config>(
	model: &ModelId,
	claim: &ClaimId<T>,
	refuting: bool,
	now: u64,
) -> Option<u64> {
	let key = [REFUTE_KEY_PREFIX, &model.0[..]].concat();
	let mut store = StorageValueRef::persistent(&key);
	if !refuting {
		store.clear();
		return None;
	}
	match store.get::<(ClaimId<T>, u64)>() {
		Ok(Some((c, since))) if c == *claim => Some(since),
		_ => {
			store.set(&(claim, now));
			Some(now)
		},
	}
}

/// Result reports for the next batch of watched models.
fn results<T: Config>(
	endpoint: &str,
	params: &OracleParamsOf<T>,
	voted: &impl Fn(Subject) -> bool,
) -> Vec<ReportOf<T>> {
	let Some(latest) = LatestRound::<T>::get() else { return Vec::new() };
	let cursor = StorageValueRef::persistent(MODEL_CURSOR_KEY);
	let start = cursor.get::<u32>().ok().flatten().unwrap_or(0);
	let (models, next) = Pallet::<T>::watch_batch(start, T::OffchainModelsPerBlock::get());
	cursor.set(&next);
	let text = |n: &ScoreName| core::str::from_utf8(n).map(String::from);
	let (Ok(corr), Ok(mmc)) = (text(&params.corr_score), text(&params.mmc_score)) else {
		return Vec::new();
	};
	let Ok(stored) = params.stored_scores.iter().map(text).collect::<Result<Vec<_>, _>>() else {
		return Vec::new();
	};
	let stored_refs: Vec<&str> = stored.iter().map(String::as_str).collect();
	let config = ScoreConfig { corr: &corr, mmc: &mmc, stored: &stored_refs };
	let now = offchain::timestamp().unix_millis() / 1_000;
	let mut out = Vec::new();
	for model in models {
		let Some(round) = Pallet::<T>::next_round(&model).filter(|r| *r <= latest) else {
			continue;
		};
		if voted(Subject::Result(model, round)) {
			continue;
		}
		let id = model.to_text();
		let id = core::str::from_utf8(&id).unwrap_or_default();
		let outcome = performances(endpoint, id, params.tournament, round, latest, &config);
		let result = match outcome {
			None | Some(RoundOutcome::Unresolved) => continue,
			Some(RoundOutcome::Absent) => {
				// Not listed: not submitted, once the round is surely resolved (a round no
				// longer stored resolved long ago).
				let resolved = Rounds::<T>::get(round)
					.is_none_or(|r| now >= r.resolves_at.saturating_add(params.absent_grace_secs));
				if !resolved {
					continue;
				}
				RoundResult::NotSubmitted
			},
			Some(RoundOutcome::NotSubmitted) => RoundResult::NotSubmitted,
			Some(RoundOutcome::Resolved(read)) => match ResolvedResult::from_read(read) {
				Some(r) => RoundResult::Resolved(r),
				None => continue,
			},
		};
		out.push(Report::RoundResult { model, round, result });
	}
	out
}

/// `model_id`'s outcome in `round`, asked in the score query form that last worked. When the
/// server refuses the form's filter argument, the next form is tried at once (each at most
/// once per call) and remembered; every response read counts for its form.
fn performances(
	endpoint: &str,
	model_id: &str,
	tournament: u16,
	round: RoundIndex,
	latest: RoundIndex,
	config: &ScoreConfig,
) -> Option<RoundOutcome> {
	let stored = StorageValueRef::persistent(SCORE_FORM_KEY);
	let mut form = ScoreQuery::from_index(stored.get::<u8>().ok().flatten().unwrap_or(0));
	for _ in ScoreQuery::ALL {
		let request = query::round_model_performances(form, model_id, tournament, round, latest);
		let body = post(endpoint, request).map_err(|e| count_skip("performances", &e)).ok()?;
		match extract::round_result(&body, round, config, form.is_exact()) {
			// A refused argument, or an exact filter answered with other rounds (the server
			// ignores the filter): the next form.
			Err(e)
				if extract::refuses_argument(&e, form.argument())
					|| (form.is_exact() && e == extract::Error::NotInWindow) =>
			{
				let next = form.next();
				log::warn!(
					target: TARGET,
					"the server refuses the score query's `{}` ({e:?}); trying `{}`",
					form.argument(),
					next.argument()
				);
				stored.set(&next.index());
				form = next;
			},
			Err(e) => {
				count_skip("performances", &e);
				return None;
			},
			Ok(outcome) => {
				let counts = StorageValueRef::persistent(SCORE_FORM_COUNTS_KEY);
				let _ = counts.mutate::<[u64; 3], (), _>(|c| {
					let mut c = c.ok().flatten().unwrap_or_default();
					if let Some(n) = c.get_mut(usize::from(form.index())) {
						if *n == 0 {
							log::info!(
								target: TARGET,
								"the score query with `{}` works",
								form.argument()
							);
						}
						*n = n.saturating_add(1);
					}
					Ok(c)
				});
				return Some(outcome);
			},
		}
	}
	count_skip("performances", &"the server refuses every score query form");
	None
}
