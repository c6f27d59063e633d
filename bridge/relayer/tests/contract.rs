//! The lock contract executed on a real EVM (anvil, from npm): deposits, releases, replays,
//! wrong, duplicate and disordered signers, malleated signatures, pause, rotation with its
//! grace, the per-window release cap, and the NMR token's `approve` quirk. After every test the
//! NMR the contract holds equals what it records as locked.

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolError, SolEvent};
use numerstake_relayer::{
	anvil::Anvil,
	contract::{self, NmrBridge, Signer, TestNmr},
	eth::{Error, Eth, Receipt},
};
use serde_json::json;

const NMR: u128 = 1_000_000_000_000_000_000;
const GRACE: u64 = 7 * 86_400;
const WINDOW: u64 = 86_400;

fn nmr(n: u128) -> U256 {
	U256::from(n * NMR)
}

struct World {
	_anvil: Anvil,
	eth: Eth,
	chain_id: u64,
	guardian: Address,
	users: Vec<Address>,
	token: Address,
	bridge: Address,
	/// Four relayer keys, by ascending address; set 0 is the first three, threshold 2.
	relayers: Vec<Signer>,
}

/// A fresh anvil with the test token, a lock contract (set 0 = relayers 0, 1, 2, threshold 2;
/// release cap `cap` NMR per day), and 1,000 NMR for each of three users.
async fn world(cap: u128) -> World {
	let anvil = Anvil::start(&["--slots-in-an-epoch", "1"]).expect("anvil starts");
	let eth = Eth::connect(&anvil.url()).unwrap();
	let accounts = eth.accounts().await.unwrap();
	let guardian = accounts[0];
	let token = eth
		.transact(guardian, None, &contract::test_nmr_bytecode())
		.await
		.unwrap()
		.contract_address
		.unwrap();
	let mut relayers: Vec<Signer> =
		(1..=4).map(|i| Signer::from_suri(&format!("//Relayer{i}")).unwrap()).collect();
	relayers.sort_by_key(Signer::address);
	let constructor = NmrBridge::constructorCall {
		token_: token,
		signers: relayers[..3].iter().map(Signer::address).collect(),
		threshold: 2,
		minThreshold_: 2,
		guardian_: guardian,
		rotationGrace_: U256::from(GRACE),
		window_: U256::from(WINDOW),
		windowCap_: nmr(cap),
		minDeposit_: U256::from(NMR / 100),
		maxDeposit_: nmr(500),
	};
	let code = [contract::bridge_bytecode(), constructor.abi_encode()].concat();
	let bridge = eth.transact(guardian, None, &code).await.unwrap().contract_address.unwrap();
	let chain_id = eth.chain_id().await.unwrap();
	let users = accounts[1..4].to_vec();
	let w = World { _anvil: anvil, eth, chain_id, guardian, users, token, bridge, relayers };
	for u in &w.users {
		w.send(guardian, token, TestNmr::mintCall { to: *u, value: nmr(1_000) }).await.unwrap();
	}
	w
}

impl World {
	async fn send(&self, from: Address, to: Address, call: impl SolCall) -> Result<Receipt, Error> {
		self.eth.transact(from, Some(to), &call.abi_encode()).await
	}

	async fn view<C: SolCall>(&self, to: Address, call: C) -> C::Return {
		let out = self.eth.call(to, &call.abi_encode()).await.unwrap();
		C::abi_decode_returns(&out).unwrap()
	}

	async fn balance(&self, who: Address) -> U256 {
		self.view(self.token, TestNmr::balanceOfCall::new((who,))).await
	}

	async fn locked(&self) -> U256 {
		self.view(self.bridge, NmrBridge::lockedCall {}).await
	}

	/// `user` approves and deposits `amount` NMR for `recipient`.
	async fn deposit(
		&self,
		user: Address,
		amount: U256,
		recipient: B256,
	) -> Result<Receipt, Error> {
		self.send(
			user,
			self.token,
			TestNmr::approveCall { spender: self.bridge, value: U256::ZERO },
		)
		.await
		.unwrap();
		self.send(user, self.token, TestNmr::approveCall { spender: self.bridge, value: amount })
			.await
			.unwrap();
		self.send(user, self.bridge, NmrBridge::depositCall { amount, recipient }).await
	}

