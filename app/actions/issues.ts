'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { ForbiddenError } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { RecurringIssueError, updateRecurringIssue } from '@/lib/data/recurring-issues';
import { todayIso } from '@/lib/metrics/period';
import { recurringIssueUpdateSchema } from '@/lib/validation/issues';

export interface IssueFormState {
  status: 'idle' | 'success' | 'error';
  message?: string;
  fieldErrors?: Partial<Record<'issueKey' | 'ownerId' | 'estimatedFixCost' | 'fixedOn', string[]>>;
}

export async function updateRecurringIssueAction(_previous: IssueFormState, formData: FormData): Promise<IssueFormState> {
  const me = await requireExecutive();
  const parsed = recurringIssueUpdateSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    return { status: 'error', message: 'Nothing was saved.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  try {
    await updateRecurringIssue(await getDb(), me, parsed.data, todayIso(new Date(Date.now() + 14 * 60 * 60 * 1000)));
  } catch (error) {
    if (error instanceof ForbiddenError) return { status: 'error', message: 'Only an admin can change a recurring issue.' };
    if (error instanceof RecurringIssueError) {
      return { status: 'error', message: 'Nothing was saved.', fieldErrors: { [error.field]: [error.message] } };
    }
    throw error;
  }
  revalidatePath('/issues');
  revalidatePath('/spot-fixes');
  return { status: 'success', message: 'Saved.' };
}
