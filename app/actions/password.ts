'use server';

import { z } from 'zod';
import { getDb } from '@/lib/db';
import { InvalidPasswordTokenError, setPasswordWithToken } from '@/lib/auth/password-tokens';
import { passwordSetSchema } from '@/lib/validation/admin';

export interface SetPasswordState {
  status: 'idle' | 'success' | 'error';
  message?: string;
  fieldErrors?: { password?: string[]; confirm?: string[] };
  email?: string;
}

/** Public: the one-time token in the form is the only credential, checked and used up in one transaction. */
export async function setPasswordAction(_previous: SetPasswordState, formData: FormData): Promise<SetPasswordState> {
  const parsed = passwordSetSchema.safeParse({
    token: formData.get('token'),
    password: formData.get('password'),
    confirm: formData.get('confirm'),
  });
  if (!parsed.success) {
    const { fieldErrors } = z.flattenError(parsed.error);
    if (fieldErrors.token) return { status: 'error', message: new InvalidPasswordTokenError().message };
    return { status: 'error', message: 'Check the highlighted fields.', fieldErrors: { password: fieldErrors.password, confirm: fieldErrors.confirm } };
  }
  try {
    const { email } = await setPasswordWithToken(await getDb(), parsed.data.token, parsed.data.password);
    return { status: 'success', message: 'Your password is set. Sign in with it now.', email };
  } catch (error) {
    if (error instanceof InvalidPasswordTokenError) return { status: 'error', message: error.message };
    throw error;
  }
}
