//! A strict JSON reader (RFC 8259) that keeps numbers as their source text.
//!
//! Floats never enter the oracle: a number is handed to [`crate::decimal`] as written. The
//! reader rejects anything RFC 8259 does not allow (trailing commas, single quotes, leading
//! zeros, control characters in strings, lone surrogates, trailing bytes), duplicate object
//! keys (a response with two different values for one field is not read "with certainty"), and
//! nesting deeper than [`MAX_DEPTH`].

use alloc::{string::String, vec::Vec};
use core::fmt;

/// Deepest nesting accepted (Numerai responses nest about six levels).
pub const MAX_DEPTH: usize = 32;

/// A JSON value. Numbers keep their text; objects keep their members in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
	/// `null`
	Null,
	/// `true` / `false`
	Bool(bool),
	/// A number, exactly as written (already checked against the JSON grammar).
	Number(String),
	/// A string, unescaped.
	String(String),
	/// An array.
	Array(Vec<Value>),
	/// An object; keys are unique.
	Object(Vec<(String, Value)>),
}

impl Value {
	/// The member `key` of an object (`None` for a missing member or a non-object).
	pub fn get(&self, key: &str) -> Option<&Value> {
		match self {
			Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
			_ => None,
		}
	}

	/// Whether this is `null`.
	pub fn is_null(&self) -> bool {
		matches!(self, Value::Null)
	}

	/// The string content, if this is a string.
	pub fn as_str(&self) -> Option<&str> {
		match self {
			Value::String(s) => Some(s),
			_ => None,
		}
	}

	/// The elements, if this is an array.
	pub fn as_array(&self) -> Option<&[Value]> {
		match self {
			Value::Array(items) => Some(items),
			_ => None,
		}
	}

	/// The boolean, if this is one.
	pub fn as_bool(&self) -> Option<bool> {
		match self {
			Value::Bool(b) => Some(*b),
			_ => None,
		}
	}

	/// The number's text, if this is a number.
	pub fn as_number_text(&self) -> Option<&str> {
		match self {
			Value::Number(n) => Some(n),
			_ => None,
		}
	}
}

/// Why a document is not JSON we accept; `at` is the byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
	/// Byte offset of the problem.
	pub at: usize,
	/// What is wrong.
	pub kind: ParseErrorKind,
}

/// The kinds of [`ParseError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
	/// The input is not UTF-8.
	InvalidUtf8,
	/// The document ended early (e.g. a truncated response).
	UnexpectedEnd,
	/// A byte that cannot start or continue a value here.
	UnexpectedByte,
	/// Bad escape sequence or lone surrogate in a string.
	InvalidEscape,
	/// A control character inside a string.
	ControlCharacter,
	/// A number that breaks the JSON grammar.
	InvalidNumber,
	/// A key appears twice in one object.
	DuplicateKey,
	/// Nested deeper than [`MAX_DEPTH`].
	TooDeep,
	/// Bytes after the document.
	TrailingBytes,
}

impl fmt::Display for ParseError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{:?} at byte {}", self.kind, self.at)
	}
}

/// Parses a whole document.
pub fn parse(input: &[u8]) -> Result<Value, ParseError> {
	let text = core::str::from_utf8(input)
		.map_err(|e| ParseError { at: e.valid_up_to(), kind: ParseErrorKind::InvalidUtf8 })?;
	let mut reader = Reader { bytes: text.as_bytes(), pos: 0 };
	reader.skip_ws();
	let value = reader.value(0)?;
	reader.skip_ws();
	if reader.pos != reader.bytes.len() {
		return Err(reader.err(ParseErrorKind::TrailingBytes));
	}
	Ok(value)
}

struct Reader<'a> {
	bytes: &'a [u8],
	pos: usize,
}

