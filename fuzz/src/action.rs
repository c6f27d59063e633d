//! What the fuzzer does: concrete actions of owners, stakers, oracle operators and governance,
//! and their execution through the pallets' real dispatchables.
//!
//! An action names accounts and models by small indices and leaves everything that depends on
//! the chain's state (the latest terms version, the oracle's next round of a model, the pool's
//! recorded requirement) to be read when it runs, so that a recorded sequence still makes
//! sense with actions removed (that is how failures are shrunk).

use crate::{mock::*, model_id, Balance, NMR};
use numerstake_primitives::{
	terms::Terms, FeeCaps, ModelId, ModelRegistryInspect, ModelStatus, RoundIndex,
};
use pallet_round_oracle::{Report, ReportOf, ResolvedResult, RoundResult};
use pallet_stake_delegation::{DelegationIndex, ProtocolParams};
use polkadot_sdk::{
	frame_support::{dispatch::DispatchResultWithPostInfo, BoundedVec},
	sp_core::H256,
	sp_runtime::DispatchError,
};

/// The first round the simulated Numerai opens.
pub const FIRST_ROUND: RoundIndex = 1_000;
/// Seconds between two rounds (Numerai opens one a day).
pub const ROUND_SECS: u64 = 86_400;
/// Blocks between two rounds (a compressed day: claims and bond notices span a few rounds).
pub const ROUND_BLOCKS: u64 = 10;

/// How the three operators (threshold 2) report: two honest ones, and the third absent or
/// dissenting before or after the quorum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quorum {
	/// The operator not in the honest pair.
	pub other: u8,
	/// What that operator does.
	pub dissent: Dissent,
}

/// What the third operator does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dissent {
	/// Nothing.
	Absent,
	/// Reports something else before the honest pair (a conflict governance resolves).
	Before,
	/// Reports something else after the quorum (stale).
	After,
}

/// A model's round result, relative to the pool's recorded requirement for that round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultKind {
	/// The model did not submit.
	NotSubmitted,
	/// Resolved: at risk = max(requirement × `at_risk_permille` / 1000, `min_at_risk`);
	/// payout = `payout_permille` / 1000 of the largest return the oracle accepts.
	Resolved { at_risk_permille: u16, payout_permille: i16, min_at_risk: Balance },
}

/// An amount relative to the model's latest terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
	/// `min + (max - min) × permille / 1000` of the latest terms.
	InTerms(u16),
	/// Exactly this.
	Raw(Balance),
}

/// A part of something read when the action runs (a bond, fee shares).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
	/// All of it.
	All,
	/// This many thousandths (at least 1).
	Permille(u16),
	/// Exactly this.
	Raw(u128),
}

/// Which commitment term a staker asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermPick {
	/// The n-th option of the latest terms (modulo their number).
	Offered(u8),
	/// A term the terms may not offer.
	Bogus(RoundIndex),
}

/// What the staker consents to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consent {
	/// The latest terms version and its document.
	Latest,
	/// The version before the latest.
	StaleVersion,
	/// Another document hash.
	WrongDocument,
}

