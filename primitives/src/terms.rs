//! A model's published terms — fee ladders, commitment options, capacity and limits — with
//! their validation against governance caps and the ladder look-ups settlement uses.
//!
//! Pure functions only: no storage, so everything here is property-tested directly.

use crate::{FeeCaps, RoundIndex};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{traits::ConstU32, BoundedVec},
	sp_core::H256,
	sp_runtime::{
		traits::{AtLeast32BitUnsigned, Saturating},
		Permill,
	},
};
use scale_info::TypeInfo;

/// Most steps in a fee ladder.
pub const MAX_LADDER_STEPS: u32 = 8;
/// Most commitment options.
pub const MAX_COMMITMENT_OPTIONS: u32 = 4;
/// Longest URI of a terms document.
pub const MAX_DOCUMENT_URI_LEN: u32 = 256;

/// One step of a fee ladder: `fee` applies to principals up to and including `up_to` (and
/// above the previous step's `up_to`). The last step also covers every larger principal.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct FeeStep<Balance, Fee> {
	/// Largest principal of this step, in planck.
	pub up_to: Balance,
	/// The fee: planck per served round (fixed ladder) or a share of profit (performance).
	pub fee: Fee,
}

/// Fixed fee per served round, by principal.
pub type FixedFeeLadder<Balance> =
	BoundedVec<FeeStep<Balance, Balance>, ConstU32<MAX_LADDER_STEPS>>;
/// Performance fee on profit above the high-water mark, by principal.
pub type PerformanceFeeLadder<Balance> =
	BoundedVec<FeeStep<Balance, Permill>, ConstU32<MAX_LADDER_STEPS>>;

/// A way to delegate: for `term_rounds` rounds (0 = rolling, exit any time) at a `discount` on
/// both fees.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct CommitmentOption {
	/// Rounds the delegation is locked for; 0 for a rolling delegation.
	pub term_rounds: RoundIndex,
	/// Discount on the fixed and the performance fee.
	pub discount: Permill,
}

/// The owner's own terms document (jurisdictions served, disclosures): its hash and where to
/// read it.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct TermsDocument {
	/// Hash of the document's bytes.
	pub hash: H256,
	/// Where it can be read (printable ASCII).
	pub uri: BoundedVec<u8, ConstU32<MAX_DOCUMENT_URI_LEN>>,
}

/// Everything a model owner publishes about delegating to the model.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Terms<Balance> {
	/// Most principal the model accepts in all.
	pub capacity: Balance,
	/// Smallest principal of one delegation.
	pub min_delegation: Balance,
	/// Largest principal of one delegation.
	pub max_delegation: Balance,
	/// Fixed fee per served round, by principal (empty: none).
	pub fixed_fee: FixedFeeLadder<Balance>,
	/// Performance fee, by principal (empty: none).
	pub performance_fee: PerformanceFeeLadder<Balance>,
	/// The ways to delegate (at least one).
	pub commitments: BoundedVec<CommitmentOption, ConstU32<MAX_COMMITMENT_OPTIONS>>,
	/// The owner's terms document, if any.
	pub document: Option<TermsDocument>,
}

/// Why terms were refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TermsError {
	/// Capacity is zero.
	ZeroCapacity,
	/// The minimum delegation is zero.
	ZeroMinimum,
	/// The minimum delegation exceeds the maximum.
	MinAboveMax,
	/// The maximum delegation exceeds the capacity.
	MaxAboveCapacity,
	/// The fixed-fee ladder's `up_to` values are not strictly ascending.
	FixedLadderNotAscending,
	/// The performance-fee ladder's `up_to` values are not strictly ascending.
	PerformanceLadderNotAscending,
	/// A fixed fee exceeds the cap for the smallest principal of its step.
	FixedFeeAboveCap,
	/// A performance fee exceeds the cap.
	PerformanceFeeAboveCap,
	/// For some principal, the performance fee rises more than allowed in one version.
	PerformanceFeeIncreaseTooLarge,
	/// No commitment option.
	NoCommitmentOptions,
	/// Commitment terms are not strictly ascending.
	CommitmentTermsNotAscending,
	/// A commitment term is longer than the cap.
	CommitmentTermTooLong,
	/// The document URI is empty or not printable ASCII.
	InvalidDocumentUri,
}

