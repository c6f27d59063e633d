//! # Round oracle
//!
//! Brings Numerai's rounds onto the chain. A governance-managed set of operators runs
//! off-chain workers that read Numerai's GraphQL API and submit signed reports:
//! - a round opened (its number, opening and scheduled resolution);
//! - a watched model's result in a round (`NotSubmitted`, or its stake at risk, the payout
//!   Numerai settled, and scores);
//! - a claimant's ownership challenge was seen in a model's public profile, or, instead of it,
//!   another account's challenge (the registry then reserves the model for that account once
//!   the pending claim lapses, so that a squatter cannot keep the owner out).
//!
//! A report is final when [`Threshold`] operators (a majority) sent identical reports
//! (compared by hash), even if others sent a different one: since the threshold is a majority,
//! two different reports can never both reach it, so one faulty operator can neither finalise
//! nor halt anything. Operators whose report differs from the final one are recorded as
//! dissenting ([`Event::ReportDissent`], a count per operator in [`Dissents`], served by the
//! runtime API) so that governance can remove them. A subject whose reports differ
//! ([`Event::ReportConflict`]) and that has no quorum stays pending until one report reaches
//! the threshold, governance picks one ([`Pallet::resolve_conflict`]) or clears them
//! ([`Pallet::clear_reports`]).
//!
//! Rounds open strictly in sequence, and each model's results finalise strictly in round order,
//! from the first round opened after the model was watched. On finalisation the oracle tells
//! [`Config::OnRoundFinalized`] (the stake-delegation pallet: the oracle knows nothing about
//! money) and [`Config::Consistency`] (the registry's record), keeps the result for
//! [`Config::HistoryDepth`] rounds, and prunes the raw reports.
//!
//! The off-chain worker (`offchain` module) runs on nodes whose keystore holds an operator's
//! oracle key (key type [`KEY_TYPE`]), does bounded work per block, and reports only what it
//! parsed with certainty (see `numerstake-numerai`).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;

pub mod api;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod crypto;
mod impls;
pub mod migrations;
#[cfg(test)]
mod mock;
mod offchain;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use crypto::KEY_TYPE;
pub use offchain::{
	ENDPOINT_KEY, IN_FLIGHT_KEY, MODEL_CURSOR_KEY, REFUTE_CONFIRM_SECS, REFUTE_KEY_PREFIX,
	SCORE_FORM_COUNTS_KEY, SCORE_FORM_KEY, SKIPPED_KEY,
};
pub use types::*;
pub use weights::WeightInfo;

use numerstake_primitives::{
	ConsistencyRecorder, DelegationInspect, ModelId, ModelRegistryInspect, OnRoundFinalized,
	OwnershipAttestation, RoundIndex,
};

/// A report with the runtime's types.
pub type ReportOf<T> = Report<<T as frame_system::Config>::AccountId, <T as Config>::MaxScores>;
/// A result with the runtime's types.
pub type RoundResultOf<T> = RoundResult<<T as Config>::MaxScores>;
/// Oracle parameters with the runtime's types.
pub type OracleParamsOf<T> = OracleParams<<T as Config>::MaxScores>;
/// A finalised result with the runtime's types.
pub type FinalResultOf<T> = FinalResult<
	polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxScores,
>;

