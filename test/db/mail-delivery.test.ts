import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createDb, type Db, type DbHandle } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { boardMeetings, customers, executives, outboxMessages, recurringIssues, spotFixes, surveyResponses, type Executive } from '@/lib/db/schema';
import { CLI_ACTOR } from '@/lib/data/audit';
import { createBoardMeeting, getReadiness } from '@/lib/data/board-meetings';
import { saveCommentary } from '@/lib/data/commentary';
import { toExecutiveDto } from '@/lib/data/executives';
import { importCsvFile } from '@/lib/data/import-csv';
import { reassignMetricOwner, updateMetricTargets } from '@/lib/data/metric-settings';
import { listOutbox, retryOutboxMessage } from '@/lib/data/outbox';
import { checkSnapshotPasscode, findOpenSnapshot, loadSnapshotPayload } from '@/lib/data/snapshots';
import { issueKey } from '@/lib/metrics/issue-key';
import { latestCompleteMonth, shiftPeriod } from '@/lib/metrics/period';
import { deliver } from '@/lib/mail/deliver';
import { createMailer } from '@/lib/mail/transport';
import { boardMeetingFormSchema } from '@/lib/validation/board-meetings';
import { commentarySaveSchema } from '@/lib/validation/commentary';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server';

const BASE = 'https://scorecard.example.com';
const P = latestCompleteMonth();
const EARLIER = shiftPeriod(P, -2);
const day = (period: typeof P, d: number) => `${period.start.slice(0, 8)}${String(d).padStart(2, '0')}`;
const HOUR = 60 * 60 * 1000;

/**
 * The tests' clock: the real one, or from 21:00 UTC on, tomorrow 09:00 UTC, so that a meeting an
 * hour or two ahead falls on the same UTC day as its snapshot (the form keeps both on one day).
 * Never behind the real clock, so nothing the database stamps lies in the tests' future.
 */
const clockOffset = (() => {
  const real = new Date();
  if (real.getUTCHours() < 21) return 0;
  const tomorrowMorning = Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), real.getUTCDate() + 1, 9);
  return tomorrowMorning - real.getTime();
})();
const clock = () => Date.now() + clockOffset;

