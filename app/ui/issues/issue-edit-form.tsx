'use client';

import { useActionState } from 'react';
import { updateRecurringIssueAction, type IssueFormState } from '@/app/actions/issues';
import styles from './issues.module.css';

type Field = 'ownerId' | 'estimatedFixCost' | 'fixedOn';

/** An admin's edit of one issue: who is accountable, what a fix at the core would cost, when it was fixed. */
export function IssueEditForm({
  issueKey,
  label,
  ownerId,
  estimatedFixCost,
  fixedOn,
  owners,
  today,
}: {
  issueKey: string;
  label: string;
  ownerId: number | null;
  estimatedFixCost: string | null;
  fixedOn: string | null;
  owners: Array<{ id: number; name: string; title: string }>;
  today: string;
}) {
  const [state, formAction, isPending] = useActionState<IssueFormState, FormData>(updateRecurringIssueAction, { status: 'idle' });
  const id = (field: string) => `${field}-${issueKey.replace(/[^a-z0-9]+/gi, '-')}`;
  const error = (field: Field) => (
    <span id={id(`${field}-error`)} className="field-error" aria-live="polite">
      {state.fieldErrors?.[field]?.join(' ')}
    </span>
  );
  return (
    <form action={formAction} className={styles.editForm} noValidate aria-label={`Edit ${label}`}>
      <input type="hidden" name="issueKey" value={issueKey} />
      <label className="field">
        <span>Accountable executive</span>
        <select name="ownerId" defaultValue={ownerId ?? ''} aria-describedby={id('ownerId-error')}>
          <option value="">Nobody yet</option>
          {owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} — {o.title}
            </option>
          ))}
        </select>
        {error('ownerId')}
      </label>
      <label className="field">
        <span>Estimated one-time fix cost</span>
        <input name="estimatedFixCost" inputMode="decimal" defaultValue={estimatedFixCost ?? ''} aria-describedby={id('estimatedFixCost-error')} />
        {error('estimatedFixCost')}
      </label>
      <label className="field">
        <span>Fixed on (empty while open)</span>
        <input name="fixedOn" type="date" max={today} defaultValue={fixedOn ?? ''} aria-describedby={id('fixedOn-error')} />
        {error('fixedOn')}
      </label>
      <div className={styles.formFooter}>
        <button type="submit" className="button button-primary" disabled={isPending}>
          {isPending ? 'Saving…' : 'Save'}
        </button>
        <div aria-live="polite" role="status">
          {state.status !== 'idle' && state.message ? (
            <p className={state.status === 'error' ? 'error-text' : 'success-text'}>{state.message}</p>
          ) : null}
        </div>
      </div>
    </form>
  );
}
