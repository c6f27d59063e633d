//! Faults on the two-validator local network (Alice and Bob, its validators and its two oracle
//! operators, quorum two), each operator reading its own copy of the Numerai fixture, with Bob's
//! pool and Eve's delegation settling round after round:
//!
//! 1. Bob is killed with SIGKILL just after a settlement and restarted from his database: his
//!    database still has Alice's finalised block and every storage pair of its state (the pool
//!    and Eve's position among them), finality resumes and the pool goes on settling.
//! 2. Bob restarts with his off-chain cursors rewound to what they were rounds earlier (as from
//!    an old backup), and then with an in-flight record dated in the future: he neither
//!    re-reports anything already final nor stays silent.
//! 3. Bob's fixture answers HTTP 500 for longer than the rounds take to resolve, then recovers:
//!    the oracle learns the rounds it missed and their results in order, none skipped, none
//!    reported twice, and the pool is left with no deferred result.
//!
//! Double reports show as `StaleReport` events (a report about a final subject) or as failed
//! extrinsics (a vote refused); every block's events from the first fault on are read with this
//! build's runtime types, and neither may appear.

mod common;

use common::{
	fixture, free_port,
	pools::{open_pool, up_to_date, wait_for},
	scratch_dir, state_snapshot,
	tx::submit,
	unix_now as now, Node,
};
use numerai_fixture::{world::RoundData, Clock, Fault, World};
use numerstake_primitives::ModelId;
use numerstake_runtime::{RuntimeEvent, NMR};
use pallet_round_oracle_runtime_api::{OracleStatus, RoundView};
use pallet_stake_delegation_runtime_api::{PoolView, PositionView};
use polkadot_sdk::sp_keyring::Sr25519Keyring;
use std::{path::Path, time::Duration};

type AccountId = numerstake_runtime::AccountId;

const ALICE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const ALICE_PEER_ID: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
const BOB_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000002";
const FIRST_ROUND: u32 = 6_000;
const ROUND_SECS: u64 = 12;
/// Rounds Bob's fixture is down: past resolution (`resolve_after` 2) and the worker's retry.
const OUTAGE_ROUNDS: u64 = 7;

/// Blocks `from..=to` of `node`, read once: every oracle double report and every failed
/// extrinsic (described), and the rounds of `model` finalised, in the order they finalised.
fn scan(node: &Node, model: &ModelId, from: u64, to: u64) -> (Vec<String>, Vec<u32>) {
	let (mut doubles, mut rounds) = (Vec::new(), Vec::new());
	for n in from..=to {
		let hash = node.block_hash(n).expect("a block of the chain");
		for record in node.events_at(&hash) {
			match &record.event {
				RuntimeEvent::RoundOracle(pallet_round_oracle::Event::StaleReport { .. })
				| RuntimeEvent::System(polkadot_sdk::frame_system::Event::ExtrinsicFailed {
					..
				}) => doubles.push(format!("block {n}: {:?}", record.event)),
				RuntimeEvent::RoundOracle(pallet_round_oracle::Event::ResultFinalised {
					model: m,
					round,
					..
				}) if m == model => rounds.push(*round),
				_ => {},
			}
		}
	}
	(doubles, rounds)
}

