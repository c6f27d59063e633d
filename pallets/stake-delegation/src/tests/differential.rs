//! The pallet against the eager reference (`reference.rs`), over a few hundred generated rounds
//! per seed with joins, exits (also before activation), commitments and recommitments, terms
//! changes inside fee periods, backing shortfalls, over-staking, missed rounds, bond shortfalls
//! and owner debt, near-wipe-outs and real epoch closes (also at price 0), the owner's fee exits
//! and claims, lazy settlement at random moments and oracle lag. After every round every
//! delegation's value and fees, and the pool's and owner's figures, agree to the planck; so does
//! every payout (exits, withdrawals, recommitment fees, fee exits, claims); total issuance never
//! changes (`build_and_execute`). The reference follows the design brief where the pallet's
//! first version did not: each performance-fee rate on the rise in its own rounds, partial
//! periods paid by immediate exits and at epoch closes, dust alone exposing nobody.

use super::{reference::*, *};
use numerstake_primitives::terms::Terms as GenericTerms;
use polkadot_sdk::frame_support::assert_ok;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);
impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n
	}
	fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}
}

/// Two sets of terms a model alternates between (the performance fee rises by 5 points at most).
fn terms_a() -> GenericTerms<u128> {
	basic_terms()
}
fn terms_b() -> GenericTerms<u128> {
	Terms {
		fixed_fee: ladder(&[(1_000 * NMR, NMR / 200), (100_000 * NMR, NMR / 5)]),
		performance_fee: ladder(&[
			(1_000 * NMR, Permill::from_percent(25)),
			(Balance::MAX, Permill::from_percent(15)),
		]),
		commitments: BoundedVec::truncate_from(vec![
			CommitmentOption { term_rounds: 0, discount: Permill::from_percent(5) },
			CommitmentOption { term_rounds: 10, discount: Permill::from_percent(15) },
			CommitmentOption { term_rounds: 20, discount: Permill::from_percent(25) },
		]),
		..basic_terms()
	}
}

struct Run {
	rng: Rng,
	reference: Reference,
	stakers: Vec<AccountId>,
	terms_b_next: bool,
	min_price: u128,
	/// Exits asked after the first round opened but before activation.
	pre_exits: usize,
	/// Rounds left in an oracle stall: nobody touches the pool, no result is finalised.
	stall: u32,
	/// Results applied from the deferred queue.
	deferred: usize,
	/// Commitments renewed.
	recommits: usize,
}

impl Run {
	fn m(&self) -> ModelId {
		model()
	}

	fn compare(&self, context: &str) {
		let m = self.m();
		let p = pool(m);
		let r = &self.reference;
		assert_eq!(p.ledger.price, r.price, "{context}: price");
		assert_eq!(p.ledger.shares, r.shares, "{context}: shares");
		assert_eq!(p.ledger.exit_pot, r.exit_pot, "{context}: exit pot");
		assert_eq!((p.book.bond, p.book.debt), (r.bond, r.debt), "{context}: bond and debt");
		assert_eq!(p.book.payable, r.owner_payable, "{context}: owner payable");
		assert_eq!(p.ledger.epoch, r.epoch, "{context}: epoch");
		assert_eq!(bond_held(OWNER), r.bond, "{context}: bond hold");
		let views = positions_of_all(m);
		for (i, d) in r.delegations.iter().enumerate() {
			let view = views.iter().find(|v| v.index == i as u32);
			match (d.st, view) {
				(St::Gone, None) => {},
				(St::Gone, Some(_)) => panic!("{context}: delegation {i} should be gone"),
				(_, None) => panic!("{context}: delegation {i} missing ({:?})", d.st),
				(st, Some(v)) => {
					assert_eq!(
						v.value,
						r.value_of(i),
						"{context}: value of delegation {i} ({st:?})"
					);
					assert_eq!(
						v.fees_paid, d.fees_paid,
						"{context}: fees of delegation {i} ({st:?})"
					);
					let released = matches!(st, St::Released(_));
					assert_eq!(
						v.stage == pallet_stake_delegation_runtime_api::PositionStage::Withdrawable,
						released,
						"{context}: stage of delegation {i}"
					);
				},
			}
		}
	}

