//! The off-chain worker against mocked HTTP: what it asks, what it reports, what it skips.

use super::*;
use codec::Decode;
use numerstake_numerai::{query, query::ScoreQuery};
use polkadot_sdk::frame_support::traits::fungible::Inspect;
use polkadot_sdk::{
	sp_core::offchain::{
		testing::{
			OffchainState, PendingRequest, PoolState, TestOffchainExt, TestTransactionPoolExt,
		},
		OffchainDbExt, OffchainWorkerExt, StorageKind, TransactionPoolExt,
	},
	sp_io::TestExternalities,
	sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt},
	sp_runtime::traits::Dispatchable,
	sp_runtime::BuildStorage,
};
use std::sync::Arc;

const URL: &str = "http://127.0.0.1:18080/graphql";

struct Harness {
	ext: TestExternalities,
	http: Arc<parking_lot::RwLock<OffchainState>>,
	pool: Arc<parking_lot::RwLock<PoolState>>,
	operator: AccountId,
}

/// A chain whose only operator (threshold 1) has its oracle key in this node's keystore;
/// `with_key: false` leaves the keystore empty.
fn harness(with_key: bool) -> Harness {
	harness_with(with_key, vec![], 1)
}

/// As [`harness`], with more operators (that have no keys here) and another threshold.
fn harness_with(with_key: bool, others: Vec<AccountId>, threshold: u32) -> Harness {
	let keystore = MemoryKeystore::new();
	let generated = keystore.sr25519_generate_new(KEY_TYPE, Some("//Oracle")).unwrap();
	let keystore = if with_key { keystore } else { MemoryKeystore::new() };
	let operator = generated;
	let mut storage =
		polkadot_sdk::frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	polkadot_sdk::pallet_balances::GenesisConfig::<Test> {
		balances: vec![(operator, 1_000 * NMR), (dave(), 1_000 * NMR)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	crate::GenesisConfig::<Test> {
		operators: [vec![operator], others].concat(),
		threshold,
		params: None,
		watched: vec![],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = TestExternalities::new(storage);
	let (offchain, http) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(START * 1_000);
		polkadot_sdk::sp_io::offchain::local_storage_set(
			StorageKind::PERSISTENT,
			ENDPOINT_KEY,
			URL.as_bytes(),
		);
	});
	// The off-chain clock: the test state starts at 0; set it to the chain's.
	http.write().timestamp =
		polkadot_sdk::sp_core::offchain::Timestamp::from_unix_millis(START * 1_000);
	Harness { ext, http, pool: pool_state, operator }
}

impl Harness {
	fn expect(&self, body: String, response: &str) {
		self.http.write().expect_request(PendingRequest {
			method: "POST".into(),
			uri: URL.into(),
			headers: vec![
				("Content-Type".into(), "application/json".into()),
				("Accept".into(), "application/json".into()),
			],
			body: body.into_bytes(),
			response: Some(response.as_bytes().to_vec()),
			sent: true,
			..Default::default()
		});
	}

	/// Runs the worker at block `n` as a node does: its changes to chain state are discarded.
	fn work(&mut self, n: u64) {
		self.ext.execute_with(|| {
			System::set_block_number(n);
			polkadot_sdk::frame_support::storage::with_transaction(|| {
				Oracle::offchain_worker(n);
				polkadot_sdk::sp_runtime::TransactionOutcome::Rollback(Ok::<(), DispatchError>(()))
			})
			.unwrap();
		});
	}

	/// The calls the worker put into the pool since the last look.
	fn sent(&self) -> Vec<RuntimeCall> {
		let txs = core::mem::take(&mut self.pool.write().transactions);
		txs.into_iter().map(|tx| Extrinsic::decode(&mut &tx[..]).unwrap().function).collect()
	}

	/// Runs the worker at block `n`, then includes what it sent (as the operator's).
	fn run(&mut self, n: u64) -> Vec<RuntimeCall> {
		self.work(n);
		let calls = self.sent();
		let operator = self.operator;
		self.ext.execute_with(|| {
			for call in &calls {
				assert_ok!(call.clone().dispatch(RuntimeOrigin::signed(operator)));
				System::inc_account_nonce(operator);
			}
			Oracle::do_try_state().expect("oracle invariants hold after every block");
			Registry::do_try_state().expect("registry invariants hold after every block");
		});
		calls
	}

	fn skipped(&mut self) -> u64 {
		self.ext.execute_with(|| {
			polkadot_sdk::sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, SKIPPED_KEY)
				.map(|v| u64::decode(&mut &v[..]).unwrap())
				.unwrap_or(0)
		})
	}
}

