import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '@/lib/db/seed/demo';
import { getReadiness, listMeetingsInCycle } from '@/lib/data/board-meetings';
import { deliver } from '@/lib/mail/deliver';
import { createMailer } from '@/lib/mail/transport';
import { openTestDatabase, type TestDatabase } from '../support/databases';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server';

describe('the demo company', () => {
  let t: TestDatabase;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    smtp = await startTestSmtpServer();
  });
  afterAll(async () => {
    await smtp?.stop();
    await t?.close();
  });

  it('has an upcoming board meeting whose reminders a first delivery run sends', async () => {
    await seedDemo(t.db);
    const [meeting] = await listMeetingsInCycle(t.db, new Date());
    expect(meeting.startsAt.getTime()).toBeGreaterThan(Date.now());
    const readiness = await getReadiness(t.db, meeting.period);
    const owed = readiness.metrics.filter((m) => m.needsExplaining && !m.hasCommentary);
    expect(owed.length).toBeGreaterThan(0);

    const mailer = createMailer(smtp.url);
    const summary = await deliver(t.db, { mailer });
    mailer.close();
    expect(summary.errors).toEqual([]);
    const reminders = smtp.received.filter((m) => m.subject.startsWith('Before the board meets'));
    expect(reminders.map((m) => m.to[0]).sort()).toEqual(owed.map((m) => m.owner!.email).sort());
    expect(smtp.received.some((m) => m.subject.startsWith('Board meeting readiness'))).toBe(true);
  });
});
