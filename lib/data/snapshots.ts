import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Queryable } from '@/lib/db';
import { executives, snapshots, snapshotViews, type Snapshot } from '@/lib/db/schema';
import { HashingBusyError, hashPassword, verifyPassword } from '@/lib/auth/password';
import { recordFailure, secondsUntilAllowed, snapshotPasscodeThrottle } from '@/lib/auth/sign-in-limits';
import { assertCan, type PermissionSubject } from '@/lib/auth/permissions';
import { parsePeriod, type Granularity } from '@/lib/metrics/period';
import { contentHash } from '@/lib/snapshots/content-hash';
import {
  buildSnapshotPayload,
  missingCommentaryWarnings,
  type MissingCommentaryWarning,
  type SnapshotPayload,
} from '@/lib/snapshots/payload';
import { generateSnapshotToken, hashSnapshotToken, isWellFormedSnapshotToken } from '@/lib/snapshots/token';
import type { SnapshotCreateInput } from '@/lib/validation/snapshots';
import { writeAudit } from './audit';
import { listCommentaryForPeriod } from './commentary';
import { getScorecard } from './scorecard';
import type { ExecutiveDto } from './executives';

export type SnapshotState = 'active' | 'expired' | 'revoked';

type Me = PermissionSubject & Pick<ExecutiveDto, 'name' | 'title'>;

export class SnapshotNotFoundError extends Error {
  constructor() {
    super('That snapshot does not exist.');
    this.name = 'SnapshotNotFoundError';
  }
}

export class SnapshotClosedError extends Error {
  constructor(state: SnapshotState) {
    super(`This snapshot has ${state === 'revoked' ? 'been revoked' : 'expired'}: make a new snapshot instead.`);
    this.name = 'SnapshotClosedError';
  }
}

