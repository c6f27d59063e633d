//! The pool's books, with pure, storage-free transitions: the share ledger (the shares of the
//! current epoch, their price, the rounding dust and the exit pot), the join queue (activation
//! cohorts not yet activated), the round recorder (requirements recorded as rounds open), the
//! owner's book (bond, debt, what the pool owes the owner) and
//! the fee calendar (served rounds and fee periods). Each transition keeps the one money rule
//! of the ledger, which [`ShareLedger::backs`] states and the property test below checks over
//! random sequences: the planck the ledger holds cover the value of all its shares plus the exit
//! pot, and exceed it by at most the dust allowance (every rounding a transition makes raises
//! the allowance by what it can leave behind, here and nowhere else).
//!
//! The owner's book keeps its own rule: debt is repaid before anything reaches the owner.
//!
//! The pallet layer loads a pool, calls these, and turns what they return (values, the close
//! of an epoch, debt repaid) into transfers, storage records and events.

use crate::maths::{self, ONE, PRICE_FLOOR};
use crate::types::{PendingActivation, MAX_OPEN_REQS, MAX_PENDING_COHORTS};
use crate::Balance;
use codec::{Decode, Encode, MaxEncodedLen};
use numerstake_primitives::RoundIndex;
use polkadot_sdk::frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// The shares of a pool's current epoch and what they are worth.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ShareLedger {
	/// Share epoch: a new one starts after a wipe-out.
	pub epoch: u32,
	/// Price of a share, 18 decimals.
	pub price: u128,
	/// All shares of the epoch: delegations' (active and exiting), unclaimed cohort shares,
	/// the owner's fee position and dust.
	pub shares: u128,
	/// Of `shares`, those not queued in an exit cohort.
	pub live_shares: u128,
	/// The owner's fee position (not exiting).
	pub owner_shares: u128,
	/// Shares nobody holds: rounding left-overs of activations (they stay in the pool).
	pub dust_shares: u128,
	/// Planck owed to exited positions, paid on withdrawal.
	pub exit_pot: Balance,
	/// Upper bound of what the ledger holds beyond the value of its shares and the exit pot
	/// (rounding dust), for `try_state`.
	pub dust_allowance: Balance,
}

/// How an epoch ended: its last price and what its shares were worth then.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Closed {
	/// The epoch that closed.
	pub epoch: u32,
	/// Its closing price.
	pub price: u128,
	/// The value of all its shares (now in the exit pot, but for the owner's part).
	pub total: Balance,
	/// The value of the owner's fee position: leaves the ledger, to the owner.
	pub owner_part: Balance,
}

impl Default for ShareLedger {
	fn default() -> Self {
		Self::new()
	}
}

impl ShareLedger {
	/// An empty ledger at price 1.
	pub const fn new() -> Self {
		Self {
			epoch: 0,
			price: ONE,
			shares: 0,
			live_shares: 0,
			owner_shares: 0,
			dust_shares: 0,
			exit_pot: 0,
			dust_allowance: 0,
		}
	}

	/// The value of `shares` at the current price (rounded down).
	pub fn value(&self, shares: u128) -> Option<Balance> {
		maths::value_of(shares, self.price)
	}

	/// The shares `principal` buys at the current price (rounded down).
	pub fn shares_for(&self, principal: Balance) -> Option<u128> {
		maths::shares_for(principal, self.price)
	}

	/// Whether shares other than the owner's fee position and rounding dust exist (stakers
	/// hold shares, claimed or not).
	pub fn stakers_hold_shares(&self) -> bool {
		self.shares.saturating_sub(self.owner_shares) > self.dust_shares
	}

	/// Whether a price below the floor calls for a new epoch (only while shares exist).
	pub fn wiped_out(&self) -> bool {
		self.price < PRICE_FLOOR && self.shares > 0
	}

	/// The money rule: `held` planck cover the shares' value and the exit pot, with an excess
	/// of at most the dust allowance.
	pub fn backs(&self, held: Balance) -> bool {
		let Some(owed) = self.value(self.shares).and_then(|v| v.checked_add(self.exit_pot)) else {
			return false;
		};
		held >= owed && held - owed <= self.dust_allowance
	}

	/// A cohort activates: `principal` planck of `members` positions buy live shares; returns
	/// the cohort's shares (each member later takes the floor of its own principal's shares,
	/// the left-over is dust).
	pub fn mint_live(&mut self, principal: Balance, members: u32) -> Option<u128> {
		let shares = self.shares_for(principal)?;
		self.shares = self.shares.checked_add(shares)?;
		self.live_shares = self.live_shares.checked_add(shares)?;
		// The floor of the cohort's shares leaves less than one share's value behind, and each
		// member's own floor at most a planck of value.
		self.allow(self.share_unit().saturating_add(u128::from(members)).saturating_add(2));
		Some(shares)
	}

