import { and, asc, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { auditLog, executives } from '@/lib/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import type { AuditFilterInput } from '@/lib/validation/admin';
import { isCalendarDate } from '@/lib/validation/records';
import type { Me } from './people';

/**
 * Browsing the audit log (admins only): newest first, filtered, in keyset pages so page 500 costs
 * what page 1 does. The cursor is the last row's (at, id), with `at` to the microsecond.
 */
export interface AuditEntryView {
  id: number;
  at: Date;
  actorId: number | null;
  actorLabel: string;
  /** The actor's current name, when the actor is a person (labels are kept as written at the time). */
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const AUDIT_PAGE_SIZE = 50;

const CURSOR_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_(\d{1,18})$/;

export class InvalidCursorError extends Error {
  constructor() {
    super('That page of the audit log does not exist. Start again from the newest entries.');
    this.name = 'InvalidCursorError';
  }
}

export async function listAuditEntries(
  db: Queryable,
  me: Me,
  filter: Partial<AuditFilterInput>,
  pageSize = AUDIT_PAGE_SIZE,
): Promise<AuditPage> {
  assertCan(me, 'administer');
  const conditions: SQL[] = [];
  if (filter.actor === 'system') conditions.push(isNull(auditLog.actorId));
  else if (filter.actor) conditions.push(eq(auditLog.actorId, Number(filter.actor)));
  if (filter.entity) conditions.push(eq(auditLog.entity, filter.entity));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  // Dates are whole days in UTC, both ends included.
  if (filter.from) conditions.push(sql`${auditLog.at} >= (${filter.from}::date)::timestamp at time zone 'UTC'`);
  if (filter.to) conditions.push(sql`${auditLog.at} < (${filter.to}::date + 1)::timestamp at time zone 'UTC'`);
  if (filter.cursor) {
    const match = CURSOR_PATTERN.exec(filter.cursor);
    // A hand-edited cursor may name a day or time that does not exist: the database must not see it.
    if (!match || !isCalendarDate(match[1].slice(0, 10)) || !/T([01]\d|2[0-3]):[0-5]\d:[0-5]\d/.test(match[1])) throw new InvalidCursorError();
    conditions.push(sql`(${auditLog.at}, ${auditLog.id}) < (${match[1]}::timestamptz, ${match[2]}::bigint)`);
  }
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      cursorAt: sql<string>`to_char(${auditLog.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      actorId: auditLog.actorId,
      actorLabel: auditLog.actorLabel,
      actorName: executives.name,
      action: auditLog.action,
      entity: auditLog.entity,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .leftJoin(executives, eq(executives.id, auditLog.actorId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(pageSize + 1);
  const hasMore = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return {
    entries: page.map(({ cursorAt: _cursor, ...entry }) => ({ ...entry, id: Number(entry.id) })),
    nextCursor: hasMore && last ? `${last.cursorAt}_${last.id}` : null,
  };
}

export interface AuditFacets {
  actors: { value: string; label: string }[];
  entities: string[];
  actions: string[];
}

/** The choices the filters offer: everyone and everything that appears in the log. */
export async function listAuditFacets(db: Queryable, me: Me): Promise<AuditFacets> {
  assertCan(me, 'administer');
  const [people, system, entities, actions] = await Promise.all([
    db
      .selectDistinct({ id: executives.id, name: executives.name, email: executives.email })
      .from(auditLog)
      .innerJoin(executives, eq(executives.id, auditLog.actorId))
      .where(isNotNull(auditLog.actorId))
      .orderBy(asc(executives.name), asc(executives.id), asc(executives.email)),
    db.select({ id: auditLog.id }).from(auditLog).where(isNull(auditLog.actorId)).limit(1),
    db.selectDistinct({ entity: auditLog.entity }).from(auditLog).orderBy(asc(auditLog.entity)),
    db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action)),
  ]);
  return {
    actors: [
      ...people.map((p) => ({ value: String(p.id), label: `${p.name} (${p.email})` })),
      ...(system.length ? [{ value: 'system', label: 'Not a person: the CLI, the system, API tokens' }] : []),
    ],
    entities: entities.map((e) => e.entity),
    actions: actions.map((a) => a.action),
  };
}

export type AuditDiffKind = 'added' | 'removed' | 'changed' | 'same';

export interface AuditDiffLine {
  path: string;
  kind: AuditDiffKind;
  before?: unknown;
  after?: unknown;
}

const MAX_DIFF_LINES = 200;

function flatten(value: unknown, prefix: string, into: Map<string, unknown>): void {
  const isPlainObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (isPlainObject && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (Array.isArray(value) && value.length > 0 && value.some((v) => v !== null && typeof v === 'object')) {
    value.forEach((inner, index) => flatten(inner, `${prefix}[${index}]`, into));
  } else {
    into.set(prefix || '(value)', value);
  }
}

/**
 * Before and after side by side, field by field (nested objects as dotted paths), so an admin
 * sees what changed without reading two JSON blobs. Unchanged fields are kept, marked `same`.
 */
export function diffAuditValues(before: unknown, after: unknown): { lines: AuditDiffLine[]; truncated: number } {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  if (before !== null && before !== undefined) flatten(before, '', a);
  if (after !== null && after !== undefined) flatten(after, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  const lines: AuditDiffLine[] = paths.map((path) => {
    if (!a.has(path)) return { path, kind: 'added', after: b.get(path) };
    if (!b.has(path)) return { path, kind: 'removed', before: a.get(path) };
    const same = JSON.stringify(a.get(path)) === JSON.stringify(b.get(path));
    return { path, kind: same ? 'same' : 'changed', before: a.get(path), after: b.get(path) };
  });
  return { lines: lines.slice(0, MAX_DIFF_LINES), truncated: Math.max(0, lines.length - MAX_DIFF_LINES) };
}
