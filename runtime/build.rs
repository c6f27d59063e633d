//! Builds the runtime's wasm blob (only for the native `std` build of this crate).
//!
//! Paths are remapped so that the blob does not depend on where the repository or the cargo
//! registry sits on disk: the same source gives the same blob, hence the same genesis, in any
//! clone (the committed chain specs are checked against the node's output in the tests).

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
