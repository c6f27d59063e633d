// Small shared pieces: exact amounts, refusals, transaction progress and the returns chart.

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmtNmr, fmtSigned, NMR } from './amount';
import type { Refusal, RoundView, TxProgress } from './chain';
import { useApp } from './state';

/** An exact amount of NMR (every significant decimal), its planck in `data-planck`. */
export function Nmr({ planck, signed }: { planck: bigint; signed?: boolean }) {
  return (
    <span class="nmr" data-planck={planck.toString()}>
      {signed ? fmtSigned(planck) : fmtNmr(planck)} NMR
    </span>
  );
}

/** A refusal in the pallet's own words. */
export function RefusalNote({ refusal, would }: { refusal: Refusal; would?: boolean }) {
  return (
    <p class="refusal" role="alert">
      {would ? 'The chain would refuse this: ' : 'Refused by the chain: '}
      <code>{refusal.error}</code>
      {refusal.reason ? ` — ${refusal.reason}` : ''}
    </p>
  );
}

const STAGES: [TxProgress['stage'], string][] = [
  ['signing', 'Sign'],
  ['sent', 'Sent'],
  ['in-block', 'In a block'],
  ['finalised', 'Finalised'],
];

/** The running (or last) transaction: its stages, finality progress, fee and outcome. */
export function TxPanel() {
  const { tx, setTx } = useApp();
  if (!tx) return null;
  const reached = STAGES.findIndex(([s]) => s === tx.stage);
  const final = tx.stage === 'finalised' || tx.stage === 'refused' || tx.stage === 'failed';
  return (
    <section class={`tx tx-${tx.stage}`} aria-live="polite" data-stage={tx.stage}>
      <h2>{tx.label}</h2>
      <ol class="stages">
        {STAGES.map(([s, name], i) => (
          <li class={i <= reached || tx.stage === 'refused' ? 'done' : ''} key={s}>
            {name}
          </li>
        ))}
      </ol>
      {tx.block !== undefined && (
        <p>
          In block #{tx.block}
          {tx.stage === 'in-block' && tx.finalisedHead !== undefined
            ? ` · finalised head #${tx.finalisedHead} (${Math.max(0, tx.block - tx.finalisedHead)} to go)`
            : ''}
          {tx.fee !== undefined && (
            <>
              {' '}
              · fee <Nmr planck={tx.fee} />
            </>
          )}
        </p>
      )}
      {tx.stage === 'finalised' && <p class="ok">Done: the block holding it is final.</p>}
      {tx.refusal && <RefusalNote refusal={tx.refusal} />}
      {tx.stage === 'refused' && <p>The transaction was included (and its fee paid), but the call did nothing.</p>}
      {tx.message && <p class="refusal" role="alert">{tx.message}</p>}
      {final && (
        <button type="button" onClick={() => setTx(null)}>
          Dismiss
        </button>
      )}
    </section>
  );
}

/** Round return in basis points of the stake at risk (for the chart only; never money). */
function returnPercent(r: RoundView): number {
  if (r.atRisk === 0n) return 0;
  return Number((r.payout * 1_000_000n) / r.atRisk) / 10_000;
}

/** A model's round returns (bars, %) and cumulative result (line, NMR) by round. */
export function ReturnsChart({ rounds, title }: { rounds: RoundView[]; title: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current || rounds.length === 0) return;
    const xs = rounds.map((r) => Number(r.round));
    const ret = rounds.map(returnPercent);
    let cum = 0n;
    const cumulative = rounds.map((r) => {
      cum += r.payout;
      // Display only: planck to NMR with 6 decimals.
      return Number(cum / (NMR / 1_000_000n)) / 1_000_000;
    });
    const width = Math.min(el.current.clientWidth || 640, 900);
    const plot = new uPlot(
      {
        title,
        width,
        height: 260,
        scales: { x: { time: false } },
        axes: [
          { label: 'round' },
          { label: 'return %', scale: '%' },
          { label: 'cumulative NMR', scale: 'nmr', side: 1, grid: { show: false } },
        ],
        series: [
          { label: 'round' },
          { label: 'return %', scale: '%', stroke: '#3367d6', fill: 'rgba(51,103,214,0.25)', paths: uPlot.paths.bars!({ size: [0.6, 40] }), points: { show: false } },
          { label: 'cumulative NMR', scale: 'nmr', stroke: '#0b8043', width: 2 },
        ],
      },
      [xs, ret, cumulative],
      el.current,
    );
    return () => plot.destroy();
  }, [rounds, title]);
  if (rounds.length === 0) return <p>No finalised round yet.</p>;
  const last = rounds[rounds.length - 1];
  const total = rounds.reduce((a, r) => a + r.payout, 0n);
  return (
    <figure class="chart">
      <div ref={el} role="img" aria-label={`${title}: ${rounds.length} rounds, cumulative ${fmtSigned(total)} NMR`} />
      <figcaption>
        {rounds.length} finalised rounds through {last.round.toString()}; cumulative payout on Numerai <Nmr planck={total} signed />.
      </figcaption>
    </figure>
  );
}
