import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import type { MetricKey, PowerCore } from '@/lib/db/schema';
import { allQueries } from '@/lib/db/concurrent';
import { queryRows } from '@/lib/db/sql';
import { assertWholeMonths, getMetricSeries, getScorecard, retentionForPeriods } from '@/lib/data/scorecard';
import { cachedView, readDataFingerprint, type DataFingerprint, type OrganisationSummary } from '@/lib/data/view-cache';
import { TREND_LENGTH } from '@/lib/data/scorecard-view';
import { firstDayWithin, issueCostsIn, yearBackFrom } from '@/lib/data/rollups';
import type { Money } from '@/lib/metrics/money';
import { periodsEndingWith, todayIso, type Period } from '@/lib/metrics/period';
import { netPromoterScore, promoterMarginOfError, recommendationRate } from '@/lib/metrics/recommendation';
import { retentionRate } from '@/lib/metrics/retention';
import type { MetricSeriesPoint, Scorecard } from '@/lib/metrics/types';

/**
 * The figures behind each metric's drill-down page. Every breakdown is aggregated in SQL
 * (grouped counts and sums, window functions for the Pareto shares): no customer, response or
 * spot-fix rows are loaded into JavaScript, whatever the size of the company.
 */

export const METRIC_SLUGS = ['retention', 'recommendation', 'spot_fix_cost'] as const satisfies readonly MetricKey[];

