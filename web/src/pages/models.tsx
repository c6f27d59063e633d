// Models: a sortable list with terms, capacity left, bond cover and consistency record; a model
// page with its full history and returns chart.

import { useState } from 'preact/hooks';
import { fmtNmr, fmtPercent } from '../amount';
import * as chain from '../chain';
import { Nmr, ReturnsChart } from '../components';
import { uuidOf } from '../codec';
import { shortAddress } from '../accounts';
import { useApp, useChainData } from '../state';

export interface ModelRow {
  id: string;
  profile: chain.Profile;
  pool: chain.PoolView | null;
  rounds: chain.RoundView[];
}

const HISTORY = 60n;

export async function loadModel(api: chain.Chain['api'], id: string, latest: bigint | null): Promise<ModelRow | null> {
  const [profile, pool] = await Promise.all([chain.profile(api, id), chain.pool(api, id)]);
  if (!profile) return null;
  const to = latest ?? 0n;
  const rounds = latest === null ? [] : await chain.history(api, id, to > HISTORY ? to - HISTORY : 0n, to);
  return { id, profile, pool, rounds };
}

async function loadAll(api: chain.Chain['api']): Promise<ModelRow[]> {
  const [ids, latest] = await Promise.all([chain.modelIds(api), chain.latestRound(api)]);
  const rows = await Promise.all(ids.map((id) => loadModel(api, id, latest)));
  return rows.filter((r): r is ModelRow => r !== null);
}

/** Room left: capacity less what the pool holds or has queued. */
export function capacityLeft(r: ModelRow): bigint | null {
  const t = r.profile.currentTerms?.terms;
  if (!t) return null;
  const used = r.pool?.projected ?? 0n;
  return t.capacity > used ? t.capacity - used : 0n;
}

/** The bond as a share of what the next round requires, in percent ×100 (exact integer). */
export function bondCover(r: ModelRow): bigint | null {
  if (!r.pool || r.pool.bondRequired === 0n) return null;
  return (r.pool.bond * 10_000n) / r.pool.bondRequired;
}

function coverText(c: bigint | null): string {
  return c === null ? '—' : `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}%`;
}

