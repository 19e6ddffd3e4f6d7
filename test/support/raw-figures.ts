import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { SPOT_FIX_CATEGORIES, type SpotFixCategory } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import type { Period } from '@/lib/metrics/period';
import type { MetricSeriesPoint } from '@/lib/metrics/types';

/**
 * The reference implementation: the scorecard's figures straight from the raw tables (customers,
 * survey_responses, spot_fixes) by SPEC's definitions, as lib/data/scorecard.ts computed them
 * before the rollups. Slow on a large data set (it reads every row a period can concern, and every
 * spot fix for first fixes); tests compare the rollup figures with it.
 */
export interface RawFigures {
  retention: { start: number; retained: number; gained: number; valueGained: string; lost: number; valueLost: string };
  recommendation: { responses: number; promoters: number; passives: number; detractors: number };
  spotFixCost: { count: number; cost: string; byCategory: Record<SpotFixCategory, string>; repeatCost: string };
}

async function rawFiguresForPeriod(db: Queryable, period: Period): Promise<RawFigures> {
  const start = sql`${period.start}::date`;
  const end = sql`${period.end}::date`;
  const [retention] = await queryRows<{
    start_count: number;
    retained: number;
    gained: number;
    value_gained: string;
    lost: number;
    value_lost: string;
  }>(
    db,
    // Active on d ⇔ acquired_on <= d and (churned_on is null or churned_on > d).
    sql`select
          count(*) filter (where acquired_on < ${start} and (churned_on is null or churned_on > ${start}))::int as start_count,
          count(*) filter (where acquired_on < ${start} and (churned_on is null or churned_on > ${end}))::int as retained,
          count(*) filter (where acquired_on between ${start} and ${end})::int as gained,
          coalesce(sum(monthly_value) filter (where acquired_on between ${start} and ${end}), 0)::numeric(20,2)::text as value_gained,
          count(*) filter (where churned_on between ${start} and ${end})::int as lost,
          coalesce(sum(monthly_value) filter (where churned_on between ${start} and ${end}), 0)::numeric(20,2)::text as value_lost
        from customers`,
  );
  const [recommendation] = await queryRows<RawFigures['recommendation']>(
    db,
    sql`select
          count(*)::int as responses,
          count(*) filter (where score >= 9)::int as promoters,
          count(*) filter (where score between 7 and 8)::int as passives,
          count(*) filter (where score <= 6)::int as detractors
        from survey_responses where responded_on between ${start} and ${end}`,
  );
  const categoryColumns = SPOT_FIX_CATEGORIES.map(
    (category) => sql`coalesce(sum(s.cost) filter (where s.category = ${category}), 0)::numeric(20,2)::text as ${sql.identifier(category)}`,
  );
  // A repeat: another fix of the same issue key has a strictly earlier occurred_on, in any period.
  const [spotFixes] = await queryRows<{ fix_count: number; cost: string; repeat_cost: string } & Record<SpotFixCategory, string>>(
    db,
    sql`select
          count(*)::int as fix_count,
          coalesce(sum(s.cost), 0)::numeric(20,2)::text as cost,
          coalesce(sum(s.cost) filter (where exists (
            select 1 from spot_fixes earlier where earlier.issue_key = s.issue_key and earlier.occurred_on < s.occurred_on
          )), 0)::numeric(20,2)::text as repeat_cost,
          ${sql.join(categoryColumns, sql`, `)}
        from spot_fixes s where s.occurred_on between ${start} and ${end}`,
  );
  return {
    retention: {
      start: retention.start_count,
      retained: retention.retained,
      gained: retention.gained,
      valueGained: retention.value_gained,
      lost: retention.lost,
      valueLost: retention.value_lost,
    },
    recommendation,
    spotFixCost: {
      count: spotFixes.fix_count,
      cost: spotFixes.cost,
      byCategory: Object.fromEntries(SPOT_FIX_CATEGORIES.map((c) => [c, spotFixes[c]])) as Record<SpotFixCategory, string>,
      repeatCost: spotFixes.repeat_cost,
    },
  };
}

/** Each period's figures from the raw tables, one period after another. */
export async function rawFigures(db: Queryable, periods: Period[]): Promise<RawFigures[]> {
  const figures: RawFigures[] = [];
  for (const period of periods) figures.push(await rawFiguresForPeriod(db, period));
  return figures;
}

/** The same figures picked out of a scorecard series point, to compare with rawFigures. */
export function figuresOf(point: MetricSeriesPoint): RawFigures {
  const { retention: r, recommendation: n, spotFixCost: s } = point;
  return {
    retention: { start: r.start, retained: r.retained, gained: r.gained, valueGained: r.valueGained, lost: r.lost, valueLost: r.valueLost },
    recommendation: { responses: n.responses, promoters: n.promoters, passives: n.passives, detractors: n.detractors },
    spotFixCost: { count: s.count, cost: s.value ?? '', byCategory: s.byCategory, repeatCost: s.repeatCost },
  };
}

export interface RawChurnReason {
  reason: string;
  count: number;
  valueLost: string;
}

/**
 * Every reason for leaving among the customers lost in the period, as the retention drill-down
 * lists them (most common first; a reason with no monthly value at all after one worth 0).
 */
export async function rawChurnReasons(db: Queryable, period: Period): Promise<RawChurnReason[]> {
  const rows = await queryRows<{ reason: string; count: number; value_lost: string }>(
    db,
    sql`select reason, count(*)::int as count, coalesce(sum(monthly_value), 0)::numeric(16,2)::text as value_lost
        from (
          select coalesce(nullif(btrim(churn_reason), ''), 'Not recorded') as reason, monthly_value
          from customers
          where churned_on between ${period.start}::date and ${period.end}::date
        ) lost
        group by reason
        order by count(*) desc, sum(monthly_value) desc nulls last, reason collate "C"`,
  );
  return rows.map((row) => ({ reason: row.reason, count: row.count, valueLost: row.value_lost }));
}

/** The scorecard's five: most common first, ties by reason. */
export async function rawTopChurnReasons(db: Queryable, period: Period): Promise<RawChurnReason[]> {
  const rows = await queryRows<{ reason: string; count: number; value_lost: string }>(
    db,
    sql`select reason, count(*)::int as count, coalesce(sum(monthly_value), 0)::numeric(20,2)::text as value_lost
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
