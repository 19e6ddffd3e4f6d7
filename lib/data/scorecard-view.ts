import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { listPeriodCommentary } from '@/lib/data/commentary';
import { getMetricSeries, getScorecard } from '@/lib/data/scorecard';
import { moneyChange, ratioChange, type ChangeView } from '@/lib/data/change-view';
import { cachedView, readDataFingerprint, type DataFingerprint, type OrganisationSummary } from '@/lib/data/view-cache';
import type { Direction, MetricKey } from '@/lib/domain';
import {
  DASH,
  formatCount,
  formatDateRange,
  formatHeadlineMoney,
  formatMargin,
  formatMoney,
  formatPercent,
  formatPeriodLabel,
  formatPeriodProgress,
  formatScore,
  formatShortPeriodLabel,
  formatSignedCount,
  formatSignedMoney,
  formatTargetMoney,
} from '@/lib/format';
import { subtractMoney, toCents } from '@/lib/metrics/money';
import { periodsEndingWith, todayIso, type Granularity, type Period } from '@/lib/metrics/period';
import type { MetricOwner, MetricSeriesPoint, MetricStatus, Scorecard } from '@/lib/metrics/types';

/**
 * The scorecard page's view model: every figure already formatted, every comparison already
 * judged, built once per (period, data fingerprint) and then served from the view cache.
 */

export const TREND_LENGTH: Record<Granularity, number> = { month: 24, quarter: 12, year: 5 };
const PER_YEAR: Record<Granularity, number> = { month: 12, quarter: 4, year: 1 };
const GRANULARITY_NOUN: Record<Granularity, string> = { month: 'month', quarter: 'quarter', year: 'year' };

export interface TrendPointView {
  label: string;
  /** "Oct 2026" */
  name: string;
  value: number | null;
  text: string;
  /** The target this period was judged by (targets change over time). */
  target: number;
}

export interface TrendView {
  unit: 'ratio' | 'money';
  /** Periods before the metric's data begins are left out. */
  points: TrendPointView[];
  /** The target of the period shown. */
  target: number;
  targetText: string;
  direction: Direction;
  /** One sentence for screen readers. */
  summary: string;
}

export interface FactView {
  term: string;
  detail: string;
  testId?: string;
}

export interface CommentaryExcerpt {
  excerpt: string;
  isShortened: boolean;
  authorName: string;
  authorTitle: string;
  updatedOn: string;
  /** Set when a quarter or year has none of its own and this was written for a month (or quarter) within it. */
  fromPeriodName: string | null;
}

export interface MetricCardView {
  key: MetricKey;
  slug: string;
  title: string;
  status: MetricStatus;
  valueText: string;
  valueTestId: string;
  /** "so far: 2 of 31 days" while the period runs; null once it has ended. */
  progressText: string | null;
  /** Why the value is "—"; null when there is a value. */
  undefinedReason: string | null;
  targetText: string;
  thresholdText: string;
  /** "derived from the monthly target (98.0 % a month, compounded)"; null when set for this granularity. */
  targetNote: string | null;
  facts: FactView[];
  changes: ChangeView[];
  trend: TrendView;
  owner: MetricOwner | null;
  commentary: CommentaryExcerpt | null;
}

export interface CustomerMathView {
  gained: string;
  valueGained: string;
  lost: string;
  valueLost: string;
  net: string;
  netValue: string;
  netTone: 'good' | 'bad' | 'flat';
  reasons: Array<{ reason: string; count: string; share: number; shareText: string; valueLost: string }>;
  lostCount: number;
}

export interface ScorecardView {
  organisation: OrganisationSummary;
  period: Period;
  periodName: string;
  dateRange: string;
  /** False while the period runs: its figures are so far. */
  isComplete: boolean;
  /** "so far: 2 of 31 days"; null for a complete period. */
  progressText: string | null;
  scorecard: Scorecard;
  cards: MetricCardView[];
  customerMath: CustomerMathView;
}

