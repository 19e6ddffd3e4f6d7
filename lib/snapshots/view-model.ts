import { METRIC_KEYS, SPOT_FIX_CATEGORIES, type MetricKey } from '@/lib/domain';
import {
  DASH,
  formatCount,
  formatHeadlineMoney,
  formatMargin,
  formatMoney,
  formatPercent,
  formatPeriodLabel,
  formatPoints,
  formatScore,
  formatSignedCount,
  formatSignedMoney,
  formatTargetMoney,
  spotFixCategoryLabel,
} from '@/lib/format';
import { describeChange, judgeMoneyChange, judgeRatioChange, proportionMarginOfError, type ChangeVerdict } from '@/lib/metrics/change';
import { compareMoney, subtractMoney } from '@/lib/metrics/money';
import { parsePeriod, previousPeriod, samePeriodYearEarlier } from '@/lib/metrics/period';
import type { MetricOwner, MetricSeriesPoint, MetricStatus } from '@/lib/metrics/types';
import { METRIC_NAMES, type SnapshotAction, type SnapshotCommentary, type SnapshotMetricNotes, type SnapshotPayload } from './payload';

/**
 * What a snapshot page shows for each metric, worked out from the frozen payload alone, so the
 * page, the presentation slides and the print layout all say the same thing.
 */
export type { ChangeVerdict };

export interface MetricChangeView {
  label: string;
  text: string;
  verdict: ChangeVerdict;
  /** The verdict in words, as the live scorecard says it ("within noise (±8.1 pts)"). */
  words: string;
}

export interface TrendPointView {
  label: string;
  value: number | null;
  target: number;
}

export interface MetricView {
  key: MetricKey;
  name: string;
  status: MetricStatus;
  valueText: string;
  /** Why the value is "—", when it is. */
  undefinedReason: string | null;
  targetText: string;
  thresholdText: string;
  changes: MetricChangeView[];
  details: Array<{ label: string; value: string }>;
  owner: MetricOwner | null;
  notes: SnapshotMetricNotes;
  /** Commentary written within the period (v2 payloads; empty for older ones). */
  within: SnapshotCommentary[];
  /** What the one printed page carries: the period's own commentary, or else the newest within it, cut at a word. */
  printNote: PrintNote | null;
  /** Open first (overdue first among them), then done. */
  actions: SnapshotAction[];
  /** Open and overdue actions on the snapshot's day; worked out from the list for payloads that did not store them. */
  actionCounts: { open: number; overdue: number };
  trend: TrendPointView[];
  higherIsBetter: boolean;
  format: 'percent' | 'money';
}

const STATUS_PHRASE: Record<MetricStatus, string> = {
  on_track: 'on track',
  at_risk: 'at risk',
  off_track: 'off track',
  no_data: 'no data',
  in_progress: 'in progress',
};

export function statusPhrase(status: MetricStatus): string {
  return STATUS_PHRASE[status];
}

function pointFor(trend: MetricSeriesPoint[], label: string): MetricSeriesPoint | null {
  return trend.find((p) => p.period.label === label) ?? null;
}

type Side<V> = { value: V | null; status: MetricStatus; margin?: number | null } | null;

function ratioChange(label: string, thenName: string, now: Side<number>, then: Side<number>, higherIsBetter: boolean): MetricChangeView {
  const judgement = judgeRatioChange(now!, then ?? { value: null, status: 'no_data' }, higherIsBetter ? 'higher_is_better' : 'lower_is_better', thenName);
  const words = describeChange(judgement);
  if (now!.value === null || !then || then.value === null || then.status === 'no_data') return { label, text: DASH, verdict: judgement.verdict, words };
  return { label, text: formatPoints(now!.value - then.value), verdict: judgement.verdict, words };
}

function moneyChange(label: string, thenName: string, now: Side<string>, then: Side<string>, currency: string): MetricChangeView {
  const judgement = judgeMoneyChange(now!, then ?? { value: null, status: 'no_data' }, 'lower_is_better', thenName);
  const words = describeChange(judgement);
  if (now!.value === null || !then || then.value === null || then.status === 'no_data') return { label, text: DASH, verdict: judgement.verdict, words };
  return { label, text: formatSignedMoney(subtractMoney(now!.value, then.value), currency), verdict: judgement.verdict, words };
}

/** A trend point's side of a comparison; snapshots frozen before retention had a margin get it from the counts. */
const retentionSide = (p: MetricSeriesPoint | null): Side<number> =>
  p && {
    value: p.retention.value,
    status: p.retention.status,
    margin: p.retention.marginOfError !== undefined ? p.retention.marginOfError : proportionMarginOfError(p.retention.retained, p.retention.start),
  };
