import { describe, expect, it } from 'vitest';
import { boardMeetingFormSchema, parseRecipients } from '@/lib/validation/board-meetings';
import { backoffMinutes } from '@/lib/data/outbox';

describe('parseRecipients', () => {
  it('reads Name <email>, "Name, email" and a bare email, one a line, lower-casing the address', () => {
    expect(parseRecipients('Bea Board <Bea@Board.example>\n\nBen Board, ben@board.example\ncal@board.example')).toEqual({
      ok: true,
      recipients: [
        { name: 'Bea Board', email: 'bea@board.example' },
        { name: 'Ben Board', email: 'ben@board.example' },
        { name: 'cal@board.example', email: 'cal@board.example' },
      ],
    });
  });

  it('names every bad line and a repeated address', () => {
    const result = parseRecipients('Bea <bea@board.example>\nnot an email\nBEA@board.example\nDan <dan@>');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      'Line 2: "not an email" is not an email address (write Name <name@example.com>)',
      'Line 3: bea@board.example is listed twice',
      'Line 4: "Dan <dan@>" is not an email address (write Name <name@example.com>)',
    ]);
  });

  it('refuses an empty list', () => {
    expect(parseRecipients(' \n ')).toEqual({ ok: false, errors: ['Add at least one recipient'] });
  });
});

describe('boardMeetingFormSchema', () => {
  const form = { title: 'Q4 board', period: '2025-Q4', date: '2026-01-20', time: '09:30', recipients: 'Bea <bea@board.example>' };

  it('defaults the lead time to 5 days, the snapshot to 07:00 UTC on the day and the link to 30 days', () => {
    const input = boardMeetingFormSchema.parse(form);
    expect(input.reminderLeadDays).toBe(5);
    expect(input.snapshotExpiresInDays).toBe(30);
    expect(input.startsAt.toISOString()).toBe('2026-01-20T09:30:00.000Z');
    expect(input.snapshotSendAt.toISOString()).toBe('2026-01-20T07:00:00.000Z');
    expect(input.passcode).toBeNull();
  });

  it('refuses a snapshot sent after the meeting starts, a bad period and a short passcode, naming the field', () => {
    const late = boardMeetingFormSchema.safeParse({ ...form, snapshotTime: '10:00' });
    expect(late.success).toBe(false);
    expect(late.error?.issues[0].path).toEqual(['snapshotTime']);
    const bad = boardMeetingFormSchema.safeParse({ ...form, period: '2025-13', passcode: '123' });
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(['passcode', 'period']);
  });
});

describe('outbox back-off', () => {
  it('waits longer after each failure, up to six hours, and never gives up', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(backoffMinutes)).toEqual([1, 5, 15, 60, 180, 360, 360, 360]);
  });
});
