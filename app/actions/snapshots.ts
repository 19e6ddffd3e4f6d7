'use server';

import { revalidatePath, revalidateTag } from 'next/cache';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { clientAddress } from '@/lib/auth/client-address';
import { describeWait } from '@/lib/auth/sign-in-limits';
import { ForbiddenError } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import {
  checkSnapshotPasscode,
  createSnapshot,
  findOpenSnapshot,
  reissueSnapshotLink,
  revokeSnapshot,
  setSnapshotPasscode,
  SnapshotClosedError,
  SnapshotNotFoundError,
} from '@/lib/data/snapshots';
import type { MissingCommentaryWarning } from '@/lib/snapshots/payload';
import { snapshotPageTag } from '@/lib/snapshots/frozen-page';
import { PASSCODE_COOKIE, PASSCODE_GRANT_SECONDS, signPasscodeGrant } from '@/lib/snapshots/passcode';
import { snapshotPath } from '@/lib/snapshots/token';
import {
  snapshotCreateSchema,
  snapshotIdSchema,
  snapshotPasscodeSchema,
  snapshotUnlockSchema,
} from '@/lib/validation/snapshots';

export interface SnapshotActionState {
  status: 'idle' | 'success' | 'error';
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** The full link, present only in the one response that made it. */
  link?: string;
  snapshotId?: number;
  warnings?: MissingCommentaryWarning[];
}

/** The link as this request reached us (a deployment's own host), for the person to copy. */
async function absoluteLink(token: string): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const protocol = h.get('x-forwarded-proto') ?? (host.startsWith('localhost') || host.startsWith('127.') ? 'http' : 'https');
  return `${protocol}://${host}${snapshotPath(token)}`;
}

function refusal(error: unknown): SnapshotActionState {
  if (error instanceof ForbiddenError) return { status: 'error', message: 'You do not have permission to do that with this snapshot.' };
  if (error instanceof SnapshotNotFoundError || error instanceof SnapshotClosedError) return { status: 'error', message: error.message };
  throw error;
}

export async function createSnapshotAction(_previous: SnapshotActionState, formData: FormData): Promise<SnapshotActionState> {
  const me = await requireExecutive();
  const parsed = snapshotCreateSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    return { status: 'error', message: 'Check the highlighted fields.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  let created;
  try {
    created = await createSnapshot(await getDb(), me, parsed.data);
  } catch (error) {
    if (error instanceof ForbiddenError) return { status: 'error', message: 'Only executives and admins can freeze a period.' };
    throw error;
  }
  revalidatePath('/snapshots');
  return {
    status: 'success',
    message: 'Snapshot made. Copy the link now: it is shown only once.',
    link: await absoluteLink(created.token),
    snapshotId: created.id,
    warnings: created.warnings,
  };
}

export async function revokeSnapshotAction(_previous: SnapshotActionState, formData: FormData): Promise<SnapshotActionState> {
  const me = await requireExecutive();
  const id = snapshotIdSchema.safeParse(formData.get('id'));
  if (!id.success) return { status: 'error', message: 'No such snapshot.' };
  try {
    await revokeSnapshot(await getDb(), me, id.data);
  } catch (error) {
    return refusal(error);
  }
  // The link already answers 404 (it is checked on every request); this frees its cached page.
  revalidateTag(snapshotPageTag(id.data), { expire: 0 });
  revalidatePath('/snapshots');
  revalidatePath(`/snapshots/${id.data}`);
  return { status: 'success', message: 'Revoked: the link now answers “not found”.' };
}

export async function reissueSnapshotLinkAction(_previous: SnapshotActionState, formData: FormData): Promise<SnapshotActionState> {
  const me = await requireExecutive();
  const id = snapshotIdSchema.safeParse(formData.get('id'));
  if (!id.success) return { status: 'error', message: 'No such snapshot.' };
  let token: string;
  try {
    ({ token } = await reissueSnapshotLink(await getDb(), me, id.data));
  } catch (error) {
    return refusal(error);
  }
  revalidateTag(snapshotPageTag(id.data), { expire: 0 });
  revalidatePath(`/snapshots/${id.data}`);
  return {
    status: 'success',
    message: 'New link made; the old one no longer works. Copy it now: it is shown only once.',
    link: await absoluteLink(token),
    snapshotId: id.data,
  };
}

export async function setSnapshotPasscodeAction(_previous: SnapshotActionState, formData: FormData): Promise<SnapshotActionState> {
  const me = await requireExecutive();
  const id = snapshotIdSchema.safeParse(formData.get('id'));
  if (!id.success) return { status: 'error', message: 'No such snapshot.' };
  const remove = formData.get('remove') === '1';
  const parsed = snapshotPasscodeSchema.safeParse({ passcode: remove ? '' : (formData.get('passcode') ?? '') });
  if (!parsed.success) return { status: 'error', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  if (!remove && !parsed.data.passcode) return { status: 'error', message: 'Enter a passcode, or choose Remove passcode.' };
  try {
    await setSnapshotPasscode(await getDb(), me, id.data, parsed.data.passcode);
  } catch (error) {
    return refusal(error);
  }
  revalidatePath(`/snapshots/${id.data}`);
  revalidatePath('/snapshots');
  return { status: 'success', message: parsed.data.passcode ? 'Passcode set.' : 'Passcode removed.' };
}

export interface UnlockState {
  status: 'idle' | 'error';
  message?: string;
}

/** Public: the passcode form on a snapshot link. No sign-in; rate-limited in the database. */
export async function unlockSnapshotAction(token: string, _previous: UnlockState, formData: FormData): Promise<UnlockState> {
  const parsed = snapshotUnlockSchema.safeParse({ passcode: formData.get('passcode') ?? '' });
  if (!parsed.success) return { status: 'error', message: 'Enter the passcode.' };
  const db = await getDb();
  const snapshot = await findOpenSnapshot(db, token);
  if (!snapshot?.passcodeHash) redirect(snapshotPath(token));
  const requestHeaders = await headers();
  const result = await checkSnapshotPasscode(db, snapshot, parsed.data.passcode, clientAddress(requestHeaders));
  if (result.status === 'rate_limited') {
    return { status: 'error', message: `Too many wrong passcodes. Try again in ${describeWait(result.retryAfterSeconds)}.` };
  }
  if (result.status === 'busy') return { status: 'error', message: 'The server is busy checking passcodes. Try again in a moment.' };
  if (result.status === 'wrong') return { status: 'error', message: 'That passcode is not right.' };
  (await cookies()).set(PASSCODE_COOKIE, signPasscodeGrant({ ...snapshot, passcodeHash: snapshot.passcodeHash }), {
    httpOnly: true,
    sameSite: 'lax',
    secure: requestHeaders.get('x-forwarded-proto') === 'https',
    path: snapshotPath(token),
    maxAge: PASSCODE_GRANT_SECONDS,
  });
  redirect(snapshotPath(token));
}
