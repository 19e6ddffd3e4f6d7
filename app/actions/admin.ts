'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { can, ForbiddenError } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { DuplicateEmailError, type ExecutiveDto } from '@/lib/data/executives';
import { reassignMetricOwner, updateDataSince, updateMetricTargets } from '@/lib/data/metric-settings';
import {
  AdminRuleError,
  createPerson,
  deactivatePerson,
  issuePasswordLink,
  reactivatePerson,
  updatePerson,
} from '@/lib/data/people';
import type { IssuedPasswordToken } from '@/lib/auth/password-tokens';
import { emailPasswordLink } from '@/lib/mail/password-mail';
import {
  granularitySchema,
  isoDateSchema,
  metricKeySchema,
  metricOwnerSchema,
  metricTargetsFromForm,
  newOwnersFromForm,
  personCreateSchema,
  personIdSchema,
  personUpdateSchema,
} from '@/lib/validation/admin';

export interface PasswordLinkView {
  /** Path only: the browser adds its own origin, so a forged Host header cannot shape the link. */
  path: string;
  purpose: 'invite' | 'reset';
  expiresAt: string;
  name: string;
  email: string;
}

export interface AdminFormState {
  status: 'idle' | 'success' | 'error';
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** What was submitted, so a refused form keeps what the admin typed. */
  values?: Record<string, string>;
  link?: PasswordLinkView;
}

const REFUSED: AdminFormState = { status: 'error', message: 'Only admins can do that.' };

function submitted(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === 'string' && !key.startsWith('$')) values[key] = value;
  return values;
}

function linkView(person: ExecutiveDto, link: IssuedPasswordToken): PasswordLinkView {
  return { path: link.path, purpose: link.purpose, expiresAt: link.expiresAt.toISOString(), name: person.name, email: person.email };
}

/** The data layer's refusals become messages; anything else is a real failure and goes on up. */
function refusal(error: unknown, values?: Record<string, string>): AdminFormState {
  if (error instanceof ForbiddenError) return REFUSED;
  if (error instanceof AdminRuleError) {
    if (!error.field) return { status: 'error', message: error.message, values };
    return { status: 'error', message: 'Nothing was saved: see the highlighted field.', values, fieldErrors: { [error.field]: [error.message] } };
  }
  if (error instanceof DuplicateEmailError) {
    return { status: 'error', message: 'Nothing was saved: see the highlighted field.', values, fieldErrors: { email: [error.message] } };
  }
  throw error;
}

function invalid(error: z.ZodError, values: Record<string, string>): AdminFormState {
  return { status: 'error', message: 'Check the highlighted fields.', fieldErrors: z.flattenError(error).fieldErrors, values };
}

// Every admin change can alter what the scorecard shows (owners, titles, targets).
const revalidateAll = () => revalidatePath('/', 'layout');

export async function createPersonAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const values = submitted(formData);
  const parsed = personCreateSchema.safeParse(values);
  if (!parsed.success) return invalid(parsed.error, values);
  let created;
  try {
    created = await createPerson(await getDb(), me, parsed.data);
  } catch (error) {
    return refusal(error, values);
  }
  // After the token's transaction has committed: the email is the invite, the link its fallback.
  const emailed = await emailPasswordLink(await getDb(), created.person, created.link);
  revalidateAll();
  return {
    status: 'success',
    message: `Added ${created.person.name}. Send them this invite link: it works once, for 7 days.${emailed}`,
    link: linkView(created.person, created.link),
  };
}

export async function updatePersonAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const values = submitted(formData);
  const parsed = personUpdateSchema.safeParse(values);
  if (!parsed.success) return invalid(parsed.error, values);
  const owners = newOwnersFromForm(formData);
  if (!owners.ok) return { status: 'error', message: owners.message, fieldErrors: { [owners.field]: [owners.message] }, values };
  let person;
  try {
    person = await updatePerson(await getDb(), me, parsed.data, owners.newOwners);
  } catch (error) {
    return refusal(error, values);
  }
  revalidateAll();
  return { status: 'success', message: `Saved ${person.name}.`, values };
}

export async function deactivatePersonAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const values = submitted(formData);
  const parsed = personIdSchema.safeParse(values);
  if (!parsed.success) return invalid(parsed.error, values);
  const owners = newOwnersFromForm(formData);
  if (!owners.ok) return { status: 'error', message: owners.message, fieldErrors: { [owners.field]: [owners.message] }, values };
  let person;
  try {
    person = await deactivatePerson(await getDb(), me, parsed.data.id, owners.newOwners);
  } catch (error) {
    return refusal(error, values);
  }
  revalidateAll();
  return { status: 'success', message: `${person.name} is deactivated and signed out everywhere.` };
}

