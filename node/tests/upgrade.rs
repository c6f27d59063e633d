//! A runtime upgrade of a running chain, in place: a dev chain starts on the previous release's
//! runtime (spec_version 109, `runtime/upgrades/`), Bob opens a pool, Eve and Dave delegate,
//! the oracle settles rounds and Eve asks to exit; then `sudo(system.set_code)` installs this
//! build's runtime, whose migrations run on the next block (the round oracle's storage goes
//! from version 0 to 1). After it, the positions are as they were, the pool settles on, and
//! both stakers withdraw exactly their positions' value, every planck accounted for.
//!
//! With `NUMERSTAKE_SNAPSHOT_OUT=<file>` it also writes the state just before the upgrade as a
//! try-runtime snapshot (`runtime/tests/try_runtime.rs` checks the upgrade on it).

mod common;

use common::{
	build_spec, dev_validator, fixture,
	pools::{open_pool, pool_and_held, up_to_date, wait_for, withdrawn},
	scratch_dir, spec_version, state_snapshot, storage_version,
	tx::{hex, submit},
	unix_now, Node,
};
use numerai_fixture::{Clock, World};
use numerstake_primitives::ModelId;
use numerstake_runtime::{AccountId, RuntimeCall, NMR};
use pallet_stake_delegation_runtime_api::{PoolView, PositionStage, PositionView};
use polkadot_sdk::sp_keyring::Sr25519Keyring;
use serde_json::json;
use std::path::{Path, PathBuf};

/// The previous release's runtime, as its chain spec carried it.
const PREVIOUS_RUNTIME: &str = concat!(
	env!("CARGO_MANIFEST_DIR"),
	"/../runtime/upgrades/numerstake-runtime-109.compact.compressed.wasm"
);
const PREVIOUS_SPEC_VERSION: u64 = 109;

/// The dev chain's spec with the previous release's runtime as its genesis code.
fn spec_on_previous_runtime(dir: &Path) -> PathBuf {
	let mut spec = build_spec("dev");
	let code = std::fs::read(PREVIOUS_RUNTIME).expect("the previous release's runtime");
	spec["genesis"]["runtimeGenesis"]["code"] = json!(hex(&code));
	let path = dir.join("previous-runtime.json");
	std::fs::write(&path, serde_json::to_vec(&spec).unwrap()).unwrap();
	path
}

