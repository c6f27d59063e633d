import { describe, expect, it } from 'vitest';
import { NMR } from '../src/amount';
import type { FeeCaps, Quote, Terms } from '../src/chain';
import { discounted, quoteLines, refusalText } from '../src/quote';
import { termsOfForm, validateTerms, type TermsForm } from '../src/terms';

const quote: Quote = {
  termsVersion: 0n,
  documentHash: `0x${'ab'.repeat(32)}`,
  firstRound: 3005n,
  fixedFeePerRound: NMR / 20n,
  performanceFee: 200_000n,
  discount: 100_000n,
  prepaid: (45n * NMR) / 100n,
  totalCost: 400n * NMR + (45n * NMR) / 100n,
  capacityLeft: 9_600n * NMR,
  refusal: null,
};

describe('the quote display', () => {
  it('shows a commitment exactly: fees, prepaid, release round, terms and document', () => {
    const terms = { document: { uri: 'https://example.org/terms.pdf', hash: `0x${'ab'.repeat(32)}` } } as Terms;
    const lines = quoteLines(quote, 400n * NMR, 10n, terms);
    const byLabel = Object.fromEntries(lines.map((l) => [l.label, l.value]));
    expect(byLabel['You delegate']).toBe('400 NMR');
    expect(byLabel['Fixed fee per served round']).toBe('0.05 NMR, 10% off for the commitment');
    expect(byLabel['Performance fee (above the high-water mark)']).toBe('20% less 10%: 18% of profit');
    expect(byLabel['Fixed fees prepaid for 10 rounds']).toBe('0.45 NMR');
    expect(byLabel['Total leaving your account']).toBe('400.45 NMR (plus the transaction fee)');
    expect(byLabel['When the money can come back']).toBe('committed: exposed through round 3014, paid out once that round is settled');
    expect(byLabel["Owner's terms document"]).toContain('https://example.org/terms.pdf');
    expect(byLabel["Owner's terms document"]).toContain('0xabab');
    expect(lines.find((l) => l.label === 'Total leaving your account')?.planck).toBe(400n * NMR + (45n * NMR) / 100n);
  });

  it('shows a rolling delegation without prepaid fees or a discount', () => {
    const q = { ...quote, discount: 0n, prepaid: 0n, totalCost: 600n * NMR, documentHash: null };
    const lines = quoteLines(q, 600n * NMR, 0n, null);
    const byLabel = Object.fromEntries(lines.map((l) => [l.label, l.value]));
    expect(byLabel['Fixed fee per served round']).toBe('0.05 NMR');
    expect(byLabel['Performance fee (above the high-water mark)']).toBe('20% of profit');
    expect(Object.keys(byLabel).some((k) => k.startsWith('Fixed fees prepaid'))).toBe(false);
    expect(byLabel['When the money can come back']).toMatch(/^rolling/);
    expect(byLabel["Owner's terms document"]).toBe('none published: only the on-chain terms apply');
  });

  it('discounts as the chain does: the discount rounds down, so the rate charged rounds up', () => {
    expect(discounted(150_000n, 100_000n)).toBe(135_000n);
    expect(discounted(1n, 500_000n)).toBe(1n);
    // 20.0001 % at 50 % off: the chain charges 10.0001 %, not 10 %.
    expect(discounted(200_001n, 500_000n)).toBe(100_001n);
  });

  it('names the document by the hash the chain checks, not a stale profile read', () => {
    const stale = { document: { uri: 'https://example.org/old.pdf', hash: `0x${'cd'.repeat(32)}` } } as Terms;
    const byLabel = Object.fromEntries(quoteLines(quote, 400n * NMR, 10n, stale).map((l) => [l.label, l.value]));
    expect(byLabel["Owner's terms document"]).not.toContain('old.pdf');
    expect(byLabel["Owner's terms document"]).toContain('0xabab');
  });

  it('explains a refusal under its pallet name', () => {
    expect(refusalText('BelowMinimum')).toBe("StakeDelegation::BelowMinimum: below the model's smallest delegation");
    expect(refusalText('Unheard')).toBe('StakeDelegation::Unheard');
  });
});