type SortKey = 'name' | 'status' | 'capacity' | 'cover' | 'submitted' | 'result';
const cmp = (a: bigint | null, b: bigint | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
const resultOf = (r: ModelRow) => r.rounds.reduce((s, x) => s + x.payout, 0n);

export function ModelsPage() {
  const { chain: c } = useApp();
  const { data, error, loading } = useChainData(c ? () => loadAll(c.api) : null, [c]);
  const [sort, setSort] = useState<{ key: SortKey; up: boolean }>({ key: 'result', up: false });
  if (error) return <p class="refusal">Could not read the models: {error}</p>;
  if (loading || !data) return <p>Reading the models…</p>;
  const key: Record<SortKey, (a: ModelRow, b: ModelRow) => number> = {
    name: (a, b) => a.profile.name.localeCompare(b.profile.name),
    status: (a, b) => a.profile.status.localeCompare(b.profile.status),
    capacity: (a, b) => cmp(capacityLeft(a), capacityLeft(b)),
    cover: (a, b) => cmp(bondCover(a), bondCover(b)),
    submitted: (a, b) => cmp(a.profile.record.roundsSubmitted, b.profile.record.roundsSubmitted),
    result: (a, b) => cmp(resultOf(a), resultOf(b)),
  };
  const rows = [...data].sort((a, b) => (sort.up ? 1 : -1) * key[sort.key](a, b));
  const th = (k: SortKey, label: string) => (
    <th aria-sort={sort.key === k ? (sort.up ? 'ascending' : 'descending') : 'none'}>
      <button type="button" class="sort" onClick={() => setSort({ key: k, up: sort.key === k ? !sort.up : k === 'name' })}>
        {label}
        {sort.key === k ? (sort.up ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
  return (
    <section>
      <h1>Models</h1>
      <p class="sub">
        {rows.length} registered models. Returns are Numerai's settled payouts over the last {HISTORY.toString()} rounds the oracle finalised.
      </p>
      <div class="scroll">
        <table class="models">
          <thead>
            <tr>
              {th('name', 'Model')}
              {th('status', 'Status')}
              <th>Fees (fixed per round · performance)</th>
              <th>Commitments</th>
              {th('capacity', 'Capacity left')}
              {th('cover', 'Bond cover')}
              {th('submitted', 'Record')}
              {th('result', 'Result')}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const t = r.profile.currentTerms?.terms;
              const rec = r.profile.record;
              return (
                <tr key={r.id} data-model={uuidOf(r.id)}>
                  <td data-label="Model">
                    <a href={`#/model/${uuidOf(r.id)}`}>{r.profile.name}</a>
                  </td>
                  <td data-label="Status">{r.profile.status}</td>
                  <td data-label="Fees">{t ? <Ladders terms={t} /> : 'no terms yet'}</td>
                  <td data-label="Commitments">{t ? t.commitments.map((c) => commitmentText(c)).join(', ') : '—'}</td>
                  <td class="num" data-label="Capacity left">{capacityLeft(r) === null ? '—' : <Nmr planck={capacityLeft(r)!} />}</td>
                  <td class="num" data-label="Bond cover">{coverText(bondCover(r))}</td>
                  <td data-label="Record">
                    {rec.roundsSubmitted.toString()} submitted · {rec.roundsMissed.toString()} missed · {rec.backingBreaches.toString()} breaches ·{' '}
                    {r.profile.versionsTotal.toString()} versions · {rec.griefs.toString()} griefs
                  </td>
                  <td class="num" data-label="Result">
                    <Nmr planck={resultOf(r)} signed />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function commitmentText(c: chain.Commitment): string {
  const term = c.termRounds === 0n ? 'rolling' : `${c.termRounds} rounds`;
  return c.discount > 0n ? `${term} (${fmtPercent(c.discount)} off)` : term;
}

export function Ladders({ terms }: { terms: chain.Terms }) {
  const fixed = terms.fixedFee.length ? terms.fixedFee.map((s) => `${fmtNmr(s.fee)} up to ${fmtNmr(s.upTo)}`).join('; ') : 'none';
  const perf = terms.performanceFee.length ? terms.performanceFee.map((s) => `${fmtPercent(s.fee)} up to ${fmtNmr(s.upTo)}`).join('; ') : 'none';
  return (
    <span>
      fixed: {fixed} · performance: {perf}
    </span>
  );
}

export function ModelPage({ id }: { id: string }) {
  const { chain: c } = useApp();
  const { data, error } = useChainData(
    c
      ? async () => {
          const latest = await chain.latestRound(c.api);
          return loadModel(c.api, id, latest);
        }
      : null,
    [c, id],
  );
  if (error) return <p class="refusal">Could not read the model: {error}</p>;
  if (data === undefined) return <p>Reading the model…</p>;
  if (data === null) return <p class="refusal">No model {uuidOf(id)} is registered.</p>;
  const { profile: p, pool } = data;
  const t = p.currentTerms;
  const rec = p.record;
  return (
    <section>
      <h1>{p.name}</h1>
      <p class="sub">
        {uuidOf(id)} · {p.status} · owner <span title={p.owner}>{shortAddress(p.owner)}</span>
      </p>
      {t && p.status === 'Active' && (
        <p>
          <a class="button" href={`#/delegate/${uuidOf(id)}`}>
            Delegate to {p.name}
          </a>
        </p>
      )}
      <ReturnsChart rounds={data.rounds} title={`${p.name}: round returns and cumulative payout`} />
      <h2>Terms</h2>
      {t ? (
        <dl class="facts">
          <dt>Version</dt>
          <dd>
            {t.version.toString()} (in force since round {t.effectiveRound.toString()})
          </dd>
          <dt>Capacity</dt>
          <dd>
            <Nmr planck={t.terms.capacity} /> (left: {capacityLeft(data) === null ? '—' : <Nmr planck={capacityLeft(data)!} />})
          </dd>
          <dt>Per delegation</dt>
          <dd>
            <Nmr planck={t.terms.minDelegation} /> to <Nmr planck={t.terms.maxDelegation} />
          </dd>
          <dt>Fees</dt>
          <dd>
            <Ladders terms={t.terms} />
          </dd>
          <dt>Commitments</dt>
          <dd>{t.terms.commitments.map(commitmentText).join(', ')}</dd>
          <dt>Terms document</dt>
          <dd>{t.terms.document ? `${t.terms.document.uri} (hash ${t.terms.document.hash})` : 'none'}</dd>
        </dl>
      ) : (
        <p>No terms published yet: the model takes no delegations.</p>
      )}
      {p.upcomingTerms.length > 0 && (
        <>
          <h3>Announced terms</h3>
          <ul>
            {p.upcomingTerms.map((u) => (
              <li key={u.version.toString()}>
                version {u.version.toString()} from round {u.effectiveRound.toString()}: <Ladders terms={u.terms} />
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Pool and bond</h2>
      {pool ? (
        <dl class="facts">
          <dt>Delegations</dt>
          <dd>{pool.delegations.toString()}</dd>
          <dt>Exposure once queued stake joins</dt>
          <dd>
            <Nmr planck={pool.projected} />
          </dd>
          <dt>Owner must stake on Numerai next round</dt>
          <dd>
            <Nmr planck={pool.requirementNext} />
          </dd>
          <dt>Bond</dt>
          <dd>
            <Nmr planck={pool.bond} /> of <Nmr planck={pool.bondRequired} /> required ({coverText(bondCover(data))})
          </dd>
          <dt>Latest settled round</dt>
          <dd>{pool.lastFinalised === null ? 'none yet' : pool.lastFinalised.toString()}</dd>
        </dl>
      ) : (
        <p>The owner has not bonded: no pool yet.</p>
      )}
      <h2>Consistency record</h2>
      <dl class="facts">
        <dt>Rounds</dt>
        <dd>
          {rec.roundsSubmitted.toString()} submitted, {rec.roundsMissed.toString()} missed
          {rec.lastRound !== null ? ` (latest ${rec.lastRound})` : ''}
        </dd>
        <dt>Backing breaches</dt>
        <dd>
          {rec.backingBreaches.toString()}
          {rec.lastBackingBreach !== null ? ` (latest in round ${rec.lastBackingBreach})` : ''}
        </dd>
        <dt>Griefing</dt>
        <dd>
          {rec.griefs.toString()} times; bond burned <Nmr planck={rec.griefBurnedBond} />, by delegators <Nmr planck={rec.griefBurnedByDelegators} />
        </dd>
        <dt>Version changes</dt>
        <dd>{p.versionsTotal.toString()}</dd>
      </dl>
      {p.versions.length > 0 && (
        <ul>
          {p.versions.map((v) => (
            <li key={v.artefactHash}>
              from round {v.effectiveRound.toString()}: {v.artefactHash.slice(0, 18)}… {v.note}
            </li>
          ))}
        </ul>
      )}
      <h2>Round results</h2>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>Round</th>
              <th>Submitted</th>
              <th>At risk</th>
              <th>Payout</th>
            </tr>
          </thead>
          <tbody>
            {[...data.rounds].reverse().map((r) => (
              <tr key={r.round.toString()}>
                <td>{r.round.toString()}</td>
                <td>{r.submitted ? 'yes' : 'no'}</td>
                <td class="num">
                  <Nmr planck={r.atRisk} />
                </td>
                <td class="num">
                  <Nmr planck={r.payout} signed />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
