//! Numerai model ids: UUIDs, kept as 16 bytes on chain and parsed strictly from their text.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// A Numerai model id (a UUID) as 16 bytes.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct ModelId(pub [u8; 16]);

/// Why a model id's text is not a UUID.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ModelIdError {
	/// Not 36 characters (the hyphenated form `8-4-4-4-12`).
	WrongLength,
	/// A hyphen missing from, or present outside, positions 8, 13, 18 and 23.
	MisplacedHyphen,
	/// A character other than a hexadecimal digit outside the hyphen positions.
	NotHex,
	/// The all-zero ("nil") UUID, which names no model.
	Nil,
}

const HYPHENS: [usize; 4] = [8, 13, 18, 23];
use crate::HEX_DIGITS as HEX;

fn hex_value(c: u8) -> Option<u8> {
	match c {
		b'0'..=b'9' => Some(c - b'0'),
		b'a'..=b'f' => Some(c - b'a' + 10),
		b'A'..=b'F' => Some(c - b'A' + 10),
		_ => None,
	}
}

impl ModelId {
	/// Parses the hyphenated UUID text Numerai uses, e.g.
	/// `11111111-2222-4333-8444-555555555555` (hex digits in either case).
	pub fn parse(text: &[u8]) -> Result<ModelId, ModelIdError> {
		if text.len() != 36 {
			return Err(ModelIdError::WrongLength);
		}
		let mut bytes = [0u8; 16];
		let mut nibbles = 0usize;
		for (i, &c) in text.iter().enumerate() {
			let hyphen_here = HYPHENS.contains(&i);
			if c == b'-' {
				if !hyphen_here {
					return Err(ModelIdError::MisplacedHyphen);
				}
				continue;
			}
			if hyphen_here {
				return Err(ModelIdError::MisplacedHyphen);
			}
			let v = hex_value(c).ok_or(ModelIdError::NotHex)?;
			let byte = &mut bytes[nibbles / 2];
			*byte = (*byte << 4) | v;
			nibbles += 1;
		}
		if bytes == [0u8; 16] {
			return Err(ModelIdError::Nil);
		}
		Ok(ModelId(bytes))
	}

	/// The canonical lower-case hyphenated text.
	pub fn to_text(&self) -> [u8; 36] {
		let mut out = [b'-'; 36];
		let mut pos = 0usize;
		for byte in self.0 {
			for nibble in [byte >> 4, byte & 0x0f] {
				while HYPHENS.contains(&pos) {
					pos += 1;
				}
				out[pos] = HEX[nibble as usize];
				pos += 1;
			}
		}
		out
	}
}

/// In JSON (chain specs, genesis presets) a model id is its UUID text.
impl serde::Serialize for ModelId {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		let text = self.to_text();
		serializer.serialize_str(core::str::from_utf8(&text).map_err(serde::ser::Error::custom)?)
	}
}

impl<'de> serde::Deserialize<'de> for ModelId {
	fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		let text = <alloc::string::String as serde::Deserialize>::deserialize(deserializer)?;
		ModelId::parse(text.as_bytes())
			.map_err(|e| serde::de::Error::custom(alloc::format!("invalid model id: {e:?}")))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	#[test]
	fn parses_numerai_ids() {
		let id = ModelId::parse(b"11111111-2222-4333-8444-555555555555").unwrap();
		assert_eq!(id.0[0], 0x11);
		assert_eq!(id.0[15], 0x55);
		assert_eq!(&id.to_text(), b"11111111-2222-4333-8444-555555555555");
		let upper = ModelId::parse(b"ABCDEF01-2222-4333-8444-555555555555").unwrap();
		assert_eq!(&upper.to_text()[..8], b"abcdef01");
	}

	#[test]
	fn rejects_malformed_ids_precisely() {
		use ModelIdError::*;
		assert_eq!(ModelId::parse(b""), Err(WrongLength));
		assert_eq!(ModelId::parse(b"11111111222243338444555555555555"), Err(WrongLength));
		assert_eq!(ModelId::parse(b"11111111-2222-4333-8444-5555555555555"), Err(WrongLength));
		assert_eq!(ModelId::parse(b"111111112-222-4333-8444-555555555555"), Err(MisplacedHyphen));
		assert_eq!(ModelId::parse(b"11111111-2222-4333-8444-55555555555-"), Err(MisplacedHyphen));
		assert_eq!(ModelId::parse(b"1111111g-2222-4333-8444-555555555555"), Err(NotHex));
		assert_eq!(ModelId::parse(b"11111111 2222-4333-8444-555555555555"), Err(MisplacedHyphen));
		assert_eq!(ModelId::parse(b"00000000-0000-0000-0000-000000000000"), Err(Nil));
	}

	proptest! {
		#[test]
		fn text_round_trips(bytes in any::<[u8; 16]>()) {
			prop_assume!(bytes != [0u8; 16]);
			let id = ModelId(bytes);
			prop_assert_eq!(ModelId::parse(&id.to_text()), Ok(id));
		}

		#[test]
		fn parse_never_panics(text in proptest::collection::vec(any::<u8>(), 0..40)) {
			let _ = ModelId::parse(&text);
		}
	}
}
