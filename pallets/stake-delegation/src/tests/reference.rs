//! A deliberately naive, eager model of the money rules of the design brief, written apart from
//! the pallet (its own 256-bit arithmetic, no cohorts, no lazy cursors): when a round opens it
//! sums the exposure over every delegation; when a round is finalised it activates, pays,
//! burns and charges every delegation directly, and at each fee-period end it charges every
//! delegation's fees. The differential test runs it beside the pallet.
//!
//! It shares with the pallet only the contract: the formulas and rounding directions of the
//! design (shares `floor(P * 1e18 / price)`, gains rounded up and paid from the bond, losses
//! rounded down, prices rounded so the pool never owes more than it holds, cohorts converted
//! and exit cohorts paid in aggregate, fees per run of rounds at one terms version).

use numerstake_primitives::{terms::Terms, RoundIndex};
use polkadot_sdk::{
	sp_core::U256,
	sp_runtime::{traits::Saturating, Perbill, Permill},
};
use std::collections::BTreeMap;

pub const ONE: u128 = 1_000_000_000_000_000_000;
const FLOOR: u128 = ONE / 1_000_000;
const CEILING: u128 = ONE * ONE;

fn muldiv(a: u128, b: u128, c: u128, up: bool) -> u128 {
	let p = U256::from(a) * U256::from(b);
	let c = U256::from(c);
	let (q, r) = p.div_mod(c);
	let q = if up && !r.is_zero() { q + 1 } else { q };
	q.try_into().expect("reference amounts fit in u128")
}

/// `a * b / c` rounded down, at most `u128::MAX`.
fn muldiv_saturating(a: u128, b: u128, c: u128) -> u128 {
	let q = U256::from(a) * U256::from(b) / U256::from(c);
	q.try_into().unwrap_or(u128::MAX)
}

fn value(shares: u128, price: u128) -> u128 {
	muldiv(shares, price, ONE, false)
}

fn shares(amount: u128, price: u128) -> u128 {
	muldiv(amount, ONE, price, false)
}

/// Where a reference delegation stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum St {
	Queued,
	QueuedExit(RoundIndex),
	Active,
	Exiting(RoundIndex),
	/// Paid out at `withdraw` at this price.
	Released(u128),
	Gone,
}

#[derive(Clone, Debug)]
pub struct RefDelegation {
	pub principal: u128,
	pub prepaid: u128,
	pub first_round: RoundIndex,
	pub joined: u32,
	pub st: St,
	pub shares: u128,
	pub owed: u128,
	pub hwm: u128,
	pub fees_paid: u128,
	/// (start, end, version, discount)
	pub commitments: Vec<(RoundIndex, RoundIndex, u32, Permill)>,
	/// Closed runs since the last charge: (per-round fee, rolling discount, served rounds).
	runs: Vec<(u128, Permill, u32)>,
	/// Closed runs since the last charge: (performance-fee rate, price after the run).
	perf_runs: Vec<(Permill, u128)>,
	/// The open run: (version, start of the binding commitment, served rounds).
	run: Option<(u32, Option<RoundIndex>, u32)>,
	/// The version of the latest exposed round.
	version: u32,
}

pub struct Reference {
	pub fee_period: RoundIndex,
	pub bond_ratio: Perbill,
	pub grace: RoundIndex,
	pub lag: RoundIndex,
	pub current: RoundIndex,
	pub last_finalised: Option<RoundIndex>,
	pub price: u128,
	pub epoch: u32,
	pub shares: u128,
	/// Aggregate shares of exit cohorts, by last round.
	pub exit_shares: BTreeMap<RoundIndex, u128>,
	pub exit_pot: u128,
	pub bond: u128,
	pub debt: u128,
	pub owner_payable: u128,
	pub owner_shares: u128,
	/// The owner's fee shares leaving, by last round: shares and, once released, the price.
	pub fee_exits: BTreeMap<RoundIndex, (u128, Option<u128>)>,
	req: BTreeMap<RoundIndex, u128>,
	served: BTreeMap<RoundIndex, bool>,
	/// The price after each settled round's return and exits (before an epoch close).
	price_after: BTreeMap<RoundIndex, u128>,
	pub next_period_end: RoundIndex,
	pub last_breach: Option<RoundIndex>,
	pub under_bonded_since: Option<RoundIndex>,
	pub delegations: Vec<RefDelegation>,
	pub terms: Vec<(RoundIndex, Terms<u128>)>,
}

