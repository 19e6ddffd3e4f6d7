import { z } from 'zod';
import { GRANULARITIES, METRIC_KEYS, POWER_CORES, ROLES, type MetricKey } from '@/lib/db/schema';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { executiveCreateSchema } from './executives';
import { parseRowId, rowIdSchema } from './ids';
import { isCalendarDate } from './records';

const id = (what: string) => rowIdSchema(`Choose ${what}`);

export const personCreateSchema = executiveCreateSchema;
export type PersonCreateInput = z.infer<typeof personCreateSchema>;

export const personUpdateSchema = z.object({
  id: id('a person'),
  name: z.string().trim().min(1, { error: 'Enter a name' }).max(200),
  title: z.string().trim().min(1, { error: 'Enter a title' }).max(200),
  powerCore: z.enum(POWER_CORES, { error: `Choose a power core: ${POWER_CORES.join(', ')}` }),
  role: z.enum(ROLES, { error: `Choose a role: ${ROLES.join(', ')}` }),
});
export type PersonUpdateInput = z.infer<typeof personUpdateSchema>;

export const personIdSchema = z.object({ id: id('a person') });

/**
 * Who takes over what a person is giving up: each metric, from form fields named
 * `newOwner.<metric>`, and their open recurring issues and actions together, from `newOwner.work`.
 * Empty choices are left out, so the data layer can say exactly which still needs one.
 */
export const HAND_OVER_FIELDS = [...METRIC_KEYS, 'work'] as const;
export type NewOwners = Partial<Record<(typeof HAND_OVER_FIELDS)[number], number>>;

export function newOwnersFromForm(formData: FormData): { ok: true; newOwners: NewOwners } | { ok: false; field: string; message: string } {
  const newOwners: NewOwners = {};
  for (const key of HAND_OVER_FIELDS) {
    const raw = formData.get(`newOwner.${key}`);
    if (raw === null || raw === '') continue;
    const ownerId = parseRowId(raw);
    if (ownerId === null) return { ok: false, field: `newOwner.${key}`, message: 'Choose a new owner from the list' };
    newOwners[key] = ownerId;
  }
  return { ok: true, newOwners };
}

export const metricOwnerSchema = z.object({
  metric: z.enum(METRIC_KEYS, { error: 'Choose a metric' }),
  ownerId: id('a new owner'),
});
export type MetricOwnerInput = z.infer<typeof metricOwnerSchema>;

/**
 * Percentages as people write them ("95", "92.5", "95 %"), turned into the stored ratio by moving
 * the decimal point, never through a float: "92.5" becomes "0.925".
 */
const PERCENT_PATTERN = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

export function percentToRatio(percent: string): string | null {
  const match = PERCENT_PATTERN.exec(percent.trim().replace(/\s*%$/, ''));
  if (!match) return null;
  const hundredths = BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  if (hundredths > 10000n) return null;
  // hundredths of a percent are ten-thousandths of a ratio: numeric(14,4) holds them exactly.
  return `${hundredths / 10000n}.${String(hundredths % 10000n).padStart(4, '0')}`;
}

/** The stored ratio ("0.9250") as a percentage for a form field ("92.5"). */
export function ratioToPercent(ratio: string): string {
  const units = decimalToUnits(ratio, 4);
  if (units === null) return ratio;
  const whole = units / 100n;
  const fraction = String(units % 100n).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** A non-negative decimal as a whole number of 10^-places units; null if it has more places or is not a number. */
export function decimalToUnits(value: string, places: number): bigint | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return null;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > places) return null;
  return BigInt(match[1]) * 10n ** BigInt(places) + BigInt(fraction.padEnd(places, '0') || '0');
}

const MONEY_PATTERN = /^\d{1,10}(?:\.\d{1,2})?$/;

/** Money per month as typed, allowing thousands separators and a leading currency sign. */
export function parseMonthlyMoney(value: string): string | null {
  const cleaned = value.trim().replace(/^[$€£]\s*/, '').replace(/,/g, '');
  return MONEY_PATTERN.test(cleaned) ? cleaned : null;
}

/**
 * Targets as the form sends them. Ratios are percentages and money is for the whole period; the result is
 * in stored units (ratio or money decimal strings). Which side of the target the threshold must
 * be on depends on the metric's direction, which the data layer knows and checks.
 */
export function metricTargetsFromForm(
  metric: MetricKey,
  input: { target: unknown; atRiskThreshold: unknown },
):
  | { ok: true; target: string; atRiskThreshold: string }
  | { ok: false; fieldErrors: Partial<Record<'target' | 'atRiskThreshold', string[]>> } {
  const isMoney = metric === 'spot_fix_cost';
  const parse = (raw: unknown) => {
    const text = typeof raw === 'string' ? raw : '';
    return isMoney ? parseMonthlyMoney(text) : percentToRatio(text);
  };
  const message = isMoney
    ? 'Enter an amount for the period, with at most 2 decimal places (for example 40000 or 40000.50)'
    : 'Enter a percentage from 0 to 100, with at most 2 decimal places (for example 95 or 92.5)';
  const target = parse(input.target);
  const atRiskThreshold = parse(input.atRiskThreshold);
  const fieldErrors: Partial<Record<'target' | 'atRiskThreshold', string[]>> = {};
  if (target === null) fieldErrors.target = [message];
  if (atRiskThreshold === null) fieldErrors.atRiskThreshold = [message];
  if (target === null || atRiskThreshold === null) return { ok: false, fieldErrors };
  return { ok: true, target, atRiskThreshold };
}

export const metricKeySchema = z.enum(METRIC_KEYS, { error: 'Choose a metric' });

export const granularitySchema = z.enum(GRANULARITIES, { error: 'Choose month, quarter or year' });

/** A calendar date as a form sends it (YYYY-MM-DD), checked to be a real day. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Write a date as YYYY-MM-DD' })
  .refine(isCalendarDate, { error: 'That day does not exist' });

export const passwordSetSchema = z
  .object({
    token: z.string().min(1).max(200),
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, { error: `Use at least ${MIN_PASSWORD_LENGTH} characters` })
      // bcrypt reads only the first 72 bytes; a longer password would silently lose its end.
      .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, { error: 'Use at most 72 bytes (about 72 characters)' }),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], error: 'The two passwords do not match' });
export type PasswordSetInput = z.infer<typeof passwordSetSchema>;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));
const optionalDate = (what: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || isCalendarDate(v), {
      error: `The ${what} date must be a real day written as YYYY-MM-DD`,
    });

/** The audit log page's filters, read from its query string. */
export const auditFilterSchema = z
  .object({
    actor: optionalText(20).refine((v) => v === undefined || v === 'system' || parseRowId(v) !== null, {
      error: 'Choose someone from the list',
    }),
    entity: optionalText(100),
    action: optionalText(100),
    from: optionalDate('from'),
    to: optionalDate('to'),
    cursor: optionalText(100),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ['to'], error: 'The end date is before the start date' });
export type AuditFilterInput = z.infer<typeof auditFilterSchema>;
