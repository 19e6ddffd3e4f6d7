import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import {
  executives,
  METRIC_KEYS,
  metricActions,
  metricActionStatusChanges,
  recurringIssues,
  type ActionStatus,
  type MetricKey,
} from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { assertCan } from '@/lib/auth/permissions';
import { periodContaining, todayIso, type Period } from '@/lib/metrics/period';
import type { ActionCreateInput, ActionStatusInput } from '@/lib/validation/commentary';
import { writeAudit } from './audit';
import { yearBackFrom } from './rollups';
import { actorOf, metricOwnerId, type Writer } from './commentary';

/**
 * Actions: what an owner committed to do about a metric. An action is open from the day it was
 * opened until the day it was done, and every period overlapping those days shows it.
 */
export interface MetricActionDto {
  id: number;
  metricKey: MetricKey;
  title: string;
  owner: { id: number; name: string };
  /** `YYYY-MM-DD` or null. */
  dueOn: string | null;
  status: ActionStatus;
  openedOn: string;
  /** The day it was marked done; null while not done. */
  doneOn: string | null;
  issue: { key: string; label: string } | null;
}

/** An action as one period's view shows it, judged on the period's last day (or today, while it runs). */
export interface PeriodActionDto extends MetricActionDto {
  /** Still open (not yet done) on that day. */
  isOpen: boolean;
  /** Open on that day with its due date already past. */
  isOverdue: boolean;
}

export interface ActionCounts {
  open: number;
  overdue: number;
}

/** The day a period's actions are judged on: its last day, or today while it has not ended. */
export function actionReferenceDay(period: Pick<Period, 'end'>, today: string): string {
  return period.end < today ? period.end : today;
}

type ActionRow = {
  id: number;
  metricKey: MetricKey;
  title: string;
  dueOn: string | null;
  status: ActionStatus;
  openedOn: string;
  doneOn: string | null;
  issueKey: string | null;
  issueLabel: string | null;
  ownerId: number;
  ownerName: string;
};

const actionColumns = {
  id: metricActions.id,
  metricKey: metricActions.metricKey,
  title: metricActions.title,
  dueOn: metricActions.dueOn,
  status: metricActions.status,
  openedOn: metricActions.openedOn,
  doneOn: metricActions.doneOn,
  issueKey: recurringIssues.issueKey,
  issueLabel: recurringIssues.label,
  ownerId: executives.id,
  ownerName: executives.name,
};

function toDto(row: ActionRow): MetricActionDto {
  return {
    id: row.id,
    metricKey: row.metricKey,
    title: row.title,
    owner: { id: row.ownerId, name: row.ownerName },
    dueOn: row.dueOn,
    status: row.status,
    openedOn: row.openedOn,
    doneOn: row.doneOn,
    issue: row.issueKey ? { key: row.issueKey, label: row.issueLabel ?? row.issueKey } : null,
  };
}

/** Open on `day` (opened by then, not done by then) with a due date before it. */
export function judgeAction(action: Pick<MetricActionDto, 'openedOn' | 'doneOn' | 'dueOn'>, day: string) {
  const isOpen = action.openedOn <= day && (action.doneOn === null || action.doneOn > day);
  return { isOpen, isOverdue: isOpen && action.dueOn !== null && action.dueOn < day };
}

/** The overlap of an action's open days with the period, as SQL. */
const overlaps = (period: Pick<Period, 'start' | 'end'>) =>
  sql`${metricActions.openedOn} <= ${period.end}::date and (${metricActions.doneOn} is null or ${metricActions.doneOn} >= ${period.start}::date)`;

/**
 * Every action on the metric that was open at some time in the period: not yet done first, the
 * earliest due first; then those done, latest done first.
 */