fn rolling_discount(t: &Terms<u128>) -> Permill {
	t.commitment(0).map_or(Permill::zero(), |c| c.discount)
}

fn fixed(per_round: u128, served: u32, discount: Permill) -> u128 {
	let gross = per_round * u128::from(served);
	gross - discount.mul_ceil(gross)
}

impl Reference {
	pub fn new(
		current: RoundIndex,
		fee_period: RoundIndex,
		bond: u128,
		terms: Terms<u128>,
	) -> Self {
		let mut end = current + 1;
		while !(end + 1).is_multiple_of(fee_period) {
			end += 1;
		}
		Reference {
			fee_period,
			bond_ratio: Perbill::from_percent(25),
			grace: 5,
			lag: 1,
			current,
			last_finalised: None,
			price: ONE,
			epoch: 0,
			shares: 0,
			exit_shares: BTreeMap::new(),
			exit_pot: 0,
			bond,
			debt: 0,
			owner_payable: 0,
			owner_shares: 0,
			fee_exits: BTreeMap::new(),
			req: BTreeMap::new(),
			served: BTreeMap::new(),
			price_after: BTreeMap::new(),
			next_period_end: end,
			last_breach: None,
			under_bonded_since: None,
			delegations: Vec::new(),
			terms: vec![(current + 1, terms)],
		}
	}

	fn terms_in_force(&self, round: RoundIndex, at_least: u32) -> u32 {
		let mut v = at_least;
		while let Some((effective, _)) = self.terms.get(v as usize + 1) {
			if *effective > round {
				break;
			}
			v += 1;
		}
		v
	}

	/// Shares and principal exposed to round `n`, walking every delegation.
	fn exposure(&self, n: RoundIndex) -> u128 {
		let mut s = self.owner_shares;
		let mut p = 0;
		for d in &self.delegations {
			match d.st {
				St::Active => s += d.shares,
				St::Queued if d.first_round <= n => p += d.principal,
				St::QueuedExit(l) if d.first_round <= n && l >= n => p += d.principal,
				_ => {},
			}
		}
		// Exiting positions are counted through their cohorts' aggregates.
		for (l, x) in &self.exit_shares {
			if *l >= n {
				s += x;
			}
		}
		// Dust: shares nobody holds (activation left-overs) move with the positions, but alone
		// they expose nobody.
		let held: u128 =
			self.delegations.iter().filter(|d| d.st == St::Active).map(|d| d.shares).sum::<u128>()
				+ self.owner_shares
				+ self.exit_shares.values().sum::<u128>();
		if s > 0 {
			s += self.shares - held;
		}
		value(s, self.price) + p
	}

	/// The requirement recorded for round `n`.
	pub fn requirement(&self, n: RoundIndex) -> u128 {
		self.req.get(&n).copied().unwrap_or(0)
	}

	pub fn open_round(&mut self) {
		self.current += 1;
		let n = self.current;
		self.req.insert(n, self.exposure(n));
	}

	pub fn delegate(&mut self, principal: u128, term: RoundIndex) -> usize {
		let v = self.terms.len() as u32 - 1;
		let t = &self.terms[v as usize].1;
		let option = t.commitment(term).expect("offered");
		let prepaid = if term == 0 {
			0
		} else {
			fixed(t.fixed_fee_per_round(principal), term, option.discount)
		};
		let first_round = self.current + 1 + self.lag;
		let commitments = if term == 0 {
			vec![]
		} else {
			vec![(first_round, first_round + term - 1, v, option.discount)]
		};
		self.delegations.push(RefDelegation {
			principal,
			prepaid,
			first_round,
			joined: v,
			st: St::Queued,
			shares: 0,
			owed: 0,
			hwm: 0,
			fees_paid: 0,
			commitments,
			runs: vec![],
			perf_runs: vec![],
			run: None,
			version: v,
		});
		self.delegations.len() - 1
	}