	/// Calls the pallet's `request_exit`, settling first if it asks to.
	fn exit(&mut self, i: usize) {
		let who = self.stakers[i];
		let m = self.m();
		let d = &self.reference.delegations[i];
		if d.st == St::Queued && d.first_round <= CurrentRound::get() {
			self.pre_exits += 1;
		}
		let before = free(who);
		let mut outcome = StakeDelegation::request_exit(RuntimeOrigin::signed(who), m, i as u32);
		while outcome == Err(Error::<Test>::SettleFirst.into()) {
			assert_ok!(StakeDelegation::settle(RuntimeOrigin::signed(DAVE), who, m, i as u32, 8));
			outcome = StakeDelegation::request_exit(RuntimeOrigin::signed(who), m, i as u32);
		}
		match outcome {
			Ok(()) => {
				let paid = self.reference.request_exit(i);
				assert_eq!(free(who) - before, paid.unwrap_or(0), "exit payout of delegation {i}");
			},
			Err(e) => panic!("exit of delegation {i} refused: {e:?}"),
		}
	}

	/// Commits an active delegation for another term, if its commitment (if any) has ended.
	fn recommit(&mut self, i: usize) {
		let who = self.stakers[i];
		let m = self.m();
		let term = [10, 20][self.rng.below(2) as usize];
		let version = self.reference.terms.len() as u32 - 1;
		let before = free(who);
		let call =
			|| StakeDelegation::recommit(RuntimeOrigin::signed(who), m, i as u32, term, version);
		let mut outcome = call();
		while outcome == Err(Error::<Test>::SettleFirst.into()) {
			assert_ok!(StakeDelegation::settle(RuntimeOrigin::signed(DAVE), who, m, i as u32, 8));
			outcome = call();
		}
		match outcome {
			Ok(()) => {
				let prepaid = self.reference.recommit(i, term);
				assert_eq!(before - free(who), prepaid, "recommitment of delegation {i}");
				self.recommits += 1;
			},
			Err(e) if e == Error::<Test>::Locked.into() => {},
			Err(e) => panic!("recommitment of delegation {i} refused: {e:?}"),
		}
	}

	fn withdraw(&mut self, i: usize) {
		let who = self.stakers[i];
		let m = self.m();
		let before = free(who);
		let mut outcome = StakeDelegation::withdraw(RuntimeOrigin::signed(who), m, i as u32);
		while outcome == Err(Error::<Test>::SettleFirst.into()) {
			assert_ok!(StakeDelegation::settle(RuntimeOrigin::signed(DAVE), who, m, i as u32, 8));
			outcome = StakeDelegation::withdraw(RuntimeOrigin::signed(who), m, i as u32);
		}
		assert_ok!(outcome);
		let (paid, _) = self.reference.withdraw(i);
		assert_eq!(free(who) - before, paid, "withdrawal of delegation {i}");
	}

