'use client';

import { useActionState, useId, useState } from 'react';
import { saveCommentaryAction, type CommentaryFormState } from '@/app/actions/commentary';
import { COMMENTARY_MAX_LENGTH } from '@/lib/validation/commentary';
import { LocalTime } from './local-time';
import styles from './commentary-panel.module.css';

/**
 * The commentary form for people allowed to write it. It carries the version it started from, so a save
 * made by someone else in the meantime is reported as a conflict instead of being overwritten.
 */
export function CommentaryEditor({
  metricKey,
  period,
  body,
  version,
}: {
  metricKey: string;
  period: string;
  body: string | null;
  version: number;
}) {
  const [editing, setEditing] = useState(false);
  // Controlled, so the writer's text survives a refused save (React resets uncontrolled forms after an action).
  const [text, setText] = useState(body ?? '');
  const [state, formAction, isPending] = useActionState<CommentaryFormState, FormData>(async (previous, formData) => {
    const result = await saveCommentaryAction(previous, formData);
    if (result.status === 'success') setEditing(false);
    return result;
  }, { status: 'idle' });
  const textareaId = useId();
  const errorId = useId();

  if (!editing) {
    return (
      <div className={styles.editorBar}>
        <button
          type="button"
          className="button"
          onClick={() => {
            setText(body ?? '');
            setEditing(true);
          }}
        >
          {body ? 'Edit commentary' : 'Write commentary'}
        </button>
        <p aria-live="polite" role="status" className={styles.statusText}>
          {state.status === 'success' ? state.message : null}
        </p>
      </div>
    );
  }

  // After a conflict the next save starts from the version the other person saved.
  const baseVersion = state.status === 'conflict' && state.conflict ? state.conflict.version : version;
  const bodyErrors = state.fieldErrors?.body;

  return (
    <form action={formAction} className={styles.editor} noValidate>
      <input type="hidden" name="metricKey" value={metricKey} />
      <input type="hidden" name="period" value={period} />
      <input type="hidden" name="baseVersion" value={baseVersion} />
      {state.status === 'conflict' && state.conflict ? (
        <div className={styles.conflict} role="alert">
          <p className={styles.conflictTitle}>
            {state.conflict.authorName} saved a newer version at <LocalTime iso={state.conflict.updatedAt} style="time" /> —
            review it and save again.
          </p>
          <p className={styles.conflictLabel}>Their version:</p>
          <blockquote className={styles.conflictBody}>{state.conflict.body}</blockquote>
          <p className={styles.conflictHint}>Your text is kept below. Saving now replaces their version.</p>
        </div>
      ) : null}
      <label className={styles.label} htmlFor={textareaId}>
        Why it moved, and what we are doing about it
      </label>
      <textarea
        id={textareaId}
        name="body"
        className={styles.textarea}
        value={text}
        onChange={(event) => setText(event.target.value)}
        rows={7}
        maxLength={COMMENTARY_MAX_LENGTH}
        aria-invalid={bodyErrors ? true : undefined}
        aria-describedby={errorId}
        required
        autoFocus
      />
      <div id={errorId} aria-live="polite" className="form-error">
        {bodyErrors?.[0] ?? (state.status === 'error' ? state.message : null)}
      </div>
      <div className={styles.formButtons}>
        <button type="submit" className="button button-primary" disabled={isPending}>
          {isPending ? 'Saving…' : state.status === 'conflict' ? 'Save again' : 'Save commentary'}
        </button>
        <button type="button" className="button" onClick={() => setEditing(false)} disabled={isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