	/// Members of an activating cohort who asked to exit before it activated: `principal`
	/// planck buy shares that go straight to their exit cohort.
	pub fn mint_exiting(&mut self, principal: Balance) -> Option<u128> {
		let shares = self.shares_for(principal)?;
		self.shares = self.shares.checked_add(shares)?;
		self.allow(self.share_unit().saturating_add(2));
		Some(shares)
	}

	/// Shares of an activated cohort that no member will take (its members all took theirs).
	pub fn unclaimed_to_dust(&mut self, shares: u128) -> Option<()> {
		self.dust_shares = self.dust_shares.checked_add(shares)?;
		Some(())
	}

	/// The most a gain may add before the price reaches [`maths::PRICE_CEILING`].
	pub fn gain_room(&self) -> Balance {
		maths::gain_room(self.price, self.shares)
	}

	/// `paid` planck came in for the shares (a gain from the bond): the price rises.
	pub fn apply_gain(&mut self, paid: Balance) -> Option<()> {
		self.price = maths::price_after_gain(self.price, self.shares, paid)?;
		self.allow((self.shares / ONE).saturating_add(1));
		Some(())
	}

	/// `moved` planck left the shares' value (a loss): the price falls. `moved` must not
	/// exceed the shares' value.
	pub fn apply_loss(&mut self, moved: Balance) -> Option<()> {
		self.price = maths::price_after_loss(self.price, self.shares, moved)?;
		self.allow((self.shares / ONE).saturating_add(1));
		Some(())
	}

	/// `amount` planck came in to repay what the pool was owed: into the price while stakers
	/// hold shares (up to the ceiling), else they stay as dust (those it was owed to have left,
	/// and the owner's fee position must not get it back).
	pub fn repay(&mut self, amount: Balance) -> Option<()> {
		if amount == 0 {
			return Some(());
		}
		if self.stakers_hold_shares() {
			let into_price = amount.min(self.gain_room());
			self.price = maths::price_after_gain(self.price, self.shares, into_price)?;
			self.allow((self.shares / ONE).saturating_add(amount - into_price).saturating_add(1));
		} else {
			self.allow(amount);
		}
		Some(())
	}

	/// Planck that came in and belong to no one's shares (a donation, dust): allowed excess.
	pub fn absorb(&mut self, amount: Balance) {
		self.allow(amount);
	}

	/// Live shares queue to leave in an exit cohort (their value stays in the price).
	pub fn queue_exit(&mut self, shares: u128) -> Option<()> {
		self.live_shares = self.live_shares.checked_sub(shares)?;
		Some(())
	}

	/// The owner's fee shares queue to leave in an exit cohort.
	pub fn queue_owner_exit(&mut self, shares: u128) -> Option<()> {
		self.owner_shares = self.owner_shares.checked_sub(shares)?;
		self.queue_exit(shares)
	}

	/// An exit cohort's `shares` leave at the current price into the exit pot; returns their
	/// value.
	pub fn burn_exits(&mut self, shares: u128) -> Option<Balance> {
		if shares == 0 {
			return Some(0);
		}
		let value = self.value(shares)?;
		self.shares = self.shares.checked_sub(shares)?;
		self.exit_pot = self.exit_pot.checked_add(value)?;
		self.allow(1);
		Some(value)
	}

	/// A position's live `shares` leave at once (every round they were exposed to is settled),
	/// `fee_shares` of them to the owner: returns `(to the staker, to the owner)`, both out of
	/// the ledger.
	pub fn leave_now(&mut self, shares: u128, fee_shares: u128) -> Option<(Balance, Balance)> {
		let fee_shares = fee_shares.min(shares);
		let to_staker = self.value(shares - fee_shares)?;
		let to_owner = self.value(fee_shares)?;
		self.shares = self.shares.checked_sub(shares)?;
		self.live_shares = self.live_shares.checked_sub(shares)?;
		self.allow(2);
		Some((to_staker, to_owner))
	}

	/// The owner's fee `shares` leave at once; returns their value, out of the ledger.
	pub fn owner_leaves_now(&mut self, shares: u128) -> Option<Balance> {
		let amount = self.value(shares)?;
		self.shares = self.shares.checked_sub(shares)?;
		self.owner_shares = self.owner_shares.checked_sub(shares)?;
		self.live_shares = self.live_shares.checked_sub(shares)?;
		self.allow(1);
		Some(amount)
	}

	/// A fee in shares moves from a staker's position to the owner's fee position.
	pub fn to_owner(&mut self, fee_shares: u128) -> Option<()> {
		self.owner_shares = self.owner_shares.checked_add(fee_shares)?;
		Some(())
	}

	/// `amount` planck of the exit pot are paid out.
	pub fn pay_from_pot(&mut self, amount: Balance) -> Option<()> {
		self.exit_pot = self.exit_pot.checked_sub(amount)?;
		Some(())
	}