	/// The signatures of relayers `by` over `digest`, in the contract's order.
	fn sign(&self, by: &[usize], digest: B256) -> Bytes {
		contract::ordered(
			by.iter()
				.map(|&i| (self.relayers[i].address(), self.relayers[i].sign(digest)))
				.collect(),
		)
	}

	fn release_digest(&self, nonce: u64, to: Address, amount: U256, set: u32) -> B256 {
		contract::release_digest(self.chain_id, self.bridge, nonce, to, amount, set)
	}

	async fn release(
		&self,
		nonce: u64,
		to: Address,
		amount: U256,
		set: u32,
		signatures: Bytes,
	) -> Result<Receipt, Error> {
		let call = NmrBridge::releaseCall { nonce, recipient: to, amount, setId: set, signatures };
		self.send(self.users[2], self.bridge, call).await
	}

	/// Releases withdrawal `nonce`, signed by relayers 0 and 1 of set 0.
	async fn signed_release(
		&self,
		nonce: u64,
		to: Address,
		amount: U256,
	) -> Result<Receipt, Error> {
		let digest = self.release_digest(nonce, to, amount, 0);
		self.release(nonce, to, amount, 0, self.sign(&[0, 1], digest)).await
	}

	async fn later(&self, secs: u64) {
		self.eth.request("evm_increaseTime", vec![json!(secs)]).await.unwrap();
		self.eth.request("evm_mine", vec![]).await.unwrap();
	}

	/// The invariant: the contract holds exactly what it records as locked.
	async fn check(&self) {
		assert_eq!(self.balance(self.bridge).await, self.locked().await, "held = locked");
	}
}

#[track_caller]
fn reverts_with<E: SolError>(result: Result<Receipt, Error>) {
	match result {
		Err(Error::Reverted { data, .. }) => assert_eq!(
			data.get(..4),
			Some(&E::SELECTOR[..]),
			"expected {}, got revert data {data}",
			E::SIGNATURE
		),
		other => panic!("expected {}, got {other:?}", E::SIGNATURE),
	}
}

#[track_caller]
fn reverts_because(result: Result<Receipt, Error>, reason: &str) {
	match result {
		Err(Error::Reverted { data, .. }) => {
			let revert = alloy_sol_types::Revert::abi_decode(&data).expect("a reason string");
			assert_eq!(revert.reason, reason);
		},
		other => panic!("expected a revert with {reason:?}, got {other:?}"),
	}
}

fn event<E: SolEvent>(receipt: &Receipt) -> E {
	receipt
		.logs
		.iter()
		.find(|l| l.topics.first() == Some(&E::SIGNATURE_HASH))
		.map(|l| E::decode_raw_log(l.topics.iter().copied(), &l.data).unwrap())
		.unwrap_or_else(|| panic!("no {} event", E::SIGNATURE))
}

