/**
 * Customer retention. A customer is active on day d iff acquired_on <= d and (churned_on is
 * empty or churned_on > d). S counts customers active on the period's first day that were
 * acquired before it; retained counts those of S still active on its last day.
 */

/** retained / S; null when S = 0 (shown "—", never 0 or NaN). */
export function retentionRate(retained: number, startCount: number): number | null {
  return startCount > 0 ? retained / startCount : null;
}

/**
 * Running totals that give S and retained for many periods from one pass over the customers
 * (daily counts of acquisitions and churns), instead of one scan per period.
 */
export interface RetentionTotals {
  /** A(<start): customers acquired before the first day. */
  acquiredBeforeStart: number;
  /** C(<=start): customers churned on or before the first day. */
  churnedByStart: number;
  /** C(<=end): customers churned on or before the last day. */
  churnedByEnd: number;
  /** Customers acquired and churned on the first day itself. */
  acquiredAndChurnedOnStart: number;
  /** Customers acquired within the period and churned by its last day. */
  acquiredWithinAndChurnedByEnd: number;
}

/**
 * Customers churned by a day were acquired by it too (churned_on >= acquired_on), so of those
 * churned by d, the ones acquired before start are all of them minus those acquired from start on:
 *   S        = A(<start) − C(<=start) + #{acquired_on = start = churned_on}
 *   retained = A(<start) − C(<=end)   + #{start <= acquired_on <= end, churned_on <= end}
 */
export function retentionCounts(totals: RetentionTotals): { start: number; retained: number } {
  return {
    start: totals.acquiredBeforeStart - totals.churnedByStart + totals.acquiredAndChurnedOnStart,
    retained: totals.acquiredBeforeStart - totals.churnedByEnd + totals.acquiredWithinAndChurnedByEnd,
  };
}
