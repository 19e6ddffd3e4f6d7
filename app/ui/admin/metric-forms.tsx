'use client';

import { useActionState, useState } from 'react';
import { reassignMetricOwnerAction, updateDataSinceAction, updateMetricTargetsAction, type AdminFormState } from '@/app/actions/admin';
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

const GRANULARITY_OPTIONS = [
  { value: 'month', label: 'Month' },
  { value: 'quarter', label: 'Quarter' },
  { value: 'year', label: 'Year' },
] as const;

export interface TargetDefaults {
  granularity: 'month' | 'quarter' | 'year';
  /** Form values for each granularity: what is in force now, and the default effective date. */
  target: Record<'month' | 'quarter' | 'year', string>;
  atRiskThreshold: Record<'month' | 'quarter' | 'year', string>;
  effectiveFrom: Record<'month' | 'quarter' | 'year', string>;
}

export function MetricTargetsForm({
  metric,
  metricName,
  defaults,
  unit,
  directionHint,
}: {
  metric: MetricKey;
  metricName: string;
  defaults: TargetDefaults;
  unit: Record<'month' | 'quarter' | 'year', string>;
  directionHint: string;
}) {
  const [state, action, isPending] = useActionState(updateMetricTargetsAction, IDLE);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  const granularity = (values.granularity as TargetDefaults['granularity'] | undefined) ?? defaults.granularity;
  // Re-mount the inputs when the granularity changes so each shows that granularity's figures.
  const [chosen, setChosen] = useState(granularity);
  const derive = values.derive === 'on';
  return (
    <form action={action} className="form" style={{ marginTop: 0 }} noValidate aria-label={`Change a target of ${metricName}`}>
      <input type="hidden" name="metric" value={metric} />
      <div className="form-row">
        <label className="field">
          <span>For each</span>
          <select
            name="granularity"
            defaultValue={granularity}
            onChange={(event) => setChosen(event.target.value as TargetDefaults['granularity'])}
            data-testid={`granularity-${metric}`}
          >
            {GRANULARITY_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>In force from</span>
          <input
            key={`from-${chosen}`}
            type="date"
            name="effectiveFrom"
            defaultValue={values.effectiveFrom ?? defaults.effectiveFrom[chosen]}
            aria-describedby={`from-${metric}-error`}
            aria-invalid={Boolean(errors.effectiveFrom)}
            className={invalidClass(errors.effectiveFrom)}
            data-testid={`effective-from-${metric}`}
          />
          <FieldError id={`from-${metric}-error`} errors={errors.effectiveFrom} />
        </label>
      </div>
      <div className="form-row">
        <label className="field">
          <span>Target</span>
          <span className={styles.inputWithUnit}>
            <input
              key={`target-${chosen}`}
              name="target"
              inputMode="decimal"
              defaultValue={values.target ?? defaults.target[chosen]}
              aria-describedby={`target-${metric}-error`}
              aria-invalid={Boolean(errors.target)}
              className={invalidClass(errors.target)}
              data-testid={`target-${metric}`}
            />
            <span className={styles.unit}>{unit[chosen]}</span>
          </span>
          <FieldError id={`target-${metric}-error`} errors={errors.target} />
        </label>
        <label className="field">
          <span>At-risk threshold</span>
          <span className={styles.inputWithUnit}>
            <input
              key={`threshold-${chosen}`}
              name="atRiskThreshold"
              inputMode="decimal"
              defaultValue={values.atRiskThreshold ?? defaults.atRiskThreshold[chosen]}
              aria-describedby={`threshold-${metric}-error threshold-${metric}-hint`}
              aria-invalid={Boolean(errors.atRiskThreshold)}
              className={invalidClass(errors.atRiskThreshold)}
              data-testid={`threshold-${metric}`}
            />
            <span className={styles.unit}>{unit[chosen]}</span>
          </span>
          <FieldError id={`threshold-${metric}-error`} errors={errors.atRiskThreshold} />
        </label>
      </div>
      {chosen !== 'month' && (
        <label className={styles.checkbox}>
          <input type="checkbox" name="derive" defaultChecked={derive} data-testid={`derive-${metric}`} /> Derive from the monthly
          target instead (from that date on)
        </label>
      )}
      <span id={`threshold-${metric}-hint`} className="field-hint">
        {directionHint} Periods that ended before the date keep the target they were judged by.
      </span>
      <FormStatus status={state.status} message={state.message} />
      <div>
        <button type="submit" className="button" disabled={isPending}>
          {isPending ? 'Saving…' : 'Save target'}
        </button>
      </div>
    </form>
  );
}

export function DataSinceForm({ metric, metricName, value, hint }: { metric: MetricKey; metricName: string; value: string; hint: string }) {
  const [state, action, isPending] = useActionState(updateDataSinceAction, IDLE);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="form" style={{ marginTop: 0 }} noValidate aria-label={`Data since for ${metricName}`}>
      <input type="hidden" name="metric" value={metric} />
      <label className="field">
        <span>Data since</span>
        <input
          type="date"
          name="dataSince"
          defaultValue={state.values?.dataSince ?? value}
          aria-describedby={`data-since-${metric}-error data-since-${metric}-hint`}
          aria-invalid={Boolean(errors.dataSince)}
          className={invalidClass(errors.dataSince)}
          data-testid={`data-since-${metric}`}
        />
        <span id={`data-since-${metric}-hint`} className="field-hint">
          {hint}
        </span>
        <FieldError id={`data-since-${metric}-error`} errors={errors.dataSince} />
      </label>
      <FormStatus status={state.status} message={state.message} />
      <div>
        <button type="submit" className="button button-secondary" disabled={isPending}>
          {isPending ? 'Saving…' : 'Save data since'}
        </button>
      </div>
    </form>
  );
}