	/// What the owner does with the fee position and what the pool owes them, mirrored in the
	/// reference; every payout agrees to the planck.
	fn owner_moves(&mut self) {
		let m = self.m();
		// Fee shares reach the owner's position as delegations are settled (lazily).
		let owner_shares = pool(m).ledger.owner_shares;
		if owner_shares > 0 && self.reference.debt == 0 && self.rng.chance(8) {
			let shares = if self.rng.chance(50) { owner_shares } else { owner_shares / 2 + 1 };
			let before = free(OWNER);
			if StakeDelegation::exit_fee_shares(RuntimeOrigin::signed(OWNER), m, shares).is_ok() {
				let paid = self.reference.exit_fee_shares(shares).unwrap_or(0);
				assert_eq!(free(OWNER) - before, paid, "immediate fee exit");
			}
		}
		let released: Vec<RoundIndex> = self
			.reference
			.fee_exits
			.iter()
			.filter(|(_, (_, price))| price.is_some())
			.map(|(r, _)| *r)
			.collect();
		for round in released {
			if !self.rng.chance(40) {
				continue;
			}
			let before = free(OWNER);
			if std::env::var("DIFF_DEBUG").is_ok() {
				eprintln!("fee exit {round}: debt pallet {} ref {}, exit {:?}; pallet {:?} {:?} epoch {} closes {:?}", pool(m).book.debt, self.reference.debt, self.reference.fee_exits.get(&round), FeeExits::<Test>::get(m, round), Exits::<Test>::get(m, round), pool(m).ledger.epoch, EpochCloses::<Test>::iter_prefix(m).collect::<Vec<_>>());
			}
			assert_ok!(StakeDelegation::withdraw_fee_exit(RuntimeOrigin::signed(OWNER), m, round));
			let paid = self.reference.withdraw_fee_exit(round);
			assert_eq!(free(OWNER) - before, paid, "fee exit of round {round}");
		}
		if self.reference.owner_payable > 0 && self.rng.chance(10) {
			let before = free(OWNER);
			assert_ok!(StakeDelegation::claim_owner_payable(RuntimeOrigin::signed(OWNER), m));
			let paid = self.reference.claim_owner_payable();
			assert_eq!(free(OWNER) - before, paid, "owner's claim");
		}
	}

	fn open_and_settle(&mut self, lag: RoundIndex) {
		open_round();
		self.reference.open_round();
		if self.stall > 0 {
			self.stall -= 1;
			if self.stall > 0 {
				return;
			}
			// The stall ends: the oracle's backlog arrives before anyone touched the pool.
		}
		let current = CurrentRound::get();
		for _ in 0..2 {
			self.settle_next(lag, current);
		}
		while StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), self.m()).is_ok() {}
	}

	/// The oracle finalises the next round of the model if it is at least `lag` rounds old.
	fn settle_next(&mut self, lag: RoundIndex, current: RoundIndex) {
		let p = pool(self.m());
		let queued = p.deferred.map_or(0, |(_, n)| n);
		let next = p.last_finalised.map_or(START_ROUND, |l| l + 1) + queued;
		if queued > 0 {
			self.deferred += 1;
		}
		if next + lag <= current {
			let req = self.reference.requirement(next);
			let rng = &mut self.rng;
			let crash = rng.chance(2) && self.reference.price > ONE / 50;
			// Now and then a round burns the whole stake (an epoch close, possibly at price 0).
			let wipe = rng.below(200) == 0;
			let bp: i128 = if wipe {
				-10_000
			} else if crash {
				-6_000
			} else {
				rng.below(700) as i128 - 320
			};
			let result = match rng.below(100) {
				0..=4 => None,
				5..=12 => Some(req * 6 / 10),
				13..=22 => Some(req * 12 / 10),
				_ => Some(req),
			};
			match result {
				None => {
					finalize(self.m(), next, RoundReturn::NotSubmitted);
					self.reference.finalize(next, None);
				},
				Some(at_risk) => {
					let payout = at_risk as i128 * bp / 10_000;
					resolve(self.m(), next, at_risk, payout);
					self.reference.finalize(next, Some((at_risk, payout)));
				},
			}
			if std::env::var("DIFF_DEBUG").is_ok() {
				let p = pool(self.m());
				eprintln!(
					"round {next} (current {current}): req pallet {} ref {}, price pallet {} ref {}, deferred {:?}",
					requirement_of(self.m(), next), req, p.ledger.price, self.reference.price, p.deferred
				);
			}
		}
	}

	fn step(&mut self) {
		let m = self.m();
		let current = CurrentRound::get();
		if self.stall > 0 {
			self.open_and_settle(3);
			return;
		}
		if self.rng.chance(2) {
			self.stall = 6 + self.rng.below(6) as u32;
		}
		// After a stall, whoever acts first brings the pool up to date.
		while StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m).is_ok() {}
		// Joins.
		for _ in 0..self.rng.below(4) {
			let who = 10 + self.rng.below(30) as AccountId;
			let principal = (10 + self.rng.below(3_000)) as Balance * NMR
				+ self.rng.below(NMR as u64) as Balance;
			let term = [0, 0, 10, 20][self.rng.below(4) as usize];
			let version = self.reference.terms.len() as u32 - 1;
			if StakeDelegation::delegate(
				RuntimeOrigin::signed(who),
				m,
				principal,
				term,
				version,
				None,
			)
			.is_ok()
			{
				let i = self.reference.delegate(principal, term);
				assert_eq!(i, self.stakers.len());
				self.stakers.push(who);
			}
		}
		// Exits, withdrawals, lazy settlement at random moments.
		for i in 0..self.stakers.len() {
			match self.reference.delegations[i].st {
				St::Queued | St::Active if self.rng.chance(3) => self.exit(i),
				St::Released(_) if self.rng.chance(40) => self.withdraw(i),
				St::Active if self.rng.chance(2) => self.recommit(i),
				St::Active | St::Exiting(_) if self.rng.chance(10) => {
					assert_ok!(StakeDelegation::settle(
						RuntimeOrigin::signed(DAVE),
						self.stakers[i],
						m,
						i as u32,
						1
					));
				},
				_ => {},
			}
		}
		// New terms now and then, announced with the minimum notice.
		if self.rng.chance(3) {
			let terms = if self.terms_b_next { terms_b() } else { terms_a() };
			let effective = current + 5;
			if Registry::set_terms(RuntimeOrigin::signed(OWNER), m, terms.clone(), Some(effective))
				.is_ok()
			{
				self.reference.publish_terms(effective, terms);
				self.terms_b_next = !self.terms_b_next;
			}
		}
		// The owner tops the bond up, or (rarely) takes out what is allowed.
		if self.rng.chance(15) {
			let amount = (1 + self.rng.below(600)) as Balance * NMR;
			assert_ok!(StakeDelegation::bond(RuntimeOrigin::signed(OWNER), m, amount));
			self.reference.bond_more(amount);
		} else if self.rng.chance(3) {
			let amount = self.reference.bond / 4;
			if amount > 0
				&& StakeDelegation::unbond(RuntimeOrigin::signed(OWNER), m, amount).is_ok()
			{
				self.reference.unbond(amount);
			}
		}
		// The owner takes fee shares out, withdraws released fee exits and claims what the pool
		// owes them.
		self.owner_moves();
		// The oracle lags a few rounds behind, sometimes more.
		let lag = if self.rng.chance(10) { 1 } else { 3 };
		self.open_and_settle(lag);
	}
}

