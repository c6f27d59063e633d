//! The HTTP/1.1 server: one thread per connection, one request per connection.

use crate::{
	graphql::{answer, Fault, PayoutShape},
	schema::ScoreFilter,
	world::{Clock, Model, RoundData, World},
};
use serde_json::{json, Value};
use std::{
	io::{BufRead, BufReader, Read, Write},
	net::{SocketAddr, TcpListener, TcpStream},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex, MutexGuard,
	},
	thread::JoinHandle,
	time::{Duration, SystemTime, UNIX_EPOCH},
};

/// Largest request body accepted.
const MAX_BODY: usize = 1 << 20;

/// How to run the fixture.
#[derive(Clone, Debug)]
pub struct Config {
	/// Where to listen (port 0: any free port).
	pub listen: SocketAddr,
	/// Models and results.
	pub world: World,
	/// The round clock.
	pub clock: Clock,
	/// How payouts are spread over score entries.
	pub shape: PayoutShape,
	/// Which round filter the score query may use.
	pub filter: ScoreFilter,
	/// The fault at start.
	pub fault: Fault,
}

struct State {
	world: World,
	clock: Clock,
	shape: PayoutShape,
	filter: ScoreFilter,
	fault: Fault,
	/// Answers left with the fault (`None`: all).
	fault_left: Option<u32>,
	requests: u64,
}

/// A running fixture server.
pub struct Fixture {
	addr: SocketAddr,
	state: Arc<Mutex<State>>,
	stop: Arc<AtomicBool>,
	thread: Option<JoinHandle<()>>,
}

fn now() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
	state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Fixture {
	/// Binds and starts serving in a background thread.
	pub fn start(config: Config) -> std::io::Result<Fixture> {
		let listener = TcpListener::bind(config.listen)?;
		let addr = listener.local_addr()?;
		let state = Arc::new(Mutex::new(State {
			world: config.world,
			clock: config.clock,
			shape: config.shape,
			filter: config.filter,
			fault: config.fault,
			fault_left: None,
			requests: 0,
		}));
		let stop = Arc::new(AtomicBool::new(false));
		let (s, st) = (state.clone(), stop.clone());
		let thread = std::thread::spawn(move || {
			for conn in listener.incoming() {
				if st.load(Ordering::SeqCst) {
					break;
				}
				let Ok(conn) = conn else { continue };
				let s = s.clone();
				std::thread::spawn(move || {
					if let Err(e) = serve(conn, &s) {
						eprintln!("numerai-fixture: connection error: {e}");
					}
				});
			}
		});
		Ok(Fixture { addr, state, stop, thread: Some(thread) })
	}

	/// The address it listens on.
	pub fn addr(&self) -> SocketAddr {
		self.addr
	}

	/// The GraphQL endpoint URL.
	pub fn url(&self) -> String {
		format!("http://{}/graphql", self.addr)
	}

	/// Applies `fault` to the next `count` answers (all with `None`).
	pub fn set_fault(&self, fault: Fault, count: Option<u32>) {
		let mut s = lock(&self.state);
		s.fault = fault;
		s.fault_left = count;
	}

	/// Sets the bio of the model named `name`; false if there is none.
	pub fn set_bio(&self, name: &str, bio: &str) -> bool {
		let mut s = lock(&self.state);
		match s.world.models.get_mut(name) {
			Some(m) => {
				m.bio = Some(bio.to_string());
				true
			},
			None => false,
		}
	}

	/// GraphQL requests answered so far.
	pub fn requests(&self) -> u64 {
		lock(&self.state).requests
	}

	/// Stops accepting connections and waits for the accept loop.
	pub fn stop(mut self) {
		self.shutdown();
	}

	fn shutdown(&mut self) {
		self.stop.store(true, Ordering::SeqCst);
		// Wake the accept loop.
		let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
		if let Some(t) = self.thread.take() {
			let _ = t.join();
		}
	}

	/// Blocks until the accept loop ends (never, unless stopped).
	pub fn wait(mut self) {
		if let Some(t) = self.thread.take() {
			let _ = t.join();
		}
	}
}

impl Drop for Fixture {
	fn drop(&mut self) {
		if self.thread.is_some() {
			self.shutdown();
		}
	}
}

struct Request {
	method: String,
	path: String,
	body: Vec<u8>,
}

