import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { executives, recurringIssues } from '@/lib/db/schema';
import { assertCan, type PermissionSubject } from '@/lib/auth/permissions';
import { parsePeriod, periodContaining, shiftPeriod } from '@/lib/metrics/period';
import { defaultIssueSortDir, type IssueListQuery, type IssueSort, type RecurringIssueUpdateInput } from '@/lib/validation/issues';
import { writeAudit } from './audit';
import { bumpDataVersion } from './records';
import { firstDayWithin } from './rollups';

/**
 * Recurring issues: the problems spot fixes keep paying for. A spot fix is a repeat when another
 * for the same issue happened strictly earlier (SPEC), so an issue's repeat cost is the cost of
 * every spot fix after its first day. One that happens after the issue was marked fixed "came back".
 */
export interface RecurringIssueDto {
  issueKey: string;
  label: string;
  count: number;
  totalCost: string;
  repeatCost: string;
  repeats: number;
  firstSeen: string | null;
  lastSeen: string | null;
  ownerId: number | null;
  ownerName: string | null;
  ownerTitle: string | null;
  estimatedFixCost: string | null;
  fixedOn: string | null;
  /** Spot fixes dated after fixedOn. */
  cameBack: number;
  lastCameBack: string | null;
}

/**
 * Every issue with its figures over the spot fixes in `range` (all of them without one). A spot fix
 * in the range is a repeat when the issue had one on an earlier day at all, so a period's repeats
 * include the first repeat after an issue first seen before the period.
 * Counts and sums come from the monthly rollup per issue (ranges are whole months): the repeats
 * are the range's fixes less the issue's first-day fixes if that day is within it. The first and
 * last day seen, and the fixes after an issue was marked fixed, are index probes per issue.
 */
function issueFigures(range: { start: string; end: string } | null): SQL {
  const start = range ? sql`${range.start}::date` : sql`'-infinity'::date`;
  const end = range ? sql`${range.end}::date` : sql`'infinity'::date`;
  return sql`with figures as (
      select ri.issue_key, ri.label,
        coalesce(m.fixes, 0)::int as count,
        coalesce(m.cost, 0)::numeric(14, 2) as total_cost,
        (coalesce(m.cost, 0) - ${firstDayWithin('first_day_cost', start, end)})::numeric(14, 2) as repeat_cost,
        (coalesce(m.fixes, 0) - ${firstDayWithin('first_day_fixes', start, end)})::int as repeats,
        (select min(sf.occurred_on) from spot_fixes sf where sf.issue_key = ri.issue_key and sf.occurred_on between ${start} and ${end})
          as first_seen,
        (select max(sf.occurred_on) from spot_fixes sf where sf.issue_key = ri.issue_key and sf.occurred_on between ${start} and ${end})
          as last_seen,
        ri.owner_id, e.name as owner_name, e.title as owner_title,
        ri.estimated_fix_cost, ri.fixed_on,
        coalesce(back.came_back, 0)::int as came_back,
        back.last_came_back
      from recurring_issues ri
      left join lateral (
        select sum(fixes) as fixes, sum(cost) as cost from rollup_issue_months
        where issue_key = ri.issue_key and month between ${start} and ${end}
      ) m on true
      left join rollup_issue_first_fixes f on f.issue_key = ri.issue_key
      left join lateral (
        select count(*) as came_back, max(sf.occurred_on) as last_came_back from spot_fixes sf
        where sf.issue_key = ri.issue_key and sf.occurred_on > ri.fixed_on and sf.occurred_on between ${start} and ${end}
      ) back on ri.fixed_on is not null
      left join executives e on e.id = ri.owner_id
    )`;
}

const DTO_COLUMNS = sql`issue_key as "issueKey", label, count,
  total_cost::text as "totalCost", repeat_cost::text as "repeatCost", repeats,
  to_char(first_seen, 'YYYY-MM-DD') as "firstSeen", to_char(last_seen, 'YYYY-MM-DD') as "lastSeen",
  owner_id as "ownerId", owner_name as "ownerName", owner_title as "ownerTitle",
  estimated_fix_cost::text as "estimatedFixCost", to_char(fixed_on, 'YYYY-MM-DD') as "fixedOn",
  came_back as "cameBack", to_char(last_came_back, 'YYYY-MM-DD') as "lastCameBack"`;

/** Every issue, largest repeat cost first (the accountability map and tests). */
export async function listRecurringIssues(db: Queryable): Promise<RecurringIssueDto[]> {
  return queryRows<RecurringIssueDto>(
    db,
    sql`${issueFigures(null)} select ${DTO_COLUMNS} from figures order by repeat_cost desc, total_cost desc, label`,
  );
}

export const ISSUE_PAGE_SIZE = 25;

export interface RecurringIssuePage {
  issues: RecurringIssueDto[];
  /** Issues matching the filters, across all pages. */
  matching: number;
  page: number;
  pages: number;
  totals: { repeatCost: string; open: number; cameBack: number; oneOffs: number };
}

const SORT_COLUMNS: Record<IssueSort, SQL> = {
  'repeat-cost': sql`repeat_cost`,
  'total-cost': sql`total_cost`,
  repeats: sql`repeats`,
  'last-seen': sql`last_seen`,
  issue: sql`lower(label)`,
  owner: sql`lower(owner_name)`,
};

