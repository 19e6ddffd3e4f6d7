import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { allQueries } from '@/lib/db/concurrent';
import { boardMeetings, METRIC_KEYS, type BoardMeeting, type MetricKey } from '@/lib/db/schema';
import { assertCan, type PermissionSubject } from '@/lib/auth/permissions';
import { formatMoney, formatPercent } from '@/lib/format';
import { parsePeriod, todayIso } from '@/lib/metrics/period';
import type { MetricStatus, Scorecard } from '@/lib/metrics/types';
import { METRIC_NAMES, SCORECARD_FIELD } from '@/lib/snapshots/payload';
import type { BoardMeetingInput, Recipient } from '@/lib/validation/board-meetings';
import { writeAudit, type Actor } from './audit';
import { listCommentaryForPeriod } from './commentary';
import { getOrganisation } from './organisation';
import { getScorecard } from './scorecard';

/**
 * Board meetings: admins only, including their recipient lists. Every change is audited in the
 * transaction that makes it; the passcode never reaches the audit log.
 */
type Me = PermissionSubject & { name: string };
const actorOf = (me: Me): Actor => ({ executiveId: me.id, label: me.name });

export class BoardMeetingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoardMeetingError';
  }
}

export interface BoardMeetingDto {
  id: number;
  title: string;
  period: string;
  startsAt: Date;
  snapshotSendAt: Date;
  remindersFrom: Date;
  reminderLeadDays: number;
  snapshotExpiresInDays: number;
  recipients: Recipient[];
  hasPasscode: boolean;
  snapshotId: number | null;
  cancelledAt: Date | null;
  createdById: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function toMeetingDto(row: BoardMeeting): BoardMeetingDto {
  const startsAt = new Date(row.startsAt);
  return {
    id: row.id,
    title: row.title,
    period: row.period,
    startsAt,
    snapshotSendAt: new Date(row.snapshotSendAt),
    remindersFrom: new Date(startsAt.getTime() - row.reminderLeadDays * DAY_MS),
    reminderLeadDays: row.reminderLeadDays,
    snapshotExpiresInDays: row.snapshotExpiresInDays,
    recipients: row.recipients,
    hasPasscode: row.hasPasscode,
    snapshotId: row.snapshotId,
    cancelledAt: row.cancelledAt ? new Date(row.cancelledAt) : null,
    createdById: row.createdById,
  };
}

/** What the audit log keeps of a meeting: everything but the passcode. */
function auditView(row: BoardMeeting) {
  const dto = toMeetingDto(row);
  return {
    title: dto.title,
    period: dto.period,
    startsAt: dto.startsAt.toISOString(),
    snapshotSendAt: dto.snapshotSendAt.toISOString(),
    reminderLeadDays: dto.reminderLeadDays,
    snapshotExpiresInDays: dto.snapshotExpiresInDays,
    recipients: dto.recipients,
    hasPasscode: dto.hasPasscode,
    cancelledAt: dto.cancelledAt?.toISOString() ?? null,
  };
}

export async function listBoardMeetings(db: Queryable, me: PermissionSubject): Promise<BoardMeetingDto[]> {
  assertCan(me, 'administer');
  const rows = await db.select().from(boardMeetings).orderBy(desc(boardMeetings.startsAt), desc(boardMeetings.id)).limit(200);
  return rows.map(toMeetingDto);
}

export async function getBoardMeeting(db: Queryable, me: PermissionSubject, id: number): Promise<BoardMeetingDto | null> {
  assertCan(me, 'administer');
  const [row] = await db.select().from(boardMeetings).where(eq(boardMeetings.id, id));
  return row ? toMeetingDto(row) : null;
}

export async function createBoardMeeting(db: Db, me: Me, input: BoardMeetingInput, actor: Actor = actorOf(me)): Promise<BoardMeetingDto> {
  assertCan(me, 'administer');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(boardMeetings)
      .values({
        title: input.title,
        period: input.period,
        startsAt: input.startsAt,
        snapshotSendAt: input.snapshotSendAt,
        reminderLeadDays: input.reminderLeadDays,
        snapshotExpiresInDays: input.snapshotExpiresInDays,
        recipients: input.recipients,
        passcode: input.passcode,
        hasPasscode: input.passcode !== null,
        createdById: me.id,
      })
      .returning();
    await writeAudit(tx, actor, { action: 'create', entity: 'board_meeting', entityId: row.id, after: auditView(row) });
    return toMeetingDto(row);
  });
}

async function lockMeeting(tx: Queryable, id: number): Promise<BoardMeeting> {
  const [row] = await tx.select().from(boardMeetings).where(eq(boardMeetings.id, id)).for('update');
  if (!row) throw new BoardMeetingError('That meeting does not exist.');
  return row;
}

/** A meeting whose snapshot has gone out is history: it can no longer change. */
export async function updateBoardMeeting(db: Db, me: Me, id: number, input: BoardMeetingInput): Promise<BoardMeetingDto> {
  assertCan(me, 'administer');
  return db.transaction(async (tx) => {
    const before = await lockMeeting(tx, id);
    if (before.snapshotId !== null) throw new BoardMeetingError('The snapshot for this meeting has been sent: the meeting can no longer change.');
    if (before.cancelledAt) throw new BoardMeetingError('This meeting is cancelled.');
    const passcode = input.passcode ?? (input.removePasscode ? null : before.passcode);
    const [row] = await tx
      .update(boardMeetings)
      .set({
        title: input.title,
        period: input.period,
        startsAt: input.startsAt,
        snapshotSendAt: input.snapshotSendAt,
        reminderLeadDays: input.reminderLeadDays,
        snapshotExpiresInDays: input.snapshotExpiresInDays,
        recipients: input.recipients,
        passcode,
        hasPasscode: passcode !== null,
        updatedAt: sql`now()`,
      })
      .where(eq(boardMeetings.id, id))
      .returning();
    await writeAudit(tx, actorOf(me), { action: 'update', entity: 'board_meeting', entityId: id, before: auditView(before), after: auditView(row) });
    return toMeetingDto(row);
  });
}

