import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import type { Direction, MetricKey } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { listPeriodCommentary, periodsWithin } from '@/lib/data/commentary';
import { getMetricSeries, getScorecard } from '@/lib/data/scorecard';
import { DASH } from '@/lib/format';
import { describeChange, judgeMoneyChange, judgeRatioChange, type ChangeJudgement } from '@/lib/metrics/change';
import { subtractMoney, toCents, type Money } from '@/lib/metrics/money';
import {
  isCompletePeriod,
  isPeriod,
  latestCompleteMonth,
  latestCompletePeriod,
  parsePeriod,
  periodContaining,
  periodProgress,
  periodsEndingWith,
  shiftPeriod,
  todayIso,
  type Granularity,
  type Period,
} from '@/lib/metrics/period';
import type { MetricOwner, MetricSeriesPoint, MetricStatus, Scorecard } from '@/lib/metrics/types';

/**
 * The scorecard page's view model: every figure already formatted, every comparison already
 * judged, computed once per (period, data fingerprint) and then served from memory, so a
 * signed-in page view costs one small query instead of a dozen aggregates.
 */

// ---------------------------------------------------------------------------------------------
// The cache

const MAX_CACHED_VIEWS = 64;

interface CacheEntry {
  fingerprint: string;
  value: Promise<unknown>;
}

const globalForCache = globalThis as unknown as { cxViewCache?: Map<string, CacheEntry> };
const cacheEntries = (globalForCache.cxViewCache ??= new Map<string, CacheEntry>());

/**
 * The value cached under `key` if it was computed for this fingerprint, else computed once
 * (concurrent callers share the computation). Each server instance keeps its own entries and
 * checks the fingerprint on every read, so a stale view is never served, on serverless too.
 */
export function cachedView<T>(key: string, fingerprint: string, compute: () => Promise<T>): Promise<T> {
  const hit = cacheEntries.get(key);
  if (hit && hit.fingerprint === fingerprint) {
    // Re-inserting keeps the map in least-recently-used order.
    cacheEntries.delete(key);
    cacheEntries.set(key, hit);
    return hit.value as Promise<T>;
  }
  const value = compute();
  const entry: CacheEntry = { fingerprint, value };
  cacheEntries.delete(key);
  cacheEntries.set(key, entry);
  value.catch(() => {
    if (cacheEntries.get(key) === entry) cacheEntries.delete(key);
  });
  while (cacheEntries.size > MAX_CACHED_VIEWS) cacheEntries.delete(cacheEntries.keys().next().value!);
  return value;
}

export function clearViewCache(): void {
  cacheEntries.clear();
}

export interface OrganisationSummary {
  name: string;
  currency: string;
}

export interface DataFingerprint {
  organisation: OrganisationSummary;
  /** Changes whenever anything a scorecard view shows could have changed. */
  key: string;
}

/**
 * One query: the data version (bumped by every record write) plus the metric settings, their
 * owners and the period's commentary, which change without a data write.
 */
/** The period and those within it, whose commentary its cards may show. */
function commentaryPeriods(periodLabel: string): string {
  const period = parsePeriod(periodLabel);
  return `{${[period.label, ...periodsWithin(period).map((p) => p.label)].join(',')}}`;
}

