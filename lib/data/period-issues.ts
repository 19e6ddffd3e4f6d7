import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import type { Money } from '@/lib/metrics/money';
import type { Period } from '@/lib/metrics/period';

/** A recurring issue as a board sees it for one period: what it cost, how much of that was repeats, who answers for it. */
export interface PeriodIssue {
  issueKey: string;
  label: string;
  fixes: number;
  cost: Money;
  repeatCost: Money;
  /** repeatCost / cost, unrounded; null when nothing was spent. */
  repeatShare: number | null;
  owner: { name: string; title: string } | null;
}

/**
 * The recurring issues that cost the most in the period, costliest first (ties by key). A fix is a
 * repeat when the issue had an earlier fix on an earlier day, in any period (SPEC). Aggregated in SQL
 * over the period's fixes; each issue's first day comes from the (issue_key, occurred_on) index.
 */
export async function listTopIssuesForPeriod(db: Queryable, period: Period, limit = 5): Promise<PeriodIssue[]> {
  const rows = await queryRows<{
    issue_key: string;
    label: string;
    fixes: number;
    cost: string;
    repeat_cost: string;
    repeat_share: number | null;
    owner_name: string | null;
    owner_title: string | null;
  }>(
    db,
    sql`with in_period as (
          select issue_key, count(*)::int as fixes, sum(cost) as cost, min(occurred_on) as first_in_period
          from spot_fixes
          where occurred_on between ${period.start}::date and ${period.end}::date
          group by issue_key
          order by sum(cost) desc, issue_key
          limit ${limit}
        )
        select p.issue_key, ri.label, p.fixes,
               p.cost::numeric(16,2)::text as cost,
               r.repeat_cost::numeric(16,2)::text as repeat_cost,
               case when p.cost > 0 then (r.repeat_cost / p.cost)::float8 end as repeat_share,
               e.name as owner_name, e.title as owner_title
        from in_period p
        join recurring_issues ri on ri.issue_key = p.issue_key
        left join executives e on e.id = ri.owner_id
        cross join lateral (
          select coalesce(sum(s.cost), 0) as repeat_cost
          from spot_fixes s
          where s.issue_key = p.issue_key
            and s.occurred_on between ${period.start}::date and ${period.end}::date
            and s.occurred_on > (select min(f.occurred_on) from spot_fixes f where f.issue_key = p.issue_key)
        ) r
        order by p.cost desc, p.issue_key`,
  );
  return rows.map((row) => ({
    issueKey: row.issue_key,
    label: row.label,
    fixes: row.fixes,
    cost: row.cost,
    repeatCost: row.repeat_cost,
    repeatShare: row.repeat_share === null ? null : Number(row.repeat_share),
    owner: row.owner_name ? { name: row.owner_name, title: row.owner_title ?? '' } : null,
  }));
}