	/// Closes the epoch: every share leaves at the current price, the owner's fee position to
	/// the owner and the rest into the exit pot; the next epoch starts empty at price 1.
	pub fn close(&mut self) -> Option<Closed> {
		let price = self.price;
		let total = self.value(self.shares)?;
		let owner_part = self.value(self.owner_shares)?;
		self.exit_pot = self.exit_pot.checked_add(total.checked_sub(owner_part)?)?;
		let closed = Closed { epoch: self.epoch, price, total, owner_part };
		self.epoch = self.epoch.saturating_add(1);
		self.price = ONE;
		self.shares = 0;
		self.live_shares = 0;
		self.owner_shares = 0;
		self.dust_shares = 0;
		self.allow(2);
		Some(closed)
	}

	/// The last shares left at a price below the floor: the next cohort starts at 1 (no cohort
	/// can buy shares at a price of 0).
	pub fn restart_price_if_empty(&mut self) {
		if self.price < PRICE_FLOOR && self.shares == 0 {
			self.price = ONE;
		}
	}

	/// The planck one share (its smallest unit) is worth at the current price, rounded up:
	/// what buying shares can leave behind.
	fn share_unit(&self) -> Balance {
		self.price.div_ceil(ONE)
	}

	fn allow(&mut self, planck: Balance) {
		self.dust_allowance = self.dust_allowance.saturating_add(planck);
	}
}

/// Activation cohorts waiting for their first round, oldest first, and their totals.
#[derive(Clone, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct JoinQueue {
	/// The cohorts by first round, oldest first.
	pub cohorts: BoundedVec<PendingActivation, ConstU32<MAX_PENDING_COHORTS>>,
	/// Principal waiting in them.
	pub queued: Balance,
	/// Prepaid fees waiting in them.
	pub queued_prepaid: Balance,
	/// Of `queued`, principal whose members asked to exit before activation.
	pub queued_exiting: Balance,
}

/// Why the join queue refuses a change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum QueueRefused {
	/// A new cohort would exceed [`MAX_PENDING_COHORTS`].
	Full,
	/// No cohort activates at that round.
	NoCohort,
	/// The totals would overflow or go below zero (a broken book).
	Overflow,
}

fn plus(a: Balance, b: Balance) -> Result<Balance, QueueRefused> {
	a.checked_add(b).ok_or(QueueRefused::Overflow)
}

fn minus(a: Balance, b: Balance) -> Result<Balance, QueueRefused> {
	a.checked_sub(b).ok_or(QueueRefused::Overflow)
}

impl JoinQueue {
	/// Whether a join whose first round is `round` fits (its cohort exists or one more can).
	pub fn has_room_for(&self, round: RoundIndex) -> bool {
		self.cohorts.iter().any(|c| c.round == round) || !self.cohorts.is_full()
	}

	/// Whether no cohort waits.
	pub fn is_empty(&self) -> bool {
		self.cohorts.is_empty()
	}

	/// The principal of the cohort activating at `round`.
	pub fn principal_at(&self, round: RoundIndex) -> Balance {
		self.cohorts.iter().find(|c| c.round == round).map_or(0, |c| c.principal)
	}

	fn cohort_mut(&mut self, round: RoundIndex) -> Result<&mut PendingActivation, QueueRefused> {
		self.cohorts.iter_mut().find(|c| c.round == round).ok_or(QueueRefused::NoCohort)
	}

	/// A member joins the cohort of `round` with `principal` and a `prepaid` fee.
	pub fn join(
		&mut self,
		round: RoundIndex,
		principal: Balance,
		prepaid: Balance,
	) -> Result<(), QueueRefused> {
		let at = self.cohorts.iter().position(|c| c.round >= round).unwrap_or(self.cohorts.len());
		match self.cohorts.get_mut(at) {
			Some(c) if c.round == round => {
				c.principal = plus(c.principal, principal)?;
				c.prepaid = plus(c.prepaid, prepaid)?;
				c.members = c.members.saturating_add(1);
			},
			_ => self
				.cohorts
				.try_insert(
					at,
					PendingActivation {
						round,
						principal,
						prepaid,
						members: 1,
						exiting: 0,
						exiting_members: 0,
					},
				)
				.map_err(|_| QueueRefused::Full)?,
		}
		self.queued = plus(self.queued, principal)?;
		self.queued_prepaid = plus(self.queued_prepaid, prepaid)?;
		Ok(())
	}

	/// A member of the cohort of `round` with `principal` asks to exit before it activates
	/// (its round opened: it stays exposed until its last round).
	pub fn exit_before_activation(
		&mut self,
		round: RoundIndex,
		principal: Balance,
	) -> Result<(), QueueRefused> {
		let c = self.cohort_mut(round)?;
		c.exiting = plus(c.exiting, principal)?;
		c.exiting_members = c.exiting_members.saturating_add(1);
		self.queued_exiting = plus(self.queued_exiting, principal)?;
		Ok(())
	}

