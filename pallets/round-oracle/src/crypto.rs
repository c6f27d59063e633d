//! The oracle key: an sr25519 key of its own key type, so that a node signs reports only with a
//! key inserted for this purpose (`numerstake-node key insert --key-type nmor ...`).

use polkadot_sdk::{
	frame_system::offchain::AppCrypto,
	sp_core::{crypto::KeyTypeId, sr25519},
	sp_runtime::{MultiSignature, MultiSigner},
};

/// Key type of oracle keys in the keystore.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"nmor");

/// The application crypto of oracle keys.
pub mod app {
	use polkadot_sdk::sp_application_crypto::{app_crypto, sr25519};
	app_crypto!(sr25519, super::KEY_TYPE);
}

/// Signs the off-chain worker's transactions with the oracle key.
pub struct OracleAuthId;

impl AppCrypto<MultiSigner, MultiSignature> for OracleAuthId {
	type RuntimeAppPublic = app::Public;
	type GenericSignature = sr25519::Signature;
	type GenericPublic = sr25519::Public;
}

impl AppCrypto<sr25519::Public, sr25519::Signature> for OracleAuthId {
	type RuntimeAppPublic = app::Public;
	type GenericSignature = sr25519::Signature;
	type GenericPublic = sr25519::Public;
}

/// Binds the pallet to its key type, so that a runtime can list it among its session keys (and
/// dev nodes get the oracle key from their dev seed like the others).
impl<T: crate::Config> polkadot_sdk::sp_runtime::BoundToRuntimeAppPublic for crate::Pallet<T> {
	type Public = app::Public;
}
