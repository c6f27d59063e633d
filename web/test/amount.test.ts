import { describe, expect, it } from 'vitest';
import { AmountError, fmtNmr, fmtPercent, fmtSigned, NMR, parseNmr, parsePercent, plainNmr, shortNmr, U128_MAX } from '../src/amount';

describe('NMR amounts', () => {
  it('parse exactly, to the planck', () => {
    expect(parseNmr('12.5')).toBe(12n * NMR + NMR / 2n);
    expect(parseNmr('0.000000000000000001')).toBe(1n);
    expect(parseNmr('1_000.25')).toBe(1000n * NMR + NMR / 4n);
    expect(() => parseNmr('1,000')).toThrow(AmountError);
    expect(() => parseNmr('1,5')).toThrow(AmountError);
    expect(parseNmr(' +3 ')).toBe(3n * NMR);
    expect(parseNmr('.5')).toBe(NMR / 2n);
    expect(parseNmr('7.')).toBe(7n * NMR);
    expect(parseNmr('1.100000000000000000000')).toBe(NMR + NMR / 10n);
    // 0.1 + 0.2 in floating point is not 0.3; here it is.
    expect(parseNmr('0.1') + parseNmr('0.2')).toBe(parseNmr('0.3'));
  });

  it('refuse what is not an amount, with a reason', () => {
    expect(() => parseNmr('')).toThrow('no amount given');
    expect(() => parseNmr('.')).toThrow('no amount given');
    expect(() => parseNmr('-1')).toThrow('must not be negative');
    expect(() => parseNmr('1e18')).toThrow(AmountError);
    expect(() => parseNmr('1.2.3')).toThrow('is not an amount');
    expect(() => parseNmr('0.0000000000000000001')).toThrow('more than 18 decimals');
    expect(() => parseNmr('340282366920938463464')).toThrow('more than the chain can hold');
  });

  it('print every significant decimal, grouped', () => {
    expect(fmtNmr(0n)).toBe('0');
    expect(fmtNmr(1n)).toBe('0.000000000000000001');
    expect(fmtNmr(1234567n * NMR + NMR / 8n)).toBe('1,234,567.125');
    expect(plainNmr(1234567n * NMR + NMR / 8n)).toBe('1234567.125');
    expect(fmtNmr(U128_MAX)).toBe('340,282,366,920,938,463,463.374607431768211455');
    expect(fmtSigned(NMR / 2n)).toBe('+0.5');
    expect(fmtSigned(-NMR / 4n)).toBe('-0.25');
    expect(fmtSigned(0n)).toBe('0');
  });

  it('round-trip any amount; a displayed amount with thousands commas is refused, never misread', () => {
    for (const p of [0n, 1n, 999n, NMR - 1n, NMR, 10n ** 30n + 7n, U128_MAX]) {
      expect(parseNmr(plainNmr(p))).toBe(p);
      if (fmtNmr(p).includes(',')) expect(() => parseNmr(fmtNmr(p))).toThrow(AmountError);
      else expect(parseNmr(fmtNmr(p))).toBe(p);
    }
  });

  it('shorten without ever showing more than there is', () => {
    expect(shortNmr(12n * NMR + NMR / 2n)).toBe('12.5');
    expect(shortNmr(NMR / 3n)).toBe('≈0.3333');
    expect(shortNmr(-(NMR / 3n))).toBe('≈-0.3333');
    expect(shortNmr(2n * NMR - 1n, 2)).toBe('≈1.99');
  });
});

describe('percentages', () => {
  it('print Permill and Perbill exactly', () => {
    expect(fmtPercent(200_000n)).toBe('20%');
    expect(fmtPercent(125_000n)).toBe('12.5%');
    expect(fmtPercent(1n)).toBe('0.0001%');
    expect(fmtPercent(1_000_000n, 1_000_000_000n)).toBe('0.1%');
    expect(fmtPercent(0n)).toBe('0%');
  });

  it('parse exactly or not at all', () => {
    expect(parsePercent('20%')).toBe(200_000n);
    expect(parsePercent(' 12.5 ')).toBe(125_000n);
    expect(parsePercent('0.1', 1_000_000_000n)).toBe(1_000_000n);
    expect(() => parsePercent('0.00001')).toThrow('finer than the chain can hold');
    expect(() => parsePercent('101')).toThrow('more than 100%');
    expect(() => parsePercent('ten')).toThrow('is not a percentage');
  });
});
