'use client';

import { useActionState } from 'react';
import { createBoardMeetingAction, updateBoardMeetingAction, type MeetingFormState } from '@/app/actions/board-meetings';
import { FieldError, FormStatus, invalidClass } from '@/app/ui/admin/form-bits';

export interface MeetingFormValues {
  id?: number;
  title: string;
  period: string;
  date: string;
  time: string;
  snapshotTime: string;
  reminderLeadDays: string;
  snapshotExpiresInDays: string;
  recipients: string;
  hasPasscode: boolean;
}

/** Creates a meeting, or (with an id) edits one. Times are UTC, as on every admin page. */
export function MeetingForm({ initial, locked }: { initial: MeetingFormValues; locked?: string }) {
  const editing = initial.id !== undefined;
  const [state, action, isPending] = useActionState<MeetingFormState, FormData>(
    editing ? updateBoardMeetingAction : createBoardMeetingAction,
    { status: 'idle' },
  );
  const errors = state.fieldErrors ?? {};
  const v = { ...initial, ...(state.values ?? {}) } as Record<string, string | boolean | number | undefined>;
  const text = (name: keyof MeetingFormValues) => String(v[name] ?? '');
  const field = (name: keyof MeetingFormValues, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}, hint?: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        name={name}
        defaultValue={text(name)}
        aria-describedby={`meeting-${name}-error`}
        aria-invalid={Boolean(errors[name])}
        className={invalidClass(errors[name])}
        disabled={Boolean(locked)}
        {...props}
      />
      {hint ? <span className="field-hint">{hint}</span> : null}
      <FieldError id={`meeting-${name}-error`} errors={errors[name]} />
    </label>
  );
  return (
    <form action={action} className="form" noValidate>
      {editing ? <input type="hidden" name="id" value={initial.id} /> : null}
      {locked ? <p className="muted">{locked}</p> : null}
      <div className="form-row">
        {field('title', 'Title', { autoComplete: 'off', placeholder: 'Q4 board meeting' })}
        {field('period', 'Period reviewed', { autoComplete: 'off', placeholder: '2025-Q4' }, 'A month (2025-03), quarter (2025-Q1) or year (2025)')}
      </div>
      <div className="form-row">
        {field('date', 'Date', { type: 'date' })}
        {field('time', 'Starts at (UTC)', { type: 'time' })}
        {field('snapshotTime', 'Snapshot goes out at (UTC)', { type: 'time' }, 'On the day, before the meeting starts')}
      </div>
      <div className="form-row">
        {field('reminderLeadDays', 'Remind owners (days before)', { type: 'number', min: 1, max: 60, inputMode: 'numeric' })}
        {field('snapshotExpiresInDays', 'Snapshot link lasts (days)', { type: 'number', min: 1, max: 365, inputMode: 'numeric' })}
      </div>
      <label className="field">
        <span>Recipients</span>
        <textarea
          name="recipients"
          rows={5}
          defaultValue={text('recipients')}
          placeholder={'Jane Doe <jane@example.com>\nJohn Roe <john@example.com>'}
          aria-describedby="meeting-recipients-hint meeting-recipients-error"
          aria-invalid={Boolean(errors.recipients)}
          className={invalidClass(errors.recipients)}
          disabled={Boolean(locked)}
        />
        <span id="meeting-recipients-hint" className="field-hint">
          Board members, one a line: Name &lt;email&gt;. They need no account; only admins see this list.
        </span>
        <FieldError id="meeting-recipients-error" errors={errors.recipients} />
      </label>
      <div className="form-row">
        {field(
          'passcode' as keyof MeetingFormValues,
          initial.hasPasscode ? 'New passcode (optional)' : 'Passcode (optional)',
          { type: 'password', autoComplete: 'new-password', defaultValue: '' },
          initial.hasPasscode ? 'A passcode is set; leave empty to keep it' : 'Sent to the recipients in a separate message',
        )}
        {initial.hasPasscode ? (
          <label className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: 8 }}>
            <input type="checkbox" name="removePasscode" disabled={Boolean(locked)} />
            <span>Remove the passcode</span>
          </label>
        ) : null}
      </div>
      {locked ? null : (
        <div>
          <button type="submit" className="button button-primary" disabled={isPending}>
            {isPending ? 'Saving…' : editing ? 'Save the meeting' : 'Schedule the meeting'}
          </button>
        </div>
      )}
      <FormStatus status={state.status} message={state.message} />
    </form>
  );
}
