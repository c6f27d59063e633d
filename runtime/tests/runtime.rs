//! Runtime tests: genesis presets, NMR units, fees that never destroy NMR, the bot proxy filter.

mod common;
use common::ext;

use codec::Encode;
use numerstake_runtime::{
	configs::{fee_pot_account, governance::CouncilCollective, FeesToAuthor},
	genesis_config_presets::{self, DEV_ENDOWMENT},
	AccountId, Balances, BalancesCall, Proxy, ProxyType, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, System, TransactionPayment, EXISTENTIAL_DEPOSIT, NMR, TOKEN_DECIMALS,
	TOKEN_SYMBOL, VERSION,
};
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		traits::{
			fungible::Balanced,
			tokens::{Fortitude, Precision, Preservation},
			Get, InstanceFilter, OnUnbalanced,
		},
		weights::Weight,
	},
	frame_system, pallet_aura, pallet_balances, pallet_collective, pallet_proxy, pallet_sudo,
	pallet_utility,
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_keyring::Sr25519Keyring,
	sp_runtime::{DigestItem, DispatchError},
};

fn alice() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}
fn bob() -> AccountId {
	Sr25519Keyring::Bob.to_account_id()
}

#[test]
fn both_presets_build_with_endowed_accounts_council_and_sudo() {
	let names = genesis_config_presets::preset_names();
	assert_eq!(names.len(), 3);
	for (preset, validators) in [(DEV_RUNTIME_PRESET, 1), (LOCAL_TESTNET_RUNTIME_PRESET, 2)] {
		ext(preset).execute_with(|| {
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), validators, "{preset}");
			assert_eq!(Balances::free_balance(alice()), DEV_ENDOWMENT);
			assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice()));
			let council = pallet_collective::Members::<Runtime, CouncilCollective>::get();
			assert_eq!(council.len(), 3, "{preset}");
			let endowed = genesis_config_presets::endowed_dev_accounts().len() as u128;
			assert_eq!(
				Balances::total_issuance(),
				endowed * DEV_ENDOWMENT + EXISTENTIAL_DEPOSIT,
				"{preset}: nothing but the endowments and the fee pot's deposit exists"
			);
		});
	}
	assert!(genesis_config_presets::get_preset(&"no-such-preset".into()).is_none());
}

#[test]
fn the_live_template_holds_no_nmr_and_no_sudo_and_its_relayers_exist_without_any() {
	ext(genesis_config_presets::LIVE_TEMPLATE_PRESET).execute_with(|| {
		assert_eq!(Balances::total_issuance(), 0, "every planck comes through the bridge");
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(pallet_collective::Members::<Runtime, CouncilCollective>::get().len(), 3);
		let relayers = pallet_nmr_bridge::Relayers::<Runtime>::get();
		assert_eq!((relayers.len(), pallet_nmr_bridge::Threshold::<Runtime>::get()), (3, 2));
		for r in relayers.iter() {
			assert_eq!(Balances::free_balance(&r.account), 0);
			assert_eq!(System::sufficients(&r.account), 1, "held without NMR");
		}
	});
}

#[test]
fn nmr_has_18_decimals_like_the_erc20() {
	assert_eq!(TOKEN_DECIMALS, 18);
	assert_eq!(TOKEN_SYMBOL, "NMR");
	assert_eq!(NMR, 10u128.pow(18));
	// 10^9 NMR (the largest amount the design plans for) fits with room for products.
	assert!(10u128.pow(9) * NMR < u128::MAX / 10u128.pow(9));
	assert_eq!(
		<<Runtime as pallet_balances::Config>::ExistentialDeposit as Get<u128>>::get(),
		EXISTENTIAL_DEPOSIT
	);
	assert_eq!(EXISTENTIAL_DEPOSIT, NMR / 1000);
	assert_eq!(VERSION.spec_name, "numerstake");
}

#[test]
fn transfers_move_exact_planck() {
	ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let issuance = Balances::total_issuance();
		let bob_before = Balances::free_balance(bob());
		assert_ok!(Balances::transfer_keep_alive(RuntimeOrigin::signed(alice()), bob().into(), 1));
		assert_eq!(Balances::free_balance(bob()), bob_before + 1);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn transaction_fees_are_charged_in_nmr_at_a_sensible_price() {
	ext(DEV_RUNTIME_PRESET).execute_with(|| {
		// One picosecond of compute costs 10^6 planck; a byte 10^10 planck.
		assert_eq!(TransactionPayment::weight_to_fee(Weight::from_parts(1, 0)), 1_000_000);
		assert_eq!(TransactionPayment::length_to_fee(1), 10_000_000_000);
		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: bob().into(),
			value: NMR,
		});
		let info = TransactionPayment::query_call_info(call.clone(), call.encoded_size() as u32);
		// Between a hundred-thousandth and a hundredth of an NMR.
		assert!(info.partial_fee > NMR / 100_000, "fee {}", info.partial_fee);
		assert!(info.partial_fee < NMR / 100, "fee {}", info.partial_fee);
	});
}