fn read_request(conn: &mut TcpStream) -> std::io::Result<Option<Request>> {
	let mut reader = BufReader::new(conn);
	let mut line = String::new();
	if reader.read_line(&mut line)? == 0 {
		return Ok(None);
	}
	let mut parts = line.split_whitespace();
	let (Some(method), Some(path)) = (parts.next(), parts.next()) else { return Ok(None) };
	let (method, path) = (method.to_string(), path.to_string());
	let mut length = 0usize;
	let mut chunked = false;
	loop {
		let mut header = String::new();
		if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
			break;
		}
		if let Some((name, value)) = header.split_once(':') {
			let (name, value) = (name.trim(), value.trim());
			if name.eq_ignore_ascii_case("content-length") {
				length = value.parse().unwrap_or(0);
			} else if name.eq_ignore_ascii_case("transfer-encoding") {
				chunked = value.to_ascii_lowercase().contains("chunked");
			}
		}
	}
	let too_large =
		|| Ok(Some(Request { method: method.clone(), path: "/too-large".into(), body: vec![] }));
	let body = if chunked {
		// Chunked transfer encoding (what hyper, and so the off-chain worker, sends).
		let mut body = Vec::new();
		loop {
			let mut size_line = String::new();
			reader.read_line(&mut size_line)?;
			let size_text = size_line.trim().split(';').next().unwrap_or_default();
			let Ok(size) = usize::from_str_radix(size_text, 16) else {
				return Ok(Some(Request { method, path: "/bad-request".into(), body: vec![] }));
			};
			if size == 0 {
				// Trailers, then the final empty line.
				loop {
					let mut trailer = String::new();
					if reader.read_line(&mut trailer)? == 0 || trailer.trim().is_empty() {
						break;
					}
				}
				break;
			}
			if body.len() + size > MAX_BODY {
				return too_large();
			}
			let start = body.len();
			body.resize(start + size, 0);
			reader.read_exact(&mut body[start..])?;
			let mut crlf = [0u8; 2];
			reader.read_exact(&mut crlf)?;
		}
		body
	} else {
		if length > MAX_BODY {
			return too_large();
		}
		let mut body = vec![0u8; length];
		reader.read_exact(&mut body)?;
		body
	};
	Ok(Some(Request { method, path, body }))
}

fn respond(
	conn: &mut TcpStream,
	status: u16,
	content_type: &str,
	body: &[u8],
) -> std::io::Result<()> {
	let reason = match status {
		200 => "OK",
		400 => "Bad Request",
		404 => "Not Found",
		413 => "Payload Too Large",
		_ => "Internal Server Error",
	};
	write!(
		conn,
		"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
		body.len()
	)?;
	conn.write_all(body)?;
	conn.flush()
}

/// Rounds a results page lists at most (the latest resolved ones).
const MAX_RESULTS_PAGE: u32 = 1_000;

/// `model`'s resolved rounds since the clock's first round (the latest
/// [`MAX_RESULTS_PAGE`]), as the truth a test compares a chain's results with: planck as
/// decimal strings, so that no reader rounds them.
fn resolved_rounds(s: &State, model: &Model, now: u64) -> Vec<Value> {
	let current = s.clock.current(now);
	let Some(last) = current.checked_sub(s.clock.resolve_after) else { return Vec::new() };
	let first = s.clock.first_round.max(last.saturating_sub(MAX_RESULTS_PAGE - 1));
	(first..=last)
		// Implied by `last` once the clock has started; not before it (`current` is then the
		// first round, which with `resolve_after == 0` has not resolved yet).
		.filter(|r| s.clock.resolves_at(*r) <= now)
		.map(|round| match s.world.round_data(model, round) {
			RoundData::Missed { .. } => json!({"round": round, "submitted": false}),
			RoundData::Submitted(sub) => json!({
				"round": round,
				"submitted": true,
				"at_risk": sub.at_risk.to_string(),
				"payout": sub.payout().to_string(),
			}),
		})
		.collect()
}

