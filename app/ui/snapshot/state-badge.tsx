import type { SnapshotState } from '@/lib/data/snapshots';

const LOOKS: Record<SnapshotState, { className: string; icon: string; label: string }> = {
  active: { className: 'status status-on_track', icon: '●', label: 'Active' },
  expired: { className: 'status status-no_data', icon: '○', label: 'Expired' },
  revoked: { className: 'status status-off_track', icon: '■', label: 'Revoked' },
};

export function SnapshotStateBadge({ state }: { state: SnapshotState }) {
  const look = LOOKS[state];
  return (
    <span className={look.className} data-testid="snapshot-state">
      <span aria-hidden="true">{look.icon}</span>
      {look.label}
    </span>
  );
}
