'use client';

import { useActionState, useId } from 'react';
import { updateMetricActionStatusAction, type ActionFormState } from '@/app/actions/commentary';
import { ACTION_STATUS_LABELS } from './labels';
import styles from './commentary-panel.module.css';

/** Changing the select saves at once; the status line says when it is done or what went wrong. */
export function ActionStatusForm({ id, status, title }: { id: number; status: string; title: string }) {
  const [state, formAction, isPending] = useActionState<ActionFormState, FormData>(updateMetricActionStatusAction, {
    status: 'idle',
  });
  const selectId = useId();
  return (
    <form action={formAction} className={styles.statusForm}>
      <input type="hidden" name="id" value={id} />
      <label htmlFor={selectId} className={styles.visuallyHidden}>
        Status of “{title}”
      </label>
      <select
        id={selectId}
        name="status"
        defaultValue={status}
        disabled={isPending}
        className={styles.select}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
      >
        {Object.entries(ACTION_STATUS_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <span aria-live="polite" role="status" className={state.status === 'error' ? styles.errorText : styles.statusText}>
        {isPending ? 'Saving…' : state.status === 'error' ? state.message : null}
      </span>
    </form>
  );
}