fn reports(call: &RuntimeCall) -> Vec<ReportOf<Test>> {
	match call {
		RuntimeCall::Oracle(crate::Call::submit_reports { reports }) => reports.to_vec(),
		other => panic!("unexpected call {other:?}"),
	}
}

/// Round 101, opened a minute before the chain's clock (after round 100 of [`ROUND_100`]).
fn round_101() -> ReportOf<Test> {
	Report::RoundOpened { round: 101, opened_at: START - 60, resolves_at: START - 60 + 30 * 86_400 }
}

/// A chain at round 101 (100 learnt by the worker, 101 reported by hand) watching model 1
/// from round 101; and model 1's id text.
fn watching_model_1() -> (Harness, String) {
	let mut h = harness(true);
	h.expect(query::rounds(8, 0), ROUND_100);
	h.run(2);
	h.ext.execute_with(|| {
		watched_model(dave(), model(1));
		assert_ok!(submit(Operators::<Test>::get()[0], vec![round_101()]));
	});
	(h, String::from_utf8(model(1).to_text().to_vec()).unwrap())
}

const ROUND_100: &str = r#"{"data":{"rounds":[{"number":100,"openTime":"2026-03-01T11:00:00Z","resolveTime":"2026-04-01T11:00:00Z"}]}}"#;

#[test]
fn a_new_chain_learns_the_current_round() {
	let mut h = harness(true);
	h.expect(query::rounds(8, 0), ROUND_100);
	let calls = h.run(2);
	assert_eq!(calls.len(), 1);
	assert_eq!(
		reports(&calls[0]),
		vec![Report::RoundOpened {
			round: 100,
			opened_at: START - 3_600,
			resolves_at: START - 3_600 + 31 * 86_400
		}]
	);
	h.ext.execute_with(|| assert_eq!(LatestRound::<Test>::get(), Some(100)));
}

#[test]
fn it_reports_ownership_and_results_in_one_batch() {
	let mut h = harness(true);
	h.expect(query::rounds(8, 0), ROUND_100);
	h.run(2);
	let challenge = h.ext.execute_with(|| {
		register_pending(dave(), model(1));
		String::from_utf8(<Registry as OwnershipAttestation<AccountId>>::challenge(
			&model(1),
			&dave(),
		))
		.unwrap()
	});
	let id = String::from_utf8(model(1).to_text().to_vec()).unwrap();
	h.expect(query::rounds(8, 101), r#"{"data":{"rounds":[]}}"#);
	h.expect(
		query::user_profile("model_1"),
		&format!(r#"{{"data":{{"v3UserProfile":{{"id":"{id}","username":"model_1","bio":"staking with {challenge} :)","linkText":null,"linkUrl":null}}}}}}"#),
	);
	let calls = h.run(3);
	assert_eq!(reports(&calls[0]), vec![Report::Ownership { model: model(1), claimant: dave() }]);
	h.ext.execute_with(|| {
		assert_eq!(Oracle::next_round(&model(1)), Some(101));
		// Round 101 opens (reported by hand here) so that the model has a round to report.
		assert_ok!(submit(Operators::<Test>::get()[0], vec![round_101()]));
	});

	// Round 101 resolved: 1000 NMR at risk, +24 NMR split over the two scores.
	h.expect(query::rounds(8, 102), r#"{"data":{"rounds":[]}}"#);
	h.expect(
		query::round_model_performances(ScoreQuery::FrontEnd, &id, 8, 101, 101),
		r#"{"data":{"v2RoundModelPerformances":[{"roundNumber":101,"roundResolved":true,"atRisk":"1000.000000000000000000",
		"corrMultiplier":0.75,"mmcMultiplier":2.25,"roundPayoutFactor":"1.000000000000000000",
		"submissionScores":[{"displayName":"canon_corr","value":0.02,"payoutSettled":"15.000000000000000000"},
		                    {"displayName":"canon_mmc","value":4e-3,"payoutSettled":"9"}]}]}}"#,
	);
	let calls = h.run(4);
	let sent = reports(&calls[0]);
	assert_eq!(sent.len(), 1);
	let Report::RoundResult {
		model: m,
		round,
		result: RoundResult::Resolved(ResolvedResult { at_risk, payout, scores, .. }),
	} = &sent[0]
	else {
		panic!("{sent:?}")
	};
	assert_eq!((*m, *round, *at_risk, *payout), (model(1), 101, 1_000 * NMR, 24 * NMR as i128));
	assert_eq!(scores[1].value, 4_000_000_000);
	h.ext.execute_with(|| {
		assert!(Results::<Test>::contains_key(model(1), 101));
		Oracle::do_try_state().unwrap();
	});
	assert_eq!(h.skipped(), 0);
}

