// Staking: delegate (amount and commitment, the quote, consent, sign) and the portfolio, whose
// buttons are enabled exactly when the chain would accept the call (`StakeDelegationApi::check`).

import { useEffect, useState } from 'preact/hooks';
import { plainNmr, tryParseNmr } from '../amount';
import { signerOf } from '../accounts';
import * as chain from '../chain';
import { uuidOf } from '../codec';
import { Nmr, RefusalNote } from '../components';
import { quoteLines, refusalText } from '../quote';
import { useApp, useBusy, useChainData } from '../state';
import { commitmentText } from './models';

/** One transaction at a time from this page: set before anything is awaited. */
let inFlight = false;

/**
 * Sends `tx` as the selected account, showing its progress in the transaction panel. A second
 * send while one is on its way (a double click) is ignored.
 */
export function useSender() {
  const { chain: c, selected, setTx } = useApp();
  return async (label: string, tx: (api: chain.Chain['api']) => ReturnType<typeof chain.poolCall>) => {
    if (!c || !selected || inFlight) return null;
    inFlight = true;
    try {
      const by = await signerOf(selected);
      return await chain.send(c.api, label, tx(c.api), by, setTx);
    } catch (e) {
      setTx({ stage: 'failed', label, message: e instanceof Error ? e.message : String(e) });
      return null;
    } finally {
      inFlight = false;
    }
  };
}

/** The terms version `version` of a model, in force or announced. */
function termsVersion(p: chain.Profile, version: bigint): chain.TermsView | null {
  return [p.currentTerms, ...p.upcomingTerms].find((t) => t !== null && t.version === version) ?? null;
}

export function DelegatePage({ id }: { id: string }) {
  const { chain: c, selected } = useApp();
  const send = useSender();
  const busy = useBusy();
  const [amount, setAmount] = useState('');
  const [term, setTerm] = useState<bigint>(0n);
  const [consent, setConsent] = useState(false);
  const profile = useChainData(c ? () => chain.profile(c.api, id) : null, [c, id]);
  const free = useChainData(c && selected ? () => chain.balance(c.api, selected.address).then((b) => b.free) : null, [c, selected?.address]);
  const parsed = tryParseNmr(amount);
  const principal = parsed.planck !== null && parsed.planck > 0n ? parsed.planck : null;
  // (useChainData drops the answer as soon as the amount or the commitment changes: a quote is
  // only ever shown, and signed, beside the inputs it was asked for.)
  const quote = useChainData(c && principal !== null ? () => chain.quote(c.api, id, principal, term) : null, [c, id, principal, term]);
  const q = principal !== null ? quote.data ?? null : null;
  // Consent is to these figures: any change to them asks for it again.
  useEffect(() => setConsent(false), [principal, term, q?.termsVersion, q?.documentHash, q?.prepaid, q?.totalCost, q?.refusal]);
  const p = profile.data;
  if (profile.error) return <p class="refusal">{profile.error}</p>;
  if (!p) return <p>Reading the model…</p>;
  // The terms delegations are checked against: the latest published (perhaps announced, not yet
  // in force), as the chain's `delegate` and `quote` take them.
  const latest = p.upcomingTerms.length ? p.upcomingTerms[p.upcomingTerms.length - 1] : p.currentTerms;
  if (!latest) return <p>{p.name} has no terms yet: it takes no delegations.</p>;
  const consented = q ? termsVersion(p, q.termsVersion) : null;
  const terms = (consented ?? latest).terms;
  // The document consented to is the one whose hash the chain will compare: the quote's.
  const docMismatch = !!q && (consented === null || (consented.terms.document?.hash ?? null) !== q.documentHash);
  const short = q && free.data !== undefined && free.data < q.totalCost ? free.data : null;
  const canSend = !!selected && !!q && q.refusal === null && !docMismatch && short === null && consent && !busy;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!canSend || !q || principal === null) return;
    await send(`Delegate ${plainNmr(principal)} NMR to ${p.name}`, (api) =>
      chain.poolCall(api, id, api.tx.stakeDelegation.delegate(id, principal, term, q.termsVersion, q.documentHash)),
    ).then((r) => {
      if (r?.stage === 'finalised') window.location.hash = '#/portfolio';
    });
  };
  return (
    <section>
      <h1>Delegate to {p.name}</h1>
      <p class="sub">{uuidOf(id)}</p>
      <form onSubmit={submit} class="form">
        <label>
          Amount (NMR)
          <input
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            onInput={(e) => setAmount((e.target as HTMLInputElement).value)}
            aria-invalid={amount !== '' && parsed.error !== null}
            aria-describedby="amount-help"
          />
        </label>
        <p id="amount-help" class={amount !== '' && parsed.error ? 'refusal' : 'sub'}>
          {amount !== '' && parsed.error ? parsed.error : (
            <>
              Between <Nmr planck={terms.minDelegation} /> and <Nmr planck={terms.maxDelegation} />, exact to 18 decimals.
            </>
          )}
        </p>
        <fieldset>
          <legend>Commitment</legend>
          {terms.commitments.map((cm) => (
            <label class="radio" key={cm.termRounds.toString()}>
              <input type="radio" name="term" value={cm.termRounds.toString()} checked={term === cm.termRounds} onChange={() => setTerm(cm.termRounds)} />
              {commitmentText(cm)}
            </label>
          ))}
        </fieldset>
        {principal !== null && quote.error && (
          <p class="refusal" role="alert">
            Could not read the quote: {quote.error}
          </p>
        )}
        {principal !== null && !q && !quote.error && <p class="sub">Reading the quote…</p>}
        {q && (
          <section class="quote" aria-label="Quote">
            <h2>Quote</h2>
            <dl class="facts">
              {quoteLines(q, principal!, term, consented?.terms ?? null).map((l) => (
                <>
                  <dt>{l.label}</dt>
                  <dd data-planck={l.planck?.toString()}>{l.value}</dd>
                </>
              ))}
            </dl>
            {q.refusal !== null && (
              <p class="refusal" role="alert">
                The chain would refuse this delegation now: <code>{refusalText(q.refusal)}</code>
              </p>
            )}
            {docMismatch && (
              <p class="refusal" role="alert">
                The model's terms changed while this page was open: wait for the page to read them again.
              </p>
            )}
            {short !== null && (
              <p class="refusal" role="alert">
                {selected?.name} has <Nmr planck={short} /> free: not enough for this delegation.
              </p>
            )}
          </section>
        )}
        {q && q.refusal === null && !docMismatch && (
          <label class="consent">
            <input type="checkbox" name="consent" checked={consent} onChange={(e) => setConsent((e.target as HTMLInputElement).checked)} />
            I consent to terms version {q.termsVersion.toString()} of {p.name}
            {q.documentHash ? ` and its document (hash ${q.documentHash.slice(0, 10)}…)` : ''}.
          </label>
        )}
        {!selected && <p class="refusal">Choose an account on the Accounts page first.</p>}
        <button type="submit" disabled={!canSend}>
          Sign and delegate
        </button>
      </form>
    </section>
  );
}