	/// A member of the cohort of `round` cancels before the round opens: its `principal` and
	/// `prepaid` fee leave the queue (an empty cohort goes).
	pub fn cancel(
		&mut self,
		round: RoundIndex,
		principal: Balance,
		prepaid: Balance,
	) -> Result<(), QueueRefused> {
		let c = self.cohort_mut(round)?;
		c.principal = minus(c.principal, principal)?;
		c.prepaid = minus(c.prepaid, prepaid)?;
		c.members = c.members.saturating_sub(1);
		if c.members == 0 {
			self.cohorts.retain(|c| c.round != round);
		}
		self.queued = minus(self.queued, principal)?;
		self.queued_prepaid = minus(self.queued_prepaid, prepaid)?;
		Ok(())
	}

	/// The cohort of `round` activates: it leaves the queue (`None`: no cohort activates then).
	pub fn activate(
		&mut self,
		round: RoundIndex,
	) -> Result<Option<PendingActivation>, QueueRefused> {
		let Some(i) = self.cohorts.iter().position(|c| c.round == round) else { return Ok(None) };
		let c = self.cohorts.remove(i);
		self.queued = minus(self.queued, c.principal)?;
		self.queued_exiting = minus(self.queued_exiting, c.exiting)?;
		self.queued_prepaid = minus(self.queued_prepaid, c.prepaid)?;
		Ok(Some(c))
	}
}

/// The round recorder: every round's requirement is recorded when the pool is first touched
/// after the round opened, from what is exposed to the next round to record.
#[derive(Clone, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct RoundRecorder {
	/// The requirement of every round up to this one is recorded (in its cohort record).
	pub recorded_through: RoundIndex,
	/// Shares exposed to round `recorded_through + 1` (those not exiting before it).
	pub next_shares: u128,
	/// Principal exposed to round `recorded_through + 1` (queued to activate by it, not
	/// exiting before it).
	pub next_principal: Balance,
	/// After an epoch closed (or an idle pool restarted at the oracle's next round): rounds up
	/// to this one had their requirement recorded with shares that are no longer exposed, so
	/// their requirement is `reset_exposed` instead.
	pub reset_through: Option<RoundIndex>,
	/// While `reset_through` is set: the principal of the cohorts activated since the close
	/// that is still exposed (not yet left by an exit asked before activation).
	pub reset_exposed: Balance,
	/// The largest requirements of the rounds recorded but not yet settled, as a decreasing
	/// run `(last round it covers, requirement)`: its first entry is the most any open round
	/// still needs from the bond.
	pub open_reqs: BoundedVec<(RoundIndex, Balance), ConstU32<MAX_OPEN_REQS>>,
	/// The latest round a cohort record may have been written for.
	pub furthest: RoundIndex,
	/// Rounds `(from, to)` whose cohort records an idle pool's restart left behind (they are
	/// never settled): removed a few at each settled round.
	pub stale: Option<(RoundIndex, RoundIndex)>,
}

impl RoundRecorder {
	/// A recorder that has recorded every round up to `through`.
	pub fn through(through: RoundIndex) -> Self {
		Self { recorded_through: through, ..Default::default() }
	}

	/// The next round to record.
	pub fn next(&self) -> RoundIndex {
		self.recorded_through.saturating_add(1)
	}

	/// Adds round `round`'s recorded requirement to the window of open rounds' maxima.
	pub fn note_open_req(&mut self, round: RoundIndex, req: Balance) {
		if req == 0 {
			return;
		}
		while self.open_reqs.last().is_some_and(|(_, r)| *r <= req) {
			self.open_reqs.pop();
		}
		if self.open_reqs.try_push((round, req)).is_err() {
			// Full: the smallest maximum so far covers this round too (it is larger).
			if let Some(last) = self.open_reqs.last_mut() {
				last.0 = round;
			}
		}
	}

	/// The most any round recorded but not yet settled still requires.
	pub fn open_requirement(&self) -> Balance {
		self.open_reqs.first().map_or(0, |(_, r)| *r)
	}

	/// Round `round` settled: it no longer needs its share of the bond.
	pub fn settled(&mut self, round: RoundIndex) {
		while self.open_reqs.first().is_some_and(|(r, _)| *r <= round) {
			self.open_reqs.remove(0);
		}
	}

	/// A cohort record is written for `round`.
	pub fn note_record(&mut self, round: RoundIndex) {
		self.furthest = self.furthest.max(round);
	}

	/// The pool restarts at `next` after expecting `expected`: the records of the rounds it
	/// skips are never settled, so they join the stale range.
	pub fn skip_to(&mut self, expected: RoundIndex, next: RoundIndex) {
		let to = next.saturating_sub(1).min(self.furthest);
		if expected > to {
			return;
		}
		self.stale = Some(match self.stale {
			Some((from, old_to)) => (from.min(expected), old_to.max(to)),
			None => (expected, to),
		});
	}

	/// Up to `max` rounds of the stale range to remove now, oldest first.
	pub fn take_stale(&mut self, max: u32) -> core::ops::Range<RoundIndex> {
		let Some((from, to)) = self.stale else { return 0..0 };
		let end = from.saturating_add(max).min(to.saturating_add(1));
		self.stale = (end <= to).then_some((end, to));
		from..end
	}