#[test]
fn unreadable_responses_are_skipped_and_counted() {
	let (mut h, id) = watching_model_1();
	// Truncated JSON for the round, GraphQL errors for the model.
	h.expect(query::rounds(8, 102), r#"{"data":{"rounds":[{"number":102,"openTi"#);
	h.expect(
		query::round_model_performances(ScoreQuery::FrontEnd, &id, 8, 101, 101),
		r#"{"errors":[{"message":"Internal server error"}],"data":null}"#,
	);
	assert!(h.run(3).is_empty());
	assert_eq!(h.skipped(), 2);
	// A payout the formula does not confirm: skipped too, never reported.
	h.expect(query::rounds(8, 102), r#"{"data":{"rounds":[]}}"#);
	h.expect(
		query::round_model_performances(ScoreQuery::FrontEnd, &id, 8, 101, 101),
		r#"{"data":{"v2RoundModelPerformances":[{"roundNumber":101,"roundResolved":true,"atRisk":"1000",
		"corrMultiplier":0.75,"mmcMultiplier":2.25,"roundPayoutFactor":"1",
		"submissionScores":[{"displayName":"canon_corr","value":0.02,"payoutSettled":"10"},
		                    {"displayName":"canon_mmc","value":4e-3,"payoutSettled":"10"}]}]}}"#,
	);
	assert!(h.run(4).is_empty());
	assert_eq!(h.skipped(), 3);
	// A payout beyond what the chain accepts (the API's clip is 5 %): skipped before sending.
	h.expect(query::rounds(8, 102), r#"{"data":{"rounds":[]}}"#);
	h.expect(
		query::round_model_performances(ScoreQuery::FrontEnd, &id, 8, 101, 101),
		r#"{"data":{"v2RoundModelPerformances":[{"roundNumber":101,"roundResolved":true,"atRisk":"10",
		"submissionScores":[{"displayName":"canon_corr","value":0.02,"payoutSettled":"9"}]}]}}"#,
	);
	h.ext.execute_with(|| {
		let mut p = OracleParamsOf::<Test>::classic();
		p.stored_scores =
			BoundedVec::truncate_from(vec![ScoreName::truncate_from(b"canon_corr".to_vec())]);
		assert_ok!(Oracle::set_params(RuntimeOrigin::root(), p));
	});
	assert!(h.run(5).is_empty());
	assert_eq!(h.skipped(), 4);
}

#[test]
fn an_absent_model_is_not_submitted_only_after_resolution_and_grace() {
	let (mut h, id) = watching_model_1();
	let empty = r#"{"data":{"v2RoundModelPerformances":[]}}"#;
	h.expect(query::rounds(8, 102), r#"{"data":{"rounds":[]}}"#);
	h.expect(query::round_model_performances(ScoreQuery::FrontEnd, &id, 8, 101, 101), empty);
	assert!(h.run(3).is_empty());
	// Round 101 resolves 30 days after it opened; a day of grace later, absent = not submitted.
	let Report::RoundOpened { resolves_at, .. } = round_101() else { unreachable!() };
	h.http.write().timestamp = polkadot_sdk::sp_core::offchain::Timestamp::from_unix_millis(
		(resolves_at + 86_400) * 1_000,
	);
	h.expect(query::rounds(8, 102), r#"{"data":{"rounds":[]}}"#);
	h.expect(query::round_model_performances(ScoreQuery::FrontEnd, &id, 8, 101, 101), empty);
	let calls = h.run(4);
	assert_eq!(reports(&calls[0]), vec![not_submitted(model(1), 101)]);
}

#[test]
fn without_an_oracle_key_it_does_nothing() {
	let mut h = harness(false);
	// Any HTTP request would fail the test: none is expected.
	assert!(h.run(2).is_empty());
}

#[test]
fn it_waits_for_its_batch_to_be_included() {
	let mut h = harness(true);
	h.expect(query::rounds(8, 0), ROUND_100);
	h.work(2);
	assert_eq!(h.sent().len(), 1);
	// Not included yet (nonce unchanged): the next blocks send nothing and ask nothing.
	h.work(3);
	assert!(h.sent().is_empty());
	// After IN_FLIGHT_BLOCKS the worker tries again.
	h.expect(query::rounds(8, 0), ROUND_100);
	h.work(7);
	assert_eq!(h.sent().len(), 1);
}

/// Round 101 of model 1, resolved: 1000 NMR at risk, +24 NMR.
const MODEL_1_ROUND_101: &str = r#"{"data":{"v2RoundModelPerformances":[{"roundNumber":101,"roundResolved":true,"atRisk":"1000.000000000000000000",
	"corrMultiplier":0.75,"mmcMultiplier":2.25,"roundPayoutFactor":"1.000000000000000000",
	"submissionScores":[{"displayName":"canon_corr","value":0.02,"payoutSettled":"15.000000000000000000"},
	                    {"displayName":"canon_mmc","value":4e-3,"payoutSettled":"9"}]}]}}"#;