/// One step of a run. Owners, stakers and models are indices (see [`crate::mock`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
	/// Numerai opens the next round: the clock moves a day, blocks advance, operators report.
	OpenRound { quorum: Quorum },
	/// Operators report a watched model's next result.
	Result { model: u8, kind: ResultKind, quorum: Quorum },
	/// Operators see the model's ownership challenge (`claimant`: the actual claimant if
	/// `None`), or with `refute` find the claim's profile not the model's.
	Attest { model: u8, claimant: Option<u8>, refute: bool },
	/// `register_model`.
	Register { owner: u8, model: u8 },
	/// `set_terms`, effective `offset` rounds after the current one (`None`: earliest).
	SetTerms { owner: u8, model: u8, terms: Box<Terms<Balance>>, offset: Option<u32> },
	/// `commit_version`.
	CommitVersion { owner: u8, model: u8, offset: Option<u32>, hash: u8 },
	/// `post_consistency_bond`.
	PostConsistencyBond { owner: u8, model: u8, amount: Balance, ratio: u32 },
	/// `request_bond_withdrawal`.
	RequestBondWithdrawal { owner: u8, model: u8, part: Part },
	/// `withdraw_consistency_bond`.
	WithdrawConsistencyBond { owner: u8, model: u8 },
	/// `grief`.
	Grief { staker: u8, model: u8, amount: Balance },
	/// `retire_model`.
	Retire { owner: u8, model: u8 },
	/// `deregister_model`.
	Deregister { owner: u8, model: u8 },
	/// `expire_claim`.
	ExpireClaim { caller: u8, model: u8 },
	/// `bond`.
	Bond { owner: u8, model: u8, amount: Balance },
	/// `unbond` (a part of the pool's bond).
	Unbond { owner: u8, model: u8, part: Part },
	/// `delegate`.
	Delegate { staker: u8, model: u8, amount: Amount, term: TermPick, consent: Consent },
	/// `request_exit`.
	RequestExit { staker: u8, model: u8, index: DelegationIndex },
	/// `withdraw`.
	Withdraw { staker: u8, model: u8, index: DelegationIndex },
	/// `recommit`.
	Recommit { staker: u8, model: u8, index: DelegationIndex, term: TermPick, consent: Consent },
	/// `settle` (by `caller`, a staker).
	Settle { caller: u8, staker: u8, model: u8, index: DelegationIndex, max_periods: u32 },
	/// `catch_up`.
	CatchUp { caller: u8, model: u8 },
	/// `exit_fee_shares` (a part of the owner's fee position).
	ExitFeeShares { owner: u8, model: u8, part: Part },
	/// `withdraw_fee_exit`.
	WithdrawFeeExit { owner: u8, model: u8, round: RoundIndex },
	/// `claim_owner_payable`.
	ClaimOwnerPayable { owner: u8, model: u8 },
	/// Governance `set_fee_caps`.
	SetFeeCaps(FeeCaps),
	/// Governance `set_protocol_params`.
	SetProtocolParams(ProtocolParams),
	/// Governance `watch_model`, from `offset` rounds after the latest opened (`None`: the
	/// oracle's default, the next round).
	Watch { model: u8, offset: Option<u32> },
	/// `unwatch_model` by governance (`by: None`) or by a staker.
	Unwatch { model: u8, by: Option<u8> },
	/// Governance `suspend_model`.
	Suspend { model: u8 },
	/// Governance `resume_model`.
	Resume { model: u8 },
	/// A plain transfer (`transfer_keep_alive`) from a staker to the model's pool account.
	Donate { staker: u8, model: u8, amount: Balance },
	/// Blocks pass without a round opening.
	AdvanceBlocks(u32),
}

impl Action {
	/// The model the action is about, if one.
	pub fn model(&self) -> Option<u8> {
		match self {
			Action::Result { model, .. }
			| Action::Attest { model, .. }
			| Action::Register { model, .. }
			| Action::SetTerms { model, .. }
			| Action::CommitVersion { model, .. }
			| Action::PostConsistencyBond { model, .. }
			| Action::RequestBondWithdrawal { model, .. }
			| Action::WithdrawConsistencyBond { model, .. }
			| Action::Grief { model, .. }
			| Action::Retire { model, .. }
			| Action::Deregister { model, .. }
			| Action::ExpireClaim { model, .. }
			| Action::Bond { model, .. }
			| Action::Unbond { model, .. }
			| Action::Delegate { model, .. }
			| Action::RequestExit { model, .. }
			| Action::Withdraw { model, .. }
			| Action::Recommit { model, .. }
			| Action::Settle { model, .. }
			| Action::CatchUp { model, .. }
			| Action::ExitFeeShares { model, .. }
			| Action::WithdrawFeeExit { model, .. }
			| Action::ClaimOwnerPayable { model, .. }
			| Action::Watch { model, .. }
			| Action::Unwatch { model, .. }
			| Action::Suspend { model }
			| Action::Resume { model }
			| Action::Donate { model, .. } => Some(*model),
			Action::OpenRound { .. }
			| Action::SetFeeCaps(_)
			| Action::SetProtocolParams(_)
			| Action::AdvanceBlocks(_) => None,
		}
	}

	/// Whether the action is a single call (a failed one changed nothing).
	pub fn is_single_call(&self) -> bool {
		!matches!(
			self,
			Action::OpenRound { .. }
				| Action::Result { .. }
				| Action::Attest { .. }
				| Action::AdvanceBlocks(_)
		)
	}