export function isMetricSlug(value: string): value is MetricKey {
  return (METRIC_SLUGS as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// Retention

export interface SegmentRetention {
  segment: string;
  start: number;
  retained: number;
  rate: number | null;
  gained: number;
  valueGained: Money;
  lost: number;
  valueLost: Money;
}

export interface ReasonForLeaving {
  reason: string;
  count: number;
  valueLost: Money;
}

/** Retention per segment ("Not recorded" when blank), largest first, from the rollups by segment. */
export async function listRetentionBySegment(db: Queryable, period: Period): Promise<SegmentRetention[]> {
  const rows = await retentionForPeriods(db, [period], { bySegment: true });
  return rows.map(({ idx: _, ...row }) => ({ ...row, rate: retentionRate(row.retained, row.start) }));
}

/**
 * Every reason for leaving in the period, most common first ("Not recorded" when blank), from the
 * monthly rollup; a reason whose customers have no monthly value at all comes after one worth 0.
 */
export async function listReasonsForLeaving(db: Queryable, period: Period): Promise<ReasonForLeaving[]> {
  assertWholeMonths(period);
  const rows = await queryRows<{ reason: string; count: number; value_lost: string }>(
    db,
    sql`select reason, sum(customers)::int as count, sum(value_lost)::numeric(16,2)::text as value_lost
        from rollup_churn_reasons
        where churned_month between ${period.start}::date and ${period.end}::date
        group by reason
        order by sum(customers) desc, case when sum(valued) > 0 then sum(value_lost) end desc nulls last, reason collate "C"`,
  );
  return rows.map((row) => ({ reason: row.reason, count: row.count, valueLost: row.value_lost }));
}

// ---------------------------------------------------------------------------------------------
// Recommendation

export interface ScoreCount {
  score: number;
  count: number;
}

export interface TouchpointRecommendation {
  touchpoint: string;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  rate: number | null;
  nps: number | null;
  marginOfError: number | null;
}

/** How many responses gave each score from 0 to 10 (zero counts included), from the monthly rollup. */
export async function listScoreDistribution(db: Queryable, period: Period): Promise<ScoreCount[]> {
  return queryRows<ScoreCount>(
    db,
    sql`select s.score::int as score, coalesce(sum(r.responses), 0)::int as count
        from generate_series(0, 10) as s(score)
        left join rollup_response_months r
          on r.score = s.score and r.month between ${period.start}::date and ${period.end}::date
        group by s.score
        order by s.score`,
  );
}

export async function listRecommendationByTouchpoint(db: Queryable, period: Period): Promise<TouchpointRecommendation[]> {
  const rows = await queryRows<{ touchpoint: string; responses: number; promoters: number; passives: number; detractors: number }>(
    db,
    // The rollup keeps touchpoints as written; blank ones, trimmed or not, are one 'Not recorded'.
    sql`select rollup_label(touchpoint) as touchpoint,
               sum(responses)::int as responses,
               coalesce(sum(responses) filter (where score >= 9), 0)::int as promoters,
               coalesce(sum(responses) filter (where score between 7 and 8), 0)::int as passives,
               coalesce(sum(responses) filter (where score <= 6), 0)::int as detractors
        from rollup_response_months
        where month between ${period.start}::date and ${period.end}::date
        group by 1
        order by sum(responses) desc, rollup_label(touchpoint) collate "C"`,
  );
  return rows.map((row) => ({
    ...row,
    rate: recommendationRate(row.promoters, row.responses),
    nps: netPromoterScore(row.promoters, row.detractors, row.responses),
    marginOfError: promoterMarginOfError(row.promoters, row.responses),
  }));
}

// ---------------------------------------------------------------------------------------------
// Spot-fix cost

export interface IssueOwner {
  name: string;
  title: string;
  powerCore: PowerCore;
}

export interface IssueCost {
  issueKey: string;
  label: string;
  fixes: number;
  cost: Money;
  repeatCost: Money;
  /** This issue's share of the period's spot-fix cost. */
  share: number;
  /** Share of the period's cost covered by this issue and every costlier one (Pareto). */
  cumulativeShare: number;
  owner: IssueOwner | null;
  estimatedFixCost: Money | null;
  fixedOn: string | null;
}

export interface RentVsOwn {
  issueKey: string;
  label: string;
  owner: IssueOwner | null;
  estimatedFixCost: Money;
  fixedOn: string | null;
  firstOn: string;
  fixes: number;
  /** Everything spent on the issue up to the end of the period. */
  spentSoFar: Money;
  /** Of which on repeats: paying again for a problem already patched once. */
  repeatSpendSoFar: Money;
  /** Repeat spend in the twelve months ending with the period's last month: the yearly "rent". */
  repeatLastYear: Money;
  /** repeatSpendSoFar / estimatedFixCost. */
  ratio: number | null;
}

function owner(name: string | null, title: string | null, powerCore: PowerCore | null): IssueOwner | null {
  return name === null ? null : { name, title: title ?? '', powerCore: powerCore! };
}

/** How many of the period's issues a drill-down shows; the recurring-issues page lists them all. */
export const DRILLDOWN_ISSUE_LIMIT = 10;

/** The costliest issues of a period, and how many issues the period has in all. */
export interface IssueCostPage {
  issues: IssueCost[];
  total: number;
}

/**
 * The period's recurring issues ranked by what they cost, with cumulative shares (Pareto) over
 * all of them; only the first `limit` (at least 1) are returned, cut in SQL, with the count of all.
 */
export async function listIssueCosts(db: Queryable, period: Period, limit = DRILLDOWN_ISSUE_LIMIT): Promise<IssueCostPage> {
  assertWholeMonths(period);
  const rows = await queryRows<{
    issue_key: string;
    label: string;
    fixes: number;
    cost: string;
    repeat_cost: string;
    share: number | null;
    cumulative_share: number | null;
    owner_name: string | null;
    owner_title: string | null;
    owner_power_core: PowerCore | null;
    estimated_fix_cost: string | null;
    fixed_on: string | null;
    total: number;
  }>(
    db,
    sql`with in_period as (${issueCostsIn(period)})
        select p.issue_key, ri.label, p.fixes,
               p.cost::numeric(16,2)::text as cost,
               p.repeat_cost::numeric(16,2)::text as repeat_cost,
               (p.cost / nullif(sum(p.cost) over (), 0))::float8 as share,
               (sum(p.cost) over (order by p.cost desc, p.issue_key rows between unbounded preceding and current row)
                 / nullif(sum(p.cost) over (), 0))::float8 as cumulative_share,
               e.name as owner_name, e.title as owner_title, e.power_core as owner_power_core,
               ri.estimated_fix_cost::text as estimated_fix_cost, ri.fixed_on::text as fixed_on,
               (count(*) over ())::int as total
        from in_period p
        join recurring_issues ri on ri.issue_key = p.issue_key
        left join executives e on e.id = ri.owner_id
        order by p.cost desc, p.issue_key
        limit ${limit}`,
  );
  const issues = rows.map((row) => ({
    issueKey: row.issue_key,
    label: row.label,
    fixes: row.fixes,
    cost: row.cost,
    repeatCost: row.repeat_cost,
    share: row.share ?? 0,
    cumulativeShare: row.cumulative_share ?? 0,
    owner: owner(row.owner_name, row.owner_title, row.owner_power_core),
    estimatedFixCost: row.estimated_fix_cost,
    fixedOn: row.fixed_on,
  }));
  // Every row carries the count of all; no row means the period has no issue.
  return { issues, total: rows[0]?.total ?? 0 };
}

/** Issues with an estimated one-time fix: what patching them has cost so far against fixing them once. */
export async function listRentVsOwn(db: Queryable, period: Period): Promise<RentVsOwn[]> {
  assertWholeMonths(period);
  const end = sql`${period.end}::date`;
  const yearBack = yearBackFrom(period);
  const rows = await queryRows<{
    issue_key: string;
    label: string;
    owner_name: string | null;
    owner_title: string | null;
    owner_power_core: PowerCore | null;
    estimated_fix_cost: string;
    fixed_on: string | null;
    first_on: string;
    fixes: number;
    spent: string;
    repeat_spent: string;
    repeat_last_year: string;
    ratio: number | null;
  }>(
    db,
    sql`with per_issue as (
          -- What each issue with an estimate cost up to the period's end; its repeats are all but
          -- the first day's fixes. The "rent" is the repeat spend of the twelve months ending with
          -- the period's last month.
          select m.issue_key, f.first_on, sum(m.fixes)::int as fixes, sum(m.cost) as spent,
                 sum(m.cost) - f.first_day_cost as repeat_spent,
                 coalesce(sum(m.cost) filter (where m.month >= ${yearBack}), 0)
                   - ${firstDayWithin('first_day_cost', yearBack, end)} as repeat_last_year
          from recurring_issues ri
          join rollup_issue_first_fixes f on f.issue_key = ri.issue_key and f.first_on <= ${end}
          join rollup_issue_months m on m.issue_key = ri.issue_key and m.month <= ${end}
          where ri.estimated_fix_cost is not null
          group by m.issue_key, f.first_on, f.first_day_cost
        )
        select ri.issue_key, ri.label, e.name as owner_name, e.title as owner_title, e.power_core as owner_power_core,
               ri.estimated_fix_cost::text as estimated_fix_cost, ri.fixed_on::text as fixed_on,
               p.first_on::text as first_on, p.fixes,
               p.spent::numeric(16,2)::text as spent,
               coalesce(p.repeat_spent, 0)::numeric(16,2)::text as repeat_spent,
               coalesce(p.repeat_last_year, 0)::numeric(16,2)::text as repeat_last_year,
               (coalesce(p.repeat_spent, 0) / nullif(ri.estimated_fix_cost, 0))::float8 as ratio
        from recurring_issues ri
        join per_issue p on p.issue_key = ri.issue_key
        left join executives e on e.id = ri.owner_id
        where ri.estimated_fix_cost is not null
        order by ratio desc nulls last, ri.issue_key`,
  );
  return rows.map((row) => ({
    issueKey: row.issue_key,
    label: row.label,
    owner: owner(row.owner_name, row.owner_title, row.owner_power_core),
    estimatedFixCost: row.estimated_fix_cost,
    fixedOn: row.fixed_on,
    firstOn: row.first_on,
    fixes: row.fixes,
    spentSoFar: row.spent,
    repeatSpendSoFar: row.repeat_spent,
    repeatLastYear: row.repeat_last_year,
    ratio: row.ratio,
  }));
}

// ---------------------------------------------------------------------------------------------
// One call per page, cached like the scorecard

interface DrilldownBase {
  organisation: OrganisationSummary;
  scorecard: Scorecard;
  /** The trend: the last 24 months, 12 quarters or 5 years up to the period. */
  series: MetricSeriesPoint[];
}

export interface RetentionDrilldown extends DrilldownBase {
  metric: 'retention';
  bySegment: SegmentRetention[];
  reasons: ReasonForLeaving[];
}

export interface RecommendationDrilldown extends DrilldownBase {
  metric: 'recommendation';
  distribution: ScoreCount[];
  byTouchpoint: TouchpointRecommendation[];
}

export interface SpotFixCostDrilldown extends DrilldownBase {
  metric: 'spot_fix_cost';
  /** The costliest DRILLDOWN_ISSUE_LIMIT issues of the period. */
  issues: IssueCost[];
  /** How many issues the period has in all. */
  issueCount: number;
  rentVsOwn: RentVsOwn[];
}

export type Drilldown = RetentionDrilldown | RecommendationDrilldown | SpotFixCostDrilldown;

async function buildDrilldown(
  db: Queryable,
  metric: MetricKey,
  period: Period,
  organisation: OrganisationSummary,
  today: string,
): Promise<Drilldown> {
  const periods = periodsEndingWith(period, TREND_LENGTH[period.granularity]);
  // Trends leave out the periods before the metric's data begins.
  const field = ({ retention: 'retention', recommendation: 'recommendation', spot_fix_cost: 'spotFixCost' } as const)[metric];
  const [scorecard, fullSeries] = await allQueries(
    db,
    () => getScorecard(db, period, { today }),
    () => getMetricSeries(db, periods, { today }),
  );
  const series = fullSeries.filter((point) => !point[field].noDataReason);
  switch (metric) {
    case 'retention': {
      const [bySegment, reasons] = await allQueries(db, () => listRetentionBySegment(db, period), () => listReasonsForLeaving(db, period));
      return { metric, organisation, scorecard, series, bySegment, reasons };
    }
    case 'recommendation': {
      const [distribution, byTouchpoint] = await allQueries(
        db,
        () => listScoreDistribution(db, period),
        () => listRecommendationByTouchpoint(db, period),
      );
      return { metric, organisation, scorecard, series, distribution, byTouchpoint };
    }
    case 'spot_fix_cost': {
      const [{ issues, total }, rentVsOwn] = await allQueries(db, () => listIssueCosts(db, period), () => listRentVsOwn(db, period));
      return { metric, organisation, scorecard, series, issues, issueCount: total, rentVsOwn };
    }
  }
}

/** Recurring issues change (owners, estimates, fixed dates) without a data write. */
export async function readIssuesFingerprint(db: Queryable): Promise<string> {
  const [row] = await queryRows<{ fp: string | null }>(
    db,
    sql`select md5(string_agg(concat_ws(',', ri.issue_key, ri.label, ri.owner_id, ri.estimated_fix_cost, ri.fixed_on,
                                        e.name, e.title, e.power_core), ';' order by ri.issue_key)) as fp
        from recurring_issues ri left join executives e on e.id = ri.owner_id`,
  );
  return row?.fp ?? '';
}

type Fingerprint = DataFingerprint | undefined;

/** The drill-down for a metric and period; pass the fingerprint if the page has just read it. */
export async function getDrilldown(db: Queryable, metric: 'retention', period: Period, fp?: Fingerprint): Promise<RetentionDrilldown>;
export async function getDrilldown(db: Queryable, metric: 'recommendation', period: Period, fp?: Fingerprint): Promise<RecommendationDrilldown>;
export async function getDrilldown(db: Queryable, metric: 'spot_fix_cost', period: Period, fp?: Fingerprint): Promise<SpotFixCostDrilldown>;
export async function getDrilldown(db: Queryable, metric: MetricKey, period: Period, fp?: Fingerprint): Promise<Drilldown>;
export async function getDrilldown(db: Queryable, metric: MetricKey, period: Period, fp?: Fingerprint): Promise<Drilldown> {
  const fingerprint = fp ?? (await readDataFingerprint(db, period.label));
  const issues = metric === 'spot_fix_cost' ? await readIssuesFingerprint(db) : '';
  const today = todayIso();
  return cachedView(`drilldown:${metric}:${period.label}:${today}`, `${fingerprint.key}|${issues}`, () =>
    buildDrilldown(db, metric, period, fingerprint.organisation, today),
  );
}