	/// A staker asks to exit; returns what is paid at once (cancel or immediate exit).
	pub fn request_exit(&mut self, i: usize) -> Option<u128> {
		let current = self.current;
		let d = &self.delegations[i];
		if d.st == St::Queued && current < d.first_round {
			let refund = d.principal + d.prepaid;
			self.delegations[i].st = St::Gone;
			return Some(refund);
		}
		let binding = d.commitments.iter().filter(|c| c.1 > current).max_by_key(|c| c.1).copied();
		let last = match binding {
			None => current,
			Some((start, end, _, _)) => {
				let freed = self.under_bonded_since.is_some_and(|s| current >= s + self.grace)
					|| self.last_breach.is_some_and(|b| b >= start);
				if freed {
					current
				} else {
					end
				}
			},
		};
		let d = &mut self.delegations[i];
		match d.st {
			St::Queued => {
				d.st = St::QueuedExit(last);
				None
			},
			St::Active if self.last_finalised.is_some_and(|l| last <= l) => {
				// It leaves now, paying its partial period's fees at its last round.
				let at_last = self.price_after[&last];
				let fee_shares = self.charge(i, last, at_last);
				let d = &mut self.delegations[i];
				let paid = value(d.shares - fee_shares, self.price);
				let fee = value(fee_shares, self.price);
				self.shares -= d.shares;
				d.st = St::Gone;
				self.credit_owner(fee);
				Some(paid)
			},
			St::Active => {
				d.st = St::Exiting(last);
				*self.exit_shares.entry(last).or_default() += d.shares;
				None
			},
			_ => panic!("reference: exit of a leaving delegation"),
		}
	}

	/// An active delegation commits for another `term` rounds from the next round at the
	/// latest terms, prepaying the term's fixed fee (the owner's at once); returns the fee.
	pub fn recommit(&mut self, i: usize, term: RoundIndex) -> u128 {
		let v = self.terms.len() as u32 - 1;
		let t = &self.terms[v as usize].1;
		let option = t.commitment(term).expect("offered");
		let d = &mut self.delegations[i];
		let prepaid = fixed(t.fixed_fee_per_round(d.principal), term, option.discount);
		d.commitments.push((self.current + 1, self.current + term, v, option.discount));
		d.prepaid += prepaid;
		self.credit_owner(prepaid);
		prepaid
	}

	/// Pays a released delegation: (to the staker, fees to the owner).
	pub fn withdraw(&mut self, i: usize) -> (u128, u128) {
		let d = &mut self.delegations[i];
		let St::Released(price) = d.st else { panic!("reference: withdraw of {:?}", d.st) };
		let to_staker = value(d.shares - d.owed, price);
		let fee = value(d.owed, price);
		d.st = St::Gone;
		self.exit_pot -= to_staker + fee;
		self.credit_owner(fee);
		(to_staker, fee)
	}

	pub fn bond_more(&mut self, amount: u128) {
		let repaid = amount.min(self.debt);
		self.repay(repaid);
		self.bond += amount - repaid;
		self.check_bond();
	}

	pub fn unbond(&mut self, amount: u128) {
		self.bond -= amount;
	}

	/// The owner queues `shares` of the fee position to leave after the latest opened round;
	/// returns what is paid at once if that round is settled already.
	pub fn exit_fee_shares(&mut self, shares: u128) -> Option<u128> {
		self.owner_shares -= shares;
		if self.last_finalised.is_some_and(|l| self.current <= l) {
			self.shares -= shares;
			return Some(value(shares, self.price));
		}
		*self.exit_shares.entry(self.current).or_default() += shares;
		self.fee_exits.entry(self.current).or_default().0 += shares;
		None
	}