fn serve(mut conn: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
	conn.set_read_timeout(Some(Duration::from_secs(10)))?;
	let Some(req) = read_request(&mut conn)? else { return Ok(()) };
	let json_type = "application/json";
	match (req.method.as_str(), req.path.as_str()) {
		("POST", "/" | "/graphql") => {
			let (answer, delay) = {
				let mut s = lock(state);
				s.requests += 1;
				let fault = match s.fault_left {
					Some(0) => {
						s.fault = Fault::None;
						s.fault_left = None;
						Fault::None
					},
					Some(n) => {
						s.fault_left = Some(n - 1);
						s.fault
					},
					None => s.fault,
				};
				let a = answer(&s.world, &s.clock, s.shape, s.filter, fault, now(), &req.body);
				let delay = a.delay_ms;
				(a, delay)
			};
			if delay > 0 {
				std::thread::sleep(Duration::from_millis(delay));
			}
			let content_type = if answer.status == 200 { json_type } else { "text/html" };
			respond(&mut conn, answer.status, content_type, &answer.body)
		},
		("GET", "/health") => respond(&mut conn, 200, "text/plain", b"ok"),
		("GET", "/admin/state") => {
			let s = lock(state);
			let t = now();
			let models: Vec<Value> = s
				.world
				.models
				.values()
				.map(|m| json!({"id": m.id, "name": m.name, "bio": m.bio}))
				.collect();
			let body = json!({
				"now": t,
				"current_round": s.clock.current(t),
				"round_secs": s.clock.round_secs,
				"resolve_after": s.clock.resolve_after,
				"fault": format!("{:?}", s.fault),
				"requests": s.requests,
				"models": models,
			});
			respond(&mut conn, 200, json_type, body.to_string().as_bytes())
		},
		("GET", path) if path.starts_with("/admin/results/") => {
			let name = &path["/admin/results/".len()..];
			let s = lock(state);
			let Some(model) = s.world.by_name(name) else {
				return respond(&mut conn, 404, json_type, br#"{"error":"unknown model"}"#);
			};
			let body = json!({"id": model.id, "name": model.name, "rounds": resolved_rounds(&s, model, now())});
			respond(&mut conn, 200, json_type, body.to_string().as_bytes())
		},
		("POST", "/admin/fault") => {
			let v: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
			let mode = v.get("mode").and_then(Value::as_str).unwrap_or_default();
			let Some(fault) = Fault::parse(mode) else {
				return respond(&mut conn, 400, json_type, br#"{"error":"unknown fault mode"}"#);
			};
			let mut s = lock(state);
			s.fault = fault;
			s.fault_left = v.get("count").and_then(Value::as_u64).map(|c| c as u32);
			respond(&mut conn, 200, json_type, br#"{"ok":true}"#)
		},
		("POST", "/admin/profile") => {
			let v: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
			let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
			// Names match without regard to case, as in the GraphQL answers.
			let Some(name) = text("name").map(|n| n.to_lowercase()) else {
				return respond(&mut conn, 400, json_type, br#"{"error":"name required"}"#);
			};
			let mut s = lock(state);
			if let Some(id) = text("id") {
				if numerstake_primitives::ModelId::parse(id.as_bytes()).is_err() {
					return respond(&mut conn, 400, json_type, br#"{"error":"id must be a UUID"}"#);
				}
				let model = s.world.models.entry(name.clone()).or_insert_with(|| Model {
					id: id.clone(),
					name: name.clone(),
					bio: None,
					beta_milli: 500,
					stake_nmr: 100,
					fixed: None,
				});
				model.id = id;
			}
			match s.world.models.get_mut(&name) {
				Some(m) => {
					m.bio = text("bio");
					respond(&mut conn, 200, json_type, br#"{"ok":true}"#)
				},
				None => respond(
					&mut conn,
					404,
					json_type,
					br#"{"error":"unknown model (give an id to add it)"}"#,
				),
			}
		},
		(_, "/too-large") => respond(&mut conn, 413, "text/plain", b"too large"),
		(_, "/bad-request") => respond(&mut conn, 400, "text/plain", b"bad chunked body"),
		_ => respond(&mut conn, 404, "text/plain", b"not found"),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn get(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
		let mut c = TcpStream::connect(addr).unwrap();
		write!(
			c,
			"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
			body.len()
		)
		.unwrap();
		let mut out = String::new();
		c.read_to_string(&mut out).unwrap();
		let status = out[9..12].parse().unwrap();
		let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
		(status, body)
	}

	fn numerai_query_rounds() -> String {
		numerstake_numerai::query::rounds(8, 0)
	}

	#[test]
	fn serves_graphql_and_admin_over_http() {
		let f = Fixture::start(Config {
			listen: "127.0.0.1:0".parse().unwrap(),
			world: World::synthetic(1, 2),
			clock: Clock { start: now(), first_round: 10, round_secs: 30, resolve_after: 2 },
			shape: PayoutShape::Sum,
			filter: ScoreFilter::FrontEnd,
			fault: Fault::None,
		})
		.unwrap();
		let addr = f.addr();
		assert_eq!(get(addr, "GET", "/health", ""), (200, "ok".into()));
		let (status, body) =
			get(addr, "POST", "/graphql", &numerstake_numerai::query::rounds(8, 0));
		assert_eq!(status, 200);
		assert_eq!(
			numerstake_numerai::extract::current_round(body.as_bytes()).unwrap().unwrap().number,
			10
		);
		// Two failures, then correct answers again.
		assert_eq!(get(addr, "POST", "/admin/fault", r#"{"mode":"http500","count":2}"#).0, 200);
		assert_eq!(get(addr, "POST", "/graphql", "{}").0, 500);
		assert_eq!(get(addr, "POST", "/graphql", "{}").0, 500);
		assert_eq!(get(addr, "POST", "/graphql", &numerstake_numerai::query::rounds(8, 0)).0, 200);
		assert_eq!(get(addr, "POST", "/admin/fault", r#"{"mode":"bogus"}"#).0, 400);
		// A bio set through the admin endpoint shows in the profile.
		assert_eq!(
			get(
				addr,
				"POST",
				"/admin/profile",
				r#"{"name":"numerstake_demo_alpha","bio":"hello"}"#
			)
			.0,
			200
		);
		let (_, body) = get(
			addr,
			"POST",
			"/graphql",
			&numerstake_numerai::query::user_profile("numerstake_demo_alpha"),
		);
		let p = numerstake_numerai::extract::profile(body.as_bytes()).unwrap().unwrap();
		assert_eq!(p.texts, vec!["hello".to_string()]);
		assert_eq!(get(addr, "POST", "/admin/profile", r#"{"name":"nobody","bio":"x"}"#).0, 404);
		assert_eq!(
			get(addr, "POST", "/admin/profile", r#"{"name":"new","id":"bad","bio":"x"}"#).0,
			400
		);
		assert_eq!(
			get(
				addr,
				"POST",
				"/admin/profile",
				r#"{"name":"new","id":"11111111-2222-4333-8444-555555555555","bio":"x"}"#
			)
			.0,
			200
		);
		assert_eq!(get(addr, "GET", "/nope", "").0, 404);
		// A chunked request body, as hyper sends it.
		let body = numerai_query_rounds();
		let (a, b) = body.split_at(10);
		let mut c = TcpStream::connect(addr).unwrap();
		write!(
			c,
			"POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
			a.len(),
			b.len()
		)
		.unwrap();
		let mut out = String::new();
		c.read_to_string(&mut out).unwrap();
		let json = out.split_once("\r\n\r\n").unwrap().1;
		assert!(
			numerstake_numerai::extract::current_round(json.as_bytes()).unwrap().is_some(),
			"{out}"
		);
		assert!(f.requests() >= 5);
		f.stop();
	}

	#[test]
	fn lists_a_models_resolved_rounds_as_the_truth() {
		let world = World::synthetic(7, 0);
		// Round 10 opened 100 s ago: rounds 10..=13 have opened, 10 and 11 have resolved.
		let clock = Clock { start: now() - 100, first_round: 10, round_secs: 30, resolve_after: 2 };
		let f = Fixture::start(Config {
			listen: "127.0.0.1:0".parse().unwrap(),
			world: world.clone(),
			clock,
			shape: PayoutShape::Sum,
			filter: ScoreFilter::FrontEnd,
			fault: Fault::None,
		})
		.unwrap();
		let (status, body) = get(f.addr(), "GET", "/admin/results/NumerStake_Demo_Alpha", "");
		assert_eq!(status, 200, "{body}");
		let v: Value = serde_json::from_str(&body).unwrap();
		let model = world.by_name("numerstake_demo_alpha").unwrap();
		assert_eq!(v["id"], model.id.as_str());
		let rounds = v["rounds"].as_array().unwrap();
		assert_eq!(
			rounds.iter().map(|r| r["round"].as_u64().unwrap()).collect::<Vec<_>>(),
			[10, 11]
		);
		for r in rounds {
			let round = r["round"].as_u64().unwrap() as u32;
			match world.round_data(model, round) {
				RoundData::Missed { .. } => assert_eq!(r["submitted"], false),
				RoundData::Submitted(s) => {
					assert_eq!(r["at_risk"], s.at_risk.to_string());
					assert_eq!(r["payout"], s.payout().to_string());
				},
			}
		}
		assert_eq!(get(f.addr(), "GET", "/admin/results/nobody", "").0, 404);
		f.stop();
	}
}