#[tokio::test]
async fn deposits_lock_nmr_for_a_numerstake_account_and_the_token_keeps_nmrs_approve_rules() {
	let w = world(1_000).await;
	let (alice, bridge) = (w.users[0], w.bridge);
	let recipient = B256::repeat_byte(0xa1);
	// NMR's approve: only from or to zero; changeApproval names the allowance it replaces.
	w.send(alice, w.token, TestNmr::approveCall { spender: bridge, value: nmr(100) })
		.await
		.unwrap();
	reverts_because(
		w.send(alice, w.token, TestNmr::approveCall { spender: bridge, value: nmr(50) }).await,
		"approve from or to zero only",
	);
	reverts_because(
		w.send(
			alice,
			w.token,
			TestNmr::changeApprovalCall { spender: bridge, oldValue: nmr(99), newValue: nmr(50) },
		)
		.await,
		"allowance changed",
	);
	w.send(
		alice,
		w.token,
		TestNmr::changeApprovalCall { spender: bridge, oldValue: nmr(100), newValue: nmr(50) },
	)
	.await
	.unwrap();
	// A call shorter than its arguments is refused, as NMR's onlyPayloadSize refuses it
	// (Solidity 0.8's decoder reverts, without data, before the modifier runs).
	let short = &TestNmr::approveCall { spender: bridge, value: U256::ZERO }.abi_encode()[..36];
	assert!(matches!(
		w.eth.transact(alice, Some(w.token), short).await,
		Err(Error::Reverted { data, .. }) if data.is_empty()
	));

	let receipt =
		w.send(alice, bridge, NmrBridge::depositCall { amount: nmr(50), recipient }).await.unwrap();
	let deposited: NmrBridge::Deposited = event(&receipt);
	assert_eq!(
		(deposited.nonce, deposited.from, deposited.recipient, deposited.amount),
		(1, alice, recipient, nmr(50))
	);
	assert_eq!(w.locked().await, nmr(50));
	assert_eq!(w.balance(alice).await, nmr(950));
	// The next deposit gets the next nonce.
	let second = w.deposit(w.users[1], nmr(7), recipient).await.unwrap();
	assert_eq!(event::<NmrBridge::Deposited>(&second).nonce, 2);
	assert_eq!(w.view(bridge, NmrBridge::depositNonceCall {}).await, 2);

	// Bad deposits change nothing.
	let deposit = |amount: U256, recipient: B256| NmrBridge::depositCall { amount, recipient };
	reverts_with::<NmrBridge::ZeroAmount>(
		w.send(alice, bridge, deposit(U256::ZERO, recipient)).await,
	);
	reverts_with::<NmrBridge::BelowMinimum>(
		w.send(alice, bridge, deposit(U256::from(NMR / 1_000), recipient)).await,
	);
	reverts_with::<NmrBridge::ZeroRecipient>(
		w.send(alice, bridge, deposit(nmr(1), B256::ZERO)).await,
	);
	reverts_with::<NmrBridge::AboveMaximum>(
		w.send(alice, bridge, deposit(nmr(501), recipient)).await,
	);
	// More than the allowance: the token refuses the transfer.
	reverts_with::<NmrBridge::TokenTransferFailed>(
		w.send(alice, bridge, deposit(nmr(1), recipient)).await,
	);
	assert_eq!(w.locked().await, nmr(57));
	w.check().await;
}

#[tokio::test]
async fn a_release_takes_a_threshold_of_distinct_ascending_signers_of_the_set_and_pays_once() {
	let w = world(1_000).await;
	w.deposit(w.users[0], nmr(100), B256::repeat_byte(1)).await.unwrap();
	let bob = w.users[1];
	let digest = w.release_digest(1, bob, nmr(10), 0);
	// The relayers sign exactly the digest the contract computes.
	let on_chain = w
		.view(
			w.bridge,
			NmrBridge::releaseDigestCall { nonce: 1, recipient: bob, amount: nmr(10), setId: 0 },
		)
		.await;
	assert_eq!(on_chain, digest);

	let receipt = w.release(1, bob, nmr(10), 0, w.sign(&[0, 1], digest)).await.unwrap();
	let released: NmrBridge::Released = event(&receipt);
	assert_eq!((released.nonce, released.recipient, released.amount), (1, bob, nmr(10)));
	assert_eq!(w.balance(bob).await, nmr(1_010));
	assert_eq!(w.locked().await, nmr(90));
	// Each withdrawal nonce pays once, whoever signs it again.
	reverts_with::<NmrBridge::AlreadyReleased>(
		w.release(1, bob, nmr(10), 0, w.sign(&[1, 2], digest)).await,
	);

	let digest = w.release_digest(2, bob, nmr(10), 0);
	let one = |i: usize| {
		let r = &w.relayers[i];
		(r.address(), r.sign(digest))
	};
	// One signature is below the threshold.
	reverts_with::<NmrBridge::BelowThreshold>(
		w.release(2, bob, nmr(10), 0, w.sign(&[0], digest)).await,
	);
	// The same signer twice.
	let twice = Bytes::from([one(0).1, one(0).1].concat());
	reverts_with::<NmrBridge::SignersNotAscending>(w.release(2, bob, nmr(10), 0, twice).await);
	// Two signers out of order.
	let descending = Bytes::from([one(1).1, one(0).1].concat());
	reverts_with::<NmrBridge::SignersNotAscending>(w.release(2, bob, nmr(10), 0, descending).await);
	// A key outside the set (relayer 3, the highest address).
	reverts_with::<NmrBridge::NotASigner>(
		w.release(2, bob, nmr(10), 0, w.sign(&[0, 3], digest)).await,
	);
	// The malleated twin of a valid signature (s → n − s, v flipped).
	let mut twin = one(1).1;
	let n = U256::from_be_slice(&alloy_primitives::hex!(
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"
	));
	let s = U256::from_be_slice(&twin[32..64]);
	twin[32..64].copy_from_slice(&(n - s).to_be_bytes::<32>());
	twin[64] = if twin[64] == 27 { 28 } else { 27 };
	let malleated = Bytes::from([one(0).1, twin].concat());
	reverts_with::<NmrBridge::BadSignature>(w.release(2, bob, nmr(10), 0, malleated).await);
	// Signatures over another amount, recipient or nonce recover to other addresses.
	let forged = w.release(2, bob, nmr(11), 0, w.sign(&[0, 1], digest)).await;
	assert!(
		matches!(&forged, Err(Error::Reverted { data, .. })
			if data.get(..4) == Some(&NmrBridge::NotASigner::SELECTOR[..])
				|| data.get(..4) == Some(&NmrBridge::SignersNotAscending::SELECTOR[..])),
		"{forged:?}"
	);
	// A set that does not exist yet, and a zero recipient.
	reverts_with::<NmrBridge::UnknownSet>(
		w.release(2, bob, nmr(10), 1, w.sign(&[0, 1], w.release_digest(2, bob, nmr(10), 1))).await,
	);
	reverts_with::<NmrBridge::ZeroRecipient>(
		w.release(2, Address::ZERO, nmr(10), 0, w.sign(&[0, 1], digest)).await,
	);
	// A truncated signature list.
	let ragged = w.sign(&[0, 1], digest).slice(..129);
	reverts_with::<NmrBridge::BadSignature>(w.release(2, bob, nmr(10), 0, ragged).await);
	// And with everything right, withdrawal 2 pays.
	w.release(2, bob, nmr(10), 0, w.sign(&[1, 2], digest)).await.unwrap();
	assert_eq!(w.locked().await, nmr(80));
	w.check().await;
}