export async function readDataFingerprint(db: Queryable, periodLabel: string): Promise<DataFingerprint> {
  const [row] = await queryRows<{
    name: string;
    currency: string;
    data_version: number;
    metrics_fp: string | null;
    commentary_fp: string | null;
  }>(
    db,
    sql`select o.name, o.currency, o.data_version::int as data_version,
          (select string_agg(concat_ws(',', m.key, m.owner_id, m.data_since, m.direction,
                                      e.name, e.email, e.title, e.power_core,
                                      (select string_agg(concat_ws(':', t.id, t.effective_from, t.target, t.at_risk_threshold), '/')
                                         from metric_targets t where t.metric_key = m.key)), ';' order by m.key)
             from metrics m left join executives e on e.id = m.owner_id) as metrics_fp,
          (select string_agg(concat_ws(',', c.metric_key, c.id, c.version, c.updated_at, e.name, e.title), ';'
                             order by c.metric_key)
             from commentary c join executives e on e.id = c.author_id
            where c.period = any(${commentaryPeriods(periodLabel)}::text[])) as commentary_fp
        from organisation o
        where o.id = 1`,
  );
  if (!row) throw new Error('The organisation row is missing: run the migrations (npm run cli -- migrate).');
  return {
    organisation: { name: row.name, currency: row.currency },
    key: `${row.data_version}|${row.currency}|${row.metrics_fp ?? ''}|${row.commentary_fp ?? ''}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Period names. Intl formatters are made once: constructing one costs more than a whole cached
// page view, so making one per call (36 picker options) would dominate the request.

const longMonth = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortMonth = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dayMonthYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

const monthDate = (label: string) => new Date(Date.UTC(Number(label.slice(0, 4)), Number(label.slice(5, 7)) - 1, 1));

/** "October 2026", "Q3 2026", "2025" (as lib/format's formatPeriodLabel, with a shared formatter). */
export function periodName(label: string): string {
  if (/^\d{4}-\d{2}$/.test(label)) return longMonth.format(monthDate(label));
  if (/^\d{4}-Q[1-4]$/.test(label)) return `${label.slice(5)} ${label.slice(0, 4)}`;
  return label;
}

/** "Oct 2026", "Q3 2026", "2025" */
export function shortPeriodName(label: string): string {
  if (/^\d{4}-\d{2}$/.test(label)) return shortMonth.format(monthDate(label));
  return periodName(label);
}

/** "1 Oct – 31 Oct 2026" */
export function formatDateRange(period: Period): string {
  const start = new Date(`${period.start}T00:00:00Z`);
  const end = new Date(`${period.end}T00:00:00Z`);
  const sameYear = period.start.slice(0, 4) === period.end.slice(0, 4);
  return `${(sameYear ? dayMonth : dayMonthYear).format(start)} – ${dayMonthYear.format(end)}`;
}

// ---------------------------------------------------------------------------------------------
// Periods in the URL

export const TREND_LENGTH: Record<Granularity, number> = { month: 24, quarter: 12, year: 5 };
const PER_YEAR: Record<Granularity, number> = { month: 12, quarter: 4, year: 1 };
const GRANULARITY_NOUN: Record<Granularity, string> = { month: 'month', quarter: 'quarter', year: 'year' };

export interface PeriodChoice {
  period: Period;
  /** Set when the URL asked for something that is not a period. */
  notice: string | null;
}

/** The period a page shows: `?period=` when it names one, else the latest complete month. */
export function choosePeriod(requested: string | string[] | undefined, now: Date = new Date()): PeriodChoice {
  const value = Array.isArray(requested) ? requested[0] : requested;
  if (value === undefined || value === '') return { period: latestCompleteMonth(now), notice: null };
  if (isPeriod(value)) {
    const period = parsePeriod(value);
    const year = Number(period.start.slice(0, 4));
    if (year >= 1900 && year <= 9999) return { period, notice: null };
  }
  const fallback = latestCompleteMonth(now);
  return {
    period: fallback,
    notice: `“${value.slice(0, 40)}” is not a period (write 2025-03, 2025-Q1 or 2025), so this shows ${periodName(fallback.label)}.`,
  };
}

/** Switching month ↔ quarter ↔ year keeps the same stretch of time where that period is complete. */
export function periodInGranularity(period: Period, granularity: Granularity, now: Date = new Date()): Period {
  if (period.granularity === granularity) return period;
  const containing = periodContaining(period.start, granularity);
  return isCompletePeriod(containing, now) ? containing : latestCompletePeriod(granularity, now);
}

export interface PeriodPickerView {
  current: Period;
  currentName: string;
  isComplete: boolean;
  previous: { label: string; name: string };
  next: { label: string; name: string } | null;
  granularities: Array<{ granularity: Granularity; name: string; label: string; isCurrent: boolean }>;
  options: Array<{ label: string; name: string }>;
}

const OPTION_COUNT: Record<Granularity, number> = { month: 36, quarter: 16, year: 8 };

export function periodPickerView(period: Period, now: Date = new Date()): PeriodPickerView {
  const thisPeriod = periodContaining(todayIso(now), period.granularity);
  const next = shiftPeriod(period, 1);
  const options = periodsEndingWith(thisPeriod, OPTION_COUNT[period.granularity]).reverse();
  if (!options.some((p) => p.label === period.label)) options.push(period);
  const previous = shiftPeriod(period, -1);
  return {
    current: period,
    currentName: periodName(period.label),
    isComplete: isCompletePeriod(period, now),
    previous: { label: previous.label, name: periodName(previous.label) },
    next: next.start <= thisPeriod.start ? { label: next.label, name: periodName(next.label) } : null,
    granularities: (['month', 'quarter', 'year'] as const).map((granularity) => {
      const target = periodInGranularity(period, granularity, now);
      return {
        granularity,
        name: granularity === 'month' ? 'Month' : granularity === 'quarter' ? 'Quarter' : 'Year',
        label: target.label,
        isCurrent: granularity === period.granularity,
      };
    }),
    options: options.map((p) => ({
      label: p.label,
      name: `${periodName(p.label)}${isCompletePeriod(p, now) ? '' : ' (so far)'}`,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Display helpers shared by the scorecard and the drill-downs

/*
 * The same output as lib/format's formatPercent, formatMoney, formatCount and formatScore, with
 * each Intl formatter made once: pages with hundreds of figures (the drill-downs' tables) would
 * otherwise spend most of their time constructing formatters.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en-US', options);
    numberFormats.set(key, format);
  }
  return format;
}

export function formatPercent(ratio: number | null, fractionDigits = 1): string {
  if (ratio === null || !Number.isFinite(ratio)) return DASH;
  return numberFormat(`percent:${fractionDigits}`, {
    style: 'percent',
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(ratio);
}

/** Exact decimal-string money, formatted without a float round trip. */
export function formatMoney(amount: Money | null, currency: string): string {
  if (amount === null) return DASH;
  return numberFormat(`money:${currency}`, {
    style: 'currency',
    currency,
    maximumFractionDigits: 2,
    minimumFractionDigits: 2,
  }).format(amount as unknown as number);
}

export function formatCount(count: number | null): string {
  if (count === null) return DASH;
  return numberFormat('count', {}).format(count);
}

export function formatScore(score: number | null, fractionDigits = 1): string {
  if (score === null || !Number.isFinite(score)) return DASH;
  return numberFormat(`score:${fractionDigits}`, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
    signDisplay: 'exceptZero',
  }).format(score);
}

const signedNumberFormats = new Map<number, Intl.NumberFormat>();
function signed(value: number, fractionDigits: number): string {
  let format = signedNumberFormats.get(fractionDigits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
      signDisplay: 'exceptZero',
    });
    signedNumberFormats.set(fractionDigits, format);
  }
  return format.format(value).replace('-', '−');
}

/** A change of a ratio in percentage points: "+1.2 pts". */
export function formatPoints(deltaRatio: number): string {
  const points = deltaRatio * 100;
  // A real change that rounds to 0.0 is shown with two places rather than as no change.
  const digits = points !== 0 && Math.abs(points) < 0.05 ? 2 : 1;
  return `${signed(points, digits)} pts`;
}

export function formatSignedCount(delta: number): string {
  return signed(delta, 0);
}

/** "+$1,234.50" / "−$80.00" from exact money. */
export function formatSignedMoney(amount: Money, currency: string): string {
  const cents = toCents(amount);
  const magnitude = formatMoney(cents < 0n ? amount.replace('-', '') : amount, currency);
  return cents > 0n ? `+${magnitude}` : cents < 0n ? `−${magnitude}` : magnitude;
}

// ---------------------------------------------------------------------------------------------
// Comparisons

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
  const delta = subtractMoney(now.value, then.value);
  const deltaCents = toCents(delta);
  const thenCents = toCents(then.value);
  const relative = thenCents === 0n ? '' : ` (${signed((Number(deltaCents) / Number(thenCents)) * 100, 1)}%)`;
  return { versus, text: `${formatSignedMoney(delta, currency)}${relative}`, tone: TONE[judgement.verdict], verdict: describeChange(judgement) };
}

// ---------------------------------------------------------------------------------------------
// The view

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

/** "so far: 2 of 31 days"; null once the period has ended. */
export function progressText(period: Period, today: string): string | null {
  const progress = periodProgress(period, today);
  if (progress.complete) return null;
  return `so far: ${progress.daysElapsed} of ${progress.days} days`;
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
      name: shortPeriodName(point.period.label),
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
  const thisPeriodName = periodName(period.label);
  const noun = GRANULARITY_NOUN[period.granularity];
  const soFar = progressText(period, today);

  const commentaryFor = (key: MetricKey): CommentaryExcerpt | null => {
    // A quarter's or year's story is never blank when the months within it have one.
    const entry = commentary[key].own ?? commentary[key].within[0];
    if (!entry) return null;
    return {
      fromPeriodName: entry.period === period.label ? null : periodName(entry.period),
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
      ratioChange(retention, point.retention, direction.retention, periodName(point.period.label)),
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
            : `${formatCount(recommendation.responses)} (±${(recommendation.marginOfError * 100).toFixed(1)} pts at 95%)`,
        testId: 'recommendation-responses',
      },
    ],
    changes: comparisons.map((point) =>
      ratioChange(recommendation, point.recommendation, direction.recommendation, periodName(point.period.label)),
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
    valueText: formatMoney(spotFixCost.value, currency),
    valueTestId: 'spot-fix-cost-value',
    progressText: spotFixCost.noDataReason ? null : soFar,
    undefinedReason: spotFixCost.noDataReason ?? null,
    targetText: `${lowerIsBetter ? 'at most' : 'at least'} ${formatMoney(spotFixCost.target, currency)}`,
    thresholdText: `off track ${lowerIsBetter ? 'above' : 'below'} ${formatMoney(spotFixCost.atRiskThreshold, currency)}`,
    targetNote: targetNote('spot_fix_cost', spotFixCost.targetDerived, period.granularity),
    facts: spotFixCost.noDataReason ? [] : costFacts,
    changes: comparisons.map((point) =>
      moneyChange(spotFixCost, point.spotFixCost, direction.spot_fix_cost, periodName(point.period.label), currency),
    ),
    trend: trendView(
      series,
      'spotFixCost',
      (p) => (p.spotFixCost.value === null ? null : Number(p.spotFixCost.value)),
      (p) => formatMoney(p.spotFixCost.value, currency),
      'money',
      Number(spotFixCost.target),
      formatMoney(spotFixCost.target, currency),
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
