import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import type { PowerCore, SpotFixCategory } from '@/lib/db/schema';
import type { Money } from '@/lib/metrics/money';
import type { Period } from '@/lib/metrics/period';
import { isCalendarDate } from '@/lib/validation/records';
import { labelKeySql } from './journey';

/**
 * One journey stage of a period: its recurring issues with who answers for them, and its spot
 * fixes a page at a time (keyset paging on (occurred_on, spot_fix_id), newest first, so a late
 * page costs what the first does). `stage` is the compared label, or null for fixes with none.
 */
export interface StageIssue {
  issueKey: string;
  label: string;
  fixes: number;
  cost: Money;
  repeatCost: Money;
  owner: { name: string; title: string; powerCore: PowerCore } | null;
  fixedOn: string | null;
}

export interface StageSpotFix {
  spotFixId: string;
  occurredOn: string;
  issue: string;
  category: SpotFixCategory;
  cost: Money;
  customerId: string | null;
  note: string | null;
  isRepeat: boolean;
}

export interface StageFixPage {
  fixes: StageSpotFix[];
  /** The cursor of the next (older) page, or null on the last page. */
  next: string | null;
}

export const STAGE_PAGE_SIZE = 25;

/** Rows whose stage (the column, as written) compares equal to `stage`. */
function stageFilter(stage: string | null, column: SQL = sql`s.journey_stage`): SQL {
  const key = labelKeySql(column);
  return stage === null ? sql`${key} is null` : sql`${key} = ${stage}`;
}

const inPeriod = (period: Period) => sql`s.occurred_on between ${period.start}::date and ${period.end}::date`;

export async function listStageIssues(db: Queryable, period: Period, stage: string | null): Promise<StageIssue[]> {
  const rows = await queryRows<{
    issue_key: string;
    label: string;
    fixes: number;
    cost: string;
    repeat_cost: string;
    owner_name: string | null;
    owner_title: string | null;
    owner_power_core: PowerCore | null;
    fixed_on: string | null;
  }>(
    db,
    // From the rollup per month, stage as written and issue, as the journey reads it: a period's
    // repeats are its fixes less those on the issue's first day, when that day is within the period
    // (those few are read from spot_fixes by (issue_key, occurred_on)).
    sql`with by_month as (
          select m.issue_key, sum(m.fixes)::int as fixes, sum(m.cost) as cost
          from rollup_stage_issue_months m
          where m.month between ${period.start}::date and ${period.end}::date and ${stageFilter(stage, sql`m.journey_stage`)}
          group by m.issue_key
        ),
        first_days as (
          select s.issue_key, sum(s.cost) as cost
          from rollup_issue_first_fixes f
          join spot_fixes s on s.issue_key = f.issue_key and s.occurred_on = f.first_on
          where f.first_on between ${period.start}::date and ${period.end}::date and ${stageFilter(stage)}
          group by s.issue_key
        ),
        by_issue as (
          select b.issue_key, b.fixes, b.cost, b.cost - coalesce(fd.cost, 0) as repeat_cost
          from by_month b left join first_days fd on fd.issue_key = b.issue_key
        )
        select b.issue_key, ri.label, b.fixes, b.cost::numeric(16,2)::text as cost, b.repeat_cost::numeric(16,2)::text as repeat_cost,
               e.name as owner_name, e.title as owner_title, e.power_core as owner_power_core,
               to_char(ri.fixed_on, 'YYYY-MM-DD') as fixed_on
        from by_issue b
        join recurring_issues ri on ri.issue_key = b.issue_key
        left join executives e on e.id = ri.owner_id
        order by b.cost desc, b.issue_key collate "C"`,
  );
  return rows.map((row) => ({
    issueKey: row.issue_key,
    label: row.label,
    fixes: row.fixes,
    cost: row.cost,
    repeatCost: row.repeat_cost,
    owner: row.owner_name === null ? null : { name: row.owner_name, title: row.owner_title ?? '', powerCore: row.owner_power_core! },
    fixedOn: row.fixed_on,
  }));
}

const CURSOR = /^(\d{4}-\d{2}-\d{2})~(.+)$/s;

/** A cursor that is not one of ours starts from the newest fix rather than failing. */
function parseCursor(cursor: string | null | undefined): { on: string; id: string } | null {
  const match = cursor ? CURSOR.exec(cursor) : null;
  return match && isCalendarDate(match[1]) ? { on: match[1], id: match[2] } : null;
}

export async function listStageSpotFixes(
  db: Queryable,
  period: Period,
  stage: string | null,
  cursor?: string | null,
  pageSize = STAGE_PAGE_SIZE,
): Promise<StageFixPage> {
  const after = parseCursor(cursor);
  const rows = await queryRows<{
    spot_fix_id: string;
    occurred_on: string;
    issue: string;
    category: SpotFixCategory;
    cost: string;
    customer_id: string | null;
    note: string | null;
    is_repeat: boolean;
  }>(
    db,
    sql`select s.spot_fix_id, to_char(s.occurred_on, 'YYYY-MM-DD') as occurred_on, s.issue, s.category,
               s.cost::numeric(16,2)::text as cost, s.customer_id, s.note,
               exists (select 1 from spot_fixes x where x.issue_key = s.issue_key and x.occurred_on < s.occurred_on) as is_repeat
        from spot_fixes s
        where ${inPeriod(period)} and ${stageFilter(stage)}
          ${after ? sql`and (s.occurred_on, s.spot_fix_id collate "C") < (${after.on}::date, ${after.id}::text collate "C")` : sql``}
        order by s.occurred_on desc, s.spot_fix_id collate "C" desc
        limit ${pageSize + 1}`,
  );
  const fixes = rows.slice(0, pageSize).map((row) => ({
    spotFixId: row.spot_fix_id,
    occurredOn: row.occurred_on,
    issue: row.issue,
    category: row.category,
    cost: row.cost,
    customerId: row.customer_id,
    note: row.note,
    isRepeat: row.is_repeat,
  }));
  const last = fixes.at(-1);
  return { fixes, next: rows.length > pageSize && last ? `${last.occurredOn}~${last.spotFixId}` : null };
}
