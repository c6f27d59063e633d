//! Builds the runtime's wasm blob (only for the native `std` build of this crate).
//!
//! Source paths are remapped (panic locations name `/numerstake/...`, not this machine's
//! directories) and symbols are stripped (no name section: a smaller blob). The blob is still
//! not byte-identical across checkout paths, because cargo hashes the runtime's path into
//! crate metadata; see `node/tests/chain_specs.rs` for what the chain-spec check compares.

#[cfg(feature = "std")]
fn main() {
	use std::path::Path;

	let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
	let workspace_root = Path::new(&manifest_dir).parent().unwrap_or(Path::new("/"));
	let cargo_home = std::env::var("CARGO_HOME")
		.ok()
		.or_else(|| std::env::var("HOME").ok().map(|home| format!("{home}/.cargo")))
		.unwrap_or_default();

	let mut builder = substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.append_to_rust_flags("-C strip=symbols")
		.append_to_rust_flags(format!(
			"--remap-path-prefix={}=/numerstake",
			workspace_root.display()
		));
	if !cargo_home.is_empty() {
		builder = builder.append_to_rust_flags(format!("--remap-path-prefix={cargo_home}=/cargo"));
	}
	builder.build();
}

#[cfg(not(feature = "std"))]
fn main() {}
