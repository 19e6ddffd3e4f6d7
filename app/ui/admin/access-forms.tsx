'use client';

import { useActionState } from 'react';
import {
  deactivatePersonAction,
  issuePasswordLinkAction,
  reactivatePersonAction,
  type AdminFormState,
} from '@/app/actions/admin';
import type { OwnerChoice, PersonSummary } from '@/lib/data/people';
import { FormStatus } from './form-bits';
import { hasOwnership, OwnerChoices } from './owner-choices';
import { PasswordLink } from './password-link';
import { formatDateTime } from '@/lib/format';
import styles from './admin.module.css';

const IDLE: AdminFormState = { status: 'idle' };

export function PasswordLinkForm({ person }: { person: PersonSummary }) {
  const [state, action, isPending] = useActionState(issuePasswordLinkAction, IDLE);
  const invite = !person.hasPassword;
  return (
    <section className="card" aria-labelledby="link-heading">
      <h2 id="link-heading">{invite ? 'Invite' : 'Password'}</h2>
      <p className="muted" style={{ margin: 0, fontSize: '0.9rem' }}>
        {invite
          ? 'They have not set a password yet. A new invite link works once, for 7 days.'
          : 'They have a password. A reset link works once, for 1 hour; setting a new password signs them out everywhere.'}{' '}
        {person.pendingLink
          ? `A ${person.pendingLink.purpose} link is waiting to be used until ${formatDateTime(person.pendingLink.expiresAt)}; a new link replaces it.`
          : null}
      </p>
      <form action={action} className="form" style={{ marginTop: 0 }}>
        <input type="hidden" name="id" value={person.id} />
        <FormStatus status={state.status} message={state.message} />
        {state.status === 'success' && state.link ? <PasswordLink link={state.link} /> : null}
        <div>
          <button type="submit" className="button" disabled={isPending || !person.isActive}>
            {isPending ? 'Creating…' : invite ? 'Create a new invite link' : 'Create a password reset link'}
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * Deactivate and reactivate share one form state: the page swaps one card for the other after a
 * success, and the outcome must still be shown on the card that replaces it.
 */
export function AccessForms({ person, owners, isSelf }: { person: PersonSummary; owners: OwnerChoice[]; isSelf: boolean }) {
  const [state, action, isPending] = useActionState(
    (previous: AdminFormState, formData: FormData) =>
      formData.get('intent') === 'reactivate' ? reactivatePersonAction(previous, formData) : deactivatePersonAction(previous, formData),
    IDLE,
  );
  if (!person.isActive) {
    return (
      <section className="card" aria-labelledby="reactivate-heading">
        <h2 id="reactivate-heading">Deactivated</h2>
        <form action={action} className="form" style={{ marginTop: 0 }}>
          <input type="hidden" name="id" value={person.id} />
          <input type="hidden" name="intent" value="reactivate" />
          <FormStatus status={state.status} message={state.message} />
          <p className="muted" style={{ margin: 0, fontSize: '0.9rem' }}>
            {person.name} cannot sign in. Reactivating lets them sign in again with their password (sessions from before stay ended).
          </p>
          <div>
            <button type="submit" className="button button-primary" disabled={isPending}>
              {isPending ? 'Reactivating…' : `Reactivate ${person.name}`}
            </button>
          </div>
        </form>
      </section>
    );
  }
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  return (
    <section className="card" aria-labelledby="deactivate-heading">
      <h2 id="deactivate-heading">Deactivate</h2>
      {isSelf ? (
        <p className="muted" style={{ margin: 0, fontSize: '0.9rem' }}>
          You cannot deactivate yourself. Another admin can.
        </p>
      ) : (
        <form action={action} className="form" style={{ marginTop: 0 }} noValidate>
          <input type="hidden" name="id" value={person.id} />
          <input type="hidden" name="intent" value="deactivate" />
          <p className="muted" style={{ margin: 0, fontSize: '0.9rem' }}>
            {person.name} is signed out at once and can no longer sign in. Their history stays. You can reactivate them later.
          </p>
          {hasOwnership(person) ? (
            <OwnerChoices person={person} owners={owners} errors={errors} values={values} idPrefix="deactivate-owner" />
          ) : null}
          <FormStatus status={state.status} message={state.message} />
          <div>
            <button type="submit" className={`button ${styles.danger}`} disabled={isPending}>
              {isPending ? 'Deactivating…' : `Deactivate ${person.name}`}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
