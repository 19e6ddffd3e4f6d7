'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { signIn, signOut } from '@/auth';
import { SIGN_IN_WINDOW_MINUTES } from '@/lib/auth/sign-in-limits';

export interface SignInState {
  status: 'idle' | 'error';
  message?: string;
  email?: string;
}

/** Only same-site paths, so the sign-in page cannot be used to bounce someone elsewhere. */
function safeDestination(value: FormDataEntryValue | null): string {
  const path = typeof value === 'string' ? value : '';
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : '/';
}

export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get('email') ?? '');
  try {
    await signIn('credentials', {
      email,
      password: String(formData.get('password') ?? ''),
      redirectTo: safeDestination(formData.get('callbackUrl')),
    });
    return { status: 'idle' };
  } catch (error) {
    // A successful sign-in throws a redirect: anything that is not an AuthError must go on up.
    if (!(error instanceof AuthError)) throw error;
    if (error instanceof CredentialsSignin && error.code === 'rate_limited') {
      return {
        status: 'error',
        email,
        message: `Too many failed attempts. Try again in ${SIGN_IN_WINDOW_MINUTES} minutes, or ask an admin to reset your password.`,
      };
    }
    return { status: 'error', email, message: 'That email and password do not match an active account.' };
  }
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/login' });
}
