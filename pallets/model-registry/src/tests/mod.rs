//! Tests of the registry, by feature. Each runs inside `build_and_execute`, which checks the
//! pallet's invariants (`do_try_state`) afterwards.

mod consistency;
mod lifecycle;
mod registration;
mod terms;
mod versions;

use crate::{mock::*, *};
pub use numerstake_primitives::terms::{ladder, CommitmentOption};
use polkadot_sdk::{
	frame_support::{assert_ok, BoundedVec},
	sp_runtime::Permill,
};

pub const MODEL_TEXT: &[u8] = b"11111111-2222-4333-8444-555555555555";
pub const OTHER_TEXT: &[u8] = b"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

pub fn model() -> ModelId {
	ModelId::parse(MODEL_TEXT).unwrap()
}

pub fn other_model() -> ModelId {
	ModelId::parse(OTHER_TEXT).unwrap()
}

pub fn text(t: &[u8]) -> ModelIdText {
	BoundedVec::truncate_from(t.to_vec())
}

pub fn name(n: &[u8]) -> ModelName {
	BoundedVec::truncate_from(n.to_vec())
}

/// `who` claims the model `id`.
pub fn claim(who: AccountId, id: &[u8]) {
	assert_ok!(Registry::register_model(
		RuntimeOrigin::signed(who),
		text(id),
		name(b"example_model")
	));
}

/// `who` claims the default model and the oracle attests it.
pub fn verified(who: AccountId) -> ModelId {
	claim(who, MODEL_TEXT);
	assert_ok!(<Registry as OwnershipAttestation<AccountId>>::attest_ownership(&model(), &who));
	model()
}

/// Sensible terms: 10 to 1,000 NMR per delegation, 10,000 NMR capacity, a two-step fixed fee,
/// 20 % / 10 % performance fee, rolling or 20 rounds at 10 % off.
pub fn basic_terms() -> Terms<Balance> {
	Terms {
		capacity: 10_000 * NMR,
		min_delegation: 10 * NMR,
		max_delegation: 1_000 * NMR,
		fixed_fee: ladder(&[(100 * NMR, NMR / 100), (1_000 * NMR, NMR / 20)]),
		performance_fee: ladder(&[
			(100 * NMR, Permill::from_percent(20)),
			(Balance::MAX, Permill::from_percent(10)),
		]),
		commitments: BoundedVec::truncate_from(vec![
			CommitmentOption { term_rounds: 0, discount: Permill::zero() },
			CommitmentOption { term_rounds: 20, discount: Permill::from_percent(10) },
		]),
		document: None,
	}
}

/// `who` owns the default model, verified and with basic terms from next round.
pub fn active(who: AccountId) -> ModelId {
	let m = verified(who);
	assert_ok!(Registry::set_terms(RuntimeOrigin::signed(who), m, basic_terms(), None));
	m
}

/// Events of this pallet so far, oldest first.
pub fn registry_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Registry(e) => Some(e),
			_ => None,
		})
		.collect()
}

pub fn held(reason: HoldReason, who: AccountId) -> Balance {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold;
	<Balances as InspectHold<AccountId>>::balance_on_hold(&reason.into(), &who)
}
