import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { outboxMessages, type MetricKey, type OutboxKind, type OutboxState } from '@/lib/db/schema';
import { assertCan, type PermissionSubject } from '@/lib/auth/permissions';
import { escapeHtml, SECRET_PLACEHOLDER, type RenderedMail } from '@/lib/mail/render';
import { SYSTEM_ACTOR, writeAudit, type Actor } from './audit';

/**
 * The outbox: every message is a row, keyed by an idempotency key, before anything is sent.
 * A delivery run claims due rows with FOR UPDATE SKIP LOCKED and marks them `sending` in the same
 * statement, so two runs at once never claim the same row. A row left `sending` (the run died
 * mid-send) is never retried by itself: it may have arrived, so it waits for an admin.
 */
export const DELIVERY_ACTOR: Actor = { executiveId: null, label: 'mail delivery' };

/** Minutes to wait after the 1st, 2nd, … failed attempt; the last step repeats. Never given up. */
export const RETRY_BACKOFF_MINUTES = [1, 5, 15, 60, 180, 360] as const;
const SENDING_LEASE_MINUTES = 10;

export function backoffMinutes(attempts: number): number {
  return RETRY_BACKOFF_MINUTES[Math.min(Math.max(attempts, 1), RETRY_BACKOFF_MINUTES.length) - 1];
}

export interface NewOutboxMessage {
  idempotencyKey: string;
  kind: OutboxKind;
  to: { name: string | null; email: string };
  mail: RenderedMail;
  /** The one-time link's token or the passcode that replaces the placeholder when sending. */
  secret?: string | null;
  meetingId?: number | null;
  metricKey?: MetricKey | null;
  period?: string | null;
}

/** Writes the message unless one with its key exists; returns the new row's id, or null when it was already there. */
export async function enqueueMessage(tx: Queryable, message: NewOutboxMessage, now: Date = new Date()): Promise<number | null> {
  const [row] = await tx
    .insert(outboxMessages)
    .values({
      idempotencyKey: message.idempotencyKey,
      kind: message.kind,
      toName: message.to.name,
      toEmail: message.to.email,
      subject: message.mail.subject,
      textBody: message.mail.text,
      htmlBody: message.mail.html,
      secret: message.secret ?? null,
      meetingId: message.meetingId ?? null,
      metricKey: message.metricKey ?? null,
      period: message.period ?? null,
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing({ target: outboxMessages.idempotencyKey })
    .returning({ id: outboxMessages.id });
  return row?.id ?? null;
}

export interface ClaimedMessage {
  id: number;
  idempotencyKey: string;
  kind: OutboxKind;
  toName: string | null;
  toEmail: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  secret: string | null;
  attempts: number;
}

const ts = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/** Rows left `sending` past their lease: the run that claimed them died; they wait for an admin. */
export async function holdInterruptedMessages(db: Queryable, now: Date): Promise<number> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update outbox_messages
        set state = 'failed', next_attempt_at = null, locked_until = null,
            last_error = 'The delivery run stopped while sending this message: it may have arrived. Retry it only if it did not.'
        where state = 'sending' and locked_until < ${ts(now)}
        returning id`,
  );
  return rows.length;
}

/** Claims up to `limit` due messages for this run; nobody else can claim them until they are marked. */
export async function claimDueMessages(db: Queryable, now: Date, limit: number, ids?: number[]): Promise<ClaimedMessage[]> {
  const only = ids ? sql`and id in (${sql.join(ids.map((id) => sql`${id}::int`), sql`, `)})` : sql``;
  return queryRows<ClaimedMessage>(
    db,
    sql`with due as (
          select id from outbox_messages
          where state in ('queued', 'failed') and next_attempt_at <= ${ts(now)} ${only}
          order by next_attempt_at, id
          limit ${limit}
          for update skip locked
        )
        update outbox_messages o
        set state = 'sending', attempts = o.attempts + 1, last_attempt_at = ${ts(now)},
            locked_until = ${ts(now)} + make_interval(mins => ${SENDING_LEASE_MINUTES})
        from due
        where o.id = due.id and o.state in ('queued', 'failed')
        returning o.id, o.idempotency_key as "idempotencyKey", o.kind, o.to_name as "toName", o.to_email as "toEmail",
                  o.subject, o.text_body as "textBody", o.html_body as "htmlBody", o.secret, o.attempts`,
  );
}

/** Sent: the secret is dropped (the link lives on only in the recipient's mailbox) and the send audited. */
export async function markSent(db: Db, message: ClaimedMessage, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(outboxMessages)
      .set({ state: 'sent', sentAt: now, secret: null, lockedUntil: null, lastError: null, nextAttemptAt: null })
      .where(and(eq(outboxMessages.id, message.id), eq(outboxMessages.state, 'sending')))
      .returning({ id: outboxMessages.id });
    if (!row) return;
    await writeAudit(tx, DELIVERY_ACTOR, {
      action: 'send',
      entity: 'outbox_message',
      entityId: message.id,
      after: { kind: message.kind, to: message.toEmail, subject: message.subject, attempts: message.attempts },
    });
  });
}

export async function markFailed(db: Queryable, message: ClaimedMessage, error: string, now: Date): Promise<Date> {
  const next = new Date(now.getTime() + backoffMinutes(message.attempts) * 60_000);
  await db
    .update(outboxMessages)
    .set({ state: 'failed', lastError: error.slice(0, 500), nextAttemptAt: next, lockedUntil: null })
    .where(and(eq(outboxMessages.id, message.id), eq(outboxMessages.state, 'sending')));
  return next;
}

/** Without SMTP_URL: what would have been sent is kept, marked as never tried. */
export async function markDueUnsent(db: Queryable, now: Date): Promise<number> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update outbox_messages set state = 'unsent', next_attempt_at = null,
          last_error = 'Not sent: no mail server is configured (SMTP_URL).'
        where state = 'queued' and next_attempt_at <= ${ts(now)}
        returning id`,
  );
  return rows.length;
}

