//! The random driver: from a seed, picks the next action of a random owner, staker, operator or
//! governance, looking at the chain's state so that most calls make sense (and some do not:
//! errors are expected). It also runs the simulated Numerai feed: rounds open, and each watched
//! model's results follow at a lag, in regimes of normal returns, long runs of maximal losses
//! (which drive a pool below the price floor), long runs of maximal gains (which exhaust the
//! owner's bond) and oracle stalls (no results while rounds keep opening).

use crate::{action::*, mock::*, model_id, model_index, rng::Rng, Balance, MODELS, NMR};
use numerstake_primitives::{
	terms::{ladder, CommitmentOption, Terms, TermsDocument},
	FeeCaps, ModelStatus, RoundIndex,
};
use pallet_stake_delegation::{Delegation, DelegationIndex, ProtocolParams, Stage};
use polkadot_sdk::{
	frame_support::BoundedVec,
	sp_core::H256,
	sp_runtime::{traits::Saturating, Perbill, Permill},
};
use std::collections::VecDeque;

/// The feed's regime for one model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
	Normal,
	Losses,
	Gains,
	Stall,
}

#[derive(Clone, Copy, Debug)]
struct Feed {
	mode: Mode,
	/// Rounds left in the regime.
	left: u32,
	/// Rounds between a round's opening and its result.
	lag: u32,
}

/// Switches for parts of the action mix (to keep one known failure from hiding others).
#[derive(Clone, Copy, Debug)]
pub struct Mix {
	/// Plain transfers to pool accounts.
	pub donations: bool,
	/// Governance watches models from a round beyond the next one.
	pub far_watch: bool,
}

impl Default for Mix {
	fn default() -> Self {
		Mix { donations: true, far_watch: true }
	}
}

/// Chooses actions.
pub struct Generator {
	rng: Rng,
	feeds: [Feed; MODELS as usize],
	queue: VecDeque<Action>,
	mix: Mix,
}

/// A delegation as the generator sees it.
struct Position {
	staker: u8,
	model: u8,
	index: DelegationIndex,
	delegation: Delegation,
}

fn positions() -> Vec<Position> {
	pallet_stake_delegation::Delegations::<Runtime>::iter()
		.filter_map(|((who, model, index), delegation)| {
			let first = <AccountId as AsRef<[u8]>>::as_ref(&who)[0];
			let staker = first.checked_sub(1).filter(|s| *s < STAKERS)?;
			Some(Position { staker, model: model_index(&model)?, index, delegation })
		})
		.collect()
}

/// The owner index of `model`'s registry owner (if one of ours).
fn owner_index(model: u8) -> Option<u8> {
	let who = registry_owner(&model_id(model))?;
	(0..OWNERS).find(|o| owner(*o) == who)
}

/// The owner index of `model`'s pool owner.
fn pool_owner_index(model: u8) -> Option<u8> {
	let pool = pallet_stake_delegation::Pools::<Runtime>::get(model_id(model))?;
	(0..OWNERS).find(|o| owner(*o) == pool.owner)
}

impl Generator {
	/// The generator of `seed`.
	pub fn new(seed: u64, mix: Mix) -> Self {
		let mut rng = Rng::new(seed);
		let feeds = core::array::from_fn(|_| Feed { mode: Mode::Normal, left: 0, lag: 0 });
		let mut g = Generator { rng: Rng::new(0), feeds, queue: VecDeque::new(), mix };
		for f in g.feeds.iter_mut() {
			*f = Self::new_feed(&mut rng);
		}
		g.rng = rng;
		g
	}

	fn new_feed(rng: &mut Rng) -> Feed {
		let (mode, left) = match rng.weighted(&[50, 18, 17, 15]) {
			0 => (Mode::Normal, rng.range(5, 40)),
			1 => (Mode::Losses, rng.range(10, 80)),
			2 => (Mode::Gains, rng.range(8, 50)),
			_ => (Mode::Stall, rng.range(3, 30)),
		};
		let lag = if rng.chance(35) { rng.range(0, 3) } else { rng.range(10, 24) };
		Feed { mode, left: left as u32, lag: lag as u32 }
	}

