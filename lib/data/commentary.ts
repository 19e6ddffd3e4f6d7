import { and, asc, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Queryable } from '@/lib/db';
import { commentary, commentaryRevisions, executives, type MetricKey } from '@/lib/db/schema';

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