const recommendationSide = (p: MetricSeriesPoint | null): Side<number> =>
  p && { value: p.recommendation.value, status: p.recommendation.status, margin: p.recommendation.marginOfError };
const costSide = (p: MetricSeriesPoint | null): Side<string> => p && { value: p.spotFixCost.value, status: p.spotFixCost.status };

function comparisonLabels(periodLabel: string): { previous: string; yearEarlier: string } {
  const period = parsePeriod(periodLabel);
  return { previous: previousPeriod(period).label, yearEarlier: samePeriodYearEarlier(period).label };
}

/** Drops the leading periods that have no value at all (before the data begins). */
function trimLeading(points: TrendPointView[]): TrendPointView[] {
  const first = points.findIndex((p) => p.value !== null);
  if (first === -1) return points.slice(-2);
  return points.slice(Math.min(first, Math.max(points.length - 2, 0)));
}

export interface PrintNote {
  /** Set when the note was written for a period within the snapshot's (a month of a quarter). */
  periodName: string | null;
  text: string;
  isCut: boolean;
  author: string;
  /** Further commentary the printed page leaves out. */
  moreCount: number;
}

/** Characters of commentary one printed column has room for. */
export const PRINT_COMMENTARY_LENGTH = 170;

/** Cuts text to at most `max` characters at the end of a word (never inside one), without trailing punctuation. */
export function cutAtWord(text: string, max: number): { text: string; isCut: boolean } {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return { text: flat, isCut: false };
  const slice = flat.slice(0, max + 1);
  const lastSpace = slice.lastIndexOf(' ');
  const cut = (lastSpace > 0 ? slice.slice(0, lastSpace) : flat.slice(0, max)).replace(/[\s,;:.–—-]+$/, '');
  return { text: cut, isCut: true };
}

function printNote(notes: SnapshotMetricNotes, periodLabel: string): PrintNote | null {
  const within = notes.within ?? [];
  const note = notes.commentary ?? within[0];
  if (!note) return null;
  const { text, isCut } = cutAtWord(note.body, PRINT_COMMENTARY_LENGTH);
  return {
    periodName: note.period && note.period !== periodLabel ? formatPeriodLabel(note.period) : null,
    text,
    isCut,
    author: note.author.name,
    moreCount: within.length - (notes.commentary ? 0 : 1),
  };
}

const isOpenAction = (action: SnapshotAction) => action.isOpen ?? action.status !== 'done';

function orderedActions(actions: SnapshotAction[]): SnapshotAction[] {
  const rank = (a: SnapshotAction) => (isOpenAction(a) ? (a.isOverdue ? 0 : 1) : 2);
  return [...actions].sort((a, b) => rank(a) - rank(b));
}

function notesView(notes: SnapshotMetricNotes | undefined, periodLabel: string) {
  const safe: SnapshotMetricNotes = notes ?? { commentary: null, actions: [] };
  const actions = orderedActions(safe.actions ?? []);
  const open = actions.filter(isOpenAction);
  return {
    notes: safe,
    within: safe.within ?? [],
    printNote: printNote(safe, periodLabel),
    actions,
    actionCounts: safe.actionCounts ?? { open: open.length, overdue: open.filter((a) => a.isOverdue).length },
  };
}

