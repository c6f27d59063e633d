//! The oracle end to end: a dev node whose off-chain worker reads the local Numerai fixture
//! over real HTTP, signs reports with Alice's oracle key and submits them as transactions; the
//! chain opens rounds and finalises the demo models' results. The fixture misbehaves for a
//! while (truncated bodies, GraphQL errors, nulls, HTTP 500): nothing wrong may reach the chain,
//! and every result that does must equal the fixture's ground truth to the planck.

mod common;

use common::{scratch_dir, Node};
use numerai_fixture::{
	world::RoundData, Clock, Config, Fault, Fixture, PayoutShape, ScoreFilter, World,
};
use numerstake_primitives::ModelId;
use pallet_round_oracle_runtime_api::{OracleStatus, RoundView};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use numerstake_runtime::RuntimeCall;
use polkadot_sdk::sp_keyring::Sr25519Keyring;

type AccountId = numerstake_runtime::AccountId;

/// A fixture on a free port whose round `first_round` opens 20 s from now (after the node is up),
/// then one every 12 s, resolving 2 rounds later, knowing the score query's round filter
/// `filter`; and a dev node reading it.
fn fixture_and_dev_node(
	name: &str,
	world: World,
	first_round: u32,
	shape: PayoutShape,
	filter: ScoreFilter,
) -> (Fixture, std::path::PathBuf, Node) {
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let clock = Clock { start: now + 20, first_round, round_secs: 12, resolve_after: 2 };
	let fixture = Fixture::start(Config {
		listen: "127.0.0.1:0".parse().unwrap(),
		world,
		clock,
		shape,
		filter,
		fault: Fault::None,
	})
	.expect("start the fixture");
	let dir = scratch_dir(name);
	let node = Node::start(name, &dir, &["--dev", "--tmp", "--numerai-endpoint", &fixture.url()]);
	(fixture, dir, node)
}

#[test]
fn dev_node_finalises_rounds_and_results_read_from_the_fixture() {
	let world = World::synthetic(42, 2);
	let truth = world.clone();
	// A server that knows neither spelling of the round filter: the worker falls back to a
	// window of recent rounds and must still read every result exactly.
	let (fixture, dir, node) =
		fixture_and_dev_node("oracle", world, 1_000, PayoutShape::Sum, ScoreFilter::None);
	node.wait_for_rpc(Duration::from_secs(120));

	// A rough start: the first answers are all broken in one way or another.
	let faults =
		[Fault::Truncated, Fault::GraphqlErrors, Fault::Nulls, Fault::Http500, Fault::Malformed];
	let mut fault_cycle = faults.iter().cycle();
	let faulty_until = Instant::now() + Duration::from_secs(30);

	let demo: Vec<ModelId> = numerstake_numerai::DEMO_MODELS
		.iter()
		.map(|(id, _)| ModelId::parse(id.as_bytes()).unwrap())
		.collect();
	let deadline = Instant::now() + Duration::from_secs(300);
	let history = |m: &ModelId| -> Vec<RoundView<u32>> {
		node.call_api("RoundOracleApi_model_history", (m, 1_000u32, 1_999u32)).unwrap_or_default()
	};
	loop {
		if Instant::now() < faulty_until {
			fixture.set_fault(*fault_cycle.next().unwrap(), Some(3));
		} else {
			fixture.set_fault(Fault::None, None);
		}
		let done = demo.iter().all(|m| history(m).len() >= 3);
		if done {
			break;
		}
		assert!(
			Instant::now() < deadline,
			"results not finalised in time; node log:\n{}",
			node.log_text().lines().rev().take(60).collect::<Vec<_>>().join("\n")
		);
		std::thread::sleep(Duration::from_secs(3));
	}

	let status: OracleStatus<AccountId> = node.call_api("RoundOracleApi_status", ()).unwrap();
	// The chain's first round is the fixture's current round when the faults ended.
	let first = history(&demo[0])[0].round;
	assert!((1_000..1_010).contains(&first), "{first}");
	assert!(status.latest_round.is_some_and(|r| r >= first + 2), "{status:?}");
	assert_eq!(status.operators.len(), 1);
	assert_eq!(status.watched, 3);

	// Every finalised result is the fixture's ground truth.
	let mut checked = 0;
	for (m, (id, name)) in demo.iter().zip(numerstake_numerai::DEMO_MODELS) {
		let history = history(m);
		assert!(history.len() >= 3, "{id}: {history:?}");
		assert_eq!(history[0].round, first, "results start at the chain's first round");
		// Strictly in order, none skipped.
		assert!(history.windows(2).all(|w| w[1].round == w[0].round + 1), "{history:?}");
		let next: Option<u32> = node.call_api("RoundOracleApi_next_round", m).unwrap();
		assert_eq!(next, history.last().map(|v| v.round + 1));
		for view in &history {
			let model = &truth.models[name];
			match truth.round_data(model, view.round) {
				RoundData::Missed { .. } => assert!(!view.submitted, "{name} round {}", view.round),
				RoundData::Submitted(s) => {
					assert!(view.submitted, "{name} round {}", view.round);
					assert_eq!(view.at_risk, s.at_risk, "{name} round {}", view.round);
					assert_eq!(view.payout, s.payout());
					assert_eq!(view.scores[0], (b"canon_corr".to_vec(), s.corr.scaled));
					assert_eq!(view.scores[1], (b"canon_mmc".to_vec(), s.mmc.scaled));
				},
			}
			checked += 1;
		}
	}
	assert!(checked >= 9);
	// The worker asked the fixture, and logged what it skipped.
	assert!(fixture.requests() > 10);
	let log = node.log_text();
	assert!(log.contains("submitted"), "no submission logged");
	assert!(log.contains("refuses the score query's `roundNumber__eq`"), "no fallback logged");
	assert!(log.contains("the score query with `lastNRounds` works"), "no working form logged");

	let status = node.stop();
	assert!(status.success(), "node exited with {status}");
	fixture.stop();
	let _ = std::fs::remove_dir_all(dir);
}

