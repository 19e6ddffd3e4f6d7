import { toCents, type Money } from './money';

/**
 * How many months of today's repeat spend a one-time fix costs: the fix's cost over the average
 * month of repeat spend in the last 12 months. Null when nothing was spent again in that year.
 * The drill-down's table and the demo's commentary both say this number, so they agree.
 */
export function paybackMonths(estimatedFixCost: Money, repeatLastYear: Money): number | null {
  const yearly = Number(toCents(repeatLastYear));
  if (yearly <= 0) return null;
  return Number(toCents(estimatedFixCost)) / (yearly / 12);
}
