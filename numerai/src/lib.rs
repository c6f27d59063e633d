//! Numerai's GraphQL API as the numerstake oracle reads it.
//!
//! Everything here is deterministic and free of floating point, so that honest oracle operators
//! reading the same response produce byte-identical reports:
//! - [`json`]: a strict, depth-bounded JSON reader that keeps numbers as their text;
//! - [`decimal`]: decimal text (plain, signed, exponent, `"0E-18"`, commas) to exact integers at a
//!   fixed scale: amounts must be exact, scores are rounded half away from zero;
//! - [`time`]: ISO-8601 times to unix seconds;
//! - [`query`]: the request bodies;
//! - [`extract`]: rounds, per-model round results (with the payout cross-check) and profiles.
//!
//! Nothing here panics on any input; every failure is a precise [`Error`].

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod decimal;
pub mod extract;
pub mod json;
pub mod query;
pub mod time;

pub use decimal::{DecimalError, SCORE_SCALE};
pub use extract::{Error, Profile, Resolved, RoundOpened, RoundOutcome, ScoreConfig, Scores};

/// Numerai's Classic tournament.
pub const TOURNAMENT_CLASSIC: u16 = 8;

/// Demo models that dev chains register at genesis and the local fixture server always serves:
/// (model id, name).
pub const DEMO_MODELS: [(&str, &str); 3] = [
	("00000000-0000-4000-8000-000000000001", "numerstake_demo_alpha"),
	("00000000-0000-4000-8000-000000000002", "numerstake_demo_beta"),
	("00000000-0000-4000-8000-000000000003", "numerstake_demo_gamma"),
];

/// Where the local fixture server listens by default, and the dev chain's default endpoint.
pub const FIXTURE_DEFAULT_URL: &str = "http://127.0.0.1:8787/graphql";
