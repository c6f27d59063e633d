//! # Model registry
//!
//! Numerai models on numerstake: who owns them (proven by a challenge the owner puts in the
//! model's public Numerai profile and the oracle quorum attests), on what terms they take
//! delegations (versioned fee ladders and commitment options, checked against governance caps
//! and announced ahead), which model version they run (commitments announced ahead), and how
//! consistent they have been (rounds, backing breaches, and an optional consistency bond that
//! delegators can grief, Erasure-style).
//!
//! The registry holds no delegated money. It holds two kinds of the owner's own NMR on
//! `pallet-balances` holds: the registration deposit and the consistency bond. Its only burns are
//! the evented griefing burns and the deposit of a claim the oracle refuted (its name is not the
//! model's: `Event::ClaimRefuted`).
//!
//! ## Calls
//! - [`Pallet::register_model`], [`Pallet::expire_claim`], [`Pallet::deregister_model`]
//! - [`Pallet::set_terms`], [`Pallet::commit_version`], [`Pallet::retire_model`]
//! - [`Pallet::post_consistency_bond`], [`Pallet::request_bond_withdrawal`],
//!   [`Pallet::withdraw_consistency_bond`], [`Pallet::grief`]
//! - governance: [`Pallet::suspend_model`], [`Pallet::resume_model`]
//!
//! Other pallets use the traits of `numerstake-primitives`: [`OwnershipAttestation`] (oracle),
//! [`ModelRegistryInspect`], [`ModelStatusControl`] and [`ConsistencyRecorder`].

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

mod api;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use numerstake_primitives::{
	terms::{Terms, TermsError},
	ConsistencyRecorder, DelegationInspect, FeeCaps, ModelId, ModelIdError, ModelRegistryInspect,
	ModelStatus, ModelStatusControl, OwnershipAttestation, PendingClaim, RoundClock, RoundIndex,
};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// The balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as polkadot_sdk::frame_support::traits::fungible::Inspect<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
	>>::Balance;

