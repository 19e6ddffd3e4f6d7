import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { allQueries } from '@/lib/db/concurrent';
import { queryRows } from '@/lib/db/sql';
import { SPOT_FIX_CATEGORIES } from '@/lib/db/schema';
import { proportionMarginOfError } from '@/lib/metrics/change';
import { moneyRatio } from '@/lib/metrics/money';
import { periodContaining, periodProgress, todayIso, type Period } from '@/lib/metrics/period';
import { netPromoterScore, recommendationRate } from '@/lib/metrics/recommendation';
import { retentionCounts, retentionRate } from '@/lib/metrics/retention';
import type {
  ChurnReason,
  MetricSeriesPoint,
  Money,
  RecommendationMetric,
  Scorecard,
  ScorecardPeriod,
  SpotFixCostByCategory,
  SpotFixCostMetric,
} from '@/lib/metrics/types';
import { judgeMoney, judgeRatio, readMetricContexts, type MetricContext } from './verdicts';

/**
 * The scorecard's figures, read from the rollup tables (rollup_*, kept by triggers in the same
 * transaction as every write; drizzle/0010_rollup_triggers.sql): sums by day, month and issue,
 * a few thousand rows whatever the number of customers, so a first hit costs the same at a
 * million customers as at two thousand. test/support/raw-figures.ts keeps the same figures
 * straight from the raw tables, which the rollup property test compares against.
 * Every value is cast in SQL (::int, ::text) so PGlite and node-postgres return the same types.
 * The verdicts (targets in force, data since, unfinished periods) come from ./verdicts.
 */

function periodRef(period: Period, today: string): ScorecardPeriod {
  const progress = periodProgress(period, today);
  return {
    label: period.label,
    start: period.start,
    end: period.end,
    complete: progress.complete,
  };
}

/** The periods as an inline table p(idx, start_on, end_on), so one query serves the whole list. */
function periodsTable(periods: Period[]): SQL {
  const rows = periods.map((period, idx) => sql`(${idx}::int, ${period.start}::date, ${period.end}::date)`);
  return sql`(values ${sql.join(rows, sql`, `)}) as p(idx, start_on, end_on)`;
}

// ---------------------------------------------------------------------------------------------
// Retention

export interface RetentionFigures {
  start: number;
  retained: number;
  gained: number;
  valueGained: Money;
  lost: number;
  valueLost: Money;
}

function retentionMetric(row: RetentionFigures, context: MetricContext, period: Period, today: string) {
  const { start, retained, gained, valueGained, lost, valueLost } = row;
  const verdict = judgeRatio('retention', context, period, periodProgress(period, today), retentionRate(retained, start));
  return { ...verdict, marginOfError: proportionMarginOfError(retained, start), start, retained, gained, valueGained, lost, valueLost };
}

/**
 * Retention figures of many periods in one query, from the rollups (a few thousand rows whatever
 * the number of customers): for the whole company, or per segment (`bySegment`: one row per
 * period and segment that has customers at the start, gained or lost; largest at the start first).
 * The daily rollup is summed by month once (periods are whole months); the months give
 * A(<start), C(<=end), gained and lost, the period's first day adds its own churns and same-day
 * customers, and the month-by-month cohorts give the customers acquired within the period and
 * churned by its end. See retentionCounts for why this equals the definition.
 */