const caps: FeeCaps = {
  maxPerformanceFee: 300_000n,
  maxFixedFeePerRound: 1_000_000n, // 0.1 % of principal
  maxPerformanceFeeIncrease: 50_000n,
  minFeeChangeNotice: 5n,
  maxCommitmentTerm: 260n,
};

const form = (): TermsForm => ({
  capacity: '10000',
  minDelegation: '100',
  maxDelegation: '5000',
  fixedFee: [
    { upTo: '500', fee: '0.05' },
    { upTo: '5000', fee: '0.2' },
  ],
  performanceFee: [
    { upTo: '500', fee: '20%' },
    { upTo: '5000', fee: '15%' },
  ],
  commitments: [
    { termRounds: '0', discount: '' },
    { termRounds: '10', discount: '10%' },
  ],
  documentUri: '',
  documentHash: '',
});

describe('terms checked with the chain rules', () => {
  it('accepts the story terms and reads them exactly', () => {
    const t = termsOfForm(form());
    expect(t.fixedFee[0].fee).toBe(NMR / 20n);
    expect(t.performanceFee[1].fee).toBe(150_000n);
    expect(t.commitments[1]).toEqual({ termRounds: 10n, discount: 100_000n });
    expect(validateTerms(t, caps, null)).toBeNull();
  });

  it('refuses what the chain refuses, by the pallet error name', () => {
    const check = (f: (x: TermsForm) => void, previous: Terms | null = null) => {
      const x = form();
      f(x);
      return validateTerms(termsOfForm(x), caps, previous);
    };
    // 0.1 % of the 100 NMR minimum is 0.1 NMR: a fee of 1 NMR is above the cap.
    expect(check((x) => (x.fixedFee[0].fee = '1'))).toBe('FixedFeeAboveCap');
    expect(check((x) => (x.fixedFee[0].fee = '0.1'))).toBeNull();
    expect(check((x) => (x.fixedFee[0].fee = '0.100000000000000001'))).toBe('FixedFeeAboveCap');
    expect(check((x) => (x.capacity = '0'))).toBe('ZeroCapacity');
    expect(check((x) => (x.minDelegation = '0'))).toBe('ZeroMinimum');
    expect(check((x) => (x.minDelegation = '6000'))).toBe('MinAboveMax');
    expect(check((x) => (x.maxDelegation = '20000'))).toBe('MaxAboveCapacity');
    expect(check((x) => (x.fixedFee[1].upTo = '500'))).toBe('FixedLadderNotAscending');
    expect(check((x) => (x.performanceFee[1].upTo = '100'))).toBe('PerformanceLadderNotAscending');
    expect(check((x) => (x.performanceFee[0].fee = '31%'))).toBe('PerformanceFeeAboveCap');
    expect(check((x) => (x.commitments = []))).toBe('NoCommitmentOptions');
    expect(check((x) => (x.commitments[1].termRounds = '0'))).toBe('CommitmentTermsNotAscending');
    expect(check((x) => (x.commitments[1].termRounds = '261'))).toBe('CommitmentTermTooLong');
    expect(check((x) => ((x.documentUri = 'has space'), (x.documentHash = `0x${'00'.repeat(32)}`)))).toBe('InvalidDocumentUri');
    // From 20 % to 26 % in one version is more than the 5 % step governance allows.
    const previous = termsOfForm(form());
    expect(check((x) => (x.performanceFee[0].fee = '26%'), previous)).toBe('PerformanceFeeIncreaseTooLarge');
    expect(check((x) => (x.performanceFee[0].fee = '25%'), previous)).toBeNull();
  });

  it('names the field it cannot read', () => {
    const x = form();
    x.fixedFee[1].fee = 'lots';
    expect(() => termsOfForm(x)).toThrow(expect.objectContaining({ field: 'fixedFee.1.fee' }));
    const y = form();
    y.documentUri = 'https://example.org/t';
    expect(() => termsOfForm(y)).toThrow('needs both its address and its hash');
  });
});
