'use client';

import { useActionState } from 'react';
import {
  reissueSnapshotLinkAction,
  revokeSnapshotAction,
  setSnapshotPasscodeAction,
  type SnapshotActionState,
} from '@/app/actions/snapshots';
import { CopyLink } from './copy-link';
import styles from './manage.module.css';

const IDLE: SnapshotActionState = { status: 'idle' };

function Message({ state }: { state: SnapshotActionState }) {
  if (state.status === 'idle') return null;
  return (
    <span role="status" aria-live="polite" className={state.status === 'error' ? 'form-error' : styles.ok}>
      {state.message ?? state.fieldErrors?.passcode?.[0] ?? ''}
    </span>
  );
}

/** Revoking is a POST like every change: a form with the id, checked again on the server. */
export function RevokeButton({ id, compact = false }: { id: number; compact?: boolean }) {
  const [state, formAction, isPending] = useActionState(revokeSnapshotAction, IDLE);
  return (
    <form action={formAction} className={styles.inlineForm}>
      <input type="hidden" name="id" value={id} />
      <button type="submit" className={`button ${styles.danger}`} disabled={isPending}>
        {isPending ? 'Revoking…' : compact ? 'Revoke' : 'Revoke link'}
      </button>
      <Message state={state} />
    </form>
  );
}

export function ReissueLink({ id }: { id: number }) {
  const [state, formAction, isPending] = useActionState(reissueSnapshotLinkAction, IDLE);
  return (
    <div className={styles.control}>
      <form action={formAction} className={styles.inlineForm}>
        <input type="hidden" name="id" value={id} />
        <button type="submit" className="button" disabled={isPending}>
          {isPending ? 'Making a new link…' : 'Re-issue link'}
        </button>
        <Message state={state} />
      </form>
      {state.status === 'success' && state.link && <CopyLink link={state.link} />}
    </div>
  );
}

export function PasscodeSettings({ id, hasPasscode, minLength }: { id: number; hasPasscode: boolean; minLength: number }) {
  const [state, formAction, isPending] = useActionState(setSnapshotPasscodeAction, IDLE);
  return (
    <form action={formAction} className={styles.inlineForm}>
      <input type="hidden" name="id" value={id} />
      <label className={styles.inlineField}>
        <span>{hasPasscode ? 'New passcode' : 'Passcode'}</span>
        <input name="passcode" type="password" autoComplete="new-password" minLength={minLength} placeholder={`${minLength}+ characters`} />
      </label>
      <button type="submit" className="button" disabled={isPending}>
        {hasPasscode ? 'Change passcode' : 'Set passcode'}
      </button>
      {hasPasscode && (
        <button type="submit" name="remove" value="1" className="button" disabled={isPending}>
          Remove passcode
        </button>
      )}
      <Message state={state} />
    </form>
  );
}
