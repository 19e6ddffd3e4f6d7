import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { executives, metricActions, type ActionStatus, type MetricKey } from '@/lib/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import type { ActionCreateInput, ActionStatusInput } from '@/lib/validation/commentary';
import { writeAudit } from './audit';
import { actorOf, metricOwnerId, type Writer } from './commentary';

/** An action an owner committed to for a metric in a period. */
export interface MetricActionDto {
  id: number;
  metricKey: MetricKey;
  period: string;
  title: string;
  owner: { id: number; name: string };
  /** `YYYY-MM-DD` or null. */
  dueOn: string | null;
  status: ActionStatus;
}

const actionColumns = {
  id: metricActions.id,
  metricKey: metricActions.metricKey,
  period: metricActions.period,
  title: metricActions.title,
  dueOn: metricActions.dueOn,
  status: metricActions.status,
  ownerId: executives.id,
  ownerName: executives.name,
};

function toDto(row: {
  id: number;
  metricKey: MetricKey;
  period: string;
  title: string;
  dueOn: string | null;
  status: ActionStatus;
  ownerId: number;
  ownerName: string;
}): MetricActionDto {
  return {
    id: row.id,
    metricKey: row.metricKey,
    period: row.period,
    title: row.title,
    owner: { id: row.ownerId, name: row.ownerName },
    dueOn: row.dueOn,
    status: row.status,
  };
}

/** Open work first, then in progress, then done; within each, the earliest due date first. */
export async function listActions(db: Queryable, metricKey: MetricKey, period: string): Promise<MetricActionDto[]> {
  const rows = await db
    .select(actionColumns)
    .from(metricActions)
    .innerJoin(executives, eq(executives.id, metricActions.ownerId))
    .where(and(eq(metricActions.metricKey, metricKey), eq(metricActions.period, period)))
    .orderBy(
      sql`case ${metricActions.status} when 'open' then 0 when 'in_progress' then 1 else 2 end`,
      sql`${metricActions.dueOn} asc nulls last`,
      asc(metricActions.id),
    );
  return rows.map(toDto);
}

export async function getAction(db: Queryable, id: number): Promise<MetricActionDto | null> {
  const [row] = await db
    .select(actionColumns)
    .from(metricActions)
    .innerJoin(executives, eq(executives.id, metricActions.ownerId))
    .where(eq(metricActions.id, id));
  return row ? toDto(row) : null;
}

/** People an action can be given to: active admins and executives (viewers only look). */
export async function listActionOwnerOptions(db: Queryable): Promise<{ id: number; name: string; title: string }[]> {
  return db
    .select({ id: executives.id, name: executives.name, title: executives.title })
    .from(executives)
    .where(and(eq(executives.isActive, true), inArray(executives.role, ['admin', 'executive'])))
    .orderBy(asc(executives.name));
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
  period: row.period,
  title: row.title,
  ownerId: row.ownerId,
  dueOn: row.dueOn,
  status: row.status,
});

/** Adds an action to a metric for a period, as the metric's owner or an admin; audited in the same transaction. */
export async function createAction(db: Db, writer: Writer, input: ActionCreateInput): Promise<MetricActionDto> {
  return db.transaction(async (tx) => {
    assertCan(writer, 'write-commentary', { metricOwnerId: await metricOwnerId(tx, input.metricKey) });
    const [owner] = await tx
      .select({ id: executives.id })
      .from(executives)
      .where(and(eq(executives.id, input.ownerId), eq(executives.isActive, true), inArray(executives.role, ['admin', 'executive'])));
    if (!owner) throw new ActionInputError('ownerId', 'Choose an owner who is an active executive');
    const [created] = await tx
      .insert(metricActions)
      .values({
        metricKey: input.metricKey,
        period: input.period,
        title: input.title,
        ownerId: input.ownerId,
        dueOn: input.dueOn,
        status: input.status,
        createdById: writer.id,
      })
      .returning();
    await writeAudit(tx, actorOf(writer), { action: 'create', entity: 'metric_action', entityId: created.id, after: auditView(created) });
    return (await getAction(tx, created.id))!;
  });
}

/** Moves an action to open / in progress / done, as the metric's owner or an admin; audited in the same transaction. */
export async function updateActionStatus(db: Db, writer: Writer, input: ActionStatusInput): Promise<MetricActionDto> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(metricActions).where(eq(metricActions.id, input.id)).for('update');
    if (!current) throw new ActionNotFoundError(input.id);
    assertCan(writer, 'write-commentary', { metricOwnerId: await metricOwnerId(tx, current.metricKey) });
    if (current.status !== input.status) {
      const [updated] = await tx
        .update(metricActions)
        .set({ status: input.status, updatedAt: sql`now()` })
        .where(eq(metricActions.id, current.id))
        .returning();
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
