import { z } from 'zod';
import { isPeriod, parsePeriod, todayIso } from '@/lib/metrics/period';
import { MIN_PASSCODE_LENGTH } from '@/lib/snapshots/passcode';
import { rowIdSchema } from './ids';

export const SNAPSHOT_DEFAULT_EXPIRY_DAYS = 30;
export const SNAPSHOT_MAX_EXPIRY_DAYS = 365;
export const SNAPSHOT_EXPIRY_CHOICES = [7, 14, 30, 60, 90, 180, 365] as const;
export const MAX_PASSCODE_LENGTH = 64;

/** Form fields arrive as strings; an empty one means "not given". */
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const passcodeSchema = z
  .string()
  .min(MIN_PASSCODE_LENGTH, { error: `A passcode needs at least ${MIN_PASSCODE_LENGTH} characters` })
  .max(MAX_PASSCODE_LENGTH, { error: `A passcode can have at most ${MAX_PASSCODE_LENGTH} characters` });

export const snapshotPeriodSchema = z
  .string({ error: 'Choose a period' })
  .trim()
  .refine(isPeriod, { error: 'Choose a period: a month (2025-03), a quarter (2025-Q1) or a year (2025)', abort: true })
  .refine((value) => parsePeriod(value).start <= todayIso(), { error: 'That period has not started yet' });

export const snapshotCreateSchema = z.object({
  period: snapshotPeriodSchema,
  title: z
    .string({ error: 'Give the snapshot a title' })
    .trim()
    .min(1, { error: 'Give the snapshot a title' })
    .max(120, { error: 'Keep the title to 120 characters' }),
  note: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(2000, { error: 'Keep the note to 2,000 characters' })
      .optional()
      .transform((value) => value ?? null),
  ),
  expiresInDays: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'Choose how many days the link lasts' })
      .int({ error: 'Choose a whole number of days' })
      .min(1, { error: 'A link lasts at least 1 day' })
      .max(SNAPSHOT_MAX_EXPIRY_DAYS, { error: `A link lasts at most ${SNAPSHOT_MAX_EXPIRY_DAYS} days` })
      .default(SNAPSHOT_DEFAULT_EXPIRY_DAYS),
  ),
  passcode: z.preprocess(blankToUndefined, passcodeSchema.optional().transform((value) => value ?? null)),
});

export type SnapshotCreateInput = z.infer<typeof snapshotCreateSchema>;

export const snapshotIdSchema = rowIdSchema('No such snapshot');

/** Setting a passcode (or, with an empty one, removing it). */
export const snapshotPasscodeSchema = z.object({
  passcode: z.preprocess(blankToUndefined, passcodeSchema.optional().transform((value) => value ?? null)),
});

export const snapshotUnlockSchema = z.object({
  passcode: z.string({ error: 'Enter the passcode' }).min(1, { error: 'Enter the passcode' }).max(MAX_PASSCODE_LENGTH * 4),
});
