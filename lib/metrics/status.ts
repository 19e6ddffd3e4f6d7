import type { Direction } from '@/lib/db/schema';
import { compareMoney, decimalToMoney, type Money } from './money';
import { monthsIn, type Period } from './period';
import type { MetricStatus } from './types';

/**
 * On track when the value meets the target, at risk when it misses the target but still meets
 * the at-risk threshold, off track beyond the threshold; no data when the value is undefined.
 * Both bounds are inclusive: a value exactly at the target is on track.
 */
function statusFrom(
  comparedToTarget: number,
  comparedToThreshold: number,
  direction: Direction,
): Exclude<MetricStatus, 'no_data'> {
  const better = direction === 'higher_is_better' ? 1 : -1;
  if (comparedToTarget * better >= 0) return 'on_track';
  if (comparedToThreshold * better >= 0) return 'at_risk';
  return 'off_track';
}

const compareNumbers = (a: number, b: number) => Math.sign(a - b);

export function ratioStatus(
  value: number | null,
  target: number,
  atRiskThreshold: number,
  direction: Direction,
): MetricStatus {
  if (value === null || Number.isNaN(value)) return 'no_data';
  return statusFrom(compareNumbers(value, target), compareNumbers(value, atRiskThreshold), direction);
}

/** Money is compared exactly, cent for cent. */
export function moneyStatus(
  value: Money | null,
  target: Money,
  atRiskThreshold: Money,
  direction: Direction,
): MetricStatus {
  if (value === null) return 'no_data';
  return statusFrom(compareMoney(value, target), compareMoney(value, atRiskThreshold), direction);
}

/**
 * Spot-fix cost targets are stored per month (numeric(14,4)); a quarter's target is three
 * months' worth and a year's twelve, rounded to cents after scaling.
 */
export function moneyForPeriod(perMonth: string, period: Period): Money {
  return decimalToMoney(perMonth, monthsIn(period));
}