#[test]
fn a_running_chain_upgrades_in_place_and_its_pools_settle_and_pay_out_as_before() {
	let clock =
		Clock { start: unix_now() + 20, first_round: 5_000, round_secs: 12, resolve_after: 2 };
	let fixture = fixture(World::synthetic(17, 0), clock);
	let dir = scratch_dir("upgrade");
	let spec = spec_on_previous_runtime(&dir);
	let url = fixture.url();
	let node = dev_validator("upgrade", &dir, spec.to_str().expect("a path"), &url);
	assert_eq!(spec_version(&node), Some(PREVIOUS_SPEC_VERSION));
	assert_eq!(storage_version(&node, "RoundOracle"), Some(0));

	let (alice, bob, dave, eve) =
		(Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Dave, Sr25519Keyring::Eve);
	let (id, _) = numerstake_numerai::DEMO_MODELS[0];
	let model = ModelId::parse(id.as_bytes()).unwrap();

	// On the previous runtime: Bob's pool, Eve's and Dave's delegations.
	open_pool(&node, bob, model, 10_000 * NMR);
	let pool = |node: &Node| -> Option<PoolView<AccountId>> {
		node.call_api::<Option<PoolView<AccountId>>>("StakeDelegationApi_pool", model).ok()?
	};
	wait_for(&node, "the pool", 120, || pool(&node));
	wait_for(&node, "the oracle's first round", 120, || {
		let status: pallet_round_oracle_runtime_api::OracleStatus<AccountId> =
			node.call_api("RoundOracleApi_status", ()).ok()?;
		status.latest_round
	});
	let delegate = |principal| pallet_stake_delegation::Call::delegate {
		model,
		principal,
		term_rounds: 0,
		terms_version: 0,
		document_hash: None,
	};
	submit(&node, eve, up_to_date(model, delegate(1_000 * NMR))).expect("Eve's delegation");
	submit(&node, dave, up_to_date(model, delegate(500 * NMR))).expect("Dave's delegation");
	let positions = |node: &Node, who: Sr25519Keyring| -> Vec<PositionView> {
		node.call_api("StakeDelegationApi_positions", who.to_account_id()).unwrap_or_default()
	};
	let first_round = wait_for(&node, "both delegations", 120, || {
		let (e, d) = (positions(&node, eve), positions(&node, dave));
		(!e.is_empty() && !d.is_empty()).then(|| e[0].first_round.max(d[0].first_round))
	});
	// Every planck: in the pool account (beyond its deposit) or in Bob's bond.
	let ed = numerstake_runtime::EXISTENTIAL_DEPOSIT;
	let held = |node: &Node| pool_and_held(node, model).1;
	assert_eq!(held(&node), 11_500 * NMR + ed);
	wait_for(&node, "a settled round", 240, || {
		pool(&node)?.last_finalised.is_some_and(|l| l >= first_round).then_some(())
	});
	// Eve asks to exit: her exit is queued through the upgrade.
	let index = positions(&node, eve).first().expect("Eve's position").index;
	let exit = pallet_stake_delegation::Call::request_exit { model, index };
	submit(&node, eve, up_to_date(model, exit)).expect("Eve's exit");
	let release =
		wait_for(&node, "Eve's exit", 60, || positions(&node, eve).first()?.release_round);

	// The state just before the upgrade, as a try-runtime snapshot.
	let head = node.rpc("chain_getFinalizedHead", json!([])).expect("finalised head");
	let head = head.as_str().expect("hash").to_string();
	if let Ok(out) = std::env::var("NUMERSTAKE_SNAPSHOT_OUT") {
		let pairs = state_snapshot(&node, &head);
		let snapshot = json!({
			"chain": "numerstake dev chain on runtime 109 with a pool, two positions and a queued exit",
			"block": head,
			"spec_version": PREVIOUS_SPEC_VERSION,
			"pairs": pairs,
		});
		std::fs::write(&out, serde_json::to_vec_pretty(&snapshot).unwrap()).expect("snapshot");
		eprintln!("upgrade: wrote a snapshot of {} pairs to {out}", pairs.len());
	}

	// The upgrade: this build's runtime, by sudo.
	let code = numerstake_runtime::WASM_BINARY.expect("the test build has the wasm runtime");
	let set_code = RuntimeCall::Sudo(polkadot_sdk::pallet_sudo::Call::sudo {
		call: Box::new(RuntimeCall::System(polkadot_sdk::frame_system::Call::set_code {
			code: code.to_vec(),
		})),
	});
	let before = (positions(&node, eve), positions(&node, dave), held(&node));
	submit(&node, alice, set_code).expect("the upgrade");
	let new = u64::from(numerstake_runtime::VERSION.spec_version);
	wait_for(&node, "the new runtime", 120, || (spec_version(&node)? == new).then_some(()));
	// The block that sets the code already reports the new version; the migration runs at the
	// start of the next block.
	wait_for(&node, "the oracle's migration", 60, || {
		(storage_version(&node, "RoundOracle")? == 1).then_some(())
	});
	// The positions are as they were (values move with settlement only) and nothing moved.
	let after = (positions(&node, eve), positions(&node, dave));
	for (b, a) in before.0.iter().chain(&before.1).zip(after.0.iter().chain(&after.1)) {
		assert_eq!(
			(a.principal, a.shares, a.first_round, a.release_round),
			(b.principal, b.shares, b.first_round, b.release_round)
		);
	}
	assert_eq!(held(&node), before.2, "the upgrade moved money");

	// Settlement goes on; Eve withdraws once released, then Dave exits and withdraws.
	let withdraw_all = |who: Sr25519Keyring| {
		// A withdrawable position's value is fixed at its exit record's price.
		let mut seen = None;
		let (value, index) = wait_for(&node, "the release", 300, || {
			let p = positions(&node, who).into_iter().next()?;
			let now = (p.stage, p.release_round, pool(&node)?.last_finalised);
			if seen.as_ref() != Some(&now) {
				eprintln!(
					"upgrade: {who:?}'s position {:?}, released after {:?}; pool settled through {:?}",
					now.0, now.1, now.2
				);
				seen = Some(now);
			}
			(p.stage == PositionStage::Withdrawable).then_some((p.value, p.index))
		});
		let from = node.heights().expect("heights").0;
		let withdraw = pallet_stake_delegation::Call::withdraw { model, index };
		submit(&node, who, up_to_date(model, withdraw)).expect("withdrawal");
		wait_for(&node, "the withdrawal", 60, || positions(&node, who).is_empty().then_some(()));
		// What the pool paid, from the `Withdrawn` event of the block that included it (the pool
		// account's balance also moves with round gains paid in from the bond meanwhile).
		let paid = withdrawn(&node, &who.to_account_id(), from);
		assert_eq!(paid, value, "paid the position's value");
		value
	};
	let eve_paid = withdraw_all(eve);
	// Delegation indices count a pool's delegations (Dave's is 1): read from the view.
	let index = positions(&node, dave).first().expect("Dave's position").index;
	let call = up_to_date(model, pallet_stake_delegation::Call::request_exit { model, index });
	submit(&node, dave, call).expect("Dave's exit");
	wait_for(&node, "Dave's exit", 60, || positions(&node, dave).first()?.release_round);
	let dave_paid = withdraw_all(dave);
	let p = pool(&node).expect("the pool");
	assert_eq!(p.delegations, 0);
	assert!(p.last_finalised.is_some_and(|l| l >= release));
	// What is left is the deposit and Bob's bond, plus what the pool owes him.
	assert_eq!(
		held(&node) + eve_paid + dave_paid,
		before.2,
		"every planck is accounted for after the upgrade"
	);
	eprintln!(
		"upgrade: 109 -> {new} with a queued exit; Eve withdrew {eve_paid}, Dave {dave_paid} planck"
	);

	let status = node.stop();
	assert!(status.success(), "node exited with {status}");
	fixture.stop();
	let _ = std::fs::remove_dir_all(dir);
}
