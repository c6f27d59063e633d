//! Captures what the pallets log at error level (per thread): the delegation pallet logs when a
//! result is ignored as out of order, when settling a round fails, or when the bond cannot pay;
//! each is a failure of the run.

use std::cell::RefCell;

thread_local! {
	static ERRORS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

struct Capture;

impl log::Log for Capture {
	fn enabled(&self, metadata: &log::Metadata) -> bool {
		metadata.level() <= log::Level::Error && metadata.target().starts_with("numerstake")
	}

	fn log(&self, record: &log::Record) {
		if self.enabled(record.metadata()) {
			let line = format!("{}: {}", record.target(), record.args());
			ERRORS.with(|e| e.borrow_mut().push(line));
		}
	}

	fn flush(&self) {}
}

static CAPTURE: Capture = Capture;

/// Installs the capturing logger (once per process; a logger set by someone else stays).
pub fn install() {
	if log::set_logger(&CAPTURE).is_ok() {
		log::set_max_level(log::LevelFilter::Error);
	}
}

/// The errors logged on this thread since the last call.
pub fn take() -> Vec<String> {
	ERRORS.with(|e| core::mem::take(&mut *e.borrow_mut()))
}

/// A log line without its numbers, so that one defect is one class of failure.
pub fn class_of(line: &str) -> String {
	let mut out = String::with_capacity(line.len());
	let mut in_number = false;
	let mut depth = 0u32;
	for c in line.chars() {
		match c {
			'[' => {
				depth += 1;
				if depth == 1 {
					out.push_str("[..]");
				}
			},
			']' => depth = depth.saturating_sub(1),
			_ if depth > 0 => {},
			'0'..='9' => {
				if !in_number {
					out.push('N');
				}
				in_number = true;
				continue;
			},
			_ => out.push(c),
		}
		in_number = false;
	}
	out
}
