//! ISO-8601 times (`"2026-03-01T12:00:00Z"`, with optional fractional seconds and `±HH:MM`
//! offsets) to unix seconds. Fractions are dropped (floor), so the result is exact and the same
//! for every reader.

/// Why a time was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeError {
	/// Not `YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM)`.
	Format,
	/// A field out of its range (month 13, 25 o'clock, 30 February, ...).
	OutOfRange,
	/// Before 1970.
	BeforeEpoch,
}

fn num(bytes: &[u8], from: usize, len: usize) -> Result<u32, TimeError> {
	let part = bytes.get(from..from + len).ok_or(TimeError::Format)?;
	let mut v = 0u32;
	for &b in part {
		if !b.is_ascii_digit() {
			return Err(TimeError::Format);
		}
		v = v * 10 + u32::from(b - b'0');
	}
	Ok(v)
}

fn expect(bytes: &[u8], at: usize, what: &[u8]) -> Result<(), TimeError> {
	match bytes.get(at) {
		Some(b) if what.contains(b) => Ok(()),
		_ => Err(TimeError::Format),
	}
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
	let y = if m <= 2 { y - 1 } else { y };
	let era = y.div_euclid(400);
	let yoe = y - era * 400;
	let m = i64::from(m);
	let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
	let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	era * 146_097 + doe - 719_468
}

fn days_in_month(y: u32, m: u32) -> u32 {
	match m {
		1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
		4 | 6 | 9 | 11 => 30,
		_ if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
		_ => 28,
	}
}

/// Unix seconds of an ISO-8601 time.
pub fn parse_time(text: &str) -> Result<u64, TimeError> {
	let b = text.as_bytes();
	let year = num(b, 0, 4)?;
	expect(b, 4, b"-")?;
	let month = num(b, 5, 2)?;
	expect(b, 7, b"-")?;
	let day = num(b, 8, 2)?;
	expect(b, 10, b"Tt ")?;
	let hour = num(b, 11, 2)?;
	expect(b, 13, b":")?;
	let minute = num(b, 14, 2)?;
	expect(b, 16, b":")?;
	let second = num(b, 17, 2)?;
	let mut pos = 19;
	if b.get(pos) == Some(&b'.') {
		pos += 1;
		let start = pos;
		while b.get(pos).is_some_and(u8::is_ascii_digit) {
			pos += 1;
		}
		if pos == start {
			return Err(TimeError::Format);
		}
	}
	let offset_secs: i64 = match b.get(pos) {
		Some(b'Z' | b'z') if pos + 1 == b.len() => 0,
		Some(&sign @ (b'+' | b'-')) if pos + 6 == b.len() => {
			let oh = num(b, pos + 1, 2)?;
			expect(b, pos + 3, b":")?;
			let om = num(b, pos + 4, 2)?;
			if oh > 23 || om > 59 {
				return Err(TimeError::OutOfRange);
			}
			let s = i64::from(oh * 3600 + om * 60);
			if sign == b'-' {
				-s
			} else {
				s
			}
		},
		_ => return Err(TimeError::Format),
	};
	if !(1..=12).contains(&month)
		|| day == 0
		|| day > days_in_month(year, month)
		|| hour > 23
		|| minute > 59
		|| second > 60
	{
		return Err(TimeError::OutOfRange);
	}
	let days = days_from_civil(i64::from(year), month, day);
	let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset_secs;
	u64::try_from(secs).map_err(|_| TimeError::BeforeEpoch)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn reads_numerai_times() {
		assert_eq!(parse_time("1970-01-01T00:00:00Z"), Ok(0));
		assert_eq!(parse_time("2026-03-01T12:00:00Z"), Ok(1_772_366_400));
		assert_eq!(parse_time("2026-03-01T12:00:00.123456Z"), Ok(1_772_366_400));
		assert_eq!(parse_time("2026-03-01T12:00:00+00:00"), Ok(1_772_366_400));
		assert_eq!(parse_time("2026-03-01T14:00:00+02:00"), Ok(1_772_366_400));
		assert_eq!(parse_time("2026-03-01T11:30:00-00:30"), Ok(1_772_366_400));
		assert_eq!(parse_time("2024-02-29T00:00:00Z"), Ok(1_709_164_800));
	}

	#[test]
	fn refuses_the_rest() {
		assert_eq!(parse_time("2026-03-01"), Err(TimeError::Format));
		assert_eq!(parse_time("2026-03-01T12:00:00"), Err(TimeError::Format));
		assert_eq!(parse_time("2026-03-01T12:00:00Zx"), Err(TimeError::Format));
		assert_eq!(parse_time("2026-03-01T12:00:00.Z"), Err(TimeError::Format));
		assert_eq!(parse_time("2026-13-01T12:00:00Z"), Err(TimeError::OutOfRange));
		assert_eq!(parse_time("2025-02-29T12:00:00Z"), Err(TimeError::OutOfRange));
		assert_eq!(parse_time("2026-03-01T24:00:00Z"), Err(TimeError::OutOfRange));
		assert_eq!(parse_time("1969-12-31T23:59:59Z"), Err(TimeError::BeforeEpoch));
		assert_eq!(parse_time("２026-03-01T12:00:00Z"), Err(TimeError::Format));
	}

	proptest::proptest! {
		#[test]
		fn never_panics(s in ".{0,40}") {
			let _ = parse_time(&s);
		}
	}
}
