//! Stake delegation in the real runtime: the oracle's reports settle the pools, the registry
//! counts delegators, the bot proxy may tidy positions, the runtime API reads them.

mod common;

use numerstake_primitives::{terms::Terms, ModelId, ModelRegistryInspect, ModelStatus};
use numerstake_runtime::{
	genesis_config_presets, AccountId, Balances, ModelRegistry, Proxy, ProxyType, RoundOracle,
	Runtime, RuntimeCall, RuntimeOrigin, StakeDelegation, NMR,
};
use pallet_round_oracle::{Report, ReportOf, ResolvedResult, RoundResult};
use pallet_stake_delegation::{Pools, ProtocolParams};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::InstanceFilter, BoundedVec},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::Permill,
};

fn ext() -> TestExternalities {
	let mut ext = common::ext(DEV_RUNTIME_PRESET);
	ext.execute_with(|| polkadot_sdk::pallet_timestamp::Now::<Runtime>::put(NOW * 1_000));
	ext
}

const NOW: u64 = 1_772_366_400;
const FIRST: u32 = 1_000;

fn alice() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}
fn eve() -> AccountId {
	Sr25519Keyring::Eve.to_account_id()
}
fn ferdie() -> AccountId {
	Sr25519Keyring::Ferdie.to_account_id()
}

/// Bob's demo model, with terms and a bond.
fn bobs_model() -> (ModelId, AccountId) {
	let (model, owner, _) = genesis_config_presets::demo_models()[0].clone();
	let terms = Terms {
		capacity: 1_000_000 * NMR,
		min_delegation: 10 * NMR,
		max_delegation: 100_000 * NMR,
		fixed_fee: numerstake_primitives::terms::ladder(&[(100_000 * NMR, NMR / 100)]),
		performance_fee: numerstake_primitives::terms::ladder(&[(
			u128::MAX,
			Permill::from_percent(20),
		)]),
		commitments: BoundedVec::truncate_from(vec![
			numerstake_primitives::terms::CommitmentOption {
				term_rounds: 0,
				discount: Permill::zero(),
			},
		]),
		document: None,
	};
	assert_ok!(ModelRegistry::set_terms(RuntimeOrigin::signed(owner.clone()), model, terms, None));
	assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(owner.clone()), model, 10_000 * NMR));
	(model, owner)
}

/// Eve delegates 1,000 NMR without commitment to the model's first terms.
fn eve_joins(model: ModelId) {
	assert_ok!(StakeDelegation::delegate(
		RuntimeOrigin::signed(eve()),
		model,
		1_000 * NMR,
		0,
		0,
		None
	));
}

/// Alice, the dev chain's only oracle operator, reports.
fn report(reports: Vec<ReportOf<Runtime>>) {
	assert_ok!(RoundOracle::submit_reports(
		RuntimeOrigin::signed(alice()),
		reports.try_into().expect("fits")
	));
}

fn open(round: u32) {
	let opened_at = NOW - 10_000 + u64::from(round - FIRST) * 10;
	report(vec![Report::RoundOpened { round, opened_at, resolves_at: opened_at + 30 }]);
}

fn resolve(model: ModelId, round: u32, at_risk: u128, payout: i128) {
	let result = RoundResult::Resolved(ResolvedResult {
		at_risk,
		payout,
		scores: Default::default(),
		payout_factor: None,
		corr_multiplier: None,
		mmc_multiplier: None,
	});
	report(vec![Report::RoundResult { model, round, result }]);
}

#[test]
fn the_oracles_reports_settle_the_pool() {
	ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		open(FIRST);
		let (model, _) = bobs_model();
		eve_joins(model);
		// First round: FIRST + 2 (activation lag 1).
		open(FIRST + 1);
		open(FIRST + 2);
		resolve(model, FIRST, NMR, 0);
		resolve(model, FIRST + 1, NMR, 0);
		// +2 % on the 1,000 NMR the owner staked for round FIRST + 2.
		resolve(model, FIRST + 2, 1_000 * NMR, 20 * NMR as i128);
		let pool = Pools::<Runtime>::get(model).expect("pool");
		assert_eq!(pool.last_finalised, Some(FIRST + 2));
		assert_eq!(pool.ledger.price, 1_020_000_000_000_000_000);
		let view = StakeDelegation::positions_of(eve());
		assert_eq!(view[0].value, 1_020 * NMR);
		// The registry knows Eve delegates; the API shows the pool.
		assert!(
			<StakeDelegation as numerstake_primitives::DelegationInspect<AccountId>>::is_delegator(
				&model,
				&eve()
			)
		);
		let pool_view = StakeDelegation::pool_view(model).expect("pool view");
		assert_eq!(pool_view.requirement_next, 1_020 * NMR);
		// Eve's exit would wait for rounds forever: governance cannot stop watching the model.
		assert_noop!(
			RoundOracle::unwatch_model(RuntimeOrigin::root(), model),
			pallet_round_oracle::Error::<Runtime>::HasObligations
		);
		assert_eq!(Balances::total_issuance(), issuance, "no NMR created or destroyed");
		StakeDelegation::do_try_state().expect("delegation invariants");
		ModelRegistry::do_try_state().expect("registry invariants");
		RoundOracle::do_try_state().expect("oracle invariants");
	});
}