async function makeExecutive(db: Db, name: string, role: Executive['role']): Promise<Executive> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`;
  const [row] = await db.insert(executives).values({ name, email, title: 'Chief Officer', powerCore: 'customer', role }).returning();
  return row;
}

interface Company {
  admin: Executive;
  retentionOwner: Executive;
  recommendationOwner: Executive;
  spotFixOwner: Executive;
}

/**
 * For the latest complete month: retention on track (nobody leaves), recommendation at risk
 * (2 promoters in 4), spot-fix cost on track (300 against 500) until an import adds 1,000.
 */
async function loadCompany(db: Db): Promise<Company> {
  const company: Company = {
    admin: await makeExecutive(db, 'Ada Admin', 'admin'),
    retentionOwner: await makeExecutive(db, 'Tom Retention', 'executive'),
    recommendationOwner: await makeExecutive(db, 'Rita Recommend', 'executive'),
    spotFixOwner: await makeExecutive(db, 'Olga Spotfix', 'executive'),
  };
  const admin = toExecutiveDto(company.admin);
  await db.insert(customers).values(['c1', 'c2', 'c3', 'c4'].map((id) => ({ customerId: id, acquiredOn: '2020-01-01', monthlyValue: '100.00' })));
  await db.insert(surveyResponses).values([
    { responseId: 'r0', customerId: 'c1', respondedOn: day(EARLIER, 3), score: 9 },
    { responseId: 'r1', customerId: 'c1', respondedOn: day(P, 2), score: 10 },
    { responseId: 'r2', customerId: 'c2', respondedOn: day(P, 3), score: 9 },
    { responseId: 'r3', customerId: 'c3', respondedOn: day(P, 4), score: 3 },
    { responseId: 'r4', customerId: 'c4', respondedOn: day(P, 5), score: 2 },
  ]);
  await db.insert(recurringIssues).values({ issueKey: issueKey('Late delivery'), label: 'Late delivery' });
  await db.insert(spotFixes).values([
    { spotFixId: 'f0', occurredOn: day(EARLIER, 5), issue: 'Late delivery', issueKey: issueKey('Late delivery'), category: 'discount', cost: '100.00', customerId: 'c1' },
    { spotFixId: 'f1', occurredOn: day(P, 5), issue: 'Late delivery', issueKey: issueKey('Late delivery'), category: 'discount', cost: '300.00', customerId: 'c1' },
  ]);
  const owners = { retention: company.retentionOwner, recommendation: company.recommendationOwner, spot_fix_cost: company.spotFixOwner } as const;
  const targets = {
    retention: { target: '0.9000', atRiskThreshold: '0.8000' },
    recommendation: { target: '0.7000', atRiskThreshold: '0.4000' },
    spot_fix_cost: { target: '500.00', atRiskThreshold: '800.00' },
  } as const;
  for (const key of ['retention', 'recommendation', 'spot_fix_cost'] as const) {
    await reassignMetricOwner(db, admin, key, owners[key].id);
    // From long ago, so the month under review is judged against these targets.
    const setting = { ...targets[key], effectiveFrom: '2000-01-01' };
    await updateMetricTargets(db, admin, key, setting);
  }
  return company;
}

function meetingInput(overrides: { title?: string; startsAt: Date; snapshotAt?: Date; recipients?: string; passcode?: string }) {
  const iso = overrides.startsAt.toISOString();
  const snapshotIso = (overrides.snapshotAt ?? new Date(overrides.startsAt.getTime() - HOUR)).toISOString();
  const sameDay = snapshotIso.slice(0, 10) === iso.slice(0, 10);
  return boardMeetingFormSchema.parse({
    title: overrides.title ?? 'Quarterly board',
    period: P.label,
    date: iso.slice(0, 10),
    time: iso.slice(11, 16),
    snapshotTime: sameDay ? snapshotIso.slice(11, 16) : '00:00',
    recipients: overrides.recipients ?? 'Bea Board <bea@board.example>\nBen Board, ben@board.example',
    passcode: overrides.passcode ?? '',
  });
}

const linkIn = (text: string, pathPrefix: string) => {
  const match = new RegExp(`${BASE.replace(/[.]/g, '\\.')}${pathPrefix}[^\\s"<]+`).exec(text);
  if (!match) throw new Error(`No ${pathPrefix} link in:\n${text}`);
  return match[0];
};