#[test]
fn a_killed_validator_a_rewound_cursor_and_an_outage_lose_nothing() {
	let dir = scratch_dir("faults");
	let clock = Clock {
		start: now() + 25,
		first_round: FIRST_ROUND,
		round_secs: ROUND_SECS,
		resolve_after: 2,
	};
	let truth = World::synthetic(42, 0);
	let (for_alice, for_bob) =
		(fixture(truth.clone(), clock.clone()), fixture(truth.clone(), clock.clone()));
	let alice_p2p = free_port();
	let bootnode = format!("/ip4/127.0.0.1/tcp/{alice_p2p}/p2p/{ALICE_PEER_ID}");
	let bob_url = for_bob.url();
	let bob_base = dir.join("bob");
	let start = |name: &str, base: &Path, key: &str, p2p: u16, url: &str, extra: &[&str]| {
		let mut args = vec![
			"--chain",
			"local",
			"--base-path",
			base.to_str().unwrap(),
			"--node-key",
			key,
			"--validator",
			"--numerai-endpoint",
			url,
		];
		args.extend_from_slice(extra);
		let node = Node::start_with_ports(name, &dir, &args, free_port(), p2p);
		node.wait_for_rpc(Duration::from_secs(120));
		node
	};
	// Bob from his base path, as often as the test restarts him (one log per run).
	let start_bob = |run: u32, extra: &[&str]| {
		let args = [&["--bob", "--bootnodes", &bootnode][..], extra].concat();
		start(&format!("bob-{run}"), &bob_base, BOB_NODE_KEY, free_port(), &bob_url, &args)
	};
	let alice = start(
		"alice",
		&dir.join("alice"),
		ALICE_NODE_KEY,
		alice_p2p,
		&for_alice.url(),
		&["--alice"],
	);
	let bob = start_bob(1, &[]);

	// Bob's pool on his first demo model, and Eve's delegation.
	let (bob_key, eve) = (Sr25519Keyring::Bob, Sr25519Keyring::Eve);
	let (id, name) = numerstake_numerai::DEMO_MODELS[0];
	let model = ModelId::parse(id.as_bytes()).unwrap();
	let truth_model = truth.by_name(name).expect("a demo model of the fixture");
	open_pool(&alice, bob_key, model, 10_000 * NMR);
	let pool = |node: &Node, at: Option<&str>| -> Option<PoolView<AccountId>> {
		node.call_api_at::<Option<PoolView<AccountId>>>("StakeDelegationApi_pool", model, at)
			.ok()?
	};
	let status = |node: &Node| -> Option<OracleStatus<AccountId>> {
		node.call_api("RoundOracleApi_status", ()).ok()
	};
	wait_for(&alice, "Bob's pool", 120, || pool(&alice, None));
	wait_for(&alice, "the oracle's first round", 180, || status(&alice)?.latest_round);
	let delegate = pallet_stake_delegation::Call::delegate {
		model,
		principal: 1_000 * NMR,
		term_rounds: 0,
		terms_version: 0,
		document_hash: None,
	};
	submit(&alice, eve, up_to_date(model, delegate)).expect("Eve's delegation");
	let positions = |node: &Node, at: Option<&str>| -> Vec<PositionView> {
		node.call_api_at("StakeDelegationApi_positions", eve.to_account_id(), at)
			.unwrap_or_default()
	};
	let first = wait_for(&alice, "Eve's position", 120, || {
		Some(positions(&alice, None).first()?.first_round)
	});
	let settled = |node: &Node| pool(node, None).and_then(|p| p.last_finalised);
	wait_for(&alice, "Eve's first settled round", 240, || {
		settled(&alice).is_some_and(|l| l >= first).then_some(())
	});
	// Bob's off-chain cursors now: what a backup taken now would hold.
	let cursor_keys = [pallet_round_oracle::IN_FLIGHT_KEY, pallet_round_oracle::MODEL_CURSOR_KEY];
	let backup: Vec<Option<Vec<u8>>> = cursor_keys.iter().map(|k| bob.offchain_get(k)).collect();
	assert!(backup[0].is_some(), "Bob has sent a batch");
	let (_, faults_from) = alice.finalised_head();

	// 1. SIGKILL just after a settlement, while the next results are on their way.
	let before = settled(&alice);
	wait_for(&alice, "the next settlement", 120, || (settled(&alice) > before).then_some(()));
	let (f_hash, f_number) = alice.finalised_head();
	let f_root = alice.state_root(&f_hash);
	let f_pool = pool(&alice, Some(&f_hash)).expect("the pool at the finalised head");
	let f_positions = positions(&alice, Some(&f_hash));
	let f_state = state_snapshot(&alice, &f_hash);
	bob.kill();
	// Without Bob's vote nothing more finalises (GRANDPA needs both; and a validator without
	// peers does not author).
	std::thread::sleep(Duration::from_secs(12));
	let (_, final_down) = alice.heights().expect("Alice's heights");
	std::thread::sleep(Duration::from_secs(12));
	let (_, final_later) = alice.heights().expect("Alice's heights");
	assert_eq!(final_later, final_down, "finalised without Bob");
	let bob = start_bob(2, &[]);
	// Bob's database kept the finalised block, its state and the pool in it.
	assert_eq!(bob.block_hash(f_number).as_deref(), Some(f_hash.as_str()));
	assert_eq!(bob.state_root(&f_hash), f_root);
	// Every storage pair of that state (but the code), read from Bob's database, as Alice has it.
	assert_eq!(state_snapshot(&bob, &f_hash), f_state, "Bob's finalised state after the kill");
	assert_eq!(pool(&bob, Some(&f_hash)).as_ref(), Some(&f_pool));
	assert_eq!(positions(&bob, Some(&f_hash)), f_positions);
	// Finality resumes on both, and the pool goes on settling.
	alice.wait_for_heights(0, final_later + 3, Duration::from_secs(120));
	bob.wait_for_heights(0, final_later + 3, Duration::from_secs(120));
	let after_kill = f_pool.last_finalised;
	wait_for(&alice, "settlement after the restart", 180, || {
		(settled(&alice) > after_kill).then_some(())
	});
	eprintln!(
		"faults: Bob killed at finalised #{f_number} (root {f_root}); restarted with it intact; \
		 finality past #{final_later}, settled through {:?}",
		settled(&alice)
	);

	// Bob restarted with his off-chain storage edited while his worker was off (run `run`, then
	// `run + 1`); then two more rounds must settle (the quorum needs him).
	let edit_offchain_then_settle = |bob: Node, run: u32, what: &str, edit: &dyn Fn(&Node)| {
		assert!(bob.stop().success());
		let off = start_bob(run, &["--offchain-worker", "never"]);
		edit(&off);
		assert!(off.stop().success());
		let bob = start_bob(run + 1, &[]);
		let before = settled(&alice);
		wait_for(&alice, what, 240, || (settled(&alice) > before.map(|r| r + 1)).then_some(()));
		eprintln!("faults: {what}; settled through {:?}", settled(&alice));
		bob
	};

	// 2. Bob's off-chain cursors rewound to the backup.
	let bob = edit_offchain_then_settle(bob, 3, "settlement with the rewound cursors", &|off| {
		for (key, value) in cursor_keys.iter().zip(&backup) {
			off.offchain_set(key, value.as_deref().unwrap_or_default());
			assert_eq!(off.offchain_get(key).as_ref(), value.as_ref().or(Some(&Vec::new())));
		}
	});
	// 2b. An in-flight record from the future (a clock or a database from another chain): it is
	// stale, not a batch to wait for, so it neither silences Bob nor makes him report twice.
	let what = "settlement with an in-flight record from the future";
	let bob = edit_offchain_then_settle(bob, 5, what, &|off| {
		let (_, head) = off.finalised_head();
		// The runtime's BlockNumber and Nonce are u32.
		let future = codec::Encode::encode(&(head as u32 + 1_000, u32::MAX));
		off.offchain_set(pallet_round_oracle::IN_FLIGHT_KEY, &future);
	});

	// 3. Bob's fixture down for OUTAGE_ROUNDS rounds.
	let latest_before = status(&alice).and_then(|s| s.latest_round).expect("a round");
	for_bob.set_fault(Fault::Http500, None);
	std::thread::sleep(Duration::from_secs(OUTAGE_ROUNDS * ROUND_SECS));
	let missed = clock.current(now());
	for_bob.set_fault(Fault::None, None);
	assert!(missed >= latest_before + OUTAGE_ROUNDS as u32 - 1, "{missed} {latest_before}");
	// The oracle learns every round it missed, then their results, through the round that was
	// current when the fixture came back.
	let caught_up = wait_for(&alice, "the oracle catching up", 360, || {
		settled(&alice).filter(|s| *s >= missed)
	});
	let history: Vec<RoundView<u32>> = alice
		.call_api("RoundOracleApi_model_history", (model, FIRST_ROUND, FIRST_ROUND + 999))
		.expect("the model's history");
	assert!(history.windows(2).all(|w| w[1].round == w[0].round + 1), "{history:?}");
	for view in &history {
		match truth.round_data(truth_model, view.round) {
			RoundData::Missed { .. } => assert!(!view.submitted, "{name} {}", view.round),
			RoundData::Submitted(s) => {
				assert!(view.submitted, "{name} round {}", view.round);
				assert_eq!((view.at_risk, view.payout), (s.at_risk, s.payout()));
			},
		}
	}
	let p = pool(&alice, None).expect("the pool");
	assert_eq!(p.deferred, 0, "a deferred result was left behind");
	assert!(p.last_finalised >= Some(caught_up));

	// No double report and no refused extrinsic from the first fault on; each round finalised
	// once, in order.
	// To the best block: the pool is read there.
	let (head, _) = alice.heights().expect("Alice's heights");
	let (doubles, rounds) = scan(&alice, &model, faults_from, head);
	assert!(doubles.is_empty(), "{doubles:#?}");
	assert!(rounds.windows(2).all(|w| w[1] == w[0] + 1), "{rounds:?}");
	assert!(rounds.contains(&caught_up), "{rounds:?}");
	eprintln!(
		"faults: outage of {OUTAGE_ROUNDS} rounds ({latest_before}..{missed}); caught up through \
		 {caught_up}; blocks #{faults_from}..#{head}: {} results of {name} in order, no double \
		 report",
		rounds.len()
	);

	for n in [bob, alice] {
		assert!(n.stop().success());
	}
	for f in [for_alice, for_bob] {
		f.stop();
	}
	let _ = std::fs::remove_dir_all(dir);
}