impl Reader<'_> {
	fn err(&self, kind: ParseErrorKind) -> ParseError {
		ParseError { at: self.pos, kind }
	}

	fn peek(&self) -> Result<u8, ParseError> {
		self.bytes.get(self.pos).copied().ok_or(self.err(ParseErrorKind::UnexpectedEnd))
	}

	fn next(&mut self) -> Result<u8, ParseError> {
		let b = self.peek()?;
		self.pos += 1;
		Ok(b)
	}

	fn skip_ws(&mut self) {
		while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
			self.pos += 1;
		}
	}

	fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, ParseError> {
		for expected in word {
			if self.next()? != *expected {
				self.pos -= 1;
				return Err(self.err(ParseErrorKind::UnexpectedByte));
			}
		}
		Ok(value)
	}

	fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
		if depth >= MAX_DEPTH {
			return Err(self.err(ParseErrorKind::TooDeep));
		}
		match self.peek()? {
			b'n' => self.literal(b"null", Value::Null),
			b't' => self.literal(b"true", Value::Bool(true)),
			b'f' => self.literal(b"false", Value::Bool(false)),
			b'"' => self.string().map(Value::String),
			b'[' => self.array(depth),
			b'{' => self.object(depth),
			b'-' | b'0'..=b'9' => self.number(),
			_ => Err(self.err(ParseErrorKind::UnexpectedByte)),
		}
	}

	fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
		self.pos += 1;
		let mut items = Vec::new();
		self.skip_ws();
		if self.peek()? == b']' {
			self.pos += 1;
			return Ok(Value::Array(items));
		}
		loop {
			self.skip_ws();
			items.push(self.value(depth + 1)?);
			self.skip_ws();
			match self.next()? {
				b',' => continue,
				b']' => return Ok(Value::Array(items)),
				_ => {
					self.pos -= 1;
					return Err(self.err(ParseErrorKind::UnexpectedByte));
				},
			}
		}
	}

	fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
		self.pos += 1;
		let mut members: Vec<(String, Value)> = Vec::new();
		self.skip_ws();
		if self.peek()? == b'}' {
			self.pos += 1;
			return Ok(Value::Object(members));
		}
		loop {
			self.skip_ws();
			if self.peek()? != b'"' {
				return Err(self.err(ParseErrorKind::UnexpectedByte));
			}
			let key_at = self.pos;
			let key = self.string()?;
			if members.iter().any(|(k, _)| *k == key) {
				return Err(ParseError { at: key_at, kind: ParseErrorKind::DuplicateKey });
			}
			self.skip_ws();
			if self.next()? != b':' {
				self.pos -= 1;
				return Err(self.err(ParseErrorKind::UnexpectedByte));
			}
			self.skip_ws();
			let value = self.value(depth + 1)?;
			members.push((key, value));
			self.skip_ws();
			match self.next()? {
				b',' => continue,
				b'}' => return Ok(Value::Object(members)),
				_ => {
					self.pos -= 1;
					return Err(self.err(ParseErrorKind::UnexpectedByte));
				},
			}
		}
	}

	fn hex4(&mut self) -> Result<u32, ParseError> {
		let mut v = 0u32;
		for _ in 0..4 {
			let b = self.next()?;
			let d = (b as char)
				.to_digit(16)
				.ok_or(ParseError { at: self.pos - 1, kind: ParseErrorKind::InvalidEscape })?;
			v = v * 16 + d;
		}
		Ok(v)
	}

	fn string(&mut self) -> Result<String, ParseError> {
		self.pos += 1; // opening quote
		let mut out = String::new();
		loop {
			let start = self.pos;
			// Copy a run of plain characters at once (the input is valid UTF-8).
			while let Some(&b) = self.bytes.get(self.pos) {
				if b == b'"' || b == b'\\' || b < 0x20 {
					break;
				}
				self.pos += 1;
			}
			let run = core::str::from_utf8(&self.bytes[start..self.pos])
				.map_err(|_| self.err(ParseErrorKind::InvalidUtf8))?;
			out.push_str(run);
			match self.next()? {
				b'"' => return Ok(out),
				b'\\' => {
					let c = match self.next()? {
						b'"' => '"',
						b'\\' => '\\',
						b'/' => '/',
						b'b' => '\u{8}',
						b'f' => '\u{c}',
						b'n' => '\n',
						b'r' => '\r',
						b't' => '\t',
						b'u' => self.unicode_escape()?,
						_ => {
							self.pos -= 1;
							return Err(self.err(ParseErrorKind::InvalidEscape));
						},
					};
					out.push(c);
				},
				_ => {
					self.pos -= 1;
					return Err(self.err(ParseErrorKind::ControlCharacter));
				},
			}
		}
	}

	fn unicode_escape(&mut self) -> Result<char, ParseError> {
		let at = self.pos;
		let bad = ParseError { at, kind: ParseErrorKind::InvalidEscape };
		let first = self.hex4()?;
		let code = match first {
			0xD800..=0xDBFF => {
				if self.next()? != b'\\' || self.next()? != b'u' {
					return Err(bad);
				}
				let second = self.hex4()?;
				if !(0xDC00..=0xDFFF).contains(&second) {
					return Err(bad);
				}
				0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
			},
			0xDC00..=0xDFFF => return Err(bad),
			c => c,
		};
		char::from_u32(code).ok_or(bad)
	}

	fn digits(&mut self) -> usize {
		let start = self.pos;
		while matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
			self.pos += 1;
		}
		self.pos - start
	}

	fn number(&mut self) -> Result<Value, ParseError> {
		let start = self.pos;
		let invalid = |pos| ParseError { at: pos, kind: ParseErrorKind::InvalidNumber };
		if self.peek()? == b'-' {
			self.pos += 1;
		}
		match self.bytes.get(self.pos) {
			Some(b'0') => {
				self.pos += 1;
				if matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
					return Err(invalid(self.pos));
				}
			},
			Some(b'1'..=b'9') => {
				self.digits();
			},
			_ => return Err(invalid(self.pos)),
		}
		if self.bytes.get(self.pos) == Some(&b'.') {
			self.pos += 1;
			if self.digits() == 0 {
				return Err(invalid(self.pos));
			}
		}
		if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
			self.pos += 1;
			if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
				self.pos += 1;
			}
			if self.digits() == 0 {
				return Err(invalid(self.pos));
			}
		}
		let text =
			core::str::from_utf8(&self.bytes[start..self.pos]).map_err(|_| invalid(start))?;
		Ok(Value::Number(String::from(text)))
	}
}

