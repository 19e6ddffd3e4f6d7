import type { PowerCore, SpotFixCategory } from '@/lib/db/schema';
import type { Money } from './money';

/**
 * The scorecard JSON served by the CLI (`scorecard --period P`), GET /api/v1/scorecard and
 * frozen into snapshots. Ratios are unrounded numbers, or null when undefined; money is a decimal
 * string with two places; counts are integers.
 */
export type MetricStatus = 'on_track' | 'at_risk' | 'off_track' | 'no_data' | 'in_progress';

export type { Money };

export interface ScorecardPeriod {
  label: string;
  start: string;
  end: string;
  /** False while the period has not ended: its figures are "so far". Absent in snapshots frozen before it existed. */
  complete?: boolean;
}

export interface MetricOwner {
  name: string;
  email: string;
  title: string;
  powerCore: PowerCore;
}

interface MetricHeadline<Value, Bound> {
  /** Null when the period has no verdict-worthy value: before the data begins, or undefined (S = 0, no responses). */
  value: Value;
  status: MetricStatus;
  /** The target and threshold in force for this period's granularity on its last day. */
  target: Bound;
  atRiskThreshold: Bound;
  /** True when the quarter's or year's target is derived from the month's. */
  targetDerived?: boolean;
  /** The first day the metric has data for (set by an admin or the month of the earliest record); null with no records. */
  dataSince?: string | null;
  /** Why there is no value, in words ("spot fixes are recorded from March 2024"); null when there is one. */
  noDataReason?: string | null;
  /** Null only before the metric has been given an owner (a fresh database). */
  owner: MetricOwner | null;
}

export interface ChurnReason {
  /** "Not recorded" when the customer has no churn reason. */
  reason: string;
  count: number;
  valueLost: Money;
}

export interface RetentionMetric extends MetricHeadline<number | null, number> {
  /** Half-width of the adjusted-Wald 95% interval for retained of S; null when S = 0. */
  marginOfError?: number | null;
  /** Customers active on the first day that were acquired before it (S). */
  start: number;
  retained: number;
  gained: number;
  valueGained: Money;
  lost: number;
  valueLost: Money;
  topReasons: ChurnReason[];
}

export interface RecommendationMetric extends MetricHeadline<number | null, number> {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** −100…100, rounded to 2 places; null when there are no responses. */
  nps: number | null;
  /** Half-width of the adjusted-Wald 95% interval for the promoter share; null when there are no responses. */
  marginOfError: number | null;
}

export type SpotFixCostByCategory = Record<SpotFixCategory, Money>;

/** Target and threshold are the monthly figures scaled to the period (× 3 for a quarter, × 12 for a year). */
export interface SpotFixCostMetric extends MetricHeadline<Money | null, Money> {
  /** While the period is under way: cost so far × days in period / days elapsed, a projection. */
  projection?: Money | null;
  count: number;
  byCategory: SpotFixCostByCategory;
  repeatCost: Money;
  /** repeatCost / cost; null when the cost is zero. */
  repeatShare: number | null;
}

export interface Scorecard {
  period: ScorecardPeriod;
  retention: RetentionMetric;
  recommendation: RecommendationMetric;
  spotFixCost: SpotFixCostMetric;
}

/** One period of a trend: the scorecard's figures without owners or reasons for leaving. */
export interface MetricSeriesPoint {
  period: ScorecardPeriod;
  retention: Omit<RetentionMetric, 'owner' | 'topReasons'>;
  recommendation: Omit<RecommendationMetric, 'owner'>;
  spotFixCost: Omit<SpotFixCostMetric, 'owner'>;
}
