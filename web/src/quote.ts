// What the Delegate page shows of a quote, as lines of text: exact amounts, the rounds the
// money is exposed to and when it comes back, the terms and document consented to. Pure, so
// the display is unit-tested without a chain.

import { fmtNmr, fmtPercent } from './amount';
import type { Quote, Terms } from './chain';

export interface QuoteLine {
  label: string;
  value: string;
  /** For screen readers and tests: the exact planck, where the line is an amount. */
  planck?: bigint;
}

/**
 * The discounted fee rate as the chain computes it (`maths::discounted`):
 * `rate − rate × discount`, the product rounded down, so the rate charged rounds up.
 */
export function discounted(permill: bigint, discount: bigint): bigint {
  return permill - (permill * discount) / 1_000_000n;
}

/** The lines of a quote for delegating `principal` for `termRounds` (0: rolling). */
export function quoteLines(q: Quote, principal: bigint, termRounds: bigint, terms: Terms | null): QuoteLine[] {
  const lines: QuoteLine[] = [
    { label: 'You delegate', value: `${fmtNmr(principal)} NMR`, planck: principal },
    {
      label: 'Fixed fee per served round',
      value:
        q.discount > 0n
          ? `${fmtNmr(q.fixedFeePerRound)} NMR, ${fmtPercent(q.discount)} off for the commitment`
          : `${fmtNmr(q.fixedFeePerRound)} NMR`,
      planck: q.fixedFeePerRound,
    },
    {
      label: 'Performance fee (above the high-water mark)',
      value:
        q.discount > 0n
          ? `${fmtPercent(q.performanceFee)} less ${fmtPercent(q.discount)}: ${fmtPercent(discounted(q.performanceFee, q.discount))} of profit`
          : `${fmtPercent(q.performanceFee)} of profit`,
    },
  ];
  if (q.prepaid > 0n) {
    lines.push({ label: `Fixed fees prepaid for ${termRounds} rounds`, value: `${fmtNmr(q.prepaid)} NMR`, planck: q.prepaid });
  }
  lines.push({ label: 'Total leaving your account', value: `${fmtNmr(q.totalCost)} NMR (plus the transaction fee)`, planck: q.totalCost });
  lines.push({ label: 'First round exposed', value: `round ${q.firstRound}` });
  lines.push({
    label: 'When the money can come back',
    value:
      termRounds === 0n
        ? 'rolling: ask to exit any time; it is paid out once the rounds already open are settled'
        : `committed: exposed through round ${q.firstRound + termRounds - 1n}, paid out once that round is settled`,
  });
  lines.push({ label: 'Room left in the model', value: `${fmtNmr(q.capacityLeft)} NMR`, planck: q.capacityLeft });
  lines.push({ label: 'Terms version you consent to', value: `version ${q.termsVersion}` });
  const doc = terms?.document;
  lines.push({
    label: "Owner's terms document",
    value: q.documentHash
      ? `${doc && doc.hash === q.documentHash ? doc.uri : '(address not in the profile read)'} (hash ${q.documentHash})`
      : 'none published: only the on-chain terms apply',
  });
  return lines;
}

/** The sentence for a quote's refusal (the stake-delegation error the call would fail with). */
export function refusalText(name: string): string {
  const why: Record<string, string> = {
    BelowMinimum: "below the model's smallest delegation",
    AboveMaximum: "above the model's largest delegation",
    BelowProtocolMinimum: "below the chain's smallest delegation",
    CapacityExceeded: "more than the room left in the model's capacity",
    CommitmentNotOffered: 'the model does not offer this commitment',
    InsufficientBond: "the owner's bond does not cover this much more stake",
    ModelConcentration: 'the model would hold more of all delegated NMR than governance allows',
    OperatorConcentration: "the owner's models would hold more of all delegated NMR than governance allows",
    ModelUnderBonded: "the owner's bond is short: no new delegations",
    ModelSuspended: 'governance suspended the model',
    ModelRetiring: 'the owner is winding the model down',
    ModelNotActive: 'the model takes no delegations now',
    NoPool: 'the owner has not bonded yet',
    ModelNotWatched: 'the oracle does not follow this model yet',
    NoRoundsYet: 'the oracle has not opened a round yet',
    TooManyPendingCohorts: 'too many delegations wait to join: try again after the next round',
  };
  return `StakeDelegation::${name}${why[name] ? `: ${why[name]}` : ''}`;
}
