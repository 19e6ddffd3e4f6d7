import { sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import type { SpotFixCategory } from '@/lib/db/schema';
import { assertCan, type PermissionSubject } from '@/lib/auth/permissions';
import { periodContaining, todayIso } from '@/lib/metrics/period';
import type { SpotFixRecord } from '@/lib/validation/records';
import { applyRecords, type ApplySummary } from './records';
import { yearBackFrom } from './rollups';

/** One spot fix logged from the form: the same write path as imports (validated record, upsert by id, audit). */
export async function logSpotFix(db: Db, me: PermissionSubject & { name: string }, record: SpotFixRecord): Promise<ApplySummary> {
  assertCan(me, 'log-spot-fix');
  return applyRecords(db, 'spot-fixes', [[record]], { executiveId: me.id, label: me.name }, 'log-spot-fix');
}

export interface SpotFixListItem {
  spotFixId: string;
  occurredOn: string;
  issue: string;
  issueKey: string;
  category: SpotFixCategory;
  cost: string;
  customerId: string | null;
  journeyStage: string | null;
  note: string | null;
  /** Another spot fix for the same issue happened strictly earlier. */
  isRepeat: boolean;
  /** The issue was marked fixed, and this happened after the fix date. */
  cameBack: boolean;
  fixedOn: string | null;
}

export async function listRecentSpotFixes(db: Queryable, limit = 25): Promise<SpotFixListItem[]> {
  return queryRows<SpotFixListItem>(
    db,
    sql`select sf.spot_fix_id as "spotFixId", to_char(sf.occurred_on, 'YYYY-MM-DD') as "occurredOn", sf.issue,
          sf.issue_key as "issueKey", sf.category, sf.cost::text as cost, sf.customer_id as "customerId",
          sf.journey_stage as "journeyStage", sf.note,
          exists (select 1 from spot_fixes earlier where earlier.issue_key = sf.issue_key and earlier.occurred_on < sf.occurred_on) as "isRepeat",
          coalesce(sf.occurred_on > ri.fixed_on, false) as "cameBack",
          to_char(ri.fixed_on, 'YYYY-MM-DD') as "fixedOn"
        from spot_fixes sf join recurring_issues ri on ri.issue_key = sf.issue_key
        order by sf.occurred_on desc, sf.updated_at desc, sf.spot_fix_id
        limit ${limit}`,
  );
}

/**
 * Labels of known issues (most recently seen first: each issue's last day is one index probe) and
 * the journey stages written in the last 12 months, most used first (from the monthly rollup), for
 * the form's suggestions. Neither scans the spot fixes.
 */
export async function listSpotFixSuggestions(db: Queryable, today: string = todayIso()): Promise<{ issues: string[]; journeyStages: string[] }> {
  const issues = await queryRows<{ label: string }>(
    db,
    sql`select ri.label from recurring_issues ri
        left join lateral (select max(sf.occurred_on) as last_on from spot_fixes sf where sf.issue_key = ri.issue_key) seen on true
        order by seen.last_on desc nulls last, ri.label
        limit 500`,
  );
  const thisMonth = periodContaining(today, 'month');
  const stages = await queryRows<{ stage: string }>(
    db,
    sql`select journey_stage as stage from rollup_stage_issue_months
        where journey_stage <> '' and month between ${yearBackFrom(thisMonth)} and ${thisMonth.start}::date
        group by journey_stage order by sum(fixes) desc, journey_stage limit 100`,
  );
  return { issues: issues.map((r) => r.label), journeyStages: stages.map((r) => r.stage) };
}

export interface CustomerCheck {
  exists: boolean;
  /** Loaded customers whose id or name resembles what was typed (at most 5), when it names none. */
  matches: Array<{ customerId: string; name: string | null }>;
}

/**
 * Whether a typed customer id names a loaded customer and, if not, which ones it might have meant:
 * ids that start with or contain it, or names that contain it (case ignored). A spot fix may still
 * name a customer not loaded yet (files arrive in any order), so this warns; it does not refuse.
 */
export async function checkCustomerId(db: Queryable, customerId: string): Promise<CustomerCheck> {
  const [found] = await queryRows<{ one: number }>(db, sql`select 1 as one from customers where customer_id = ${customerId}`);
  if (found) return { exists: true, matches: [] };
  const needle = customerId.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  if (!needle) return { exists: false, matches: [] };
  const matches = await queryRows<{ customerId: string; name: string | null }>(
    db,
    sql`select customer_id as "customerId", name from customers
        where lower(customer_id) like ${`%${needle}%`} or lower(name) like ${`%${needle}%`}
        order by (lower(customer_id) like ${`${needle}%`}) desc, customer_id
        limit 5`,
  );
  return { exists: false, matches };
}
