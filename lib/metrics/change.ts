import type { Direction } from '@/lib/domain';
import { formatMargin } from '@/lib/format';
import { compareMoney, subtractMoney, type Money } from './money';
import { Z_95 } from './recommendation';
import type { MetricStatus } from './types';

/**
 * The one judgement of a change between two periods, used by the live scorecard, the
 * drill-downs, snapshots, their presentation and print: a change is better or worse only when
 * it is real (beyond the margin of error, where the metric has one), both periods have a
 * verdict of their own, and the later period has finished.
 */
export type ChangeVerdict = 'better' | 'worse' | 'noise' | 'same' | 'none';

export interface ChangeJudgement {
  verdict: ChangeVerdict;
  /** Combined 95 % margin of the difference, as a ratio; null when the metric has none. */
  margin: number | null;
  /** For verdict "none": why there is no verdict, in words. */
  reason: string | null;
}

export interface ChangeSide<Value> {
  value: Value | null;
  status: MetricStatus;
  /** Half-width of the value's own 95 % interval (ratios only). */
  margin?: number | null;
}

/**
 * Half-width of the adjusted-Wald (Agresti–Coull) 95 % interval of a proportion
 * (promoters of responses; retained of S): null when there is nothing to count.
 */
export function proportionMarginOfError(successes: number, trials: number, z = Z_95): number | null {
  if (trials <= 0) return null;
  const adjustedTrials = trials + z * z;
  const share = (successes + (z * z) / 2) / adjustedTrials;
  return z * Math.sqrt((share * (1 - share)) / adjustedTrials);
}

function noVerdict<T>(now: ChangeSide<T>, then: ChangeSide<T>, thenName: string): ChangeJudgement | null {
  if (now.value === null || now.status === 'no_data') return { verdict: 'none', margin: null, reason: 'nothing to compare' };
  if (then.value === null || then.status === 'no_data') {
    return { verdict: 'none', margin: null, reason: `nothing to compare with: no data for ${thenName}` };
  }
  return null;
}

function directed(sign: number, direction: Direction): ChangeVerdict {
  if (sign === 0) return 'same';
  return sign > 0 === (direction === 'higher_is_better') ? 'better' : 'worse';
}

/** A period still under way is compared, but not judged: its figures are only "so far". */
function unfinished(now: ChangeSide<unknown>, margin: number | null, verdict: ChangeVerdict): ChangeJudgement {
  if (now.status === 'in_progress' && verdict !== 'same') {
    return { verdict: 'none', margin, reason: 'so far: the period has not ended' };
  }
  return { verdict, margin, reason: null };
}

export function judgeRatioChange(
  now: ChangeSide<number>,
  then: ChangeSide<number>,
  direction: Direction,
  thenName: string,
): ChangeJudgement {
  const missing = noVerdict(now, then, thenName);
  if (missing) return missing;
  const delta = now.value! - then.value!;
  const margin =
    now.margin != null && then.margin != null ? Math.sqrt(now.margin ** 2 + then.margin ** 2) : null;
  if (delta !== 0 && margin !== null && Math.abs(delta) <= margin) return unfinished(now, margin, 'noise');
  return unfinished(now, margin, directed(Math.sign(delta), direction));
}

export function judgeMoneyChange(
  now: ChangeSide<Money>,
  then: ChangeSide<Money>,
  direction: Direction,
  thenName: string,
): ChangeJudgement {
  const missing = noVerdict(now, then, thenName);
  if (missing) return missing;
  return unfinished(now, null, directed(compareMoney(subtractMoney(now.value!, then.value!), '0.00'), direction));
}

/** The verdict in words, the same on every page: colour never carries it alone. */
export function describeChange(judgement: ChangeJudgement): string {
  switch (judgement.verdict) {
    case 'better':
      return 'better';
    case 'worse':
      return 'worse';
    case 'same':
      return 'no change';
    case 'noise':
      return `within noise (${formatMargin(judgement.margin!)})`;
    default:
      return judgement.reason ?? '';
  }
}