export const METRIC_TITLES: Record<MetricKey, string> = {
  retention: 'Customer retention',
  recommendation: 'Recommendation rate',
  spot_fix_cost: 'Cost of spot fixes',
};

const EXCERPT_LENGTH = 200;

function excerpt(body: string): { excerpt: string; isShortened: boolean } {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_LENGTH) return { excerpt: flat, isShortened: false };
  const cut = flat.slice(0, EXCERPT_LENGTH);
  return { excerpt: `${cut.slice(0, cut.lastIndexOf(' ')).replace(/[,;:.]$/, '')}…`, isShortened: true };
}

function ratioTarget(direction: Direction, target: number, threshold: number) {
  const better = direction === 'higher_is_better';
  return {
    targetText: `${formatPercent(target)} or ${better ? 'more' : 'less'}`,
    thresholdText: `off track ${better ? 'below' : 'above'} ${formatPercent(threshold)}`,
  };
}

const DERIVATION: Record<MetricKey, string> = {
  retention: 'the monthly target compounded',
  recommendation: 'the same as the monthly target',
  spot_fix_cost: 'the monthly target times the months',
};

function targetNote(key: MetricKey, derived: boolean | undefined, granularity: Granularity): string | null {
  if (!derived || granularity === 'month') return null;
  return `derived: ${DERIVATION[key]}`;
}

function trendView(
  series: MetricSeriesPoint[],
  field: 'retention' | 'recommendation' | 'spotFixCost',
  pick: (point: MetricSeriesPoint) => number | null,
  text: (point: MetricSeriesPoint) => string,
  unit: 'ratio' | 'money',
  target: number,
  targetText: string,
  direction: Direction,
  title: string,
): TrendView {
  const points = series
    .filter((point) => !point[field].noDataReason)
    .map((point) => ({
      label: point.period.label,
      name: formatShortPeriodLabel(point.period.label),
      value: pick(point),
      text: text(point),
      target: Number(point[field].target),
    }));
  const known = points.filter((p) => p.value !== null);
  const first = known[0];
  const last = known[known.length - 1];
  const summary =
    first && last
      ? `${title} over ${points.length} periods: ${first.text} in ${first.name}, ${last.text} in ${last.name}; target ${targetText}.`
      : `${title}: no data in the last ${series.length} periods.`;
  return { unit, points, target, targetText, direction, summary };
}