	/// The owner withdraws the fee shares that left after `round`: what the owner receives
	/// (debt is repaid first).
	pub fn withdraw_fee_exit(&mut self, round: RoundIndex) -> u128 {
		let (shares, price) = self.fee_exits.remove(&round).expect("a released fee exit");
		let amount = value(shares, price.expect("released"));
		self.exit_pot -= amount;
		let repaid = amount.min(self.debt);
		self.repay(repaid);
		amount - repaid
	}

	/// The owner claims what the pool owes them: what the owner receives (debt first).
	pub fn claim_owner_payable(&mut self) -> u128 {
		let payable = self.owner_payable;
		let repaid = payable.min(self.debt);
		self.repay(repaid);
		self.owner_payable = 0;
		payable - repaid
	}

	pub fn publish_terms(&mut self, effective: RoundIndex, terms: Terms<u128>) {
		self.terms.push((effective, terms));
	}

	/// Debt repaid into the pool raises the price of every share, unless no staker holds
	/// shares any more (the owner's fee position must not get its own repayment back).
	fn repay(&mut self, amount: u128) {
		if amount == 0 {
			return;
		}
		let stakers: u128 =
			self.delegations.iter().filter(|d| d.st == St::Active).map(|d| d.shares).sum::<u128>()
				+ self.exit_shares.values().sum::<u128>();
		if stakers > 0 {
			let room = muldiv_saturating(CEILING - self.price, self.shares, ONE);
			self.price += muldiv(amount.min(room), ONE, self.shares, false);
		}
		self.debt -= amount;
	}

	fn credit_owner(&mut self, amount: u128) {
		let repaid = amount.min(self.debt);
		self.repay(repaid);
		self.owner_payable += amount - repaid;
	}

