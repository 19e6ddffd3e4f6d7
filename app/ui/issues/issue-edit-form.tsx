'use client';

import { useActionState } from 'react';
import { updateRecurringIssueAction, type IssueFormState } from '@/app/actions/issues';
import { fieldProps, FormField } from '@/app/ui/forms/form-field';
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
  const errorId = (field: Field) => `${field}-error-${issueKey.replace(/[^a-z0-9]+/gi, '-')}`;
  const errors = (field: Field) => state.fieldErrors?.[field];
  return (
    <form action={formAction} className={styles.editForm} noValidate aria-label={`Edit ${label}`}>
      <input type="hidden" name="issueKey" value={issueKey} />
      <FormField label="Accountable executive" errorId={errorId('ownerId')} errors={errors('ownerId')}>
        <select name="ownerId" defaultValue={ownerId ?? ''} {...fieldProps(errorId('ownerId'), errors('ownerId'))}>
          <option value="">Nobody yet</option>
          {owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} — {o.title}
            </option>
          ))}
        </select>
      </FormField>
      <FormField label="Estimated one-time fix cost" errorId={errorId('estimatedFixCost')} errors={errors('estimatedFixCost')}>
        <input
          name="estimatedFixCost"
          inputMode="decimal"
          defaultValue={estimatedFixCost ?? ''}
          {...fieldProps(errorId('estimatedFixCost'), errors('estimatedFixCost'))}
        />
      </FormField>
      <FormField label="Fixed on" hint="(empty while open)" errorId={errorId('fixedOn')} errors={errors('fixedOn')}>
        <input name="fixedOn" type="date" max={today} defaultValue={fixedOn ?? ''} {...fieldProps(errorId('fixedOn'), errors('fixedOn'))} />
      </FormField>
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
