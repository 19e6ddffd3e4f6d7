'use server';

import { randomUUID } from 'node:crypto';
import { revalidatePath } from 'next/cache';
import { getDb } from '@/lib/db';
import { ForbiddenError } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { logSpotFix } from '@/lib/data/spot-fixes';
import { todayIso } from '@/lib/metrics/period';
import { parseSpotFixForm, type SpotFixFieldErrors, type SpotFixFormValues } from '@/lib/validation/spot-fix-form';

export interface SpotFixFormState {
  status: 'idle' | 'success' | 'error';
  message?: string;
  fieldErrors?: SpotFixFieldErrors;
  values?: SpotFixFormValues;
  /** Changes on every success, so the form can reset itself. */
  loggedId?: string;
}

// The latest date anyone on Earth can call "today" (UTC+14).
const latestToday = () => todayIso(new Date(Date.now() + 14 * 60 * 60 * 1000));

export async function logSpotFixAction(_previous: SpotFixFormState, formData: FormData): Promise<SpotFixFormState> {
  const me = await requireExecutive();
  const spotFixId = `web-${randomUUID()}`;
  const parsed = parseSpotFixForm(formData, spotFixId, latestToday());
  if (!parsed.ok) {
    return { status: 'error', message: 'Check the highlighted fields; nothing was saved.', fieldErrors: parsed.fieldErrors, values: parsed.values };
  }
  try {
    await logSpotFix(await getDb(), me, parsed.record);
  } catch (error) {
    if (error instanceof ForbiddenError) return { status: 'error', message: 'Viewers cannot log spot fixes.' };
    throw error;
  }
  revalidatePath('/spot-fixes');
  revalidatePath('/issues');
  revalidatePath('/');
  return { status: 'success', message: `Logged “${parsed.record.issue}”.`, loggedId: spotFixId };
}