export async function reactivatePersonAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const parsed = personIdSchema.safeParse(submitted(formData));
  if (!parsed.success) return invalid(parsed.error, {});
  let person;
  try {
    person = await reactivatePerson(await getDb(), me, parsed.data.id);
  } catch (error) {
    return refusal(error);
  }
  revalidateAll();
  return { status: 'success', message: `${person.name} is active again and can sign in.` };
}

export async function issuePasswordLinkAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const parsed = personIdSchema.safeParse(submitted(formData));
  if (!parsed.success) return invalid(parsed.error, {});
  let issued;
  try {
    issued = await issuePasswordLink(await getDb(), me, parsed.data.id);
  } catch (error) {
    return refusal(error);
  }
  const emailed = await emailPasswordLink(await getDb(), issued.person, issued.link);
  revalidateAll();
  const lifetime = issued.link.purpose === 'invite' ? 'for 7 days' : 'for 1 hour';
  return {
    status: 'success',
    message: `New ${issued.link.purpose === 'invite' ? 'invite' : 'password reset'} link for ${issued.person.name}: it works once, ${lifetime}. Earlier links no longer work.${emailed}`,
    link: linkView(issued.person, issued.link),
  };
}

export async function reassignMetricOwnerAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const values = submitted(formData);
  const parsed = metricOwnerSchema.safeParse(values);
  if (!parsed.success) return invalid(parsed.error, values);
  let changed;
  try {
    changed = await reassignMetricOwner(await getDb(), me, parsed.data.metric, parsed.data.ownerId);
  } catch (error) {
    const state = refusal(error, values);
    // The data layer names the field after the metric; this form has one owner field.
    return state.fieldErrors ? { ...state, fieldErrors: { ownerId: Object.values(state.fieldErrors).flat() as string[] } } : state;
  }
  revalidateAll();
  return { status: 'success', message: changed ? 'Owner changed.' : 'That person already owns this metric.', values };
}

export async function updateMetricTargetsAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const values = submitted(formData);
  const metric = metricKeySchema.safeParse(values.metric);
  if (!metric.success) return { status: 'error', message: 'Choose a metric.', values };
  const granularity = granularitySchema.safeParse(values.granularity ?? 'month');
  const effectiveFrom = isoDateSchema.safeParse(values.effectiveFrom);
  const fieldErrors: Record<string, string[]> = {};
  if (!granularity.success) fieldErrors.granularity = ['Choose month, quarter or year.'];
  if (!effectiveFrom.success) fieldErrors.effectiveFrom = [effectiveFrom.error.issues[0].message];
  const derive = values.derive === 'on' && granularity.success && granularity.data !== 'month';
  const parsed = derive
    ? ({ ok: true, target: null, atRiskThreshold: null } as const)
    : metricTargetsFromForm(metric.data, { target: values.target, atRiskThreshold: values.atRiskThreshold });
  if (!parsed.ok) Object.assign(fieldErrors, parsed.fieldErrors);
  if (!parsed.ok || !granularity.success || !effectiveFrom.success) {
    return { status: 'error', message: 'Check the highlighted fields.', fieldErrors, values };
  }
  try {
    await updateMetricTargets(await getDb(), me, metric.data, {
      target: parsed.target,
      atRiskThreshold: parsed.atRiskThreshold,
      granularity: granularity.data,
      effectiveFrom: effectiveFrom.data,
    });
  } catch (error) {
    return refusal(error, values);
  }
  revalidateAll();
  return {
    status: 'success',
    message: derive ? 'From that date this target is derived from the month’s again.' : 'Target and threshold saved.',
    values,
  };
}

export async function updateDataSinceAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const values = submitted(formData);
  const metric = metricKeySchema.safeParse(values.metric);
  if (!metric.success) return { status: 'error', message: 'Choose a metric.', values };
  const raw = (values.dataSince ?? '').trim();
  const date = raw === '' ? null : isoDateSchema.safeParse(raw);
  if (date && !date.success) {
    return { status: 'error', message: 'Check the highlighted field.', fieldErrors: { dataSince: [date.error.issues[0].message] }, values };
  }
  try {
    await updateDataSince(await getDb(), me, metric.data, date ? date.data : null);
  } catch (error) {
    return refusal(error, values);
  }
  revalidateAll();
  return { status: 'success', message: date ? 'Data-since date saved.' : 'Data since now follows the earliest record.', values };
}
