'use server';

import { randomUUID } from 'node:crypto';
import { revalidatePath } from 'next/cache';
import { getDb } from '@/lib/db';
import { can, ForbiddenError } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { checkCustomerId, logSpotFix, type CustomerCheck } from '@/lib/data/spot-fixes';
import { todayIso } from '@/lib/metrics/period';
import { parseSpotFixForm, type SpotFixFieldErrors, type SpotFixFormValues } from '@/lib/validation/spot-fix-form';

export interface SpotFixFormState {
  status: 'idle' | 'success' | 'error' | 'warning';
  message?: string;
  fieldErrors?: SpotFixFieldErrors;
  values?: SpotFixFormValues;
  /** A customer id that names no loaded customer: what it might have meant; sending the same id again logs it. */
  customerWarning?: { customerId: string; matches: CustomerCheck['matches'] };
  /** Changes on every success, so the form can reset itself. */
  loggedId?: string;
}

// The latest date anyone on Earth can call "today" (UTC+14).
const latestToday = () => todayIso(new Date(Date.now() + 14 * 60 * 60 * 1000));

export async function logSpotFixAction(_previous: SpotFixFormState, formData: FormData): Promise<SpotFixFormState> {
  const me = await requireExecutive();
  if (!can(me, 'log-spot-fix')) return { status: 'error', message: 'Viewers cannot log spot fixes.' };
  const spotFixId = `web-${randomUUID()}`;
  const parsed = parseSpotFixForm(formData, spotFixId, latestToday());
  if (!parsed.ok) {
    return { status: 'error', message: 'Check the highlighted fields; nothing was saved.', fieldErrors: parsed.fieldErrors, values: parsed.values };
  }
  const db = await getDb();
  const customerId = parsed.record.customer_id;
  if (customerId && formData.get('unknown_customer_confirmed') !== customerId) {
    const check = await checkCustomerId(db, customerId);
    if (!check.exists) {
      return {
        status: 'warning',
        message: 'Nothing was saved yet: check the customer id.',
        customerWarning: { customerId, matches: check.matches },
        values: parsed.values,
      };
    }
  }
  try {
    await logSpotFix(db, me, parsed.record);
  } catch (error) {
    if (error instanceof ForbiddenError) return { status: 'error', message: 'Viewers cannot log spot fixes.' };
    throw error;
  }
  revalidatePath('/spot-fixes');
  revalidatePath('/issues');
  revalidatePath('/');
  return { status: 'success', message: `Logged “${parsed.record.issue}”.`, loggedId: spotFixId };
}
