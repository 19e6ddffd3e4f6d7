import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { POWER_CORES, type ActionStatus, type MetricKey, type PowerCore, type Role } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import type { Money } from '@/lib/metrics/money';
import type { Period } from '@/lib/metrics/period';
import { readIssuesFingerprint } from './drilldowns';
import { firstDayWithin, yearBackFrom } from './rollups';
import { assertWholeMonths } from './scorecard';
import { cachedView, type DataFingerprint } from '@/lib/data/view-cache';

/**
 * Who answers for what: each executive's metrics and recurring issues, grouped by power core,
 * and one executive's own list. Issue costs are summed in SQL.
 */

export interface OwnedIssue {
  issueKey: string;
  label: string;
  ownerId: number | null;
  fixes: number;
  /** Spent on the issue within the period. */
  cost: Money;
  repeatCost: Money;
  /** Spent in the twelve months up to the end of the period. */
  costLastYear: Money;
  lastSeenOn: string | null;
  fixedOn: string | null;
  estimatedFixCost: Money | null;
}

export interface AccountableExecutive {
  id: number;
  name: string;
  title: string;
  role: Role;
  powerCore: PowerCore;
  metrics: MetricKey[];
  issues: OwnedIssue[];
}

export interface PowerCoreGroup {
  powerCore: PowerCore;
  executives: AccountableExecutive[];
}

export interface AccountabilityMap {
  cores: PowerCoreGroup[];
  /** Recurring issues with spend in the last year that nobody answers for. */
  unownedIssues: OwnedIssue[];
}

/** Every recurring issue with its spend in the period and the year up to it, costliest first. */
export async function listIssuesWithCosts(
  db: Queryable,
  period: Period,
  options: { ownerId?: number } = {},
): Promise<OwnedIssue[]> {
  assertWholeMonths(period);
  const onlyOwner = options.ownerId === undefined ? sql`true` : sql`ri.owner_id = ${options.ownerId}`;
  const start = sql`${period.start}::date`;
  const end = sql`${period.end}::date`;
  const yearBack = yearBackFrom(period);
  const rows = await queryRows<{
    issue_key: string;
    label: string;
    owner_id: number | null;
    fixes: number;
    cost: string;
    repeat_cost: string;
    cost_last_year: string;
    last_seen_on: string | null;
    fixed_on: string | null;
    estimated_fix_cost: string | null;
  }>(
    db,
    // From the monthly rollup per issue, only the months of the period and the year: the period's
    // repeats are its fixes less the first day's, if that is within it; the year is the twelve
    // months ending with the period's last month. The last fix's day is one index probe per issue.
    sql`with spend as (
          select m.issue_key,
                 coalesce(sum(m.fixes) filter (where m.month >= ${start}), 0)::int as fixes,
                 coalesce(sum(m.cost) filter (where m.month >= ${start}), 0) as cost,
                 coalesce(sum(m.cost) filter (where m.month >= ${start}), 0)
                   - ${firstDayWithin('first_day_cost', start, end)} as repeat_cost,
                 coalesce(sum(m.cost) filter (where m.month >= ${yearBack}), 0) as cost_last_year
          from rollup_issue_months m
          join rollup_issue_first_fixes f on f.issue_key = m.issue_key
          where m.month between least(${start}, ${yearBack}) and ${end}
          group by m.issue_key, f.first_on, f.first_day_cost
        )
        select ri.issue_key, ri.label, ri.owner_id,
               coalesce(sp.fixes, 0)::int as fixes,
               coalesce(sp.cost, 0)::numeric(16,2)::text as cost,
               coalesce(sp.repeat_cost, 0)::numeric(16,2)::text as repeat_cost,
               coalesce(sp.cost_last_year, 0)::numeric(16,2)::text as cost_last_year,
               (select max(s.occurred_on) from spot_fixes s where s.issue_key = ri.issue_key and s.occurred_on <= ${end})::text
                 as last_seen_on,
               ri.fixed_on::text as fixed_on,
               ri.estimated_fix_cost::text as estimated_fix_cost
        from recurring_issues ri
        left join spend sp on sp.issue_key = ri.issue_key
        where ${onlyOwner}
        order by coalesce(sp.cost_last_year, 0) desc, ri.issue_key`,
  );
  return rows.map((row) => ({
    issueKey: row.issue_key,
    label: row.label,
    ownerId: row.owner_id,
    fixes: row.fixes,
    cost: row.cost,
    repeatCost: row.repeat_cost,
    costLastYear: row.cost_last_year,
    lastSeenOn: row.last_seen_on,
    fixedOn: row.fixed_on,
    estimatedFixCost: row.estimated_fix_cost,
  }));
}