export function snapshotState(row: Pick<Snapshot, 'revokedAt' | 'expiresAt'>, now: Date = new Date()): SnapshotState {
  if (row.revokedAt) return 'revoked';
  return new Date(row.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active';
}

const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Management (signed in)

export interface SnapshotListItem {
  id: number;
  title: string;
  period: string;
  createdBy: { id: number; name: string };
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: { id: number; name: string } | null;
  viewCount: number;
  lastViewedAt: Date | null;
  hasPasscode: boolean;
  contentHash: string;
  state: SnapshotState;
}

export interface SnapshotDetail extends SnapshotListItem {
  note: string | null;
  payload: SnapshotPayload;
}

const creator = alias(executives, 'snapshot_creator');
const revoker = alias(executives, 'snapshot_revoker');

const listColumns = {
  id: snapshots.id,
  title: snapshots.title,
  period: snapshots.period,
  createdById: snapshots.createdById,
  creatorName: creator.name,
  createdAt: snapshots.createdAt,
  expiresAt: snapshots.expiresAt,
  revokedAt: snapshots.revokedAt,
  revokedById: snapshots.revokedById,
  revokerName: revoker.name,
  viewCount: snapshots.viewCount,
  lastViewedAt: snapshots.lastViewedAt,
  hasPasscode: sql<boolean>`${snapshots.passcodeHash} is not null`,
  contentHash: snapshots.contentHash,
};

type ListRow = {
  id: number;
  title: string;
  period: string;
  createdById: number;
  creatorName: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedById: number | null;
  revokerName: string | null;
  viewCount: number;
  lastViewedAt: Date | null;
  hasPasscode: boolean;
  contentHash: string;
};

const toDate = (value: Date | string) => new Date(value);

function toListItem(row: ListRow, now: Date): SnapshotListItem {
  const item = {
    id: row.id,
    title: row.title,
    period: row.period,
    createdBy: { id: row.createdById, name: row.creatorName },
    createdAt: toDate(row.createdAt),
    expiresAt: toDate(row.expiresAt),
    revokedAt: row.revokedAt ? toDate(row.revokedAt) : null,
    revokedBy: row.revokedById ? { id: row.revokedById, name: row.revokerName ?? '' } : null,
    viewCount: row.viewCount,
    lastViewedAt: row.lastViewedAt ? toDate(row.lastViewedAt) : null,
    hasPasscode: Boolean(row.hasPasscode),
    contentHash: row.contentHash,
  };
  return { ...item, state: snapshotState(item, now) };
}

function listQuery(db: Queryable) {
  return db
    .select(listColumns)
    .from(snapshots)
    .innerJoin(creator, eq(creator.id, snapshots.createdById))
    .leftJoin(revoker, eq(revoker.id, snapshots.revokedById));
}

/** Newest first. */
export async function listSnapshots(db: Queryable, now: Date = new Date()): Promise<SnapshotListItem[]> {
  const rows = await listQuery(db).orderBy(desc(snapshots.createdAt), desc(snapshots.id));
  return rows.map((row) => toListItem(row, now));
}

export async function getSnapshot(db: Queryable, id: number, now: Date = new Date()): Promise<SnapshotDetail | null> {
  const [row] = await db
    .select({ ...listColumns, note: snapshots.note, payload: snapshots.payload })
    .from(snapshots)
    .innerJoin(creator, eq(creator.id, snapshots.createdById))
    .leftJoin(revoker, eq(revoker.id, snapshots.revokedById))
    .where(eq(snapshots.id, id));
  if (!row) return null;
  return { ...toListItem(row, now), note: row.note, payload: row.payload as unknown as SnapshotPayload };
}

/** A SQL pattern matching the period labels of one granularity (labels of one granularity sort in time order). */
const LABEL_PATTERN: Record<Granularity, string> = {
  month: '^[0-9]{4}-[0-9]{2}$',
  quarter: '^[0-9]{4}-Q[1-4]$',
  year: '^[0-9]{4}$',
};

/**
 * The last board meeting's snapshot: of the same granularity, for the latest period before this
 * one's (a quarter's with the previous quarter's snapshot, never a month's), the last made for it,
 * whatever its state. Null when there is none.
 */
export async function getPreviousSnapshot(db: Queryable, id: number, now: Date = new Date()): Promise<SnapshotDetail | null> {
  const [current] = await db.select({ period: snapshots.period }).from(snapshots).where(eq(snapshots.id, id));
  if (!current) return null;
  const { granularity } = parsePeriod(current.period);
  const [previous] = await db
    .select({ id: snapshots.id })
    .from(snapshots)
    .where(and(sql`${snapshots.period} ~ ${LABEL_PATTERN[granularity]}`, lt(snapshots.period, current.period)))
    .orderBy(desc(snapshots.period), desc(snapshots.createdAt), desc(snapshots.id))
    .limit(1);
  return previous ? getSnapshot(db, previous.id, now) : null;
}

/** For each snapshot in a list, the id of the one getPreviousSnapshot would compare it with. */
export function previousSnapshotIds(items: Array<Pick<SnapshotListItem, 'id' | 'period' | 'createdAt'>>): Map<number, number | null> {
  const result = new Map<number, number | null>();
  for (const item of items) {
    const granularity = parsePeriod(item.period).granularity;
    let best: (typeof items)[number] | null = null;
    for (const other of items) {
      if (parsePeriod(other.period).granularity !== granularity || other.period >= item.period) continue;
      if (
        !best ||
        other.period > best.period ||
        (other.period === best.period && (other.createdAt > best.createdAt || (+other.createdAt === +best.createdAt && other.id > best.id)))
      ) {
        best = other;
      }
    }
    result.set(item.id, best?.id ?? null);
  }
  return result;
}

/** The latest openings of a snapshot: times only, nothing about who opened it. */
export async function listSnapshotViews(db: Queryable, id: number, limit = 20): Promise<Date[]> {
  const rows = await db
    .select({ viewedAt: snapshotViews.viewedAt })
    .from(snapshotViews)
    .where(eq(snapshotViews.snapshotId, id))
    .orderBy(desc(snapshotViews.viewedAt), desc(snapshotViews.id))
    .limit(limit);
  return rows.map((r) => toDate(r.viewedAt));
}

/** Before freezing: off-track metrics of the period that have no commentary yet, naming their owners. */
export async function listMissingCommentaryWarnings(db: Queryable, periodLabel: string): Promise<MissingCommentaryWarning[]> {
  const period = parsePeriod(periodLabel);
  const scorecard = await getScorecard(db, period);
  const commentary = await listCommentaryForPeriod(db, period.label);
  const notes = Object.fromEntries(Object.entries(commentary).map(([key, entry]) => [key, { commentary: entry ?? null }]));
  return missingCommentaryWarnings(scorecard, notes, period.label);
}

export interface CreatedSnapshot {
  id: number;
  /** The link's secret: returned once, never stored. */
  token: string;
  contentHash: string;
  expiresAt: Date;
  warnings: MissingCommentaryWarning[];
}

function auditView(row: Pick<Snapshot, 'id' | 'title' | 'period' | 'expiresAt' | 'contentHash' | 'revokedAt'> & { passcodeHash: string | null }) {
  return {
    id: row.id,
    title: row.title,
    period: row.period,
    expiresAt: toDate(row.expiresAt).toISOString(),
    revokedAt: row.revokedAt ? toDate(row.revokedAt).toISOString() : null,
    contentHash: row.contentHash,
    hasPasscode: row.passcodeHash !== null,
  };
}

/**
 * Freezes the scorecard for a period. The payload is read and the row, with the audit entry,
 * written in one repeatable-read transaction, so the copy is one consistent moment.
 */
export async function createSnapshot(db: Db, me: Me, input: SnapshotCreateInput, now: Date = new Date()): Promise<CreatedSnapshot> {
  assertCan(me, 'create-snapshot');
  const period = parsePeriod(input.period);
  const passcodeHash = input.passcode ? await hashPassword(input.passcode) : null;
  const token = generateSnapshotToken();
  const expiresAt = new Date(now.getTime() + input.expiresInDays * DAY_MS);
  return db.transaction(
    async (tx) => {
      const payload = await buildSnapshotPayload(tx, {
        period,
        title: input.title,
        note: input.note,
        createdBy: { name: me.name, title: me.title },
        now,
      });
      const hash = contentHash(payload);
      const [row] = await tx
        .insert(snapshots)
        .values({
          tokenHash: hashSnapshotToken(token),
          title: input.title,
          note: input.note,
          period: period.label,
          payload: payload as unknown as Record<string, unknown>,
          contentHash: hash,
          passcodeHash,
          createdById: me.id,
          createdAt: now,
          expiresAt,
        })
        .returning();
      await writeAudit(tx, { executiveId: me.id, label: me.name }, { action: 'create', entity: 'snapshot', entityId: row.id, after: auditView(row) });
      return {
        id: row.id,
        token,
        contentHash: hash,
        expiresAt,
        warnings: missingCommentaryWarnings(payload.scorecard, payload.notes, period.label),
      };
    },
    { isolationLevel: 'repeatable read' },
  );
}

async function lockForChange(tx: Queryable, me: PermissionSubject, id: number) {
  const [row] = await tx.select().from(snapshots).where(eq(snapshots.id, id)).for('update');
  if (!row) throw new SnapshotNotFoundError();
  assertCan(me, 'revoke-snapshot', { snapshotCreatorId: row.createdById });
  return row;
}

/** Revoking is final: the link answers 404 from the next request on. Revoking twice changes nothing. */
export async function revokeSnapshot(db: Db, me: Me, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lockForChange(tx, me, id);
    if (row.revokedAt) return;
    const [updated] = await tx
      .update(snapshots)
      .set({ revokedAt: sql`now()`, revokedById: me.id })
      .where(eq(snapshots.id, id))
      .returning();
    await writeAudit(tx, { executiveId: me.id, label: me.name }, {
      action: 'revoke',
      entity: 'snapshot',
      entityId: id,
      before: auditView(row),
      after: auditView(updated),
    });
  });
}

