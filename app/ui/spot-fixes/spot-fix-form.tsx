'use client';

import { useActionState, useEffect, useRef } from 'react';
import { logSpotFixAction, type SpotFixFormState } from '@/app/actions/spot-fixes';
import type { SpotFixCategory } from '@/lib/db/schema';
import type { SpotFixFormField } from '@/lib/validation/spot-fix-form';
import { CATEGORY_LABELS } from './labels';
import styles from './spot-fixes.module.css';

/** The quick form for logging one spot fix right after a firefight. */
export function SpotFixForm({ today, issues, journeyStages }: { today: string; issues: string[]; journeyStages: string[] }) {
  const [state, formAction, isPending] = useActionState<SpotFixFormState, FormData>(logSpotFixAction, { status: 'idle' });
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === 'success') formRef.current?.reset();
  }, [state.loggedId, state.status]);

  const errors = (field: SpotFixFormField) => state.fieldErrors?.[field];
  // After a failed submission the fields keep what was typed; after a success they are empty again.
  const value = (field: SpotFixFormField, fallback = '') => (state.status === 'error' ? (state.values?.[field] ?? fallback) : fallback);
  const key = state.status === 'error' ? `error-${JSON.stringify(state.values)}` : `fresh-${state.loggedId ?? ''}`;
  const described = (field: SpotFixFormField) => ({
    'aria-describedby': `${field}-error`,
    'aria-invalid': errors(field)?.length ? true : undefined,
    className: errors(field)?.length ? 'input-invalid' : undefined,
  });
  const fieldError = (field: SpotFixFormField) => (
    <span id={`${field}-error`} className="field-error" aria-live="polite">
      {errors(field)?.join(' ')}
    </span>
  );

  return (
    <form ref={formRef} action={formAction} className="form" noValidate key={key} aria-label="Log a spot fix">
      <div className={`form-row ${styles.row}`}>
        <label className="field">
          <span>Date</span>
          <input name="occurred_on" type="date" required max={today} defaultValue={value('occurred_on', today)} {...described('occurred_on')} />
          {fieldError('occurred_on')}
        </label>
        <label className="field">
          <span>Cost</span>
          <input
            name="cost"
            inputMode="decimal"
            placeholder="0.00"
            required
            autoComplete="off"
            defaultValue={value('cost')}
            {...described('cost')}
          />
          {fieldError('cost')}
        </label>
      </div>
      <label className="field">
        <span>
          Issue <span className="field-hint">— pick a known one so repeats are counted, or name a new one</span>
        </span>
        <input name="issue" list="known-issues" required autoComplete="off" defaultValue={value('issue')} {...described('issue')} />
        <datalist id="known-issues">
          {issues.map((issue) => (
            <option key={issue} value={issue} />
          ))}
        </datalist>
        {fieldError('issue')}
      </label>
      <div className={`form-row ${styles.row}`}>
        <label className="field">
          <span>Category</span>
          <select name="category" required defaultValue={value('category', '')} {...described('category')}>
            <option value="" disabled>
              Choose…
            </option>
            {(Object.keys(CATEGORY_LABELS) as SpotFixCategory[]).map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
          {fieldError('category')}
        </label>
        <label className="field">
          <span>
            Customer id <span className="field-hint">(optional)</span>
          </span>
          <input name="customer_id" autoComplete="off" defaultValue={value('customer_id')} {...described('customer_id')} />
          {fieldError('customer_id')}
        </label>
      </div>
      <label className="field">
        <span>
          Journey stage <span className="field-hint">(optional)</span>
        </span>
        <input name="journey_stage" list="journey-stages" autoComplete="off" defaultValue={value('journey_stage')} {...described('journey_stage')} />
        <datalist id="journey-stages">
          {journeyStages.map((stage) => (
            <option key={stage} value={stage} />
          ))}
        </datalist>
        {fieldError('journey_stage')}
      </label>
      <label className="field">
        <span>
          Note <span className="field-hint">(optional: what happened, what it took)</span>
        </span>
        <textarea name="note" rows={3} defaultValue={value('note')} {...described('note')} />
        {fieldError('note')}
      </label>
      <div aria-live="polite" role="status">
        {state.status !== 'idle' && state.message ? (
          <p className={state.status === 'error' ? 'error-text' : 'success-text'}>{state.message}</p>
        ) : null}
      </div>
      <button type="submit" className="button button-primary" disabled={isPending}>
        {isPending ? 'Logging…' : 'Log spot fix'}
      </button>
    </form>
  );
}
