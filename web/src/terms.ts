// A model's terms as the owner console edits them, checked with the chain's own rules
// (`numerstake_primitives::terms::Terms::validate` and the registry's `set_terms`) before they
// are sent, so a refusal is explained before anything is signed. Exact integer maths only.

import { parseNmr, parsePercent } from './amount';
import type { FeeCaps, FeeStep, Terms } from './chain';

const PERMILL = 1_000_000n;
const PERBILL = 1_000_000_000n;
const MAX_LADDER_STEPS = 8;
const MAX_COMMITMENT_OPTIONS = 4;
const MAX_DOCUMENT_URI_LEN = 256;

/** `Perbill::mul_floor`: parts of a billion of `x`, rounded down. */
export function perbillFloor(parts: bigint, x: bigint): bigint {
  return (x * parts) / PERBILL;
}

/** The step of a ladder that applies to `principal` (the last step covers everything above). */
export function stepFor(ladder: FeeStep[], principal: bigint): FeeStep | null {
  return ladder.find((s) => principal <= s.upTo) ?? ladder[ladder.length - 1] ?? null;
}

function perfFee(t: Terms, principal: bigint): bigint {
  return stepFor(t.performanceFee, principal)?.fee ?? 0n;
}

const ascending = (l: FeeStep[]) => l.every((s, i) => i === 0 || l[i - 1].upTo < s.upTo);

/**
 * The registry error `set_terms` would fail with for these terms under `caps` (with
 * `previous` the owner's latest terms, if any), or null. The names are the pallet's.
 */
export function validateTerms(t: Terms, caps: FeeCaps, previous: Terms | null): string | null {
  if (t.fixedFee.length > MAX_LADDER_STEPS || t.performanceFee.length > MAX_LADDER_STEPS) return 'TooManySteps';
  if (t.commitments.length > MAX_COMMITMENT_OPTIONS) return 'TooManyCommitmentOptions';
  if (t.capacity === 0n) return 'ZeroCapacity';
  if (t.minDelegation === 0n) return 'ZeroMinimum';
  if (t.minDelegation > t.maxDelegation) return 'MinAboveMax';
  if (t.maxDelegation > t.capacity) return 'MaxAboveCapacity';
  if (!ascending(t.fixedFee)) return 'FixedLadderNotAscending';
  if (!ascending(t.performanceFee)) return 'PerformanceLadderNotAscending';
  let floor = t.minDelegation;
  for (const s of t.fixedFee) {
    // The smallest principal this step can apply to.
    if (s.fee > perbillFloor(caps.maxFixedFeePerRound, floor)) return 'FixedFeeAboveCap';
    floor = floor > s.upTo + 1n ? floor : s.upTo + 1n;
  }
  if (t.performanceFee.some((s) => s.fee > caps.maxPerformanceFee)) return 'PerformanceFeeAboveCap';
  if (previous) {
    const points = [1n, ...[...t.performanceFee, ...previous.performanceFee].map((s) => s.upTo + 1n)];
    const sat = (a: bigint) => (a > PERMILL ? PERMILL : a);
    if (points.some((p) => perfFee(t, p) > sat(perfFee(previous, p) + caps.maxPerformanceFeeIncrease))) {
      return 'PerformanceFeeIncreaseTooLarge';
    }
  }
  if (t.commitments.length === 0) return 'NoCommitmentOptions';
  if (!t.commitments.every((c, i) => i === 0 || t.commitments[i - 1].termRounds < c.termRounds)) {
    return 'CommitmentTermsNotAscending';
  }
  if (t.commitments.some((c) => c.termRounds > caps.maxCommitmentTerm)) return 'CommitmentTermTooLong';
  if (t.document) {
    const uri = t.document.uri;
    if (uri.length === 0 || uri.length > MAX_DOCUMENT_URI_LEN || !/^[\x21-\x7e]+$/.test(uri)) return 'InvalidDocumentUri';
  }
  return null;
}