/**
 * The issue list for a period. Given the fingerprint a page has just read, it is computed once
 * per data version and issue settings and shared by the map and every executive's own list;
 * without one it is computed afresh.
 */
async function issuesFor(db: Queryable, period: Period, fingerprint: DataFingerprint | undefined): Promise<OwnedIssue[]> {
  if (!fingerprint) return listIssuesWithCosts(db, period);
  const issues = await readIssuesFingerprint(db);
  return cachedView(`issues:${period.label}`, `${fingerprint.key}|${issues}`, () => listIssuesWithCosts(db, period));
}

/** The power-core map: every power core, its active executives and admins (not viewers), and what each answers for. */
export async function getAccountabilityMap(db: Queryable, period: Period, fingerprint?: DataFingerprint): Promise<AccountabilityMap> {
  const [people, owned, issues] = await Promise.all([
    queryRows<{ id: number; name: string; title: string; role: Role; power_core: PowerCore }>(
      db,
      sql`select id, name, title, role, power_core from executives where is_active order by name collate "C", id`,
    ),
    queryRows<{ key: MetricKey; owner_id: number | null }>(db, sql`select key, owner_id from metrics order by key`),
    issuesFor(db, period, fingerprint),
  ]);
  const executives = new Map<number, AccountableExecutive>(
    people.map((p) => [
      p.id,
      { id: p.id, name: p.name, title: p.title, role: p.role, powerCore: p.power_core, metrics: [], issues: [] },
    ]),
  );
  for (const metric of owned) {
    if (metric.owner_id !== null) executives.get(metric.owner_id)?.metrics.push(metric.key);
  }
  const unownedIssues: OwnedIssue[] = [];
  for (const issue of issues) {
    const owner = issue.ownerId === null ? undefined : executives.get(issue.ownerId);
    if (owner) owner.issues.push(issue);
    else if (Number(issue.costLastYear) > 0) unownedIssues.push(issue);
  }
  // People who answer for something first, then by name.
  const answerable = (e: AccountableExecutive) => e.metrics.length * 100 + e.issues.length;
  // A viewer only looks: listed under a core only if something is still assigned to them.
  const accountable = [...executives.values()].filter((e) => e.role !== 'viewer' || answerable(e) > 0);
  const cores = POWER_CORES.map((powerCore) => ({
    powerCore,
    executives: accountable
      .filter((e) => e.powerCore === powerCore)
      .sort((a, b) => answerable(b) - answerable(a) || a.name.localeCompare(b.name)),
  }));
  return { cores, unownedIssues };
}

export interface AssignedAction {
  id: number;
  metricKey: MetricKey;
  period: string;
  title: string;
  dueOn: string | null;
  status: ActionStatus;
}

export interface MyAccountability {
  metrics: MetricKey[];
  issues: OwnedIssue[];
  actions: AssignedAction[];
}

/** What one executive answers for: their metrics, their recurring issues, and the actions on them not yet done. */
export async function getMyAccountability(
  db: Queryable,
  executiveId: number,
  period: Period,
  fingerprint?: DataFingerprint,
): Promise<MyAccountability> {
  const [metricRows, issues, actions] = await Promise.all([
    queryRows<{ key: MetricKey }>(db, sql`select key from metrics where owner_id = ${executiveId} order by key`),
    fingerprint
      ? issuesFor(db, period, fingerprint).then((all) => all.filter((issue) => issue.ownerId === executiveId))
      : listIssuesWithCosts(db, period, { ownerId: executiveId }),
    queryRows<{ id: number; metric_key: MetricKey; period: string; title: string; due_on: string | null; status: ActionStatus }>(
      db,
      sql`select id, metric_key, period, title, due_on::text as due_on, status
          from metric_actions
          where owner_id = ${executiveId} and status <> 'done'
          order by due_on asc nulls last, id`,
    ),
  ]);
  return {
    metrics: metricRows.map((m) => m.key),
    issues,
    actions: actions.map((a) => ({
      id: a.id,
      metricKey: a.metric_key,
      period: a.period,
      title: a.title,
      dueOn: a.due_on,
      status: a.status,
    })),
  };
}