function stageText(s: chain.Stage): string {
  switch (s.type) {
    case 'Exiting':
      return `exiting after round ${s.value.lastRound}`;
    default:
      return s.type.toLowerCase();
  }
}

/** Why a button is disabled: the chain's refusal, or a note of the app's own. */
type Why = chain.Refusal | { note: string } | null;

interface Checked {
  position: chain.PositionView;
  exit: Why;
  withdraw: Why;
  settle: Why;
  /** The pool has more finalised results waiting than a batch's `catch_up` applies. */
  catchUp: boolean;
  name: string;
}

const UNCHECKED: Why = { note: 'the app cannot check this call on this node' };

async function loadPortfolio(api: chain.Chain['api'], who: string): Promise<{ rows: Checked[]; free: bigint; noCheck: string | null }> {
  const [list, bal] = await Promise.all([chain.positions(api, who), chain.balance(api, who)]);
  let noCheck: string | null = null;
  // On a node without the check API every button stays disabled, with the reason said once.
  const checked = (action: chain.PoolAction, label: string, model: string) =>
    chain.check(api, who, model, action, label).catch((e: unknown) => {
      if (!(e instanceof chain.NoCheckApi)) throw e;
      noCheck = e.message;
      return UNCHECKED;
    });
  const rows = await Promise.all(
    list.map(async (position) => {
      const i = position.index;
      const m = position.model;
      const [exit, withdraw, settle, prof] = await Promise.all([
        checked({ RequestExit: { index: i } }, 'stakeDelegation.requestExit', m),
        checked({ Withdraw: { index: i } }, 'stakeDelegation.withdraw', m),
        checked({ Settle: { staker: who, index: i } }, 'stakeDelegation.settle', m),
        chain.profile(api, m),
      ]);
      // `settle` is accepted whenever the delegation exists; it is offered only when a fee
      // period has ended that it would settle.
      const settleWhy: Why = settle ?? (position.settlePeriods === 0n ? { note: 'nothing to settle: no fee period has ended since the last settlement' } : null);
      const catchUp = [exit, withdraw, settle].some((w) => w !== null && 'error' in w && w.error === 'StakeDelegation::CatchUpRequired');
      return { position, exit, withdraw, settle: settleWhy, catchUp, name: prof?.name ?? uuidOf(m) };
    }),
  );
  return { rows, free: bal.free, noCheck };
}