/** A new link for an open snapshot; the old one stops working at once. Returns the new token, once. */
export async function reissueSnapshotLink(db: Db, me: Me, id: number, now: Date = new Date()): Promise<{ token: string }> {
  const token = generateSnapshotToken();
  await db.transaction(async (tx) => {
    const row = await lockForChange(tx, me, id);
    const state = snapshotState(row, now);
    if (state !== 'active') throw new SnapshotClosedError(state);
    await tx.update(snapshots).set({ tokenHash: hashSnapshotToken(token) }).where(eq(snapshots.id, id));
    await writeAudit(tx, { executiveId: me.id, label: me.name }, {
      action: 'reissue-link',
      entity: 'snapshot',
      entityId: id,
      before: auditView(row),
      after: auditView(row),
    });
  });
  return { token };
}

/** Sets, changes or (with null) removes the passcode an open snapshot asks for. */
export async function setSnapshotPasscode(db: Db, me: Me, id: number, passcode: string | null, now: Date = new Date()): Promise<void> {
  const passcodeHash = passcode ? await hashPassword(passcode) : null;
  await db.transaction(async (tx) => {
    const row = await lockForChange(tx, me, id);
    const state = snapshotState(row, now);
    if (state !== 'active') throw new SnapshotClosedError(state);
    const [updated] = await tx.update(snapshots).set({ passcodeHash }).where(eq(snapshots.id, id)).returning();
    await writeAudit(tx, { executiveId: me.id, label: me.name }, {
      action: passcode ? 'set-passcode' : 'remove-passcode',
      entity: 'snapshot',
      entityId: id,
      before: auditView(row),
      after: auditView(updated),
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The public link (no sign-in)

/** What the public page needs to decide whether, and how, to show a snapshot: never the payload. */
export interface OpenSnapshot {
  id: number;
  tokenHash: string;
  contentHash: string;
  passcodeHash: string | null;
}

/**
 * The snapshot behind a link, if the link may be opened now: unknown, revoked and expired all
 * give null (one 404 for all three). A single lookup on the token-hash index, run on every
 * request, so a revocation holds on the very next request on every server instance.
 */
export async function findOpenSnapshot(db: Queryable, token: string): Promise<OpenSnapshot | null> {
  if (!isWellFormedSnapshotToken(token)) return null;
  let query = openSnapshotQueries.get(db);
  if (!query) openSnapshotQueries.set(db, (query = prepareOpenSnapshotQuery(db)));
  const [row] = await query.execute({ tokenHash: hashSnapshotToken(token) });
  return row ?? null;
}

// Built once per database handle: building the query costs more CPU than running it, and the
// public link runs it on every request.
const openSnapshotQueries = new WeakMap<Queryable, ReturnType<typeof prepareOpenSnapshotQuery>>();

function prepareOpenSnapshotQuery(db: Queryable) {
  return db
    .select({ id: snapshots.id, tokenHash: snapshots.tokenHash, contentHash: snapshots.contentHash, passcodeHash: snapshots.passcodeHash })
    .from(snapshots)
    .where(and(eq(snapshots.tokenHash, sql.placeholder('tokenHash')), sql`${snapshots.revokedAt} is null`, gt(snapshots.expiresAt, sql`now()`)))
    .prepare('find_open_snapshot');
}

/** Logs one opening: the time, and nothing about who opened it. One statement, one round trip. */
export async function recordSnapshotView(db: Queryable, snapshotId: number): Promise<void> {
  await db.execute(sql`
    with opened as (
      update snapshots set view_count = view_count + 1, last_viewed_at = now()
      where id = ${snapshotId}
      returning id, last_viewed_at
    )
    insert into snapshot_views (snapshot_id, viewed_at) select id, last_viewed_at from opened`);
}

/**
 * A snapshot's frozen copy, by id, whatever the state of its link: for rendering its page once
 * (the link's route has checked the link; see lib/snapshots/frozen-page.ts).
 */
export async function loadSnapshotPayload(
  db: Queryable,
  id: number,
  options: { openOnly?: boolean } = {},
): Promise<{ payload: SnapshotPayload; contentHash: string } | null> {
  // The public page renders only open snapshots: a revoked or expired one renders nothing, whoever asks.
  const open = options.openOnly ? and(sql`${snapshots.revokedAt} is null`, gt(snapshots.expiresAt, sql`now()`)) : undefined;
  const [row] = await db
    .select({ payload: snapshots.payload, contentHash: snapshots.contentHash })
    .from(snapshots)
    .where(and(eq(snapshots.id, id), open));
  return row ? { payload: row.payload as unknown as SnapshotPayload, contentHash: row.contentHash } : null;
}

export type PasscodeCheck =
  | { status: 'ok' }
  | { status: 'wrong' }
  | { status: 'busy' }
  | { status: 'rate_limited'; retryAfterSeconds: number };

/**
 * Passcode attempts answer to the same growing delays as sign-ins (counted in the database:
 * instances share nothing else). While a delay runs the attempt is refused before the passcode
 * is even compared.
 */
export async function checkSnapshotPasscode(
  db: Queryable,
  snapshot: Pick<OpenSnapshot, 'id' | 'passcodeHash'>,
  passcode: string,
  client: string | null,
): Promise<PasscodeCheck> {
  if (!snapshot.passcodeHash) return { status: 'ok' };
  const rules = snapshotPasscodeThrottle(snapshot.id, client);
  const wait = await secondsUntilAllowed(db, rules);
  if (wait > 0) return { status: 'rate_limited', retryAfterSeconds: wait };
  let matches: boolean;
  try {
    matches = await verifyPassword(passcode, snapshot.passcodeHash);
  } catch (error) {
    if (error instanceof HashingBusyError) return { status: 'busy' };
    throw error;
  }
  if (matches) return { status: 'ok' };
  await recordFailure(db, rules);
  return { status: 'wrong' };
}