#[tokio::test]
async fn the_guardian_pauses_and_only_the_relayer_sets_threshold_unpauses() {
	let w = world(1_000).await;
	w.deposit(w.users[0], nmr(100), B256::repeat_byte(1)).await.unwrap();
	let (guardian, bridge, bob) = (w.guardian, w.bridge, w.users[1]);
	reverts_with::<NmrBridge::NotGuardian>(w.send(bob, bridge, NmrBridge::pauseCall {}).await);
	w.send(guardian, bridge, NmrBridge::pauseCall {}).await.unwrap();
	reverts_with::<NmrBridge::IsPaused>(w.deposit(w.users[0], nmr(1), B256::repeat_byte(1)).await);
	let digest = w.release_digest(1, bob, nmr(10), 0);
	reverts_with::<NmrBridge::IsPaused>(
		w.release(1, bob, nmr(10), 0, w.sign(&[0, 1], digest)).await,
	);

	let unpause = w.view(bridge, NmrBridge::unpauseDigestCall {}).await;
	let call = |signatures: Bytes| NmrBridge::unpauseCall { signatures };
	reverts_with::<NmrBridge::BelowThreshold>(
		w.send(bob, bridge, call(w.sign(&[0], unpause))).await,
	);
	let signed = w.sign(&[0, 2], unpause);
	w.send(bob, bridge, call(signed.clone())).await.unwrap();
	reverts_with::<NmrBridge::NotPaused>(w.send(bob, bridge, call(signed.clone())).await);
	// The signatures of one unpause do not unpause again.
	w.send(guardian, bridge, NmrBridge::pauseCall {}).await.unwrap();
	assert!(w.send(bob, bridge, call(signed)).await.is_err());
	w.send(
		bob,
		bridge,
		call(w.sign(&[1, 2], w.view(bridge, NmrBridge::unpauseDigestCall {}).await)),
	)
	.await
	.unwrap();
	w.release(1, bob, nmr(10), 0, w.sign(&[0, 1], digest)).await.unwrap();

	// The set replaces a guardian (whose key leaked, say).
	let new_guardian = w.users[2];
	let to = w.view(bridge, NmrBridge::guardianDigestCall { guardian_: new_guardian }).await;
	w.send(
		bob,
		bridge,
		NmrBridge::setGuardianCall { guardian_: new_guardian, signatures: w.sign(&[0, 1], to) },
	)
	.await
	.unwrap();
	reverts_with::<NmrBridge::NotGuardian>(w.send(guardian, bridge, NmrBridge::pauseCall {}).await);
	w.send(new_guardian, bridge, NmrBridge::pauseCall {}).await.unwrap();
	w.check().await;
}

