import { z } from 'zod';
import { isCalendarDate, normaliseMoney } from '@/lib/validation/records';

const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);

/** What an admin sets on a recurring issue: who answers for it, what a fix at the core would cost, when it was fixed. */
export const recurringIssueUpdateSchema = z.object({
  issueKey: z.string().min(1, { error: 'Choose an issue' }).max(500),
  ownerId: z.preprocess(
    blank,
    z.coerce.number({ error: 'Choose an executive' }).int({ error: 'Choose an executive' }).positive({ error: 'Choose an executive' }).nullable(),
  ),
  estimatedFixCost: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .regex(/^\d{1,12}(\.\d{1,2})?$/, { error: 'Enter an amount like 25000 or 25000.50 (no currency sign)' })
      .transform(normaliseMoney)
      .nullable(),
  ),
  fixedOn: z.preprocess(
    blank,
    z.string().trim().refine(isCalendarDate, { error: 'Enter a date like 2025-03-14' }).nullable(),
  ),
});

export type RecurringIssueUpdateInput = z.infer<typeof recurringIssueUpdateSchema>;
