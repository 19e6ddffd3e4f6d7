'use client';

import { useActionState, useState } from 'react';
import { createApiTokenAction, revokeApiTokenAction, type ApiTokenFormState } from '@/app/actions/api-tokens';
import styles from './tokens.module.css';

export function CreateTokenForm() {
  const [state, formAction, isPending] = useActionState<ApiTokenFormState, FormData>(createApiTokenAction, { status: 'idle' });
  const [copied, setCopied] = useState(false);
  return (
    <div className={styles.stack}>
      <form action={formAction} className="form" noValidate aria-label="Create an API token">
        <label className="field">
          <span>Name</span>
          <input name="name" placeholder="CRM sync" maxLength={100} required aria-describedby="token-name-error" autoComplete="off" />
          <span id="token-name-error" className="field-error" aria-live="polite">
            {state.fieldErrors?.name?.join(' ')}
          </span>
        </label>
        <button type="submit" className="button button-primary" disabled={isPending}>
          {isPending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      <div aria-live="polite" role="status">
        {state.status === 'error' && state.message && <p className="error-text">{state.message}</p>}
        {state.status === 'success' && state.token && (
          <div className={styles.reveal} data-testid="new-token">
            <p className="success-text">{state.message}</p>
            <p style={{ margin: 0 }}>Copy it now: it is shown only this once, and only its hash is kept.</p>
            <code className={styles.token} data-testid="new-token-value">
              {state.token}
            </code>
            <button
              type="button"
              className="button"
              onClick={() => {
                void navigator.clipboard?.writeText(state.token!).then(() => setCopied(true));
              }}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

export function RevokeTokenForm({ id, name }: { id: number; name: string }) {
  const [state, formAction, isPending] = useActionState<ApiTokenFormState, FormData>(revokeApiTokenAction, { status: 'idle' });
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!window.confirm(`Revoke “${name}”? Systems using it will be refused at once.`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="button" disabled={isPending} aria-label={`Revoke ${name}`}>
        {isPending ? 'Revoking…' : 'Revoke'}
      </button>
      <span aria-live="polite" className={state.status === 'error' ? 'error-text' : 'muted'}>
        {state.status === 'error' ? state.message : null}
      </span>
    </form>
  );
}