/// What a run exercised.
#[derive(Default, Debug)]
struct Coverage {
	delegations: usize,
	committed: usize,
	cancelled: usize,
	exits_before_activation: usize,
	freed_exits: usize,
	backing_breaches: usize,
	debts: usize,
	under_bonded: usize,
	deferred: usize,
	terms_versions: usize,
	lowest_price: u128,
	epoch_closes: usize,
	fee_exits: usize,
	owner_claims: usize,
	recommits: usize,
}

fn differential(seed: u64, rounds: u32) -> Coverage {
	let mut coverage = Coverage::default();
	build_and_execute(|| {
		let m = model_with(terms_a(), 2_000 * NMR);
		let mut run = Run {
			rng: Rng(seed),
			reference: Reference::new(START_ROUND, 5, 2_000 * NMR, terms_a()),
			stakers: vec![],
			terms_b_next: true,
			min_price: ONE,
			pre_exits: 0,
			stall: 0,
			deferred: 0,
			recommits: 0,
		};
		for round in 0..rounds {
			run.step();
			run.min_price = run.min_price.min(run.reference.price);
			run.compare(&format!("seed {seed}, step {round}"));
		}
		// Everyone leaves; the rounds run out; everyone withdraws.
		run.stall = 0;
		while StakeDelegation::catch_up(RuntimeOrigin::signed(DAVE), m).is_ok() {}
		for i in 0..run.stakers.len() {
			if matches!(run.reference.delegations[i].st, St::Queued | St::Active) {
				run.exit(i);
			}
		}
		for _ in 0..40 {
			run.open_and_settle(1);
			run.compare(&format!("seed {seed}, wind-down"));
		}
		for i in 0..run.stakers.len() {
			if matches!(run.reference.delegations[i].st, St::Released(_)) {
				run.withdraw(i);
			}
		}
		let fee_exits: Vec<RoundIndex> = run.reference.fee_exits.keys().copied().collect();
		for round in fee_exits {
			assert_ok!(StakeDelegation::withdraw_fee_exit(RuntimeOrigin::signed(OWNER), m, round));
			run.reference.withdraw_fee_exit(round);
		}
		run.compare(&format!("seed {seed}, end"));
		let evs = events();
		let count = |f: &dyn Fn(&Event<Test>) -> bool| evs.iter().filter(|e| f(e)).count();
		coverage = Coverage {
			delegations: run.stakers.len(),
			committed: run.reference.delegations.iter().filter(|d| d.prepaid > 0).count(),
			cancelled: count(&|e| matches!(e, Event::DelegationCancelled { .. })),
			exits_before_activation: run.pre_exits,
			freed_exits: count(&|e| matches!(e, Event::ExitRequested { freed: Some(_), .. })),
			backing_breaches: count(&|e| matches!(e, Event::BackingBreach { .. })),
			debts: count(&|e| matches!(e, Event::OwnerDebtIncurred { .. })),
			under_bonded: count(&|e| matches!(e, Event::UnderBonded { .. })),
			deferred: run.deferred,
			terms_versions: run.reference.terms.len(),
			lowest_price: run.min_price,
			epoch_closes: count(&|e| matches!(e, Event::EpochClosed { .. })),
			fee_exits: count(&|e| matches!(e, Event::FeeSharesExiting { .. })),
			owner_claims: count(&|e| matches!(e, Event::OwnerPaid { .. })),
			recommits: run.recommits,
		};
		eprintln!("seed {seed:#x}: {coverage:?}");
		assert!(run.reference.delegations.iter().all(|d| d.st == St::Gone), "everyone left");
		assert_eq!(
			pool(m).ledger.owner_shares,
			run.reference.owner_shares,
			"the owner's fee position"
		);
		assert_eq!(pool(m).delegations, 0);
		assert!(run.stakers.len() > 20, "the scenario exercised enough delegations");
	});
	coverage
}