/// Appends `s` to `out` as a JSON string literal (quoted and escaped).
pub fn write_string(out: &mut String, s: &str) {
	out.push('"');
	for c in s.chars() {
		match c {
			'"' => out.push_str("\\\""),
			'\\' => out.push_str("\\\\"),
			'\n' => out.push_str("\\n"),
			'\r' => out.push_str("\\r"),
			'\t' => out.push_str("\\t"),
			c if (c as u32) < 0x20 => {
				const HEX: &[u8; 16] = b"0123456789abcdef";
				out.push_str("\\u00");
				out.push(HEX[(c as usize) >> 4] as char);
				out.push(HEX[(c as usize) & 0xf] as char);
			},
			c => out.push(c),
		}
	}
	out.push('"');
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::string::ToString;

	fn kind(input: &str) -> ParseErrorKind {
		parse(input.as_bytes()).unwrap_err().kind
	}

	#[test]
	fn reads_values_and_keeps_number_text() {
		let v = parse(br#" {"a": [1, -0.5, 4.0363e-4, 1E+2], "b": null, "c": true, "d": "x\"\u00e9\ud83d\ude00"} "#)
			.unwrap();
		let a = v.get("a").unwrap().as_array().unwrap();
		let texts: Vec<_> = a.iter().map(|n| n.as_number_text().unwrap()).collect();
		assert_eq!(texts, ["1", "-0.5", "4.0363e-4", "1E+2"]);
		assert!(v.get("b").unwrap().is_null());
		assert_eq!(v.get("c").unwrap().as_bool(), Some(true));
		assert_eq!(v.get("d").unwrap().as_str(), Some("x\"é😀"));
		assert_eq!(v.get("zzz"), None);
	}

	#[test]
	fn rejects_what_json_does_not_allow() {
		assert_eq!(kind(r#"{"a":1,}"#), ParseErrorKind::UnexpectedByte);
		assert_eq!(kind("[1,2"), ParseErrorKind::UnexpectedEnd);
		assert_eq!(kind(r#"{"data":{"rounds":[{"number":12"#), ParseErrorKind::UnexpectedEnd);
		assert_eq!(kind("01"), ParseErrorKind::InvalidNumber);
		assert_eq!(kind("1."), ParseErrorKind::InvalidNumber);
		assert_eq!(kind("-"), ParseErrorKind::InvalidNumber);
		assert_eq!(kind("1e"), ParseErrorKind::InvalidNumber);
		assert_eq!(kind(".5"), ParseErrorKind::UnexpectedByte);
		assert_eq!(kind("NaN"), ParseErrorKind::UnexpectedByte);
		assert_eq!(kind("'a'"), ParseErrorKind::UnexpectedByte);
		assert_eq!(kind("\"a\nb\""), ParseErrorKind::ControlCharacter);
		assert_eq!(kind(r#""\x""#), ParseErrorKind::InvalidEscape);
		assert_eq!(kind(r#""\ud800""#), ParseErrorKind::InvalidEscape);
		assert_eq!(kind(r#""\udc00""#), ParseErrorKind::InvalidEscape);
		assert_eq!(kind(r#"{"a":1,"a":2}"#), ParseErrorKind::DuplicateKey);
		assert_eq!(kind("1 2"), ParseErrorKind::TrailingBytes);
		assert_eq!(kind("nul"), ParseErrorKind::UnexpectedEnd);
		assert_eq!(kind("nulx"), ParseErrorKind::UnexpectedByte);
		assert_eq!(kind(""), ParseErrorKind::UnexpectedEnd);
		assert_eq!(parse(b"\"\xff\"").unwrap_err().kind, ParseErrorKind::InvalidUtf8);
		let deep = "[".repeat(MAX_DEPTH + 1);
		assert_eq!(kind(&deep), ParseErrorKind::TooDeep);
	}

	#[test]
	fn written_strings_read_back() {
		let s = "a\"b\\c\nd\u{1}é";
		let mut out = String::new();
		write_string(&mut out, s);
		assert_eq!(parse(out.as_bytes()).unwrap(), Value::String(s.to_string()));
	}

	proptest::proptest! {
		#[test]
		fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
			let _ = parse(&bytes);
		}

		#[test]
		fn any_string_round_trips(s in ".{0,40}") {
			let mut out = String::new();
			write_string(&mut out, &s);
			proptest::prop_assert_eq!(parse(out.as_bytes()).unwrap(), Value::String(s));
		}
	}
}
