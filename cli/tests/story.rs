//! The end-to-end story, using only the `numerstake` binary against a real dev node that reads
//! the local Numerai fixture:
//!
//! Ferdie registers a Numerai model and proves he owns it through its profile; publishes terms
//! with fee ladders and a commitment option; bonds. Eve delegates rolling, Dave for 10 rounds.
//! The fixture opens and resolves rounds, the oracle finalises them and the pool settles:
//! `portfolio --json` equals an independent replay of the stored round results. The council
//! lowers the fee caps by a motion and `models` shows it. Ferdie commits a new model version;
//! Eve's staking bot exits her by its rule. Both withdraw, and every balance reconciles to the
//! planck.

use numerai_fixture::{Clock, Config, Fault, Fixture, PayoutShape, ScoreFilter, World};
use polkadot_sdk::sp_core::U256;
use serde_json::Value;
use std::{
	io::Read,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

const NMR: u128 = 1_000_000_000_000_000_000;
const ONE: u128 = NMR;

fn bin_dir() -> PathBuf {
	PathBuf::from(env!("CARGO_BIN_EXE_numerstake")).parent().expect("target dir").to_path_buf()
}

fn free_port() -> u16 {
	std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Node {
	child: Child,
	log: PathBuf,
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Node {
	fn log(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}
}

/// The CLI's outcome: exit code, stdout, stderr.
struct Run {
	code: i32,
	out: String,
	err: String,
}

impl Run {
	fn json(&self) -> Value {
		serde_json::from_str(&self.out)
			.unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.out, self.err))
	}
}

struct Story {
	url: String,
	dir: PathBuf,
	node: Node,
}

impl Story {
	/// Runs `numerstake ARGS` signed by `suri` (if any).
	fn run(&self, suri: Option<&str>, args: &[&str]) -> Run {
		let mut cmd = Command::new(bin_dir().join("numerstake"));
		cmd.args(["--url", &self.url]).args(args).env_remove("NUMERSTAKE_SURI");
		if let Some(s) = suri {
			cmd.env("NUMERSTAKE_SURI", s);
		}
		let out = cmd.output().expect("run numerstake");
		let run = Run {
			code: out.status.code().unwrap_or(-1),
			out: String::from_utf8_lossy(&out.stdout).into_owned(),
			err: String::from_utf8_lossy(&out.stderr).into_owned(),
		};
		eprintln!("$ numerstake {}  → {}\n{}{}", args.join(" "), run.code, run.out, run.err);
		run
	}

	/// `numerstake --json ARGS --yes`, which must succeed.
	fn ok(&self, suri: Option<&str>, args: &[&str]) -> Value {
		let mut all = vec!["--json", "--yes"];
		all.extend_from_slice(args);
		let run = self.run(suri, &all);
		assert_eq!(
			run.code,
			0,
			"numerstake {args:?} failed:\n{}\n{}\nnode log tail:\n{}",
			run.out,
			run.err,
			tail(&self.node.log())
		);
		run.json()
	}

	fn wait<T>(&self, what: &str, secs: u64, mut f: impl FnMut() -> Option<T>) -> T {
		let deadline = Instant::now() + Duration::from_secs(secs);
		loop {
			if let Some(v) = f() {
				return v;
			}
			assert!(
				Instant::now() < deadline,
				"{what} did not happen within {secs} s; node log tail:\n{}",
				tail(&self.node.log())
			);
			std::thread::sleep(Duration::from_secs(3));
		}
	}

	fn write(&self, name: &str, text: &str) -> String {
		let path = self.dir.join(name);
		std::fs::write(&path, text).unwrap();
		path.display().to_string()
	}
}

fn tail(log: &str) -> String {
	let lines: Vec<&str> = log.lines().collect();
	lines[lines.len().saturating_sub(40)..].join("\n")
}

fn planck(v: &Value) -> u128 {
	v["planck"].as_str().unwrap_or_else(|| panic!("no planck in {v}")).parse().unwrap()
}

fn splanck(v: &Value) -> i128 {
	v["planck"].as_str().unwrap_or_else(|| panic!("no planck in {v}")).parse().unwrap()
}

fn fees_of(v: &Value, signer: &str) -> u128 {
	v["transactions"]
		.as_array()
		.map(|txs| txs.iter().filter(|t| t["signer"] == signer).map(|t| planck(&t["fee"])).sum())
		.unwrap_or(0)
}

fn mul_div(a: u128, b: u128, c: u128, up: bool) -> u128 {
	let (a, b, c) = (U256::from(a), U256::from(b), U256::from(c));
	let p = a * b;
	let q = p / c;
	let q = if up && q * c != p { q + 1 } else { q };
	q.as_u128()
}

const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const EVE: &str = "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw";
const DAVE: &str = "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy";

fn account_of(story: &Story, suri: &str) -> String {
	// The CLI prints the signer's account in its balance output.
	story.ok(Some(suri), &["balance"])["accounts"][0]["account"].as_str().unwrap().to_string()
}

fn holdings(story: &Story, who: &str) -> u128 {
	let b = story.ok(None, &["balance", who]);
	planck(&b["accounts"][0]["free"]) + planck(&b["accounts"][0]["reserved"])
}

#[test]
fn the_story_of_a_model_its_stakers_a_motion_and_a_bot() {
	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let world = World::synthetic(23, 40);
	// A model whose owner stakes less on Numerai than his stakers delegate: each round then
	// moves exactly what Numerai paid or burned (b·Req = at_risk), which the replay below
	// checks to the planck.
	let model = world
		.models
		.values()
		.filter(|m| m.name.starts_with("synthetic_") && (150..=450).contains(&m.stake_nmr))
		.min_by_key(|m| m.name.clone())
		.expect("a small synthetic model")
		.clone();
	let fixture = Fixture::start(Config {
		listen: "127.0.0.1:0".parse().unwrap(),
		world,
		clock: Clock { start: now + 20, first_round: 3_001, round_secs: 12, resolve_after: 2 },
		shape: PayoutShape::Sum,
		filter: ScoreFilter::FrontEnd,
		fault: Fault::None,
	})
	.expect("start the fixture");
	let dir = std::env::temp_dir().join(format!("numerstake-story-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	let rpc = free_port();
	let log = dir.join("node.log");
	let out = std::fs::File::create(&log).unwrap();
	let child = Command::new(bin_dir().join("numerstake-node"))
		.args([
			"--dev",
			"--tmp",
			"--numerai-endpoint",
			&fixture.url(),
			"--rpc-port",
			&rpc.to_string(),
		])
		.args([
			"--listen-addr",
			&format!("/ip4/127.0.0.1/tcp/{}", free_port()),
			"--no-prometheus",
			"--no-telemetry",
			"--no-mdns",
		])
		.stdin(Stdio::null())
		.stdout(out.try_clone().unwrap())
		.stderr(out)
		.spawn()
		.expect("start numerstake-node");
	let story =
		Story { url: format!("ws://127.0.0.1:{rpc}"), dir: dir.clone(), node: Node { child, log } };
	story.wait("the node's RPC", 120, || {
		(story.run(None, &["--json", "oracle", "status"]).code == 0).then_some(())
	});

	let (ferdie, eve, dave, alice, bob, bot) =
		("//Ferdie", "//Eve", "//Dave", "//Alice", "//Bob", "//Eve//bot");
	let bot_account = account_of(&story, bot);
	let issuance0 = planck(&story.ok(None, &["balance", ALICE])["total_issuance"]);
	let (eve0, dave0) = (holdings(&story, EVE), holdings(&story, DAVE));

	// 1. Ferdie claims the model and proves it through its Numerai profile.
	let claimed = story.ok(Some(ferdie), &["register", &model.id, &model.name]);
	let challenge = claimed["challenge"].as_str().unwrap().to_string();
	assert!(challenge.starts_with("numerstake-challenge:0x"), "{challenge}");
	assert!(fixture.set_bio(&model.name, &challenge));
	let proven = story.ok(Some(ferdie), &["challenge", &model.id, "--timeout", "240"]);
	assert_eq!(proven["verified"], true);

	// 2. Terms with fee ladders and a commitment option; a bond.
	let bad = story.write("bad-terms.toml", "capacity = \"10000\"\nmin_delegation = \"100\"\nmax_delegation = \"5000\"\n[[fixed_fee]]\nup_to = \"500\"\nfee_per_round = \"1\"\n[[commitment]]\nterm_rounds = 0\n");
	let refused = story.run(Some(ferdie), &["--yes", "terms", "set", &model.id, &bad]);
	assert_eq!(refused.code, 1, "a fee above the cap is refused before sending");
	assert!(refused.err.contains("FixedFeeAboveCap"), "{}", refused.err);
	let terms = story.write(
		"terms.toml",
		r#"
capacity = "10000"
min_delegation = "100"
max_delegation = "5000"
[[fixed_fee]]
up_to = "500"
fee_per_round = "0.05"
[[fixed_fee]]
up_to = "5000"
fee_per_round = "0.2"
[[performance_fee]]
up_to = "500"
fee = "20%"
[[performance_fee]]
up_to = "5000"
fee = "15%"
[[commitment]]
term_rounds = 0
[[commitment]]
term_rounds = 10
discount = "10%"
"#,
	);
	let published = story.ok(Some(ferdie), &["terms", "set", &model.id, &terms]);
	assert_eq!(published["version"], 0);
	let bonded = story.ok(Some(ferdie), &["bond", &model.id, "2000"]);
	assert_eq!(planck(&bonded["bond"]), 2_000 * NMR);

	// 3. Eve delegates 600 NMR rolling, Dave 400 NMR for 10 rounds, once the model takes them.
	story.wait("the model taking delegations", 240, || {
		let q = story.ok(None, &["quote", &model.id, "600"]);
		q["refusal"].is_null().then_some(())
	});
	let d_eve = story.ok(Some(eve), &["delegate", &model.id, "600"]);
	let d_dave = story.ok(Some(dave), &["delegate", &model.id, "400", "--term", "10"]);
	assert_eq!(d_eve["quote"]["terms_version"], 0);
	assert_eq!(
		planck(&d_dave["quote"]["prepaid"]),
		45 * NMR / 100,
		"0.05 NMR × 10 rounds, 10 % off"
	);
	let dave_prepaid = planck(&d_dave["quote"]["prepaid"]);
	// Delegation indices count per model, across stakers.
	let eve_index = d_eve["position"]["index"].as_u64().unwrap().to_string();
	let dave_index = d_dave["position"]["index"].as_u64().unwrap().to_string();
	let mut eve_fees = fees_of(&d_eve, EVE);
	let mut dave_fees = fees_of(&d_dave, DAVE);
	// A refused action, in the pallet's own words.
	let early = story.run(Some(eve), &["--json", "--yes", "withdraw", &model.id, &eve_index]);
	assert_eq!(early.code, 1);
	assert!(early.err.contains("StakeDelegation::NotExiting"), "{}", early.err);
	// It was included (and paid for) all the same.
	eve_fees += fees_of(&early.json(), EVE);

	// 4. Eve funds a bot key and registers it as her StakingBot proxy; it watches her positions.
	let funded = story.ok(Some(eve), &["transfer", &bot_account, "1"]);
	eve_fees += fees_of(&funded, EVE);
	let added = story.ok(Some(eve), &["bot-add", &bot_account]);
	eve_fees += fees_of(&added, EVE);
	let rules = story.write("rules.toml", &format!("staker = \"{EVE}\"\ninterval_secs = 3\n[[rule]]\nmodel = \"{}\"\nexit_on_version_change = true\n", model.id));
	let watch_log = dir.join("watch.log");
	let watcher = Command::new(bin_dir().join("numerstake"))
		.args(["--url", &story.url, "watch", &rules])
		.env("NUMERSTAKE_SURI", bot)
		.stdout(std::fs::File::create(&watch_log).unwrap())
		.stderr(Stdio::null())
		.spawn()
		.expect("start the watcher");
	// Stopped on every way out of the test.
	let watcher = Node { child: watcher, log: watch_log.clone() };

	// 5. Rounds resolve and the pool settles them; the portfolio equals a replay of the stored
	// results (read at the same finalised block, retried until two reads agree).
	let first_round = d_dave["position"]["first_round"].as_u64().unwrap() as u32;
	let (show, eve_p, dave_p) = story.wait("two settled rounds of exposure", 420, || {
		let show = story.ok(None, &["model", "show", &model.id, "--rounds", "60"]);
		let last = show["pool"]["last_finalised"].as_u64()? as u32;
		if last < first_round + 1 {
			return None;
		}
		let eve_p = story.ok(None, &["portfolio", "--who", EVE]);
		let dave_p = story.ok(None, &["portfolio", "--who", DAVE]);
		let again = story.ok(None, &["model", "show", &model.id, "--rounds", "60"]);
		(again["pool"] == show["pool"]).then_some((show, eve_p, dave_p))
	});
	let last = show["pool"]["last_finalised"].as_u64().unwrap() as u32;
	let positions = [&eve_p["positions"][0], &dave_p["positions"][0]];
	let principals = [600 * NMR, 400 * NMR];
	let firsts: Vec<u32> =
		positions.iter().map(|p| p["first_round"].as_u64().unwrap() as u32).collect();
	assert!(positions.iter().all(|p| p["stage"] == "active"), "both positions are active");
	// Replay: each delegation becomes shares at the price when its first round is finalised
	// (before that round's result); each submitted round then moves exactly its payout (the
	// owner staked less than was delegated: b·Req = at_risk), gains rounded up into the pool and
	// the price rising by floor(gain / shares), losses rounded down out of it and the price
	// falling by ceil(loss / shares), so that the pool always covers every share.
	let rounds: std::collections::BTreeMap<u32, &Value> = show["rounds"]
		.as_array()
		.unwrap()
		.iter()
		.map(|r| (r["round"].as_u64().unwrap() as u32, r))
		.collect();
	let mut shares = [0u128; 2];
	let mut price = ONE;
	for round in *firsts.iter().min().unwrap()..=last {
		for i in 0..2 {
			if firsts[i] == round {
				shares[i] = mul_div(principals[i], ONE, price, false);
			}
		}
		let total_shares: u128 = shares.iter().sum();
		let r = rounds
			.get(&round)
			.unwrap_or_else(|| panic!("round {round} is finalised but not in the history"));
		if r["submitted"] != true {
			continue;
		}
		let (at_risk, payout) = (planck(&r["at_risk"]), splanck(&r["payout"]));
		let exposed: u128 = (0..2).filter(|i| firsts[*i] <= round).map(|i| principals[i]).sum();
		assert!(at_risk * 100 < exposed * 85, "round {round}: the owner staked {at_risk} of {exposed} delegated — the replay assumes clearly less");
		if payout > 0 {
			price += mul_div(payout as u128, ONE, total_shares, false);
		} else {
			price -= mul_div(payout.unsigned_abs(), ONE, total_shares, true);
		}
	}
	assert_eq!(show["pool"]["delegations"], 2);
	assert_eq!(
		show["pool"]["price"].as_str().unwrap().parse::<u128>().unwrap(),
		price,
		"the pool's price is the replay's"
	);
	for (i, p) in positions.iter().enumerate() {
		assert_eq!(
			p["shares"].as_str().unwrap().parse::<u128>().unwrap(),
			shares[i],
			"position {i}: shares"
		);
		let value = mul_div(shares[i], price, ONE, false);
		assert_eq!(planck(&p["value"]), value, "position {i}: value");
		let prepaid = planck(&p["prepaid"]) as i128;
		assert_eq!(
			splanck(&p["result"]),
			value as i128 - principals[i] as i128 - prepaid,
			"position {i}: result"
		);
	}
	let period_end = show["pool"]["next_period_end"].as_u64().unwrap() as u32;
	assert!(
		last < period_end,
		"no fee period ended in the replayed rounds (fees are not replayed)"
	);
	eprintln!(
		"replayed rounds {first_round}..={last}: price {price}, next fee period end {period_end}"
	);

	// What the stakers and the owner read, as people (printed into the test's output).
	for args in [
		&["portfolio", "--who", EVE][..],
		&["portfolio", "--who", DAVE],
		&["model", "show", &model.id, "--rounds", "8"],
		&["oracle", "status"],
	] {
		assert_eq!(story.run(None, args).code, 0);
	}

	// Advice and a report for Dave (whose only position is in this model).
	let advice = story.ok(None, &["recommend", "--budget", "500", "--who", DAVE, "--rounds", "60"]);
	assert!(advice["summary"].as_array().is_some_and(|s| !s.is_empty()), "{advice}");
	let placed: u128 =
		advice["picks"].as_array().unwrap().iter().map(|p| planck(&p["amount"])).sum();
	assert!(placed <= 500 * NMR, "never more than the budget");
	let report_dir = dir.join("report");
	let written = story.ok(None, &["report", "--out", report_dir.to_str().unwrap(), "--who", DAVE]);
	let html = std::fs::read_to_string(written["report"].as_str().unwrap()).unwrap();
	assert_eq!(
		html.matches("<svg").count(),
		3,
		"cumulative results, correlations and fees, inline"
	);
	assert!(
		html.contains(&model.name) && !html.contains("<script"),
		"a static page about Dave's position"
	);

	// 6. The council lowers the performance-fee cap; an out-of-range motion is refused.
	let wild = story.write("wild.toml", "max_performance_fee = \"60%\"\n");
	let refused = story.run(Some(alice), &["--yes", "gov", "propose", "fee-caps", &wild]);
	assert_eq!(refused.code, 1);
	assert!(refused.err.contains("MaxPerformanceFeeOutOfRange"), "{}", refused.err);
	let caps = story.write("caps.toml", "max_performance_fee = \"25%\"\n");
	let motion = story.ok(Some(alice), &["gov", "propose", "fee-caps", &caps]);
	let (hash, index) = (
		motion["hash"].as_str().unwrap().to_string(),
		motion["index"].as_u64().unwrap().to_string(),
	);
	story.ok(Some(alice), &["gov", "vote", &hash, &index]);
	story.ok(Some(bob), &["gov", "vote", &hash, &index]);
	let closed = story.ok(Some(bob), &["gov", "close", &hash, &index]);
	assert_eq!(closed["outcome"], "approved and executed");
	assert!(
		story.run(None, &["models"]).out.contains("max_performance_fee 25%"),
		"the table shows the new cap"
	);
	let models = story.ok(None, &["models"]);
	assert_eq!(models["fee_caps"]["max_performance_fee"], "25%");
	assert!(models["models"].as_array().unwrap().iter().any(|m| m["model"] == model.id.as_str()));

	// 7. Ferdie commits a new model version; Eve's bot exits her by its rule.
	story.ok(
		Some(ferdie),
		&["version", "commit", &model.id, &format!("0x{}", "ab".repeat(32)), "--note", "v2"],
	);
	let eve_last = story.wait("the bot exiting Eve", 120, || {
		let p = story.ok(None, &["portfolio", "--who", EVE]);
		let stage = p["positions"][0]["stage"].as_str()?.to_string();
		stage.starts_with("exiting").then(|| p["positions"][0]["release_round"].clone())
	});
	let mut said = String::new();
	std::fs::File::open(&watch_log).unwrap().read_to_string(&mut said).unwrap();
	assert!(
		said.contains("new model version") && said.contains("done, final in block"),
		"the bot says what it did and why:\n{said}"
	);
	drop(watcher);
	eprintln!("watcher:\n{said}\nEve released after {eve_last}");

	// 8. Dave leaves too (the version change inside his commitment frees him, or his term ends).
	let exited = story.ok(Some(dave), &["exit", &model.id, &dave_index]);
	dave_fees += fees_of(&exited, DAVE);
	let values = story.wait("both positions released", 600, || {
		let e = story.ok(None, &["portfolio", "--who", EVE]);
		let d = story.ok(None, &["portfolio", "--who", DAVE]);
		(e["positions"][0]["stage"] == "withdrawable"
			&& d["positions"][0]["stage"] == "withdrawable")
			.then(|| (planck(&e["positions"][0]["value"]), planck(&d["positions"][0]["value"])))
	});
	let we = story.ok(Some(eve), &["withdraw", &model.id, &eve_index]);
	let wd = story.ok(Some(dave), &["withdraw", &model.id, &dave_index]);
	eve_fees += fees_of(&we, EVE);
	dave_fees += fees_of(&wd, DAVE);
	assert_eq!(planck(&we["withdrawn"]), values.0, "Eve withdrew what her portfolio showed");
	assert_eq!(planck(&wd["withdrawn"]), values.1, "Dave withdrew what his portfolio showed");

	// 9. Every planck: each staker has what they had, less fees and principal, plus what came
	// home; nothing was created or destroyed.
	assert_eq!(
		holdings(&story, EVE),
		eve0 - eve_fees - 600 * NMR - NMR + values.0,
		"Eve reconciles"
	);
	assert_eq!(
		holdings(&story, DAVE),
		dave0 - dave_fees - 400 * NMR - dave_prepaid + values.1,
		"Dave reconciles"
	);
	assert!(holdings(&story, &bot_account) < NMR, "the bot paid its own fees");
	assert_eq!(
		planck(&story.ok(None, &["balance", ALICE])["total_issuance"]),
		issuance0,
		"no NMR created or destroyed"
	);
	let text = story.run(None, &["portfolio", "--who", EVE]);
	assert!(text.out.contains("no positions"), "{}", text.out);

	fixture.stop();
	drop(story);
	let _ = std::fs::remove_dir_all(Path::new(&dir));
}