export async function listActions(db: Queryable, metricKey: MetricKey, period: Period, today: string = todayIso()): Promise<PeriodActionDto[]> {
  const rows = await db
    .select(actionColumns)
    .from(metricActions)
    .innerJoin(executives, eq(executives.id, metricActions.ownerId))
    .leftJoin(recurringIssues, eq(recurringIssues.issueKey, metricActions.issueKey))
    .where(and(eq(metricActions.metricKey, metricKey), overlaps(period)))
    .orderBy(
      sql`case ${metricActions.status} when 'open' then 0 when 'in_progress' then 1 else 2 end`,
      sql`${metricActions.dueOn} asc nulls last`,
      sql`${metricActions.doneOn} desc nulls last`,
      asc(metricActions.id),
    );
  const day = actionReferenceDay(period, today);
  return rows.map((row) => {
    const dto = toDto(row);
    return { ...dto, ...judgeAction(dto, day) };
  });
}

/** Per metric: actions still open on the period's reference day, and how many of those are overdue. One grouped query. */
export async function countActionsByMetric(
  db: Queryable,
  period: Period,
  today: string = todayIso(),
): Promise<Record<MetricKey, ActionCounts>> {
  const day = actionReferenceDay(period, today);
  const rows = await queryRows<{ metric_key: MetricKey; open: number; overdue: number }>(
    db,
    sql`select metric_key,
               count(*)::int as open,
               count(*) filter (where due_on < ${day}::date)::int as overdue
        from metric_actions
        where opened_on <= ${day}::date and (done_on is null or done_on > ${day}::date)
        group by metric_key`,
  );
  const counts = Object.fromEntries(METRIC_KEYS.map((key) => [key, { open: 0, overdue: 0 }])) as Record<MetricKey, ActionCounts>;
  for (const row of rows) counts[row.metric_key] = { open: row.open, overdue: row.overdue };
  return counts;
}

export async function getAction(db: Queryable, id: number): Promise<MetricActionDto | null> {
  const [row] = await db
    .select(actionColumns)
    .from(metricActions)
    .innerJoin(executives, eq(executives.id, metricActions.ownerId))
    .leftJoin(recurringIssues, eq(recurringIssues.issueKey, metricActions.issueKey))
    .where(eq(metricActions.id, id));
  return row ? toDto(row) : null;
}

export interface ActionStatusChangeDto {
  from: ActionStatus | null;
  to: ActionStatus;
  changedOn: string;
  changedBy: string | null;
}

/** An action's statuses, oldest first. */
export async function listActionStatusChanges(db: Queryable, actionId: number): Promise<ActionStatusChangeDto[]> {
  const rows = await db
    .select({
      from: metricActionStatusChanges.fromStatus,
      to: metricActionStatusChanges.toStatus,
      changedOn: metricActionStatusChanges.changedOn,
      changedBy: executives.name,
    })
    .from(metricActionStatusChanges)
    .leftJoin(executives, eq(executives.id, metricActionStatusChanges.changedById))
    .where(eq(metricActionStatusChanges.actionId, actionId))
    .orderBy(asc(metricActionStatusChanges.id));
  return rows;
}

/** People an action can be given to: active admins and executives (viewers only look). */
export async function listActionOwnerOptions(db: Queryable): Promise<{ id: number; name: string; title: string }[]> {
  return db
    .select({ id: executives.id, name: executives.name, title: executives.title })
    .from(executives)
    .where(and(eq(executives.isActive, true), inArray(executives.role, ['admin', 'executive'])))
    .orderBy(asc(executives.name));
}

/**
 * Recurring issues an action can be tied to: those that cost the most in the last 12 months
 * (the twelve whole months ending with this one, from the monthly rollup) first; a bounded list.
 */
export async function listActionIssueOptions(db: Queryable, today: string = todayIso(), limit = 100): Promise<{ key: string; label: string }[]> {
  const thisMonth = periodContaining(today, 'month');
  return queryRows<{ key: string; label: string }>(
    db,
    sql`select ri.issue_key as key, ri.label
        from recurring_issues ri
        left join (
          select issue_key, sum(cost) as cost from rollup_issue_months
          where month between ${yearBackFrom(thisMonth)} and ${thisMonth.start}::date
          group by issue_key
        ) spend on spend.issue_key = ri.issue_key
        order by coalesce(spend.cost, 0) desc, ri.label
        limit ${limit}`,
  );
}

