// Zombienet js-script: the oracle quorum's check on the three-validator network, against the
// node it runs on. Arguments: the honest fixture's URL, the lying fixture's URL, and the
// number of finalised results each demo model must have. It waits (up to DEADLINE_MS) until
// every demo model has that many results in finalised state and the liar's dissent is on
// record, then checks, in that finalised state:
// - every result is the honest fixtures' truth to the planck (submitted or not, stake at risk,
//   payout), in round order from the chain's first round, none skipped;
// - the results differ from what the liar served (so the liar really lied);
// - Alice's and Bob's dissent counts are 0 and Charlie's is above 0.
// Returns 1 when all hold; throws, saying what failed, otherwise.

const DEMO_MODELS = [
  ["0x00000000000040008000000000000001", "numerstake_demo_alpha"],
  ["0x00000000000040008000000000000002", "numerstake_demo_beta"],
  ["0x00000000000040008000000000000003", "numerstake_demo_gamma"],
];
const DEADLINE_MS = 460_000;
const OPERATOR_NAMES = {
  "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY": "alice",
  "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty": "bob",
  "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y": "charlie",
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function truth(url, name) {
  const res = await fetch(`${url}/admin/results/${name}`);
  if (!res.ok) throw new Error(`${url}: ${name}: HTTP ${res.status}`);
  const body = await res.json();
  return new Map(body.rounds.map((r) => [r.round, r]));
}

// Finalised state: results per demo model (sorted by round), dissent per operator name.
async function finalised(api) {
  const at = await api.at(await api.rpc.chain.getFinalizedHead());
  const operators = (await at.query.roundOracle.operators()).map((a) => a.toString());
  const dissents = {};
  for (const op of operators) {
    // Since storage version 1 a dissent is a record `{ count, last }`; before it, a bare count.
    const record = await at.query.roundOracle.dissents(op);
    dissents[OPERATOR_NAMES[op] ?? op] = (record.count ?? record).toNumber();
  }
  const first = (await at.query.roundOracle.firstRound()).unwrapOr(null);
  const results = {};
  for (const [id, name] of DEMO_MODELS) {
    const entries = await at.query.roundOracle.results.entries(id);
    results[name] = entries
      .map(([key, value]) => {
        const round = key.args[1].toNumber();
        const r = value.unwrap().result;
        return r.isResolved
          ? {
              round,
              submitted: true,
              at_risk: r.asResolved.atRisk.toString(),
              payout: r.asResolved.payout.toString(),
            }
          : { round, submitted: false };
      })
      .sort((a, b) => a.round - b.round);
  }
  return { operators, dissents, first: first === null ? null : first.toNumber(), results };
}

const same = (a, b) =>
  a.submitted === b.submitted &&
  (!a.submitted || (a.at_risk === b.at_risk && a.payout === b.payout));

async function run(nodeName, networkInfo, args) {
  const [honestUrl, liarUrl, minText] = args;
  const min = Number(minText);
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(wsUri, userDefinedTypes);
  const deadline = Date.now() + DEADLINE_MS;
  let state;
  for (;;) {
    state = await finalised(api);
    const enough = Object.values(state.results).every((r) => r.length >= min);
    if (enough && state.dissents.charlie > 0) break;
    if (Date.now() > deadline) {
      throw new Error(
        `not there in time: results per model ${JSON.stringify(
          Object.fromEntries(Object.entries(state.results).map(([k, v]) => [k, v.length])),
        )}, dissents ${JSON.stringify(state.dissents)}`,
      );
    }
    await sleep(3_000);
  }
  if (state.operators.length !== 3) throw new Error(`operators: ${state.operators}`);
  if (state.dissents.alice !== 0 || state.dissents.bob !== 0 || !(state.dissents.charlie > 0)) {
    throw new Error(`dissents: ${JSON.stringify(state.dissents)}`);
  }
  let checked = 0;
  let liesRefused = 0;
  for (const [, name] of DEMO_MODELS) {
    const results = state.results[name];
    const honest = await truth(honestUrl, name);
    const lies = await truth(liarUrl, name);
    if (results[0].round !== state.first) {
      throw new Error(`${name}: first result is round ${results[0].round}, the chain's first round ${state.first}`);
    }
    results.forEach((r, i) => {
      if (i > 0 && r.round !== results[i - 1].round + 1) {
        throw new Error(`${name}: round ${r.round} follows ${results[i - 1].round}`);
      }
      const t = honest.get(r.round);
      if (!t) throw new Error(`${name}: round ${r.round} finalised but not resolved by the honest fixture`);
      if (!same(r, t)) {
        throw new Error(`${name} round ${r.round}: chain ${JSON.stringify(r)}, truth ${JSON.stringify(t)}`);
      }
      const l = lies.get(r.round);
      if (!l || !same(r, l)) liesRefused += 1;
      checked += 1;
    });
  }
  if (liesRefused === 0) throw new Error("the liar's answers equalled the truth: nothing was tested");
  console.log(
    `\n\toracle: ${checked} finalised results equal the honest fixtures' to the planck ` +
      `(${liesRefused} of them where the liar served another answer); dissents ${JSON.stringify(state.dissents)}`,
  );
  await api.disconnect();
  return 1;
}

module.exports = { run };