	fn quorum(&mut self) -> Quorum {
		let other = self.rng.below(u64::from(OPERATORS)) as u8;
		let dissent = match self.rng.weighted(&[85, 8, 7]) {
			0 => Dissent::Absent,
			1 => Dissent::After,
			_ => Dissent::Before,
		};
		Quorum { other, dissent }
	}

	fn result_kind(&mut self, mode: Mode) -> ResultKind {
		let min_at_risk = if self.rng.chance(10) { self.rng.range_u128(NMR, 200 * NMR) } else { 0 };
		let at_risk_permille = if self.rng.chance(30) { 1_000 } else { self.rng.range(500, 1_500) };
		let at_risk_permille = at_risk_permille as u16;
		match mode {
			Mode::Losses => ResultKind::Resolved {
				at_risk_permille: self.rng.range(1_000, 1_500) as u16,
				payout_permille: -1_000,
				min_at_risk,
			},
			Mode::Gains => ResultKind::Resolved {
				at_risk_permille: self.rng.range(1_000, 1_500) as u16,
				payout_permille: 1_000,
				min_at_risk,
			},
			Mode::Normal | Mode::Stall => match self.rng.weighted(&[6, 4, 90]) {
				0 => ResultKind::NotSubmitted,
				1 => {
					ResultKind::Resolved { at_risk_permille: 0, payout_permille: 0, min_at_risk: 0 }
				},
				_ => ResultKind::Resolved {
					at_risk_permille,
					payout_permille: (self.rng.range(0, 2_000) as i16) - 1_000,
					min_at_risk,
				},
			},
		}
	}

	/// A round opens; results of the models whose backlog passed their lag follow.
	fn open_round(&mut self) -> Action {
		let latest_after =
			pallet_round_oracle::LatestRound::<Runtime>::get().map_or(FIRST_ROUND, |r| r + 1);
		for m in 0..MODELS {
			let feed = &mut self.feeds[usize::from(m)];
			if feed.left == 0 {
				*feed = Self::new_feed(&mut self.rng);
			}
			let feed = &mut self.feeds[usize::from(m)];
			feed.left -= 1;
			let feed = *feed;
			if feed.mode == Mode::Stall {
				continue;
			}
			let next = if pallet_round_oracle::Progress::<Runtime>::contains_key(model_id(m)) {
				RoundOracle::next_round(&model_id(m)).unwrap_or(latest_after)
			} else {
				continue;
			};
			if next > latest_after {
				continue;
			}
			let backlog = latest_after + 1 - next;
			if backlog > feed.lag {
				for _ in 0..(backlog - feed.lag).min(3) {
					let kind = self.result_kind(feed.mode);
					let quorum = self.quorum();
					self.queue.push_back(Action::Result { model: m, kind, quorum });
				}
			}
		}
		Action::OpenRound { quorum: self.quorum() }
	}

	fn model(&mut self) -> u8 {
		self.rng.below(u64::from(MODELS)) as u8
	}

	fn staker(&mut self) -> u8 {
		self.rng.below(u64::from(STAKERS)) as u8
	}

	fn owner(&mut self) -> u8 {
		self.rng.below(u64::from(OWNERS)) as u8
	}

	/// Usually the model's actual owner.
	fn owner_of(&mut self, model: u8) -> u8 {
		match owner_index(model) {
			Some(o) if self.rng.chance(92) => o,
			_ => self.owner(),
		}
	}

	/// Usually the model's pool owner.
	fn pool_owner_of(&mut self, model: u8) -> u8 {
		match pool_owner_index(model).or_else(|| owner_index(model)) {
			Some(o) if self.rng.chance(92) => o,
			_ => self.owner(),
		}
	}

	/// A model in one of `statuses`, if any (else a random one).
	fn model_in(&mut self, statuses: &[ModelStatus]) -> u8 {
		let fitting: Vec<u8> = (0..MODELS)
			.filter(|m| status(&model_id(*m)).is_some_and(|s| statuses.contains(&s)))
			.collect();
		if fitting.is_empty() {
			self.model()
		} else {
			self.rng.pick(&fitting)
		}
	}

	/// A model with a pool, if any.
	fn pool_model(&mut self) -> u8 {
		let with_pool: Vec<u8> = (0..MODELS)
			.filter(|m| pallet_stake_delegation::Pools::<Runtime>::contains_key(model_id(*m)))
			.collect();
		if with_pool.is_empty() {
			self.model()
		} else {
			self.rng.pick(&with_pool)
		}
	}

