//! A local EVM node: anvil, from the npm package pinned in `bridge/package.json` (installed by
//! `scripts/setup`), on a loopback port.

use std::{
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// Where anvil is: `$NUMERSTAKE_ANVIL`, else the npm package's binary in `bridge/node_modules`.
pub fn binary() -> PathBuf {
	std::env::var_os("NUMERSTAKE_ANVIL").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(env!("CARGO_MANIFEST_DIR"))
			.join("../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
	})
}

/// A running anvil; killed when dropped.
pub struct Anvil {
	child: Child,
	/// Its JSON-RPC port on 127.0.0.1.
	pub port: u16,
}

impl Anvil {
	/// Starts anvil on a free loopback port with `args` added (e.g. `--slots-in-an-epoch 1`, so
	/// that the finalised block is the latest but two) and waits until it accepts connections.
	pub fn start(args: &[&str]) -> Result<Self, String> {
		let port = TcpListener::bind("127.0.0.1:0")
			.and_then(|l| l.local_addr())
			.map_err(|e| format!("no free port: {e}"))?
			.port();
		let bin = binary();
		let child = Command::new(&bin)
			.args(["--host", "127.0.0.1", "--port", &port.to_string()])
			.args(args)
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			.spawn()
			.map_err(|e| {
				format!("cannot start anvil at {}: {e} (run scripts/setup)", bin.display())
			})?;
		let anvil = Anvil { child, port };
		let deadline = Instant::now() + Duration::from_secs(30);
		while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
			if Instant::now() > deadline {
				return Err(format!("anvil did not listen on port {port} within 30 s"));
			}
			std::thread::sleep(Duration::from_millis(50));
		}
		Ok(anvil)
	}

	/// Its JSON-RPC URL.
	pub fn url(&self) -> String {
		format!("http://127.0.0.1:{}", self.port)
	}
}

impl Drop for Anvil {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}
