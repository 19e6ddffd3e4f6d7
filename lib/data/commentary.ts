import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Queryable } from '@/lib/db';
import { commentary, commentaryRevisions, executives, metrics, type MetricKey } from '@/lib/db/schema';
import { assertCan, type PermissionSubject } from '@/lib/auth/permissions';
import { METRIC_KEYS } from '@/lib/db/schema';
import { periodContaining, periodsEndingWith, type Period } from '@/lib/metrics/period';
import type { CommentarySaveInput } from '@/lib/validation/commentary';
import { writeAudit, type Actor } from './audit';

export interface CommentaryAuthor {
  id: number;
  name: string;
  title: string;
}

/** A metric's commentary for one period, as the pages and snapshots show it. */
export interface CommentaryDto {
  id: number;
  metricKey: MetricKey;
  period: string;
  body: string;
  version: number;
  author: CommentaryAuthor;
  updatedAt: Date;
}

export interface CommentaryRevisionDto {
  version: number;
  body: string;
  author: CommentaryAuthor;
  createdAt: Date;
}

const commentaryColumns = {
  id: commentary.id,
  metricKey: commentary.metricKey,
  period: commentary.period,
  body: commentary.body,
  version: commentary.version,
  updatedAt: commentary.updatedAt,
  authorId: executives.id,
  authorName: executives.name,
  authorTitle: executives.title,
};

type CommentaryRow = {
  id: number;
  metricKey: MetricKey;
  period: string;
  body: string;
  version: number;
  updatedAt: Date;
  authorId: number;
  authorName: string;
  authorTitle: string;
};

function toDto(row: CommentaryRow): CommentaryDto {
  return {
    id: row.id,
    metricKey: row.metricKey,
    period: row.period,
    body: row.body,
    version: row.version,
    author: { id: row.authorId, name: row.authorName, title: row.authorTitle },
    updatedAt: new Date(row.updatedAt),
  };
}

export async function getCommentary(db: Queryable, metricKey: MetricKey, period: string): Promise<CommentaryDto | null> {
  const [row] = await db
    .select(commentaryColumns)
    .from(commentary)
    .innerJoin(executives, eq(executives.id, commentary.authorId))
    .where(and(eq(commentary.metricKey, metricKey), eq(commentary.period, period)));
  return row ? toDto(row) : null;
}

/** Every metric's commentary for a period, keyed by metric (metrics without commentary are absent). */
export async function listCommentaryForPeriod(
  db: Queryable,
  period: string,
): Promise<Partial<Record<MetricKey, CommentaryDto>>> {
  const rows = await db
    .select(commentaryColumns)
    .from(commentary)
    .innerJoin(executives, eq(executives.id, commentary.authorId))
    .where(eq(commentary.period, period));
  const byMetric: Partial<Record<MetricKey, CommentaryDto>> = {};
  for (const row of rows) byMetric[row.metricKey] = toDto(row);
  return byMetric;
}

/**
 * The periods whose commentary a view shows beneath its own: a quarter's months; a year's
 * quarters and months. A month has none.
 */
export function periodsWithin(period: Period): Period[] {
  if (period.granularity === 'month') return [];
  const months = periodsEndingWith(periodContaining(period.end, 'month'), period.granularity === 'quarter' ? 3 : 12);
  if (period.granularity === 'quarter') return months;
  return [...periodsEndingWith(periodContaining(period.end, 'quarter'), 4), ...months];
}

/** A period's own commentary and, beneath it, what was written for the periods within it. */
export interface PeriodCommentary {
  own: CommentaryDto | null;
  /** Newest period first (a quarter before its own last month); the latest saved first within a period. */
  within: CommentaryDto[];
}

/**
 * Every metric's commentary for a period and the periods within it, in one query.
 * Metrics without any have `{ own: null, within: [] }`.
 */
export async function listPeriodCommentary(db: Queryable, period: Period): Promise<Record<MetricKey, PeriodCommentary>> {
  const within = periodsWithin(period);
  const endOf = new Map(within.map((p) => [p.label, p.end]));
  const rank = (label: string) => (label.includes('Q') ? 0 : 1);
  const rows = await db
    .select(commentaryColumns)
    .from(commentary)
    .innerJoin(executives, eq(executives.id, commentary.authorId))
    .where(inArray(commentary.period, [period.label, ...within.map((p) => p.label)]));
  const result = Object.fromEntries(METRIC_KEYS.map((key): [MetricKey, PeriodCommentary] => [key, { own: null, within: [] }])) as Record<MetricKey, PeriodCommentary>;
  for (const row of rows) {
    const dto = toDto(row);
    if (row.period === period.label) result[row.metricKey].own = dto;
    else result[row.metricKey].within.push(dto);
  }
  for (const key of METRIC_KEYS) {
    result[key].within.sort(
      (a, b) =>
        endOf.get(b.period)!.localeCompare(endOf.get(a.period)!) ||
        rank(a.period) - rank(b.period) ||
        b.updatedAt.getTime() - a.updatedAt.getTime(),
    );
  }
  return result;
}

