//! # Stake delegation
//!
//! Stakers delegate NMR to other people's Numerai models and share the result, settled on chain.
//! Each model has a **pool**: a pallet-derived account that holds its stakers' NMR, accounted in
//! **shares** at a **share price** (18-decimal fixed point, starting at 1), as nomination pools
//! and fund vaults do, adapted to Numerai's overlapping rounds:
//!
//! - [`Pallet::delegate`] queues principal into the **activation cohort** of its first round
//!   (`latest opened + 1 + activation lag`): a stake is exposed only to rounds that open after it
//!   joined. The cohort converts to shares at the price when its first round is finalised.
//! - [`Pallet::request_exit`] queues the position's shares into the **exit cohort** of its last
//!   round (the latest opened one, or the end of a commitment); they leave the pool, at the price
//!   after that round, into the **exit pot**, from which [`Pallet::withdraw`] pays.
//! - The oracle finalises each model's rounds in order ([`OnRoundFinalized`]); settling a round
//!   is constant work whatever the number of stakers: activate the round's cohort, move
//!   `q * b * Req` between the owner's bond and the pool, move the price, burn the exit cohort,
//!   record the round. `Req` (what the owner must stake on Numerai for the round) is recorded
//!   lazily the first time the pool is touched after the round opened.
//! - Fees are paid in shares to the owner's fee position at the end of each fee period (fixed
//!   fee per served round, performance fee above a per-delegation high-water mark), computed
//!   lazily per delegation from the recorded history by [`Pallet::settle`], so the result never
//!   depends on when anyone settles.
//! - The owner's bond pays gains; what it cannot pay is the owner's debt.
//!
//! The pallet creates and destroys no NMR: every planck moves between accounts (stakers, the
//! pool account, the owner's bond hold) and the pool's books.
//!
//! ## Calls
//! - stakers: [`Pallet::delegate`], [`Pallet::request_exit`], [`Pallet::withdraw`],
//!   [`Pallet::recommit`]; anyone: [`Pallet::settle`], [`Pallet::catch_up`]
//! - owners: [`Pallet::bond`], [`Pallet::unbond`], [`Pallet::exit_fee_shares`],
//!   [`Pallet::withdraw_fee_exit`], [`Pallet::claim_owner_payable`]
//! - governance: [`Pallet::set_fee_caps`], [`Pallet::set_protocol_params`]

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