use polkadot_sdk::frame_system;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use polkadot_sdk::{
		frame_support::{pallet_prelude::*, traits::UnixTime},
		frame_system::{
			offchain::{AppCrypto, CreateSignedTransaction},
			pallet_prelude::*,
		},
		sp_core::H256,
		sp_runtime::Perbill,
	};

	/// 1: dissent records ([`DissentRecord`]) in place of bare counts ([`migrations::v1`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		CreateSignedTransaction<Call<Self>> + polkadot_sdk::frame_system::Config
	{
		/// The oracle key the off-chain worker signs with (key type [`KEY_TYPE`]).
		type AuthorityId: AppCrypto<Self::Public, Self::Signature>;

		/// The model registry: which models exist, ownership challenges and attestation.
		type Registry: ModelRegistryInspect<Self::AccountId, u128>
			+ OwnershipAttestation<Self::AccountId>;

		/// Records rounds submitted and missed.
		type Consistency: ConsistencyRecorder;

		/// Told of every finalised round of every model (settlement).
		type OnRoundFinalized: OnRoundFinalized;

		/// Stakers' money in models: a model it still depends on stays watched, since only
		/// finalised rounds release exits and activations.
		type Delegations: DelegationInspect<Self::AccountId>;

		/// Root or the council: manages operators, parameters and conflicts.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Wall-clock time of the chain (checks that rounds do not open in the future).
		type UnixTime: UnixTime;

		/// Most operators.
		#[pallet::constant]
		type MaxOperators: Get<u32>;

		/// Most scores stored per result.
		#[pallet::constant]
		type MaxScores: Get<u32>;

		/// Most reports in one `submit_reports`.
		#[pallet::constant]
		type MaxReportsPerCall: Get<u32>;

		/// Most watched models.
		#[pallet::constant]
		type MaxWatched: Get<u32>;

		/// Finalised results (and rounds) kept per model: older ones are pruned.
		#[pallet::constant]
		type HistoryDepth: Get<u32>;

		/// Largest `|payout| / at_risk` accepted (Numerai clips at 5 %).
		#[pallet::constant]
		type MaxAbsRoundReturn: Get<Perbill>;

		/// Largest stake at risk accepted, planck.
		#[pallet::constant]
		type MaxAtRisk: Get<u128>;

		/// Largest absolute score, multiplier or payout factor, at [`SCORE_SCALE`].
		#[pallet::constant]
		type MaxAbsScore: Get<i64>;

		/// Seconds a round's opening may lie ahead of the chain's clock.
		#[pallet::constant]
		type MaxClockSkew: Get<u64>;

		/// Watched models an off-chain worker looks at per block.
		#[pallet::constant]
		type OffchainModelsPerBlock: Get<u32>;

		/// Ownership claims an off-chain worker looks at per block.
		#[pallet::constant]
		type OffchainClaimsPerBlock: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up registry state for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Registry state the benchmarks need.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// Makes `model` a verified model of `owner`.
		fn register_verified(model: &ModelId, owner: &AccountId);
		/// Makes `model` a pending claim of `claimant`.
		fn register_pending(model: &ModelId, claimant: &AccountId);
	}

	/// The operators.
	#[pallet::storage]
	pub type Operators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxOperators>, ValueQuery>;

	/// Identical reports needed to finalise.
	#[pallet::storage]
	pub type Threshold<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// How operators read Numerai.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, OracleParamsOf<T>, ValueQuery>;

	/// The latest round opened.
	#[pallet::storage]
	pub type LatestRound<T: Config> = StorageValue<_, RoundIndex, OptionQuery>;

	/// The first round this chain opened.
	#[pallet::storage]
	pub type FirstRound<T: Config> = StorageValue<_, RoundIndex, OptionQuery>;

	/// Opened rounds (the latest [`Config::HistoryDepth`]).
	#[pallet::storage]
	pub type Rounds<T: Config> = StorageMap<_, Twox64Concat, RoundIndex, RoundInfo>;

	/// Watched models and their next round.
	#[pallet::storage]
	pub type Progress<T: Config> = StorageMap<_, Blake2_128Concat, ModelId, ModelProgress>;

	/// The watch list by slot `0..WatchCount` (the off-chain worker walks it in batches).
	#[pallet::storage]
	pub type WatchSlots<T: Config> = StorageMap<_, Twox64Concat, u32, ModelId>;

	/// Number of watched models.
	#[pallet::storage]
	pub type WatchCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Finalised results by model and round (the latest [`Config::HistoryDepth`] per model).
	#[pallet::storage]
	pub type Results<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelId, Twox64Concat, RoundIndex, FinalResultOf<T>>;

	/// Subjects with reports but no final result.
	#[pallet::storage]
	pub type Pending<T: Config> =
		StorageMap<_, Blake2_128Concat, Subject, PendingState<BlockNumberFor<T>>>;

	/// Each operator's report hash per pending subject.
	#[pallet::storage]
	pub type Votes<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, Subject, Blake2_128Concat, T::AccountId, H256>;

	/// The distinct reports per pending subject, by hash.
	#[pallet::storage]
	pub type Candidates<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, Subject, Identity, H256, ReportOf<T>>;

	/// Per current operator, how many of its reports differed from the one finalised (by a
	/// quorum or by governance). Only operators have entries: `set_operators` drops those of
	/// the operators it removes.
	#[pallet::storage]
	pub type Dissents<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, DissentRecord<BlockNumberFor<T>>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The operators.
		pub operators: Vec<T::AccountId>,
		/// Identical reports needed (a majority of the operators).
		pub threshold: u32,
		/// How to read Numerai (`None`: [`OracleParams::classic`]).
		pub params: Option<OracleParamsOf<T>>,
		/// Models watched from the first round opened (e.g. demo models of a dev chain).
		pub watched: Vec<ModelId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let operators =
				BoundedVec::<T::AccountId, T::MaxOperators>::try_from(self.operators.clone())
					.unwrap_or_else(|_| panic!("too many genesis oracle operators"));
			if let Err(e) = Pallet::<T>::check_operators(&operators, self.threshold) {
				panic!("invalid genesis oracle operators: {e:?}");
			}
			Operators::<T>::put(operators);
			Threshold::<T>::put(self.threshold);
			if let Some(params) = &self.params {
				if let Err(e) = Pallet::<T>::check_params(params) {
					panic!("invalid genesis oracle params: {e:?}");
				}
				Params::<T>::put(params.clone());
			}
			for model in &self.watched {
				if let Err(e) = Pallet::<T>::watch(*model, None) {
					panic!("cannot watch genesis model: {e:?}");
				}
			}
		}
	}

	#[allow(missing_docs)]
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An operator's report was recorded.
		ReportAccepted { subject: Subject, operator: T::AccountId, hash: H256 },
		/// A report about a subject that is already final (another quorum was faster), or a
		/// repeat of the operator's own report: ignored.
		StaleReport { subject: Subject, operator: T::AccountId },
		/// Operators sent different reports about a subject: it finalises when one of them
		/// reaches the threshold, or by governance.
		ReportConflict { subject: Subject, first: H256, second: H256 },
		/// `operator` had reported `reported` about a subject finalised with `finalised`;
		/// `count` is its dissent count now.
		ReportDissent {
			subject: Subject,
			operator: T::AccountId,
			reported: H256,
			finalised: H256,
			count: u32,
		},
		/// Governance finalised a subject with one of its reports.
		ConflictResolved { subject: Subject, hash: H256 },
		/// Governance dropped a subject's reports; operators report afresh.
		ReportsCleared { subject: Subject },
		/// A round opened.
		RoundOpened { round: RoundIndex, opened_at: u64, resolves_at: u64 },
		/// A model's round is final.
		ResultFinalised {
			model: ModelId,
			round: RoundIndex,
			submitted: bool,
			at_risk: u128,
			payout: i128,
		},
		/// A quorum saw the claimant's challenge; the registry verified the ownership.
		OwnershipAttested { model: ModelId, claimant: T::AccountId },
		/// A quorum saw, in the profile of a model with a pending claim, another account's
		/// challenge (digest `digest`) and not the claimant's: the registry reserves the model
		/// for that challenge once the claim lapses.
		ForeignChallengeSeen { model: ModelId, digest: [u8; 32] },
		/// A quorum saw another account's challenge but the registry refused the reservation
		/// (e.g. the claim ended meanwhile).
		ReservationRefused { model: ModelId, digest: [u8; 32], error: DispatchError },
		/// A quorum found the profile of the claim's name not the model's: the registry ended
		/// the claim and burned its deposit.
		ClaimRefuted { model: ModelId, claimant: T::AccountId },
		/// A quorum refuted the claim but the registry refused (e.g. the claim lapsed).
		RefutationRefused { model: ModelId, claimant: T::AccountId, error: DispatchError },
		/// A quorum saw the challenge but the registry refused it (e.g. the claim lapsed).
		AttestationRefused { model: ModelId, claimant: T::AccountId, error: DispatchError },
		/// The oracle follows the model's rounds from `from_round` (`None`: the first round).
		ModelWatched { model: ModelId, from_round: Option<RoundIndex> },
		/// The model could not be watched (the watch list is full).
		WatchRefused { model: ModelId, error: DispatchError },
		/// The oracle stopped following the model.
		ModelUnwatched { model: ModelId },
		/// New operators and threshold.
		OperatorsSet { operators: Vec<T::AccountId>, threshold: u32 },
		/// New parameters.
		ParamsSet { params: OracleParamsOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The sender is not an operator.
		NotOperator,
		/// `submit_reports` without reports.
		NoReports,
		/// The operator already sent a different report about this subject, which still passes
		/// the checks.
		AlreadyVoted,
		/// A round must be the one after the latest opened.
		RoundNotNext,
		/// A round's resolution must follow its opening (within a year), and openings must not
		/// go back in time.
		InvalidRoundTimes,
		/// The round opens further in the future than the allowed clock skew.
		RoundInFuture,
		/// The round has not opened (on chain) yet.
		RoundNotOpened,
		/// The registry does not know the model.
		UnknownModel,
		/// The oracle does not follow this model.
		NotWatched,
		/// The oracle already follows this model.
		AlreadyWatched,
		/// A watch must start at an opened round still in the history or at the one after the
		/// latest.
		InvalidFromRound,
		/// The watch list is full.
		TooManyWatched,
		/// A model's results finalise in round order: this is not its next round.
		OutOfOrder,
		/// Stake at risk above the maximum.
		AtRiskTooLarge,
		/// `|payout|` above `at_risk × MaxAbsRoundReturn`.
		ReturnOutOfRange,
		/// A score, multiplier or factor beyond the maximum magnitude.
		ScoreOutOfRange,
		/// A score that is not among the stored ones, repeated, or out of order.
		UnexpectedScore,
		/// No reports are pending about this subject.
		NoPendingReports,
		/// No such report is pending about this subject.
		UnknownCandidate,
		/// The subject is already final.
		AlreadyFinal,
		/// Threshold must be a majority of the operators (and at least 1 with operators).
		InvalidThreshold,
		/// An operator is listed twice.
		DuplicateOperator,
		/// Parameters out of range (empty or repeated names, too long a grace).
		InvalidParams,
		/// The registry still knows the model (only governance may unwatch it).
		StillRegistered,
		/// Delegations, an exit pot or unsettled fees still depend on the model's rounds:
		/// unwatching it would leave them waiting for results that never come.
		HasObligations,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn offchain_worker(now: BlockNumberFor<T>) {
			offchain::run::<T>(now);
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
		/// Reports from an operator (the off-chain worker sends one batch per block). Each
		/// report is checked; reports about subjects that are already final are ignored
		/// ([`Event::StaleReport`]); a report completing a quorum finalises its subject. Free
		/// for operators when at least one report was recorded (a batch of stale reports pays).
		///
		/// ### Errors
		/// `NotOperator`, `NoReports`, `AlreadyVoted`; rounds: `RoundNotNext`,
		/// `InvalidRoundTimes`, `RoundInFuture`; results: `UnknownModel`, `NotWatched`,
		/// `RoundNotOpened`, `OutOfOrder`, `AtRiskTooLarge`, `ReturnOutOfRange`,
		/// `ScoreOutOfRange`, `UnexpectedScore`; ownership: `UnknownModel` (a report about a
		/// claim that is no longer live is stale).
		/// One bad report fails the batch; nothing changes.
		#[pallet::call_index(0)]
		#[pallet::weight(Pallet::<T>::reports_weight(reports))]
		pub fn submit_reports(
			origin: OriginFor<T>,
			reports: BoundedVec<ReportOf<T>, T::MaxReportsPerCall>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(Operators::<T>::get().contains(&who), Error::<T>::NotOperator);
			ensure!(!reports.is_empty(), Error::<T>::NoReports);
			let mut accepted = false;
			for report in reports {
				accepted |= Self::note_report(&who, report)?;
			}
			// Free only when it carried news: a batch of nothing but stale reports pays.
			Ok(if accepted { Pays::No } else { Pays::Yes }.into())
		}

		/// Replaces the operators and the threshold (a majority of them). The dissent counts
		/// of removed operators are dropped.
		///
		/// ### Errors
		/// `BadOrigin`, `InvalidThreshold`, `DuplicateOperator`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_operators())]
		pub fn set_operators(
			origin: OriginFor<T>,
			operators: BoundedVec<T::AccountId, T::MaxOperators>,
			threshold: u32,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::check_operators(&operators, threshold)?;
			for old in Operators::<T>::get() {
				if !operators.contains(&old) {
					Dissents::<T>::remove(&old);
				}
			}
			Operators::<T>::put(&operators);
			Threshold::<T>::put(threshold);
			Self::deposit_event(Event::OperatorsSet {
				operators: operators.into_inner(),
				threshold,
			});
			Ok(())
		}

		/// Sets how operators read Numerai (tournament, score names, grace for absent models).
		///
		/// ### Errors
		/// `BadOrigin`, `InvalidParams`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: OracleParamsOf<T>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::check_params(&params)?;
			Params::<T>::put(&params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}

		/// Finalises a pending (typically conflicted) subject with the report of hash `hash`;
		/// operators who voted otherwise are recorded as dissenting.
		///
		/// ### Errors
		/// `BadOrigin`, `NoPendingReports`, `UnknownCandidate`, `AlreadyFinal`, and any check
		/// the report fails now (e.g. `OutOfOrder`).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::resolve_conflict().saturating_add(Pallet::<T>::listener_weight()))]
		pub fn resolve_conflict(
			origin: OriginFor<T>,
			subject: Subject,
			hash: H256,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(Pending::<T>::contains_key(subject), Error::<T>::NoPendingReports);
			let report = Candidates::<T>::get(subject, hash).ok_or(Error::<T>::UnknownCandidate)?;
			ensure!(Self::check_report(&report)? == Freshness::Fresh, Error::<T>::AlreadyFinal);
			Self::finalise_subject(subject, hash, report);
			Self::deposit_event(Event::ConflictResolved { subject, hash });
			Ok(())
		}

		/// Drops all reports about a subject; operators report it afresh.
		///
		/// ### Errors
		/// `BadOrigin`, `NoPendingReports`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::clear_reports())]
		pub fn clear_reports(origin: OriginFor<T>, subject: Subject) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(Pending::<T>::contains_key(subject), Error::<T>::NoPendingReports);
			Self::clear_subject(subject);
			Self::deposit_event(Event::ReportsCleared { subject });
			Ok(())
		}

		/// Follows a registered model's rounds from `from_round` (`None`: the round after the
		/// latest opened). Models whose ownership the oracle attests are watched automatically.
		///
		/// ### Errors
		/// `BadOrigin`, `UnknownModel`, `InvalidFromRound` (`from_round` neither an opened round
		/// still in the history nor the one after the latest), `AlreadyWatched`,
		/// `TooManyWatched`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::watch_model().saturating_add(T::OnRoundFinalized::watch_weight()))]
		pub fn watch_model(
			origin: OriginFor<T>,
			model: ModelId,
			from_round: Option<RoundIndex>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(T::Registry::status(&model).is_some(), Error::<T>::UnknownModel);
			let next = LatestRound::<T>::get().map(|r| r.saturating_add(1));
			if let Some(from) = from_round {
				ensure!(
					Some(from) == next || Rounds::<T>::contains_key(from),
					Error::<T>::InvalidFromRound
				);
			}
			Self::watch(model, from_round.or(next))
		}

		/// Stops following a model. Anyone may do it once the registry no longer knows the
		/// model; governance at any time, unless stakers' money still depends on its rounds.
		/// Its stored results (at most [`Config::HistoryDepth`]) are removed: a later watch
		/// starts a fresh history, and nothing is left that depth pruning would never reach.
		///
		/// ### Errors
		/// `NotWatched`, `StillRegistered` (signed origin, model still registered),
		/// `HasObligations` (delegations, an exit pot or unsettled fees wait for its rounds).
		#[pallet::call_index(6)]
		#[pallet::weight(
			T::WeightInfo::unwatch_model(T::HistoryDepth::get())
				.saturating_add(T::OnRoundFinalized::watch_weight())
		)]
		pub fn unwatch_model(origin: OriginFor<T>, model: ModelId) -> DispatchResultWithPostInfo {
			if T::GovernanceOrigin::try_origin(origin.clone()).is_err() {
				ensure_signed(origin)?;
				ensure!(Progress::<T>::contains_key(model), Error::<T>::NotWatched);
				ensure!(T::Registry::status(&model).is_none(), Error::<T>::StillRegistered);
			}
			ensure!(!T::Delegations::has_obligations(&model), Error::<T>::HasObligations);
			let removed = Self::unwatch(model)?;
			let weight = T::WeightInfo::unwatch_model(removed)
				.saturating_add(T::OnRoundFinalized::watch_weight());
			Ok(Some(weight).into())
		}
	}
}

/// Whether a valid report still matters.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Freshness {
	/// Its subject is not final.
	Fresh,
	/// Its subject is already final.
	Stale,
}
