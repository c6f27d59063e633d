//! Stake delegation end to end: a dev node reads the local Numerai fixture; Bob, who owns a
//! demo model, publishes terms and bonds; Eve delegates, all with signed transactions over
//! JSON-RPC. The oracle's off-chain worker finalises the model's rounds and the pool settles
//! them; Eve exits and withdraws. Throughout, every planck is accounted for: the pool account
//! and Bob's bond together hold exactly what Eve and Bob put in.

mod common;

use common::{
	fixture, free_balance,
	pools::{free_terms, pool_and_held, up_to_date, wait_for, withdrawn},
	scratch_dir,
	tx::submit,
	unix_now, Node,
};
use numerai_fixture::{Clock, World};
use numerstake_primitives::ModelId;
use numerstake_runtime::{AccountId, RuntimeCall, NMR};
use pallet_stake_delegation_runtime_api::{PoolView, PositionStage, PositionView};
use polkadot_sdk::sp_keyring::Sr25519Keyring;
use serde_json::json;
use std::time::Duration;

#[test]
fn a_staker_delegates_the_pool_settles_real_rounds_and_she_withdraws() {
	let clock =
		Clock { start: unix_now() + 20, first_round: 3_000, round_secs: 12, resolve_after: 2 };
	let fixture = fixture(World::synthetic(11, 0), clock);
	let dir = scratch_dir("delegation");
	let node =
		Node::start("delegation", &dir, &["--dev", "--tmp", "--numerai-endpoint", &fixture.url()]);
	node.wait_for_rpc(Duration::from_secs(120));
	node.wait_for_heights(1, 0, Duration::from_secs(120));

	let (bob, eve) = (Sr25519Keyring::Bob, Sr25519Keyring::Eve);
	let (id, _) = numerstake_numerai::DEMO_MODELS[0];
	let model = ModelId::parse(id.as_bytes()).unwrap();

	// Bob publishes terms and bonds 10,000 NMR; Eve delegates 1,000 NMR (bringing the pool up
	// to date first, as a wallet would).
	let set_terms = RuntimeCall::ModelRegistry(pallet_model_registry::Call::set_terms {
		model,
		terms: free_terms(),
		effective_round: None,
	});
	let bond = RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::bond {
		model,
		amount: 10_000 * NMR,
	});
	submit(&node, bob, set_terms).expect("terms accepted into the pool");
	submit(&node, bob, bond).expect("bond accepted into the pool");
	wait_for(&node, "the pool opening", 120, || {
		node.call_api::<Option<PoolView<AccountId>>>("StakeDelegationApi_pool", model)
			.ok()
			.flatten()
	});
	// A join needs a round to start in: wait for the oracle's first.
	wait_for(&node, "the oracle's first round", 120, || {
		let status: pallet_round_oracle_runtime_api::OracleStatus<AccountId> =
			node.call_api("RoundOracleApi_status", ()).ok()?;
		status.latest_round
	});
	let eve_before = free_balance(&node, &eve.to_account_id());
	let join = up_to_date(
		model,
		pallet_stake_delegation::Call::delegate {
			model,
			principal: 1_000 * NMR,
			term_rounds: 0,
			terms_version: 0,
			document_hash: None,
		},
	);
	submit(&node, eve, join).expect("delegation accepted into the pool");
	let positions = |node: &Node| -> Vec<PositionView> {
		node.call_api("StakeDelegationApi_positions", eve.to_account_id()).unwrap_or_default()
	};
	let position = wait_for(&node, "the delegation", 120, || positions(&node).into_iter().next());
	assert_eq!(position.principal, 1_000 * NMR);
	let first_round = position.first_round;
	assert!(free_balance(&node, &eve.to_account_id()) < eve_before - 1_000 * NMR + NMR / 10);

	// The money is all there: in the pool account (beyond its deposit) or in Bob's bond.
	let conserved = |node: &Node| pool_and_held(node, model);
	let ed = numerstake_runtime::EXISTENTIAL_DEPOSIT;
	let (_, held) = conserved(&node);
	assert_eq!(held, 11_000 * NMR + ed);

	// The oracle settles two rounds Eve is exposed to.
	let (pool, _) = wait_for(&node, "two settled rounds", 240, || {
		let (pool, held) = conserved(&node);

		(pool.last_finalised.is_some_and(|l| l > first_round)).then_some((pool, held))
	});
	// At one block: the position is worth its shares at the pool's price.
	let head = node.rpc("chain_getBlockHash", json!([])).expect("best hash");
	let head = head.as_str().expect("hash");
	let position: PositionView = node
		.call_api_at::<Vec<PositionView>>(
			"StakeDelegationApi_positions",
			eve.to_account_id(),
			Some(head),
		)
		.expect("positions")
		.remove(0);
	let at_head: PoolView<AccountId> = node
		.call_api_at::<Option<PoolView<AccountId>>>("StakeDelegationApi_pool", model, Some(head))
		.expect("pool")
		.expect("pool");
	assert_eq!(position.stage, PositionStage::Active);
	assert_eq!(
		Some(position.value),
		pallet_stake_delegation::maths::value_of(position.shares, at_head.price)
	);
	assert!(pool.last_finalised <= at_head.last_finalised);
	let (pool, held) = conserved(&node);
	// Gains came out of the bond into the pool, losses went to what Bob may claim.
	assert_eq!(held, 11_000 * NMR + ed, "pool account + bond after settlement");
	assert!(pool.owner_payable <= 1_000 * NMR);

	// Eve leaves; once her last round is settled she withdraws.
	let exit = up_to_date(model, pallet_stake_delegation::Call::request_exit { model, index: 0 });
	submit(&node, eve, exit).expect("exit accepted into the pool");
	let release =
		wait_for(&node, "the exit", 60, || positions(&node).into_iter().next()?.release_round);
	let value = wait_for(&node, "the release", 240, || {
		let p = positions(&node).into_iter().next()?;
		(p.stage == PositionStage::Withdrawable).then_some(p.value)
	});
	let from = node.heights().expect("heights").0;
	let withdraw = up_to_date(model, pallet_stake_delegation::Call::withdraw { model, index: 0 });
	submit(&node, eve, withdraw).expect("withdrawal accepted into the pool");
	wait_for(&node, "the withdrawal", 60, || positions(&node).is_empty().then_some(()));
	// From the `Withdrawn` event: the pool account's balance also moves with round gains paid
	// in from the bond meanwhile.
	assert_eq!(
		withdrawn(&node, &eve.to_account_id(), from),
		value,
		"the pool paid exactly the position's value"
	);
	let (pool, _) = conserved(&node);
	assert!(pool.last_finalised.is_some_and(|l| l >= release));
	assert_eq!(pool.delegations, 0);
	eprintln!(
		"delegation e2e: first round {first_round}, released after {release}, withdrew {value} planck, price {}",
		pool.price
	);

	let status = node.stop();
	assert!(status.success(), "node exited with {status}");
	fixture.stop();
	let _ = std::fs::remove_dir_all(dir);
}