	/// The oracle finalised round `r` with `(at_risk, payout)` or `None` (not submitted).
	pub fn finalize(&mut self, r: RoundIndex, result: Option<(u128, i128)>) {
		let req = self.req.get(&r).copied().unwrap_or(0);
		let price = self.price;
		// 1. Activation, cohort by cohort.
		let members: Vec<usize> = (0..self.delegations.len())
			.filter(|&i| {
				self.delegations[i].first_round == r
					&& matches!(self.delegations[i].st, St::Queued | St::QueuedExit(_))
			})
			.collect();
		let staying: u128 = members
			.iter()
			.filter(|&&i| self.delegations[i].st == St::Queued)
			.map(|&i| self.delegations[i].principal)
			.sum();
		self.shares += shares(staying, price);
		let mut by_exit: BTreeMap<RoundIndex, u128> = BTreeMap::new();
		let mut prepaid = 0;
		for &i in &members {
			let d = &mut self.delegations[i];
			prepaid += d.prepaid;
			d.shares = shares(d.principal, price);
			d.hwm = price;
			d.version = d.joined;
			match d.st {
				St::QueuedExit(l) => {
					*by_exit.entry(l).or_default() += d.principal;
					d.st = St::Exiting(l);
				},
				_ => d.st = St::Active,
			}
		}
		for (l, p) in by_exit {
			let s = shares(p, price);
			self.shares += s;
			*self.exit_shares.entry(l).or_default() += s;
		}
		self.credit_owner(prepaid);

		// 2. The return.
		let (submitted, breach) = match result {
			Some((at_risk, payout)) if at_risk > 0 && req > 0 => {
				let exposed = req.min(at_risk);
				let m = payout.unsigned_abs();
				if payout > 0 {
					let room = muldiv_saturating(CEILING - self.price, self.shares, ONE);
					let gain = muldiv(m, exposed, at_risk, true).min(room);
					let paid = gain.min(self.bond);
					self.bond -= paid;
					self.debt += gain - paid;
					if self.shares > 0 {
						self.price += muldiv(paid, ONE, self.shares, false);
					}
				} else if payout < 0 {
					let loss =
						muldiv(m, exposed, at_risk, false).min(value(self.shares, self.price));
					let repaid = loss.min(self.debt);
					self.debt -= repaid;
					if self.shares > 0 {
						self.price -= muldiv(loss - repaid, ONE, self.shares, true);
					}
					self.owner_payable += loss - repaid;
				}
				(true, at_risk < req)
			},
			Some((at_risk, _)) => (at_risk > 0, false),
			None => (false, false),
		};
		if breach || (!submitted && req > 0) {
			self.last_breach = Some(self.last_breach.map_or(r, |b| b.max(r)));
		}

		// 3. The exit cohort leaves.
		if let Some(x) = self.exit_shares.remove(&r) {
			self.exit_pot += value(x, self.price);
			self.shares -= x;
		}
		// (A fee exit of a closed epoch was paid at the close.)
		if let Some(exit) = self.fee_exits.get_mut(&r) {
			exit.1.get_or_insert(self.price);
		}
		let served = submitted && !breach;
		self.served.insert(r, served);
		self.price_after.insert(r, self.price);

		// 4. Every exposed delegation's fee run.
		for i in 0..self.delegations.len() {
			let exposed = match self.delegations[i].st {
				St::Active => self.delegations[i].first_round <= r,
				St::Exiting(l) => l >= r,
				_ => false,
			};
			if !exposed {
				continue;
			}
			let v = self.terms_in_force(r, self.delegations[i].version);
			let before = r.checked_sub(1).and_then(|b| self.price_after.get(&b)).copied();
			let d = &mut self.delegations[i];
			d.version = v;
			let committed = d.commitments.iter().find(|c| c.0 <= r && r <= c.1).map(|c| c.0);
			match d.run {
				Some((rv, rc, _)) if rv == v && rc == committed => {},
				Some(run) => {
					Self::close_run(&self.terms, d, run, before.unwrap_or(d.hwm));
					d.run = Some((v, committed, 0));
				},
				None => d.run = Some((v, committed, 0)),
			}
			let committed = committed.is_some();
			if served && !committed {
				if let Some(run) = d.run.as_mut() {
					run.2 += 1;
				}
			}
		}

		// 5. Fees at the period end, and at the last round of exiting positions.
		let period_end = r == self.next_period_end;
		if period_end {
			let mut next = r + 1;
			while !(next + 1).is_multiple_of(self.fee_period) {
				next += 1;
			}
			self.next_period_end = next;
		}
		let price = self.price;
		for i in 0..self.delegations.len() {
			let due = match self.delegations[i].st {
				St::Active => period_end && self.delegations[i].first_round <= r,
				St::Exiting(l) => l == r || (period_end && l > r),
				_ => false,
			};
			if !due {
				continue;
			}
			let fee_shares = self.charge(i, r, price);
			let d = &mut self.delegations[i];
			if d.st == St::Active {
				d.shares -= fee_shares;
				self.owner_shares += fee_shares;
			} else {
				d.owed += fee_shares;
			}
			if d.st == St::Exiting(r) {
				d.st = St::Released(price);
			}
		}

		// 6. A wipe-out closes the epoch: every position still in pays its partial period at
		// the close and is paid out at the close price.
		if self.shares > 0 && self.price < FLOOR {
			let total = value(self.shares, self.price);
			let owner = value(self.owner_shares, self.price);
			self.exit_pot += total - owner;
			for i in 0..self.delegations.len() {
				if matches!(self.delegations[i].st, St::Active | St::Exiting(_)) {
					let fee_shares = self.charge(i, r, price);
					let d = &mut self.delegations[i];
					d.owed += fee_shares;
					d.st = St::Released(self.price);
				}
			}
			for exit in self.fee_exits.values_mut() {
				exit.1.get_or_insert(self.price);
			}
			self.exit_shares.clear();
			self.epoch += 1;
			self.price = ONE;
			self.shares = 0;
			self.owner_shares = 0;
			// Rounds recorded with the old shares expose only the principal queued for them.
			for (&n, req) in self.req.iter_mut() {
				if n > r {
					*req = self
						.delegations
						.iter()
						.filter(|d| match d.st {
							St::Queued => d.first_round <= n,
							St::QueuedExit(l) => d.first_round <= n && l >= n,
							_ => false,
						})
						.map(|d| d.principal)
						.sum();
				}
			}
			self.credit_owner(owner);
		}
		self.last_finalised = Some(r);
		self.req.remove(&r);
		self.check_bond();
	}