/// A ladder from `(up_to, fee)` pairs (steps beyond [`MAX_LADDER_STEPS`] are dropped; the
/// result still has to pass [`Terms::validate`]).
pub fn ladder<B: Copy, F: Copy>(
	steps: &[(B, F)],
) -> BoundedVec<FeeStep<B, F>, ConstU32<MAX_LADDER_STEPS>> {
	BoundedVec::truncate_from(steps.iter().map(|&(up_to, fee)| FeeStep { up_to, fee }).collect())
}

/// The step that applies to `principal`: the first whose `up_to` covers it, else the last.
pub fn step_for<B: Ord + Copy, F: Copy>(
	ladder: &[FeeStep<B, F>],
	principal: B,
) -> Option<FeeStep<B, F>> {
	ladder.iter().find(|s| principal <= s.up_to).or(ladder.last()).copied()
}

fn strictly_ascending<B: Ord, F>(ladder: &[FeeStep<B, F>]) -> bool {
	ladder.windows(2).all(|w| w[0].up_to < w[1].up_to)
}

impl<B: AtLeast32BitUnsigned + Copy> Terms<B> {
	/// Fixed fee per served round for a delegation of `principal`, before any discount.
	pub fn fixed_fee_per_round(&self, principal: B) -> B {
		step_for(&self.fixed_fee, principal).map(|s| s.fee).unwrap_or_else(B::zero)
	}

	/// Performance fee for a delegation of `principal`, before any discount.
	pub fn performance_fee(&self, principal: B) -> Permill {
		step_for(&self.performance_fee, principal).map(|s| s.fee).unwrap_or_else(Permill::zero)
	}

	/// The commitment option with `term_rounds`, if offered.
	pub fn commitment(&self, term_rounds: RoundIndex) -> Option<CommitmentOption> {
		self.commitments.iter().find(|c| c.term_rounds == term_rounds).copied()
	}

	/// The principals at which either ladder of `self` or `other` changes step (plus 1): the
	/// performance fee of both is constant between consecutive points.
	fn breakpoints<'a>(&'a self, other: &'a Terms<B>) -> impl Iterator<Item = B> + 'a {
		core::iter::once(B::one()).chain(
			self.performance_fee
				.iter()
				.chain(other.performance_fee.iter())
				.map(|s| s.up_to.saturating_add(B::one())),
		)
	}

