'use client';

import { useActionState, useId, useRef, useState } from 'react';
import { createMetricActionAction, type ActionFormState } from '@/app/actions/commentary';
import { ACTION_TITLE_MAX_LENGTH } from '@/lib/validation/commentary';
import { ACTION_STATUS_LABELS } from './labels';
import styles from './commentary-panel.module.css';

const FIELD_NAMES: Record<string, string> = { title: 'What will be done', ownerId: 'Owner', dueOn: 'Due', status: 'Status' };

export function AddActionForm({
  metricKey,
  period,
  owners,
  defaultOwnerId,
}: {
  metricKey: string;
  period: string;
  owners: { id: number; name: string; title: string }[];
  defaultOwnerId: number | null;
}) {
  const [open, setOpen] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction, isPending] = useActionState<ActionFormState, FormData>(async (previous, formData) => {
    const result = await createMetricActionAction(previous, formData);
    if (result.status === 'success') {
      formRef.current?.reset();
      setOpen(false);
    }
    return result;
  }, { status: 'idle' });
  const ids = { title: useId(), owner: useId(), due: useId(), status: useId(), errors: useId() };
  const errors = state.fieldErrors ?? {};
  const errorList = Object.entries(errors).flatMap(([name, messages]) =>
    messages?.length ? [`${FIELD_NAMES[name] ?? name}: ${messages[0]}`] : [],
  );
  const invalid = (name: string) => (errors[name]?.length ? { 'aria-invalid': true, 'aria-describedby': ids.errors } : {});

  return (
    <div className={styles.addAction}>
      {open ? (
        <form ref={formRef} action={formAction} className={styles.actionForm} noValidate aria-label="Add an action">
          <input type="hidden" name="metricKey" value={metricKey} />
          <input type="hidden" name="period" value={period} />
          <label className={`field ${styles.wide}`} htmlFor={ids.title}>
            <span>What will be done</span>
            <input id={ids.title} name="title" maxLength={ACTION_TITLE_MAX_LENGTH} required autoFocus {...invalid('title')} />
          </label>
          <label className="field" htmlFor={ids.owner}>
            <span>Owner</span>
            <select id={ids.owner} name="ownerId" defaultValue={defaultOwnerId ?? ''} {...invalid('ownerId')}>
              {defaultOwnerId === null ? <option value="">Choose…</option> : null}
              {owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field" htmlFor={ids.due}>
            <span>Due</span>
            <input id={ids.due} name="dueOn" type="date" {...invalid('dueOn')} />
          </label>
          <label className="field" htmlFor={ids.status}>
            <span>Status</span>
            <select id={ids.status} name="status" defaultValue="open">
              {Object.entries(ACTION_STATUS_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <div id={ids.errors} aria-live="polite" className={`form-error ${styles.wide}`}>
            {state.status === 'error' ? (errorList.length ? errorList.join(' · ') : state.message) : null}
          </div>
          <div className={`${styles.formButtons} ${styles.wide}`}>
            <button type="submit" className="button button-primary" disabled={isPending}>
              {isPending ? 'Adding…' : 'Add action'}
            </button>
            <button type="button" className="button" onClick={() => setOpen(false)} disabled={isPending}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className={styles.editorBar}>
          <button type="button" className="button" onClick={() => setOpen(true)}>
            Add an action
          </button>
          <p aria-live="polite" role="status" className={styles.statusText}>
            {state.status === 'success' ? state.message : null}
          </p>
        </div>
      )}
    </div>
  );
}