#[test]
fn a_stale_cursor_and_in_flight_record_neither_silence_it_nor_make_it_report_twice() {
	let (mut h, id) = watching_model_1();
	let set = |h: &mut Harness, key: &[u8], value: Vec<u8>| {
		h.ext.execute_with(|| {
			polkadot_sdk::sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, key, &value)
		})
	};
	// Off-chain storage as a node restored from another database might hold it: a batch "sent"
	// at a block the chain has not reached, with a nonce it has not used, and a cursor past the
	// end of the watch list.
	set(&mut h, IN_FLIGHT_KEY, (1_000u64, u64::MAX).encode());
	set(&mut h, MODEL_CURSOR_KEY, 7u32.encode());
	// The worker still asks, and reports model 1's round 101 once.
	h.expect(query::rounds(8, 102), r#"{"data":{"rounds":[]}}"#);
	h.expect(
		query::round_model_performances(ScoreQuery::FrontEnd, &id, 8, 101, 101),
		MODEL_1_ROUND_101,
	);
	let calls = h.run(3);
	assert_eq!(calls.len(), 1);
	assert!(matches!(
		&reports(&calls[0])[..],
		[Report::RoundResult { round: 101, result: RoundResult::Resolved(_), .. }]
	));
	h.ext.execute_with(|| assert!(Results::<Test>::contains_key(model(1), 101)));
	// Rewound to an old cursor and an old record: the final result is not asked for or sent
	// again (only the next round is asked about).
	set(&mut h, IN_FLIGHT_KEY, (0u64, 0u64).encode());
	set(&mut h, MODEL_CURSOR_KEY, 0u32.encode());
	h.expect(query::rounds(8, 102), r#"{"data":{"rounds":[]}}"#);
	assert!(h.run(4).is_empty());
	assert_eq!(h.skipped(), 0);
}

#[test]
fn it_does_not_ask_again_while_its_vote_waits_for_the_quorum() {
	// Three operators, two needed; only this node's key is here.
	let mut h = harness_with(true, vec![alice(), bob()], 2);
	h.ext.execute_with(|| {
		let round_100 = Report::RoundOpened {
			round: 100,
			opened_at: START - 3_600,
			resolves_at: START + 86_400,
		};
		assert_ok!(submit(alice(), vec![round_100.clone()]));
		assert_ok!(submit(bob(), vec![round_100]));
	});
	h.expect(query::rounds(8, 101), r#"{"data":{"rounds":[{"number":101,"openTime":"2026-03-01T11:59:00Z","resolveTime":"2026-04-01T11:00:00Z"}]}}"#);
	let calls = h.run(3);
	assert_eq!(reports(&calls[0]).len(), 1);
	h.ext.execute_with(|| assert_eq!(LatestRound::<Test>::get(), Some(100)));
	// Its vote is pending: the next blocks neither ask Numerai (any request would fail the
	// test) nor send anything.
	assert!(h.run(4).is_empty());
	assert!(h.run(5).is_empty());
	// Alice completes the quorum with the same report.
	h.ext.execute_with(|| {
		let Some(r) = Candidates::<Test>::iter_prefix(Subject::Round(101)).next().map(|(_, r)| r)
		else {
			panic!("no pending report")
		};
		assert_ok!(submit(alice(), vec![r]));
		assert_eq!(LatestRound::<Test>::get(), Some(101));
	});
}

#[test]
fn the_score_query_falls_back_to_a_form_the_server_accepts_and_keeps_it() {
	let (mut h, id) = watching_model_1();
	let unknown = |arg: &str| {
		format!(
			r#"{{"errors":[{{"message":"Unknown argument \"{arg}\" on field \"v2RoundModelPerformances\" of type \"RootQueryType\".","locations":[{{"line":1,"column":90}}]}}],"data":null}}"#
		)
	};
	let ask = |form| query::round_model_performances(form, &id, 8, 101, 101);
	// A window of rounds: 100 (not staked) and 101 (resolved), newest first.
	let window = r#"{"data":{"v2RoundModelPerformances":[
		{"roundNumber":101,"roundResolved":true,"atRisk":"1000","corrMultiplier":0.75,"mmcMultiplier":2.25,"roundPayoutFactor":"1",
		 "submissionScores":[{"displayName":"canon_corr","value":0.02,"payoutSettled":"15"},{"displayName":"canon_mmc","value":4e-3,"payoutSettled":"9"}]},
		{"roundNumber":100,"roundResolved":true,"atRisk":null,"submissionScores":null}]}}"#;
	// The server knows neither filter spelling: the worker tries them in order, then the window.
	h.expect(query::rounds(8, 102), r#"{"data":{"rounds":[]}}"#);
	h.expect(ask(ScoreQuery::FrontEnd), &unknown("roundNumber__eq"));
	h.expect(ask(ScoreQuery::Introspected), &unknown("roundNumberEq"));
	h.expect(ask(ScoreQuery::Recent), window);
	let calls = h.run(3);
	let sent = reports(&calls[0]);
	assert!(
		matches!(&sent[..], [Report::RoundResult { round: 101, result: RoundResult::Resolved(r), .. }]
			if r.payout == 24 * NMR_I),
		"{sent:?}"
	);
	assert_eq!(h.skipped(), 0);
	let (form, counts) = h.ext.execute_with(|| {
		let get =
			|key| polkadot_sdk::sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, key);
		(
			get(SCORE_FORM_KEY).map(|v| u8::decode(&mut &v[..]).unwrap()),
			get(SCORE_FORM_COUNTS_KEY).map(|v| <[u64; 3]>::decode(&mut &v[..]).unwrap()),
		)
	});
	assert_eq!(form, Some(ScoreQuery::Recent.index()));
	assert_eq!(counts, Some([0, 0, 1]));
	// The next round goes straight to the form that works (any other request fails the test);
	// a window that does not reach back past the round proves nothing and is skipped.
	h.ext.execute_with(|| {
		let r102 =
			Report::RoundOpened { round: 102, opened_at: START, resolves_at: START + 86_400 };
		assert_ok!(submit(Operators::<Test>::get()[0], vec![r102]));
	});
	h.expect(query::rounds(8, 103), r#"{"data":{"rounds":[]}}"#);
	h.expect(
		query::round_model_performances(ScoreQuery::Recent, &id, 8, 102, 102),
		r#"{"data":{"v2RoundModelPerformances":[]}}"#,
	);
	assert!(h.run(4).is_empty());
	assert_eq!(h.skipped(), 1);
}

