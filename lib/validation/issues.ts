import { z } from 'zod';
import { isPeriod } from '@/lib/metrics/period';
import { parseFormMoney } from '@/lib/validation/form-money';
import { rowIdSchema } from '@/lib/validation/ids';
import { isCalendarDate } from '@/lib/validation/records';

const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);

/** What an admin sets on a recurring issue: who answers for it, what a fix at the core would cost, when it was fixed. */
export const recurringIssueUpdateSchema = z.object({
  issueKey: z.string().min(1, { error: 'Choose an issue' }).max(500),
  ownerId: z.preprocess(
    blank,
    rowIdSchema('Choose an executive').nullable(),
  ),
  estimatedFixCost: z.preprocess(
    blank,
    z
      .string()
      .transform((typed, ctx) => {
        const money = parseFormMoney(typed);
        if (money.ok) return money.amount;
        ctx.issues.push({ code: 'custom', input: typed, message: `The estimate ${money.reason}` });
        return z.NEVER;
      })
      .nullable(),
  ),
  fixedOn: z.preprocess(
    blank,
    z.string().trim().refine(isCalendarDate, { error: 'Enter a date like 2025-03-14' }).nullable(),
  ),
});

export type RecurringIssueUpdateInput = z.infer<typeof recurringIssueUpdateSchema>;

export const ISSUE_SORTS = ['repeat-cost', 'total-cost', 'repeats', 'last-seen', 'issue', 'owner'] as const;
export const ISSUE_STATES = ['all', 'open', 'fixed', 'came-back'] as const;
export const ISSUE_KINDS = ['all', 'recurring', 'one-off'] as const;
export type IssueSort = (typeof ISSUE_SORTS)[number];
export type IssueState = (typeof ISSUE_STATES)[number];
export type IssueKind = (typeof ISSUE_KINDS)[number];

const param = (value: unknown) => (Array.isArray(value) ? value[0] : value === '' ? undefined : value);

/**
 * The recurring-issues list as the URL asks for it. A hand-edited or stale URL falls back to the
 * default for that parameter rather than an error page: these are view choices, not data.
 */
export const issueListQuerySchema = z.object({
  sort: z.preprocess(param, z.enum(ISSUE_SORTS).catch('repeat-cost').default('repeat-cost')),
  dir: z.preprocess(param, z.enum(['asc', 'desc']).optional().catch(undefined)),
  state: z.preprocess(param, z.enum(ISSUE_STATES).catch('all').default('all')),
  kind: z.preprocess(param, z.enum(ISSUE_KINDS).catch('all').default('all')),
  owner: z.preprocess(
    param,
    z
      .union([z.literal('none'), rowIdSchema('Choose an executive')])
      .optional()
      .catch(undefined),
  ),
  period: z.preprocess(param, z.string().refine(isPeriod).optional().catch(undefined)),
  page: z.preprocess(param, z.coerce.number().int().min(1).max(100_000).catch(1).default(1)),
  edit: z.preprocess(param, z.string().max(500).optional().catch(undefined)),
});

export type IssueListQuery = z.output<typeof issueListQuerySchema>;

/** Which way a sort runs when the URL does not say: money and counts largest first, names A–Z. */
export function defaultIssueSortDir(sort: IssueSort): 'asc' | 'desc' {
  return sort === 'issue' || sort === 'owner' ? 'asc' : 'desc';
}