#[test]
fn the_pallet_agrees_with_the_eager_reference_to_the_planck() {
	let seeds = [
		0x9e37_79b9_7f4a_7c15,
		0xdead_beef_cafe_f00d,
		0x0123_4567_89ab_cdef,
		0x5851_f42d_4c95_7f2d,
		0x2545_f491_4f6c_dd1d,
	];
	let runs: Vec<Coverage> = seeds.iter().map(|&seed| differential(seed, 300)).collect();
	let total = |f: fn(&Coverage) -> usize| runs.iter().map(f).sum::<usize>();
	// Together the runs exercised every path the differential is meant to check.
	assert!(total(|c| c.delegations) > 150);
	assert!(total(|c| c.committed) > 50);
	assert!(total(|c| c.cancelled) > 0);
	assert!(total(|c| c.exits_before_activation) > 0);
	assert!(total(|c| c.freed_exits) > 0);
	assert!(total(|c| c.backing_breaches) > 0);
	assert!(total(|c| c.debts) > 0);
	assert!(total(|c| c.under_bonded) > 0);
	assert!(total(|c| c.deferred) > 0);
	assert!(total(|c| c.terms_versions) > 10);
	assert!(runs.iter().any(|c| c.lowest_price < ONE / 10), "a near-wipe-out");
	assert!(total(|c| c.epoch_closes) > 0, "a real epoch close");
	assert!(total(|c| c.fee_exits) > 0 && total(|c| c.owner_claims) > 0);
	assert!(total(|c| c.recommits) > 0, "commitments renewed");
}
