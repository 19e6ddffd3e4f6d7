'use client';

import { useActionState, useEffect, useRef } from 'react';
import { logSpotFixAction, type SpotFixFormState } from '@/app/actions/spot-fixes';
import { SPOT_FIX_CATEGORIES } from '@/lib/domain';
import type { SpotFixFormField } from '@/lib/validation/spot-fix-form';
import { fieldProps, FormField } from '@/app/ui/forms/form-field';
import { CATEGORY_LABELS } from './labels';
import styles from './spot-fixes.module.css';

/** The quick form for logging one spot fix right after a firefight. */
export function SpotFixForm({ today, issues, journeyStages }: { today: string; issues: string[]; journeyStages: string[] }) {
  const [state, formAction, isPending] = useActionState<SpotFixFormState, FormData>(logSpotFixAction, { status: 'idle' });
  const formRef = useRef<HTMLFormElement>(null);
  const customerRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (state.status === 'success') formRef.current?.reset();
  }, [state.loggedId, state.status]);

  const errors = (field: SpotFixFormField) => state.fieldErrors?.[field];
  // After a refused submission the fields keep what was typed; after a success they are empty again.
  const kept = state.status === 'error' || state.status === 'warning';
  const value = (field: SpotFixFormField, fallback = '') => (kept ? (state.values?.[field] ?? fallback) : fallback);
  const key = kept ? `${state.status}-${JSON.stringify(state.values)}` : `fresh-${state.loggedId ?? ''}`;
  const field = (name: SpotFixFormField, label: string, control: (props: ReturnType<typeof fieldProps>) => React.ReactNode, hint?: string) => (
    <FormField label={label} hint={hint} errorId={`${name}-error`} errors={errors(name)}>
      {control(fieldProps(`${name}-error`, errors(name)))}
    </FormField>
  );
  const warning = state.status === 'warning' ? state.customerWarning : undefined;

  return (
    <form ref={formRef} action={formAction} className="form" noValidate key={key} aria-label="Log a spot fix">
      <div className={`form-row ${styles.row}`}>
        {field('occurred_on', 'Date', (p) => (
          <input name="occurred_on" type="date" required max={today} defaultValue={value('occurred_on', today)} {...p} />
        ))}
        {field(
          'cost',
          'Cost',
          (p) => <input name="cost" inputMode="decimal" placeholder="1,200.00" required autoComplete="off" defaultValue={value('cost')} {...p} />,
        )}
      </div>
      {field(
        'issue',
        'Issue',
        (p) => (
          <>
            <input name="issue" list="known-issues" required autoComplete="off" defaultValue={value('issue')} {...p} />
            <datalist id="known-issues">
              {issues.map((issue) => (
                <option key={issue} value={issue} />
              ))}
            </datalist>
          </>
        ),
        '— pick a known one so repeats are counted, or name a new one',
      )}
      <div className={`form-row ${styles.row}`}>
        {field('category', 'Category', (p) => (
          <select name="category" required defaultValue={value('category', '')} {...p}>
            <option value="" disabled>
              Choose…
            </option>
            {SPOT_FIX_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        ))}
        {field(
          'customer_id',
          'Customer id',
          (p) => <input ref={customerRef} name="customer_id" autoComplete="off" defaultValue={value('customer_id')} {...p} />,
          '(optional)',
        )}
      </div>
      {warning && (
        <div className={styles.warning} role="alert" data-testid="customer-warning">
          <p>
            No loaded customer has the id “{warning.customerId}”.{' '}
            {warning.matches.length ? 'Did you mean one of these?' : 'No customer id or name resembles it.'}
          </p>
          {warning.matches.length > 0 && (
            <ul>
              {warning.matches.map((m) => (
                <li key={m.customerId}>
                  <button
                    type="button"
                    className="button"
                    onClick={() => {
                      if (customerRef.current) customerRef.current.value = m.customerId;
                      formRef.current?.requestSubmit();
                    }}
                  >
                    Use {m.customerId}
                    {m.name ? ` — ${m.name}` : ''}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <label className={styles.confirm}>
            <input type="checkbox" name="unknown_customer_confirmed" value={warning.customerId} /> Log it with “{warning.customerId}” anyway (a
            customer not loaded yet)
          </label>
        </div>
      )}
      {field(
        'journey_stage',
        'Journey stage',
        (p) => (
          <>
            <input name="journey_stage" list="journey-stages" autoComplete="off" defaultValue={value('journey_stage')} {...p} />
            <datalist id="journey-stages">
              {journeyStages.map((stage) => (
                <option key={stage} value={stage} />
              ))}
            </datalist>
          </>
        ),
        '(optional)',
      )}
      {field('note', 'Note', (p) => <textarea name="note" rows={3} defaultValue={value('note')} {...p} />, '(optional: what happened, what it took)')}
      <div aria-live="polite" role="status">
        {state.status !== 'idle' && state.message ? (
          <p className={state.status === 'success' ? 'success-text' : 'error-text'}>{state.message}</p>
        ) : null}
      </div>
      <button type="submit" className="button button-primary" disabled={isPending}>
        {isPending ? 'Logging…' : 'Log spot fix'}
      </button>
    </form>
  );
}