	/// A short name, for statistics.
	pub fn name(&self) -> &'static str {
		match self {
			Action::OpenRound { .. } => "open_round",
			Action::Result { .. } => "result",
			Action::Attest { .. } => "attest",
			Action::Register { .. } => "register_model",
			Action::SetTerms { .. } => "set_terms",
			Action::CommitVersion { .. } => "commit_version",
			Action::PostConsistencyBond { .. } => "post_consistency_bond",
			Action::RequestBondWithdrawal { .. } => "request_bond_withdrawal",
			Action::WithdrawConsistencyBond { .. } => "withdraw_consistency_bond",
			Action::Grief { .. } => "grief",
			Action::Retire { .. } => "retire_model",
			Action::Deregister { .. } => "deregister_model",
			Action::ExpireClaim { .. } => "expire_claim",
			Action::Bond { .. } => "bond",
			Action::Unbond { .. } => "unbond",
			Action::Delegate { .. } => "delegate",
			Action::RequestExit { .. } => "request_exit",
			Action::Withdraw { .. } => "withdraw",
			Action::Recommit { .. } => "recommit",
			Action::Settle { .. } => "settle",
			Action::CatchUp { .. } => "catch_up",
			Action::ExitFeeShares { .. } => "exit_fee_shares",
			Action::WithdrawFeeExit { .. } => "withdraw_fee_exit",
			Action::ClaimOwnerPayable { .. } => "claim_owner_payable",
			Action::SetFeeCaps(_) => "set_fee_caps",
			Action::SetProtocolParams(_) => "set_protocol_params",
			Action::Watch { .. } => "watch_model",
			Action::Unwatch { .. } => "unwatch_model",
			Action::Suspend { .. } => "suspend_model",
			Action::Resume { .. } => "resume_model",
			Action::Donate { .. } => "donate",
			Action::AdvanceBlocks(_) => "advance_blocks",
		}
	}
}

/// What running an action did.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
	/// Extrinsics dispatched.
	pub dispatched: u32,
	/// The last dispatch's error, if it failed.
	pub error: Option<DispatchError>,
	/// A money rule broken by a call that succeeded (the owner-debt check).
	pub violation: Option<(String, String)>,
}

impl Outcome {
	fn of(&mut self, r: Result<(), DispatchError>) {
		self.dispatched += 1;
		self.error = r.err();
	}
}

