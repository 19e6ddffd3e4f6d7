'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { headers } from 'next/headers';
import { signIn, signOut } from '@/auth';
import { safeCallbackPath, siteHost } from '@/lib/auth/callback-url';
import { describeWait } from '@/lib/auth/sign-in-limits';
import { endCurrentSession } from '@/lib/auth/session';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '@/lib/db/unavailable';

export interface SignInState {
  status: 'idle' | 'error';
  message?: string;
  email?: string;
}

export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get('email') ?? '');
  const redirectTo = safeCallbackPath(formData.get('callbackUrl'), siteHost(await headers()));
  try {
    await signIn('credentials', { email, password: String(formData.get('password') ?? ''), redirectTo });
    return { status: 'idle' };
  } catch (error) {
    // A successful sign-in throws a redirect: anything that is not an AuthError must go on up.
    if (!(error instanceof AuthError)) throw error;
    if (error instanceof CredentialsSignin && error.code === 'rate_limited') {
      const wait = (error as CredentialsSignin & { retryAfterSeconds?: number }).retryAfterSeconds ?? 60;
      return {
        status: 'error',
        email,
        message: `Too many failed attempts. Try again in ${describeWait(wait)}, or ask an admin to reset your password.`,
      };
    }
    // Not a wrong password: the account could not be looked up at all.
    if (isDatabaseUnavailable(error)) return { status: 'error', email, message: DATABASE_UNAVAILABLE_MESSAGE };
    if (error instanceof CredentialsSignin && error.code === 'busy') {
      return { status: 'error', email, message: 'Sign-in is busy right now. Try again in a moment.' };
    }
    return { status: 'error', email, message: 'That email and password do not match an active account.' };
  }
}

export async function signOutAction(): Promise<void> {
  await endCurrentSession();
  await signOut({ redirectTo: '/login' });
}