/**
 * One page of issues as the recurring-issues page asks for it: filtered, sorted and paged in SQL,
 * with the totals of everything the filters match. Issues without a spot fix in the chosen period
 * are left out. Ties break on repeat cost, then the label, so paging is stable.
 */
export async function listRecurringIssuePage(db: Queryable, query: IssueListQuery, pageSize = ISSUE_PAGE_SIZE): Promise<RecurringIssuePage> {
  const range = query.period ? parsePeriod(query.period) : null;
  const conditions: SQL[] = [];
  if (range) conditions.push(sql`count > 0`);
  if (query.state === 'open') conditions.push(sql`fixed_on is null`);
  if (query.state === 'fixed') conditions.push(sql`fixed_on is not null and came_back = 0`);
  if (query.state === 'came-back') conditions.push(sql`came_back > 0`);
  if (query.kind === 'recurring') conditions.push(sql`repeats > 0`);
  if (query.kind === 'one-off') conditions.push(sql`repeats = 0`);
  if (query.owner === 'none') conditions.push(sql`owner_id is null`);
  else if (query.owner !== undefined) conditions.push(sql`owner_id = ${query.owner}`);
  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const dir = (query.dir ?? defaultIssueSortDir(query.sort)) === 'asc' ? sql`asc` : sql`desc`;
  const [totals] = await queryRows<{ matching: number; repeatCost: string; open: number; cameBack: number; oneOffs: number }>(
    db,
    sql`${issueFigures(range)}
      select count(*)::int as matching, coalesce(sum(repeat_cost), 0)::numeric(14, 2)::text as "repeatCost",
        (count(*) filter (where fixed_on is null))::int as open,
        (count(*) filter (where came_back > 0))::int as "cameBack",
        (count(*) filter (where repeats = 0))::int as "oneOffs"
      from figures ${where}`,
  );
  const pages = Math.max(1, Math.ceil(totals.matching / pageSize));
  const page = Math.min(query.page, pages);
  const issues = await queryRows<RecurringIssueDto>(
    db,
    sql`${issueFigures(range)} select ${DTO_COLUMNS} from figures ${where}
      order by ${SORT_COLUMNS[query.sort]} ${dir} nulls last, repeat_cost desc, label, issue_key
      limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const { matching, ...sums } = totals;
  return { issues, matching, page, pages, totals: sums };
}

/** The periods worth offering as a filter: each year and quarter from the first spot fix to the last, latest first. */
export async function listIssuePeriods(db: Queryable): Promise<string[]> {
  const [span] = await queryRows<{ first: string | null; last: string | null }>(
    db,
    sql`select to_char(min(occurred_on), 'YYYY-MM-DD') as first, to_char(max(occurred_on), 'YYYY-MM-DD') as last from spot_fixes`,
  );
  if (!span?.first || !span.last) return [];
  const labels: string[] = [];
  const first = periodContaining(span.first, 'quarter');
  for (let quarter = periodContaining(span.last, 'quarter'); quarter.start >= first.start; quarter = shiftPeriod(quarter, -1)) {
    if (quarter.label.endsWith('Q4') || labels.length === 0) labels.push(quarter.label.slice(0, 4));
    labels.push(quarter.label);
  }
  return labels;
}

export class RecurringIssueError extends Error {
  constructor(
    message: string,
    readonly field: 'issueKey' | 'ownerId' | 'estimatedFixCost' | 'fixedOn',
  ) {
    super(message);
    this.name = 'RecurringIssueError';
  }
}

/** Sets an issue's accountable executive, estimated one-time fix cost and fix date (admins), audited. */
export async function updateRecurringIssue(
  db: Db,
  me: PermissionSubject & { name: string },
  input: RecurringIssueUpdateInput,
  today: string,
): Promise<void> {
  assertCan(me, 'administer');
  if (input.fixedOn && input.fixedOn > today) throw new RecurringIssueError('The fix date must not be in the future', 'fixedOn');
  await db.transaction(async (tx) => {
    const [issue] = await tx.select().from(recurringIssues).where(eq(recurringIssues.issueKey, input.issueKey)).for('update');
    if (!issue) throw new RecurringIssueError('There is no such issue', 'issueKey');
    if (input.ownerId !== null) {
      const [owner] = await tx.select().from(executives).where(eq(executives.id, input.ownerId));
      if (!owner || !owner.isActive || owner.role === 'viewer') {
        throw new RecurringIssueError('Choose an active admin or executive', 'ownerId');
      }
    }
    const before = { ownerId: issue.ownerId, estimatedFixCost: issue.estimatedFixCost, fixedOn: issue.fixedOn };
    const after = { ownerId: input.ownerId, estimatedFixCost: input.estimatedFixCost, fixedOn: input.fixedOn };
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    await tx
      .update(recurringIssues)
      .set({ ...after, updatedAt: sql`now()` })
      .where(eq(recurringIssues.issueKey, input.issueKey));
    // A fix date changes which spot fixes "came back": cached figures must be recomputed.
    await bumpDataVersion(tx);
    await writeAudit(tx, { executiveId: me.id, label: me.name }, { action: 'update', entity: 'recurring_issue', entityId: input.issueKey, before, after });
  });
}

/** Active admins and executives who can be accountable for an issue. */
export async function listIssueOwnerChoices(db: Queryable): Promise<Array<{ id: number; name: string; title: string }>> {
  return queryRows(
    db,
    sql`select id, name, title from executives where is_active and role <> 'viewer' order by name`,
  );
}
