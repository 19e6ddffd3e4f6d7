import type { PowerCore, SpotFixCategory } from '@/lib/db/schema';
import type { Money } from './money';

/**
 * The scorecard JSON served by the CLI (`scorecard --period P`), GET /api/v1/scorecard and
 * frozen into snapshots. Ratios are unrounded numbers, or null when undefined; money is a decimal
 * string with two places; counts are integers.
 */
export type MetricStatus = 'on_track' | 'at_risk' | 'off_track' | 'no_data';

export type { Money };

export interface ScorecardPeriod {
  label: string;
  start: string;
  end: string;
}

export interface MetricOwner {
  name: string;
  email: string;
  title: string;
  powerCore: PowerCore;
}

interface MetricHeadline<Value, Bound> {
  value: Value;
  status: MetricStatus;
  target: Bound;
  atRiskThreshold: Bound;
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
export interface SpotFixCostMetric extends MetricHeadline<Money, Money> {
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
