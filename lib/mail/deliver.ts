import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { boardMeetings, executives, metricAlertStates, outboxMessages, type BoardMeeting, type MetricKey } from '@/lib/db/schema';
import { writeAudit } from '@/lib/data/audit';
import { getReadiness, listMeetingsInCycle, toMeetingDto } from '@/lib/data/board-meetings';
import { getOrganisation } from '@/lib/data/organisation';
import { createSnapshot } from '@/lib/data/snapshots';
import {
  cancelMessages,
  claimDueMessages,
  composeForSending,
  DELIVERY_ACTOR,
  enqueueMessage,
  holdInterruptedMessages,
  markDueUnsent,
  markFailed,
  markSent,
} from '@/lib/data/outbox';
import { formatDate } from '@/lib/format';
import { latestCompleteMonth } from '@/lib/metrics/period';
import { alertMail, passcodeMail, readinessMail, reminderMail, snapshotMail } from './messages';
import { createMailer, smtpUrlFromEnv, type Mailer } from './transport';

/**
 * One delivery run: work out what is due (reminders, readiness summaries, the day's snapshot,
 * alerts), write it to the outbox, then send what the outbox holds. `npm run cli -- deliver`
 * and the Cron route both call `deliver`; running it twice at once sends nothing twice.
 */
export interface DeliverySummary {
  queued: number;
  sent: number;
  failed: number;
  unsent: number;
  held: number;
  snapshotsFrozen: number;
  errors: string[];
}

export interface DeliverOptions {
  now?: Date;
  /** A mailer to use instead of one built from SMTP_URL; null means "no mail server". */
  mailer?: Mailer | null;
  /** At most this many messages per run, so a Cron call stays short; the rest wait for the next run. */
  maxMessages?: number;
}

const FREEZE_CLAIM_MINUTES = 10;