export async function retentionForPeriods(
  db: Queryable,
  periods: Period[],
  { bySegment = false } = {},
): Promise<(RetentionFigures & { idx: number; segment: string })[]> {
  periods.forEach(assertWholeMonths);
  // The whole company is one segment, ''.
  const segment = bySegment ? sql`segment` : sql`''::text`;
  const rows = await queryRows<{
    idx: number;
    segment: string;
    acquired_before_start: number;
    churned_by_start: number;
    churned_by_end: number;
    acquired_and_churned_on_start: number;
    acquired_within_and_churned_by_end: number;
    gained: number;
    value_gained: string;
    lost: number;
    value_lost: string;
  }>(
    db,
    sql`with months as materialized (
          select ${segment} as segment, date_trunc('month', day::timestamp)::date as month,
                 sum(acquired) as acquired, sum(acquired_value) as acquired_value,
                 sum(churned) as churned, sum(churned_value) as churned_value
          from rollup_customer_days
          group by 1, 2
        ),
        periods as materialized (select * from ${periodsTable(periods)}),
        first_days as (
          select ${segment} as segment, day, sum(churned) as churned, sum(acquired_and_churned) as acquired_and_churned
          from rollup_customer_days
          where day in (select start_on from periods)
          group by 1, 2
        ),
        -- Materialized, so ordering by the start count does not run its subqueries again.
        figures as materialized (
          select p.idx, s.segment,
            (select coalesce(sum(acquired), 0) from months m where m.segment = s.segment and m.month < p.start_on)::int
              as acquired_before_start,
            ((select coalesce(sum(churned), 0) from months m where m.segment = s.segment and m.month < p.start_on)
              + coalesce(first_day.churned, 0))::int as churned_by_start,
            (select coalesce(sum(churned), 0) from months m where m.segment = s.segment and m.month <= p.end_on)::int
              as churned_by_end,
            coalesce(first_day.acquired_and_churned, 0)::int as acquired_and_churned_on_start,
            -- acquired_on within the period is its month within it; churned_on <= end is its month
            -- <= end's month ('infinity' for customers not churned).
            (select coalesce(sum(customers), 0) from rollup_customer_cohorts c
              where ${bySegment ? sql`c.segment = s.segment and ` : sql``}c.acquired_month between p.start_on and p.end_on
                and c.churned_month <= p.end_on)::int
              as acquired_within_and_churned_by_end,
            d.gained, d.value_gained, d.lost, d.value_lost
          from periods p
          cross join ${bySegment ? sql`(select distinct segment from months)` : sql`(values (''::text))`} as s(segment)
          left join first_days first_day on first_day.day = p.start_on and first_day.segment = s.segment
          cross join lateral (
            select coalesce(sum(acquired), 0)::int as gained,
                   coalesce(sum(acquired_value), 0)::numeric(20,2)::text as value_gained,
                   coalesce(sum(churned), 0)::int as lost,
                   coalesce(sum(churned_value), 0)::numeric(20,2)::text as value_lost
            from months m where m.segment = s.segment and m.month between p.start_on and p.end_on
          ) d
        )
        select * from figures
        ${bySegment ? sql`where acquired_before_start - churned_by_start + acquired_and_churned_on_start + gained + lost > 0` : sql``}
        order by idx, acquired_before_start - churned_by_start + acquired_and_churned_on_start desc, segment collate "C"`,
  );
  return rows.map((row) => ({
    idx: row.idx,
    segment: row.segment,
    ...retentionCounts({
      acquiredBeforeStart: row.acquired_before_start,
      churnedByStart: row.churned_by_start,
      churnedByEnd: row.churned_by_end,
      acquiredAndChurnedOnStart: row.acquired_and_churned_on_start,
      acquiredWithinAndChurnedByEnd: row.acquired_within_and_churned_by_end,
    }),
    gained: row.gained,
    valueGained: row.value_gained,
    lost: row.lost,
    valueLost: row.value_lost,
  }));
}

/** The cohort and churn-reason rollups are by month: a period must start on a month's first day and end on a month's last. */
export function assertWholeMonths(period: Period): void {
  const { start } = periodContaining(period.start, 'month');
  const { end } = periodContaining(period.end, 'month');
  if (period.start !== start || period.end !== end) throw new Error(`Period ${period.label} is not made of whole months`);
}

/** The five most common reasons among customers lost in the period, most common first (from the monthly rollup). */
async function topChurnReasons(db: Queryable, period: Period): Promise<ChurnReason[]> {
  assertWholeMonths(period);
  const rows = await queryRows<{ reason: string; count: number; value_lost: string }>(
    db,
    sql`select reason, sum(customers)::int as count, sum(value_lost)::numeric(20,2)::text as value_lost
        from rollup_churn_reasons
        where churned_month between ${period.start}::date and ${period.end}::date
        group by reason
        order by sum(customers) desc, reason collate "C"
        limit 5`,
  );
  return rows.map((row) => ({ reason: row.reason, count: row.count, valueLost: row.value_lost }));
}

// ---------------------------------------------------------------------------------------------
// Recommendation

type RecommendationFigures = Omit<RecommendationMetric, 'owner'>;