export function PortfolioPage() {
  const { chain: c, selected } = useApp();
  const send = useSender();
  const busy = useBusy();
  const { data, error } = useChainData(c && selected ? () => loadPortfolio(c.api, selected.address) : null, [c, selected?.address]);
  if (!selected) return <p>Choose an account on the Accounts page to see its portfolio.</p>;
  if (error) return <p class="refusal">Could not read the portfolio: {error}</p>;
  if (!data) return <p>Reading the portfolio…</p>;
  const total = data.rows.reduce((a, r) => a + r.position.value, 0n);
  const result = data.rows.reduce((a, r) => a + r.position.result, 0n);
  const fees = data.rows.reduce((a, r) => a + r.position.feesPaid, 0n);
  const action = (r: Checked, kind: 'exit' | 'withdraw' | 'settle') => {
    const refusal = r[kind];
    const m = r.position.model;
    const i = r.position.index;
    const label = { exit: 'Exit', withdraw: 'Withdraw', settle: 'Settle' }[kind];
    const id = `${kind}-${uuidOf(m)}-${i}`;
    return (
      <div class="action">
        <button
          type="button"
          id={id}
          disabled={refusal !== null || busy}
          aria-describedby={refusal ? `${id}-why` : undefined}
          onClick={() =>
            send(`${label} ${r.name} #${i}`, (api) =>
              chain.poolCall(
                api,
                m,
                kind === 'exit'
                  ? api.tx.stakeDelegation.requestExit(m, i)
                  : kind === 'withdraw'
                    ? api.tx.stakeDelegation.withdraw(m, i)
                    : api.tx.stakeDelegation.settle(selected.address, m, i, 64),
              ),
            )
          }
        >
          {label}
        </button>
        {refusal && (
          <small id={`${id}-why`} class="why">
            {'note' in refusal ? (
              refusal.note
            ) : (
              <>
                <code>{refusal.error}</code>
                {refusal.reason ? `: ${refusal.reason}` : ''}
              </>
            )}
          </small>
        )}
        {kind === 'exit' && refusal === null && r.position.stage.type === 'Queued' && (
          <small class="why">not yet in the pool: an exit now cancels it and refunds everything, prepaid fees included</small>
        )}
        {kind === 'exit' && refusal === null && r.position.stage.type !== 'Queued' && r.position.lockedUntil !== null && (
          <small class="why">committed: after an exit the money stays exposed through round {r.position.lockedUntil.toString()}</small>
        )}
      </div>
    );
  };
  const catchUp = (r: Checked) => (
    <div class="action">
      <button
        type="button"
        id={`catchup-${uuidOf(r.position.model)}-${r.position.index}`}
        disabled={busy}
        onClick={() => send(`Catch up the pool of ${r.name}`, (api) => api.tx.stakeDelegation.catchUp(r.position.model))}
      >
        Catch up the pool
      </button>
      <small class="why">the pool has finalised results to apply first (each catch-up applies a few)</small>
    </div>
  );
  return (
    <section>
      <h1>Portfolio</h1>
      <p class="sub">
        {selected.name} · free <Nmr planck={data.free} />
      </p>
      {data.noCheck && <p class="refusal">{data.noCheck}.</p>}
      {data.rows.length === 0 ? (
        <p>No positions yet. Find a model on the Models page and delegate.</p>
      ) : (
        <>
          <div class="scroll">
            <table class="positions">
              <thead>
                <tr>
                  <th>Model</th>
                  <th>#</th>
                  <th>Stage</th>
                  <th>Principal</th>
                  <th>Value</th>
                  <th>Result</th>
                  <th>Fees paid</th>
                  <th>Locked until</th>
                  <th>Release round</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={`${r.position.model}-${r.position.index}`} data-position={`${uuidOf(r.position.model)}/${r.position.index}`} data-stage={r.position.stage.type}>
                    <td>
                      <a href={`#/model/${uuidOf(r.position.model)}`}>{r.name}</a>
                    </td>
                    <td>{r.position.index.toString()}</td>
                    <td>{stageText(r.position.stage)}</td>
                    <td class="num">
                      <Nmr planck={r.position.principal} />
                    </td>
                    <td class="num value">
                      <Nmr planck={r.position.value} />
                    </td>
                    <td class="num">
                      <Nmr planck={r.position.result} signed />
                    </td>
                    <td class="num">
                      <Nmr planck={r.position.feesPaid} />
                    </td>
                    <td>{r.position.lockedUntil === null ? '—' : `round ${r.position.lockedUntil}`}</td>
                    <td>{r.position.releaseRound === null ? '—' : `round ${r.position.releaseRound}`}</td>
                    <td class="actions">
                      {r.catchUp && catchUp(r)}
                      {action(r, 'exit')}
                      {action(r, 'withdraw')}
                      {action(r, 'settle')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            Total value <Nmr planck={total} /> · result <Nmr planck={result} signed /> · fees paid <Nmr planck={fees} />
          </p>
        </>
      )}
    </section>
  );
}

export { RefusalNote };