export function metricViews(payload: SnapshotPayload): MetricView[] {
  const { scorecard, trend, notes } = payload;
  const currency = payload.organisation.currency;
  const labels = comparisonLabels(payload.period.label);
  const previous = pointFor(trend, labels.previous);
  const yearEarlier = pointFor(trend, labels.yearEarlier);
  const previousName = formatPeriodLabel(labels.previous);
  const yearEarlierName = formatPeriodLabel(labels.yearEarlier);
  const vsPrevious = `vs ${previousName}`;
  const vsYearEarlier = `vs ${yearEarlierName}`;
  // The period itself, as a trend point: the scorecard's figures with counts for the margins.
  const current = pointFor(trend, payload.period.label) ?? ({ ...scorecard, period: payload.period } as MetricSeriesPoint);

  return METRIC_KEYS.map((key): MetricView => {
    const name = METRIC_NAMES[key];
    if (key === 'spot_fix_cost') {
      const m = scorecard.spotFixCost;
      const byCategory = SPOT_FIX_CATEGORIES.map((c) => [c, m.byCategory[c]] as const)
        .filter(([, cost]) => compareMoney(cost, '0.00') > 0)
        .sort((a, b) => compareMoney(b[1], a[1]))
        .slice(0, 3)
        .map(([c, cost]) => `${spotFixCategoryLabel(c)} ${formatMoney(cost, currency, { compact: true })}`);
      return {
        key,
        name,
        status: m.status,
        valueText: formatHeadlineMoney(m.value, currency),
        undefinedReason: null,
        targetText: `at most ${formatTargetMoney(m.target, currency)}`,
        thresholdText: `off track above ${formatTargetMoney(m.atRiskThreshold, currency)}`,
        changes: [
          moneyChange(vsPrevious, previousName, { value: m.value, status: m.status }, costSide(previous), currency),
          moneyChange(vsYearEarlier, yearEarlierName, { value: m.value, status: m.status }, costSide(yearEarlier), currency),
        ],
        details: [
          { label: 'Spot fixes', value: formatCount(m.count) },
          {
            label: 'Repeats',
            value: `${formatMoney(m.repeatCost, currency)} (${formatPercent(m.repeatShare, 0)} of cost)`,
          },
          { label: 'Largest', value: byCategory.length ? byCategory.join(' · ') : DASH },
        ],
        owner: m.owner,
        ...notesView(notes?.[key], payload.period.label),
        trend: trimLeading(
          trend.map((p) => ({ label: p.period.label, value: Number(p.spotFixCost.value), target: Number(p.spotFixCost.target) })),
        ),
        higherIsBetter: false,
        format: 'money',
      };
    }
    if (key === 'retention') {
      const m = scorecard.retention;
      const net = m.gained - m.lost;
      const reasons = m.topReasons.slice(0, 3).map((r) => `${r.reason} (${formatCount(r.count)})`);
      return {
        key,
        name,
        status: m.status,
        valueText: formatPercent(m.value),
        undefinedReason: m.value === null ? 'No customers were active at the start of this period.' : null,
        targetText: `at least ${formatPercent(m.target)}`,
        thresholdText: `off track below ${formatPercent(m.atRiskThreshold)}`,
        changes: [
          ratioChange(vsPrevious, previousName, retentionSide(current), retentionSide(previous), true),
          ratioChange(vsYearEarlier, yearEarlierName, retentionSide(current), retentionSide(yearEarlier), true),
        ],
        details: [
          { label: 'Retained', value: `${formatCount(m.retained)} of ${formatCount(m.start)}` },
          { label: 'In the door', value: `${formatCount(m.gained)} · ${formatMoney(m.valueGained, currency)}/mo` },
          { label: 'Out the door', value: `${formatCount(m.lost)} · ${formatMoney(m.valueLost, currency)}/mo` },
          { label: 'Net', value: `${formatSignedCount(net)} customers` },
          { label: 'Why they left', value: reasons.length ? reasons.join(', ') : DASH },
        ],
        owner: m.owner,
        ...notesView(notes?.[key], payload.period.label),
        trend: trimLeading(trend.map((p) => ({ label: p.period.label, value: p.retention.value, target: p.retention.target }))),
        higherIsBetter: true,
        format: 'percent',
      };
    }
    const m = scorecard.recommendation;
    return {
      key,
      name,
      status: m.status,
      valueText: formatPercent(m.value),
      undefinedReason: m.value === null ? 'No survey responses in this period.' : null,
      targetText: `at least ${formatPercent(m.target)}`,
      thresholdText: `off track below ${formatPercent(m.atRiskThreshold)}`,
      changes: [
        ratioChange(vsPrevious, previousName, recommendationSide(current), recommendationSide(previous), true),
        ratioChange(vsYearEarlier, yearEarlierName, recommendationSide(current), recommendationSide(yearEarlier), true),
      ],
      details: [
        { label: 'NPS', value: m.nps === null ? DASH : formatScore(m.nps) },
        {
          label: 'Responses',
          value: `${formatCount(m.responses)} (${formatCount(m.promoters)} promoters · ${formatCount(m.passives)} passives · ${formatCount(m.detractors)} detractors)`,
        },
        {
          label: 'Margin of error',
          value: m.marginOfError === null ? DASH : `${formatMargin(m.marginOfError)} (95%)`,
        },
      ],
      owner: m.owner,
      ...notesView(notes?.[key], payload.period.label),
      trend: trimLeading(
        trend.map((p) => ({ label: p.period.label, value: p.recommendation.value, target: p.recommendation.target })),
      ),
      higherIsBetter: true,
      format: 'percent',
    };
  });
}



const GRANULARITY_NOUN = { month: 'month', quarter: 'quarter', year: 'year' } as const;

/** "quarter" for 2026-Q3: the kind of period a snapshot is compared like with like. */
export function granularityNoun(periodLabel: string): string {
  return GRANULARITY_NOUN[parsePeriod(periodLabel).granularity];
}

/** What the comparison says when no snapshot of an earlier period of the same granularity exists. */
export function noEarlierSnapshot(periodLabel: string): string {
  const noun = granularityNoun(periodLabel);
  return `Nothing to compare with yet: no snapshot of a ${noun} before ${formatPeriodLabel(periodLabel)} has been frozen. A ${noun} is compared only with an earlier ${noun}'s snapshot.`;
}