	/// An existing delegation (preferring those `prefer` accepts), or made-up keys.
	fn position(&mut self, prefer: impl Fn(&Delegation) -> bool) -> (u8, u8, DelegationIndex) {
		let all = positions();
		if all.is_empty() || self.rng.chance(8) {
			return (self.staker(), self.model(), self.rng.below(6) as u32);
		}
		let preferred: Vec<&Position> = all.iter().filter(|p| prefer(&p.delegation)).collect();
		let p = if !preferred.is_empty() && self.rng.chance(75) {
			preferred[self.rng.below(preferred.len() as u64) as usize]
		} else {
			&all[self.rng.below(all.len() as u64) as usize]
		};
		(p.staker, p.model, p.index)
	}

	fn part(&mut self, all: u64, raw_max: u128) -> Part {
		match self.rng.weighted(&[all, 50, 15]) {
			0 => Part::All,
			1 => Part::Permille(self.rng.range(1, 999) as u16),
			_ => Part::Raw(self.rng.range_u128(1, raw_max)),
		}
	}

	/// About what the pool's bond lacks for its exposure and a join of up to 20,000 NMR (so
	/// that bonds stay tight and runs of gains exhaust them).
	fn needed_bond(&mut self, model: u8) -> Balance {
		let Some(pool) = pallet_stake_delegation::Pools::<Runtime>::get(model_id(model)) else {
			return self.amount_nmr(&[100, 1_000]);
		};
		let projected = StakeDelegation::projected(&pool).unwrap_or(0);
		let ratio = pallet_stake_delegation::Global::<Runtime>::get().protocol.bond_ratio;
		let join = self.rng.range_u128(0, 20_000 * NMR);
		let wanted = ratio.mul_ceil(projected.saturating_add(join));
		wanted.saturating_sub(pool.book.bond).saturating_add(self.rng.range_u128(1, 100 * NMR))
	}

	fn amount_nmr(&mut self, scales: &[u128]) -> Balance {
		let scale = self.rng.pick(scales);
		scale * NMR * u128::from(self.rng.range(1, 9)) + self.rng.range_u128(0, NMR)
	}

	/// Terms against the current caps (and the previous terms' performance fee), valid most
	/// of the time.
	fn terms(&mut self, caps: &FeeCaps, previous: Option<&Terms<Balance>>) -> Terms<Balance> {
		let rng = &mut self.rng;
		let min = rng.pick(&[1u128, 2, 5, 10, 50, 100]) * NMR;
		let max = min * u128::from(rng.range(2, 1_000));
		let capacity = max * u128::from(rng.range(1, 40));
		let mut ups = Vec::new();
		let mut up = min * u128::from(rng.range(1, 20));
		for _ in 0..rng.below(4) {
			ups.push(up);
			up = up.saturating_mul(u128::from(rng.range(2, 10)));
		}
		if !ups.is_empty() && rng.chance(30) {
			*ups.last_mut().expect("not empty") = Balance::MAX;
		}
		let mut floor = min;
		let mut fixed = Vec::new();
		for up in &ups {
			let cap = caps.max_fixed_fee_per_round.mul_floor(floor);
			fixed.push((*up, cap / 100 * u128::from(rng.below(101))));
			floor = floor.max(up.saturating_add(1));
		}
		let max_perf = caps.max_performance_fee.deconstruct();
		let performance: Vec<(Balance, Permill)> = match previous {
			Some(prev) => {
				let lowest = prev.performance_fee.iter().map(|s| s.fee).min();
				let lowest = if prev.performance_fee.is_empty() {
					Permill::zero()
				} else {
					lowest.unwrap_or_default()
				};
				let room = lowest
					.saturating_add(caps.max_performance_fee_increase)
					.deconstruct()
					.min(max_perf);
				if rng.chance(70) {
					vec![(Balance::MAX, Permill::from_parts(rng.range(0, room.into()) as u32))]
				} else {
					vec![]
				}
			},
			None => ups
				.iter()
				.map(|u| (*u, Permill::from_parts(rng.range(0, max_perf.into()) as u32)))
				.collect(),
		};
		let mut commitments = Vec::new();
		if rng.chance(85) {
			commitments.push(CommitmentOption {
				term_rounds: 0,
				discount: Permill::from_percent(rng.range(0, 10) as u32),
			});
		}
		for term in [3u32, 5, 10, 20, 40, 80] {
			if term <= caps.max_commitment_term && rng.chance(30) && commitments.len() < 4 {
				commitments.push(CommitmentOption {
					term_rounds: term,
					discount: Permill::from_percent(rng.range(0, 30) as u32),
				});
			}
		}
		if commitments.is_empty() {
			commitments.push(CommitmentOption { term_rounds: 0, discount: Permill::zero() });
		}
		let document = rng.chance(30).then(|| TermsDocument {
			hash: H256::repeat_byte(rng.below(256) as u8),
			uri: BoundedVec::truncate_from(b"ipfs://numerstake-terms".to_vec()),
		});
		let mut terms = Terms {
			capacity,
			min_delegation: min,
			max_delegation: max,
			fixed_fee: ladder(&fixed),
			performance_fee: ladder(&performance),
			commitments: BoundedVec::truncate_from(commitments),
			document,
		};
		if rng.chance(7) {
			match rng.below(6) {
				0 => terms.capacity = 0,
				1 => terms.min_delegation = terms.max_delegation + 1,
				2 => terms.fixed_fee = ladder(&[(10 * NMR, 0), (5 * NMR, 0)]),
				3 => terms.fixed_fee = ladder(&[(Balance::MAX, terms.min_delegation)]),
				4 => terms.commitments = BoundedVec::new(),
				_ => {
					terms.document = Some(TermsDocument {
						hash: H256::zero(),
						uri: BoundedVec::truncate_from(b"has space".to_vec()),
					})
				},
			}
		}
		terms
	}