describe.each(DATABASE_TARGETS)('the board-meeting cycle by mail on %s', (target) => {
  let t: TestDatabase;
  let db: Db;
  let smtp: TestSmtpServer;
  let company: Company;
  const previousAuthUrl = process.env.AUTH_URL;
  const mailer = () => createMailer(smtp.url);
  const run = (now = new Date(clock())) => {
    const m = mailer();
    return deliver(db, { now, mailer: m }).finally(() => m.close());
  };

  beforeAll(async () => {
    process.env.AUTH_URL = BASE;
    t = await openTestDatabase(target);
    db = t.db;
    await t.reset();
    smtp = await startTestSmtpServer();
    company = await loadCompany(db);
  });
  afterAll(async () => {
    process.env.AUTH_URL = previousAuthUrl;
    await smtp?.stop();
    await t?.close();
  });

  it('reminds only the owners of at-risk or off-track metrics without commentary, and tells the admins who has written', async () => {
    const readiness = await getReadiness(db, P.label);
    expect(readiness.metrics.map((m) => [m.key, m.status])).toEqual([
      ['retention', 'on_track'],
      ['recommendation', 'at_risk'],
      ['spot_fix_cost', 'on_track'],
    ]);
    await createBoardMeeting(db, toExecutiveDto(company.admin), meetingInput({ startsAt: new Date(clock() + 3 * 24 * HOUR) }));

    const summary = await run();
    expect(summary.errors).toEqual([]);
    expect(summary.sent).toBe(2);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([company.admin.email, company.recommendationOwner.email].sort());

    const [reminder] = smtp.to(company.recommendationOwner.email);
    expect(reminder.subject).toContain('Recommendation rate');
    expect(reminder.text).toContain('50.0%');
    expect(reminder.text).toContain('At risk');
    expect(linkIn(reminder.text, '/metrics/')).toBe(`${BASE}/metrics/recommendation?period=${P.label}`);
    expect(reminder.html).toContain(`${BASE}/metrics/recommendation?period=${P.label}`);
    expect(reminder.html).not.toMatch(/<img|url\(/i);

    const [readinessMail] = smtp.to(company.admin.email);
    expect(readinessMail.text).toContain('Recommendation rate: At risk');
    expect(readinessMail.text).toContain('NO commentary yet');

    // A second run finds nothing new to send.
    const again = await run();
    expect(again.sent).toBe(0);
    expect(smtp.received).toHaveLength(2);
  });

  it('sends no reminder once the owner has written the commentary for the period', async () => {
    const owner = toExecutiveDto(company.recommendationOwner);
    const input = commentarySaveSchema.parse({ metricKey: 'recommendation', period: P.label, body: 'Two detractors from the outage.', baseVersion: '0' });
    expect((await saveCommentary(db, owner, input)).status).toBe('saved');
    const before = smtp.received.length;
    await createBoardMeeting(db, toExecutiveDto(company.admin), meetingInput({ title: 'Extra board', startsAt: new Date(clock() + 2 * 24 * HOUR) }));
    await run();
    const fresh = smtp.received.slice(before);
    expect(fresh.map((m) => m.to[0])).toEqual([company.admin.email]);
    expect(fresh[0].text).toContain('Every metric that needs explaining has its commentary.');
  });

  it('alerts the owner when an import turns their metric off track', async () => {
    const before = smtp.received.length;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-mail-'));
    const file = path.join(dir, 'spot-fixes.csv');
    fs.writeFileSync(file, `spot_fix_id,occurred_on,issue,category,cost,customer_id\nf2,${day(P, 9)},Late delivery,discount,1000.00,c2\n`);
    const result = await importCsvFile(db, 'spot-fixes', file, CLI_ACTOR);
    expect(result.ok ? [] : result.problems).toEqual([]);

    await run();
    const fresh = smtp.received.slice(before).filter((m) => m.to[0] === company.spotFixOwner.email);
    const alert = fresh.find((m) => m.subject.startsWith('Cost of spot fixes is now off track'));
    expect(alert, fresh.map((m) => m.subject).join('; ')).toBeDefined();
    expect(alert!.text).toContain('$1,300.00');
    // Both meetings now need Olga's explanation too.
    expect(fresh.filter((m) => m.subject.includes('explain Cost of spot fixes'))).toHaveLength(2);

    const quiet = smtp.received.length;
    await run();
    expect(smtp.received.length).toBe(quiet);
  });

  it('on the day freezes the snapshot and sends every recipient a working link, the passcode separately', async () => {
    const before = smtp.received.length;
    const startsAt = new Date(clock() + HOUR);
    const meeting = await createBoardMeeting(
      db,
      toExecutiveDto(company.admin),
      meetingInput({ title: 'Board day', startsAt, snapshotAt: new Date(clock() - 60_000), passcode: 'board-secret-7' }),
    );
    const summary = await run();
    expect(summary.snapshotsFrozen).toBe(1);
    const fresh = smtp.received.slice(before).filter((m) => m.subject.startsWith('Board day'));
    expect(fresh.map((m) => m.to[0]).sort()).toEqual(['bea@board.example', 'bea@board.example', 'ben@board.example', 'ben@board.example']);
    const linkMail = fresh.find((m) => m.to[0] === 'bea@board.example' && m.subject.includes('the scorecard for'))!;
    const passcodeMail = fresh.find((m) => m.to[0] === 'bea@board.example' && m.subject.includes('passcode'))!;
    const link = linkIn(linkMail.text, '/s/');
    expect(linkMail.text).not.toContain('board-secret-7');
    expect(passcodeMail.text).toContain('board-secret-7');

    const token = link.slice(`${BASE}/s/`.length);
    const open = await findOpenSnapshot(db, token);
    if (!open) console.log(JSON.stringify(linkMail.text), token);
    expect(open).not.toBeNull();
    expect((await loadSnapshotPayload(db, open!.id))!.payload.scorecard.period.label).toBe(P.label);
    expect(await checkSnapshotPasscode(db, open!, 'board-secret-7', null)).toEqual({ status: 'ok' });

    const [row] = await db.select().from(boardMeetings).where(eq(boardMeetings.id, meeting.id));
    expect(row.snapshotId).toBe(open!.id);
    expect(row.passcode).toBeNull();
    // The link and passcode are not kept in the outbox once sent.
    const kept = await db.select({ secret: outboxMessages.secret, text: outboxMessages.textBody }).from(outboxMessages).where(eq(outboxMessages.meetingId, meeting.id));
    expect(kept.every((k) => k.secret === null && !k.text.includes(token))).toBe(true);
  });

  it('fails softly while the mail server is down and, once it is back, sends each message exactly once', async () => {
    const startsAt = new Date(clock() + 2 * HOUR);
    const recipients = ['a', 'b', 'c'].map((n) => `${n.toUpperCase()} Member <${n}@down.example>`).join('\n');
    await createBoardMeeting(db, toExecutiveDto(company.admin), meetingInput({ title: 'Outage board', startsAt, snapshotAt: new Date(clock() - 60_000), recipients }));
    await smtp.stop();
    const down = await run();
    // The meeting's reminders and readiness summary fail too: every due message, none sent, none lost.
    expect(down.failed).toBeGreaterThanOrEqual(3);
    expect(down.sent).toBe(0);
    const failed = await db.select().from(outboxMessages).where(sql`${outboxMessages.toEmail} like '%@down.example'`);
    expect(failed).toHaveLength(3);
    expect(failed.every((m) => m.state === 'failed' && m.attempts === 1 && m.lastError && m.nextAttemptAt)).toBe(true);

    await smtp.start();
    const before = smtp.received.length;
    // Not yet due: the back-off holds them.
    expect((await run()).sent).toBe(0);
    const later = new Date(clock() + 2 * 60_000);
    expect((await run(later)).sent).toBe(down.failed);
    expect((await run(new Date(clock() + 60 * 60_000))).sent).toBe(0);
    const fresh = smtp.received.slice(before).filter((m) => m.to[0].endsWith('@down.example'));
    expect(fresh.map((m) => m.to[0]).sort()).toEqual(['a@down.example', 'b@down.example', 'c@down.example']);
    expect(smtp.received.slice(before)).toHaveLength(down.failed);
  });

  it('sends each message once when two deliveries run at once', async () => {
    const recipients = Array.from({ length: 8 }, (_, i) => `Member ${i} <m${i}@race.example>`).join('\n');
    const meeting = await createBoardMeeting(
      db,
      toExecutiveDto(company.admin),
      meetingInput({ title: 'Race board', startsAt: new Date(clock() + HOUR), snapshotAt: new Date(clock() - 60_000), recipients }),
    );
    // On PostgreSQL the second run has its own connection pool, as a second process would.
    let other: DbHandle | null = null;
    const otherDb = target === 'postgres' ? (other = await createDb(t.handle.config)).db : db;
    const before = smtp.received.length;
    try {
      const [m1, m2] = [mailer(), mailer()];
      const [a, b] = await Promise.all([deliver(db, { now: new Date(clock()), mailer: m1 }), deliver(otherDb, { now: new Date(clock()), mailer: m2 })]);
      m1.close();
      m2.close();
      expect(a.sent + b.sent).toBe(smtp.received.length - before);
      expect(a.snapshotsFrozen + b.snapshotsFrozen).toBe(1);
    } finally {
      await other?.close();
    }
    const fresh = smtp.received.slice(before).filter((m) => m.subject.startsWith('Race board'));
    expect(fresh.map((m) => m.to[0]).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `m${i}@race.example`).sort());
    const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from snapshots where title = 'Race board'`);
    expect(n).toBe(1);
    expect(meeting.id).toBeGreaterThan(0);
  });

  it('without a mail server sends nothing and keeps what would have been sent; an admin can retry it', async () => {
    const before = smtp.received.length;
    await createBoardMeeting(
      db,
      toExecutiveDto(company.admin),
      meetingInput({ title: 'Quiet board', startsAt: new Date(clock() + HOUR), snapshotAt: new Date(clock() - 60_000), recipients: 'Q <q@quiet.example>' }),
    );
    const summary = await deliver(db, { now: new Date(clock()), mailer: null });
    expect(summary.unsent).toBeGreaterThanOrEqual(1);
    expect(smtp.received.length).toBe(before);
    const admin = toExecutiveDto(company.admin);
    const [unsent] = (await listOutbox(db, admin)).filter((m) => m.toEmail === 'q@quiet.example');
    expect(unsent.state).toBe('unsent');
    expect(unsent.textPreview).toContain('/s/[withheld]');

    await retryOutboxMessage(db, admin, unsent.id);
    await run();
    expect(smtp.to('q@quiet.example')).toHaveLength(1);
  });

  it('withdraws a reminder still waiting to be sent once the owner writes the commentary', async () => {
    const meeting = await createBoardMeeting(db, toExecutiveDto(company.admin), meetingInput({ title: 'Late board', startsAt: new Date(clock() + 4 * 24 * HOUR) }));
    await smtp.stop();
    try {
      await run();
    } finally {
      await smtp.start();
    }
    const waiting = await db.select().from(outboxMessages).where(eq(outboxMessages.meetingId, meeting.id));
    expect(waiting.filter((m) => m.kind === 'reminder').map((m) => [m.toEmail, m.state])).toEqual([[company.spotFixOwner.email, 'failed']]);

    const owner = toExecutiveDto(company.spotFixOwner);
    const input = commentarySaveSchema.parse({ metricKey: 'spot_fix_cost', period: P.label, body: 'A one-off goodwill discount.', baseVersion: '0' });
    expect((await saveCommentary(db, owner, input)).status).toBe('saved');
    const before = smtp.received.length;
    await run(new Date(clock() + 2 * 60_000));
    const fresh = smtp.received.slice(before);
    expect(fresh.filter((m) => m.to[0] === company.spotFixOwner.email)).toEqual([]);
    // The readiness summary, held back by the same outage, goes now (worded as when it was queued).
    expect(fresh.map((m) => m.subject)).toEqual(['Board meeting readiness: Late board']);
    const [reminder] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.meetingId, meeting.id), eq(outboxMessages.kind, 'reminder')));
    expect(reminder.state).toBe('cancelled');
  });

  it('audits every meeting change and every message sent', async () => {
    const rows = await queryRows<{ entity: string; action: string; n: number }>(
      db,
      sql`select entity, action, count(*)::int as n from audit_log where entity in ('board_meeting', 'outbox_message') group by entity, action`,
    );
    const count = (entity: string, action: string) => rows.find((r) => r.entity === entity && r.action === action)?.n ?? 0;
    const [{ sent }] = await queryRows<{ sent: number }>(db, sql`select count(*)::int as sent from outbox_messages where state = 'sent'`);
    expect(count('board_meeting', 'create')).toBe(7);
    expect(count('outbox_message', 'send')).toBe(sent);
    expect(count('outbox_message', 'retry')).toBe(1);
    expect(sent).toBe(smtp.received.length);
  });
});