#[test]
fn a_staking_bot_may_exit_settle_and_withdraw_but_not_delegate() {
	let model = ModelId([7; 16]);
	let allowed = [
		RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::request_exit {
			model,
			index: 0,
		}),
		RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::withdraw { model, index: 0 }),
		RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::settle {
			staker: eve(),
			model,
			index: 0,
			max_periods: 8,
		}),
		RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::catch_up { model }),
	];
	for call in &allowed {
		assert!(ProxyType::StakingBot.filter(call), "{call:?}");
	}
	let refused = [
		RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::delegate {
			model,
			principal: NMR,
			term_rounds: 0,
			terms_version: 0,
			document_hash: None,
		}),
		RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::recommit {
			model,
			index: 0,
			term_rounds: 10,
			terms_version: 0,
		}),
		RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::bond { model, amount: NMR }),
	];
	for call in &refused {
		assert!(!ProxyType::StakingBot.filter(call), "{call:?}");
	}
}

#[test]
fn a_bot_exits_for_the_staker_and_the_money_goes_to_the_staker() {
	ext().execute_with(|| {
		open(FIRST);
		let (model, _) = bobs_model();
		eve_joins(model);
		assert_ok!(Proxy::add_proxy(
			RuntimeOrigin::signed(eve()),
			ferdie().into(),
			ProxyType::StakingBot,
			0
		));
		let eve_before = Balances::free_balance(eve());
		let ferdie_before = Balances::free_balance(ferdie());
		let exit = RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::request_exit {
			model,
			index: 0,
		});
		assert_ok!(Proxy::proxy(
			RuntimeOrigin::signed(ferdie()),
			eve().into(),
			None,
			Box::new(exit)
		));
		// Cancelled before its first round: Eve has her principal back, Ferdie only paid fees.
		assert_eq!(Balances::free_balance(eve()), eve_before + 1_000 * NMR);
		assert!(Balances::free_balance(ferdie()) <= ferdie_before);
	});
}

#[test]
fn genesis_parameters_are_the_defaults_within_their_safe_ranges() {
	ext().execute_with(|| {
		let params = pallet_stake_delegation::Global::<Runtime>::get();
		assert_eq!(params.protocol, ProtocolParams::DEFAULT);
		assert!(StakeDelegation::check_protocol(&params.protocol).is_ok());
		assert!(StakeDelegation::check_caps(&params.caps).is_ok());
		let (model, _, _) = genesis_config_presets::demo_models()[0].clone();
		assert_eq!(
			pallet_model_registry::Models::<Runtime>::get(model).map(|m| m.status),
			Some(ModelStatus::Verified)
		);
	});
}

#[test]
fn result_reports_are_charged_for_the_settlement_they_trigger() {
	use numerstake_primitives::OnRoundFinalized;
	let settle = <StakeDelegation as OnRoundFinalized>::weight();
	let batch: Vec<ReportOf<Runtime>> = vec![Report::RoundResult {
		model: ModelId([7; 16]),
		round: 1,
		result: RoundResult::NotSubmitted,
	}];
	let weight = RoundOracle::reports_weight(&batch);
	assert!(weight.ref_time() >= settle.ref_time() && settle.ref_time() > 0);
}

#[test]
fn a_model_registered_again_settles_its_new_stakers() {
	ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		open(FIRST);
		let (model, owner) = bobs_model();
		let (_, _, name) = genesis_config_presets::demo_models()[0].clone();
		eve_joins(model);
		open(FIRST + 1);
		open(FIRST + 2);
		for round in FIRST..=FIRST + 2 {
			resolve(model, round, 1_000 * NMR, 0);
		}
		// Eve leaves; Bob empties the pool, deregisters the model, and anyone unwatches it.
		assert_ok!(StakeDelegation::request_exit(RuntimeOrigin::signed(eve()), model, 0));
		let _ = StakeDelegation::claim_owner_payable(RuntimeOrigin::signed(owner.clone()), model);
		let bond = Pools::<Runtime>::get(model).expect("pool").book.bond;
		assert_ok!(StakeDelegation::unbond(RuntimeOrigin::signed(owner.clone()), model, bond));
		assert_ok!(ModelRegistry::retire_model(RuntimeOrigin::signed(owner.clone()), model));
		assert_ok!(ModelRegistry::deregister_model(RuntimeOrigin::signed(owner.clone()), model));
		assert_ok!(RoundOracle::unwatch_model(RuntimeOrigin::signed(ferdie()), model));
		for round in FIRST + 3..=FIRST + 5 {
			open(round);
		}
		// Bob registers it again; the oracle attests it and follows it from the next round.
		assert_ok!(ModelRegistry::register_model(
			RuntimeOrigin::signed(owner.clone()),
			BoundedVec::truncate_from(model.to_text().to_vec()),
			BoundedVec::truncate_from(name),
		));
		report(vec![Report::Ownership { model, claimant: owner.clone() }]);
		assert_eq!(RoundOracle::next_round(&model), Some(FIRST + 6));
		let (model, _) = bobs_model();
		// The old pool is used again and starts where the oracle does.
		let pool = Pools::<Runtime>::get(model).expect("pool");
		assert_eq!(pool.last_finalised, Some(FIRST + 5));
		let version =
			<ModelRegistry as ModelRegistryInspect<AccountId, u128>>::latest_terms(&model)
				.map(|(v, _, _)| v)
				.expect("terms");
		assert_ok!(StakeDelegation::delegate(
			RuntimeOrigin::signed(eve()),
			model,
			1_000 * NMR,
			0,
			version,
			None
		));
		open(FIRST + 6);
		open(FIRST + 7);
		resolve(model, FIRST + 6, NMR, 0);
		resolve(model, FIRST + 7, 1_000 * NMR, 10 * NMR as i128);
		let view = StakeDelegation::positions_of(eve());
		assert_eq!(view[0].value, 1_010 * NMR);
		assert_eq!(Balances::total_issuance(), issuance, "no NMR created or destroyed");
		StakeDelegation::do_try_state().expect("delegation invariants");
		ModelRegistry::do_try_state().expect("registry invariants");
		RoundOracle::do_try_state().expect("oracle invariants");
	});
}