/// Real-looking history replayed: the fixture serves `examples/history/demo-history.csv` (the
/// demo models' rounds 1190–1219 with 18-decimal scores, each round's own multipliers and payout
/// factor, the payout Numerai settled, and missed rounds in both shapes), and the dev chain's
/// stored results equal the file, payouts to the planck.
#[test]
fn a_dev_chain_replays_the_example_history_to_the_planck() {
	let csv =
		std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/history/demo-history.csv"))
			.expect("the example history");
	let world = World::from_csv(1, &csv).expect("a valid history file");
	let truth = world.clone();
	let (fixture, dir, node) =
		fixture_and_dev_node("history", world, 1_190, PayoutShape::Sum, ScoreFilter::FrontEnd);
	node.wait_for_rpc(Duration::from_secs(120));
	let demo: Vec<(ModelId, &str)> = numerstake_numerai::DEMO_MODELS
		.iter()
		.map(|(id, name)| (ModelId::parse(id.as_bytes()).unwrap(), *name))
		.collect();
	let history = |m: &ModelId| -> Vec<RoundView<u32>> {
		node.call_api("RoundOracleApi_model_history", (m, 0u32, u32::MAX)).unwrap_or_default()
	};
	// Past gamma's missed round 1203 (and beta's 1196 absent, 1197 listed).
	let deadline = Instant::now() + Duration::from_secs(420);
	while !demo.iter().all(|(m, _)| history(m).iter().any(|v| v.round >= 1_204)) {
		assert!(
			Instant::now() < deadline,
			"history not replayed in time; node log:\n{}",
			node.log_text().lines().rev().take(60).collect::<Vec<_>>().join("\n")
		);
		std::thread::sleep(Duration::from_secs(3));
	}
	let mut settled = 0;
	for (m, name) in &demo {
		let model = truth.by_name(name).expect("a model of the file");
		let history = history(m);
		assert_eq!(history[0].round, 1_190, "{name} starts at the chain's first round");
		assert!(history.windows(2).all(|w| w[1].round == w[0].round + 1), "{history:?}");
		for view in &history {
			let at = format!("{name} round {}", view.round);
			match truth.round_data(model, view.round) {
				RoundData::Missed { .. } => assert!(!view.submitted, "{at}"),
				RoundData::Submitted(s) => {
					assert!(view.submitted, "{at}");
					assert_eq!(view.at_risk, s.at_risk, "{at}");
					assert_eq!(Some(view.payout), s.settled, "{at}");
					assert_eq!(view.scores[0], (b"canon_corr".to_vec(), s.corr.scaled), "{at}");
					assert_eq!(view.scores[1], (b"canon_mmc".to_vec(), s.mmc.scaled), "{at}");
					assert_eq!(view.payout_factor, Some(s.payout_factor.scaled), "{at}");
					assert_eq!(view.corr_multiplier, Some(s.corr_multiplier.scaled), "{at}");
					assert_eq!(view.mmc_multiplier, Some(s.mmc_multiplier.scaled), "{at}");
					settled += 1;
				},
			}
		}
	}
	assert!(settled >= 40, "{settled}");
	assert!(node.stop().success());
	fixture.stop();
	let _ = std::fs::remove_dir_all(dir);
}

