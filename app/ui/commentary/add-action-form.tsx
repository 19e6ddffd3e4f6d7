'use client';

import { useActionState, useId, useState } from 'react';
import { createMetricActionAction, type ActionFormState } from '@/app/actions/commentary';
import { ACTION_TITLE_MAX_LENGTH } from '@/lib/validation/commentary';
import { ACTION_STATUS_LABELS } from './labels';
import styles from './commentary-panel.module.css';

const FIELD_NAMES: Record<string, string> = {
  title: 'What will be done',
  ownerId: 'Owner',
  dueOn: 'Due',
  openedOn: 'Opened on',
  issueKey: 'Recurring issue',
  status: 'Status',
};

export function AddActionForm({
  metricKey,
  period,
  owners,
  issues,
  defaultOwnerId,
  defaultOpenedOn,
  today,
}: {
  metricKey: string;
  period: string;
  owners: { id: number; name: string; title: string }[];
  issues: { key: string; label: string }[];
  defaultOwnerId: number | null;
  /** An action is open from this day until it is done. */
  defaultOpenedOn: string;
  today: string;
}) {
  const empty = {
    title: '',
    ownerId: defaultOwnerId === null ? '' : String(defaultOwnerId),
    dueOn: '',
    openedOn: defaultOpenedOn,
    issueKey: '',
    status: 'open',
  };
  const [open, setOpen] = useState(false);
  // Controlled, so what was typed survives a refused submission (React resets uncontrolled forms after an action).
  const [values, setValues] = useState(empty);
  const [state, formAction, isPending] = useActionState<ActionFormState, FormData>(async (previous, formData) => {
    const result = await createMetricActionAction(previous, formData);
    if (result.status === 'success') {
      setValues(empty);
      setOpen(false);
    }
    return result;
  }, { status: 'idle' });
  const ids = { title: useId(), owner: useId(), due: useId(), opened: useId(), issue: useId(), status: useId(), errors: useId() };
  const errors = state.status === 'error' ? (state.fieldErrors ?? {}) : {};
  const errorList = Object.entries(errors).flatMap(([name, messages]) =>
    messages?.length ? [`${FIELD_NAMES[name] ?? name}: ${messages[0]}`] : [],
  );
  const invalid = (name: string) => (errors[name]?.length ? { 'aria-invalid': true, 'aria-describedby': ids.errors } : {});
  const bind = (name: keyof typeof values) => ({
    name,
    value: values[name],
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setValues((current) => ({ ...current, [name]: event.target.value })),
  });

  if (!open) {
    return (
      <div className={`${styles.addAction} ${styles.editorBar}`}>
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Add an action
        </button>
        <p aria-live="polite" role="status" className={styles.statusText}>
          {state.status === 'success' ? state.message : null}
        </p>
      </div>
    );
  }

  return (
    <form action={formAction} className={`${styles.addAction} ${styles.actionForm}`} noValidate aria-label="Add an action">
      <input type="hidden" name="metricKey" value={metricKey} />
      <input type="hidden" name="period" value={period} />
      <div className={`${styles.control} ${styles.wide}`}>
        <label className={styles.label} htmlFor={ids.title}>
          What will be done
        </label>
        <input id={ids.title} className={styles.input} maxLength={ACTION_TITLE_MAX_LENGTH} required autoFocus {...bind('title')} {...invalid('title')} />
      </div>
      <div className={styles.control}>
        <label className={styles.label} htmlFor={ids.owner}>
          Owner
        </label>
        <select id={ids.owner} className={styles.input} {...bind('ownerId')} {...invalid('ownerId')}>
          {defaultOwnerId === null ? <option value="">Choose…</option> : null}
          {owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.control}>
        <label className={styles.label} htmlFor={ids.due}>
          Due
        </label>
        <input id={ids.due} type="date" className={styles.input} {...bind('dueOn')} {...invalid('dueOn')} />
      </div>
      <div className={styles.control}>
        <label className={styles.label} htmlFor={ids.opened}>
          Opened on
        </label>
        <input id={ids.opened} type="date" max={today} className={styles.input} {...bind('openedOn')} {...invalid('openedOn')} />
      </div>
      {issues.length > 0 ? (
        <div className={`${styles.control} ${styles.wide}`}>
          <label className={styles.label} htmlFor={ids.issue}>
            Recurring issue (optional)
          </label>
          <select id={ids.issue} className={styles.input} {...bind('issueKey')} {...invalid('issueKey')}>
            <option value="">None</option>
            {issues.map((issue) => (
              <option key={issue.key} value={issue.key}>
                {issue.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className={styles.control}>
        <label className={styles.label} htmlFor={ids.status}>
          Status
        </label>
        <select id={ids.status} className={styles.input} {...bind('status')}>
          {Object.entries(ACTION_STATUS_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
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
  );
}