/// A model record with the runtime's types.
pub type ModelInfoOf<T> = ModelInfo<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor<T>,
>;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::{Mutate, MutateHold},
				tokens::{Fortitude, Precision, Preservation},
			},
		},
		frame_system::pallet_prelude::*,
		sp_core::H256,
		sp_runtime::traits::{CheckedAdd, Saturating, Zero},
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why the registry holds an owner's NMR.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The storage deposit of a registered model.
		#[codec(index = 0)]
		ModelDeposit,
		/// A consistency bond, burnable by griefing delegators.
		#[codec(index = 1)]
		ConsistencyBond,
	}

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// NMR, with holds.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;

		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;

		/// The latest opened Numerai round (the oracle).
		type RoundClock: RoundClock;

		/// Who delegates to which model (the stake-delegation pallet).
		type Delegations: DelegationInspect<Self::AccountId>;

		/// The governance caps on fees and terms changes.
		type FeeCaps: Get<FeeCaps>;

		/// Who may suspend and resume models.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Deposit held for each registered or claimed model.
		#[pallet::constant]
		type ModelDeposit: Get<BalanceOf<Self>>;

		/// Blocks an unverified claim stays live.
		#[pallet::constant]
		type ClaimTtl: Get<BlockNumberFor<Self>>;

		/// Fewest rounds between announcing a model version and its taking effect.
		#[pallet::constant]
		type VersionNotice: Get<RoundIndex>;

		/// Most terms versions stored per model.
		#[pallet::constant]
		type MaxTermsVersions: Get<u32>;

		/// Most version commitments kept per model (older ones are dropped).
		#[pallet::constant]
		type MaxVersionHistory: Get<u32>;

		/// Longest note on a version commitment.
		#[pallet::constant]
		type MaxNoteLen: Get<u32>;

		/// Blocks between requesting a consistency-bond withdrawal and withdrawing.
		#[pallet::constant]
		type ConsistencyBondNotice: Get<BlockNumberFor<Self>>;

		/// Least and greatest grief ratio, in percent (bond burned per unit burned by a griefer).
		#[pallet::constant]
		type MinGriefRatioPercent: Get<u32>;
		/// See [`Config::MinGriefRatioPercent`].
		#[pallet::constant]
		type MaxGriefRatioPercent: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Sets up the neighbours' state that benchmarks need.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// What benchmarks need from the pallets around the registry.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// Makes `round` the current round of the round clock.
		fn set_round(round: RoundIndex);
		/// Makes `who` a delegator of `model`.
		fn make_delegator(model: &ModelId, who: &AccountId);
	}

	/// Models by Numerai model id.
	#[pallet::storage]
	pub type Models<T: Config> = StorageMap<_, Blake2_128Concat, ModelId, ModelInfoOf<T>>;

	/// The models of each owner (an index for wallets and the CLI).
	#[pallet::storage]
	pub type OwnerModels<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, ModelId, ()>;

	/// Claims awaiting the oracle's attestation, with the block they lapse after. The oracle's
	/// off-chain workers read this (bounded batches); nothing on chain iterates it.
	#[pallet::storage]
	pub type PendingClaims<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, ModelId, BlockNumberFor<T>>;

	/// Models whose profile showed another account's challenge while a claim was pending: until
	/// `until`, only the account of that challenge may claim the model (set by the oracle
	/// quorum, removed when that account claims it, when a claim is verified, or by the next
	/// claim after `until`).
	#[pallet::storage]
	pub type Reservations<T: Config> =
		StorageMap<_, Blake2_128Concat, ModelId, Reservation<BlockNumberFor<T>>>;

	/// Terms versions by model and version index.
	#[pallet::storage]
	pub type TermsVersions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ModelId,
		Twox64Concat,
		u32,
		TermsVersion<BalanceOf<T>>,
	>;

	/// Version commitments by model.
	#[pallet::storage]
	pub type Versions<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		ModelId,
		VersionHistory<T::MaxNoteLen, T::MaxVersionHistory>,
		ValueQuery,
	>;

	/// All NMR the registry burned, ever (griefs and refuted claims, each evented): for the
	/// chain's issuance invariant (NMR is destroyed only by the bridge and these burns).
	#[pallet::storage]
	pub type Burned<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Consistency bonds by model.
	#[pallet::storage]
	pub type ConsistencyBonds<T: Config> =
		StorageMap<_, Blake2_128Concat, ModelId, ConsistencyBond<BalanceOf<T>, BlockNumberFor<T>>>;

	/// Consistency records by model.
	#[pallet::storage]
	pub type Records<T: Config> =
		StorageMap<_, Blake2_128Concat, ModelId, ConsistencyRecord<BalanceOf<T>>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Models registered and verified at genesis (demo models of dev chains): the model,
		/// its owner (who must hold the deposit) and its Numerai name.
		pub verified_models: alloc::vec::Vec<(ModelId, T::AccountId, alloc::vec::Vec<u8>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (model, owner, name) in &self.verified_models {
				let name = ModelName::try_from(name.clone())
					.unwrap_or_else(|_| panic!("genesis model name too long"));
				let verified = Pallet::<T>::check_name(&name)
					.map_err(DispatchError::from)
					.and_then(|()| Pallet::<T>::do_register(owner.clone(), *model, name))
					.and_then(|()| {
						<Pallet<T> as OwnershipAttestation<T::AccountId>>::attest_ownership(
							model, owner,
						)
					});
				if let Err(e) = verified {
					panic!("cannot register genesis model: {e:?}");
				}
			}
		}
	}

	// Event fields are named for what they carry; the variants are documented.
	#[allow(missing_docs)]
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A model was claimed; the claimant must put `challenge` in its Numerai profile.
		ModelClaimed {
			model: ModelId,
			owner: T::AccountId,
			name: ModelName,
			deposit: BalanceOf<T>,
			claim_expires_at: BlockNumberFor<T>,
		},
		/// An unverified claim lapsed; its deposit went back to the claimant.
		ClaimExpired { model: ModelId, claimant: T::AccountId },
		/// The oracle quorum found that the profile of the name the claim gave is no model's
		/// or another model's: the claim ended and its deposit, `burned`, was burned.
		ClaimRefuted {
			model: ModelId,
			claimant: T::AccountId,
			name: ModelName,
			burned: BalanceOf<T>,
		},
		/// The model's profile shows the challenge of digest `digest`, not the pending
		/// claimant's: until block `until` only that challenge's account may claim it.
		ModelReserved { model: ModelId, digest: [u8; 32], until: BlockNumberFor<T> },
		/// The oracle quorum attested the owner's challenge.
		OwnershipVerified { model: ModelId, owner: T::AccountId },
		/// A terms version was published.
		TermsPublished { model: ModelId, version: u32, effective_round: RoundIndex },
		/// A model version was announced.
		VersionCommitted { model: ModelId, artefact_hash: H256, effective_round: RoundIndex },
		/// The status changed.
		StatusChanged { model: ModelId, from: ModelStatus, to: ModelStatus },
		/// The consistency bond grew.
		ConsistencyBondPosted {
			model: ModelId,
			amount: BalanceOf<T>,
			total: BalanceOf<T>,
			ratio_percent: u32,
		},
		/// A consistency-bond withdrawal was requested.
		BondWithdrawalRequested {
			model: ModelId,
			amount: BalanceOf<T>,
			unlock_at: BlockNumberFor<T>,
		},
		/// Consistency bond released to the owner.
		BondWithdrawn { model: ModelId, amount: BalanceOf<T> },
		/// A delegator griefed: both burns, in planck.
		Griefed {
			model: ModelId,
			delegator: T::AccountId,
			burned_by_delegator: BalanceOf<T>,
			burned_from_bond: BalanceOf<T>,
		},
		/// A model left the registry; deposit and any bond went back to the owner.
		ModelDeregistered { model: ModelId, owner: T::AccountId, released: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The model id is not 36 characters (`8-4-4-4-12` hyphenated UUID).
		ModelIdWrongLength,
		/// The model id has a hyphen out of place or missing.
		ModelIdMisplacedHyphen,
		/// The model id has a character that is not a hexadecimal digit.
		ModelIdNotHex,
		/// The model id is the nil UUID.
		ModelIdNil,
		/// The name is empty.
		NameEmpty,
		/// The name has a character other than `a-z`, `0-9` and `_`.
		NameInvalidCharacter,
		/// The model has a verified owner.
		AlreadyRegistered,
		/// The model has a live, unverified claim.
		ClaimPending,
		/// The model's profile shows another account's challenge: only that account may claim
		/// it until the reservation ends.
		ModelReserved,
		/// A reservation must be for a challenge other than the pending claimant's own.
		ReservedForClaimant,
		/// No such model.
		UnknownModel,
		/// Only the model's owner may do this.
		NotOwner,
		/// The model's ownership is not verified yet.
		NotVerified,
		/// The claim is not pending.
		NotPending,
		/// The claim has not lapsed yet.
		ClaimNotExpired,
		/// The claim lapsed before it was verified.
		ClaimExpired,
		/// The attested account is not the claimant.
		ClaimantMismatch,
		/// The model is suspended.
		ModelSuspended,
		/// The model is retiring.
		ModelRetiring,
		/// The model's status does not allow this.
		InvalidStatus,
		/// Delegations, exit pots or unsettled fees still refer to the model.
		HasObligations,
		/// The model has as many terms versions as it may store and the oldest is still needed.
		TooManyTermsVersions,
		/// The effective round is earlier than the notice period allows.
		EffectiveRoundTooSoon,
		/// The effective round is not after the previous version's.
		EffectiveRoundNotAfterPrevious,
		/// A version commitment is already waiting to take effect.
		VersionAlreadyPending,
		/// Capacity is zero.
		ZeroCapacity,
		/// The minimum delegation is zero.
		ZeroMinimum,
		/// The minimum delegation exceeds the maximum.
		MinAboveMax,
		/// The maximum delegation exceeds the capacity.
		MaxAboveCapacity,
		/// The fixed-fee ladder is not strictly ascending.
		FixedLadderNotAscending,
		/// The performance-fee ladder is not strictly ascending.
		PerformanceLadderNotAscending,
		/// A fixed fee exceeds the governance cap.
		FixedFeeAboveCap,
		/// A performance fee exceeds the governance cap.
		PerformanceFeeAboveCap,
		/// A performance fee rises more than governance allows per version.
		PerformanceFeeIncreaseTooLarge,
		/// No commitment option.
		NoCommitmentOptions,
		/// Commitment terms are not strictly ascending.
		CommitmentTermsNotAscending,
		/// A commitment term exceeds the governance cap.
		CommitmentTermTooLong,
		/// The terms document URI is empty or not printable ASCII.
		InvalidDocumentUri,
		/// The amount is zero.
		ZeroAmount,
		/// The account cannot pay this from its free balance.
		InsufficientBalance,
		/// The grief ratio is outside the allowed range.
		GriefRatioOutOfRange,
		/// The bond exists with another ratio; withdraw it fully to change the ratio.
		GriefRatioMismatch,
		/// The model has no consistency bond.
		NoConsistencyBond,
		/// The amount exceeds the bond.
		AmountExceedsBond,
		/// A withdrawal is already waiting.
		WithdrawalPending,
		/// No withdrawal was requested.
		NoWithdrawalRequested,
		/// The withdrawal notice has not passed.
		WithdrawalNotDue,
		/// Only a delegator of the model may grief it.
		NotDelegator,
		/// An arithmetic overflow (amounts beyond any real supply).
		Overflow,
		/// The account owes a pool a gain its bond could not pay; it may register models again
		/// once the debt is repaid.
		OwnerInDebt,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Claims a Numerai model: `numerai_model_id` is its UUID as text
		/// (`11111111-2222-4333-8444-555555555555`), `name` its public name. Holds
		/// [`Config::ModelDeposit`]. The claim lapses after [`Config::ClaimTtl`] blocks unless the
		/// oracle quorum attests the challenge (runtime API `ownership_challenge`) in the
		/// model's Numerai profile. A lapsed claim by someone else is cleared first.
		///
		/// ### Errors
		/// `ModelIdWrongLength`, `ModelIdMisplacedHyphen`, `ModelIdNotHex`, `ModelIdNil`,
		/// `NameEmpty`, `NameInvalidCharacter`, `OwnerInDebt`, `AlreadyRegistered`,
		/// `ClaimPending`, `ModelReserved` (the profile shows another account's challenge),
		/// `InsufficientBalance`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_model())]
		pub fn register_model(
			origin: OriginFor<T>,
			numerai_model_id: ModelIdText,
			name: ModelName,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let model = Self::parse_model_id(&numerai_model_id)?;
			Self::check_name(&name)?;
			Self::do_register(who, model, name)
		}

		/// Publishes a new terms version, effective at `effective_round` (or, with `None`, the
		/// earliest round allowed: the next round for a model's first terms, otherwise the
		/// current round plus the governance notice). Rolling delegations move to it then;
		/// committed delegations keep the version they locked. The first terms make a verified
		/// model `Active`.
		///
		/// ### Errors
		/// `UnknownModel`, `NotOwner`, `NotVerified`, `ModelSuspended`, `ModelRetiring`,
		/// `EffectiveRoundTooSoon`, `EffectiveRoundNotAfterPrevious`, `TooManyTermsVersions`,
		/// and the terms errors (`ZeroCapacity` … `InvalidDocumentUri`).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_terms())]
		pub fn set_terms(
			origin: OriginFor<T>,
			model: ModelId,
			terms: Terms<BalanceOf<T>>,
			effective_round: Option<RoundIndex>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_terms(who, model, terms, effective_round)
		}

		/// Announces the model version (hash of the artefact or pipeline) that the model will
		/// submit from `effective_round` (or, with `None`, the earliest allowed: current round
		/// plus [`Config::VersionNotice`]). A version change inside a delegator's commitment
		/// frees that delegator to exit.
		///
		/// ### Errors
		/// `UnknownModel`, `NotOwner`, `NotVerified`, `ModelRetiring`, `EffectiveRoundTooSoon`,
		/// `EffectiveRoundNotAfterPrevious`, `VersionAlreadyPending`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::commit_version())]
		pub fn commit_version(
			origin: OriginFor<T>,
			model: ModelId,
			artefact_hash: H256,
			effective_round: Option<RoundIndex>,
			note: BoundedVec<u8, T::MaxNoteLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_version(who, model, artefact_hash, effective_round, note)
		}

		/// Adds `amount` to the model's consistency bond, at `ratio_percent` (bond burned per
		/// unit a griefer burns; 300 = 3x). The ratio is fixed while a bond exists.
		///
		/// ### Errors
		/// `UnknownModel`, `NotOwner`, `NotVerified`, `ZeroAmount`, `GriefRatioOutOfRange`,
		/// `GriefRatioMismatch`, `InsufficientBalance`, `Overflow`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::post_consistency_bond())]
		pub fn post_consistency_bond(
			origin: OriginFor<T>,
			model: ModelId,
			amount: BalanceOf<T>,
			ratio_percent: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Self::owned_model(&who, &model)?;
			ensure!(info.status.is_verified(), Error::<T>::NotVerified);
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			ensure!(
				(T::MinGriefRatioPercent::get()..=T::MaxGriefRatioPercent::get())
					.contains(&ratio_percent),
				Error::<T>::GriefRatioOutOfRange
			);
			let mut bond = ConsistencyBonds::<T>::get(model).unwrap_or(ConsistencyBond {
				amount: Zero::zero(),
				ratio_percent,
				withdrawal: None,
			});
			ensure!(bond.ratio_percent == ratio_percent, Error::<T>::GriefRatioMismatch);
			bond.amount = bond.amount.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			T::Currency::hold(&HoldReason::ConsistencyBond.into(), &who, amount)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			let total = bond.amount;
			ConsistencyBonds::<T>::insert(model, bond);
			Self::deposit_event(Event::ConsistencyBondPosted {
				model,
				amount,
				total,
				ratio_percent,
			});
			Ok(())
		}

		/// Starts the notice for releasing `amount` of the consistency bond. The bond stays
		/// burnable by griefers until it is withdrawn.
		///
		/// ### Errors
		/// `UnknownModel`, `NotOwner`, `NoConsistencyBond`, `ZeroAmount`, `AmountExceedsBond`,
		/// `WithdrawalPending`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::request_bond_withdrawal())]
		pub fn request_bond_withdrawal(
			origin: OriginFor<T>,
			model: ModelId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::owned_model(&who, &model)?;
			let mut bond =
				ConsistencyBonds::<T>::get(model).ok_or(Error::<T>::NoConsistencyBond)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			ensure!(amount <= bond.amount, Error::<T>::AmountExceedsBond);
			ensure!(bond.withdrawal.is_none(), Error::<T>::WithdrawalPending);
			let unlock_at = Self::now().saturating_add(T::ConsistencyBondNotice::get());
			bond.withdrawal = Some(BondWithdrawal { amount, unlock_at });
			ConsistencyBonds::<T>::insert(model, bond);
			Self::deposit_event(Event::BondWithdrawalRequested { model, amount, unlock_at });
			Ok(())
		}

		/// Releases the requested part of the consistency bond once its notice has passed (less
		/// whatever griefing burned meanwhile).
		///
		/// ### Errors
		/// `UnknownModel`, `NotOwner`, `NoConsistencyBond`, `NoWithdrawalRequested`,
		/// `WithdrawalNotDue`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::withdraw_consistency_bond())]
		pub fn withdraw_consistency_bond(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::owned_model(&who, &model)?;
			let mut bond =
				ConsistencyBonds::<T>::get(model).ok_or(Error::<T>::NoConsistencyBond)?;
			let withdrawal = bond.withdrawal.clone().ok_or(Error::<T>::NoWithdrawalRequested)?;
			ensure!(Self::now() >= withdrawal.unlock_at, Error::<T>::WithdrawalNotDue);
			let amount = withdrawal.amount.min(bond.amount);
			T::Currency::release(
				&HoldReason::ConsistencyBond.into(),
				&who,
				amount,
				Precision::Exact,
			)?;
			bond.amount = bond.amount.saturating_sub(amount);
			bond.withdrawal = None;
			if bond.amount.is_zero() {
				ConsistencyBonds::<T>::remove(model);
			} else {
				ConsistencyBonds::<T>::insert(model, bond);
			}
			Self::deposit_event(Event::BondWithdrawn { model, amount });
			Ok(())
		}

		/// A delegator who believes the model was swapped burns `amount` of their own NMR to
		/// burn `amount * ratio` of the consistency bond. When the bond cannot cover that, the
		/// delegator burns only what the remaining bond justifies (rounded up).
		///
		/// ### Errors
		/// `UnknownModel`, `NotDelegator`, `NoConsistencyBond`, `ZeroAmount`,
		/// `InsufficientBalance`, `Overflow`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::grief())]
		pub fn grief(origin: OriginFor<T>, model: ModelId, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_grief(who, model, amount)
		}

		/// The owner winds the model down: no new delegations or terms from now on; existing
		/// delegations run out under their terms. Deregister once nothing refers to it.
		///
		/// ### Errors
		/// `UnknownModel`, `NotOwner`, `NotVerified`, `InvalidStatus` (already retiring).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::retire_model())]
		pub fn retire_model(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Self::owned_model(&who, &model)?;
			ensure!(info.status.is_verified(), Error::<T>::NotVerified);
			ensure!(info.status != ModelStatus::Retiring, Error::<T>::InvalidStatus);
			Self::set_status(&model, ModelStatus::Retiring)
		}

		/// Removes a verified-but-unused or retiring model once no delegation, exit pot or
		/// unsettled fee refers to it; releases the deposit and any consistency bond (nobody
		/// is left to grief it). Its terms and versions are deleted; its consistency record
		/// stays with the model id. A pending claim cannot be withdrawn: it ends by lapsing
		/// (`expire_claim`), verification or the oracle's refutation, so that a squatter
		/// cannot swap claims under the oracle's checks.
		///
		/// ### Errors
		/// `UnknownModel`, `NotOwner`, `ClaimPending`, `InvalidStatus` (active models retire
		/// first), `HasObligations`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::deregister_model(T::MaxTermsVersions::get()))]
		pub fn deregister_model(
			origin: OriginFor<T>,
			model: ModelId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let info = Self::owned_model(&who, &model)?;
			ensure!(info.status != ModelStatus::Pending, Error::<T>::ClaimPending);
			ensure!(
				matches!(info.status, ModelStatus::Verified | ModelStatus::Retiring),
				Error::<T>::InvalidStatus
			);
			ensure!(!T::Delegations::has_obligations(&model), Error::<T>::HasObligations);
			let versions = Self::remove_model(&model, info)?;
			Ok(Some(T::WeightInfo::deregister_model(versions)).into())
		}

		/// Clears a lapsed, unverified claim (anyone may call): the deposit returns to the
		/// claimant and the model id is free to claim again.
		///
		/// ### Errors
		/// `UnknownModel`, `NotPending`, `ClaimNotExpired`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::expire_claim())]
		pub fn expire_claim(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			ensure_signed(origin)?;
			let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
			ensure!(info.status == ModelStatus::Pending, Error::<T>::NotPending);
			ensure!(Self::now() > info.claim_expires_at, Error::<T>::ClaimNotExpired);
			Self::lapse_claim(&model, info)
		}

		/// Governance suspends a model: no new delegations or terms until resumed.
		///
		/// ### Errors
		/// `BadOrigin`, `UnknownModel`, `NotVerified`, `InvalidStatus` (already suspended or
		/// retiring).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::suspend_model())]
		pub fn suspend_model(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
			ensure!(info.status.is_verified(), Error::<T>::NotVerified);
			ensure!(
				!matches!(info.status, ModelStatus::Suspended | ModelStatus::Retiring),
				Error::<T>::InvalidStatus
			);
			Self::set_status(&model, ModelStatus::Suspended)
		}

		/// Governance lifts a suspension: the model is `Active` again if it has terms (or
		/// `UnderBonded`, if its pool's bond is still below the requirement), else `Verified`.
		///
		/// ### Errors
		/// `BadOrigin`, `UnknownModel`, `InvalidStatus` (not suspended).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::resume_model())]
		pub fn resume_model(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
			ensure!(info.status == ModelStatus::Suspended, Error::<T>::InvalidStatus);
			// A pool still under-bonded stays so: a suspension does not forget it.
			let to = if info.next_terms_version == 0 {
				ModelStatus::Verified
			} else if T::Delegations::is_under_bonded(&model) {
				ModelStatus::UnderBonded
			} else {
				ModelStatus::Active
			};
			Self::set_status(&model, to)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Burns for griefing; see [`Pallet::grief`].
		pub(crate) fn do_grief(
			who: T::AccountId,
			model: ModelId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
			ensure!(T::Delegations::is_delegator(&model, &who), Error::<T>::NotDelegator);
			let mut bond =
				ConsistencyBonds::<T>::get(model).ok_or(Error::<T>::NoConsistencyBond)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let (own, from_bond) = impls::grief_burns(amount, bond.amount, bond.ratio_percent)
				.ok_or(Error::<T>::Overflow)?;
			// Burn the delegator's part first: if they cannot pay, nothing happens.
			T::Currency::burn_from(
				&who,
				own,
				Preservation::Preserve,
				Precision::Exact,
				Fortitude::Polite,
			)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
			T::Currency::burn_held(
				&HoldReason::ConsistencyBond.into(),
				&info.owner,
				from_bond,
				Precision::Exact,
				Fortitude::Force,
			)?;
			Burned::<T>::mutate(|b| *b = b.saturating_add(own).saturating_add(from_bond));
			bond.amount = bond.amount.saturating_sub(from_bond);
			if let Some(w) = bond.withdrawal.as_mut() {
				w.amount = w.amount.min(bond.amount);
			}
			if bond.amount.is_zero() {
				ConsistencyBonds::<T>::remove(model);
			} else {
				ConsistencyBonds::<T>::insert(model, bond);
			}
			Records::<T>::mutate(model, |r| {
				r.griefs = r.griefs.saturating_add(1);
				r.grief_burned_bond = r.grief_burned_bond.saturating_add(from_bond);
				r.grief_burned_by_delegators = r.grief_burned_by_delegators.saturating_add(own);
			});
			Self::deposit_event(Event::Griefed {
				model,
				delegator: who,
				burned_by_delegator: own,
				burned_from_bond: from_bond,
			});
			Ok(())
		}
	}
}
