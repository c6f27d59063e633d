//! Signing keys: a secret URI from an environment variable, or a Polkadot.js keystore file
//! (the JSON that *Accounts → Export* writes) with its password from an environment variable.
//! Secrets are never printed, logged or written anywhere.

use numerstake_runtime::AccountId;
use std::str::FromStr;
use subxt_signer::{sr25519::Keypair, SecretUri};

/// A signing key and its account.
pub struct Key {
	pair: Keypair,
	/// Where it came from, for messages ("$NUMERSTAKE_SURI", "keystore alice.json").
	pub source: String,
}

impl std::fmt::Debug for Key {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "Key({} from {})", self.account(), self.source)
	}
}

impl Key {
	/// From the secret URI in environment variable `var` (a mnemonic, `0x…` seed or `//Dev`
	/// path, with an optional `///password`).
	pub fn from_env(var: &str) -> Result<Key, String> {
		let text =
			std::env::var(var).map_err(|_| {
				format!("no signing key: set ${var} to the account's secret URI, or pass --keystore FILE")
			})?;
		let uri = SecretUri::from_str(text.trim())
			.map_err(|_| format!("${var} is not a valid secret URI (its value is not shown)"))?;
		let pair = Keypair::from_uri(&uri)
			.map_err(|_| format!("${var} does not give an sr25519 key (its value is not shown)"))?;
		Ok(Key { pair, source: format!("${var}") })
	}

	/// From a Polkadot.js JSON keystore file, decrypted with the password in `password_var`.
	pub fn from_keystore(path: &str, password_var: &str) -> Result<Key, String> {
		let json = std::fs::read_to_string(path).map_err(|e| format!("keystore {path}: {e}"))?;
		let password = std::env::var(password_var)
			.map_err(|_| format!("keystore {path}: set ${password_var} to its password"))?;
		let pair = subxt_signer::polkadot_js_compat::decrypt_json(&json, &password)
			.map_err(|e| format!("keystore {path}: cannot decrypt it ({e})"))?;
		Ok(Key { pair, source: format!("keystore {path}") })
	}

	/// The account the key signs for.
	pub fn account(&self) -> AccountId {
		AccountId::new(self.pair.public_key().0)
	}

	/// The subxt signer.
	pub fn signer(&self) -> &Keypair {
		&self.pair
	}
}
