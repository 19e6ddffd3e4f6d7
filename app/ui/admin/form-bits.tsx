'use client';

import styles from './admin.module.css';

/** A field's errors, announced when they appear. */
export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <span id={id} className="field-error" aria-live="polite">
      {errors?.join(' ')}
    </span>
  );
}

/** The form's overall outcome, announced to screen readers. */
export function FormStatus({ status, message }: { status: 'idle' | 'success' | 'error'; message?: string }) {
  return (
    <div aria-live="polite" role="status">
      {status !== 'idle' && message ? <p className={status === 'error' ? styles.error : styles.success}>{message}</p> : null}
    </div>
  );
}

export const invalidClass = (errors?: string[]) => (errors?.length ? 'input-invalid' : undefined);