#[test]
fn other_graphql_errors_do_not_switch_the_score_query() {
	let (mut h, id) = watching_model_1();
	h.expect(query::rounds(8, 102), r#"{"data":{"rounds":[]}}"#);
	h.expect(
		query::round_model_performances(ScoreQuery::FrontEnd, &id, 8, 101, 101),
		r#"{"errors":[{"message":"Argument \"modelId\" has invalid value $modelId."}],"data":null}"#,
	);
	assert!(h.run(3).is_empty());
	assert_eq!(h.skipped(), 1);
	let form = h.ext.execute_with(|| {
		polkadot_sdk::sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, SCORE_FORM_KEY)
	});
	assert_eq!(form, None);
}

#[test]
fn a_profile_with_another_accounts_challenge_is_reported_as_such() {
	let mut h = harness(true);
	h.expect(query::rounds(8, 0), ROUND_100);
	h.run(2);
	let other = h.ext.execute_with(|| {
		register_pending(dave(), model(1));
		String::from_utf8(<Registry as OwnershipAttestation<AccountId>>::challenge(
			&model(1),
			&charlie(),
		))
		.unwrap()
	});
	let id = String::from_utf8(model(1).to_text().to_vec()).unwrap();
	h.expect(query::rounds(8, 101), r#"{"data":{"rounds":[]}}"#);
	h.expect(
		query::user_profile("model_1"),
		&format!(r#"{{"data":{{"v3UserProfile":{{"id":"{id}","username":"model_1","bio":"owner: {other}","linkText":null,"linkUrl":null}}}}}}"#),
	);
	let calls = h.run(3);
	let digest = h.ext.execute_with(|| {
		pallet_model_registry::Pallet::<Test>::challenge_digest(&model(1), &charlie())
	});
	assert_eq!(reports(&calls[0]), vec![Report::ForeignChallenge { model: model(1), digest }]);
	h.ext.execute_with(|| {
		assert_eq!(
			<Registry as OwnershipAttestation<AccountId>>::reserved_for(&model(1)),
			Some(digest)
		)
	});
}

impl Harness {
	/// Moves the off-chain clock (not the chain's) on by `secs`.
	fn later(&self, secs: u64) {
		let mut state = self.http.write();
		state.timestamp = state
			.timestamp
			.add(polkadot_sdk::sp_core::offchain::Duration::from_millis(secs * 1_000));
	}

	/// One worker run at block `n` in which the chain's round clock has nothing new and the
	/// profile `model_1` answers `profile`.
	fn claim_run(&mut self, n: u64, profile: &str) -> Vec<RuntimeCall> {
		self.expect(query::rounds(8, 101), r#"{"data":{"rounds":[]}}"#);
		self.expect(query::user_profile("model_1"), profile);
		self.run(n)
	}
}

/// The refutation of Dave's claim of model 1 (under the name `model_1`).
fn daves_refutation() -> ReportOf<Test> {
	Report::ClaimRefuted {
		model: model(1),
		claimant: dave(),
		name: BoundedVec::truncate_from(b"model_1".to_vec()),
	}
}

const NO_SUCH_MODEL: &str = r#"{"data":{"v3UserProfile":null}}"#;

/// Dave's pending claim of model 1 on a chain at round 100.
fn claimed_by_dave() -> Harness {
	let mut h = harness(true);
	h.expect(query::rounds(8, 0), ROUND_100);
	h.run(2);
	h.ext.execute_with(|| register_pending(dave(), model(1)));
	h
}

/// A squatter claims model 1 under a name Numerai does not know, so that the real profile is
/// never looked at: after ten minutes of reads that all say so, the worker refutes the claim,
/// the quorum ends it and the deposit is burned.
#[test]
fn a_claim_under_a_name_no_model_has_is_refuted_after_the_confirmation_delay() {
	let mut h = claimed_by_dave();
	let (issuance, dave_before) =
		h.ext.execute_with(|| (Balances::total_issuance(), Balances::total_balance(&dave())));
	assert!(h.claim_run(3, NO_SUCH_MODEL).is_empty(), "one read is not enough");
	h.later(REFUTE_CONFIRM_SECS - 1);
	assert!(h.claim_run(4, NO_SUCH_MODEL).is_empty(), "nor is a read before the delay");
	h.later(1);
	let calls = h.claim_run(5, NO_SUCH_MODEL);
	assert_eq!(reports(&calls[0]), vec![daves_refutation()]);
	h.ext.execute_with(|| {
		assert_eq!(Registry::status(&model(1)), None);
		System::assert_has_event(
			pallet_model_registry::Event::<Test>::ClaimRefuted {
				model: model(1),
				claimant: dave(),
				name: BoundedVec::truncate_from(b"model_1".to_vec()),
				burned: NMR,
			}
			.into(),
		);
		assert_eq!(Balances::total_balance(&dave()), dave_before - NMR);
		assert_eq!(Balances::total_issuance(), issuance - NMR);
	});
	assert_eq!(h.skipped(), 0);
}

/// The same for a name that is another model's: its profile carries another id.
#[test]
fn a_claim_under_another_models_name_is_refuted() {
	let mut h = claimed_by_dave();
	let other = String::from_utf8(model(2).to_text().to_vec()).unwrap();
	let profile = format!(
		r#"{{"data":{{"v3UserProfile":{{"id":"{other}","username":"model_1","bio":null,"linkText":null,"linkUrl":null}}}}}}"#
	);
	assert!(h.claim_run(3, &profile).is_empty());
	h.later(REFUTE_CONFIRM_SECS);
	let calls = h.claim_run(4, &profile);
	assert_eq!(reports(&calls[0]), vec![daves_refutation()]);
	h.ext.execute_with(|| assert_eq!(Registry::status(&model(1)), None));
}

/// What could be an outage never refutes: an error neither counts as a refuting read nor
/// resets the delay, and a read that shows the model's own profile starts it again.
#[test]
fn only_certain_reads_refute_and_a_read_of_the_real_profile_resets_the_delay() {
	let mut h = claimed_by_dave();
	let id = String::from_utf8(model(1).to_text().to_vec()).unwrap();
	let outage =
		r#"{"errors":[{"message":"Internal server error"}],"data":{"v3UserProfile":null}}"#;
	let bare = r#"{"data":{}}"#;
	let own = format!(
		r#"{{"data":{{"v3UserProfile":{{"id":"{id}","username":"model_1","bio":"hello","linkText":null,"linkUrl":null}}}}}}"#
	);
	assert!(h.claim_run(3, outage).is_empty());
	assert!(h.claim_run(4, bare).is_empty());
	assert_eq!(h.skipped(), 2);
	assert!(h.claim_run(5, NO_SUCH_MODEL).is_empty());
	h.later(REFUTE_CONFIRM_SECS / 2);
	assert!(h.claim_run(6, &own).is_empty());
	h.later(REFUTE_CONFIRM_SECS / 2);
	assert!(h.claim_run(7, NO_SUCH_MODEL).is_empty(), "the model's own profile reset the delay");
	h.later(REFUTE_CONFIRM_SECS / 2);
	assert!(h.claim_run(8, outage).is_empty());
	h.later(REFUTE_CONFIRM_SECS / 2);
	let calls = h.claim_run(9, NO_SUCH_MODEL);
	assert_eq!(reports(&calls[0]), vec![daves_refutation()]);
}

/// The liveness rule for missed rounds: a model absent from round `r` holds its later results
/// until `r`'s scheduled resolution plus the grace, and no longer; holds do not add up (each
/// missed round is judged against its own resolution), so a run of missed rounds costs one
/// grace in all, then one block per round.
#[test]
fn a_missed_round_holds_a_model_up_for_at_most_the_grace_after_its_resolution() {
	let (mut h, id) = watching_model_1();
	let Report::RoundOpened { resolves_at: resolves_101, .. } = round_101() else { unreachable!() };
	// Round 102 opens a day after 101 and resolves a day after it.
	let r102 = Report::RoundOpened {
		round: 102,
		opened_at: START - 60 + 86_400,
		resolves_at: resolves_101 + 86_400,
	};
	let grace = OracleParamsOf::<Test>::classic().absent_grace_secs;
	let empty = r#"{"data":{"v2RoundModelPerformances":[]}}"#;
	let at = |h: &mut Harness, secs: u64| {
		h.http.write().timestamp =
			polkadot_sdk::sp_core::offchain::Timestamp::from_unix_millis(secs * 1_000);
		h.ext.execute_with(|| {
			polkadot_sdk::pallet_timestamp::Now::<Test>::put(secs * 1_000);
		});
	};
	at(&mut h, START - 60 + 86_400);
	h.ext.execute_with(|| {
		assert_ok!(submit(Operators::<Test>::get()[0], vec![r102]));
	});
	let ask = |round| query::round_model_performances(ScoreQuery::FrontEnd, &id, 8, round, 102);
	// A second before the grace ends, round 101 is still open to a late listing.
	at(&mut h, resolves_101 + grace - 1);
	h.expect(query::rounds(8, 103), r#"{"data":{"rounds":[]}}"#);
	h.expect(ask(101), empty);
	assert!(h.run(3).is_empty());
	// Two days later both rounds are past their grace: 101 goes in this block, 102 in the next,
	// without another grace for 102.
	at(&mut h, resolves_101 + 86_400 + grace);
	h.expect(query::rounds(8, 103), r#"{"data":{"rounds":[]}}"#);
	h.expect(ask(101), empty);
	assert_eq!(reports(&h.run(4)[0]), vec![not_submitted(model(1), 101)]);
	h.expect(query::rounds(8, 103), r#"{"data":{"rounds":[]}}"#);
	h.expect(ask(102), empty);
	assert_eq!(reports(&h.run(5)[0]), vec![not_submitted(model(1), 102)]);
	h.ext.execute_with(|| assert_eq!(Oracle::next_round(&model(1)), Some(103)));
}