fn withdraw_fee(
	amount: u128,
) -> polkadot_sdk::frame_support::traits::fungible::Credit<AccountId, Balances> {
	<Balances as Balanced<AccountId>>::withdraw(
		&alice(),
		amount,
		Precision::Exact,
		Preservation::Preserve,
		Fortitude::Polite,
	)
	.expect("alice can pay")
}

#[test]
fn fees_go_to_the_block_author_and_are_never_burned() {
	ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let issuance = Balances::total_issuance();
		// Aura slot 0 with one authority (Alice): Alice authored this block.
		System::deposit_log(DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(0u64).encode()));
		let before = Balances::free_balance(alice());
		FeesToAuthor::on_unbalanced(withdraw_fee(5 * NMR));
		assert_eq!(Balances::free_balance(alice()), before, "paid and received by Alice");
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn fees_without_a_known_author_go_to_the_fee_pot() {
	ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let issuance = Balances::total_issuance();
		let pot = Balances::free_balance(fee_pot_account());
		FeesToAuthor::on_unbalanced(withdraw_fee(3 * NMR));
		assert_eq!(Balances::free_balance(fee_pot_account()), pot + 3 * NMR);
		assert_eq!(Balances::free_balance(alice()), DEV_ENDOWMENT - 3 * NMR);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

fn transfer(value: u128) -> RuntimeCall {
	RuntimeCall::Balances(BalancesCall::transfer_keep_alive { dest: bob().into(), value })
}

fn remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![1, 2, 3] })
}

fn batch(calls: Vec<RuntimeCall>) -> RuntimeCall {
	RuntimeCall::Utility(pallet_utility::Call::batch { calls })
}

#[test]
fn proxy_type_filters() {
	assert!(ProxyType::Any.filter(&transfer(1)));
	assert!(!ProxyType::NonTransfer.filter(&transfer(1)));
	assert!(ProxyType::NonTransfer.filter(&remark()));
	// Nor may it put the account's NMR into a model (fees and losses go to its owner) or burn
	// it by griefing; tidying a position stays allowed.
	let model = numerstake_primitives::ModelId([7; 16]);
	let delegate = RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::delegate {
		model,
		principal: 1,
		term_rounds: 10,
		terms_version: 0,
		document_hash: None,
	});
	let recommit = RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::recommit {
		model,
		index: 0,
		term_rounds: 10,
		terms_version: 0,
	});
	let grief = RuntimeCall::ModelRegistry(pallet_model_registry::Call::grief { model, amount: 1 });
	let withdraw =
		RuntimeCall::StakeDelegation(pallet_stake_delegation::Call::withdraw { model, index: 0 });
	for call in [&delegate, &recommit, &grief] {
		assert!(!ProxyType::NonTransfer.filter(call), "{call:?}");
	}
	assert!(ProxyType::NonTransfer.filter(&withdraw));
	assert!(!ProxyType::Governance.filter(&transfer(1)));
	assert!(!ProxyType::Governance.filter(&remark()));
	assert!(!ProxyType::StakingBot.filter(&transfer(1)));
	assert!(!ProxyType::StakingBot.filter(&remark()));
	assert!(ProxyType::StakingBot.filter(&batch(vec![])));

	assert!(ProxyType::Any.is_superset(&ProxyType::StakingBot));
	assert!(ProxyType::NonTransfer.is_superset(&ProxyType::StakingBot));
	assert!(ProxyType::StakingBot.is_superset(&ProxyType::StakingBot));
	assert!(!ProxyType::StakingBot.is_superset(&ProxyType::Any));
	assert!(!ProxyType::StakingBot.is_superset(&ProxyType::NonTransfer));
	assert!(!ProxyType::Governance.is_superset(&ProxyType::StakingBot));
}

fn last_proxy_result() -> Result<(), DispatchError> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result }) => Some(result),
			_ => None,
		})
		.expect("a proxy call was executed")
}

