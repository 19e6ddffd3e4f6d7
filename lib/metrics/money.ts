/**
 * Money as exact decimal strings with two places ("49060.38", "0.00"). Arithmetic goes through
 * BigInt cents, never through floating point.
 */
export type Money = string;

const MONEY_PATTERN = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;
const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

export class InvalidMoneyError extends Error {
  constructor(input: string) {
    super(`"${input}" is not an amount of money: write a decimal with at most 2 places`);
    this.name = 'InvalidMoneyError';
  }
}

export function toCents(value: Money): bigint {
  const match = MONEY_PATTERN.exec(value.trim());
  if (!match) throw new InvalidMoneyError(value);
  const cents = BigInt(match[2]) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -cents : cents;
}

export function fromCents(cents: bigint): Money {
  const sign = cents < 0n ? '-' : '';
  const magnitude = cents < 0n ? -cents : cents;
  return `${sign}${magnitude / 100n}.${String(magnitude % 100n).padStart(2, '0')}`;
}

/** The same amount written with exactly two places ("5" → "5.00", "0.1" → "0.10"). */
export const formatMoney = (value: Money): Money => fromCents(toCents(value));

export const ZERO_MONEY: Money = '0.00';

export function sumMoney(values: Iterable<Money>): Money {
  let total = 0n;
  for (const value of values) total += toCents(value);
  return fromCents(total);
}

export const addMoney = (...values: Money[]): Money => sumMoney(values);

export const subtractMoney = (a: Money, b: Money): Money => fromCents(toCents(a) - toCents(b));

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  const difference = toCents(a) - toCents(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export const isZeroMoney = (value: Money): boolean => toCents(value) === 0n;

export function multiplyMoney(value: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) throw new RangeError(`money can only be multiplied by a whole number, not ${factor}`);
  return fromCents(toCents(value) * BigInt(factor));
}

/**
 * A decimal with any number of places (such as a numeric(14,4) target), times a whole-number
 * multiplier, rounded half away from zero to cents. Scaling happens before rounding, so
 * 333.3333 a month is 1000.00 a quarter, not 999.99.
 */
export function decimalToMoney(decimal: string, multiplier = 1): Money {
  const match = DECIMAL_PATTERN.exec(decimal.trim());
  if (!match) throw new InvalidMoneyError(decimal);
  if (!Number.isSafeInteger(multiplier)) throw new RangeError(`multiplier must be a whole number, not ${multiplier}`);
  const fraction = match[3] ?? '';
  const places = Math.max(fraction.length, 2);
  const units = BigInt(match[2] + fraction.padEnd(places, '0')) * BigInt(Math.abs(multiplier));
  const divisor = 10n ** BigInt(places - 2);
  let cents = units / divisor;
  if ((units % divisor) * 2n >= divisor) cents += 1n;
  const negative = Boolean(match[1]) !== multiplier < 0;
  return fromCents(negative ? -cents : cents);
}

/** part / whole as a ratio; null when whole is zero (a share of nothing is undefined). */
export function moneyRatio(part: Money, whole: Money): number | null {
  const wholeCents = toCents(whole);
  if (wholeCents === 0n) return null;
  return Number(toCents(part)) / Number(wholeCents);
}
