'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { createSnapshotAction, type SnapshotActionState } from '@/app/actions/snapshots';
import { CopyLink } from './copy-link';
import styles from './manage.module.css';

interface CreateSnapshotFormProps {
  period: string;
  periodName: string;
  defaultTitle: string;
  expiryChoices: readonly number[];
  defaultExpiryDays: number;
  minPasscodeLength: number;
}

function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <span id={id} className="form-error" aria-live="polite">
      {errors?.[0] ?? ''}
    </span>
  );
}

export function CreateSnapshotForm(props: CreateSnapshotFormProps) {
  const [state, formAction, isPending] = useActionState<SnapshotActionState, FormData>(createSnapshotAction, { status: 'idle' });

  if (state.status === 'success' && state.link) {
    return (
      <div className={styles.result} data-testid="snapshot-created">
        <p className={styles.resultMessage} role="status">
          {state.message}
        </p>
        {state.warnings && state.warnings.length > 0 && (
          <ul className={styles.warnings}>
            {state.warnings.map((w) => (
              <li key={w.metricKey}>{w.message}</li>
            ))}
          </ul>
        )}
        <CopyLink link={state.link} />
        <p className={styles.resultLinks}>
          <Link href={`/snapshots/${state.snapshotId}`}>Manage this snapshot</Link> ·{' '}
          <Link href="/snapshots">All snapshots</Link>
        </p>
      </div>
    );
  }

  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="form" noValidate>
      <input type="hidden" name="period" value={props.period} />
      {errors.period && <FieldError id="period-error" errors={errors.period} />}
      <label className="field">
        <span>Title</span>
        <input
          name="title"
          required
          maxLength={120}
          defaultValue={props.defaultTitle}
          aria-invalid={Boolean(errors.title)}
          aria-describedby="title-error"
        />
        <FieldError id="title-error" errors={errors.title} />
      </label>
      <label className="field">
        <span>
          Note for the board <span className="muted">(optional)</span>
        </span>
        <textarea name="note" rows={3} maxLength={2000} aria-invalid={Boolean(errors.note)} aria-describedby="note-error" />
        <FieldError id="note-error" errors={errors.note} />
      </label>
      <div className={`form-row ${styles.formRow}`}>
        <label className="field">
          <span>Link expires after</span>
          <select
            name="expiresInDays"
            defaultValue={String(props.defaultExpiryDays)}
            aria-invalid={Boolean(errors.expiresInDays)}
            aria-describedby="expiry-error"
          >
            {props.expiryChoices.map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </select>
          <FieldError id="expiry-error" errors={errors.expiresInDays} />
        </label>
        <label className="field">
          <span>
            Passcode <span className="muted">(optional, at least {props.minPasscodeLength} characters)</span>
          </span>
          <input
            name="passcode"
            type="password"
            autoComplete="new-password"
            aria-invalid={Boolean(errors.passcode)}
            aria-describedby="passcode-error"
          />
          <FieldError id="passcode-error" errors={errors.passcode} />
        </label>
      </div>
      <div aria-live="polite" className="form-error" role="status">
        {state.status === 'error' ? state.message : null}
      </div>
      <div>
        <button type="submit" className="button button-primary" disabled={isPending}>
          {isPending ? 'Freezing…' : `Freeze ${props.periodName}`}
        </button>
      </div>
    </form>
  );
}
