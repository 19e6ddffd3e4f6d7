import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import type { Money } from '@/lib/metrics/money';
import type { Period } from '@/lib/metrics/period';
import { issueCostsIn } from './rollups';
import { assertWholeMonths } from './scorecard';

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
 * repeat when the issue had an earlier fix on an earlier day, in any period (SPEC). Read from the
 * monthly issue rollup, as the spot-fix drill-down reads them (issueCostsIn).
 */
export async function listTopIssuesForPeriod(db: Queryable, period: Period, limit = 5): Promise<PeriodIssue[]> {
  assertWholeMonths(period);
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
          select * from (${issueCostsIn(period)}) c
          order by c.cost desc, c.issue_key
          limit ${limit}
        )
        select p.issue_key, ri.label, p.fixes,
               p.cost::numeric(16,2)::text as cost,
               p.repeat_cost::numeric(16,2)::text as repeat_cost,
               case when p.cost > 0 then (p.repeat_cost / p.cost)::float8 end as repeat_share,
               e.name as owner_name, e.title as owner_title
        from in_period p
        join recurring_issues ri on ri.issue_key = p.issue_key
        left join executives e on e.id = ri.owner_id
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