/** The message as it goes out: the secret in place of its placeholder. */
export function composeForSending(message: Pick<ClaimedMessage, 'subject' | 'textBody' | 'htmlBody' | 'secret'>): RenderedMail {
  const secret = message.secret ?? '';
  return {
    subject: message.subject,
    text: message.textBody.replaceAll(SECRET_PLACEHOLDER, secret),
    html: message.htmlBody.replaceAll(SECRET_PLACEHOLDER, escapeHtml(secret)),
  };
}

// ---------------------------------------------------------------------------------------------
// What admins see and do

export interface OutboxItem {
  id: number;
  kind: OutboxKind;
  toName: string | null;
  toEmail: string;
  subject: string;
  /** The plain-text part with any link token or passcode withheld. */
  textPreview: string;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
  meetingId: number | null;
}

const WITHHELD = '[withheld]';
const optionalDate = (value: Date | string | null) => (value ? new Date(value) : null);

export async function listOutbox(db: Queryable, me: PermissionSubject, options: { limit?: number; state?: OutboxState; meetingId?: number } = {}): Promise<OutboxItem[]> {
  assertCan(me, 'administer');
  const rows = await db
    .select()
    .from(outboxMessages)
    .where(and(options.state ? eq(outboxMessages.state, options.state) : undefined, options.meetingId ? eq(outboxMessages.meetingId, options.meetingId) : undefined))
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(options.limit ?? 100);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    toName: row.toName,
    toEmail: row.toEmail,
    subject: row.subject,
    textPreview: row.textBody.replaceAll(SECRET_PLACEHOLDER, WITHHELD),
    state: row.state,
    attempts: row.attempts,
    lastError: row.lastError,
    nextAttemptAt: optionalDate(row.nextAttemptAt),
    lastAttemptAt: optionalDate(row.lastAttemptAt),
    sentAt: optionalDate(row.sentAt),
    createdAt: new Date(row.createdAt),
    meetingId: row.meetingId,
  }));
}

export async function countOutboxByState(db: Queryable, me: PermissionSubject): Promise<Partial<Record<OutboxState, number>>> {
  assertCan(me, 'administer');
  const rows = await db.select({ state: outboxMessages.state, n: count() }).from(outboxMessages).groupBy(outboxMessages.state);
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

export class OutboxRetryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxRetryError';
  }
}

/** Puts a failed or never-sent message back in the queue for the next delivery run. */
export async function retryOutboxMessage(db: Db, me: PermissionSubject & { name: string }, id: number): Promise<void> {
  assertCan(me, 'administer');
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(outboxMessages).where(eq(outboxMessages.id, id)).for('update');
    if (!row) throw new OutboxRetryError('That message does not exist.');
    if (row.state !== 'failed' && row.state !== 'unsent') {
      throw new OutboxRetryError(`That message is ${row.state}: only a failed or unsent message can be retried.`);
    }
    await tx.update(outboxMessages).set({ state: 'queued', nextAttemptAt: sql`now()` }).where(eq(outboxMessages.id, id));
    await writeAudit(tx, { executiveId: me.id, label: me.name }, {
      action: 'retry',
      entity: 'outbox_message',
      entityId: id,
      before: { state: row.state, attempts: row.attempts, lastError: row.lastError },
      after: { state: 'queued' },
    });
  });
}

/** Queued reminders that are no longer needed (the owner has written) are withdrawn before sending. */
export async function cancelMessages(tx: Queryable, ids: number[], reason: string): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(outboxMessages)
    .set({ state: 'cancelled', secret: null, nextAttemptAt: null, lastError: reason })
    .where(and(inArray(outboxMessages.id, ids), inArray(outboxMessages.state, ['queued', 'failed', 'unsent'])));
  for (const id of ids) await writeAudit(tx, SYSTEM_ACTOR, { action: 'cancel', entity: 'outbox_message', entityId: id, after: { reason } });
}
