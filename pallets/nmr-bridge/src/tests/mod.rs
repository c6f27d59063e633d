//! Tests of the bridge, by feature. Each runs inside `build_and_execute`, which checks the
//! invariants (`do_try_state`: the issuance equation among them) afterwards.

mod deposits;
mod fees;
mod governance;
mod properties;
mod withdrawals;

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{dispatch::DispatchResultWithPostInfo, BoundedVec},
	sp_core::{H160, H256},
};

/// Deposit `nonce` of `amount` for `to`, as the contract emitted it.
pub fn deposit(nonce: u64, to: AccountId, amount: Balance) -> DepositOf<Test> {
	Deposit {
		chain_id: CHAIN_ID,
		contract: contract().address,
		tx_hash: H256::from_low_u64_be(0x7000 + nonce),
		log_index: 3,
		nonce,
		recipient: to,
		amount,
	}
}

/// Relayer `i` votes `d`.
pub fn vote(i: usize, d: DepositOf<Test>) -> DispatchResultWithPostInfo {
	Bridge::vote_deposit(RuntimeOrigin::signed(RELAYERS[i]), d)
}

/// Relayers `by` vote `d`.
pub fn votes(by: &[usize], d: DepositOf<Test>) {
	for &i in by {
		polkadot_sdk::frame_support::assert_ok!(vote(i, d.clone()));
	}
}

/// Key `i`'s signature of `digest`, as the contract takes it.
pub fn signed(i: usize, digest: [u8; 32]) -> EthSignature {
	let mut s = key(i).sign_prehashed(&digest).0;
	s[64] += 27;
	s
}

/// Key `i`'s signature of withdrawal `nonce`'s release message.
pub fn release_signature(i: usize, nonce: u64) -> EthSignature {
	let w = Withdrawals::<Test>::get(nonce).unwrap();
	let mut w = w;
	w.set_id = SetId::<Test>::get();
	signed(i, Bridge::release_digest(nonce, &w).unwrap())
}

/// Relayer `i` submits key `k`'s signatures of withdrawals `nonces`.
pub fn sign(i: usize, k: usize, nonces: &[u64]) -> DispatchResultWithPostInfo {
	let sigs: Vec<_> = nonces.iter().map(|n| (*n, release_signature(k, *n))).collect();
	Bridge::submit_signatures(RuntimeOrigin::signed(RELAYERS[i]), BoundedVec::truncate_from(sigs))
}

pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Bridge(e) => Some(e),
			_ => None,
		})
		.collect()
}

pub fn eth_recipient() -> H160 {
	H160::repeat_byte(0xe1)
}