/** The owner console's form: text exactly as typed. */
export interface TermsForm {
  capacity: string;
  minDelegation: string;
  maxDelegation: string;
  fixedFee: { upTo: string; fee: string }[]; // NMR per served round
  performanceFee: { upTo: string; fee: string }[]; // percent
  commitments: { termRounds: string; discount: string }[]; // rounds, percent
  documentUri: string;
  documentHash: string;
}

/** A field the form could not read, with the sentence to show beside it. */
export class FormError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function field<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new FormError(name, e instanceof Error ? e.message : String(e));
  }
}

function rounds(text: string): bigint {
  const t = text.trim();
  if (!/^[0-9]+$/.test(t)) throw new Error(`"${t}" is not a whole number of rounds`);
  const n = BigInt(t);
  if (n > 0xffff_ffffn) throw new Error(`"${t}" rounds is more than the chain can hold`);
  return n;
}

/** The form as the chain's `Terms`, or a `FormError` naming the field that is not readable. */
export function termsOfForm(f: TermsForm): Terms {
  const hash = f.documentHash.trim();
  const uri = f.documentUri.trim();
  if ((hash === '') !== (uri === '')) {
    throw new FormError(uri === '' ? 'documentUri' : 'documentHash', 'a terms document needs both its address and its hash');
  }
  if (hash !== '' && !/^0x[0-9a-fA-F]{64}$/.test(hash)) {
    throw new FormError('documentHash', 'the document hash is 32 bytes in hex (0x followed by 64 hex digits)');
  }
  return {
    capacity: field('capacity', () => parseNmr(f.capacity)),
    minDelegation: field('minDelegation', () => parseNmr(f.minDelegation)),
    maxDelegation: field('maxDelegation', () => parseNmr(f.maxDelegation)),
    fixedFee: f.fixedFee.map((s, i) => ({
      upTo: field(`fixedFee.${i}.upTo`, () => parseNmr(s.upTo)),
      fee: field(`fixedFee.${i}.fee`, () => parseNmr(s.fee)),
    })),
    performanceFee: f.performanceFee.map((s, i) => ({
      upTo: field(`performanceFee.${i}.upTo`, () => parseNmr(s.upTo)),
      fee: field(`performanceFee.${i}.fee`, () => parsePercent(s.fee, PERMILL)),
    })),
    commitments: f.commitments.map((c, i) => ({
      termRounds: field(`commitments.${i}.termRounds`, () => rounds(c.termRounds)),
      discount: field(`commitments.${i}.discount`, () => (c.discount.trim() === '' ? 0n : parsePercent(c.discount, PERMILL))),
    })),
    document: hash === '' ? null : { hash: hash.toLowerCase(), uri },
  };
}

/** What each refusal means, in a sentence an owner can act on. */
export const TERMS_ERRORS: Record<string, string> = {
  TooManySteps: `a fee ladder has at most ${MAX_LADDER_STEPS} steps`,
  TooManyCommitmentOptions: `at most ${MAX_COMMITMENT_OPTIONS} commitment options`,
  ZeroCapacity: 'the capacity must be more than 0',
  ZeroMinimum: 'the smallest delegation must be more than 0',
  MinAboveMax: 'the smallest delegation is above the largest',
  MaxAboveCapacity: 'the largest delegation is above the capacity',
  FixedLadderNotAscending: 'the fixed-fee steps must go up strictly ("up to" values ascending)',
  PerformanceLadderNotAscending: 'the performance-fee steps must go up strictly ("up to" values ascending)',
  FixedFeeAboveCap: "a fixed fee is above governance's cap for the smallest principal its step applies to",
  PerformanceFeeAboveCap: "a performance fee is above governance's cap",
  PerformanceFeeIncreaseTooLarge: 'the performance fee rises more than governance allows in one version',
  NoCommitmentOptions: 'offer at least one way to delegate (0 rounds: rolling)',
  CommitmentTermsNotAscending: 'commitment terms must go up strictly',
  CommitmentTermTooLong: "a commitment is longer than governance's longest",
  InvalidDocumentUri: 'the document address must be printable ASCII without spaces, at most 256 characters',
};