	/// Whether `round`'s record is in the stale range.
	pub fn is_stale(&self, round: RoundIndex) -> bool {
		self.stale.is_some_and(|(from, to)| from <= round && round <= to)
	}

	/// Whether `round`'s recorded requirement is stale (recorded with shares an epoch close
	/// paid out, or before an idle pool restarted): its requirement is then `reset_exposed`.
	pub fn in_reset(&self, round: RoundIndex) -> bool {
		self.reset_through.is_some_and(|t| round <= t)
	}

	/// Whatever the recorded rounds from `from` on recorded is no longer exposed (an epoch
	/// closed after round `from - 1`, or an idle pool restarts at `from`): their requirement
	/// is what activates from now on.
	pub fn reset_from(&mut self, from: RoundIndex) {
		self.reset_through = (self.recorded_through >= from).then_some(self.recorded_through);
		self.reset_exposed = 0;
		self.open_reqs.clear();
	}
}

/// What the owner has at stake in a pool and what the pool and the owner owe each other.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct OwnerBook {
	/// The owner's bond, held on the owner's account; pays the stakers' gains.
	pub bond: Balance,
	/// Gains the bond could not pay; repaid into the pool before the owner may take value out.
	pub debt: Balance,
	/// Planck the owner may claim: losses the pool paid, prepaid fees, with debt netted first.
	pub payable: Balance,
	/// The pool account's existential deposit, paid by the owner when the pool opened.
	pub account_deposit: Balance,
}

/// Why the owner's book refuses to release bond.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BondRefused {
	/// More than the bond.
	ExceedsBond,
	/// What would be left is below what the exposure requires.
	BelowRequirement,
}

impl OwnerBook {
	/// A gain of `gain` planck was owed to the pool and `paid` of it came from the bond: the
	/// rest is debt. Returns the unpaid part.
	pub fn cover_gain(&mut self, gain: Balance, paid: Balance) -> Option<Balance> {
		self.bond = self.bond.checked_sub(paid)?;
		let unpaid = gain.checked_sub(paid)?;
		self.debt = self.debt.checked_add(unpaid)?;
		Some(unpaid)
	}

	/// Up to `amount` planck repay debt; returns what they repaid (the pallet puts it into the
	/// pool's shares).
	pub fn repay(&mut self, amount: Balance) -> Balance {
		let repaid = amount.min(self.debt);
		self.debt -= repaid;
		repaid
	}

	/// `amount` planck become the owner's (a loss the pool paid, prepaid fees, a fee exit):
	/// debt is repaid first. Returns what repaid debt.
	pub fn credit(&mut self, amount: Balance) -> Option<Balance> {
		let repaid = self.repay(amount);
		self.payable = self.payable.checked_add(amount - repaid)?;
		Some(repaid)
	}

	/// The owner takes what the pool owes them: `(paid to the owner, repaid debt)`.
	pub fn take_payable(&mut self) -> (Balance, Balance) {
		let payable = core::mem::take(&mut self.payable);
		let repaid = self.repay(payable);
		(payable - repaid, repaid)
	}

	/// `amount` planck more bond.
	pub fn add_bond(&mut self, amount: Balance) -> Option<()> {
		self.bond = self.bond.checked_add(amount)?;
		Some(())
	}

	/// Releases `amount` of bond if at least `required` stays; returns what stays.
	pub fn release_bond(
		&mut self,
		amount: Balance,
		required: Balance,
	) -> Result<Balance, BondRefused> {
		let left = self.bond.checked_sub(amount).ok_or(BondRefused::ExceedsBond)?;
		if left < required {
			return Err(BondRefused::BelowRequirement);
		}
		self.bond = left;
		Ok(left)
	}

	/// Whether the owner still has anything in or owes anything to the pool.
	pub fn is_open(&self) -> bool {
		self.bond > 0 || self.debt > 0 || self.payable > 0
	}
}

/// The pool's fee periods and the rounds it served.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct FeeCalendar {
	/// Rounds submitted and fully backed.
	pub served_rounds: u32,
	/// The next fee-period end.
	pub next_period_end: RoundIndex,
	/// The latest fee-period end settled.
	pub last_period_end: Option<RoundIndex>,
}

/// A settled round's place in the fee calendar.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RoundInPeriod {
	/// The end of the fee period the round is in.
	pub period_end: RoundIndex,
	/// The end of the period after the round (the same unless the round ended its period).
	pub next_end: RoundIndex,
	/// Rounds served so far, this one included.
	pub served_total: u32,
}

impl FeeCalendar {
	/// A calendar whose first period is the one round `from` is in.
	pub fn starting(from: RoundIndex, fee_period: RoundIndex) -> Self {
		Self {
			served_rounds: 0,
			next_period_end: maths::period_end_from(from, fee_period),
			last_period_end: None,
		}
	}

