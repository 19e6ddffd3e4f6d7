'use client';

import { useActionState, useId, useState } from 'react';
import { updateMetricActionStatusAction, type ActionFormState } from '@/app/actions/commentary';
import { ACTION_STATUS_LABELS } from './labels';
import styles from './commentary-panel.module.css';

/**
 * Changing the select saves at once; the status line says when it is done or what went wrong.
 * The panel keys this form by the stored status, so a saved change arrives as a fresh form.
 */
export function ActionStatusForm({ id, status, title }: { id: number; status: string; title: string }) {
  const [value, setValue] = useState(status);
  const [state, formAction, isPending] = useActionState<ActionFormState, FormData>(async (previous, formData) => {
    const result = await updateMetricActionStatusAction(previous, formData);
    if (result.status === 'error') setValue(status);
    return result;
  }, { status: 'idle' });
  const selectId = useId();
  return (
    <form action={formAction} className={styles.statusForm}>
      <input type="hidden" name="id" value={id} />
      <label htmlFor={selectId} className="visually-hidden">
        Status of “{title}”
      </label>
      <select
        id={selectId}
        name="status"
        value={value}
        disabled={isPending}
        className={styles.select}
        onChange={(event) => {
          setValue(event.target.value);
          event.currentTarget.form?.requestSubmit();
        }}
      >
        {Object.entries(ACTION_STATUS_LABELS).map(([option, label]) => (
          <option key={option} value={option}>
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
