//! # numerai-fixture
//!
//! A local stand-in for Numerai's GraphQL API over real HTTP on loopback: the dev chain's
//! default data source and the tests' Numerai. It serves the three queries the oracle sends
//! (`rounds`, `v2RoundModelPerformances`, `v3UserProfile`) in Numerai's encodings, refusing a
//! query with an unknown field or argument as a GraphQL server does (`schema`), runs rounds
//! on an accelerated clock, generates correlated model results from a seed (or loads them from a
//! JSON file), and injects faults on demand.
//!
//! Admin endpoints (JSON bodies):
//! - `POST /admin/fault` `{"mode": "http500", "count": 3}`: the next `count` GraphQL answers
//!   (all of them without `count`) get the fault; `"none"` clears it;
//! - `POST /admin/profile` `{"name": "my_model", "bio": "numerstake-challenge:0x..."}`: sets a
//!   model's bio (how a dev-chain user "proves" ownership); with `"id"`, adds the model;
//! - `GET /admin/state`: clock, current round, fault, models; `GET /health`: `ok`;
//! - `GET /admin/results/<model name>`: the model's resolved rounds since the first round (the
//!   latest 1,000), each `{"round", "submitted", "at_risk", "payout"}` in planck strings: the
//!   truth a network test compares the chain's finalised results with.

pub mod graphql;
pub mod schema;
pub mod server;
pub mod world;

pub use graphql::{Fault, PayoutShape};
pub use schema::ScoreFilter;
pub use server::{Config, Fixture};
pub use world::{Clock, World};
