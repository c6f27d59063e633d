//! # numerstake relayer
//!
//! The Ethereum side of numerstake's NMR bridge as the relayer and the tests see it:
//! - [`eth`]: a JSON-RPC client for an Ethereum node (finalised blocks, logs, calls, and on dev
//!   nodes transactions from unlocked accounts);
//! - [`contract`]: bindings of the lock contract and the test token (generated from the
//!   committed ABI), the EIP-712 messages relayers sign, and signatures in the contract's order;
//! - [`chain`]: numerstake over JSON-RPC (runtime API calls, storage, transactions signed with
//!   the runtime's types);
//! - [`relay`]: the relayer's work and its persistent progress;
//! - [`anvil`]: a local EVM node (anvil, installed from npm by `scripts/setup`) for the dev chain
//!   and the tests.

pub mod anvil;
pub mod chain;
pub mod contract;
pub mod eth;
pub mod relay;
