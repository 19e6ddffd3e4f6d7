'use client';

import { useActionState } from 'react';
import { cancelBoardMeetingAction, retryOutboxMessageAction, type MeetingFormState } from '@/app/actions/board-meetings';
import { FormStatus } from '@/app/ui/admin/form-bits';

export function RetryMessageForm({ id, label }: { id: number; label: string }) {
  const [state, action, isPending] = useActionState<MeetingFormState, FormData>(retryOutboxMessageAction, { status: 'idle' });
  if (state.status === 'success') return <FormStatus status={state.status} message={state.message} />;
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="button" disabled={isPending} aria-label={`Retry ${label}`}>
        {isPending ? 'Queuing…' : 'Retry'}
      </button>
      <FormStatus status={state.status} message={state.message} />
    </form>
  );
}

export function CancelMeetingForm({ id }: { id: number }) {
  const [state, action, isPending] = useActionState<MeetingFormState, FormData>(cancelBoardMeetingAction, { status: 'idle' });
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      {state.status === 'success' ? null : (
        <button type="submit" className="button" disabled={isPending}>
          {isPending ? 'Cancelling…' : 'Cancel this meeting'}
        </button>
      )}
      <FormStatus status={state.status} message={state.message} />
    </form>
  );
}
