'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireExecutive } from '@/lib/auth/session';
import { ForbiddenError } from '@/lib/auth/permissions';
import { getDb } from '@/lib/db';
import { saveCommentary, type CommentaryDto } from '@/lib/data/commentary';
import { ActionInputError, ActionNotFoundError, createAction, updateActionStatus } from '@/lib/data/metric-actions';
import { actionCreateSchema, actionStatusSchema, commentarySaveSchema } from '@/lib/validation/commentary';

type FieldErrors = Record<string, string[] | undefined>;

/** The newer commentary someone else saved, as the editor shows it after a conflict. */
export interface CommentaryConflict {
  body: string;
  version: number;
  authorName: string;
  updatedAt: string;
}

export interface CommentaryFormState {
  status: 'idle' | 'success' | 'error' | 'conflict';
  message?: string;
  fieldErrors?: FieldErrors;
  /** After a save: the version now stored, which the next edit starts from. */
  version?: number;
  conflict?: CommentaryConflict;
}

export interface ActionFormState {
  status: 'idle' | 'success' | 'error';
  message?: string;
  fieldErrors?: FieldErrors;
}

const FORBIDDEN_MESSAGE = 'Only the metric’s owner or an admin can change its commentary and actions.';

function fields(formData: FormData): Record<string, FormDataEntryValue> {
  return Object.fromEntries([...formData.entries()].filter(([name]) => !name.startsWith('$')));
}

function toConflict(current: CommentaryDto): CommentaryConflict {
  return { body: current.body, version: current.version, authorName: current.author.name, updatedAt: current.updatedAt.toISOString() };
}

export async function saveCommentaryAction(_previous: CommentaryFormState, formData: FormData): Promise<CommentaryFormState> {
  const me = await requireExecutive();
  const parsed = commentarySaveSchema.safeParse(fields(formData));
  if (!parsed.success) {
    return { status: 'error', message: 'Check the commentary and try again.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  let result;
  try {
    result = await saveCommentary(await getDb(), me, parsed.data);
  } catch (error) {
    if (error instanceof ForbiddenError) return { status: 'error', message: FORBIDDEN_MESSAGE };
    throw error;
  }
  if (result.status === 'conflict') {
    return {
      status: 'conflict',
      message: `${result.current.author.name} saved a newer version. Review it and save again.`,
      conflict: toConflict(result.current),
    };
  }
  revalidatePath('/', 'layout');
  return {
    status: 'success',
    message: result.status === 'saved' ? 'Commentary saved.' : 'No changes to save.',
    version: result.commentary.version,
  };
}

export async function createMetricActionAction(_previous: ActionFormState, formData: FormData): Promise<ActionFormState> {
  const me = await requireExecutive();
  const parsed = actionCreateSchema.safeParse(fields(formData));
  if (!parsed.success) {
    return { status: 'error', message: 'Check the action and try again.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  try {
    await createAction(await getDb(), me, parsed.data);
  } catch (error) {
    if (error instanceof ForbiddenError) return { status: 'error', message: FORBIDDEN_MESSAGE };
    if (error instanceof ActionInputError) {
      return { status: 'error', message: error.message, fieldErrors: { [error.field]: [error.message] } };
    }
    throw error;
  }
  revalidatePath('/', 'layout');
  return { status: 'success', message: `Action added: ${parsed.data.title}` };
}

export async function updateMetricActionStatusAction(_previous: ActionFormState, formData: FormData): Promise<ActionFormState> {
  const me = await requireExecutive();
  const parsed = actionStatusSchema.safeParse(fields(formData));
  if (!parsed.success) {
    return { status: 'error', message: 'Choose a status.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  try {
    await updateActionStatus(await getDb(), me, parsed.data);
  } catch (error) {
    if (error instanceof ForbiddenError) return { status: 'error', message: FORBIDDEN_MESSAGE };
    if (error instanceof ActionNotFoundError) return { status: 'error', message: 'That action no longer exists.' };
    throw error;
  }
  revalidatePath('/', 'layout');
  return { status: 'success', message: 'Status updated.' };
}
