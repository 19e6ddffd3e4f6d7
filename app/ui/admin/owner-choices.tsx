'use client';

import type { OwnerChoice } from '@/lib/data/people';
import { FieldError, invalidClass } from './form-bits';
import { ROLE_LABELS } from './labels';
import styles from './admin.module.css';

/** One "who takes over?" choice per metric the person gives up; named newOwner.<metric>. */
export function OwnerChoices({
  legend,
  metrics,
  owners,
  leavingId,
  errors,
  values,
  idPrefix,
}: {
  legend: string;
  metrics: { key: string; name: string }[];
  owners: OwnerChoice[];
  leavingId: number;
  errors: Record<string, string[] | undefined>;
  values: Record<string, string>;
  idPrefix: string;
}) {
  const candidates = owners.filter((o) => o.id !== leavingId);
  return (
    <fieldset className={styles.fieldset}>
      <legend>{legend}</legend>
      {metrics.map((metric) => {
        const field = `newOwner.${metric.key}`;
        const errorId = `${idPrefix}-${metric.key}-error`;
        return (
          <label className="field" key={metric.key}>
            <span>New owner of {metric.name}</span>
            <select name={field} defaultValue={values[field] ?? ''} aria-describedby={errorId} aria-invalid={Boolean(errors[field])} className={invalidClass(errors[field])}>
              <option value="">Choose who takes over…</option>
              {candidates.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name} — {o.title} ({ROLE_LABELS[o.role]})
                </option>
              ))}
            </select>
            <FieldError id={errorId} errors={errors[field]} />
          </label>
        );
      })}
      <span className="field-hint">Only active admins and executives can own a metric: an owner writes its commentary and actions.</span>
    </fieldset>
  );
}