#[tokio::test]
async fn rotation_takes_the_current_threshold_and_old_sets_releases_stay_valid_for_the_grace() {
	let w = world(1_000).await;
	w.deposit(w.users[0], nmr(100), B256::repeat_byte(1)).await.unwrap();
	let (bridge, bob) = (w.bridge, w.users[1]);
	// Withdrawals 1 and 2 were signed by set 0 before the rotation.
	let old_1 = w.sign(&[0, 1], w.release_digest(1, bob, nmr(10), 0));
	let old_2 = w.sign(&[0, 2], w.release_digest(2, bob, nmr(10), 0));

	let next: Vec<Address> = w.relayers[1..].iter().map(Signer::address).collect();
	// Set 0's signatures keep counting for withdrawals 1 and 2 only (cutoff 3).
	let digest = contract::rotate_digest(w.chain_id, bridge, 1, &next, 2, 3);
	assert_eq!(
		w.view(
			bridge,
			NmrBridge::rotateDigestCall { signers: next.clone(), threshold: 2, cutoff: 3 }
		)
		.await,
		digest
	);
	let rotate = |signers: Vec<Address>, threshold: u16, signatures: Bytes| NmrBridge::rotateCall {
		signers,
		threshold,
		cutoff: 3,
		signatures,
	};
	reverts_with::<NmrBridge::BelowThreshold>(
		w.send(bob, bridge, rotate(next.clone(), 2, w.sign(&[0], digest))).await,
	);
	// The incoming set cannot install itself.
	reverts_with::<NmrBridge::NotASigner>(
		w.send(bob, bridge, rotate(next.clone(), 2, w.sign(&[2, 3], digest))).await,
	);
	// A threshold that is not a majority (or under the minimum of two) is refused.
	let weak = contract::rotate_digest(w.chain_id, bridge, 1, &next, 1, 3);
	reverts_with::<NmrBridge::BadSignerSet>(
		w.send(bob, bridge, rotate(next.clone(), 1, w.sign(&[0, 1], weak))).await,
	);
	let receipt =
		w.send(bob, bridge, rotate(next.clone(), 2, w.sign(&[0, 1], digest))).await.unwrap();
	let installed: NmrBridge::SignerSetInstalled = event(&receipt);
	assert_eq!((installed.setId, installed.signers, installed.threshold), (1, next.clone(), 2));
	// The rotation's signatures do not rotate again.
	reverts_with::<NmrBridge::NotASigner>(
		w.send(bob, bridge, rotate(next, 2, w.sign(&[0, 1], digest))).await,
	);
	// The retired set cannot sign a withdrawal queued after the rotation, even in the grace.
	reverts_with::<NmrBridge::AfterCutoff>(
		w.release(3, bob, nmr(10), 0, w.sign(&[0, 1], w.release_digest(3, bob, nmr(10), 0))).await,
	);

	// Within the grace, set 0's release pays; after it, set 0's releases are refused and the
	// chain re-signs them with set 1.
	w.release(1, bob, nmr(10), 0, old_1).await.unwrap();
	w.later(GRACE + 1).await;
	reverts_with::<NmrBridge::SetExpired>(w.release(2, bob, nmr(10), 0, old_2).await);
	reverts_with::<NmrBridge::NotASigner>(
		w.release(2, bob, nmr(10), 1, w.sign(&[0, 1], w.release_digest(2, bob, nmr(10), 1))).await,
	);
	w.release(2, bob, nmr(10), 1, w.sign(&[1, 3], w.release_digest(2, bob, nmr(10), 1)))
		.await
		.unwrap();
	assert_eq!(w.balance(bob).await, nmr(1_020));
	w.check().await;
}

#[tokio::test]
async fn releases_are_capped_per_window() {
	let w = world(100).await;
	w.deposit(w.users[0], nmr(300), B256::repeat_byte(1)).await.unwrap();
	let bob = w.users[1];
	w.signed_release(1, bob, nmr(60)).await.unwrap();
	reverts_with::<NmrBridge::OverWindowCap>(w.signed_release(2, bob, nmr(50)).await);
	w.signed_release(2, bob, nmr(40)).await.unwrap();
	reverts_with::<NmrBridge::OverWindowCap>(w.signed_release(3, bob, U256::from(1)).await);
	// The next window has the whole cap again.
	w.later(WINDOW).await;
	w.signed_release(3, bob, nmr(100)).await.unwrap();
	assert_eq!(w.locked().await, nmr(100));
	w.check().await;
}