	/// Ends a delegation's run of rounds at one terms version and commitment, after which the
	/// price was `price`.
	fn close_run(
		terms: &[(RoundIndex, Terms<u128>)],
		d: &mut RefDelegation,
		(version, commitment, served): (u32, Option<RoundIndex>, u32),
		price: u128,
	) {
		let rate = match commitment.and_then(|s| d.commitments.iter().find(|c| c.0 == s)) {
			Some(c) => {
				let p = terms[c.2 as usize].1.performance_fee(d.principal);
				p.saturating_sub(p * c.3)
			},
			None => {
				let t = &terms[version as usize].1;
				d.runs.push((t.fixed_fee_per_round(d.principal), rolling_discount(t), served));
				let p = t.performance_fee(d.principal);
				p.saturating_sub(p * rolling_discount(t))
			},
		};
		d.perf_runs.push((rate, price));
	}

	/// The fees of delegation `i` since its last charge, in shares at `price`, charged at `r`:
	/// each run's fixed fee, and each run's rate on its part of the rise above the high-water
	/// mark (the new high it made, scaled to the rise; runs at one rate add up first).
	fn charge(&mut self, i: usize, r: RoundIndex, price: u128) -> u128 {
		let d = &mut self.delegations[i];
		if let Some(run) = d.run.take() {
			Self::close_run(&self.terms, d, run, price);
		}
		let fixed_total: u128 = d.runs.drain(..).map(|(per, disc, n)| fixed(per, n, disc)).sum();
		let runs: Vec<(Permill, u128)> = d.perf_runs.drain(..).collect();
		let rise = price.saturating_sub(d.hwm);
		let mut high = d.hwm;
		let highs: Vec<u128> = runs
			.iter()
			.map(|(_, p)| {
				let h = p.saturating_sub(high);
				high = high.max(*p);
				h
			})
			.collect();
		let sum: u128 = highs.iter().sum();
		let mut by_rate: Vec<(Permill, u128)> = Vec::new();
		if sum > 0 {
			let last = highs.iter().rposition(|h| *h > 0).unwrap();
			let mut given = 0;
			for (k, ((rate, _), h)) in runs.iter().zip(&highs).enumerate() {
				let part = if k == last { rise - given } else { muldiv(*h, rise, sum, false) };
				given += part;
				match by_rate.iter_mut().find(|(x, _)| x == rate) {
					Some((_, total)) => *total += part,
					None => by_rate.push((*rate, part)),
				}
			}
		}
		let held = d.shares - d.owed;
		let perf: u128 =
			by_rate.iter().map(|(rate, part)| rate.mul_floor(value(held, *part))).sum();
		let fee_shares = if price == 0 { 0 } else { shares(fixed_total + perf, price).min(held) };
		d.hwm = d.hwm.max(price);
		d.fees_paid += value(fee_shares, price);
		d.commitments.retain(|c| c.1 > r);
		fee_shares
	}

	fn check_bond(&mut self) {
		let n = self.current + 1;
		let required = self.bond_ratio.mul_ceil(self.exposure(n));
		let current = self.current;
		let note_grace = |this: &mut Self| {
			if let Some(s) = this.under_bonded_since {
				if current >= s + this.grace {
					this.last_breach =
						Some(this.last_breach.map_or(s + this.grace, |b| b.max(s + this.grace)));
				}
			}
		};
		if self.bond < required {
			if self.under_bonded_since.is_none() {
				self.under_bonded_since = Some(current);
			}
			note_grace(self);
		} else if self.under_bonded_since.is_some() {
			note_grace(self);
			self.under_bonded_since = None;
		}
	}

	/// The value of delegation `i` as a staker would see it now.
	pub fn value_of(&self, i: usize) -> u128 {
		let d = &self.delegations[i];
		match d.st {
			St::Queued | St::QueuedExit(_) => d.principal,
			St::Active | St::Exiting(_) => value(d.shares - d.owed, self.price),
			St::Released(p) => value(d.shares - d.owed, p),
			St::Gone => 0,
		}
	}
}
