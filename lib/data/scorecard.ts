import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { allQueries } from '@/lib/db/concurrent';
import { queryRows } from '@/lib/db/sql';
import { SPOT_FIX_CATEGORIES } from '@/lib/db/schema';
import { proportionMarginOfError } from '@/lib/metrics/change';
import { moneyRatio } from '@/lib/metrics/money';
import { periodProgress, todayIso, type Period } from '@/lib/metrics/period';
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
 * The scorecard's figures, aggregated in SQL: no query loads customer, response or spot-fix
 * rows into JavaScript, so a million customers cost a pass or two over a table or index, never a
 * million objects.
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

interface RetentionFigures {
  start: number;
  retained: number;
  gained: number;
  valueGained: Money;
  lost: number;
  valueLost: Money;
}

function retentionMetric(figures: RetentionFigures, context: MetricContext, period: Period, today: string) {
  const verdict = judgeRatio('retention', context, period, periodProgress(period, today), retentionRate(figures.retained, figures.start));
  return { ...verdict, marginOfError: proportionMarginOfError(figures.retained, figures.start), ...figures };
}

/** One period straight from the definition, in a single pass over the customers it can concern. */
async function retentionForPeriod(db: Queryable, period: Period): Promise<RetentionFigures> {
  const start = sql`${period.start}::date`;
  const end = sql`${period.end}::date`;
  const [row] = await queryRows<{
    start_count: number;
    retained: number;
    gained: number;
    value_gained: string;
    lost: number;
    value_lost: string;
  }>(
    db,
    sql`select
          count(*) filter (where acquired_on < ${start} and (churned_on is null or churned_on > ${start}))::int as start_count,
          count(*) filter (where acquired_on < ${start} and (churned_on is null or churned_on > ${end}))::int as retained,
          count(*) filter (where acquired_on between ${start} and ${end})::int as gained,
          coalesce(sum(monthly_value) filter (where acquired_on between ${start} and ${end}), 0)::numeric(16,2)::text as value_gained,
          count(*) filter (where churned_on between ${start} and ${end})::int as lost,
          coalesce(sum(monthly_value) filter (where churned_on between ${start} and ${end}), 0)::numeric(16,2)::text as value_lost
        from customers
        where acquired_on <= ${end} and (churned_on is null or churned_on >= ${start})`,
  );
  return {
    start: row.start_count,
    retained: row.retained,
    gained: row.gained,
    valueGained: row.value_gained,
    lost: row.lost,
    valueLost: row.value_lost,
  };
}

/**
 * Many periods in one query. Daily totals of acquisitions and churns (one pass over the
 * customers, materialised once) give A(<start), C(<=day), gained and lost for every period; the
 * only per-period visit is an index-only count of customers acquired inside the period.
 * See retentionCounts for why this equals the definition.
 */
async function retentionForPeriods(db: Queryable, periods: Period[]): Promise<RetentionFigures[]> {
  const rows = await queryRows<{
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
    sql`with acquired_daily as materialized (
          select acquired_on as day, count(*) as n, sum(monthly_value) as value from customers group by acquired_on
        ),
        churned_daily as materialized (
          select churned_on as day, count(*) as n, sum(monthly_value) as value
          from customers where churned_on is not null group by churned_on
        )
        select
          (select coalesce(sum(n), 0) from acquired_daily where day < p.start_on)::int as acquired_before_start,
          (select coalesce(sum(n), 0) from churned_daily where day <= p.start_on)::int as churned_by_start,
          (select coalesce(sum(n), 0) from churned_daily where day <= p.end_on)::int as churned_by_end,
          g.gained,
          g.value_gained,
          l.lost,
          l.value_lost,
          w.acquired_and_churned_on_start,
          w.acquired_within_and_churned_by_end
        from ${periodsTable(periods)}
        cross join lateral (
          select coalesce(sum(n), 0)::int as gained, coalesce(sum(value), 0)::numeric(16,2)::text as value_gained
          from acquired_daily where day between p.start_on and p.end_on
        ) g
        cross join lateral (
          select coalesce(sum(n), 0)::int as lost, coalesce(sum(value), 0)::numeric(16,2)::text as value_lost
          from churned_daily where day between p.start_on and p.end_on
        ) l
        cross join lateral (
          -- Only (acquired_on, churned_on): answered from customers_acquired_on_idx without the table.
          select
            count(*) filter (where c.acquired_on = p.start_on and c.churned_on = p.start_on)::int as acquired_and_churned_on_start,
            count(*) filter (where c.churned_on <= p.end_on)::int as acquired_within_and_churned_by_end
          from customers c
          where c.acquired_on between p.start_on and p.end_on
        ) w
        order by p.idx`,
  );
  return rows.map((row) => ({
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

/** The five most common reasons among customers lost in the period, most common first. */
async function topChurnReasons(db: Queryable, period: Period): Promise<ChurnReason[]> {
  const rows = await queryRows<{ reason: string; count: number; value_lost: string }>(
    db,
    sql`select reason, count(*)::int as count, coalesce(sum(monthly_value), 0)::numeric(16,2)::text as value_lost
        from (
          select coalesce(nullif(btrim(churn_reason), ''), 'Not recorded') as reason, monthly_value
          from customers
          where churned_on between ${period.start}::date and ${period.end}::date
        ) lost
        group by reason
        order by count(*) desc, reason collate "C"
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
          count(r.score)::int as responses,
          count(*) filter (where r.score >= 9)::int as promoters,
          count(*) filter (where r.score between 7 and 8)::int as passives,
          count(*) filter (where r.score <= 6)::int as detractors
        from ${periodsTable(periods)}
        left join survey_responses r on r.responded_on between p.start_on and p.end_on
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
 * exactly when it is later than the issue's first fix. One grouped pass over the
 * (issue_key, occurred_on) index finds every first fix, where an EXISTS probe per fix would cost
 * seconds for a year of a busy company's fixes.
 */
async function spotFixCostForPeriods(
  db: Queryable,
  periods: Period[],
  context: MetricContext,
  today: string,
): Promise<SpotFixCostFigures[]> {
  const categoryColumns = SPOT_FIX_CATEGORIES.map(
    (category) =>
      sql`coalesce(sum(s.cost) filter (where s.category = ${category}), 0)::numeric(16,2)::text as ${sql.identifier(category)}`,
  );
  const rows = await queryRows<{ fix_count: number; cost: string; repeat_cost: string } & SpotFixCostByCategory>(
    db,
    sql`with first_fix as (
          select issue_key, min(occurred_on) as first_on from spot_fixes group by issue_key
        )
        select
          count(s.cost)::int as fix_count,
          coalesce(sum(s.cost), 0)::numeric(16,2)::text as cost,
          coalesce(sum(s.cost) filter (where s.occurred_on > f.first_on), 0)::numeric(16,2)::text as repeat_cost,
          ${sql.join(categoryColumns, sql`, `)}
        from ${periodsTable(periods)}
        left join spot_fixes s on s.occurred_on between p.start_on and p.end_on
        left join first_fix f on f.issue_key = s.issue_key
        group by p.idx
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
  const [retention, topReasons, [recommendation], [spotFixCost]] = await allQueries(
    db,
    () => retentionForPeriod(db, period),
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
