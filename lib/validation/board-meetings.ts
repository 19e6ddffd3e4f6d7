import { z } from 'zod';
import { isPeriod } from '@/lib/metrics/period';
import { MIN_PASSCODE_LENGTH } from '@/lib/snapshots/passcode';
import { MAX_PASSCODE_LENGTH, SNAPSHOT_MAX_EXPIRY_DAYS } from './snapshots';
import { rowIdSchema } from './ids';

export const DEFAULT_REMINDER_LEAD_DAYS = 5;
export const DEFAULT_SNAPSHOT_SEND_TIME = '07:00';
export const DEFAULT_MEETING_SNAPSHOT_EXPIRY_DAYS = 30;
export const MAX_RECIPIENTS = 50;

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export interface Recipient {
  name: string;
  email: string;
}

const emailSchema = z.email();

/**
 * One recipient a line: `Name <email>`, `Name, email` or a bare email. Each line is checked and
 * every bad one named, so a typo in the fourth address is reported as line 4.
 */
export function parseRecipients(text: string): { ok: true; recipients: Recipient[] } | { ok: false; errors: string[] } {
  const recipients: Recipient[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const angled = /^(.*?)\s*<([^<>]+)>$/.exec(line);
    const comma = /^(.*?),\s*([^,\s]+@[^,\s]+)$/.exec(line);
    const [name, email] = angled ? [angled[1], angled[2]] : comma ? [comma[1], comma[2]] : ['', line];
    const address = email.trim().toLowerCase();
    if (!emailSchema.safeParse(address).success) {
      errors.push(`Line ${i + 1}: "${line}" is not an email address (write Name <name@example.com>)`);
      return;
    }
    if (seen.has(address)) {
      errors.push(`Line ${i + 1}: ${address} is listed twice`);
      return;
    }
    seen.add(address);
    recipients.push({ name: name.trim().replace(/^"|"$/g, '') || address, email: address });
  });
  if (errors.length === 0 && recipients.length === 0) errors.push('Add at least one recipient');
  if (recipients.length > MAX_RECIPIENTS) errors.push(`At most ${MAX_RECIPIENTS} recipients`);
  return errors.length ? { ok: false, errors } : { ok: true, recipients };
}

export const formatRecipients = (recipients: Recipient[]) => recipients.map((r) => `${r.name} <${r.email}>`).join('\n');

const wholeNumber = (what: string, min: number, max: number, fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `Enter ${what}` })
      .int({ error: `Enter ${what} as a whole number` })
      .min(min, { error: `${what[0].toUpperCase()}${what.slice(1)} is at least ${min}` })
      .max(max, { error: `${what[0].toUpperCase()}${what.slice(1)} is at most ${max}` })
      .default(fallback),
  );

/** Times are UTC, as everywhere else in the admin pages. */
export const boardMeetingFormSchema = z
  .object({
    title: z.string({ error: 'Give the meeting a title' }).trim().min(1, { error: 'Give the meeting a title' }).max(120, { error: 'Keep the title to 120 characters' }),
    period: z
      .string({ error: 'Choose the period the board reviews' })
      .trim()
      .refine(isPeriod, { error: 'Write the period as a month (2025-03), a quarter (2025-Q1) or a year (2025)' }),
    date: z.iso.date({ error: 'Enter the meeting date (YYYY-MM-DD)' }),
    time: z.string({ error: 'Enter the start time' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'Enter the start time as HH:MM (UTC)' }),
    snapshotTime: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'Enter the time the snapshot goes out as HH:MM (UTC)' })
        .default(DEFAULT_SNAPSHOT_SEND_TIME),
    ),
    reminderLeadDays: wholeNumber('the reminder lead time in days', 1, 60, DEFAULT_REMINDER_LEAD_DAYS),
    snapshotExpiresInDays: wholeNumber('how many days the snapshot link lasts', 1, SNAPSHOT_MAX_EXPIRY_DAYS, DEFAULT_MEETING_SNAPSHOT_EXPIRY_DAYS),
    recipients: z.string({ error: 'Add at least one recipient' }).max(20_000),
    passcode: z.preprocess(
      blankToUndefined,
      z
        .string()
        .min(MIN_PASSCODE_LENGTH, { error: `A passcode needs at least ${MIN_PASSCODE_LENGTH} characters` })
        .max(MAX_PASSCODE_LENGTH, { error: `A passcode can have at most ${MAX_PASSCODE_LENGTH} characters` })
        .optional(),
    ),
    removePasscode: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
  })
  .transform((value, ctx) => {
    const parsed = parseRecipients(value.recipients);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', path: ['recipients'], message: parsed.errors.join('; ') });
      return z.NEVER;
    }
    if (value.snapshotTime > value.time) {
      ctx.addIssue({ code: 'custom', path: ['snapshotTime'], message: 'The snapshot must go out before the meeting starts' });
      return z.NEVER;
    }
    return {
      title: value.title,
      period: value.period,
      startsAt: new Date(`${value.date}T${value.time}:00Z`),
      snapshotSendAt: new Date(`${value.date}T${value.snapshotTime}:00Z`),
      reminderLeadDays: value.reminderLeadDays,
      snapshotExpiresInDays: value.snapshotExpiresInDays,
      recipients: parsed.recipients,
      passcode: value.passcode ?? null,
      removePasscode: value.removePasscode,
    };
  });

export type BoardMeetingInput = z.infer<typeof boardMeetingFormSchema>;

export const boardMeetingIdSchema = z.object({
  id: rowIdSchema('No such meeting'),
});
