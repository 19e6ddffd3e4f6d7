'use client';

import { useActionState, useState } from 'react';
import { updatePersonAction, type AdminFormState } from '@/app/actions/admin';
import type { OwnerChoice, PersonSummary } from '@/lib/data/people';
import type { Role } from '@/lib/domain';
import { FieldError, FormStatus, invalidClass } from './form-bits';
import { POWER_CORE_MEANING } from '@/lib/format';
import { POWER_CORE_OPTIONS, ROLE_HINTS, ROLE_OPTIONS } from './labels';
import { hasOwnership, OwnerChoices } from './owner-choices';
import styles from './admin.module.css';

export function EditPersonForm({ person, owners, isSelf }: { person: PersonSummary; owners: OwnerChoice[]; isSelf: boolean }) {
  const [state, action, isPending] = useActionState<AdminFormState, FormData>(updatePersonAction, { status: 'idle' });
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  const [role, setRole] = useState<Role>(person.role);
  // A viewer can be accountable for nothing: metrics and open work need successors.
  const givesUpOwnership = role === 'viewer' && person.role !== 'viewer' && hasOwnership(person);
  return (
    <section className="card" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Details and role</h2>
      <form action={action} className="form" noValidate>
        <input type="hidden" name="id" value={person.id} />
        <div className="form-row">
          <label className="field">
            <span>Name</span>
            <input name="name" defaultValue={values.name ?? person.name} aria-describedby="edit-name-error" aria-invalid={Boolean(errors.name)} className={invalidClass(errors.name)} />
            <FieldError id="edit-name-error" errors={errors.name} />
          </label>
          <label className="field">
            <span>Title</span>
            <input name="title" defaultValue={values.title ?? person.title} aria-describedby="edit-title-error" aria-invalid={Boolean(errors.title)} className={invalidClass(errors.title)} />
            <FieldError id="edit-title-error" errors={errors.title} />
          </label>
        </div>
        <div className="form-row">
          <label className="field">
            <span>
              <abbr title={POWER_CORE_MEANING}>Power core</abbr>
            </span>
            <select name="powerCore" defaultValue={values.powerCore ?? person.powerCore} aria-describedby="edit-core-error" className={invalidClass(errors.powerCore)}>
              {POWER_CORE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            <FieldError id="edit-core-error" errors={errors.powerCore} />
          </label>
          <label className="field">
            <span>Role</span>
            <select
              name="role"
              value={role}
              onChange={(e) => setRole(e.target.value as Role)}
              disabled={isSelf}
              aria-describedby="edit-role-error edit-role-hint"
              className={invalidClass(errors.role)}
            >
              {ROLE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            {isSelf ? <input type="hidden" name="role" value={person.role} /> : null}
            <span id="edit-role-hint" className="field-hint">
              {ROLE_HINTS[role]}.{' '}
              {isSelf ? 'You cannot change your own role; another admin can.' : 'Changing the role signs them out everywhere at once.'}
            </span>
            <FieldError id="edit-role-error" errors={errors.role} />
          </label>
        </div>
        {givesUpOwnership ? (
          <OwnerChoices person={person} reason="; a viewer cannot be" owners={owners} errors={errors} values={values} idPrefix="edit-owner" />
        ) : null}
        <FormStatus status={state.status} message={state.message} />
        <div>
          <button type="submit" className="button button-primary" disabled={isPending}>
            {isPending ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </form>
    </section>
  );
}
