'use server';

import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { BoardMeetingError, cancelBoardMeeting, createBoardMeeting, updateBoardMeeting } from '@/lib/data/board-meetings';
import { OutboxRetryError, retryOutboxMessage } from '@/lib/data/outbox';
import { boardMeetingFormSchema, boardMeetingIdSchema } from '@/lib/validation/board-meetings';
import { rowIdSchema } from '@/lib/validation/ids';

export interface MeetingFormState {
  status: 'idle' | 'success' | 'error';
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
}

const REFUSED: MeetingFormState = { status: 'error', message: 'Only admins can do that.' };

function submitted(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === 'string' && !key.startsWith('$')) values[key] = value;
  return values;
}

function invalid(error: z.ZodError, values: Record<string, string>): MeetingFormState {
  return { status: 'error', message: 'Nothing was saved: check the highlighted fields.', fieldErrors: z.flattenError(error).fieldErrors, values };
}

export async function createBoardMeetingAction(_previous: MeetingFormState, formData: FormData): Promise<MeetingFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const values = submitted(formData);
  const parsed = boardMeetingFormSchema.safeParse(values);
  if (!parsed.success) return invalid(parsed.error, values);
  const meeting = await createBoardMeeting(await getDb(), me, parsed.data);
  revalidatePath('/admin/meetings');
  redirect(`/admin/meetings/${meeting.id}`);
}

export async function updateBoardMeetingAction(_previous: MeetingFormState, formData: FormData): Promise<MeetingFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const values = submitted(formData);
  const id = boardMeetingIdSchema.safeParse(values);
  if (!id.success) return invalid(id.error, values);
  const parsed = boardMeetingFormSchema.safeParse(values);
  if (!parsed.success) return invalid(parsed.error, values);
  try {
    await updateBoardMeeting(await getDb(), me, id.data.id, parsed.data);
  } catch (error) {
    if (error instanceof BoardMeetingError) return { status: 'error', message: error.message, values };
    throw error;
  }
  revalidatePath(`/admin/meetings/${id.data.id}`);
  revalidatePath('/admin/meetings');
  return { status: 'success', message: 'Saved.', values: { ...values, passcode: '' } };
}

export async function cancelBoardMeetingAction(_previous: MeetingFormState, formData: FormData): Promise<MeetingFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const id = boardMeetingIdSchema.safeParse(submitted(formData));
  if (!id.success) return invalid(id.error, {});
  try {
    await cancelBoardMeeting(await getDb(), me, id.data.id);
  } catch (error) {
    if (error instanceof BoardMeetingError) return { status: 'error', message: error.message };
    throw error;
  }
  revalidatePath(`/admin/meetings/${id.data.id}`);
  revalidatePath('/admin/meetings');
  return { status: 'success', message: 'The meeting is cancelled: no reminders or snapshot will go out.' };
}

const outboxIdSchema = z.object({ id: rowIdSchema('No such message') });

export async function retryOutboxMessageAction(_previous: MeetingFormState, formData: FormData): Promise<MeetingFormState> {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return REFUSED;
  const id = outboxIdSchema.safeParse(submitted(formData));
  if (!id.success) return invalid(id.error, {});
  try {
    await retryOutboxMessage(await getDb(), me, id.data.id);
  } catch (error) {
    if (error instanceof OutboxRetryError) return { status: 'error', message: error.message };
    throw error;
  }
  revalidatePath('/admin/outbox');
  return { status: 'success', message: 'Queued: the next delivery run sends it.' };
}