#[test]
fn a_staking_bot_cannot_move_the_stakers_money() {
	ext(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_ok!(Proxy::add_proxy(
			RuntimeOrigin::signed(alice()),
			bob().into(),
			ProxyType::StakingBot,
			0
		));
		let alice_before = Balances::free_balance(alice());

		// Directly: filtered.
		assert_ok!(Proxy::proxy(
			RuntimeOrigin::signed(bob()),
			alice().into(),
			None,
			Box::new(transfer(NMR))
		));
		assert_eq!(last_proxy_result(), Err(frame_system::Error::<Runtime>::CallFiltered.into()));

		// Hidden in a batch: the batch runs, the transfer inside it is filtered.
		assert_ok!(Proxy::proxy(
			RuntimeOrigin::signed(bob()),
			alice().into(),
			None,
			Box::new(batch(vec![transfer(NMR)]))
		));
		assert_eq!(last_proxy_result(), Ok(()));
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Utility(pallet_utility::Event::BatchInterrupted { .. })
		)));

		assert_eq!(Balances::free_balance(alice()), alice_before);
	});
}

#[test]
fn an_any_proxy_can_transfer() {
	ext(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_ok!(Proxy::add_proxy(
			RuntimeOrigin::signed(alice()),
			bob().into(),
			ProxyType::Any,
			0
		));
		let bob_before = Balances::free_balance(bob());
		assert_ok!(Proxy::proxy(
			RuntimeOrigin::signed(bob()),
			alice().into(),
			None,
			Box::new(transfer(NMR))
		));
		assert_eq!(last_proxy_result(), Ok(()));
		assert_eq!(Balances::free_balance(bob()), bob_before + NMR);
	});
}

#[test]
fn models_can_be_claimed_with_a_held_deposit() {
	use numerstake_runtime::{configs::registry::ModelDeposit, ModelRegistry};
	use polkadot_sdk::frame_support::{traits::fungible::InspectHold, BoundedVec};
	ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let text = b"11111111-2222-4333-8444-555555555555".to_vec();
		assert_ok!(ModelRegistry::register_model(
			RuntimeOrigin::signed(alice()),
			BoundedVec::truncate_from(text.clone()),
			BoundedVec::truncate_from(b"example_model".to_vec()),
		));
		let model = ModelRegistry::parse_model_id(&text).expect("valid id");
		let profile = ModelRegistry::model_profile(model).expect("registered");
		assert_eq!(profile.owner, alice());
		let reason = numerstake_runtime::RuntimeHoldReason::ModelRegistry(
			pallet_model_registry::HoldReason::ModelDeposit,
		);
		assert_eq!(Balances::balance_on_hold(&reason, &alice()), ModelDeposit::get());
		assert!(
			ModelRegistry::challenge_for(&model, &alice()).starts_with(b"numerstake-challenge:0x")
		);
	});
}

#[test]
fn dev_presets_register_demo_models_and_oracle_operators() {
	use numerstake_primitives::ModelStatus;
	use pallet_round_oracle::{Operators, Progress, Threshold};
	for (preset, operators) in [(DEV_RUNTIME_PRESET, 1), (LOCAL_TESTNET_RUNTIME_PRESET, 2)] {
		ext(preset).execute_with(|| {
			assert_eq!(Operators::<Runtime>::get().len(), operators, "{preset}");
			assert_eq!(Threshold::<Runtime>::get(), operators as u32, "{preset}: a majority");
			for (model, owner, name) in genesis_config_presets::demo_models() {
				let info =
					pallet_model_registry::Models::<Runtime>::get(model).expect("registered");
				assert_eq!(info.status, ModelStatus::Verified);
				assert_eq!((info.owner, info.name.to_vec()), (owner.clone(), name));
				// The deposit is held, not minted.
				assert_eq!(
					Balances::reserved_balance(&owner) + Balances::free_balance(&owner),
					DEV_ENDOWMENT
				);
				assert!(Progress::<Runtime>::contains_key(model), "{preset}: watched");
			}
		});
	}
}

#[test]
fn the_oracle_is_the_registrys_round_clock() {
	use numerstake_primitives::RoundClock;
	use pallet_round_oracle::{Report, ReportOf};
	ext(DEV_RUNTIME_PRESET).execute_with(|| {
		polkadot_sdk::pallet_timestamp::Now::<Runtime>::put(1_772_366_400_000u64);
		assert_eq!(<Runtime as pallet_model_registry::Config>::RoundClock::current_round(), 0);
		let report: ReportOf<Runtime> = Report::RoundOpened {
			round: 1_000,
			opened_at: 1_772_366_000,
			resolves_at: 1_772_400_000,
		};
		assert_ok!(numerstake_runtime::RoundOracle::submit_reports(
			RuntimeOrigin::signed(alice()),
			vec![report].try_into().expect("one report fits")
		));
		assert_eq!(<Runtime as pallet_model_registry::Config>::RoundClock::current_round(), 1_000);
	});
}

#[test]
fn session_keys_include_the_oracle_key() {
	use polkadot_sdk::sp_runtime::traits::OpaqueKeys;
	let ids = numerstake_runtime::SessionKeys::key_ids();
	assert!(ids.contains(&pallet_round_oracle::KEY_TYPE), "{ids:?}");
}
