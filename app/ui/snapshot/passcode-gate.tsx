'use client';

import { useActionState } from 'react';
import type { UnlockState } from '@/app/actions/snapshots';

export function PasscodeGate({ action }: { action: (state: UnlockState, formData: FormData) => Promise<UnlockState> }) {
  const [state, formAction, isPending] = useActionState<UnlockState, FormData>(action, { status: 'idle' });
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand">CX Scorecard</p>
        <h1>Board snapshot</h1>
        <p className="muted">This snapshot asks for a passcode. Whoever shared the link can tell you what it is.</p>
        <form action={formAction} className="form" noValidate>
          <label className="field">
            <span>Passcode</span>
            <input name="passcode" type="password" autoComplete="off" required autoFocus />
          </label>
          <div aria-live="polite" className="form-error" role="status">
            {state.status === 'error' ? state.message : null}
          </div>
          <button type="submit" className="button button-primary" disabled={isPending}>
            {isPending ? 'Checking…' : 'Open snapshot'}
          </button>
        </form>
      </div>
    </main>
  );
}
