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
mod tests;