export async function cancelBoardMeeting(db: Db, me: Me, id: number): Promise<BoardMeetingDto> {
  assertCan(me, 'administer');
  return db.transaction(async (tx) => {
    const before = await lockMeeting(tx, id);
    if (before.cancelledAt) return toMeetingDto(before);
    if (before.snapshotId !== null) throw new BoardMeetingError('The snapshot for this meeting has been sent: it can no longer be cancelled.');
    const [row] = await tx
      .update(boardMeetings)
      .set({ cancelledAt: sql`now()`, passcode: null, updatedAt: sql`now()` })
      .where(eq(boardMeetings.id, id))
      .returning();
    await writeAudit(tx, actorOf(me), { action: 'cancel', entity: 'board_meeting', entityId: id, before: auditView(before), after: auditView(row) });
    return toMeetingDto(row);
  });
}

// ---------------------------------------------------------------------------------------------
// Readiness: what the board will ask about, metric by metric

export interface MetricReadiness {
  key: MetricKey;
  name: string;
  status: MetricStatus;
  /** Formatted for reading: "92.4%", "$49,060.38", or "—". */
  figure: string;
  target: string;
  owner: { id: number; name: string; email: string; isActive: boolean } | null;
  hasCommentary: boolean;
  /** At risk or off track: the board will want an explanation. */
  needsExplaining: boolean;
  openActions: number;
  overdueActions: number;
}

export interface MeetingReadiness {
  period: string;
  metrics: MetricReadiness[];
}

export const needsExplaining = (status: string) => status === 'at_risk' || status === 'off_track';

export function formatMetricFigure(key: MetricKey, value: number | string | null, currency: string): string {
  return key === 'spot_fix_cost' ? formatMoney(value as string | null, currency) : formatPercent(value as number | null);
}

/** Each metric's verdict for the period, whether its owner has written, and its open and overdue actions. */
export async function getReadiness(db: Queryable, periodLabel: string, now: Date = new Date()): Promise<MeetingReadiness> {
  const period = parsePeriod(periodLabel);
  const [scorecard, commentary, owners, actions, organisation] = await allQueries(
    db,
    () => getScorecard(db, period, { today: todayIso(now) }) as Promise<Scorecard>,
    () => listCommentaryForPeriod(db, period.label),
    () => queryRows<{ key: MetricKey; id: number | null; name: string | null; email: string | null; is_active: boolean | null }>(
      db,
      sql`select m.key, e.id, e.name, e.email, e.is_active from metrics m left join executives e on e.id = m.owner_id`,
    ),
    () => queryRows<{ metric_key: MetricKey; open: number; overdue: number }>(
      db,
      sql`select metric_key, count(*)::int as open,
                 (count(*) filter (where due_on < ${todayIso(now)}::date))::int as overdue
          from metric_actions where status <> 'done' group by metric_key`,
    ),
    () => getOrganisation(db),
  );
  const currency = organisation?.currency ?? 'USD';
  const metrics = METRIC_KEYS.map((key): MetricReadiness => {
    const metric = scorecard[SCORECARD_FIELD[key]];
    const owner = owners.find((o) => o.key === key);
    const counts = actions.find((a) => a.metric_key === key);
    return {
      key,
      name: METRIC_NAMES[key],
      status: metric.status,
      figure: formatMetricFigure(key, metric.value, currency),
      target: formatMetricFigure(key, metric.target as number | string, currency),
      owner: owner?.id ? { id: owner.id, name: owner.name!, email: owner.email!, isActive: Boolean(owner.is_active) } : null,
      hasCommentary: Boolean(commentary[key]),
      needsExplaining: needsExplaining(metric.status),
      openActions: counts?.open ?? 0,
      overdueActions: counts?.overdue ?? 0,
    };
  });
  return { period: period.label, metrics };
}

/** Meetings the delivery run looks at: not cancelled, not yet fully delivered, starting within the lead window. */
export async function listMeetingsInCycle(db: Queryable, now: Date): Promise<BoardMeeting[]> {
  return db
    .select()
    .from(boardMeetings)
    .where(
      sql`${boardMeetings.cancelledAt} is null
          and ${boardMeetings.startsAt} - make_interval(days => ${boardMeetings.reminderLeadDays}) <= ${now.toISOString()}::timestamptz
          and (${boardMeetings.startsAt} > ${now.toISOString()}::timestamptz or ${boardMeetings.snapshotId} is null)
          and ${boardMeetings.startsAt} > ${now.toISOString()}::timestamptz - interval '1 day'`,
    )
    .orderBy(asc(boardMeetings.startsAt));
}

export type MeetingStage = 'scheduled' | 'reminding' | 'snapshot-sent' | 'cancelled' | 'past';

/** Where a meeting is in its cycle, for the admin pages. */
export function meetingStage(meeting: BoardMeetingDto, now: Date = new Date()): MeetingStage {
  if (meeting.cancelledAt) return 'cancelled';
  if (meeting.snapshotId !== null) return 'snapshot-sent';
  if (now >= meeting.startsAt) return 'past';
  return now >= meeting.remindersFrom ? 'reminding' : 'scheduled';
}

export const MEETING_STAGE_LABELS: Record<MeetingStage, string> = {
  scheduled: 'Scheduled',
  reminding: 'Reminding owners',
  'snapshot-sent': 'Snapshot sent',
  cancelled: 'Cancelled',
  past: 'Past, no snapshot sent',
};
