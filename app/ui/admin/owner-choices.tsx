'use client';

import type { OwnerChoice, PersonSummary } from '@/lib/data/people';
import { describeOpenWork } from '@/lib/format';
import { FieldError, invalidClass } from './form-bits';
import { ROLE_LABELS } from './labels';
import styles from './admin.module.css';

/**
 * One "who takes over?" choice per metric the person gives up (newOwner.<metric>), and one for
 * their open recurring issues and unfinished actions together (newOwner.work).
 */
export function OwnerChoices({
  person,
  reason,
  owners,
  errors,
  values,
  idPrefix,
}: {
  person: PersonSummary;
  /** Said after what they are accountable for, e.g. "; a viewer cannot be". */
  reason?: string;
  owners: OwnerChoice[];
  errors: Record<string, string[] | undefined>;
  values: Record<string, string>;
  idPrefix: string;
}) {
  const { ownedMetrics: metrics } = person;
  const openWork = describeOpenWork({ issues: person.ownedIssues.length, actions: person.openActions });
  const accountableFor = [metrics.length === 0 ? null : metrics.length === 1 ? 'a metric' : 'metrics', openWork || null];
  const legend = `${person.name} is accountable for ${accountableFor.filter(Boolean).join(' and ')}${reason ?? ''}. Who takes over?`;
  const candidates = owners.filter((o) => o.id !== person.id);
  return (
    <fieldset className={styles.fieldset}>
      <legend>{legend}</legend>
      {[
        ...metrics.map((metric) => ({ key: metric.key, label: `New owner of ${metric.name}` })),
        ...(openWork ? [{ key: 'work', label: `Takes over ${openWork}` }] : []),
      ].map(({ key, label }) => {
        const field = `newOwner.${key}`;
        const errorId = `${idPrefix}-${key}-error`;
        return (
          <label className="field" key={key}>
            <span>{label}</span>
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
      <span className="field-hint">Only active admins and executives can be accountable: an owner writes the commentary and does the work.</span>
    </fieldset>
  );
}

/** Whether giving up this person's accountability needs successors chosen. */
export function hasOwnership(person: PersonSummary): boolean {
  return person.ownedMetrics.length + person.ownedIssues.length + person.openActions > 0;
}
