//! # NMR bridge
//!
//! NMR on numerstake is NMR locked in a contract on Ethereum (`bridge/contracts/NmrBridge.sol`):
//! the bridge mints what the contract locked and burns what it is to release.
//!
//! **In.** A governance-managed set of relayers watches the contract's `Deposited` events in
//! finalised Ethereum blocks and votes each deposit ([`Pallet::vote_deposit`]): the full deposit
//! (chain id, contract, transaction hash, log index, nonce, recipient, amount), compared by
//! hash. Deposits mint strictly in the contract's nonce order, each nonce once ever: when
//! [`Threshold`] relayers (a majority of the set) voted the same deposit, it is minted and the
//! relayers who voted a different one are recorded as dissenting ([`Event::DepositDissent`],
//! [`Dissents`]). Since the threshold is a majority, two versions can never both reach it: one
//! lying relayer can neither mint nor halt anything.
//!
//! **Out.** [`Pallet::withdraw`] burns NMR here and queues a withdrawal with a nonce; relayers
//! sign the contract's EIP-712 release message with their Ethereum keys
//! ([`Pallet::submit_signatures`], each signature checked here against the relayer's registered
//! address); once the set's threshold signed, anyone reads the proof through the runtime API
//! and submits it to the contract's `release`.
//!
//! **Limits.** Per period, minting and burning are capped ([`Limits`]); a deposit over the mint
//! cap waits for the next period ([`Pallet::mint_deferred`]). The contract's largest deposit must
//! not exceed the mint cap (a larger one waits until governance raises the cap, which bounds what
//! even a corrupted quorum can mint per period). A guardian may pause the bridge; only
//! governance resumes it.
//!
//! **The set.** [`Pallet::set_relayers`] installs a new set (more than half and at least
//! [`MinThreshold`] must agree: two on live chains, one allowed on dev chains) and queues the
//! rotation message the outgoing set must sign for the contract ([`Pallet::sign_rotation`]).
//!
//! **Fees.** A live chain's genesis holds no NMR, so relayers must work without any: every
//! relayer's account is kept in existence by a sufficient reference while it is in the set (and,
//! once removed, until the rotation it must sign is signed), and a vote, a signature or a
//! rotation signature that counts is free of fees (`feeless_if`, applied by the runtime's
//! `SkipCheckIfFeeless`). A call that would not count pays as usual, so repeating oneself is not
//! free.
//!
//! Invariant (`try_state`): total issuance = issuance at genesis + minted − burned for
//! withdrawals − the other pallets' evented burns ([`Config::OtherBurns`]).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod api;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod eth;
mod impls;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use polkadot_sdk::frame_system;

/// The balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as polkadot_sdk::frame_support::traits::fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
/// A deposit with the runtime's types.
pub type DepositOf<T> = Deposit<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
/// A withdrawal with the runtime's types.
pub type WithdrawalOf<T> = Withdrawal<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxRelayers,
>;
/// Limits with the runtime's types.
pub type LimitsOf<T> =
	Limits<BalanceOf<T>, polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor<T>>;
/// Usage with the runtime's types.
pub type UsageOf<T> =
	Usage<BalanceOf<T>, polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor<T>>;
/// A rotation with the runtime's types.
pub type RotationOf<T> = Rotation<<T as Config>::MaxRelayers>;
/// A relayer set with the runtime's types.
pub type RelayersOf<T> = polkadot_sdk::frame_support::BoundedVec<
	Relayer<<T as frame_system::Config>::AccountId>,
	<T as Config>::MaxRelayers,