	fn caps(&mut self) -> FeeCaps {
		let rng = &mut self.rng;
		let mut caps = FeeCaps {
			max_performance_fee: Permill::from_parts(rng.range(0, 500_000) as u32),
			max_fixed_fee_per_round: Perbill::from_parts(rng.range(0, 10_000_000) as u32),
			max_performance_fee_increase: Permill::from_parts(rng.range(0, 200_000) as u32),
			min_fee_change_notice: if rng.chance(70) {
				rng.range(1, 8) as u32
			} else {
				rng.range(1, 60) as u32
			},
			max_commitment_term: rng.range(0, 520) as u32,
		};
		if rng.chance(15) {
			match rng.below(5) {
				0 => caps.max_performance_fee = Permill::from_percent(51),
				1 => caps.max_fixed_fee_per_round = Perbill::from_parts(10_000_001),
				2 => caps.max_performance_fee_increase = Permill::from_percent(21),
				3 => caps.min_fee_change_notice = rng.pick(&[0, 61]),
				_ => caps.max_commitment_term = 521,
			}
		}
		caps
	}

	fn protocol(&mut self) -> ProtocolParams {
		let rng = &mut self.rng;
		let mut p = ProtocolParams {
			activation_lag: if rng.chance(80) {
				rng.range(0, 2) as u32
			} else {
				rng.range(0, 10) as u32
			},
			bond_ratio: Perbill::from_percent(rng.range(5, 100) as u32),
			grace_rounds: rng.range(1, 20) as u32,
			model_cap: Perbill::from_percent(rng.range(1, 100) as u32),
			operator_cap: Perbill::from_percent(rng.range(1, 100) as u32),
			caps_from_total: if rng.chance(50) {
				100_000_000 * NMR
			} else {
				rng.range_u128(0, 1_000_000 * NMR)
			},
			fee_period: if rng.chance(70) {
				rng.range(5, 10) as u32
			} else {
				rng.range(5, 100) as u32
			},
		};
		if rng.chance(15) {
			match rng.below(7) {
				0 => p.activation_lag = 11,
				1 => p.bond_ratio = Perbill::from_percent(4),
				2 => p.grace_rounds = rng.pick(&[0, 21]),
				3 => p.model_cap = Perbill::zero(),
				4 => p.operator_cap = Perbill::zero(),
				5 => p.caps_from_total = 100_000_000 * NMR + 1,
				_ => p.fee_period = rng.pick(&[4, 101]),
			}
		}
		p
	}

