import type { Direction } from '@/lib/db/schema';
import { compareMoney, type Money } from './money';
import type { Period, PeriodProgress } from './period';
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
): Exclude<MetricStatus, 'no_data' | 'in_progress'> {
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
 * Whether a period can be judged at all. Before the metric's data begins it has no data (never
 * a 0 or 100 % that looks like a result); while it runs it is in progress (never a verdict
 * against a full period's target); otherwise the value decides.
 */
export function verdictGate(
  period: Period,
  dataSince: string | null,
  progress: PeriodProgress,
): 'before_data' | 'not_begun' | 'in_progress' | null {
  if (dataSince === null || period.start < dataSince) return 'before_data';
  if (!progress.hasBegun) return 'not_begun';
  if (!progress.complete) return 'in_progress';
  return null;
}
