import { z } from 'zod';
import { SPOT_FIX_CATEGORIES } from '@/lib/db/schema';

/**
 * The three kinds of record, validated the same way whichever way they come in
 * (CSV import, JSON API, the spot-fix form, the demo generator). Inputs use SPEC's
 * snake_case column names; CSV gives strings, JSON may give numbers.
 */
export const RECORD_KINDS = ['customers', 'responses', 'spot-fixes'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

const MAX_ID = 200;
const MAX_TEXT = 2000;

/** Null and empty (or blank) mean "no value" (for a required field: missing). */
const blankToUndefined = (value: unknown) =>
  value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;

/**
 * An optional field keeps absence apart from emptiness (SPEC "Data in"): a column absent from the
 * file (a key absent from the JSON) gives `undefined` — "leave the stored value as it was" — while
 * an empty cell (or null) gives `null` — "clear it".
 */
const blankToNull = (value: unknown) =>
  value === null || (typeof value === 'string' && value.trim() === '') ? null : value;

// PostgreSQL text cannot hold NUL; refuse it here so it never becomes a database error.
const NO_NUL = { error: 'must not contain a NUL character' };
const hasNoNul = (value: string) => !value.includes('\u0000');

const requiredText = (max: number) =>
  z.preprocess(
    blankToUndefined,
    z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
      .trim()
      .max(max, { error: `must be at most ${max} characters` })
      .refine(hasNoNul, NO_NUL),
  );

const optionalText = (max = MAX_TEXT) =>
  z.preprocess(
    blankToNull,
    z
      .string({ error: 'must be text' })
      .trim()
      .max(max, { error: `must be at most ${max} characters` })
      .refine(hasNoNul, NO_NUL)
      .nullable()
      .optional(),
  );

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const dateString = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a date (YYYY-MM-DD)') })
  .trim()
  .refine(isCalendarDate, { error: (issue) => `"${issue.input}" is not a date (YYYY-MM-DD)` });

const requiredDate = z.preprocess(blankToUndefined, dateString);
const optionalDate = z.preprocess(blankToNull, dateString.nullable().optional());

const MONEY = /^-?\d{1,12}(\.\d{1,2})?$/;

/** Normalises a decimal with at most 2 places to exactly 2 ("12.5" → "12.50"), without floating point. */
export function normaliseMoney(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const digits = whole.replace(/^(-?)0+(?=\d)/, '$1');
  return `${digits}.${fraction.padEnd(2, '0')}`;
}

const moneyString = z
  .union([z.string(), z.number()], {
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be an amount like 1234.56'),
  })
  .transform((value) => String(value).trim())
  .refine((value) => MONEY.test(value), {
    error: (issue) => `"${issue.input}" is not an amount with at most 2 decimal places`,
  })
  .refine((value) => !value.startsWith('-'), { error: 'must not be negative' })
  .transform(normaliseMoney);

const requiredMoney = z.preprocess(blankToUndefined, moneyString);
const optionalMoney = z.preprocess(blankToNull, moneyString.nullable().optional());

const score = z.preprocess(
  blankToUndefined,
  z
    .union([z.string(), z.number()], {
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be a whole number from 0 to 10'),
    })
    .transform((value) => String(value).trim())
    .refine((value) => /^\d{1,2}$/.test(value) && Number(value) <= 10, {
      error: (issue) => `"${issue.input}" is not a whole number from 0 to 10`,
    })
    .transform(Number),
);

const category = z.preprocess(
  (value) => {
    const blank = blankToUndefined(value);
    return typeof blank === 'string' ? blank.trim().toLowerCase() : blank;
  },
  z.enum(SPOT_FIX_CATEGORIES, {
    error: (issue) =>
      issue.input === undefined ? 'is required' : `"${issue.input}" is not one of ${SPOT_FIX_CATEGORIES.join(', ')}`,
  }),
);

export const customerRecordSchema = z
  .object({
    customer_id: requiredText(MAX_ID),
    name: optionalText(),
    segment: optionalText(200),
    acquired_on: requiredDate,
    churned_on: optionalDate,
    monthly_value: optionalMoney,
    churn_reason: optionalText(),
  })
  .refine(
    // Zod still runs this when a date failed above; only two real dates can be compared.
    (r) => !isCalendarDate(String(r.acquired_on)) || !r.churned_on || !isCalendarDate(String(r.churned_on)) || r.churned_on >= r.acquired_on,
    { path: ['churned_on'], error: 'must not be before acquired_on' },
  );

export const responseRecordSchema = z.object({
  response_id: requiredText(MAX_ID),
  // Optional: surveys are often anonymous; when given it need not name a customer loaded yet.
  customer_id: optionalText(MAX_ID),
  responded_on: requiredDate,
  score,
  touchpoint: optionalText(200),
  comment: optionalText(),
});

export const spotFixRecordSchema = z.object({
  spot_fix_id: requiredText(MAX_ID),
  occurred_on: requiredDate,
  // Kept exactly as written (SPEC): only the issue key ignores case and extra white space.
  issue: z.preprocess(
    blankToUndefined,
    z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
      .max(500, { error: 'must be at most 500 characters' })
      .refine(hasNoNul, NO_NUL),
  ),
  category,
  cost: requiredMoney,
  // Optional: many fires concern no single customer.
  customer_id: optionalText(MAX_ID),
  journey_stage: optionalText(200),
  note: optionalText(),
});

export type CustomerRecord = z.output<typeof customerRecordSchema>;
export type ResponseRecord = z.output<typeof responseRecordSchema>;
export type SpotFixRecord = z.output<typeof spotFixRecordSchema>;

export interface RecordTypes {
  customers: CustomerRecord;
  responses: ResponseRecord;
  'spot-fixes': SpotFixRecord;
}
export type AnyRecord = RecordTypes[RecordKind];

export const RECORD_SCHEMAS = {
  customers: customerRecordSchema,
  responses: responseRecordSchema,
  'spot-fixes': spotFixRecordSchema,
} as const;

/** SPEC's columns for each kind, in export order. */
export const RECORD_COLUMNS = {
  customers: ['customer_id', 'name', 'segment', 'acquired_on', 'churned_on', 'monthly_value', 'churn_reason'],
  responses: ['response_id', 'customer_id', 'responded_on', 'score', 'touchpoint', 'comment'],
  'spot-fixes': ['spot_fix_id', 'occurred_on', 'issue', 'category', 'cost', 'customer_id', 'journey_stage', 'note'],
} as const satisfies Record<RecordKind, readonly string[]>;

export const REQUIRED_COLUMNS = {
  customers: ['customer_id', 'acquired_on'],
  responses: ['response_id', 'responded_on', 'score'],
  'spot-fixes': ['spot_fix_id', 'occurred_on', 'issue', 'category', 'cost'],
} as const satisfies Record<RecordKind, readonly string[]>;

export const ID_COLUMN = {
  customers: 'customer_id',
  responses: 'response_id',
  'spot-fixes': 'spot_fix_id',
} as const satisfies Record<RecordKind, string>;

/** One problem with one record: `row` is the spreadsheet row (CSV) or array index (JSON). */
export interface RecordProblem {
  row: number;
  column: string | null;
  message: string;
}

export type RecordValidation<K extends RecordKind> =
  | { ok: true; record: RecordTypes[K] }
  | { ok: false; problems: Array<{ column: string | null; message: string }> };

export function validateRecord<K extends RecordKind>(kind: K, input: unknown): RecordValidation<K> {
  const result = RECORD_SCHEMAS[kind].safeParse(input);
  if (result.success) return { ok: true, record: result.data as RecordTypes[K] };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      column: issue.path.length ? String(issue.path[0]) : null,
      message: issue.message,
    })),
  };
}

export function isRecordKind(value: string): value is RecordKind {
  return (RECORD_KINDS as readonly string[]).includes(value);
}
