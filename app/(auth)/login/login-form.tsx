'use client';

import { useActionState } from 'react';
import { signInAction, type SignInState } from '@/app/actions/auth';

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, formAction, isPending] = useActionState<SignInState, FormData>(signInAction, { status: 'idle' });
  return (
    <form action={formAction} className="form" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <label className="field">
        <span>Work email</span>
        <input name="email" type="email" autoComplete="username" required defaultValue={state.email} />
      </label>
      <label className="field">
        <span>Password</span>
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <div aria-live="polite" className="form-error" role="status">
        {state.status === 'error' ? state.message : null}
      </div>
      <button type="submit" className="button button-primary" disabled={isPending}>
        {isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