async function recommendationForPeriods(
  db: Queryable,
  periods: Period[],
  context: MetricContext,
  today: string,
): Promise<RecommendationFigures[]> {
  const rows = await queryRows<{ responses: number; promoters: number; passives: number; detractors: number }>(
    db,
    sql`select
          coalesce(sum(r.responses), 0)::int as responses,
          coalesce(sum(r.responses) filter (where r.score >= 9), 0)::int as promoters,
          coalesce(sum(r.responses) filter (where r.score between 7 and 8), 0)::int as passives,
          coalesce(sum(r.responses) filter (where r.score <= 6), 0)::int as detractors
        from ${periodsTable(periods)}
        left join rollup_response_months r on r.month between p.start_on and p.end_on
        group by p.idx
        order by p.idx`,
  );
  return rows.map(({ responses, promoters, passives, detractors }, i) => {
    const period = periods[i];
    const value = recommendationRate(promoters, responses);
    return {
      ...judgeRatio('recommendation', context, period, periodProgress(period, today), value),
      responses,
      promoters,
      passives,
      detractors,
      nps: netPromoterScore(promoters, detractors, responses),
      marginOfError: proportionMarginOfError(promoters, responses),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Spot-fix cost

type SpotFixCostFigures = Omit<SpotFixCostMetric, 'owner'>;

/**
 * A fix is a repeat when another fix for the same issue happened strictly earlier, in any period:
 * exactly when it is later than the issue's first fix. So the fixes that are not repeats are each
 * issue's first-day fixes, and a period's repeat cost is its cost less the first-day cost of the
 * issues first fixed within it (rollup_issue_first_fixes).
 */
async function spotFixCostForPeriods(
  db: Queryable,
  periods: Period[],
  context: MetricContext,
  today: string,
): Promise<SpotFixCostFigures[]> {
  const categoryColumns = SPOT_FIX_CATEGORIES.map(
    (category) =>
      sql`coalesce(sum(d.cost) filter (where d.category = ${category}), 0)::numeric(20,2)::text as ${sql.identifier(category)}`,
  );
  const rows = await queryRows<{ fix_count: number; cost: string; repeat_cost: string } & SpotFixCostByCategory>(
    db,
    sql`select t.*, (t.cost::numeric - f.first_day_cost)::numeric(20,2)::text as repeat_cost
        from ${periodsTable(periods)}
        cross join lateral (
          select
            coalesce(sum(d.fixes), 0)::int as fix_count,
            coalesce(sum(d.cost), 0)::numeric(20,2)::text as cost,
            ${sql.join(categoryColumns, sql`, `)}
          from rollup_spot_fix_months d where d.month between p.start_on and p.end_on
        ) t
        cross join lateral (
          select coalesce(sum(first_day_cost), 0) as first_day_cost
          from rollup_issue_first_fixes where first_on between p.start_on and p.end_on
        ) f
        order by p.idx`,
  );
  return rows.map((row, i) => {
    const period = periods[i];
    const byCategory = Object.fromEntries(
      SPOT_FIX_CATEGORIES.map((category) => [category, row[category]]),
    ) as SpotFixCostByCategory;
    return {
      ...judgeMoney('spot_fix_cost', context, period, periodProgress(period, today), row.cost),
      count: row.fix_count,
      byCategory,
      repeatCost: row.repeat_cost,
      repeatShare: moneyRatio(row.repeat_cost, row.cost),
    };
  });
}

// ---------------------------------------------------------------------------------------------

export interface ScorecardOptions {
  /** The day that decides which periods are complete (default: today, UTC). */
  today?: string;
}

/** The scorecard JSON for one period, with each metric's owner, target in force and verdict. */
export async function getScorecard(db: Queryable, period: Period, options: ScorecardOptions = {}): Promise<Scorecard> {
  const today = options.today ?? todayIso();
  const contexts = await readMetricContexts(db);
  const [[retention], topReasons, [recommendation], [spotFixCost]] = await allQueries(
    db,
    () => retentionForPeriods(db, [period]),
    () => topChurnReasons(db, period),
    () => recommendationForPeriods(db, [period], contexts.recommendation, today),
    () => spotFixCostForPeriods(db, [period], contexts.spot_fix_cost, today),
  );
  return {
    period: periodRef(period, today),
    retention: { ...retentionMetric(retention, contexts.retention, period, today), owner: contexts.retention.owner, topReasons },
    recommendation: { ...recommendation, owner: contexts.recommendation.owner },
    spotFixCost: { ...spotFixCost, owner: contexts.spot_fix_cost.owner },
  };
}

/**
 * The figures of every period in the list (a trend, or a period with its previous and
 * year-earlier comparisons), in one query per metric whatever the number of periods.
 * Points come back in the order the periods were given, each judged against the targets in
 * force on its own last day.
 */
export async function getMetricSeries(db: Queryable, periods: Period[], options: ScorecardOptions = {}): Promise<MetricSeriesPoint[]> {
  if (periods.length === 0) return [];
  const today = options.today ?? todayIso();
  const contexts = await readMetricContexts(db);
  const [retention, recommendation, spotFixCost] = await allQueries(
    db,
    () => retentionForPeriods(db, periods),
    () => recommendationForPeriods(db, periods, contexts.recommendation, today),
    () => spotFixCostForPeriods(db, periods, contexts.spot_fix_cost, today),
  );
  return periods.map((period, i) => ({
    period: periodRef(period, today),
    retention: retentionMetric(retention[i], contexts.retention, period, today),
    recommendation: recommendation[i],
    spotFixCost: spotFixCost[i],
  }));
}
