import { and, asc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { executives, metricActions, type ActionStatus, type MetricKey } from '@/lib/db/schema';

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
