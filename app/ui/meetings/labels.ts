import type { OutboxKind, OutboxState } from '@/lib/domain';

export const OUTBOX_KIND_LABELS: Record<OutboxKind, string> = {
  reminder: 'Reminder',
  readiness: 'Readiness summary',
  snapshot: 'Snapshot link',
  passcode: 'Snapshot passcode',
  alert: 'Status alert',
  invite: 'Invite',
  reset: 'Password reset',
};

export const OUTBOX_STATE_LABELS: Record<OutboxState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  unsent: 'Not sent (no mail server)',
  cancelled: 'Withdrawn',
};
