//! # numerstake CLI
//!
//! The library behind the `numerstake` binary: exact NMR amounts, the connection to a node
//! (subxt, runtime APIs, signed transactions with decoded errors), the TOML files of owners and
//! council members, the recommendation maths, the HTML report and the automation rules.

pub mod amount;
pub mod chain;
pub mod files;
pub mod keys;
pub mod recommend;
pub mod report;
pub mod rules;
