import type { Money } from './money';
import type { ScorecardPeriod } from './types';

/**
 * "Where the ball drops": the SPEC journey JSON. Labels (`stage`, `touchpoint`, `issue`) are the
 * compared form (lower case, single spaces, trimmed) or null for none; shares are unrounded or
 * null when nothing was counted; money is a decimal string with two places.
 */
export interface JourneyTopIssue {
  issue: string;
  cost: Money;
}

export interface JourneyStage {
  stage: string | null;
  count: number;
  cost: Money;
  repeatCost: Money;
  repeatShare: number | null;
  topIssues: JourneyTopIssue[];
}

export interface JourneyTouchpoint {
  touchpoint: string | null;
  responses: number;
  detractors: number;
  detractorShare: number | null;
  nps: number | null;
}

export interface ValueAtRisk {
  customers: number;
  monthlyValue: Money;
}

export interface ChurnAfterResponse {
  detractor: number | null;
  passive: number | null;
  promoter: number | null;
}

export interface Journey {
  period: ScorecardPeriod & { complete: boolean };
  stages: JourneyStage[];
  touchpoints: JourneyTouchpoint[];
  valueAtRisk: ValueAtRisk;
  churnAfterResponse: ChurnAfterResponse;
}

/** How many stages' issues a stage lists, and how far back "the last 12 months" reaches from a period's end. */
export const TOP_ISSUES_PER_STAGE = 3;
export const LOOKBACK_DAYS = 364;
export const CHURN_WINDOW_DAYS = 90;

/**
 * Detractors' churn rate as a multiple of promoters': null unless both are defined and promoters
 * churned at all (a multiple of nothing says nothing).
 */
export function detractorChurnMultiple(churn: ChurnAfterResponse): number | null {
  if (churn.detractor === null || churn.promoter === null || churn.promoter === 0) return null;
  return churn.detractor / churn.promoter;
}
