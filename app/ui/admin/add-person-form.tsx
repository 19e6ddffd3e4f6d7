'use client';

import { useActionState } from 'react';
import { createPersonAction, type AdminFormState } from '@/app/actions/admin';
import { FieldError, FormStatus, invalidClass } from './form-bits';
import { POWER_CORE_MEANING } from '@/lib/format';
import { POWER_CORE_OPTIONS, ROLE_OPTIONS, ROLE_SUMMARY } from './labels';
import styles from './admin.module.css';
import { PasswordLink } from './password-link';

export function AddPersonForm() {
  const [state, action, isPending] = useActionState<AdminFormState, FormData>(createPersonAction, { status: 'idle' });
  const errors = state.fieldErrors ?? {};
  // After a success the form starts empty again; after a refusal it keeps what was typed.
  const values = state.status === 'error' ? (state.values ?? {}) : {};
  return (
    <section className="card" aria-labelledby="add-person-heading">
      <h2 id="add-person-heading">Add a person</h2>
      <p className="muted" style={{ margin: 0, fontSize: '0.9rem' }}>
        Nobody signs themselves up. You get a one-time invite link for them to set their own password.
      </p>
      <form action={action} className="form" noValidate key={state.status === 'success' ? state.link?.path : 'form'}>
        <div className="form-row">
          <label className="field">
            <span>Name</span>
            <input name="name" autoComplete="off" defaultValue={values.name} aria-describedby="add-name-error" aria-invalid={Boolean(errors.name)} className={invalidClass(errors.name)} />
            <FieldError id="add-name-error" errors={errors.name} />
          </label>
          <label className="field">
            <span>Work email</span>
            <input name="email" type="email" autoComplete="off" defaultValue={values.email} aria-describedby="add-email-error" aria-invalid={Boolean(errors.email)} className={invalidClass(errors.email)} />
            <FieldError id="add-email-error" errors={errors.email} />
          </label>
          <label className="field">
            <span>Title</span>
            <input name="title" autoComplete="off" placeholder="Chief Operating Officer" defaultValue={values.title} aria-describedby="add-title-error" aria-invalid={Boolean(errors.title)} className={invalidClass(errors.title)} />
            <FieldError id="add-title-error" errors={errors.title} />
          </label>
          <label className="field">
            <span>
              <abbr title={POWER_CORE_MEANING}>Power core</abbr>
            </span>
            <select name="powerCore" defaultValue={values.powerCore ?? ''} aria-describedby="add-core-error" aria-invalid={Boolean(errors.powerCore)} className={invalidClass(errors.powerCore)}>
              <option value="" disabled>
                Choose…
              </option>
              {POWER_CORE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            <FieldError id="add-core-error" errors={errors.powerCore} />
          </label>
          <label className="field">
            <span>Role</span>
            <select name="role" defaultValue={values.role ?? 'executive'} aria-describedby="add-role-error" aria-invalid={Boolean(errors.role)} className={invalidClass(errors.role)}>
              {ROLE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            <FieldError id="add-role-error" errors={errors.role} />
          </label>
        </div>
        <span className="field-hint">{ROLE_SUMMARY}</span>
        <div>
          <button type="submit" className="button button-primary" disabled={isPending}>
            {isPending ? 'Adding…' : 'Add person and create invite link'}
          </button>
        </div>
        <FormStatus status={state.status} message={state.message} />
        {state.status === 'success' && state.link ? <PasswordLink link={state.link} /> : null}
      </form>
    </section>
  );
}