	/// The next action.
	pub fn next_action(&mut self) -> Action {
		if let Some(a) = self.queue.pop_front() {
			return a;
		}
		let weights = [
			60,                                     // 0 open round
			25,                                     // 1 attest
			15,                                     // 2 register
			30,                                     // 3 set terms
			8,                                      // 4 commit version
			12,                                     // 5 consistency bond
			6,                                      // 6 grief
			2,                                      // 7 retire
			8,                                      // 8 deregister
			4,                                      // 9 expire claim
			35,                                     // 10 bond
			25,                                     // 11 unbond
			150,                                    // 12 delegate
			70,                                     // 13 request exit
			60,                                     // 14 withdraw
			15,                                     // 15 recommit
			40,                                     // 16 settle
			15,                                     // 17 catch up
			20,                                     // 18 exit fee shares
			15,                                     // 19 withdraw fee exit
			20,                                     // 20 claim owner payable
			4,                                      // 21 fee caps
			6,                                      // 22 protocol params
			5,                                      // 23 watch
			5,                                      // 24 unwatch
			3,                                      // 25 suspend
			5,                                      // 26 resume
			if self.mix.donations { 5 } else { 0 }, // 27 donate
			8,                                      // 28 advance blocks
			5,                                      // 29 stray result
		];
		match self.rng.weighted(&weights) {
			0 => self.open_round(),
			1 => {
				let model = self.model_in(&[ModelStatus::Pending]);
				let claimant = self.rng.chance(5).then(|| self.owner());
				let refute = self.rng.chance(10);
				Action::Attest { model, claimant, refute }
			},
			2 => {
				let free: Vec<u8> =
					(0..MODELS).filter(|m| status(&model_id(*m)).is_none()).collect();
				let model = if !free.is_empty() && self.rng.chance(80) {
					self.rng.pick(&free)
				} else {
					self.model()
				};
				Action::Register { owner: self.owner(), model }
			},
			3 => {
				let model = self.model_in(&[
					ModelStatus::Verified,
					ModelStatus::Active,
					ModelStatus::UnderBonded,
				]);
				let owner = self.owner_of(model);
				let caps = pallet_stake_delegation::Global::<Runtime>::get().caps;
				let previous = latest_terms(&model_id(model)).map(|(_, _, t)| t);
				let terms = Box::new(self.terms(&caps, previous.as_ref()));
				let offset = self.rng.chance(20).then(|| self.rng.range(0, 12) as u32);
				Action::SetTerms { owner, model, terms, offset }
			},
			4 => {
				let model = self.model();
				let owner = self.owner_of(model);
				let offset = self.rng.chance(30).then(|| self.rng.range(0, 8) as u32);
				Action::CommitVersion { owner, model, offset, hash: self.rng.below(256) as u8 }
			},
			5 => {
				let model = self.model();
				let owner = self.owner_of(model);
				match self.rng.weighted(&[6, 3, 3]) {
					0 => {
						let ratio = if self.rng.chance(90) {
							self.rng.pick(&[50, 100, 300, 1_000])
						} else {
							self.rng.pick(&[10, 2_000])
						};
						let amount = self.amount_nmr(&[10, 100, 1_000]);
						Action::PostConsistencyBond { owner, model, amount, ratio }
					},
					1 => {
						let part = self.part(30, 100 * NMR);
						Action::RequestBondWithdrawal { owner, model, part }
					},
					_ => Action::WithdrawConsistencyBond { owner, model },
				}
			},
			6 => {
				let (staker, model, _) = self.position(|_| true);
				Action::Grief { staker, model, amount: self.amount_nmr(&[1, 10]) }
			},
			7 => {
				let model = self.model();
				Action::Retire { owner: self.owner_of(model), model }
			},
			8 => {
				let model = self.model();
				Action::Deregister { owner: self.owner_of(model), model }
			},
			9 => {
				let model = self.model_in(&[ModelStatus::Pending]);
				Action::ExpireClaim { caller: self.staker(), model }
			},
			10 => {
				let model = self.model_in(&[
					ModelStatus::Verified,
					ModelStatus::Active,
					ModelStatus::UnderBonded,
					ModelStatus::Retiring,
				]);
				let owner = self.owner_of(model);
				let amount = match self.rng.weighted(&[5, 50, 45]) {
					0 => self.rng.range_u128(1, NMR),
					1 => self.needed_bond(model),
					_ => self.amount_nmr(&[100, 1_000, 10_000]),
				};
				Action::Bond { owner, model, amount }
			},
			11 => {
				let model = self.pool_model();
				let owner = self.pool_owner_of(model);
				Action::Unbond { owner, model, part: self.part(35, 1_000 * NMR) }
			},
			12 => {
				let model = self.model_in(&[ModelStatus::Active]);
				let amount = if self.rng.chance(90) {
					let p = self.rng.below(1_000);
					Amount::InTerms((p * p / 1_000) as u16)
				} else {
					Amount::Raw(self.amount_nmr(&[1, 100, 10_000]))
				};
				let term = if self.rng.chance(90) {
					TermPick::Offered(self.rng.below(4) as u8)
				} else {
					TermPick::Bogus(self.rng.range(1, 30) as u32)
				};
				let consent = match self.rng.weighted(&[92, 4, 4]) {
					0 => Consent::Latest,
					1 => Consent::StaleVersion,
					_ => Consent::WrongDocument,
				};
				Action::Delegate { staker: self.staker(), model, amount, term, consent }
			},
			13 => {
				let (staker, model, index) =
					self.position(|d| matches!(d.stage, Stage::Queued | Stage::Active));
				Action::RequestExit { staker, model, index }
			},
			14 => {
				let (staker, model, index) = self.position(|d| {
					matches!(d.stage, Stage::Exiting { .. } | Stage::QueuedExit { .. })
				});
				Action::Withdraw { staker, model, index }
			},
			15 => {
				let (staker, model, index) = self.position(|d| d.stage == Stage::Active);
				let term = if self.rng.chance(90) {
					TermPick::Offered(self.rng.below(4) as u8)
				} else {
					TermPick::Bogus(self.rng.range(0, 30) as u32)
				};
				let consent =
					if self.rng.chance(95) { Consent::Latest } else { Consent::StaleVersion };
				Action::Recommit { staker, model, index, term, consent }
			},
			16 => {
				let (staker, model, index) = self.position(|_| true);
				let max_periods = self.rng.range(0, 10) as u32;
				Action::Settle { caller: self.staker(), staker, model, index, max_periods }
			},
			17 => {
				let model = self.pool_model();
				Action::CatchUp { caller: self.staker(), model }
			},
			18 => {
				let model = self.pool_model();
				let owner = self.pool_owner_of(model);
				Action::ExitFeeShares { owner, model, part: self.part(50, NMR) }
			},
			19 => {
				let model = self.pool_model();
				let owner = self.pool_owner_of(model);
				let rounds: Vec<RoundIndex> =
					pallet_stake_delegation::FeeExits::<Runtime>::iter_key_prefix(model_id(model))
						.collect();
				let round = if !rounds.is_empty() && self.rng.chance(90) {
					self.rng.pick(&rounds)
				} else {
					current_round()
				};
				Action::WithdrawFeeExit { owner, model, round }
			},
			20 => {
				let model = self.pool_model();
				Action::ClaimOwnerPayable { owner: self.pool_owner_of(model), model }
			},
			21 => Action::SetFeeCaps(self.caps()),
			22 => Action::SetProtocolParams(self.protocol()),
			23 => {
				let furthest = if self.mix.far_watch { 5 } else { 1 };
				let offset = self.rng.chance(40).then(|| self.rng.range(1, furthest) as u32);
				Action::Watch { model: self.model(), offset }
			},
			24 => {
				let by = self.rng.chance(20).then(|| self.staker());
				Action::Unwatch { model: self.model(), by }
			},
			25 => Action::Suspend { model: self.model() },
			26 => Action::Resume { model: self.model_in(&[ModelStatus::Suspended]) },
			27 => {
				let amount = if self.rng.chance(50) {
					self.rng.range_u128(1, 1_000)
				} else {
					self.rng.range_u128(NMR / 1_000, 10 * NMR)
				};
				Action::Donate { staker: self.staker(), model: self.pool_model(), amount }
			},
			28 => Action::AdvanceBlocks(self.rng.range(1, 40) as u32),
			_ => {
				let kind = self.result_kind(Mode::Normal);
				Action::Result { model: self.model(), kind, quorum: self.quorum() }
			},
		}
	}
}