export async function deliver(db: Db, options: DeliverOptions = {}): Promise<DeliverySummary> {
  const now = options.now ?? new Date();
  const summary: DeliverySummary = { queued: 0, sent: 0, failed: 0, unsent: 0, held: 0, snapshotsFrozen: 0, errors: [] };
  for (const meeting of await listMeetingsInCycle(db, now)) {
    try {
      await planMeeting(db, meeting, now, summary);
    } catch (error) {
      summary.errors.push(`Meeting ${meeting.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    summary.queued += await planAlerts(db, now);
  } catch (error) {
    summary.errors.push(`Alerts: ${error instanceof Error ? error.message : String(error)}`);
  }
  let mailer = options.mailer;
  let ownMailer = false;
  if (mailer === undefined) {
    const url = smtpUrlFromEnv();
    mailer = url ? createMailer(url) : null;
    ownMailer = mailer !== null;
  }
  try {
    await sendDue(db, mailer, now, options.maxMessages ?? 200, summary);
  } finally {
    if (ownMailer) mailer?.close();
  }
  return summary;
}

async function activeAdmins(db: Db) {
  return db
    .select({ id: executives.id, name: executives.name, email: executives.email })
    .from(executives)
    .where(and(eq(executives.role, 'admin'), eq(executives.isActive, true)));
}

async function planMeeting(db: Db, row: BoardMeeting, now: Date, summary: DeliverySummary): Promise<void> {
  const meeting = toMeetingDto(row);
  if (now < meeting.startsAt && row.snapshotId === null) {
    const readiness = await getReadiness(db, meeting.period, now);
    const admins = await activeAdmins(db);
    await db.transaction(async (tx) => {
      for (const metric of readiness.metrics) {
        const key = `meeting:${meeting.id}:reminder:${metric.key}:${meeting.period}`;
        if (metric.needsExplaining && !metric.hasCommentary && metric.owner?.isActive) {
          const id = await enqueueMessage(
            tx,
            {
              idempotencyKey: `${key}:${metric.owner.id}`,
              kind: 'reminder',
              to: { name: metric.owner.name, email: metric.owner.email },
              mail: reminderMail(meeting, metric, metric.owner.name),
              meetingId: meeting.id,
              metricKey: metric.key,
              period: meeting.period,
            },
            now,
          );
          if (id) summary.queued++;
        }
        if (metric.hasCommentary) {
          // Written since the reminder was queued: it must not go out now.
          const stale = await tx
            .select({ id: outboxMessages.id })
            .from(outboxMessages)
            .where(
              and(
                eq(outboxMessages.meetingId, meeting.id),
                eq(outboxMessages.kind, 'reminder'),
                eq(outboxMessages.metricKey, metric.key),
                inArray(outboxMessages.state, ['queued', 'failed', 'unsent']),
              ),
            );
          await cancelMessages(tx, stale.map((s) => s.id), 'The owner has written the commentary.');
        }
      }
      for (const admin of admins) {
        const id = await enqueueMessage(
          tx,
          {
            idempotencyKey: `meeting:${meeting.id}:readiness:${meeting.period}:${admin.id}`,
            kind: 'readiness',
            to: { name: admin.name, email: admin.email },
            mail: readinessMail(meeting, readiness, admin.name),
            meetingId: meeting.id,
            period: meeting.period,
          },
          now,
        );
        if (id) summary.queued++;
      }
    });
  }
  if (now >= meeting.snapshotSendAt && row.snapshotId === null) {
    const queued = await freezeAndQueueSnapshot(db, row, now);
    if (queued !== null) {
      summary.snapshotsFrozen++;
      summary.queued += queued;
    }
  }
}

/** Who the frozen snapshot is made by: the meeting's creator while they may still make snapshots, else an active admin. */
async function snapshotMaker(db: Db, createdById: number) {
  const rows = await db
    .select({ id: executives.id, name: executives.name, title: executives.title, role: executives.role, isActive: executives.isActive })
    .from(executives)
    .where(or(eq(executives.id, createdById), and(eq(executives.role, 'admin'), eq(executives.isActive, true))))
    .orderBy(sql`${executives.id} = ${createdById} desc`, executives.id);
  return rows.find((r) => r.isActive && r.role !== 'viewer') ?? null;
}

/**
 * Freezes the meeting's snapshot and queues its link for every recipient (and the passcode,
 * separately). A claim on the meeting row keeps a second run from freezing it again.
 */
async function freezeAndQueueSnapshot(db: Db, row: BoardMeeting, now: Date): Promise<number | null> {
  const claimed = await db
    .update(boardMeetings)
    .set({ freezingSince: now })
    .where(
      and(
        eq(boardMeetings.id, row.id),
        isNull(boardMeetings.snapshotId),
        isNull(boardMeetings.cancelledAt),
        or(isNull(boardMeetings.freezingSince), lt(boardMeetings.freezingSince, new Date(now.getTime() - FREEZE_CLAIM_MINUTES * 60_000))),
      ),
    )
    .returning();
  if (claimed.length === 0) return null;
  const current = claimed[0];
  const meeting = toMeetingDto(current);
  try {
    const maker = await snapshotMaker(db, current.createdById);
    if (!maker) throw new Error('No active admin to make the snapshot.');
    const snapshot = await createSnapshot(
      db,
      maker,
      {
        period: current.period,
        title: current.title,
        note: `Frozen for the board meeting of ${formatDate(meeting.startsAt)}.`,
        expiresInDays: current.snapshotExpiresInDays,
        passcode: current.passcode,
      },
      now,
    );
    return await db.transaction(async (tx) => {
      let queued = 0;
      for (const recipient of meeting.recipients) {
        const link = await enqueueMessage(
          tx,
          {
            idempotencyKey: `meeting:${meeting.id}:snapshot:${meeting.period}:${recipient.email}`,
            kind: 'snapshot',
            to: recipient,
            mail: snapshotMail(meeting, recipient.name, snapshot.expiresAt),
            secret: snapshot.token,
            meetingId: meeting.id,
            period: meeting.period,
          },
          now,
        );
        if (link) queued++;
        if (current.passcode) {
          const code = await enqueueMessage(
            tx,
            {
              idempotencyKey: `meeting:${meeting.id}:passcode:${meeting.period}:${recipient.email}`,
              kind: 'passcode',
              to: recipient,
              mail: passcodeMail(meeting, recipient.name),
              secret: current.passcode,
              meetingId: meeting.id,
              period: meeting.period,
            },
            now,
          );
          if (code) queued++;
        }
      }
      await tx
        .update(boardMeetings)
        .set({ snapshotId: snapshot.id, freezingSince: null, passcode: null, updatedAt: sql`now()` })
        .where(eq(boardMeetings.id, meeting.id));
      await writeAudit(tx, DELIVERY_ACTOR, {
        action: 'freeze-snapshot',
        entity: 'board_meeting',
        entityId: meeting.id,
        after: { snapshotId: snapshot.id, recipients: meeting.recipients.length, hasPasscode: meeting.hasPasscode },
      });
      return queued;
    });
  } catch (error) {
    await db.update(boardMeetings).set({ freezingSince: null }).where(eq(boardMeetings.id, row.id));
    throw error;
  }
}

/**
 * Alerts are worked out here, not in the import code: each run compares every metric's status
 * for the latest complete month with the status it last saw, so every way data arrives (CSV,
 * API, the spot-fix form, a database restore) is covered and a crash cannot lose an alert.
 * The first run only records what it sees; a move into at risk or off track alerts the owner once.
 */
async function planAlerts(db: Db, now: Date): Promise<number> {
  const period = latestCompleteMonth(now).label;
  const organisation = await getOrganisation(db);
  const dataVersion = organisation?.dataVersion ?? 0;
  const seen = await db.select().from(metricAlertStates);
  if (seen.length === 3 && seen.every((s) => s.period === period && s.dataVersion === dataVersion)) return 0;
  const readiness = await getReadiness(db, period, now);
  let queued = 0;
  await db.transaction(async (tx) => {
    for (const metric of readiness.metrics) {
      const before = seen.find((s) => s.metricKey === metric.key);
      const moved = before && (before.period !== period || before.status !== metric.status);
      if (moved && metric.needsExplaining && metric.owner?.isActive) {
        const id = await enqueueMessage(
          tx,
          {
            idempotencyKey: `alert:${metric.key}:${period}:${metric.status}:${metric.owner.id}`,
            kind: 'alert',
            to: { name: metric.owner.name, email: metric.owner.email },
            mail: alertMail(metric, period, metric.owner.name),
            metricKey: metric.key as MetricKey,
            period,
          },
          now,
        );
        if (id) queued++;
      }
      await tx
        .insert(metricAlertStates)
        .values({ metricKey: metric.key, period, status: metric.status, dataVersion })
        .onConflictDoUpdate({
          target: metricAlertStates.metricKey,
          set: { period, status: metric.status, dataVersion, updatedAt: sql`now()` },
        });
    }
  });
  return queued;
}

const CONNECTION_ERRORS = new Set(['ECONNECTION', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'EGREETING']);

const messageId = (id: number, key: string) =>
  `<outbox-${id}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}@cx-scorecard>`;

/** Sends what is due, or without a mail server marks it as not sent. Failures wait with back-off. */
export async function sendDue(db: Db, mailer: Mailer | null, now: Date, maxMessages: number, summary: DeliverySummary, ids?: number[]): Promise<void> {
  summary.held += await holdInterruptedMessages(db, now);
  if (!mailer) {
    summary.unsent += await markDueUnsent(db, now);
    return;
  }
  let budget = maxMessages;
  while (budget > 0) {
    const batch = await claimDueMessages(db, now, Math.min(20, budget), ids);
    if (batch.length === 0) return;
    budget -= batch.length;
    for (let i = 0; i < batch.length; i++) {
      const message = batch[i];
      try {
        await mailer.send({ to: { name: message.toName, email: message.toEmail }, ...composeForSending(message), messageId: messageId(message.id, message.idempotencyKey) });
        await markSent(db, message, now);
        summary.sent++;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await markFailed(db, message, reason, now);
        summary.failed++;
        const code = (error as { code?: string }).code;
        if (code && CONNECTION_ERRORS.has(code)) {
          // The server is unreachable: the rest of this batch fails the same way without waiting on it.
          for (const rest of batch.slice(i + 1)) {
            await markFailed(db, rest, reason, now);
            summary.failed++;
          }
          summary.errors.push(`Mail server unreachable: ${reason}`);
          return;
        }
      }
    }
  }
}

/** Sends specific messages now (an invite just issued), leaving anything else for the next run. */
export async function deliverNow(db: Db, ids: number[], mailer?: Mailer | null): Promise<DeliverySummary> {
  const summary: DeliverySummary = { queued: 0, sent: 0, failed: 0, unsent: 0, held: 0, snapshotsFrozen: 0, errors: [] };
  if (ids.length === 0) return summary;
  let own = false;
  if (mailer === undefined) {
    const url = smtpUrlFromEnv();
    mailer = url ? createMailer(url) : null;
    own = mailer !== null;
  }
  try {
    if (!mailer) {
      // Only these messages: the rest of the queue belongs to the next delivery run.
      await queryRows(db, sql`update outbox_messages set state = 'unsent', next_attempt_at = null,
        last_error = 'Not sent: no mail server is configured (SMTP_URL).'
        where state = 'queued' and id in (${sql.join(ids.map((id) => sql`${id}::int`), sql`, `)}) returning id`);
      return summary;
    }
    await sendDue(db, mailer, new Date(), ids.length, summary, ids);
  } finally {
    if (own) mailer?.close();
  }
  return summary;
}
