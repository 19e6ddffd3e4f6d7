'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { ForbiddenError } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { createApiToken, revokeApiToken } from '@/lib/data/api-tokens';
import { apiTokenCreateSchema, apiTokenRevokeSchema } from '@/lib/validation/api';

export interface ApiTokenFormState {
  status: 'idle' | 'success' | 'error';
  message?: string;
  fieldErrors?: { name?: string[] };
  /** The new token, shown once and never again. */
  token?: string;
  tokenName?: string;
}

export async function createApiTokenAction(_previous: ApiTokenFormState, formData: FormData): Promise<ApiTokenFormState> {
  const me = await requireExecutive();
  const parsed = apiTokenCreateSchema.safeParse({ name: formData.get('name') });
  if (!parsed.success) return { status: 'error', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  let created;
  try {
    created = await createApiToken(await getDb(), me, parsed.data.name);
  } catch (error) {
    if (error instanceof ForbiddenError) return { status: 'error', message: 'Only an admin can create API tokens.' };
    throw error;
  }
  revalidatePath('/admin/tokens');
  return { status: 'success', message: `Created “${created.apiToken.name}”.`, token: created.token, tokenName: created.apiToken.name };
}

export async function revokeApiTokenAction(_previous: ApiTokenFormState, formData: FormData): Promise<ApiTokenFormState> {
  const me = await requireExecutive();
  const parsed = apiTokenRevokeSchema.safeParse({ id: formData.get('id') });
  if (!parsed.success) return { status: 'error', message: 'Choose a token to revoke.' };
  try {
    const found = await revokeApiToken(await getDb(), me, parsed.data.id);
    if (!found) return { status: 'error', message: 'There is no such token.' };
  } catch (error) {
    if (error instanceof ForbiddenError) return { status: 'error', message: 'Only an admin can revoke API tokens.' };
    throw error;
  }
  revalidatePath('/admin/tokens');
  return { status: 'success', message: 'Revoked. Requests with that token are refused from now on.' };
}
