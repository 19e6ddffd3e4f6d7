'use server';

import { z } from 'zod';
import { headers } from 'next/headers';
import { getDb } from '@/lib/db';
import { clientAddress } from '@/lib/auth/client-address';
import { HashingBusyError } from '@/lib/auth/password';
import { InvalidPasswordTokenError, setPasswordWithToken } from '@/lib/auth/password-tokens';
import { WeakPasswordError } from '@/lib/auth/password-strength';
import { describeWait, recordFailure, secondsUntilAllowed, setPasswordThrottle } from '@/lib/auth/sign-in-limits';
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
  const db = await getDb();
  const rules = setPasswordThrottle(clientAddress(await headers()));
  const wait = await secondsUntilAllowed(db, rules);
  if (wait > 0) return { status: 'error', message: `Too many attempts. Try again in ${describeWait(wait)}.` };
  try {
    const { email } = await setPasswordWithToken(db, parsed.data.token, parsed.data.password);
    return { status: 'success', message: 'Your password is set. Sign in with it now.', email };
  } catch (error) {
    if (error instanceof InvalidPasswordTokenError) {
      await recordFailure(db, rules);
      return { status: 'error', message: error.message };
    }
    if (error instanceof WeakPasswordError) {
      return { status: 'error', message: 'Choose a stronger password.', fieldErrors: { password: [error.message] } };
    }
    if (error instanceof HashingBusyError) return { status: 'error', message: error.message };
    throw error;
  }
}
