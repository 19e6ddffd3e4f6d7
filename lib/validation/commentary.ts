import { z } from 'zod';
import { ACTION_STATUSES, METRIC_KEYS } from '@/lib/db/schema';
import { isPeriod, parsePeriod } from '@/lib/metrics/period';
import { rowIdSchema } from './ids';
import { isCalendarDate } from './records';

export const COMMENTARY_MAX_LENGTH = 5000;
export const ACTION_TITLE_MAX_LENGTH = 200;

const metricKey = z.enum(METRIC_KEYS, { error: `Choose a metric: ${METRIC_KEYS.join(', ')}` });

/** A period label as written in URLs (2025-03, 2025-Q1, 2025), normalised to its canonical form. */
const period = z
  .string({ error: 'Choose a period' })
  .trim()
  .refine(isPeriod, { error: 'Period must look like 2025-03, 2025-Q1 or 2025' })
  .transform((value) => parsePeriod(value).label);

const id = rowIdSchema('Missing id');

export const commentarySaveSchema = z.object({
  metricKey,
  period,
  body: z
    .string({ error: 'Write the commentary' })
    .trim()
    .min(1, { error: 'Write the commentary: why the number moved and what you are doing about it' })
    .max(COMMENTARY_MAX_LENGTH, { error: `Keep the commentary under ${COMMENTARY_MAX_LENGTH} characters` }),
  /** The version the editor started from; 0 when there was no commentary yet. */
  baseVersion: z.coerce.number({ error: 'Missing version' }).int().min(0, { error: 'Missing version' }),
});
export type CommentarySaveInput = z.infer<typeof commentarySaveSchema>;

/** Empty form fields count as absent. */
const blankToUndefined = (value: unknown) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '') ? undefined : value;

const optionalDate = (message: string) =>
  z.preprocess(blankToUndefined, z.string({ error: message }).trim().refine(isCalendarDate, { error: message }).optional());

export const actionCreateSchema = z.object({
  metricKey,
  /** The period view the form was on; an action belongs to the days it is open, not to one period. */
  period: period.optional(),
  title: z
    .string({ error: 'Enter what will be done' })
    .trim()
    .min(1, { error: 'Enter what will be done' })
    .max(ACTION_TITLE_MAX_LENGTH, { error: `Keep the title under ${ACTION_TITLE_MAX_LENGTH} characters` }),
  ownerId: rowIdSchema('Choose an owner'),
  dueOn: optionalDate('Due date must be a date (YYYY-MM-DD)').transform((value) => value ?? null),
  /** The day the action was opened; today when absent. */
  openedOn: optionalDate('Opened on must be a date (YYYY-MM-DD)'),
  /** A recurring issue's key (recurring_issues.issue_key), or nothing. */
  issueKey: z
    .preprocess(blankToUndefined, z.string({ error: 'Choose a recurring issue' }).trim().max(500).optional())
    .transform((value) => value ?? null),
  status: z.enum(ACTION_STATUSES, { error: 'Status must be open, in progress or done' }).default('open'),
});
export type ActionCreateInput = z.infer<typeof actionCreateSchema>;

export const actionStatusSchema = z.object({
  id,
  status: z.enum(ACTION_STATUSES, { error: 'Status must be open, in progress or done' }),
});
export type ActionStatusInput = z.infer<typeof actionStatusSchema>;
