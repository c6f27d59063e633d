// Staking: delegate (amount and commitment, the quote, consent, sign) and the portfolio, whose
// buttons are enabled exactly when the chain would accept the call (`StakeDelegationApi::check`).

import { useEffect, useState } from 'preact/hooks';
import { plainNmr, tryParseNmr } from '../amount';
import { signerOf } from '../accounts';
import * as chain from '../chain';
import { uuidOf } from '../codec';
import { Nmr, RefusalNote } from '../components';
import { quoteLines, refusalText } from '../quote';
import { useApp, useChainData } from '../state';
import { commitmentText } from './models';

/** Sends `tx` as the selected account, showing its progress in the transaction panel. */
export function useSender() {
  const { chain: c, selected, setTx } = useApp();
  return async (label: string, tx: (api: chain.Chain['api']) => ReturnType<typeof chain.poolCall>) => {
    if (!c || !selected) return null;
    try {
      const by = await signerOf(selected);
      return await chain.send(c.api, label, tx(c.api), by, setTx);
    } catch (e) {
      setTx({ stage: 'failed', label, message: e instanceof Error ? e.message : String(e) });
      return null;
    }
  };
}

export function DelegatePage({ id }: { id: string }) {
  const { chain: c, selected } = useApp();
  const send = useSender();
  const [amount, setAmount] = useState('');
  const [term, setTerm] = useState<bigint>(0n);
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const profile = useChainData(c ? () => chain.profile(c.api, id) : null, [c, id]);
  const parsed = tryParseNmr(amount);
  const quote = useChainData(
    c && parsed.planck !== null && parsed.planck > 0n ? () => chain.quote(c.api, id, parsed.planck!, term) : null,
    [c, id, amount, term],
  );
  useEffect(() => setConsent(false), [amount, term, quote.data?.termsVersion]);
  const p = profile.data;
  if (profile.error) return <p class="refusal">{profile.error}</p>;
  if (!p) return <p>Reading the model…</p>;
  const terms = p.currentTerms;
  if (!terms) return <p>{p.name} has no terms yet: it takes no delegations.</p>;
  const q = parsed.planck !== null && parsed.planck > 0n ? quote.data : null;
  const doc = terms.terms.document;
  const canSend = !!selected && !!q && q.refusal === null && consent && !busy;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!q || parsed.planck === null) return;
    setBusy(true);
    const r = await send(`Delegate ${plainNmr(parsed.planck)} NMR to ${p.name}`, (api) =>
      chain.poolCall(api, id, api.tx.stakeDelegation.delegate(id, parsed.planck!, term, q.termsVersion, doc ? doc.hash : null)),
    );
    setBusy(false);
    if (r?.stage === 'finalised') window.location.hash = '#/portfolio';
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
              Between <Nmr planck={terms.terms.minDelegation} /> and <Nmr planck={terms.terms.maxDelegation} />, exact to 18 decimals.
            </>
          )}
        </p>
        <fieldset>
          <legend>Commitment</legend>
          {terms.terms.commitments.map((cm) => (
            <label class="radio" key={cm.termRounds.toString()}>
              <input type="radio" name="term" value={cm.termRounds.toString()} checked={term === cm.termRounds} onChange={() => setTerm(cm.termRounds)} />
              {commitmentText(cm)}
            </label>
          ))}
        </fieldset>
        {q && (
          <section class="quote" aria-label="Quote">
            <h2>Quote</h2>
            <dl class="facts">
              {quoteLines(q, parsed.planck!, term, terms.terms).map((l) => (
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
          </section>
        )}
        {q && q.refusal === null && (
          <label class="consent">
            <input type="checkbox" name="consent" checked={consent} onChange={(e) => setConsent((e.target as HTMLInputElement).checked)} />
            I consent to terms version {q.termsVersion.toString()} of {p.name}
            {doc ? ` and its document (hash ${doc.hash.slice(0, 10)}…)` : ''}.
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

interface Checked {
  position: chain.PositionView;
  exit: chain.Refusal | null;
  withdraw: chain.Refusal | null;
  settle: chain.Refusal | null;
  name: string;
}

async function loadPortfolio(api: chain.Chain['api'], who: string): Promise<{ rows: Checked[]; free: bigint }> {
  const [list, bal] = await Promise.all([chain.positions(api, who), chain.balance(api, who)]);
  const rows = await Promise.all(
    list.map(async (position) => {
      const i = position.index;
      const [exit, withdraw, settle, prof] = await Promise.all([
        chain.check(api, who, position.model, { RequestExit: { index: i } }, 'stakeDelegation.requestExit'),
        chain.check(api, who, position.model, { Withdraw: { index: i } }, 'stakeDelegation.withdraw'),
        chain.check(api, who, position.model, { Settle: { staker: who, index: i } }, 'stakeDelegation.settle'),
        chain.profile(api, position.model),
      ]);
      return { position, exit, withdraw, settle, name: prof?.name ?? uuidOf(position.model) };
    }),
  );
  return { rows, free: bal.free };
}

export function PortfolioPage() {
  const { chain: c, selected, tx } = useApp();
  const send = useSender();
  const busy = !!tx && !['finalised', 'refused', 'failed'].includes(tx.stage);
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
            <code>{refusal.error}</code>
            {refusal.reason ? `: ${refusal.reason}` : ''}
          </small>
        )}
      </div>
    );
  };
  return (
    <section>
      <h1>Portfolio</h1>
      <p class="sub">
        {selected.name} · free <Nmr planck={data.free} />
      </p>
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
