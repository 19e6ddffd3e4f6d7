'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { setPasswordAction, type SetPasswordState } from '@/app/actions/password';

export function SetPasswordForm({ token, email, minLength }: { token: string; email: string; minLength: number }) {
  const [state, action, isPending] = useActionState<SetPasswordState, FormData>(setPasswordAction, { status: 'idle' });
  if (state.status === 'success') {
    return (
      <div className="form" role="status" aria-live="polite">
        <p style={{ margin: 0, color: 'var(--on-track)', fontWeight: 600 }}>{state.message}</p>
        <Link href="/login?passwordSet=1" className="button button-primary" style={{ textAlign: 'center', textDecoration: 'none' }}>
          Sign in
        </Link>
      </div>
    );
  }
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="form" noValidate>
      <input type="hidden" name="token" value={token} />
      {/* Lets password managers save the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <label className="field">
        <span>New password</span>
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={minLength}
          required
          aria-describedby="password-hint password-error"
          aria-invalid={Boolean(errors.password)}
        />
        <span id="password-hint" className="muted" style={{ fontWeight: 400, fontSize: '0.85rem' }}>
          At least {minLength} characters; not a common password, your email or the organisation&apos;s name. A few unrelated words make a strong one.
        </span>
        <span id="password-error" className="form-error" aria-live="polite" style={{ minHeight: 0 }}>
          {errors.password?.join(' ')}
        </span>
      </label>
      <label className="field">
        <span>Confirm password</span>
        <input name="confirm" type="password" autoComplete="new-password" required aria-describedby="confirm-error" aria-invalid={Boolean(errors.confirm)} />
        <span id="confirm-error" className="form-error" aria-live="polite" style={{ minHeight: 0 }}>
          {errors.confirm?.join(' ')}
        </span>
      </label>
      <div aria-live="polite" className="form-error" role="status">
        {state.status === 'error' && !errors.password && !errors.confirm ? state.message : null}
      </div>
      <button type="submit" className="button button-primary" disabled={isPending}>
        {isPending ? 'Setting password…' : 'Set password'}
      </button>
    </form>
  );
}
