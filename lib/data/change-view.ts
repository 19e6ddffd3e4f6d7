import type { Direction } from '@/lib/domain';
import { DASH, formatMoneyChange, formatPoints } from '@/lib/format';
import { describeChange, judgeMoneyChange, judgeRatioChange, type ChangeJudgement } from '@/lib/metrics/change';
import { subtractMoney, type Money } from '@/lib/metrics/money';
import type { MetricStatus } from '@/lib/metrics/types';

/** A change between two periods as the live pages show it: the figure, its colour and its verdict in words. */

/** good/bad follow the metric's direction; "noise" is a change within the margin of error. */
export type ChangeTone = 'good' | 'bad' | 'noise' | 'flat' | 'none';

export interface ChangeView {
  /** "September 2026" */
  versus: string;
  /** "+0.4 pts", "+$3,204.10 (+7.0%)" or "—" */
  text: string;
  tone: ChangeTone;
  /** In words, never colour alone: "better", "worse", "within noise (±6.1 pts)", "no change", "nothing to compare with…". */
  verdict: string;
}

const TONE: Record<ChangeJudgement['verdict'], ChangeTone> = { better: 'good', worse: 'bad', noise: 'noise', same: 'flat', none: 'none' };

/** A ratio's change, judged by the one shared judgement (lib/metrics/change). */
export function ratioChange(
  now: { value: number | null; status: MetricStatus; marginOfError?: number | null },
  then: { value: number | null; status: MetricStatus; marginOfError?: number | null },
  direction: Direction,
  versus: string,
): ChangeView {
  const judgement = judgeRatioChange(
    { value: now.value, status: now.status, margin: now.marginOfError ?? null },
    { value: then.value, status: then.status, margin: then.marginOfError ?? null },
    direction,
    versus,
  );
  const comparable = now.value !== null && then.value !== null && then.status !== 'no_data';
  return {
    versus,
    text: comparable ? formatPoints(now.value! - then.value!) : DASH,
    tone: TONE[judgement.verdict],
    verdict: describeChange(judgement),
  };
}

export function moneyChange(
  now: { value: Money | null; status: MetricStatus },
  then: { value: Money | null; status: MetricStatus },
  direction: Direction,
  versus: string,
  currency: string,
): ChangeView {
  const judgement = judgeMoneyChange(now, then, direction, versus);
  if (now.value === null || then.value === null || then.status === 'no_data') {
    return { versus, text: DASH, tone: 'none', verdict: describeChange(judgement) };
  }
  const text = formatMoneyChange(subtractMoney(now.value, then.value), then.value, currency);
  return { versus, text, tone: TONE[judgement.verdict], verdict: describeChange(judgement) };
}