/** A field of the input that cannot be used, with a message for the person who filled the form in. */
export class ActionInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ActionInputError';
  }
}

export class ActionNotFoundError extends Error {
  constructor(id: number) {
    super(`There is no action ${id}`);
    this.name = 'ActionNotFoundError';
  }
}

const auditView = (row: typeof metricActions.$inferSelect) => ({
  metricKey: row.metricKey,
  title: row.title,
  ownerId: row.ownerId,
  dueOn: row.dueOn,
  status: row.status,
  openedOn: row.openedOn,
  doneOn: row.doneOn,
  issueKey: row.issueKey,
});

/**
 * Adds an action to a metric, as the metric's owner or an admin; open from `openedOn` (today unless
 * given, never later than today). Audited, with its first status kept, in the same transaction.
 */
export async function createAction(db: Db, writer: Writer, input: ActionCreateInput, today: string = todayIso()): Promise<MetricActionDto> {
  const openedOn = input.openedOn ?? today;
  if (openedOn > today) throw new ActionInputError('openedOn', 'An action cannot be opened after today');
  return db.transaction(async (tx) => {
    assertCan(writer, 'write-commentary', { metricOwnerId: await metricOwnerId(tx, input.metricKey) });
    const [owner] = await tx
      .select({ id: executives.id })
      .from(executives)
      .where(and(eq(executives.id, input.ownerId), eq(executives.isActive, true), inArray(executives.role, ['admin', 'executive'])));
    if (!owner) throw new ActionInputError('ownerId', 'Choose an owner who is an active executive');
    if (input.issueKey) {
      const [issue] = await tx.select({ key: recurringIssues.issueKey }).from(recurringIssues).where(eq(recurringIssues.issueKey, input.issueKey));
      if (!issue) throw new ActionInputError('issueKey', 'Choose a recurring issue from the list');
    }
    const [created] = await tx
      .insert(metricActions)
      .values({
        metricKey: input.metricKey,
        period: periodContaining(openedOn, 'month').label,
        title: input.title,
        ownerId: input.ownerId,
        dueOn: input.dueOn,
        status: input.status,
        openedOn,
        doneOn: input.status === 'done' ? today : null,
        issueKey: input.issueKey,
        createdById: writer.id,
      })
      .returning();
    await tx
      .insert(metricActionStatusChanges)
      .values({ actionId: created.id, fromStatus: null, toStatus: created.status, changedOn: today, changedById: writer.id });
    await writeAudit(tx, actorOf(writer), { action: 'create', entity: 'metric_action', entityId: created.id, after: auditView(created) });
    return (await getAction(tx, created.id))!;
  });
}

/**
 * Moves an action to open / in progress / done, as the metric's owner or an admin. Done records
 * the day; reopening clears it. Audited, and the change kept, in the same transaction.
 */
export async function updateActionStatus(
  db: Db,
  writer: Writer,
  input: ActionStatusInput,
  today: string = todayIso(),
): Promise<MetricActionDto> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(metricActions).where(eq(metricActions.id, input.id)).for('update');
    if (!current) throw new ActionNotFoundError(input.id);
    assertCan(writer, 'write-commentary', { metricOwnerId: await metricOwnerId(tx, current.metricKey) });
    if (current.status !== input.status) {
      const doneOn = input.status === 'done' ? (today < current.openedOn ? current.openedOn : today) : null;
      const [updated] = await tx
        .update(metricActions)
        .set({ status: input.status, doneOn, updatedAt: sql`now()` })
        .where(eq(metricActions.id, current.id))
        .returning();
      await tx
        .insert(metricActionStatusChanges)
        .values({ actionId: current.id, fromStatus: current.status, toStatus: input.status, changedOn: today, changedById: writer.id });
      await writeAudit(tx, actorOf(writer), {
        action: 'update',
        entity: 'metric_action',
        entityId: current.id,
        before: auditView(current),
        after: auditView(updated),
      });
    }
    return (await getAction(tx, current.id))!;
  });
}