	/// The end of the period round `round` (the next to settle) is in: if the pool skipped
	/// past its period end (it restarted, or the fee period changed), the period `round` starts.
	pub fn period_of(&mut self, round: RoundIndex, fee_period: RoundIndex) -> RoundIndex {
		if self.next_period_end < round {
			self.next_period_end = maths::period_end_from(round, fee_period);
		}
		self.next_period_end
	}

	/// Round `round` settled (`served`: submitted and fully backed).
	pub fn settled(
		&mut self,
		round: RoundIndex,
		served: bool,
		fee_period: RoundIndex,
	) -> RoundInPeriod {
		let period_end = self.period_of(round, fee_period);
		if served {
			self.served_rounds = self.served_rounds.saturating_add(1);
		}
		let next_end = if round == period_end {
			self.last_period_end = Some(round);
			self.next_period_end = maths::period_end_from(round.saturating_add(1), fee_period);
			self.next_period_end
		} else {
			period_end
		};
		RoundInPeriod { period_end, next_end, served_total: self.served_rounds }
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	const NMR: u128 = ONE;

	#[test]
	fn a_cohort_buys_shares_at_the_price_and_leaves_with_its_value() {
		let mut l = ShareLedger::new();
		let shares = l.mint_live(1_000 * NMR, 2).unwrap();
		assert_eq!(shares, 1_000 * ONE);
		assert!(l.backs(1_000 * NMR));
		l.apply_gain(100 * NMR).unwrap();
		assert_eq!(l.price, ONE + ONE / 10);
		l.queue_exit(shares).unwrap();
		assert_eq!(l.burn_exits(shares), Some(1_100 * NMR));
		assert_eq!((l.shares, l.live_shares, l.exit_pot), (0, 0, 1_100 * NMR));
		assert!(l.backs(1_100 * NMR));
		l.pay_from_pot(1_100 * NMR).unwrap();
		assert!(l.backs(0));
	}

	#[test]
	fn a_wipe_out_closes_the_epoch_and_pays_every_share_its_part() {
		let mut l = ShareLedger::new();
		l.mint_live(1_000 * NMR, 1).unwrap();
		l.to_owner(10 * ONE).unwrap();
		// A loss of all but a millionth of a planck per share.
		let value = l.value(l.shares).unwrap();
		l.apply_loss(value - 1).unwrap();
		assert!(l.wiped_out());
		let closed = l.close().unwrap();
		assert_eq!(closed.epoch, 0);
		assert!(closed.price < PRICE_FLOOR);
		assert_eq!(closed.total, 0);
		assert_eq!((l.epoch, l.price, l.shares, l.owner_shares), (1, ONE, 0, 0));
		assert_eq!(l.exit_pot, 0);
		// The planck that stayed behind is dust the ledger allows.
		assert!(l.backs(1));
	}

	#[test]
	fn a_price_of_zero_with_no_shares_left_restarts_at_one() {
		let mut l = ShareLedger::new();
		let s = l.mint_live(NMR, 1).unwrap();
		l.apply_loss(NMR).unwrap();
		assert_eq!(l.price, 0);
		l.queue_exit(s).unwrap();
		assert_eq!(l.burn_exits(s), Some(0));
		assert!(!l.wiped_out());
		l.restart_price_if_empty();
		assert_eq!(l.price, ONE);
		assert_eq!(l.mint_live(NMR, 1), Some(ONE));
	}

	#[test]
	fn a_repayment_with_no_stakers_left_stays_as_dust() {
		let mut l = ShareLedger::new();
		l.mint_live(NMR, 1).unwrap();
		l.to_owner(ONE).unwrap();
		l.repay(5).unwrap();
		assert_eq!(l.price, ONE);
		assert!(l.backs(NMR + 5));
	}

	#[test]
	fn a_broken_book_is_refused_not_wrapped() {
		let mut l = ShareLedger::new();
		assert_eq!(l.queue_exit(1), None);
		assert_eq!(l.pay_from_pot(1), None);
		assert_eq!(l.owner_leaves_now(1), None);
		l.price = 0;
		assert_eq!(l.mint_live(NMR, 1), None);
	}

	#[test]
	fn debt_is_repaid_before_anything_reaches_the_owner() {
		let mut b = OwnerBook { bond: 50, ..Default::default() };
		assert_eq!(b.cover_gain(80, 50), Some(30));
		assert_eq!((b.bond, b.debt), (0, 30));
		assert_eq!(b.credit(20), Some(20));
		assert_eq!((b.debt, b.payable), (10, 0));
		assert_eq!(b.credit(25), Some(10));
		assert_eq!((b.debt, b.payable), (0, 15));
		assert_eq!(b.take_payable(), (15, 0));
		assert!(!b.is_open());
		// A bond cannot pay more than it holds, nor more than was owed.
		assert_eq!(b.cover_gain(10, 1), None);
		assert_eq!(OwnerBook { bond: 5, ..Default::default() }.cover_gain(1, 2), None);
	}

	#[test]
	fn bond_leaves_only_above_the_requirement() {
		let mut b = OwnerBook { bond: 100, ..Default::default() };
		assert_eq!(b.release_bond(101, 0), Err(BondRefused::ExceedsBond));
		assert_eq!(b.release_bond(60, 50), Err(BondRefused::BelowRequirement));
		assert_eq!(b.bond, 100);
		assert_eq!(b.release_bond(50, 50), Ok(50));
		assert_eq!(b.release_bond(50, 0), Ok(0));
	}

	#[test]
	fn the_fee_calendar_follows_periods_and_served_rounds() {
		let mut c = FeeCalendar::starting(101, 5);
		let end = c.next_period_end;
		assert!((101..106).contains(&end));
		let r = c.settled(end, true, 5);
		assert_eq!((r.period_end, r.next_end, r.served_total), (end, end + 5, 1));
		assert_eq!(c.last_period_end, Some(end));
		let r = c.settled(end + 1, false, 5);
		assert_eq!((r.period_end, r.next_end, r.served_total), (end + 5, end + 5, 1));
		// A pool that restarts far later starts the period its next round is in.
		assert_eq!(c.period_of(end + 23, 5), maths::period_end_from(end + 23, 5));
	}

	#[test]
	fn the_join_queue_keeps_cohorts_in_round_order_with_their_totals() {
		let mut q = JoinQueue::default();
		q.join(12, 30, 3).unwrap();
		q.join(10, 100, 0).unwrap();
		q.join(12, 20, 2).unwrap();
		assert_eq!(
			q.cohorts.iter().map(|c| (c.round, c.principal, c.members)).collect::<Vec<_>>(),
			vec![(10, 100, 1), (12, 50, 2)]
		);
		assert_eq!((q.queued, q.queued_prepaid, q.principal_at(12)), (150, 5, 50));
		q.exit_before_activation(10, 100).unwrap();
		assert_eq!(q.exit_before_activation(11, 1), Err(QueueRefused::NoCohort));
		q.cancel(12, 30, 3).unwrap();
		assert_eq!(q.cancel(12, 21, 0), Err(QueueRefused::Overflow));
		let c = q.activate(10).unwrap().unwrap();
		assert_eq!((c.principal, c.exiting, c.exiting_members), (100, 100, 1));
		assert_eq!(q.activate(11), Ok(None));
		assert_eq!((q.queued, q.queued_prepaid, q.queued_exiting), (20, 2, 0));
		q.cancel(12, 20, 2).unwrap();
		assert!(q.is_empty());
		for r in 0..MAX_PENDING_COHORTS {
			q.join(r, 1, 0).unwrap();
		}
		assert!(q.has_room_for(0) && !q.has_room_for(MAX_PENDING_COHORTS));
		assert_eq!(q.join(MAX_PENDING_COHORTS, 1, 0), Err(QueueRefused::Full));
	}

	#[test]
	fn the_recorder_keeps_the_largest_open_requirement() {
		let mut r = RoundRecorder::through(9);
		assert_eq!(r.next(), 10);
		r.note_open_req(10, 50);
		r.note_open_req(11, 80);
		r.note_open_req(12, 30);
		r.note_open_req(13, 0);
		assert_eq!(r.open_requirement(), 80);
		r.settled(11);
		assert_eq!(r.open_requirement(), 30);
		r.settled(12);
		assert_eq!(r.open_requirement(), 0);
		// A full window folds later rounds into its smallest maximum.
		for round in 20..20 + MAX_OPEN_REQS + 3 {
			r.note_open_req(round, 1_000 - u128::from(round));
		}
		assert_eq!(r.open_reqs.len() as u32, MAX_OPEN_REQS);
		assert_eq!(r.open_reqs.last().map(|(round, _)| *round), Some(22 + MAX_OPEN_REQS));
		r.recorded_through = 30;
		r.reset_from(25);
		assert!(r.in_reset(30) && !r.in_reset(31) && r.open_requirement() == 0);
		r.reset_from(31);
		assert_eq!(r.reset_through, None);
	}

	#[test]
	fn records_a_restart_skips_are_removed_a_few_at_a_time() {
		let mut r = RoundRecorder::through(40);
		r.note_record(45);
		r.note_record(43);
		assert_eq!(r.furthest, 45);
		// Expecting 38, restarting at 50: rounds 38..=45 may hold records.
		r.skip_to(38, 50);
		assert_eq!(r.stale, Some((38, 45)));
		// Restarting forward again merges the ranges; nothing beyond `furthest` is stale.
		r.skip_to(50, 60);
		assert_eq!(r.stale, Some((38, 45)));
		assert!(r.is_stale(44) && !r.is_stale(46));
		assert_eq!(r.take_stale(2), 38..40);
		assert_eq!(r.take_stale(5), 40..45);
		assert_eq!(r.take_stale(2), 45..46);
		assert_eq!((r.stale, r.take_stale(2)), (None, 0..0));
		// A restart backwards skips nothing.
		r.skip_to(60, 50);
		assert_eq!(r.stale, None);
	}

	/// A step of the property test: what a pool does to its ledger.
	#[derive(Clone, Debug)]
	enum Op {
		Join(u128, u32),
		JoinExiting(u128),
		Gain(u128),
		Loss(u128),
		Repay(u128),
		Donate(u128),
		Fee(u128),
		Queue(u128),
		Burn(u128),
		LeaveNow(u128, u128),
		OwnerLeaves(u128),
		Pay(u128),
	}

	fn op() -> impl Strategy<Value = Op> {
		let amount = prop_oneof![1u128..1_000, 1u128..1_000_000 * NMR];
		prop_oneof![
			(amount.clone(), 1u32..5).prop_map(|(a, m)| Op::Join(a, m)),
			amount.clone().prop_map(Op::JoinExiting),
			amount.clone().prop_map(Op::Gain),
			(0u128..=1_000).prop_map(Op::Loss),
			amount.clone().prop_map(Op::Repay),
			(1u128..1_000).prop_map(Op::Donate),
			(0u128..=1_000).prop_map(Op::Fee),
			(0u128..=1_000).prop_map(Op::Queue),
			(0u128..=1_000).prop_map(Op::Burn),
			((0u128..=1_000), (0u128..=1_000)).prop_map(|(a, b)| Op::LeaveNow(a, b)),
			(0u128..=1_000).prop_map(Op::OwnerLeaves),
			(0u128..=1_000).prop_map(Op::Pay),
		]
	}

	/// `per_mille` of `x`.
	fn part(x: u128, per_mille: u128) -> u128 {
		maths::mul_div_floor(x, per_mille, 1_000).unwrap_or(0)
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(2_000))]