/// The ownership proof end to end: Eve claims a model with a signed transaction, puts the
/// chain's challenge in the model's Numerai bio, the worker sees it, the quorum attests it, the
/// registry verifies the model and the oracle starts following its rounds.
#[test]
fn an_owner_proves_a_model_through_the_oracle() {
	let world = World::synthetic(7, 1);
	let (name, id_text) = {
		let m = &world.models["synthetic_000"];
		(m.name.clone(), m.id.clone())
	};
	let model = ModelId::parse(id_text.as_bytes()).unwrap();
	let (fixture, dir, node) = fixture_and_dev_node(
		"ownership",
		world,
		2_000,
		PayoutShape::Repeated,
		ScoreFilter::FrontEnd,
	);
	node.wait_for_rpc(Duration::from_secs(120));
	node.wait_for_heights(1, 0, Duration::from_secs(120));

	let eve = Sr25519Keyring::Eve;
	let call = RuntimeCall::ModelRegistry(pallet_model_registry::Call::register_model {
		numerai_model_id: id_text.as_bytes().to_vec().try_into().unwrap(),
		name: name.as_bytes().to_vec().try_into().unwrap(),
	});
	common::tx::submit(&node, eve, call).expect("the claim is accepted into the pool");

	// The challenge, once the claim is on chain.
	let deadline = Instant::now() + Duration::from_secs(120);
	let challenge = loop {
		let owned: Vec<ModelId> =
			node.call_api("ModelRegistryApi_models_of", eve.to_account_id()).unwrap();
		if owned.contains(&model) {
			let c: Vec<u8> = node
				.call_api("ModelRegistryApi_ownership_challenge", (model, eve.to_account_id()))
				.unwrap();
			break String::from_utf8(c).unwrap();
		}
		assert!(Instant::now() < deadline, "claim not included; log:\n{}", tail(&node));
		std::thread::sleep(Duration::from_secs(2));
	};
	assert!(challenge.starts_with("numerstake-challenge:0x"), "{challenge}");
	assert!(fixture.set_bio(&name, &format!("staking on numerstake: {challenge}")));

	// Attested: the oracle watches the model, then finalises its first rounds.
	let deadline = Instant::now() + Duration::from_secs(240);
	loop {
		let history: Vec<RoundView<u32>> = node
			.call_api("RoundOracleApi_model_history", (model, 2_000u32, 2_999u32))
			.unwrap_or_default();
		if !history.is_empty() {
			break;
		}
		assert!(
			Instant::now() < deadline,
			"model not attested and followed; log:\n{}",
			tail(&node)
		);
		std::thread::sleep(Duration::from_secs(3));
	}
	let next: Option<u32> = node.call_api("RoundOracleApi_next_round", model).unwrap();
	assert!(next.is_some_and(|r| r > 2_000));

	let status = node.stop();
	assert!(status.success(), "node exited with {status}");
	fixture.stop();
	let _ = std::fs::remove_dir_all(dir);
}

fn tail(node: &Node) -> String {
	node.log_text().lines().rev().take(60).collect::<Vec<_>>().join("\n")
}