mod api;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod fees;
mod impls;
pub mod ledger;
pub mod maths;
#[cfg(test)]
mod mock;
mod params;
mod pool;
mod position;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use numerstake_primitives::{
	ConsistencyRecorder, DelegationInspect, FeeCaps, ModelId, ModelRegistryInspect, ModelStatus,
	ModelStatusControl, OnRoundFinalized, RoundClock, RoundIndex, RoundReturn,
};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// Rounds a call may record inline before it asks for [`Pallet::catch_up`]: normally one round
/// opens between two settlements of a model, so a join or an exit seldom finds more.
pub const INLINE_CATCH_UP: u32 = 2;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::fungible::{Inspect, InspectHold, Mutate, MutateHold},
			PalletId,
		},
		frame_system::pallet_prelude::*,
		sp_core::H256,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why the pallet holds an owner's NMR.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The owner's bond, which pays the stakers' gains.
		#[codec(index = 0)]
		OwnerBond,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// NMR, with holds.
		type Currency: Inspect<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;

		/// The model registry: owners, status, terms, versions, the consistency record.
		type Registry: ModelRegistryInspect<Self::AccountId, Balance>
			+ ModelStatusControl
			+ ConsistencyRecorder;

		/// The oracle's round clock.
		type Rounds: RoundClock;

		/// Root or the council: sets fee caps and protocol parameters.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Derives the pool accounts.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Smallest principal of any delegation, whatever the owner's terms say (storage is
		/// paid for by stake).
		#[pallet::constant]
		type MinDelegation: Get<Balance>;

		/// Rounds of history kept per pool (settlement reads them; older ones are pruned).
		#[pallet::constant]
		type HistoryDepth: Get<u32>;

		/// Rounds recorded per settlement or [`Pallet::catch_up`] call.
		#[pallet::constant]
		type MaxCatchUp: Get<u32>;

		/// Fee periods one [`Pallet::settle`] call walks at most.
		#[pallet::constant]
		type MaxSettlePeriods: Get<u32>;

		/// Weights of the calls and of settlement.
		type WeightInfo: WeightInfo;

		/// Sets up registry and oracle state for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// What benchmarks need from the registry and the oracle.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// Makes `model` an active model of `owner` with `terms` as its only terms version.
		fn active_model(
			model: &ModelId,
			owner: &AccountId,
			terms: numerstake_primitives::terms::Terms<Balance>,
		);
		/// Publishes `terms` for `model`, effective at `effective_round`.
		fn publish_terms(
			model: &ModelId,
			owner: &AccountId,
			terms: numerstake_primitives::terms::Terms<Balance>,
			effective_round: RoundIndex,
		);
		/// Makes `round` the latest opened round.
		fn set_round(round: RoundIndex);
	}

	/// Governance parameters (fee caps and protocol parameters) and the chain's delegated value
	/// of all pools, updated as each round settles (the concentration caps' denominator).
	#[pallet::storage]
	pub type Global<T: Config> = StorageValue<_, GlobalState, ValueQuery>;

	/// Pools by model.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Blake2_128Concat, ModelId, Pool<T::AccountId>>;

	/// Per-round cohort records of a pool (requirement, exit cohort), for rounds not yet
	/// finalised.
	#[pallet::storage]
	pub type Cohorts<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ModelId,
		Twox64Concat,
		RoundIndex,
		RoundCohort,
		ValueQuery,
	>;

	/// Exits asked for before a cohort activated: by the cohort's first round, `(last round,
	/// principal, members)`.
	#[pallet::storage]
	pub type PreExits<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ModelId,
		Twox64Concat,
		RoundIndex,
		BoundedVec<(RoundIndex, Balance, u32), ConstU32<MAX_PRE_EXITS>>,
		ValueQuery,
	>;

	/// Activated cohorts whose members have not all taken their shares: by first round.
	#[pallet::storage]
	pub type Activations<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelId, Twox64Concat, RoundIndex, Activation>;

	/// Exit cohorts that left the pool, until every member withdrew: by last round.
	#[pallet::storage]
	pub type Exits<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelId, Twox64Concat, RoundIndex, ExitRecord>;

	/// What each settled round recorded (the latest [`Config::HistoryDepth`] rounds).
	#[pallet::storage]
	pub type History<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelId, Twox64Concat, RoundIndex, RoundRecord>;

	/// How each closed share epoch ended.
	#[pallet::storage]
	pub type EpochCloses<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelId, Twox64Concat, u32, EpochClose>;

	/// The owner's fee shares queued to leave, by last round.
	#[pallet::storage]
	pub type FeeExits<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelId, Twox64Concat, RoundIndex, FeeExit>;

	/// Finalised results waiting for the pool to catch up with the rounds opened before them.
	#[pallet::storage]
	pub type Deferred<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelId, Twox64Concat, RoundIndex, RoundReturn>;

	/// Delegations by staker, model and index.
	#[pallet::storage]
	pub type Delegations<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Blake2_128Concat, ModelId>,
			NMapKey<Twox64Concat, DelegationIndex>,
		),
		Delegation,
	>;

	/// Per owner: delegated value of their pools and their debt.
	#[pallet::storage]
	pub type Operators<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OperatorStats, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Governance parameters at genesis (defaults if `None`).
		pub params: Option<GovernanceParams>,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let params = self.params.unwrap_or_default();
			if let Err(e) = Pallet::<T>::check_caps(&params.caps)
				.and_then(|()| Pallet::<T>::check_protocol(&params.protocol))
			{
				panic!("genesis delegation parameters out of range: {e:?}");
			}
			Global::<T>::mutate(|g| {
				g.caps = params.caps;
				g.protocol = params.protocol;
			});
		}
	}

	// Event fields are named for what they carry; the variants are documented.
	#[allow(missing_docs)]
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A model's pool opened with the owner's first bond.
		PoolOpened { model: ModelId, owner: T::AccountId, account: T::AccountId },
		/// The owner added to the bond (after repaying `repaid` of debt into the pool).
		Bonded { model: ModelId, amount: Balance, repaid: Balance, bond: Balance },
		/// The owner released part of the bond.
		Unbonded { model: ModelId, amount: Balance, bond: Balance },
		/// A staker delegated.
		Delegated {
			staker: T::AccountId,
			model: ModelId,
			index: DelegationIndex,
			principal: Balance,
			prepaid: Balance,
			first_round: RoundIndex,
			term_rounds: RoundIndex,
			terms_version: u32,
		},
		/// A delegation left before its first round opened, fully refunded.
		DelegationCancelled {
			staker: T::AccountId,
			model: ModelId,
			index: DelegationIndex,
			refunded: Balance,
		},
		/// A delegation will leave after `last_round` (`freed`: why a commitment no longer binds).
		ExitRequested {
			staker: T::AccountId,
			model: ModelId,
			index: DelegationIndex,
			last_round: RoundIndex,
			freed: Option<Freed>,
		},
		/// A delegation was paid out and removed.
		Withdrawn {
			staker: T::AccountId,
			model: ModelId,
			index: DelegationIndex,
			amount: Balance,
			principal: Balance,
			fees_paid: Balance,
		},
		/// A delegation committed for another term.
		Recommitted {
			staker: T::AccountId,
			model: ModelId,
			index: DelegationIndex,
			start: RoundIndex,
			end: RoundIndex,
			prepaid: Balance,
		},
		/// A delegation's fees were settled through `through`.
		FeesSettled {
			staker: T::AccountId,
			model: ModelId,
			index: DelegationIndex,
			through: RoundIndex,
			fee_shares: u128,
			fee_value: Balance,
		},
		/// The pool settled a round.
		RoundSettled {
			model: ModelId,
			round: RoundIndex,
			requirement: Balance,
			activated: Balance,
			transfer: i128,
			exited: Balance,
			price: u128,
			shares: u128,
			served: bool,
		},
		/// The owner staked less on Numerai than required.
		BackingBreach { model: ModelId, round: RoundIndex, requirement: Balance, at_risk: Balance },
		/// The bond could not pay a gain in full.
		OwnerDebtIncurred { model: ModelId, round: RoundIndex, unpaid: Balance, debt: Balance },
		/// Debt was repaid into the pool.
		DebtRepaid { model: ModelId, amount: Balance, debt: Balance },
		/// The bond fell below the requirement: no new delegations.
		UnderBonded { model: ModelId, bond: Balance, required: Balance },
		/// The bond covers the requirement again.
		BondRestored { model: ModelId },
		/// The share price fell below the floor: the epoch's shares were paid out at `price`.
		EpochClosed {
			model: ModelId,
			epoch: u32,
			round: RoundIndex,
			price: u128,
			paid_out: Balance,
		},
		/// A finalised result waits until the pool catches up with the rounds opened before it.
		SettlementDeferred { model: ModelId, round: RoundIndex },
		/// A finalised result could not be applied (`error`); the round was settled as not
		/// submitted instead (no money moved; commitments no longer bind).
		SettlementFailed { model: ModelId, round: RoundIndex, error: DispatchError },
		/// The oracle finalised a round the pool does not expect next; it was ignored.
		ResultIgnored { model: ModelId, round: RoundIndex },
		/// An idle pool restarted at the oracle's next round for its model (after the model was
		/// watched afresh).
		PoolRestarted { model: ModelId, next_round: RoundIndex },
		/// The pool recorded requirements up to `recorded_through`.
		CaughtUp { model: ModelId, recorded_through: RoundIndex, deferred_left: u32 },
		/// The owner queued fee shares to leave after `last_round`.
		FeeSharesExiting { model: ModelId, shares: u128, last_round: RoundIndex },
		/// The owner withdrew exited fee shares.
		FeeExitWithdrawn { model: ModelId, round: RoundIndex, amount: Balance },
		/// The owner claimed what the pool owed them (losses it paid, prepaid fees).
		OwnerPaid { model: ModelId, amount: Balance },
		/// Governance set the fee caps.
		FeeCapsSet { caps: FeeCaps },
		/// Governance set the protocol parameters.
		ProtocolParamsSet { params: ProtocolParams },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such model in the registry.
		UnknownModel,
		/// Only the model's owner may do this.
		NotOwner,
		/// The model's ownership is not verified, or it has no terms yet.
		ModelNotActive,
		/// The model is under-bonded: no new delegations until the owner bonds more.
		ModelUnderBonded,
		/// The model is suspended by governance.
		ModelSuspended,
		/// The model is retiring.
		ModelRetiring,
		/// The oracle does not follow this model's results.
		ModelNotWatched,
		/// The oracle has not reported any round yet: a join would have no round to start in.
		NoRoundsYet,
		/// The model has published no terms.
		NoTerms,
		/// The terms changed since the staker read them (their version is not the latest).
		TermsChanged,
		/// The terms document is not the one the staker saw.
		DocumentChanged,
		/// The terms offer no commitment of that many rounds.
		CommitmentNotOffered,
		/// Below the terms' minimum delegation.
		BelowMinimum,
		/// Above the terms' maximum delegation.
		AboveMaximum,
		/// Below the chain's smallest delegation.
		BelowProtocolMinimum,
		/// The model's capacity would be exceeded.
		CapacityExceeded,
		/// The owner's bond does not cover the requirement with this delegation.
		InsufficientBond,
		/// The model would hold more of all delegated stake than governance allows.
		ModelConcentration,
		/// The owner's models would hold more of all delegated stake than governance allows.
		OperatorConcentration,
		/// Too many rounds with joins are waiting to activate (the oracle is far behind).
		TooManyPendingCohorts,
		/// Rounds opened since the pool was last touched must be recorded first: call
		/// `catch_up`.
		CatchUpRequired,
		/// Nothing to catch up.
		AlreadyCaughtUp,
		/// The owner has not opened a pool for this model (no bond).
		NoPool,
		/// No such delegation.
		UnknownDelegation,
		/// The delegation is already leaving.
		AlreadyExiting,
		/// The delegation has not asked to exit.
		NotExiting,
		/// The delegation's last round is not finalised yet.
		NotYetReleased,
		/// More fee periods are due than one call settles: call `settle` first.
		SettleFirst,
		/// Too many distinct exit rounds were asked for in this cohort before it activated.
		TooManyPendingExits,
		/// The delegation is inside its commitment.
		Locked,
		/// The delegation is not active in the pool.
		NotActive,
		/// A new commitment needs a term of at least one round.
		ZeroTerm,
		/// The delegation carries as many commitments as it can until it is settled past the
		/// older one.
		TooManyCommitments,
		/// The account cannot pay this.
		InsufficientBalance,
		/// The amount is zero.
		ZeroAmount,
		/// Unbonding would leave less than the requirement.
		BondBelowRequirement,
		/// The amount exceeds the bond.
		AmountExceedsBond,
		/// The owner owes the pool a gain; repay it (bond more) first.
		InDebt,
		/// The owner's fee position holds fewer shares.
		InsufficientFeeShares,
		/// No fee shares left at that round.
		NoFeeExit,
		/// Fee shares of a closed epoch wait at that round: withdraw them first.
		FeeExitPending,
		/// Nothing to claim.
		NothingToClaim,
		/// The paid-out amount cannot be received (an account that does not exist needs at least
		/// the existential deposit).
		CannotReceive,
		/// The pool's owner still has obligations in it; the new owner cannot take it over.
		PoolHasObligations,
		/// A terms version the delegation needs is no longer stored.
		TermsVersionMissing,
		/// Too many terms versions in use at once.
		TooManyVersionsInUse,
		/// An arithmetic overflow (amounts beyond any real supply).
		Overflow,
		/// Activation lag outside its safe range.
		ActivationLagOutOfRange,
		/// Bond ratio outside its safe range.
		BondRatioOutOfRange,
		/// Grace rounds outside their safe range.
		GraceRoundsOutOfRange,
		/// Model concentration cap outside its safe range.
		ModelCapOutOfRange,
		/// Owner concentration cap outside its safe range.
		OperatorCapOutOfRange,
		/// Minimum total for the caps outside its safe range.
		CapsFromTotalOutOfRange,
		/// Fee period outside its safe range.
		FeePeriodOutOfRange,
		/// Maximum performance fee outside its safe range.
		MaxPerformanceFeeOutOfRange,
		/// Maximum fixed fee outside its safe range.
		MaxFixedFeeOutOfRange,
		/// Maximum performance-fee increase outside its safe range.
		MaxPerformanceFeeIncreaseOutOfRange,
		/// Minimum fee-change notice outside its safe range.
		MinFeeChangeNoticeOutOfRange,
		/// Longest commitment term outside its safe range.
		MaxCommitmentTermOutOfRange,
	}

	impl<T: Config> From<crate::ledger::QueueRefused> for Error<T> {
		fn from(refused: crate::ledger::QueueRefused) -> Self {
			match refused {
				crate::ledger::QueueRefused::Full => Error::<T>::TooManyPendingCohorts,
				crate::ledger::QueueRefused::NoCohort => Error::<T>::UnknownDelegation,
				crate::ledger::QueueRefused::Overflow => Error::<T>::Overflow,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxCatchUp::get() >= INLINE_CATCH_UP,
				"MaxCatchUp below the inline catch-up"
			);
			assert!(
				T::HistoryDepth::get() > ProtocolParams::SAFE.1.fee_period,
				"history shorter than a fee period"
			);
			assert!(T::MaxSettlePeriods::get() >= 1, "settle must walk at least one period");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Delegates `principal` to `model`, for `term_rounds` (0: rolling; otherwise one of the
		/// terms' commitment options, whose whole fixed fee is prepaid now). The staker names the
		/// terms version and document hash they read (`terms_version`, `document_hash`); if the
		/// owner published anything since, the call fails. The principal is exposed from round
		/// `latest opened + 1 + activation lag`; until that round opens, `request_exit` cancels
		/// with a full refund.
		///
		/// ### Errors
		/// `BelowProtocolMinimum`, `UnknownModel`, `ModelNotActive`, `ModelUnderBonded`,
		/// `ModelSuspended`, `ModelRetiring`, `NoRoundsYet`, `NoTerms`, `TermsChanged`,
		/// `DocumentChanged`, `CommitmentNotOffered`, `BelowMinimum`, `AboveMaximum`, `NoPool`,
		/// `ModelNotWatched`, `CatchUpRequired`, `CapacityExceeded`, `InsufficientBond`, `ModelConcentration`,
		/// `OperatorConcentration`, `TooManyPendingCohorts`, `TooManyVersionsInUse`,
		/// `InsufficientBalance`, `Overflow`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::delegate().saturating_add(inline_catch_up::<T>()))]
		pub fn delegate(
			origin: OriginFor<T>,
			model: ModelId,
			principal: Balance,
			term_rounds: RoundIndex,
			terms_version: u32,
			document_hash: Option<H256>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let recorded = Self::do_delegate(
				who,
				model,
				principal,
				term_rounds,
				terms_version,
				document_hash,
			)?;
			Ok(Some(
				T::WeightInfo::delegate()
					.saturating_add(T::WeightInfo::record_round().saturating_mul(recorded.into())),
			)
			.into())
		}

		/// Asks to leave `model`'s pool with delegation `index`. Before the delegation's first
		/// round opened this cancels it with a full refund. Otherwise it stays exposed to every
		/// round opened so far (or, while a commitment binds, to the end of the commitment) and is
		/// paid out by `withdraw` once that round is finalised. A commitment no longer binds after
		/// a backing breach, a version change inside it, or under-bonding past the grace rounds.
		/// Fees due are settled first.
		///
		/// ### Errors
		/// `UnknownDelegation`, `NoPool`, `CatchUpRequired`, `AlreadyExiting`, `SettleFirst`,
		/// `TooManyPendingExits`, `InsufficientBalance` (refund), `Overflow`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::request_exit().saturating_add(inline_catch_up::<T>()))]
		pub fn request_exit(
			origin: OriginFor<T>,
			model: ModelId,
			index: DelegationIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_exit(who, model, index)
		}

		/// Pays out a delegation whose last round is finalised (or whose share epoch closed):
		/// its shares at the price after that round, less fees due, which go to the owner. The
		/// delegation is removed.
		///
		/// ### Errors
		/// `UnknownDelegation`, `NoPool`, `CatchUpRequired`, `NotExiting`, `NotYetReleased`,
		/// `SettleFirst`, `CannotReceive`, `Overflow`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::withdraw().saturating_add(inline_catch_up::<T>()))]
		pub fn withdraw(
			origin: OriginFor<T>,
			model: ModelId,
			index: DelegationIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who, model, index)
		}

		/// Commits an active delegation, whose previous commitment (if any) has ended, for another
		/// `term_rounds` from the next round, at the latest terms (`terms_version`, which the
		/// staker consents to); the term's fixed fee is paid now from the staker's balance.
		///
		/// ### Errors
		/// `UnknownDelegation`, `NoPool`, `CatchUpRequired`, `NotActive`, `Locked`, `ZeroTerm`,
		/// `NoTerms`, `TermsChanged`, `CommitmentNotOffered`, `SettleFirst`,
		/// `TooManyCommitments`, `TooManyVersionsInUse`, `InsufficientBalance`, `Overflow`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::recommit().saturating_add(inline_catch_up::<T>()))]
		pub fn recommit(
			origin: OriginFor<T>,
			model: ModelId,
			index: DelegationIndex,
			term_rounds: RoundIndex,
			terms_version: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_recommit(who, model, index, term_rounds, terms_version)
		}

		/// Settles up to `max_periods` fee periods of `staker`'s delegation (anyone may call):
		/// the fees move in shares to the owner's fee position. Resumable: call again while
		/// periods remain.
		///
		/// ### Errors
		/// `UnknownDelegation`, `NoPool`, `TermsVersionMissing`, `TooManyVersionsInUse`,
		/// `Overflow`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::settle((*max_periods).clamp(1, T::MaxSettlePeriods::get())))]
		pub fn settle(
			origin: OriginFor<T>,
			staker: T::AccountId,
			model: ModelId,
			index: DelegationIndex,
			max_periods: u32,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let limit = max_periods.clamp(1, T::MaxSettlePeriods::get());
			let walked = Self::do_settle(staker, model, index, limit)?;
			Ok(Some(T::WeightInfo::settle(walked.max(1))).into())
		}

		/// Adds `amount` to the owner's bond for `model` (opening the pool on the first bond, for
		/// which the owner also pays the pool account's existential deposit). Debt is repaid into
		/// the pool first (once the pool has recorded the rounds opened since it was last
		/// touched; a pool further behind takes it all as bond).
		///
		/// ### Errors
		/// `UnknownModel`, `NotOwner`, `ModelNotActive`, `ZeroAmount`, `PoolHasObligations`,
		/// `InsufficientBalance`, `Overflow`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::bond().saturating_add(inline_catch_up::<T>()))]
		pub fn bond(origin: OriginFor<T>, model: ModelId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond(who, model, amount)
		}

		/// Releases `amount` of the bond, as long as what stays covers the requirement (with
		/// everything still exposed or queued) and the owner owes no pool anything.
		///
		/// ### Errors
		/// `NoPool`, `NotOwner`, `ZeroAmount`, `InDebt`, `CatchUpRequired`, `AmountExceedsBond`,
		/// `BondBelowRequirement`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::unbond().saturating_add(inline_catch_up::<T>()))]
		pub fn unbond(origin: OriginFor<T>, model: ModelId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who, model, amount)
		}

		/// Queues `shares` of the owner's fee position to leave the pool after the latest opened
		/// round, like any staker's exit.
		///
		/// ### Errors
		/// `NoPool`, `NotOwner`, `ZeroAmount`, `InDebt`, `CatchUpRequired`,
		/// `InsufficientFeeShares`, `FeeExitPending`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::exit_fee_shares().saturating_add(inline_catch_up::<T>()))]
		pub fn exit_fee_shares(
			origin: OriginFor<T>,
			model: ModelId,
			shares: u128,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_exit_fee_shares(who, model, shares)
		}

		/// Pays the owner the fee shares that left after `round`, once it is finalised (debt is
		/// repaid into the pool first).
		///
		/// ### Errors
		/// `NoPool`, `NotOwner`, `InDebt` (debt in another pool), `CatchUpRequired`,
		/// `NoFeeExit`, `NotYetReleased`, `Overflow`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::withdraw_fee_exit().saturating_add(inline_catch_up::<T>()))]
		pub fn withdraw_fee_exit(
			origin: OriginFor<T>,
			model: ModelId,
			round: RoundIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_fee_exit(who, model, round)
		}

		/// Pays the owner what the pool owes them: losses it paid (the owner's Numerai stake took
		/// the burn) and prepaid fees (debt is repaid into the pool first).
		///
		/// ### Errors
		/// `NoPool`, `NotOwner`, `NothingToClaim`, `InDebt` (debt in another pool),
		/// `CatchUpRequired`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::claim_owner_payable().saturating_add(inline_catch_up::<T>()))]
		pub fn claim_owner_payable(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_owner_payable(who, model)
		}

		/// Records the requirements of rounds opened since the pool was last touched and applies
		/// deferred results (anyone may call; bounded per call).
		///
		/// ### Errors
		/// `NoPool`, `AlreadyCaughtUp`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::catch_up())]
		pub fn catch_up(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_catch_up(model)
		}

		/// Governance sets the caps on owners' terms, each within its safe range. Terms already
		/// published and commitments already locked are not re-checked.
		///
		/// ### Errors
		/// `BadOrigin`, and the field's `…OutOfRange` error.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::set_fee_caps())]
		pub fn set_fee_caps(origin: OriginFor<T>, caps: FeeCaps) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::check_caps(&caps)?;
			Global::<T>::mutate(|p| p.caps = caps);
			Self::deposit_event(Event::FeeCapsSet { caps });
			Ok(())
		}

		/// Governance sets the protocol parameters, each within its safe range. A new fee period
		/// applies from each pool's next period end; a new activation lag to new delegations.
		///
		/// ### Errors
		/// `BadOrigin`, and the field's `…OutOfRange` error.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::set_protocol_params())]
		pub fn set_protocol_params(origin: OriginFor<T>, params: ProtocolParams) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::check_protocol(&params)?;
			Global::<T>::mutate(|p| p.protocol = params);
			Self::deposit_event(Event::ProtocolParamsSet { params });
			Ok(())
		}
	}
}

/// The most a call spends recording opened rounds inline ([`INLINE_CATCH_UP`] rounds).
pub fn inline_catch_up<T: Config>() -> polkadot_sdk::frame_support::weights::Weight {
	T::WeightInfo::record_round().saturating_mul(INLINE_CATCH_UP.into())
}

/// The current fee caps, for the registry's terms checks.
pub struct CurrentFeeCaps<T>(core::marker::PhantomData<T>);
impl<T: Config> polkadot_sdk::frame_support::traits::Get<FeeCaps> for CurrentFeeCaps<T> {
	fn get() -> FeeCaps {
		Global::<T>::get().caps
	}
}
