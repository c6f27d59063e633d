// NMR amounts as people write them ("12.5") and as the chain holds them (planck, 10^-18 NMR),
// both ways and exactly. Money is a bigint everywhere; no floating point touches it. The rules
// are the CLI's (`cli/src/amount.rs`), so both tools accept and print the same amounts.

/** Planck per NMR. */
export const NMR = 10n ** 18n;
const DECIMALS = 18;
/** The chain's balance type is a u128. */
export const U128_MAX = (1n << 128n) - 1n;

/** An amount the user typed that is not an NMR amount, with a sentence saying why. */
export class AmountError extends Error {}

/**
 * Parses a non-negative NMR amount ("1000", "0.25", "1_000.5") into planck. Underscores may
 * group digits; commas are refused, since "1,5" means 1.5 in much of the world and 15 here.
 */
export function parseNmr(text: string): bigint {
  const t0 = text.trim();
  if (t0.startsWith('-')) throw new AmountError(`"${t0}": the amount must not be negative`);
  const t = (t0.startsWith('+') ? t0.slice(1) : t0).replace(/_/g, '');
  const dot = t.indexOf('.');
  const whole = dot < 0 ? t : t.slice(0, dot);
  const frac = dot < 0 ? '' : t.slice(dot + 1);
  if (whole === '' && frac === '') throw new AmountError('no amount given');
  if (t.includes(',')) {
    throw new AmountError(`"${t0}": write the amount without commas (e.g. 1000.5 or 1_000.5; the decimal point is a dot)`);
  }
  if (!/^[0-9]*$/.test(whole) || !/^[0-9]*$/.test(frac)) {
    throw new AmountError(`"${t0}" is not an amount of NMR (e.g. 12.5)`);
  }
  const significant = frac.replace(/0+$/, '');
  if (significant.length > DECIMALS) {
    throw new AmountError(
      `"${t0}" has more than 18 decimals (1 planck is 0.000000000000000001 NMR)`,
    );
  }
  const planck =
    BigInt(whole === '' ? '0' : whole) * NMR +
    (significant === '' ? 0n : BigInt(significant.padEnd(DECIMALS, '0')));
  if (planck > U128_MAX) throw new AmountError(`"${t0}" NMR is more than the chain can hold`);
  return planck;
}

/** Like `parseNmr`, but an error becomes `null` plus its message, for form validation. */
export function tryParseNmr(text: string): { planck: bigint | null; error: string | null } {
  try {
    return { planck: parseNmr(text), error: null };
  } catch (e) {
    return { planck: null, error: e instanceof AmountError ? e.message : String(e) };
  }
}

function group(n: bigint): string {
  const s = n.toString();
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Planck as NMR text with every significant decimal ("12.5", "0.000000000000000001", "3"). */
export function fmtNmr(planck: bigint): string {
  if (planck < 0n) return `-${fmtNmr(-planck)}`;
  const whole = planck / NMR;
  const frac = planck % NMR;
  const out = group(whole);
  if (frac === 0n) return out;
  return `${out}.${frac.toString().padStart(DECIMALS, '0').replace(/0+$/, '')}`;
}

/** A signed amount with its sign ("+1.5", "-0.25", "0"). */
export function fmtSigned(planck: bigint): string {
  if (planck === 0n) return '0';
  return planck > 0n ? `+${fmtNmr(planck)}` : fmtNmr(planck);
}

/** Planck as plain NMR text for inputs and machines: no grouping, every significant decimal. */
export function plainNmr(planck: bigint): string {
  return fmtNmr(planck).replace(/,/g, '');
}

/**
 * A short display of an amount: at most `decimals` decimals, cut (never rounded up) toward
 * zero, with "≈" when something was cut, so a person never reads more than there is.
 */
export function shortNmr(planck: bigint, decimals = 4): string {
  const neg = planck < 0n;
  const abs = neg ? -planck : planck;
  const unit = 10n ** BigInt(DECIMALS - decimals);
  const cut = (abs / unit) * unit;
  const text = fmtNmr(cut);
  return `${cut !== abs ? '≈' : ''}${neg ? '-' : ''}${text}`;
}

/** Parts per `scale` (1e6 for a Permill, 1e9 for a Perbill) as a percentage ("12.5%"), exact. */
export function fmtPercent(parts: bigint | number, scale: bigint | number = 1_000_000): string {
  const p = BigInt(parts);
  const s = BigInt(scale);
  // percent = p * 100 / s, exactly: scale is a power of ten of at least 100.
  const hundredths = s / 100n;
  const whole = p / hundredths;
  const rest = p % hundredths;
  if (rest === 0n) return `${whole}%`;
  const digits = (hundredths.toString().length - 1);
  return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}%`;
}

/** A percentage typed by a person ("12.5", "12.5%") as parts per `scale`, exactly or not at all. */
export function parsePercent(text: string, scale: bigint | number = 1_000_000): bigint {
  const s = BigInt(scale);
  const t = text.trim().replace(/%$/, '').trim();
  if (!/^[0-9]+(\.[0-9]*)?$|^\.[0-9]+$/.test(t)) {
    throw new AmountError(`"${text.trim()}" is not a percentage (e.g. 12.5%)`);
  }
  const [whole, frac = ''] = t.split('.');
  const hundredths = s / 100n;
  const digits = hundredths.toString().length - 1;
  const significant = frac.replace(/0+$/, '');
  if (significant.length > digits) {
    throw new AmountError(`"${text.trim()}" is finer than the chain can hold (${digits} decimals of a percent)`);
  }
  const parts = BigInt(whole || '0') * hundredths + BigInt(significant.padEnd(digits, '0') || '0');
  if (parts > s) throw new AmountError(`"${text.trim()}" is more than 100%`);
  return parts;
}
