import { statusLabel, type StatusKey } from '@/lib/format';

const ICONS: Record<StatusKey, string> = { on_track: '●', at_risk: '▲', off_track: '■', no_data: '○', in_progress: '◔' };

/** Status in words and a shape, never colour alone. */
export function StatusBadge({ status }: { status: StatusKey }) {
  return (
    <span className={`status status-${status}`}>
      <span aria-hidden="true">{ICONS[status]}</span>
      {statusLabel(status)}
    </span>
  );
}