		/// Whatever a pool does, the planck it holds for the ledger back every share and the
		/// exit pot, with an excess of at most the dust allowance; a close pays every share
		/// its value at the closing price; shares add up.
		#[test]
		fn the_ledger_always_holds_what_it_owes(ops in proptest::collection::vec(op(), 1..60)) {
			let mut l = ShareLedger::new();
			// Planck held for the ledger; shares queued to exit (not live).
			let mut held: u128 = 0;
			let mut queued: u128 = 0;
			for op in ops {
				let before = l;
				let applied = match op {
					Op::Join(a, m) => l.mint_live(a, m).map(|_| held += a),
					Op::JoinExiting(a) => l.mint_exiting(a).map(|s| {
						held += a;
						queued += s;
					}),
					Op::Gain(a) => {
						let a = a.min(l.gain_room());
						l.apply_gain(a).map(|_| held += a)
					},
					Op::Loss(pm) => {
						let a = part(l.value(l.shares).unwrap_or(0), pm);
						l.apply_loss(a).map(|_| held -= a)
					},
					Op::Repay(a) => l.repay(a).map(|_| held += a),
					Op::Donate(a) => {
						l.absorb(a);
						held += a;
						Some(())
					},
					Op::Fee(pm) => {
						let s = part(l.live_shares - l.owner_shares - l.dust_shares, pm);
						l.to_owner(s)
					},
					Op::Queue(pm) => {
						let s = part(l.live_shares - l.owner_shares - l.dust_shares, pm);
						l.queue_exit(s).map(|_| queued += s)
					},
					Op::Burn(pm) => {
						let s = part(queued, pm);
						l.burn_exits(s).map(|_| queued -= s)
					},
					Op::LeaveNow(pm, fee_pm) => {
						let s = part(l.live_shares - l.owner_shares - l.dust_shares, pm);
						l.leave_now(s, part(s, fee_pm)).map(|(a, b)| held -= a + b)
					},
					Op::OwnerLeaves(pm) => {
						let s = part(l.owner_shares, pm);
						l.owner_leaves_now(s).map(|a| held -= a)
					},
					Op::Pay(pm) => {
						let a = part(l.exit_pot, pm);
						l.pay_from_pot(a).map(|_| held -= a)
					},
				};
				if applied.is_none() {
					// A refused transition is a broken book only if the inputs were valid;
					// here it can only be an arithmetic limit. Nothing may have changed.
					l = before;
					continue;
				}
				prop_assert!(l.backs(held), "{op:?}: held {held}, ledger {l:?}");
				prop_assert_eq!(l.live_shares + queued, l.shares);
				prop_assert!(l.owner_shares + l.dust_shares <= l.live_shares);
				if l.wiped_out() {
					let exit_pot = l.exit_pot;
					let c = l.close().unwrap();
					prop_assert_eq!(l.exit_pot, exit_pot + c.total - c.owner_part);
					held -= c.owner_part;
					queued = 0;
					prop_assert!(l.backs(held), "close: held {held}, ledger {l:?}");
				}
				l.restart_price_if_empty();
			}
		}
	}
}
