'use client';

import { useActionState } from 'react';
import { reassignMetricOwnerAction, updateMetricTargetsAction, type AdminFormState } from '@/app/actions/admin';
import type { OwnerChoice } from '@/lib/data/people';
import type { MetricKey } from '@/lib/domain';
import { FieldError, FormStatus, invalidClass } from './form-bits';
import { ROLE_LABELS } from './labels';
import styles from './admin.module.css';

const IDLE: AdminFormState = { status: 'idle' };

export function MetricOwnerForm({ metric, metricName, ownerId, owners }: { metric: MetricKey; metricName: string; ownerId: number | null; owners: OwnerChoice[] }) {
  const [state, action, isPending] = useActionState(reassignMetricOwnerAction, IDLE);
  const errors = state.fieldErrors ?? {};
  const selectId = `owner-${metric}`;
  return (
    <form action={action} className="form" style={{ marginTop: 0 }} noValidate aria-label={`Owner of ${metricName}`}>
      <input type="hidden" name="metric" value={metric} />
      <label className="field">
        <span>Accountable owner</span>
        <select
          id={selectId}
          name="ownerId"
          className={invalidClass(errors.ownerId)}
          defaultValue={state.values?.ownerId ?? (ownerId === null ? '' : String(ownerId))}
          aria-describedby={`${selectId}-error ${selectId}-hint`}
          data-testid={`owner-select-${metric}`}
        >
          {ownerId === null ? <option value="">No owner yet — choose one</option> : null}
          {owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} — {o.title} ({ROLE_LABELS[o.role]})
            </option>
          ))}
        </select>
        <span id={`${selectId}-hint`} className="field-hint">
          Active admins and executives only: the owner answers for this number and writes its commentary.
        </span>
        <FieldError id={`${selectId}-error`} errors={errors.ownerId} />
      </label>
      <FormStatus status={state.status} message={state.message} />
      <div>
        <button type="submit" className="button" disabled={isPending}>
          {isPending ? 'Saving…' : 'Change owner'}
        </button>
      </div>
    </form>
  );
}

export function MetricTargetsForm({
  metric,
  metricName,
  target,
  atRiskThreshold,
  unit,
  directionHint,
}: {
  metric: MetricKey;
  metricName: string;
  target: string;
  atRiskThreshold: string;
  unit: string;
  directionHint: string;
}) {
  const [state, action, isPending] = useActionState(updateMetricTargetsAction, IDLE);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  return (
    <form action={action} className="form" style={{ marginTop: 0 }} noValidate aria-label={`Target and threshold of ${metricName}`}>
      <input type="hidden" name="metric" value={metric} />
      <div className="form-row">
        <label className="field">
          <span>Target</span>
          <span className={styles.inputWithUnit}>
            <input
              name="target"
              inputMode="decimal"
              defaultValue={values.target ?? target}
              aria-describedby={`target-${metric}-error`}
              aria-invalid={Boolean(errors.target)}
              className={invalidClass(errors.target)}
              data-testid={`target-${metric}`}
            />
            <span className={styles.unit}>{unit}</span>
          </span>
          <FieldError id={`target-${metric}-error`} errors={errors.target} />
        </label>
        <label className="field">
          <span>At-risk threshold</span>
          <span className={styles.inputWithUnit}>
            <input
              name="atRiskThreshold"
              inputMode="decimal"
              defaultValue={values.atRiskThreshold ?? atRiskThreshold}
              aria-describedby={`threshold-${metric}-error threshold-${metric}-hint`}
              aria-invalid={Boolean(errors.atRiskThreshold)}
              className={invalidClass(errors.atRiskThreshold)}
              data-testid={`threshold-${metric}`}
            />
            <span className={styles.unit}>{unit}</span>
          </span>
          <FieldError id={`threshold-${metric}-error`} errors={errors.atRiskThreshold} />
        </label>
      </div>
      <span id={`threshold-${metric}-hint`} className="field-hint">
        {directionHint}
      </span>
      <FormStatus status={state.status} message={state.message} />
      <div>
        <button type="submit" className="button" disabled={isPending}>
          {isPending ? 'Saving…' : 'Save target and threshold'}
        </button>
      </div>
    </form>
  );
}
