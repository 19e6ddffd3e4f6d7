import type { MetricReadiness } from '@/lib/data/board-meetings';
import type { StatusKey } from '@/lib/format';
import { StatusBadge } from '@/app/ui/scorecard/status-badge';

/** Each metric's verdict for the meeting's period, whether its owner has written, and open work. */
export function ReadinessTable({ metrics, periodName }: { metrics: MetricReadiness[]; periodName: string }) {
  return (
    <table className="data-table cards-on-phone" data-testid="readiness-table">
      <caption className="visually-hidden">Readiness for {periodName}</caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">Verdict for {periodName}</th>
          <th scope="col">Owner</th>
          <th scope="col">Commentary</th>
          <th scope="col" className="num">
            Open actions
          </th>
          <th scope="col" className="num">
            Overdue
          </th>
        </tr>
      </thead>
      <tbody>
        {metrics.map((m) => (
          <tr key={m.key} data-metric={m.key}>
            <th scope="row">
              {m.name}
              <span className="subline">
                {m.figure} · target {m.target}
              </span>
            </th>
            <td>
              <StatusBadge status={m.status as StatusKey} />
            </td>
            <td>{m.owner ? m.owner.name : <span className="muted">No owner</span>}</td>
            <td>
              {m.hasCommentary ? (
                <span className="flag flag-fixed">Written</span>
              ) : m.needsExplaining ? (
                <span className="flag flag-open">Missing: owner reminded</span>
              ) : (
                <span className="muted">Not needed</span>
              )}
            </td>
            <td className="num">{m.openActions}</td>
            <td className="num">{m.overdueActions ? <span className="flag flag-open">{m.overdueActions}</span> : 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
