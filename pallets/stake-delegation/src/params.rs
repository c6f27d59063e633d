//! Governance parameters: every field within its hard-coded safe range, with its own error.

use super::*;
use polkadot_sdk::sp_runtime::DispatchError;

/// `Ok` if `value` lies within `[least, greatest]`, else `error`.
fn within<V: PartialOrd, T: Config>(
	value: V,
	least: V,
	greatest: V,
	error: Error<T>,
) -> Result<(), DispatchError> {
	if value >= least && value <= greatest {
		Ok(())
	} else {
		Err(error.into())
	}
}

impl<T: Config> Pallet<T> {
	/// Checks each fee cap against [`FeeCaps::SAFE`].
	pub fn check_caps(caps: &FeeCaps) -> Result<(), DispatchError> {
		let (lo, hi) = FeeCaps::SAFE;
		within::<_, T>(
			caps.max_performance_fee,
			lo.max_performance_fee,
			hi.max_performance_fee,
			Error::MaxPerformanceFeeOutOfRange,
		)?;
		within::<_, T>(
			caps.max_fixed_fee_per_round,
			lo.max_fixed_fee_per_round,
			hi.max_fixed_fee_per_round,
			Error::MaxFixedFeeOutOfRange,
		)?;
		within::<_, T>(
			caps.max_performance_fee_increase,
			lo.max_performance_fee_increase,
			hi.max_performance_fee_increase,
			Error::MaxPerformanceFeeIncreaseOutOfRange,
		)?;
		within::<_, T>(
			caps.min_fee_change_notice,
			lo.min_fee_change_notice,
			hi.min_fee_change_notice,
			Error::MinFeeChangeNoticeOutOfRange,
		)?;
		within::<_, T>(
			caps.max_commitment_term,
			lo.max_commitment_term,
			hi.max_commitment_term,
			Error::MaxCommitmentTermOutOfRange,
		)
	}

	/// Checks each protocol parameter against [`ProtocolParams::SAFE`].
	pub fn check_protocol(p: &ProtocolParams) -> Result<(), DispatchError> {
		let (lo, hi) = ProtocolParams::SAFE;
		within::<_, T>(
			p.activation_lag,
			lo.activation_lag,
			hi.activation_lag,
			Error::ActivationLagOutOfRange,
		)?;
		within::<_, T>(p.bond_ratio, lo.bond_ratio, hi.bond_ratio, Error::BondRatioOutOfRange)?;
		within::<_, T>(
			p.grace_rounds,
			lo.grace_rounds,
			hi.grace_rounds,
			Error::GraceRoundsOutOfRange,
		)?;
		within::<_, T>(p.model_cap, lo.model_cap, hi.model_cap, Error::ModelCapOutOfRange)?;
		within::<_, T>(
			p.operator_cap,
			lo.operator_cap,
			hi.operator_cap,
			Error::OperatorCapOutOfRange,
		)?;
		within::<_, T>(
			p.caps_from_total,
			lo.caps_from_total,
			hi.caps_from_total,
			Error::CapsFromTotalOutOfRange,
		)?;
		within::<_, T>(p.fee_period, lo.fee_period, hi.fee_period, Error::FeePeriodOutOfRange)
	}
}