	/// Checks the terms on their own and against `caps`, and, when they replace `previous`,
	/// that no principal's performance fee rises by more than the allowed step.
	pub fn validate(&self, caps: &FeeCaps, previous: Option<&Terms<B>>) -> Result<(), TermsError> {
		use TermsError::*;
		if self.capacity.is_zero() {
			return Err(ZeroCapacity);
		}
		if self.min_delegation.is_zero() {
			return Err(ZeroMinimum);
		}
		if self.min_delegation > self.max_delegation {
			return Err(MinAboveMax);
		}
		if self.max_delegation > self.capacity {
			return Err(MaxAboveCapacity);
		}
		if !strictly_ascending(&self.fixed_fee) {
			return Err(FixedLadderNotAscending);
		}
		if !strictly_ascending(&self.performance_fee) {
			return Err(PerformanceLadderNotAscending);
		}
		let mut step_floor = self.min_delegation;
		for step in self.fixed_fee.iter() {
			// The smallest principal this step can apply to.
			if step.fee > caps.max_fixed_fee_per_round.mul_floor(step_floor) {
				return Err(FixedFeeAboveCap);
			}
			step_floor = step_floor.max(step.up_to.saturating_add(B::one()));
		}
		if self.performance_fee.iter().any(|s| s.fee > caps.max_performance_fee) {
			return Err(PerformanceFeeAboveCap);
		}
		if let Some(previous) = previous {
			let rises_too_much = self.breakpoints(previous).any(|p| {
				self.performance_fee(p)
					> previous.performance_fee(p).saturating_add(caps.max_performance_fee_increase)
			});
			if rises_too_much {
				return Err(PerformanceFeeIncreaseTooLarge);
			}
		}
		if self.commitments.is_empty() {
			return Err(NoCommitmentOptions);
		}
		if !self.commitments.windows(2).all(|w| w[0].term_rounds < w[1].term_rounds) {
			return Err(CommitmentTermsNotAscending);
		}
		if self.commitments.iter().any(|c| c.term_rounds > caps.max_commitment_term) {
			return Err(CommitmentTermTooLong);
		}
		if let Some(doc) = &self.document {
			if doc.uri.is_empty() || !doc.uri.iter().all(|c| c.is_ascii_graphic()) {
				return Err(InvalidDocumentUri);
			}
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	type T = Terms<u128>;
	const NMR: u128 = 1_000_000_000_000_000_000;

	fn ladder<F: Copy>(steps: &[(u128, F)]) -> BoundedVec<FeeStep<u128, F>, ConstU32<8>> {
		BoundedVec::truncate_from(
			steps.iter().map(|&(up_to, fee)| FeeStep { up_to, fee }).collect(),
		)
	}

	fn rolling() -> BoundedVec<CommitmentOption, ConstU32<4>> {
		BoundedVec::truncate_from(vec![CommitmentOption {
			term_rounds: 0,
			discount: Permill::zero(),
		}])
	}

	fn base() -> T {
		Terms {
			capacity: 10_000 * NMR,
			min_delegation: 10 * NMR,
			max_delegation: 1_000 * NMR,
			fixed_fee: ladder(&[(100 * NMR, NMR / 100), (1_000 * NMR, NMR / 20)]),
			performance_fee: ladder(&[
				(100 * NMR, Permill::from_percent(20)),
				(u128::MAX, Permill::from_percent(10)),
			]),
			commitments: rolling(),
			document: None,
		}
	}

	#[test]
	fn base_terms_are_valid_and_look_up_their_steps() {
		let t = base();
		assert_eq!(t.validate(&FeeCaps::DEFAULT, None), Ok(()));
		assert_eq!(t.fixed_fee_per_round(10 * NMR), NMR / 100);
		assert_eq!(t.fixed_fee_per_round(100 * NMR), NMR / 100);
		assert_eq!(t.fixed_fee_per_round(100 * NMR + 1), NMR / 20);
		assert_eq!(t.fixed_fee_per_round(5_000 * NMR), NMR / 20, "last step is open-ended");
		assert_eq!(t.performance_fee(NMR), Permill::from_percent(20));
		assert_eq!(t.performance_fee(101 * NMR), Permill::from_percent(10));
		assert_eq!(t.commitment(0).map(|c| c.discount), Some(Permill::zero()));
		assert_eq!(t.commitment(20), None);
	}

	#[test]
	fn empty_ladders_charge_nothing() {
		let t = Terms { fixed_fee: ladder(&[]), performance_fee: ladder(&[]), ..base() };
		assert_eq!(t.validate(&FeeCaps::DEFAULT, None), Ok(()));
		assert_eq!(t.fixed_fee_per_round(NMR), 0);
		assert_eq!(t.performance_fee(NMR), Permill::zero());
	}

	#[test]
	fn each_rule_has_its_error() {
		use TermsError::*;
		let caps = FeeCaps::DEFAULT;
		let check = |t: T| t.validate(&caps, None);
		assert_eq!(check(Terms { capacity: 0, ..base() }), Err(ZeroCapacity));
		assert_eq!(check(Terms { min_delegation: 0, ..base() }), Err(ZeroMinimum));
		assert_eq!(check(Terms { min_delegation: 2_000 * NMR, ..base() }), Err(MinAboveMax));
		assert_eq!(check(Terms { max_delegation: 20_000 * NMR, ..base() }), Err(MaxAboveCapacity));
		assert_eq!(
			check(Terms { fixed_fee: ladder(&[(5, 0), (5, 0)]), ..base() }),
			Err(FixedLadderNotAscending)
		);
		assert_eq!(
			check(Terms {
				performance_fee: ladder(&[(9, Permill::zero()), (3, Permill::zero())]),
				..base()
			}),
			Err(PerformanceLadderNotAscending)
		);
		// 0.1 % of the 10 NMR minimum is 0.01 NMR; one planck more is too much.
		assert_eq!(
			check(Terms { fixed_fee: ladder(&[(NMR * 100, NMR / 100 + 1)]), ..base() }),
			Err(FixedFeeAboveCap)
		);
		assert_eq!(
			check(Terms { performance_fee: ladder(&[(NMR, Permill::from_percent(31))]), ..base() }),
			Err(PerformanceFeeAboveCap)
		);
		assert_eq!(
			check(Terms { commitments: BoundedVec::new(), ..base() }),
			Err(NoCommitmentOptions)
		);
		let twice = BoundedVec::truncate_from(vec![
			CommitmentOption { term_rounds: 20, discount: Permill::zero() },
			CommitmentOption { term_rounds: 20, discount: Permill::zero() },
		]);
		assert_eq!(check(Terms { commitments: twice, ..base() }), Err(CommitmentTermsNotAscending));
		let long = BoundedVec::truncate_from(vec![CommitmentOption {
			term_rounds: 261,
			discount: Permill::zero(),
		}]);
		assert_eq!(check(Terms { commitments: long, ..base() }), Err(CommitmentTermTooLong));
		let doc = TermsDocument {
			hash: H256::zero(),
			uri: BoundedVec::truncate_from(b"has space".to_vec()),
		};
		assert_eq!(check(Terms { document: Some(doc), ..base() }), Err(InvalidDocumentUri));
	}

	#[test]
	fn performance_fee_may_rise_only_by_the_allowed_step_for_any_principal() {
		let caps = FeeCaps::DEFAULT; // 5 points a version
		let old = base(); // 20 % up to 100 NMR, 10 % above
		let ok = Terms {
			performance_fee: ladder(&[
				(100 * NMR, Permill::from_percent(25)),
				(u128::MAX, Permill::from_percent(15)),
			]),
			..base()
		};
		assert_eq!(ok.validate(&caps, Some(&old)), Ok(()));
		// Highest fee unchanged (20 %), but large delegations go from 10 % to 20 %.
		let sneaky =
			Terms { performance_fee: ladder(&[(u128::MAX, Permill::from_percent(20))]), ..base() };
		assert_eq!(
			sneaky.validate(&caps, Some(&old)),
			Err(TermsError::PerformanceFeeIncreaseTooLarge)
		);
	}

	fn arb_terms() -> impl Strategy<Value = T> {
		(
			1u128..1_000 * NMR,
			proptest::collection::btree_set(1u128..2_000 * NMR, 0..8),
			proptest::collection::vec(0u32..=1_000_000, 8),
			proptest::collection::vec(0u128..NMR, 8),
		)
			.prop_map(|(min, ups, perf, fixed)| {
				let ups: Vec<u128> = ups.into_iter().collect();
				let mut t = base();
				t.min_delegation = min;
				t.max_delegation = min.max(1_000 * NMR);
				t.capacity = t.max_delegation * 10;
				t.performance_fee = ladder(
					&ups.iter()
						.zip(&perf)
						.map(|(&u, &p)| (u, Permill::from_parts(p)))
						.collect::<Vec<_>>(),
				);
				t.fixed_fee =
					ladder(&ups.iter().zip(&fixed).map(|(&u, &f)| (u, f)).collect::<Vec<_>>());
				t
			})
	}

	proptest! {
		/// Valid terms never charge a principal more than the caps allow, at any principal.
		#[test]
		fn valid_terms_respect_caps_everywhere(t in arb_terms(), p in 1u128..3_000 * NMR) {
			let caps = FeeCaps::DEFAULT;
			if t.validate(&caps, None).is_ok() && p >= t.min_delegation {
				prop_assert!(t.fixed_fee_per_round(p) <= caps.max_fixed_fee_per_round.mul_floor(p));
				prop_assert!(t.performance_fee(p) <= caps.max_performance_fee);
			}
		}

		/// The looked-up step is the first that covers the principal, or the last.
		#[test]
		fn step_lookup_picks_the_covering_step(t in arb_terms(), p in 0u128..3_000 * NMR) {
			let ladder = &t.performance_fee;
			match step_for(ladder, p) {
				None => prop_assert!(ladder.is_empty()),
				Some(step) => {
					let i = ladder.iter().position(|s| *s == step).unwrap();
					if p <= step.up_to {
						prop_assert!(i == 0 || ladder[i - 1].up_to < p);
					} else {
						prop_assert_eq!(i, ladder.len() - 1);
					}
				},
			}
		}

		/// Validation is all-or-nothing on order: any non-ascending ladder is refused.
		#[test]
		fn descending_ladders_are_refused(a in 1u128..NMR, b in 1u128..NMR) {
			prop_assume!(a >= b);
			let t = Terms { performance_fee: ladder(&[(a, Permill::zero()), (b, Permill::zero())]), ..base() };
			prop_assert_eq!(t.validate(&FeeCaps::DEFAULT, None), Err(TermsError::PerformanceLadderNotAscending));
		}

		/// After a valid change, no principal's performance fee rose by more than the step.
		#[test]
		fn accepted_changes_rise_at_most_the_step(old in arb_terms(), new in arb_terms(), p in 1u128..3_000 * NMR) {
			let caps = FeeCaps::DEFAULT;
			if new.validate(&caps, Some(&old)).is_ok() {
				prop_assert!(new.performance_fee(p) <= old.performance_fee(p).saturating_add(caps.max_performance_fee_increase));
			}
		}
	}
}
