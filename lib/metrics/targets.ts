import type { MetricKey } from '@/lib/db/schema';
import { decimalToMoney } from './money';
import { monthsIn, type Granularity, type Period } from './period';

/**
 * The one place that decides which target and at-risk threshold judge a metric in a period.
 * Targets belong to a granularity and take effect from a date; a period is judged against the
 * row in force on its last day, so changing this year's target never re-judges last year.
 * A quarter or year without a row of its own derives from the month's: retention compounds
 * (r³, r¹²), spot-fix cost multiplies (× 3, × 12), recommendation rate stays the same number.
 */
export interface TargetRow {
  granularity: Granularity;
  /** YYYY-MM-DD */
  effectiveFrom: string;
  /** Stored decimal text; null on a quarter/year row that returns it to the derived target. */
  target: string | null;
  atRiskThreshold: string | null;
}

export interface ResolvedTarget {
  /** A ratio (retention, recommendation) or money for the whole period (spot-fix cost), as decimal text. */
  target: string;
  atRiskThreshold: string;
  /** True when derived from the month's target by the rule above. */
  isDerived: boolean;
  /** The date the row it comes from took effect (the month's row when derived). */
  effectiveFrom: string;
}

/** The date a row that has been in force since the beginning carries. */
export const BEGINNING = '1900-01-01';

/** The latest row of a granularity in force on `day` (rows in any order). */
function rowInForce(rows: TargetRow[], granularity: Granularity, day: string): TargetRow | null {
  let best: TargetRow | null = null;
  for (const row of rows) {
    if (row.granularity !== granularity || row.effectiveFrom > day) continue;
    if (!best || row.effectiveFrom > best.effectiveFrom) best = row;
  }
  return best;
}

/** A month's target (or threshold) turned into a longer period's by SPEC's rule. */
export function deriveFromMonth(metric: MetricKey, monthly: string, months: number): string {
  if (months === 1) return monthly;
  if (metric === 'spot_fix_cost') return decimalToMoney(monthly, months);
  if (metric === 'retention') return String(Number(monthly) ** months);
  return monthly;
}

/** Null only when no monthly target has ever been in force by the period's last day. */
export function resolveTarget(metric: MetricKey, rows: TargetRow[], period: Period): ResolvedTarget | null {
  const day = period.end;
  const own = period.granularity === 'month' ? null : rowInForce(rows, period.granularity, day);
  if (own && own.target !== null && own.atRiskThreshold !== null) {
    return {
      target: normalise(metric, own.target),
      atRiskThreshold: normalise(metric, own.atRiskThreshold),
      isDerived: false,
      effectiveFrom: own.effectiveFrom,
    };
  }
  const month = rowInForce(rows, 'month', day);
  if (!month || month.target === null || month.atRiskThreshold === null) return null;
  const months = monthsIn(period);
  return {
    target: normalise(metric, deriveFromMonth(metric, month.target, months)),
    atRiskThreshold: normalise(metric, deriveFromMonth(metric, month.atRiskThreshold, months)),
    isDerived: period.granularity !== 'month',
    effectiveFrom: month.effectiveFrom,
  };
}

/** Money with two places; ratios as the shortest decimal text of their number. */
function normalise(metric: MetricKey, value: string): string {
  return metric === 'spot_fix_cost' ? decimalToMoney(value) : String(Number(value));
}

/** The day a new target takes effect by default: the first day of the current period of its granularity. */
export function defaultEffectiveFrom(granularity: Granularity, today: string): string {
  const month = Number(today.slice(5, 7));
  if (granularity === 'year') return `${today.slice(0, 4)}-01-01`;
  if (granularity === 'quarter') return `${today.slice(0, 4)}-${String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  return `${today.slice(0, 7)}-01`;
}
