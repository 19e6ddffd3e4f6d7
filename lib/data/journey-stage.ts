import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import type { PowerCore, SpotFixCategory } from '@/lib/db/schema';
import type { Money } from '@/lib/metrics/money';
import type { Period } from '@/lib/metrics/period';
import { isCalendarDate } from '@/lib/validation/records';
import { stageIs, stageIssueCostsIn } from './journey';

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
    // As the journey reads its stages (stageIssueCostsIn), for this stage only.
    sql`with by_issue as (${stageIssueCostsIn(period, stage)})
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
        where ${inPeriod(period)} and ${stageIs(sql`s.journey_stage`, stage)}
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
