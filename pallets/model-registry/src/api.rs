//! What the runtime API serves: a model's profile in one read.

use super::*;
use alloc::vec::Vec;
use pallet_model_registry_runtime_api::{BondView, ModelProfile, TermsView, VersionView};
use polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// The whole profile of `model`: owner, status, current and upcoming terms, versions,
	/// consistency bond and record.
	pub fn model_profile(
		model: ModelId,
	) -> Option<ModelProfile<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let info = Models::<T>::get(model)?;
		let current = T::RoundClock::current_round();
		let mut current_terms = None;
		let mut upcoming_terms = Vec::new();
		for version in info.first_terms_version..info.next_terms_version {
			let Some(t) = TermsVersions::<T>::get(model, version) else { continue };
			let view = TermsView {
				version,
				effective_round: t.effective_round,
				published_round: t.published_round,
				terms: t.terms,
			};
			if view.effective_round <= current {
				current_terms = Some(view);
			} else {
				upcoming_terms.push(view);
			}
		}
		let history = Versions::<T>::get(model);
		Some(ModelProfile {
			model,
			owner: info.owner,
			name: info.name.into_inner(),
			status: info.status,
			deposit: info.deposit,
			claim_expires_at: (info.status == ModelStatus::Pending)
				.then_some(info.claim_expires_at),
			current_terms,
			upcoming_terms,
			versions: history
				.versions
				.into_iter()
				.map(|v| VersionView {
					artefact_hash: v.artefact_hash,
					effective_round: v.effective_round,
					announced_round: v.announced_round,
					note: v.note.into_inner(),
				})
				.collect(),
			versions_total: history.total,
			consistency_bond: ConsistencyBonds::<T>::get(model).map(|b| BondView {
				amount: b.amount,
				ratio_percent: b.ratio_percent,
				withdrawal: b.withdrawal.map(|w| (w.amount, w.unlock_at)),
			}),
			record: Records::<T>::get(model),
		})
	}

	/// The models `owner` owns or has claimed.
	pub fn models_of(owner: &T::AccountId) -> Vec<ModelId> {
		OwnerModels::<T>::iter_key_prefix(owner).collect()
	}

	/// Up to `limit` (at most `MAX_MODELS_PAGE`) registered models after `after`, in storage
	/// order: a client pages through all of them without any call reading the whole map.
	pub fn models_page(after: Option<ModelId>, limit: u32) -> Vec<ModelId> {
		let limit = limit.min(pallet_model_registry_runtime_api::MAX_MODELS_PAGE) as usize;
		let keys = match after {
			Some(model) => Models::<T>::iter_keys_from(Models::<T>::hashed_key_for(model)),
			None => Models::<T>::iter_keys(),
		};
		keys.take(limit).collect()
	}
}