>;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::fungible::{Inspect, Mutate},
		},
		frame_system::pallet_prelude::*,
		sp_core::{H160, H256},
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// NMR.
		type Currency: Mutate<Self::AccountId, Balance = u128>;

		/// Root or the council: the relayer set, limits, contract, guardian; resumes.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Planck burned, ever, outside the bridge (the other pallets' evented burns), for the
		/// issuance invariant.
		type OtherBurns: Get<BalanceOf<Self>>;

		/// Most relayers.
		#[pallet::constant]
		type MaxRelayers: Get<u32>;

		/// Most signatures in one `submit_signatures`.
		#[pallet::constant]
		type MaxSignaturesPerCall: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The relayers, by Ethereum address ascending.
	#[pallet::storage]
	pub type Relayers<T: Config> = StorageValue<_, RelayersOf<T>, ValueQuery>;

	/// Identical votes that mint a deposit; signatures that release a withdrawal.
	#[pallet::storage]
	pub type Threshold<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The least threshold of any set (genesis: 2 on live chains, 1 on dev chains).
	#[pallet::storage]
	pub type MinThreshold<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The relayer set's id: the contract's set id once the rotations are submitted there.
	#[pallet::storage]
	pub type SetId<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The lock contract.
	#[pallet::storage]
	pub type Contract<T: Config> = StorageValue<_, EthereumContract, OptionQuery>;

	/// Who may pause.
	#[pallet::storage]
	pub type Guardian<T: Config> = StorageValue<_, T::AccountId, OptionQuery>;

	/// Whether the bridge is paused.
	#[pallet::storage]
	pub type Paused<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Governance's limits.
	#[pallet::storage]
	pub type LimitsSet<T: Config> = StorageValue<_, LimitsOf<T>, ValueQuery>;

	/// What the current period used.
	#[pallet::storage]
	pub type PeriodUsage<T: Config> = StorageValue<_, UsageOf<T>, ValueQuery>;

	/// The contract nonce of the next deposit to mint (the contract's first is 1).
	#[pallet::storage]
	pub type NextDeposit<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Each relayer's vote on the next deposit: its nonce and hash.
	#[pallet::storage]
	pub type DepositVotes<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (u64, H256), OptionQuery>;

	/// The deposits voted, by hash (at most one per relayer).
	#[pallet::storage]
	pub type DepositCandidates<T: Config> =
		StorageMap<_, Identity, H256, DepositOf<T>, OptionQuery>;

	/// A deposit with a quorum that waits for the mint limit of a later period.
	#[pallet::storage]
	pub type Deferred<T: Config> = StorageValue<_, DepositOf<T>, OptionQuery>;

	/// Deposits with a quorum that could not be minted (the recipient could not take them):
	/// governance mints them to another account ([`Pallet::rescue_stranded`]).
	#[pallet::storage]
	pub type Stranded<T: Config> = StorageMap<_, Twox64Concat, u64, DepositOf<T>, OptionQuery>;

	/// How often each relayer voted a deposit other than the one minted.
	#[pallet::storage]
	pub type Dissents<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The nonce the next withdrawal gets (from 1).
	#[pallet::storage]
	pub type NextWithdrawal<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Withdrawals by nonce. Each burned at least the minimum withdrawal.
	#[pallet::storage]
	pub type Withdrawals<T: Config> =
		StorageMap<_, Twox64Concat, u64, WithdrawalOf<T>, OptionQuery>;

	/// Withdrawals still short of the current set's threshold of signatures (relayers walk
	/// this, not all withdrawals).
	#[pallet::storage]
	pub type Unsigned<T: Config> = StorageMap<_, Twox64Concat, u64, (), OptionQuery>;

	/// The threshold of each relayer set there has been (one entry per rotation), so that a
	/// proof of an older set says whether it is complete.
	#[pallet::storage]
	pub type SetThresholds<T: Config> = StorageMap<_, Twox64Concat, u32, u32, OptionQuery>;

	/// The rotations into each set (by the incoming set's id), with the outgoing set's
	/// signatures: the contract takes them in order, so none is ever overwritten.
	#[pallet::storage]
	pub type Rotations<T: Config> = StorageMap<_, Twox64Concat, u32, RotationOf<T>, OptionQuery>;

	/// The accounts of relayers removed by the pending rotation: their accounts are kept (by a
	/// sufficient reference) until the rotation is signed, which they must help do.
	#[pallet::storage]
	pub type Leaving<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxRelayers>, ValueQuery>;

	/// Total issuance when the chain began.
	#[pallet::storage]
	pub type GenesisIssuance<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// All NMR the bridge minted, ever.
	#[pallet::storage]
	pub type TotalMinted<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// All NMR burned for withdrawals, ever.
	#[pallet::storage]
	pub type TotalBurned<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The relayers: accounts and Ethereum addresses (set 0 of the contract).
		pub relayers: Vec<(T::AccountId, H160)>,
		/// Their threshold.
		pub threshold: u32,
		/// The least threshold any set may have (2 on live chains).
		pub min_threshold: u32,
		/// The lock contract, if deployed.
		pub contract: Option<EthereumContract>,
		/// Who may pause.
		pub guardian: Option<T::AccountId>,
		/// The limits.
		pub limits: LimitsOf<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			MinThreshold::<T>::put(self.min_threshold.max(1));
			if !self.relayers.is_empty() {
				let set = Pallet::<T>::check_set(&self.relayers, self.threshold)
					.unwrap_or_else(|e| panic!("genesis relayer set invalid: {e:?}"));
				for r in &set {
					Pallet::<T>::hold_account(&r.account);
				}
				Relayers::<T>::put(set);
				Threshold::<T>::put(self.threshold);
				SetThresholds::<T>::insert(0, self.threshold);
			}
			if let Some(c) = self.contract {
				Contract::<T>::put(c);
			}
			if let Some(g) = &self.guardian {
				Guardian::<T>::put(g);
			}
			// Default limits (all zero): the bridge stays closed until governance sets them.
			if self.limits != Default::default() {
				Pallet::<T>::check_limits(&self.limits)
					.unwrap_or_else(|e| panic!("genesis bridge limits invalid: {e:?}"));
				LimitsSet::<T>::put(self.limits);
			}
			NextDeposit::<T>::put(1);
			NextWithdrawal::<T>::put(1);
			GenesisIssuance::<T>::put(T::Currency::total_issuance());
		}
	}

	// Event fields are named for what they carry; the variants are documented.
	#[allow(missing_docs)]
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A relayer voted deposit `nonce` (of hash `hash`).
		DepositVoted { nonce: u64, relayer: T::AccountId, hash: H256 },
		/// A relayer voted a deposit already minted, or the same again: ignored.
		StaleVote { nonce: u64, relayer: T::AccountId },
		/// A quorum of relayers agreed on deposit `nonce`: `amount` minted to `recipient`.
		DepositMinted { nonce: u64, recipient: T::AccountId, amount: BalanceOf<T>, tx_hash: H256 },
		/// `relayer` voted `voted` for deposit `nonce`, not `minted` (`count` dissents now).
		DepositDissent { nonce: u64, relayer: T::AccountId, voted: H256, minted: H256, count: u32 },
		/// Deposit `nonce` has a quorum but waits for the next period's mint limit.
		MintDeferred { nonce: u64, amount: BalanceOf<T> },
		/// Deposit `nonce` has a quorum but could not be minted to its recipient.
		DepositStranded { nonce: u64, error: DispatchError },
		/// Governance minted stranded deposit `nonce` to `to`.
		StrandedRescued { nonce: u64, to: T::AccountId, amount: BalanceOf<T> },
		/// `who` burned `amount` to withdraw to `recipient` on Ethereum (withdrawal `nonce`).
		WithdrawalQueued { nonce: u64, who: T::AccountId, recipient: H160, amount: BalanceOf<T> },
		/// A relayer signed withdrawal `nonce` for set `set_id` (`count` signatures now).
		WithdrawalSigned { nonce: u64, relayer: T::AccountId, set_id: u32, count: u32 },
		/// Withdrawal `nonce` has its threshold of signatures: the release can be submitted.
		WithdrawalReady { nonce: u64, set_id: u32 },
		/// Withdrawal `nonce`'s signatures were for an older set: the current set signs anew.
		ResignRequested { nonce: u64, set_id: u32 },
		/// A new relayer set.
		RelayersSet { set_id: u32, threshold: u32, relayers: u32 },
		/// An outgoing relayer signed the rotation to set `set_id` (`count` signatures now).
		RotationSigned { set_id: u32, signer: H160, count: u32 },
		/// The rotation to set `set_id` has the outgoing set's threshold of signatures.
		RotationReady { set_id: u32 },
		/// New limits.
		LimitsChanged { limits: LimitsOf<T> },
		/// The contract is configured.
		ContractSet { contract: EthereumContract },
		/// The guardian changed.
		GuardianChanged { guardian: Option<T::AccountId> },
		/// The bridge was paused.
		BridgePaused { by: Option<T::AccountId> },
		/// The bridge resumed.
		BridgeResumed,
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a relayer of the current set.
		NotRelayer,
		/// The bridge is paused.
		BridgePaused,
		/// The bridge is not paused.
		NotPaused,
		/// No lock contract is configured yet.
		NoContract,
		/// The lock contract is configured already (a new one needs a runtime upgrade).
		ContractAlreadySet,
		/// The deposit is not from the configured chain and contract.
		WrongContract,
		/// The deposit is not the next one to mint (deposits mint in nonce order).
		NotNextDeposit,
		/// The relayer voted a different version of this deposit already.
		AlreadyVoted,
		/// A deposit waits for the next period's mint limit: no votes until it is minted.
		DepositDeferred,
		/// No deposit is deferred.
		NothingDeferred,
		/// The deferred deposit still exceeds this period's mint limit.
		OverMintLimit,
		/// The amount is zero.
		ZeroAmount,
		/// Less than the least withdrawal.
		BelowMinimum,
		/// More than the most one withdrawal may be.
		AboveMaximum,
		/// The period's burn limit would be exceeded: try in the next period.
		OverBurnLimit,
		/// The Ethereum recipient is the zero address.
		ZeroRecipient,
		/// The balance cannot cover the withdrawal.
		InsufficientBalance,
		/// No such withdrawal.
		UnknownWithdrawal,
		/// The withdrawal's signatures are for the current set already.
		NotOldSet,
		/// A signature the contract would refuse (`v` not 27/28, high `s`, unrecoverable).
		BadSignature,
		/// The signature does not recover to the signer's registered Ethereum address.
		WrongSigner,
		/// This signer signed already.
		AlreadySigned,
		/// The previous rotation still lacks the outgoing set's signatures.
		RotationPending,
		/// A relayer set must be non-empty, at most `MaxRelayers`, without repeated accounts or
		/// addresses, with a threshold of more than half, at most all, and at least the minimum.
		InvalidRelayerSet,
		/// Limits need a period, a mint and a burn limit, and minimum ≤ maximum withdrawal ≤
		/// burn limit.
		InvalidLimits,
		/// No such stranded deposit.
		UnknownStranded,
		/// Only the guardian or governance may pause.
		NotGuardian,
		/// Governance has not set the limits yet.
		NoLimits,
		/// Only the withdrawal's owner may ask for new signatures.
		NotYourWithdrawal,
		/// The withdrawal's proof from an older set is complete; its owner may ask for a new
		/// one (`request_resign`).
		ProofComplete,
		/// No such rotation.
		UnknownRotation,
		/// `submit_signatures` with no signatures.
		NoSignatures,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// A relayer's vote on a deposit it saw in a finalised Ethereum block. Free when it
		/// counts (a vote for the next deposit that no other version of it got from this
		/// relayer); a stale vote pays. Operational, like the bridge's other relayer calls: it
		/// has the block space kept for such calls when normal transactions fill a block.
		///
		/// ### Errors
		/// - [`Error::NotRelayer`], [`Error::BridgePaused`], [`Error::NoContract`],
		///   [`Error::NoLimits`];
		/// - [`Error::WrongContract`]: not from the configured chain and contract;
		/// - [`Error::NotNextDeposit`]: a nonce after the next one to mint;
		/// - [`Error::DepositDeferred`]: the previous deposit waits for the mint limit;
		/// - [`Error::ZeroAmount`]; [`Error::AlreadyVoted`]: a different version voted before.
		#[pallet::call_index(0)]
		#[pallet::weight((T::WeightInfo::vote_deposit(T::MaxRelayers::get()), DispatchClass::Operational))]
		#[pallet::feeless_if(|origin: &OriginFor<T>, deposit: &DepositOf<T>| -> bool {
			ensure_signed(origin.clone()).is_ok_and(|who| {
				matches!(Pallet::<T>::check_vote(&who, deposit), Ok(VoteCheck::Counts(_)))
			})
		})]
		pub fn vote_deposit(
			origin: OriginFor<T>,
			deposit: DepositOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let counted = Self::do_vote(who, deposit)?;
			Ok(if counted { Pays::No } else { Pays::Yes }.into())
		}

		/// Burns `amount` and queues its release to `recipient` on Ethereum.
		///
		/// ### Errors
		/// - [`Error::BridgePaused`], [`Error::NoContract`], [`Error::NoLimits`],
		///   [`Error::ZeroRecipient`];
		/// - [`Error::BelowMinimum`], [`Error::AboveMaximum`], [`Error::OverBurnLimit`];
		/// - [`Error::InsufficientBalance`]: the free balance (after holds) is short.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		pub fn withdraw(
			origin: OriginFor<T>,
			amount: BalanceOf<T>,
			recipient: H160,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who, amount, recipient)
		}

		/// A relayer's signatures of withdrawals' release messages for the current set.
		/// Free when every signature counts (a new signer of a proof still short of the
		/// threshold); operational.
		///
		/// ### Errors
		/// - [`Error::NotRelayer`], [`Error::NoSignatures`], [`Error::BridgePaused`],
		///   [`Error::NoContract`];
		/// - [`Error::UnknownWithdrawal`], [`Error::BadSignature`], [`Error::WrongSigner`];
		/// - a signature already given is skipped (and the call pays).
		#[pallet::call_index(2)]
		#[pallet::weight((
			T::WeightInfo::submit_signatures(signatures.len() as u32),
			DispatchClass::Operational,
		))]
		#[pallet::feeless_if(|origin: &OriginFor<T>,
			signatures: &BoundedVec<(u64, EthSignature), T::MaxSignaturesPerCall>| -> bool {
			ensure_signed(origin.clone())
				.is_ok_and(|who| Pallet::<T>::signatures_count(&who, signatures))
		})]
		pub fn submit_signatures(
			origin: OriginFor<T>,
			signatures: BoundedVec<(u64, EthSignature), T::MaxSignaturesPerCall>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let all_counted = Self::do_sign(who, &signatures)?;
			Ok(if all_counted { Pays::No } else { Pays::Yes }.into())
		}

		/// An outgoing relayer's signature of the rotation into set `set_id` (anyone may
		/// submit it: the signature names the signer). Free while the rotation is short of the
		/// outgoing threshold; operational.
		///
		/// ### Errors
		/// [`Error::UnknownRotation`], [`Error::NoContract`], [`Error::BadSignature`],
		/// [`Error::WrongSigner`] (not an outgoing relayer), [`Error::AlreadySigned`].
		#[pallet::call_index(3)]
		#[pallet::weight((T::WeightInfo::sign_rotation(), DispatchClass::Operational))]
		#[pallet::feeless_if(|origin: &OriginFor<T>, set_id: &u32, signature: &EthSignature| -> bool {
			ensure_signed(origin.clone()).is_ok()
				&& Pallet::<T>::check_rotation_signature(*set_id, signature)
					.is_ok_and(|(rotation, _, _)| !rotation.is_complete())
		})]
		pub fn sign_rotation(
			origin: OriginFor<T>,
			set_id: u32,
			signature: EthSignature,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_sign_rotation(set_id, signature)
		}

		/// Installs a new relayer set (`threshold` of it mint and release) and queues the
		/// rotation message for the outgoing set to sign. Pending deposit votes are dropped
		/// (the new set votes again) and removed relayers' dissent counts go.
		///
		/// ### Errors
		/// [`Error::InvalidRelayerSet`]; [`Error::RotationPending`]: the previous rotation is
		/// not signed yet.
		#[pallet::call_index(4)]
		// The benchmark takes the rotating path (leavers kept in `Leaving`); without a contract
		// they are released at once: one account each, counted on top.
		#[pallet::weight(T::WeightInfo::set_relayers(T::MaxRelayers::get()).saturating_add(
			T::DbWeight::get().reads_writes(
				T::MaxRelayers::get().into(),
				T::MaxRelayers::get().into(),
			)
		))]
		pub fn set_relayers(
			origin: OriginFor<T>,
			relayers: BoundedVec<(T::AccountId, H160), T::MaxRelayers>,
			threshold: u32,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_relayers(&relayers, threshold)
		}

		/// Sets the limits.
		///
		/// ### Errors
		/// [`Error::InvalidLimits`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_limits())]
		pub fn set_limits(origin: OriginFor<T>, limits: LimitsOf<T>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::check_limits(&limits)?;
			LimitsSet::<T>::put(limits);
			Self::deposit_event(Event::LimitsChanged { limits });
			Ok(())
		}

		/// Configures the lock contract, once (a new contract needs a runtime upgrade with a
		/// migration, since nonces and signatures are bound to the contract).
		///
		/// ### Errors
		/// [`Error::ContractAlreadySet`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_contract())]
		pub fn set_contract(origin: OriginFor<T>, contract: EthereumContract) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(Contract::<T>::get().is_none(), Error::<T>::ContractAlreadySet);
			Contract::<T>::put(contract);
			Self::deposit_event(Event::ContractSet { contract });
			Ok(())
		}

		/// Sets (or removes) the guardian.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_guardian())]
		pub fn set_guardian(
			origin: OriginFor<T>,
			guardian: Option<T::AccountId>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Guardian::<T>::set(guardian.clone());
			Self::deposit_event(Event::GuardianChanged { guardian });
			Ok(())
		}

		/// The guardian (or governance) stops minting, burning and signing.
		///
		/// ### Errors
		/// [`Error::NotGuardian`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::pause())]
		pub fn pause(origin: OriginFor<T>) -> DispatchResult {
			let by = match T::GovernanceOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => {
					let who = ensure_signed(origin)?;
					ensure!(Guardian::<T>::get() == Some(who.clone()), Error::<T>::NotGuardian);
					Some(who)
				},
			};
			Paused::<T>::put(true);
			Self::deposit_event(Event::BridgePaused { by });
			Ok(())
		}

		/// Governance resumes the bridge.
		///
		/// ### Errors
		/// [`Error::NotPaused`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::unpause())]
		pub fn unpause(origin: OriginFor<T>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(Paused::<T>::get(), Error::<T>::NotPaused);
			Paused::<T>::put(false);
			Self::deposit_event(Event::BridgeResumed);
			Ok(())
		}

		/// Mints the deferred deposit once the period's mint limit allows (anyone may call).
		/// Free when it mints (once per deferred deposit: relayers without NMR keep the bridge
		/// going); operational.
		///
		/// ### Errors
		/// [`Error::NothingDeferred`], [`Error::OverMintLimit`], [`Error::BridgePaused`].
		#[pallet::call_index(10)]
		#[pallet::weight((T::WeightInfo::mint_deferred(), DispatchClass::Operational))]
		#[pallet::feeless_if(|origin: &OriginFor<T>| -> bool {
			ensure_signed(origin.clone()).is_ok()
				&& !Paused::<T>::get()
				&& Deferred::<T>::get().is_some_and(|d| Pallet::<T>::mint_allowed(d.amount))
		})]
		pub fn mint_deferred(origin: OriginFor<T>) -> DispatchResult {
			ensure_signed(origin)?;
			ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
			let deposit = Deferred::<T>::get().ok_or(Error::<T>::NothingDeferred)?;
			ensure!(Self::mint_allowed(deposit.amount), Error::<T>::OverMintLimit);
			Deferred::<T>::kill();
			Self::mint(deposit);
			Ok(())
		}

		/// Governance mints stranded deposit `nonce` to `to` (e.g. the depositor's other
		/// account).
		///
		/// ### Errors
		/// [`Error::UnknownStranded`]; the mint's own error if `to` cannot take it either.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::rescue_stranded())]
		pub fn rescue_stranded(
			origin: OriginFor<T>,
			nonce: u64,
			to: T::AccountId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let deposit = Stranded::<T>::get(nonce).ok_or(Error::<T>::UnknownStranded)?;
			T::Currency::mint_into(&to, deposit.amount)?;
			Stranded::<T>::remove(nonce);
			TotalMinted::<T>::mutate(|m| *m = m.saturating_add(deposit.amount));
			Self::deposit_event(Event::StrandedRescued { nonce, to, amount: deposit.amount });
			Ok(())
		}

		/// The owner of withdrawal `nonce` asks the current set to sign it anew, when its
		/// proof is from an older set (whose releases the contract honours only for a while
		/// after the rotation). Only the owner may: a complete older proof stays usable until
		/// they decide otherwise.
		///
		/// ### Errors
		/// [`Error::UnknownWithdrawal`], [`Error::NotYourWithdrawal`], [`Error::NotOldSet`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::request_resign())]
		pub fn request_resign(origin: OriginFor<T>, nonce: u64) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let set_id = SetId::<T>::get();
			Withdrawals::<T>::try_mutate(nonce, |w| -> DispatchResult {
				let w = w.as_mut().ok_or(Error::<T>::UnknownWithdrawal)?;
				ensure!(w.who == who, Error::<T>::NotYourWithdrawal);
				ensure!(w.set_id < set_id, Error::<T>::NotOldSet);
				w.set_id = set_id;
				w.signatures = BoundedVec::new();
				Ok(())
			})?;
			Unsigned::<T>::insert(nonce, ());
			Self::deposit_event(Event::ResignRequested { nonce, set_id });
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether `amount` may be minted in the current period. The contract's largest
		/// deposit is at most the limit, so every deposit mints within a period or two; one
		/// larger (limits misconfigured) waits until governance raises the limit.
		pub(crate) fn mint_allowed(amount: BalanceOf<T>) -> bool {
			let usage = Self::usage();
			usage.minted.saturating_add(amount) <= LimitsSet::<T>::get().max_mint
		}
	}
}