/// A dispatchable's result without its post-info.
fn plain(r: DispatchResultWithPostInfo) -> Result<(), DispatchError> {
	r.map(|_| ()).map_err(|e| e.error)
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

/// The latest opened round (0 before any).
pub fn current_round() -> RoundIndex {
	pallet_round_oracle::LatestRound::<Runtime>::get().unwrap_or(0)
}

/// The latest terms of `model`: version, effective round, terms.
pub fn latest_terms(model: &ModelId) -> Option<(u32, RoundIndex, Terms<Balance>)> {
	<ModelRegistry as ModelRegistryInspect<AccountId, Balance>>::latest_terms(model)
}

/// The registry's owner (or claimant) of `model`.
pub fn registry_owner(model: &ModelId) -> Option<AccountId> {
	pallet_model_registry::Models::<Runtime>::get(model).map(|m| m.owner)
}

/// The registry status of `model`.
pub fn status(model: &ModelId) -> Option<ModelStatus> {
	pallet_model_registry::Models::<Runtime>::get(model).map(|m| m.status)
}

fn part_of(part: Part, whole: u128) -> u128 {
	match part {
		Part::All => whole,
		Part::Permille(p) => (whole / 1_000 * u128::from(p)).max(1),
		Part::Raw(x) => x,
	}
}

/// Sends `report` from operator `op`.
fn submit(op: u8, report: ReportOf<Runtime>) -> Result<(), DispatchError> {
	plain(RoundOracle::submit_reports(
		signed(operator(op)),
		BoundedVec::truncate_from(vec![report]),
	))
}

/// A report differing from `report` (what a faulty operator says).
fn dissent_of(report: &ReportOf<Runtime>) -> ReportOf<Runtime> {
	match report.clone() {
		Report::RoundOpened { round, opened_at, resolves_at } => {
			Report::RoundOpened { round, opened_at: opened_at.saturating_sub(1), resolves_at }
		},
		Report::RoundResult { model, round, result } => {
			let result = match result {
				RoundResult::NotSubmitted => RoundResult::Resolved(ResolvedResult {
					at_risk: 0,
					payout: 0,
					scores: Default::default(),
					payout_factor: None,
					corr_multiplier: None,
					mmc_multiplier: None,
				}),
				RoundResult::Resolved(_) => RoundResult::NotSubmitted,
			};
			Report::RoundResult { model, round, result }
		},
		other => other,
	}
}

/// The operators report `report` as `quorum` says; a conflict is resolved by governance in
/// favour of the honest report. Returns the honest pair's first error (an invalid report).
fn report(report: ReportOf<Runtime>, quorum: Quorum, out: &mut Outcome) {
	let other = quorum.other % OPERATORS;
	let honest: Vec<u8> = (0..OPERATORS).filter(|o| *o != other).collect();
	if quorum.dissent == Dissent::Before {
		let r = submit(other, dissent_of(&report));
		out.dispatched += 1;
		let _ = r;
	}
	let mut first_error = None;
	for op in &honest {
		let r = submit(*op, report.clone());
		out.dispatched += 1;
		if first_error.is_none() {
			first_error = r.err();
		}
	}
	if quorum.dissent == Dissent::After {
		let _ = submit(other, dissent_of(&report));
		out.dispatched += 1;
	}
	let subject = report.subject();
	if pallet_round_oracle::Pending::<Runtime>::get(subject).is_some_and(|p| p.conflicted) {
		let hash = RoundOracle::report_hash(&report);
		let r = RoundOracle::resolve_conflict(root(), subject, hash);
		out.dispatched += 1;
		if first_error.is_none() {
			first_error = r.err();
		}
	}
	out.error = first_error;
}

/// What the oracle would report for `model`'s next round, and that round.
fn result_report(model: ModelId, kind: ResultKind) -> ReportOf<Runtime> {
	let round = RoundOracle::next_round(&model).unwrap_or_else(current_round);
	let result = match kind {
		ResultKind::NotSubmitted => RoundResult::NotSubmitted,
		ResultKind::Resolved { at_risk_permille, payout_permille, min_at_risk } => {
			let recorded = pallet_stake_delegation::Cohorts::<Runtime>::get(model, round).req;
			let requirement = recorded
				.or_else(|| {
					pallet_stake_delegation::Pools::<Runtime>::get(model)
						.and_then(|p| StakeDelegation::requirement_next(&p).ok())
				})
				.unwrap_or(0);
			let at_risk = (requirement / 1_000)
				.saturating_mul(u128::from(at_risk_permille))
				.saturating_add(requirement % 1_000 * u128::from(at_risk_permille) / 1_000)
				.max(min_at_risk);
			let most = MAX_ABS_ROUND_RETURN.mul_floor(at_risk) as i128;
			let payout = most / 1_000 * i128::from(payout_permille)
				+ most % 1_000 * i128::from(payout_permille) / 1_000;
			RoundResult::Resolved(ResolvedResult {
				at_risk,
				payout,
				scores: Default::default(),
				payout_factor: None,
				corr_multiplier: None,
				mmc_multiplier: None,
			})
		},
	};
	Report::RoundResult { model, round, result }
}

/// The owner's NMR outside the pallets (free balance) and their debt, for the debt check.
fn owner_money(who: &AccountId) -> (Balance, Balance) {
	let debt = pallet_stake_delegation::Operators::<Runtime>::get(who).debt;
	(Balances::free_balance(who), debt)
}

/// An owner in debt must repay it before taking NMR out of any pool (the design brief's "owner
/// bond": "repaid into the pool before the owner may unbond, withdraw fee shares or register
/// models"). Records a violation when a call that succeeded paid one out anyway.
fn check_debt(out: &mut Outcome, call: &str, who: &AccountId, before: (Balance, Balance)) {
	if out.error.is_some() {
		return;
	}
	let after = owner_money(who);
	if before.1 > 0 && after.1 > 0 && after.0 > before.0 {
		out.violation = Some((
			format!("owner in debt took NMR out of a pool ({call})"),
			format!(
				"owner debt {} before and {} after, free balance rose by {}",
				before.1,
				after.1,
				after.0 - before.0
			),
		));
	}
}

/// Runs `action`.
pub fn execute(action: &Action) -> Outcome {
	let mut out = Outcome::default();
	match action.clone() {
		Action::OpenRound { quorum } => {
			let now = Timestamp::get() / 1_000 + ROUND_SECS;
			Timestamp::set_timestamp(now * 1_000);
			System::set_block_number(System::block_number() + ROUND_BLOCKS);
			let round =
				pallet_round_oracle::LatestRound::<Runtime>::get().map_or(FIRST_ROUND, |r| r + 1);
			let opened =
				Report::RoundOpened { round, opened_at: now, resolves_at: now + 30 * ROUND_SECS };
			report(opened, quorum, &mut out);
		},
		Action::Result { model, kind, quorum } => {
			report(result_report(model_id(model), kind), quorum, &mut out);
		},
		Action::Attest { model, claimant, refute } => {
			let m = model_id(model);
			let claimant = match claimant {
				Some(o) => owner(o),
				None => registry_owner(&m).unwrap_or_else(|| owner(0)),
			};
			report(
				if refute {
					Report::ClaimRefuted {
						model: m,
						claimant,
						name: polkadot_sdk::frame_support::BoundedVec::truncate_from(
							format!("model_{model}").into_bytes(),
						),
					}
				} else {
					Report::Ownership { model: m, claimant }
				},
				Quorum { other: 2, dissent: Dissent::Absent },
				&mut out,
			);
		},
		Action::Register { owner: o, model } => {
			let text = model_id(model).to_text().to_vec();
			let name = format!("model_{model}").into_bytes();
			out.of(ModelRegistry::register_model(
				signed(owner(o)),
				BoundedVec::truncate_from(text),
				BoundedVec::truncate_from(name),
			));
		},
		Action::SetTerms { owner: o, model, terms, offset } => {
			let effective = offset.map(|k| current_round() + k);
			out.of(ModelRegistry::set_terms(signed(owner(o)), model_id(model), *terms, effective));
		},
		Action::CommitVersion { owner: o, model, offset, hash } => {
			let effective = offset.map(|k| current_round() + k);
			out.of(ModelRegistry::commit_version(
				signed(owner(o)),
				model_id(model),
				H256::repeat_byte(hash),
				effective,
				BoundedVec::new(),
			));
		},
		Action::PostConsistencyBond { owner: o, model, amount, ratio } => {
			out.of(ModelRegistry::post_consistency_bond(
				signed(owner(o)),
				model_id(model),
				amount,
				ratio,
			));
		},
		Action::RequestBondWithdrawal { owner: o, model, part } => {
			let m = model_id(model);
			let bond =
				pallet_model_registry::ConsistencyBonds::<Runtime>::get(m).map_or(0, |b| b.amount);
			out.of(ModelRegistry::request_bond_withdrawal(
				signed(owner(o)),
				m,
				part_of(part, bond),
			));
		},
		Action::WithdrawConsistencyBond { owner: o, model } => {
			out.of(ModelRegistry::withdraw_consistency_bond(signed(owner(o)), model_id(model)));
		},
		Action::Grief { staker: s, model, amount } => {
			out.of(ModelRegistry::grief(signed(staker(s)), model_id(model), amount));
		},
		Action::Retire { owner: o, model } => {
			out.of(ModelRegistry::retire_model(signed(owner(o)), model_id(model)));
		},
		Action::Deregister { owner: o, model } => {
			out.of(plain(ModelRegistry::deregister_model(signed(owner(o)), model_id(model))));
		},
		Action::ExpireClaim { caller, model } => {
			out.of(ModelRegistry::expire_claim(signed(staker(caller)), model_id(model)));
		},
		Action::Bond { owner: o, model, amount } => {
			out.of(StakeDelegation::bond(signed(owner(o)), model_id(model), amount));
		},
		Action::Unbond { owner: o, model, part } => {
			let m = model_id(model);
			let who = owner(o);
			let bond = pallet_stake_delegation::Pools::<Runtime>::get(m).map_or(0, |p| p.book.bond);
			let before = owner_money(&who);
			out.of(StakeDelegation::unbond(signed(who), m, part_of(part, bond)));
			check_debt(&mut out, "unbond", &who, before);
		},
		Action::Delegate { staker: s, model, amount, term, consent } => {
			let m = model_id(model);
			let (version, terms) = match latest_terms(&m) {
				Some((v, _, t)) => (v, Some(t)),
				None => (0, None),
			};
			let principal = match (amount, &terms) {
				(Amount::Raw(x), _) => x,
				(Amount::InTerms(p), Some(t)) => {
					let span = t.max_delegation - t.min_delegation;
					t.min_delegation + span / 1_000 * u128::from(p)
				},
				(Amount::InTerms(_), None) => 10 * NMR,
			};
			let term_rounds = match (term, &terms) {
				(TermPick::Bogus(t), _) => t,
				(TermPick::Offered(i), Some(t)) if !t.commitments.is_empty() => {
					t.commitments[usize::from(i) % t.commitments.len()].term_rounds
				},
				(TermPick::Offered(_), _) => 0,
			};
			let document = terms.as_ref().and_then(|t| t.document.as_ref().map(|d| d.hash));
			let (version, document) = match consent {
				Consent::Latest => (version, document),
				Consent::StaleVersion => (version.wrapping_sub(1), document),
				Consent::WrongDocument => {
					(version, if document.is_some() { None } else { Some(H256::repeat_byte(7)) })
				},
			};
			out.of(plain(StakeDelegation::delegate(
				signed(staker(s)),
				m,
				principal,
				term_rounds,
				version,
				document,
			)));
		},
		Action::RequestExit { staker: s, model, index } => {
			out.of(StakeDelegation::request_exit(signed(staker(s)), model_id(model), index));
		},
		Action::Withdraw { staker: s, model, index } => {
			out.of(StakeDelegation::withdraw(signed(staker(s)), model_id(model), index));
		},
		Action::Recommit { staker: s, model, index, term, consent } => {
			let m = model_id(model);
			let latest = latest_terms(&m);
			let version = latest.as_ref().map_or(0, |(v, _, _)| *v);
			let term_rounds = match (term, &latest) {
				(TermPick::Bogus(t), _) => t,
				(TermPick::Offered(i), Some((_, _, t))) => {
					let terms: Vec<RoundIndex> =
						t.commitments.iter().map(|c| c.term_rounds).filter(|r| *r > 0).collect();
					if terms.is_empty() {
						7
					} else {
						terms[usize::from(i) % terms.len()]
					}
				},
				(TermPick::Offered(_), None) => 7,
			};
			let version = match consent {
				Consent::StaleVersion => version.wrapping_sub(1),
				Consent::Latest | Consent::WrongDocument => version,
			};
			out.of(StakeDelegation::recommit(signed(staker(s)), m, index, term_rounds, version));
		},
		Action::Settle { caller, staker: s, model, index, max_periods } => {
			out.of(plain(StakeDelegation::settle(
				signed(staker(caller)),
				staker(s),
				model_id(model),
				index,
				max_periods,
			)));
		},
		Action::CatchUp { caller, model } => {
			out.of(StakeDelegation::catch_up(signed(staker(caller)), model_id(model)));
		},
		Action::ExitFeeShares { owner: o, model, part } => {
			let m = model_id(model);
			let who = owner(o);
			let shares = pallet_stake_delegation::Pools::<Runtime>::get(m)
				.map_or(0, |p| p.ledger.owner_shares);
			let before = owner_money(&who);
			out.of(StakeDelegation::exit_fee_shares(signed(who), m, part_of(part, shares)));
			check_debt(&mut out, "exit_fee_shares", &who, before);
		},
		Action::WithdrawFeeExit { owner: o, model, round } => {
			let who = owner(o);
			let before = owner_money(&who);
			out.of(StakeDelegation::withdraw_fee_exit(signed(who), model_id(model), round));
			check_debt(&mut out, "withdraw_fee_exit", &who, before);
		},
		Action::ClaimOwnerPayable { owner: o, model } => {
			let who = owner(o);
			let before = owner_money(&who);
			out.of(StakeDelegation::claim_owner_payable(signed(who), model_id(model)));
			check_debt(&mut out, "claim_owner_payable", &who, before);
		},
		Action::SetFeeCaps(caps) => out.of(StakeDelegation::set_fee_caps(root(), caps)),
		Action::SetProtocolParams(params) => {
			out.of(StakeDelegation::set_protocol_params(root(), params))
		},
		Action::Watch { model, offset } => {
			let from = offset.map(|k| current_round() + k);
			out.of(RoundOracle::watch_model(root(), model_id(model), from));
		},
		Action::Unwatch { model, by } => {
			let origin = by.map_or_else(root, |s| signed(staker(s)));
			out.of(plain(RoundOracle::unwatch_model(origin, model_id(model))));
		},
		Action::Suspend { model } => out.of(ModelRegistry::suspend_model(root(), model_id(model))),
		Action::Resume { model } => out.of(ModelRegistry::resume_model(root(), model_id(model))),
		Action::Donate { staker: s, model, amount } => {
			let to = StakeDelegation::pool_account(&model_id(model));
			out.of(Balances::transfer_keep_alive(signed(staker(s)), to, amount));
		},
		Action::AdvanceBlocks(n) => {
			System::set_block_number(System::block_number() + u64::from(n));
		},
	}
	out
}
