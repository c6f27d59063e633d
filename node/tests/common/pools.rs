//! Pools over JSON-RPC: the calls a wallet sends and the waits a test needs.

use super::Node;
use numerstake_primitives::{
	terms::{ladder, CommitmentOption, Terms},
	ModelId,
};
use numerstake_runtime::{RuntimeCall, NMR};
use polkadot_sdk::{frame_support::BoundedVec, sp_runtime::Permill};
use std::time::{Duration, Instant};

/// Polls `f` every 2 s until it answers, for at most `secs`; panics with the node's log tail.
pub fn wait_for<T>(node: &Node, what: &str, secs: u64, mut f: impl FnMut() -> Option<T>) -> T {
	let deadline = Instant::now() + Duration::from_secs(secs);
	loop {
		if let Some(v) = f() {
			return v;
		}
		assert!(
			Instant::now() < deadline,
			"{what} did not happen in time; node log:\n{}",
			node.log_text().lines().rev().take(40).collect::<Vec<_>>().join("\n")
		);
		std::thread::sleep(Duration::from_secs(2));
	}
}

/// `call` after bringing the pool up to date (`catch_up` fails harmlessly when it is), as a
/// wallet sends it.
pub fn up_to_date(
	model: ModelId,
	call: pallet_stake_delegation::Call<numerstake_runtime::Runtime>,
) -> RuntimeCall {
	RuntimeCall::Utility(polkadot_sdk::pallet_utility::Call::force_batch {
		calls: vec![
			RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::catch_up { model }),
			RuntimeCall::StakeDelegation(call),
		],
	})
}

/// `owner` opens a pool on `model` as a wallet does: terms without fees ([`free_terms`]), then a
/// bond of `bond`. Sent, not waited for.
pub fn open_pool(
	node: &Node,
	owner: polkadot_sdk::sp_keyring::Sr25519Keyring,
	model: ModelId,
	bond: numerstake_runtime::Balance,
) {
	let set_terms = RuntimeCall::ModelRegistry(pallet_model_registry::Call::set_terms {
		model,
		terms: free_terms(),
		effective_round: None,
	});
	super::tx::submit(node, owner, set_terms).expect("terms");
	let bond = pallet_stake_delegation::Call::bond { model, amount: bond };
	super::tx::submit(node, owner, RuntimeCall::StakeDelegation(bond)).expect("bond");
}

/// Terms without fees: rolling delegations only, 10 NMR to 100,000 NMR, 1,000,000 NMR capacity.
pub fn free_terms() -> Terms<u128> {
	Terms {
		capacity: 1_000_000 * NMR,
		min_delegation: 10 * NMR,
		max_delegation: 100_000 * NMR,
		fixed_fee: ladder(&[]),
		performance_fee: ladder(&[]),
		commitments: BoundedVec::truncate_from(vec![CommitmentOption {
			term_rounds: 0,
			discount: Permill::zero(),
		}]),
		document: None,
	}
}

/// The amount of `who`'s `Withdrawn` event in blocks `from..=best`; panics unless there is one.
pub fn withdrawn(node: &Node, who: &numerstake_runtime::AccountId, from: u64) -> u128 {
	let best = node.heights().expect("heights").0;
	let amounts: Vec<u128> = (from..=best)
		.flat_map(|n| node.events_at(&node.block_hash(n).expect("a block of the chain")))
		.filter_map(|record| match record.event {
			numerstake_runtime::RuntimeEvent::StakeDelegation(
				pallet_stake_delegation::Event::Withdrawn { staker, amount, .. },
			) if &staker == who => Some(amount),
			_ => None,
		})
		.collect();
	assert_eq!(amounts.len(), 1, "one withdrawal of {who} in blocks {from}..={best}");
	amounts[0]
}

/// `model`'s pool view and what it holds (the pool account's free balance plus the owner's bond,
/// where every planck of it is), both read at the best block: a round's gain moves from the bond
/// to the account, so reads at two blocks could miss or double it.
pub fn pool_and_held(
	node: &Node,
	model: ModelId,
) -> (pallet_stake_delegation_runtime_api::PoolView<numerstake_runtime::AccountId>, u128) {
	let at = node.rpc("chain_getBlockHash", serde_json::json!([])).expect("best hash");
	let at = at.as_str().expect("a hash");
	let pool: Option<pallet_stake_delegation_runtime_api::PoolView<numerstake_runtime::AccountId>> =
		node.call_api_at("StakeDelegationApi_pool", model, Some(at)).expect("pool view");
	let pool = pool.expect("the pool");
	let held = super::free_balance_at(node, &pool.account, Some(at)) + pool.bond;
	(pool, held)
}