/** Every saved version of a metric's commentary for a period, newest first. */
export async function listCommentaryRevisions(
  db: Queryable,
  metricKey: MetricKey,
  period: string,
): Promise<CommentaryRevisionDto[]> {
  const author = alias(executives, 'revision_author');
  const rows = await db
    .select({
      version: commentaryRevisions.version,
      body: commentaryRevisions.body,
      createdAt: commentaryRevisions.createdAt,
      authorId: author.id,
      authorName: author.name,
      authorTitle: author.title,
    })
    .from(commentaryRevisions)
    .innerJoin(commentary, eq(commentary.id, commentaryRevisions.commentaryId))
    .innerJoin(author, eq(author.id, commentaryRevisions.authorId))
    .where(and(eq(commentary.metricKey, metricKey), eq(commentary.period, period)))
    .orderBy(desc(commentaryRevisions.version), asc(commentaryRevisions.id));
  return rows.map((r) => ({
    version: r.version,
    body: r.body,
    createdAt: new Date(r.createdAt),
    author: { id: r.authorId, name: r.authorName, title: r.authorTitle },
  }));
}

/** The person making a change, as the data layer needs them: for the permission check and the audit entry. */
export interface Writer extends PermissionSubject {
  name: string;
}

export function actorOf(writer: Writer): Actor {
  return { executiveId: writer.id, label: writer.name };
}

export class UnknownMetricError extends Error {
  constructor(key: string) {
    super(`There is no metric ${key}`);
    this.name = 'UnknownMetricError';
  }
}

/** The metric's owner, read inside the writing transaction so the permission check and the write agree. */
export async function metricOwnerId(tx: Queryable, metricKey: MetricKey): Promise<number | null> {
  const [metric] = await tx.select({ ownerId: metrics.ownerId }).from(metrics).where(eq(metrics.key, metricKey));
  if (!metric) throw new UnknownMetricError(metricKey);
  return metric.ownerId;
}

export type SaveCommentaryResult =
  | { status: 'saved' | 'unchanged'; commentary: CommentaryDto }
  /** Someone saved after the editor started from `baseVersion`: nothing was written. */
  | { status: 'conflict'; current: CommentaryDto };

const auditView = (row: { body: string; version: number; authorId: number }) => ({
  body: row.body,
  version: row.version,
  authorId: row.authorId,
});

/**
 * Writes a metric's commentary for a period, as the metric's owner or an admin. The edit names the
 * version it started from; if another save landed since, nothing is written and the newer text comes
 * back so the writer can review it. Every saved version is kept in commentary_revisions, and the
 * change is audited in the same transaction.
 */
export async function saveCommentary(db: Db, writer: Writer, input: CommentarySaveInput): Promise<SaveCommentaryResult> {
  return db.transaction(async (tx) => {
    assertCan(writer, 'write-commentary', { metricOwnerId: await metricOwnerId(tx, input.metricKey) });
    const [current] = await tx
      .select()
      .from(commentary)
      .where(and(eq(commentary.metricKey, input.metricKey), eq(commentary.period, input.period)))
      .for('update');

    if (!current) {
      const [created] = await tx
        .insert(commentary)
        .values({ metricKey: input.metricKey, period: input.period, body: input.body, authorId: writer.id, version: 1 })
        .onConflictDoNothing()
        .returning();
      if (!created) {
        // Another first save won the race for this metric and period.
        return { status: 'conflict', current: (await getCommentary(tx, input.metricKey, input.period))! };
      }
      await tx.insert(commentaryRevisions).values({ commentaryId: created.id, version: 1, body: created.body, authorId: writer.id });
      await writeAudit(tx, actorOf(writer), {
        action: 'create',
        entity: 'commentary',
        entityId: created.id,
        after: { metricKey: input.metricKey, period: input.period, ...auditView(created) },
      });
      return { status: 'saved', commentary: (await getCommentary(tx, input.metricKey, input.period))! };
    }

    if (current.version !== input.baseVersion) {
      return { status: 'conflict', current: (await getCommentary(tx, input.metricKey, input.period))! };
    }
    if (current.body === input.body) {
      return { status: 'unchanged', commentary: (await getCommentary(tx, input.metricKey, input.period))! };
    }

    // Commentary loaded in bulk (the demo seed, older data) may have no revision for its current text yet.
    await tx.execute(sql`
      insert into commentary_revisions (commentary_id, version, body, author_id, created_at)
      select ${current.id}, ${current.version}, ${current.body}, ${current.authorId}, ${current.updatedAt}
      where not exists (
        select 1 from commentary_revisions where commentary_id = ${current.id} and version = ${current.version}
      )`);
    const [updated] = await tx
      .update(commentary)
      .set({ body: input.body, authorId: writer.id, version: current.version + 1, updatedAt: sql`now()` })
      .where(and(eq(commentary.id, current.id), eq(commentary.version, current.version)))
      .returning();
    await tx
      .insert(commentaryRevisions)
      .values({ commentaryId: updated.id, version: updated.version, body: updated.body, authorId: writer.id, createdAt: updated.updatedAt });
    await writeAudit(tx, actorOf(writer), {
      action: 'update',
      entity: 'commentary',
      entityId: current.id,
      before: { metricKey: current.metricKey, period: current.period, ...auditView(current) },
      after: { metricKey: updated.metricKey, period: updated.period, ...auditView(updated) },
    });
    return { status: 'saved', commentary: (await getCommentary(tx, input.metricKey, input.period))! };
  });
}