/** Builds the view (the expensive part: the scorecard and its trend, aggregated in SQL). */
async function buildScorecardView(
  db: Queryable,
  period: Period,
  organisation: OrganisationSummary,
  today: string,
): Promise<ScorecardView> {
  const currency = organisation.currency;
  const periods = periodsEndingWith(period, TREND_LENGTH[period.granularity]);
  const [scorecard, series, commentary, directions] = await Promise.all([
    getScorecard(db, period, { today }),
    getMetricSeries(db, periods, { today }),
    listPeriodCommentary(db, period),
    queryRows<{ key: MetricKey; direction: Direction }>(db, sql`select key, direction from metrics`),
  ]);
  const direction = Object.fromEntries(directions.map((d) => [d.key, d.direction])) as Record<MetricKey, Direction>;
  const last = series.length - 1;
  const comparisons = [series[last - 1]];
  const yearEarlier = series[last - PER_YEAR[period.granularity]];
  if (yearEarlier && yearEarlier !== comparisons[0]) comparisons.push(yearEarlier);
  const thisPeriodName = formatPeriodLabel(period.label);
  const noun = GRANULARITY_NOUN[period.granularity];
  const soFar = formatPeriodProgress(period, today);

  const commentaryFor = (key: MetricKey): CommentaryExcerpt | null => {
    // A quarter's or year's story is never blank when the months within it have one.
    const entry = commentary[key].own ?? commentary[key].within[0];
    if (!entry) return null;
    return {
      fromPeriodName: entry.period === period.label ? null : formatPeriodLabel(entry.period),
      ...excerpt(entry.body),
      authorName: entry.author.name,
      authorTitle: entry.author.title,
      updatedOn: entry.updatedAt.toISOString().slice(0, 10),
    };
  };

  const { retention, recommendation, spotFixCost } = scorecard;

  const retentionCard: MetricCardView = {
    key: 'retention',
    slug: 'retention',
    title: METRIC_TITLES.retention,
    status: retention.status,
    valueText: formatPercent(retention.value),
    valueTestId: 'retention-value',
    progressText: retention.noDataReason ? null : soFar,
    undefinedReason:
      retention.noDataReason ??
      (retention.value === null ? `no customers were active at the start of ${thisPeriodName}` : null),
    ...ratioTarget(direction.retention, retention.target, retention.atRiskThreshold),
    targetNote: targetNote('retention', retention.targetDerived, period.granularity),
    facts: [
      {
        term: 'Retained',
        detail: `${formatCount(retention.retained)} of ${formatCount(retention.start)} customers`,
        testId: 'retention-retained',
      },
    ],
    changes: comparisons.map((point) =>
      ratioChange(retention, point.retention, direction.retention, formatPeriodLabel(point.period.label)),
    ),
    trend: trendView(
      series,
      'retention',
      (p) => p.retention.value,
      (p) => formatPercent(p.retention.value),
      'ratio',
      retention.target,
      formatPercent(retention.target),
      direction.retention,
      'Customer retention',
    ),
    owner: retention.owner,
    commentary: commentaryFor('retention'),
  };

  const recommendationCard: MetricCardView = {
    key: 'recommendation',
    slug: 'recommendation',
    title: METRIC_TITLES.recommendation,
    status: recommendation.status,
    valueText: formatPercent(recommendation.value),
    valueTestId: 'recommendation-value',
    progressText: recommendation.noDataReason ? null : soFar,
    undefinedReason:
      recommendation.noDataReason ?? (recommendation.value === null ? `no survey responses in ${thisPeriodName}` : null),
    ...ratioTarget(direction.recommendation, recommendation.target, recommendation.atRiskThreshold),
    targetNote: targetNote('recommendation', recommendation.targetDerived, period.granularity),
    facts: [
      {
        term: 'NPS',
        detail: recommendation.nps === null ? DASH : formatScore(recommendation.nps),
        testId: 'recommendation-nps',
      },
      {
        term: 'Responses',
        detail:
          recommendation.marginOfError === null
            ? formatCount(recommendation.responses)
            : `${formatCount(recommendation.responses)} (${formatMargin(recommendation.marginOfError)} at 95%)`,
        testId: 'recommendation-responses',
      },
    ],
    changes: comparisons.map((point) =>
      ratioChange(recommendation, point.recommendation, direction.recommendation, formatPeriodLabel(point.period.label)),
    ),
    trend: trendView(
      series,
      'recommendation',
      (p) => p.recommendation.value,
      (p) => formatPercent(p.recommendation.value),
      'ratio',
      recommendation.target,
      formatPercent(recommendation.target),
      direction.recommendation,
      'Recommendation rate',
    ),
    owner: recommendation.owner,
    commentary: commentaryFor('recommendation'),
  };

  const lowerIsBetter = direction.spot_fix_cost === 'lower_is_better';
  const costFacts: FactView[] = [
    { term: 'Spot fixes', detail: formatCount(spotFixCost.count), testId: 'spot-fix-count' },
    {
      term: 'Repeats',
      detail:
        spotFixCost.repeatShare === null
          ? `${formatMoney(spotFixCost.repeatCost, currency)} (no spot fixes this ${noun})`
          : `${formatMoney(spotFixCost.repeatCost, currency)} (${formatPercent(spotFixCost.repeatShare, 0)} of cost)`,
      testId: 'spot-fix-repeat-cost',
    },
  ];
  if (spotFixCost.projection) {
    costFacts.unshift({
      term: 'Pace',
      detail: `${formatMoney(spotFixCost.projection, currency)} for the whole ${noun} (a projection at this rate)`,
      testId: 'spot-fix-pace',
    });
  }
  const spotFixCard: MetricCardView = {
    key: 'spot_fix_cost',
    slug: 'spot_fix_cost',
    title: METRIC_TITLES.spot_fix_cost,
    status: spotFixCost.status,
    valueText: formatHeadlineMoney(spotFixCost.value, currency),
    valueTestId: 'spot-fix-cost-value',
    progressText: spotFixCost.noDataReason ? null : soFar,
    undefinedReason: spotFixCost.noDataReason ?? null,
    targetText: `${lowerIsBetter ? 'at most' : 'at least'} ${formatTargetMoney(spotFixCost.target, currency)}`,
    thresholdText: `off track ${lowerIsBetter ? 'above' : 'below'} ${formatTargetMoney(spotFixCost.atRiskThreshold, currency)}`,
    targetNote: targetNote('spot_fix_cost', spotFixCost.targetDerived, period.granularity),
    facts: spotFixCost.noDataReason ? [] : costFacts,
    changes: comparisons.map((point) =>
      moneyChange(spotFixCost, point.spotFixCost, direction.spot_fix_cost, formatPeriodLabel(point.period.label), currency),
    ),
    trend: trendView(
      series,
      'spotFixCost',
      (p) => (p.spotFixCost.value === null ? null : Number(p.spotFixCost.value)),
      (p) => formatMoney(p.spotFixCost.value, currency),
      'money',
      Number(spotFixCost.target),
      formatTargetMoney(spotFixCost.target, currency),
      direction.spot_fix_cost,
      'Cost of spot fixes',
    ),
    owner: spotFixCost.owner,
    commentary: commentaryFor('spot_fix_cost'),
  };

  const netCount = retention.gained - retention.lost;
  const netValue = subtractMoney(retention.valueGained, retention.valueLost);
  const netCents = toCents(netValue);
  const customerMath: CustomerMathView = {
    gained: formatCount(retention.gained),
    valueGained: formatMoney(retention.valueGained, currency),
    lost: formatCount(retention.lost),
    valueLost: formatMoney(retention.valueLost, currency),
    net: formatSignedCount(netCount),
    netValue: formatSignedMoney(netValue, currency),
    netTone: netCents > 0n ? 'good' : netCents < 0n ? 'bad' : netCount > 0 ? 'good' : netCount < 0 ? 'bad' : 'flat',
    reasons: retention.topReasons.map((reason) => {
      const share = retention.lost > 0 ? reason.count / retention.lost : 0;
      return {
        reason: reason.reason,
        count: formatCount(reason.count),
        share,
        shareText: formatPercent(share, 0),
        valueLost: formatMoney(reason.valueLost, currency),
      };
    }),
    lostCount: retention.lost,
  };

  return {
    organisation,
    period,
    periodName: thisPeriodName,
    dateRange: formatDateRange(period),
    isComplete: scorecard.period.complete !== false,
    progressText: soFar,
    scorecard,
    cards: [retentionCard, recommendationCard, spotFixCard],
    customerMath,
  };
}

/**
 * The scorecard view for a period, from memory unless the data behind it changed. Keyed by the
 * day too: a period's verdict changes when it ends, whatever the data.
 */
export async function getScorecardView(
  db: Queryable,
  period: Period,
  fingerprint?: DataFingerprint,
  now: Date = new Date(),
): Promise<ScorecardView> {
  const fp = fingerprint ?? (await readDataFingerprint(db, period.label));
  const today = todayIso(now);
  return cachedView(`scorecard:${period.label}:${today}`, fp.key, () => buildScorecardView(db, period, fp.organisation, today));
}
