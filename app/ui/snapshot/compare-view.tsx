import { StatusBadge } from '@/app/ui/scorecard/status-badge';
import { describeActionCounts, formatMoney, formatPercent, formatPeriodLabel, formatPoints, formatSignedMoney } from '@/lib/format';
import type { ActionCounts, MetricComparison, MetricValue, SnapshotComparison } from '@/lib/snapshots/compare';
import styles from './manage.module.css';

const ACTION_STATUS = { open: 'open', in_progress: 'in progress', done: 'done' } as const;

function show(value: MetricValue | number, kind: 'ratio' | 'money', currency: string): string {
  if (kind === 'money') return formatMoney(value === null ? null : String(value), currency);
  return formatPercent(value === null ? null : Number(value));
}

function delta(m: MetricComparison, currency: string): string {
  if (m.delta === null) return '';
  if (m.kind === 'money') return ` (${formatSignedMoney(String(m.delta), currency)})`;
  return ` (${formatPoints(Number(m.delta))})`;
}

function countText(counts: ActionCounts): string {
  return describeActionCounts(counts);
}

function TopIssues({ comparison, currency }: { comparison: SnapshotComparison; currency: string }) {
  const { before, after } = comparison.topIssues;
  if (!after) return null;
  const earlier = new Map((before ?? []).map((issue) => [issue.label.toLowerCase(), issue]));
  return (
    <section className={styles.panel} aria-labelledby="compare-issues" data-testid="compare-issues">
      <h2 id="compare-issues">Costliest recurring issues</h2>
      {after.length === 0 ? (
        <p className={styles.unchanged}>No spot fixes in the period.</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={`data-table ${styles.table}`}>
            <thead>
              <tr>
                <th scope="col">Issue</th>
                <th scope="col">Accountable</th>
                <th scope="col" className="num">
                  Before
                </th>
                <th scope="col" className="num">
                  Now
                </th>
                <th scope="col" className="num">
                  Repeats
                </th>
              </tr>
            </thead>
            <tbody>
              {after.map((issue) => {
                const was = earlier.get(issue.label.toLowerCase());
                return (
                  <tr key={issue.label}>
                    <td>{issue.label}</td>
                    <td>{issue.owner?.name ?? 'Nobody'}</td>
                    <td className="num">{was ? formatMoney(was.cost, currency) : before ? 'not in the top list' : '—'}</td>
                    <td className="num">{formatMoney(issue.cost, currency)}</td>
                    <td className="num">{formatPercent(issue.repeatShare, 0)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function MetricChanges({ m, currency }: { m: MetricComparison; currency: string }) {
  const items: React.ReactNode[] = [];
  if (m.valueChanged) {
    items.push(
      <li key="value">
        Value {show(m.before.value, m.kind, currency)} → <strong>{show(m.after.value, m.kind, currency)}</strong>
        {delta(m, currency)}
      </li>,
    );
  }
  if (m.statusChanged) {
    items.push(
      <li key="status">
        Status <StatusBadge status={m.before.status} /> → <StatusBadge status={m.after.status} />
      </li>,
    );
  }
  if (m.targetChanged) {
    items.push(
      <li key="target">
        Target {show(m.before.target, m.kind, currency)} → <strong>{show(m.after.target, m.kind, currency)}</strong>
      </li>,
    );
  }
  if (m.ownerChanged) {
    items.push(
      <li key="owner">
        Owner {m.before.ownerName ?? 'nobody'} → <strong>{m.after.ownerName ?? 'nobody'}</strong>
        {m.after.ownerTitle ? `, ${m.after.ownerTitle}` : ''}
      </li>,
    );
  }
  if ((m.commentary === 'new' || m.commentary === 'updated') && m.commentaryAfter) {
    items.push(
      <li key="commentary">
        {m.commentary === 'new' ? 'New commentary' : 'Commentary rewritten'} by {m.commentaryAfter.author.name}
        <blockquote>{m.commentaryAfter.body}</blockquote>
      </li>,
    );
  }
  if (m.commentary === 'removed') items.push(<li key="commentary">No commentary this time (there was before)</li>);
  for (const action of m.newActions) {
    items.push(
      <li key={`new-${action.title}`}>
        New action: {action.title} <span className="muted">({action.owner.name}, {ACTION_STATUS[action.status]})</span>
      </li>,
    );
  }
  for (const change of m.actionStatusChanges) {
    items.push(
      <li key={`status-${change.title}`}>
        Action “{change.title}”: {ACTION_STATUS[change.from]} → <strong>{ACTION_STATUS[change.to]}</strong>
      </li>,
    );
  }
  const { before: countsBefore, after: countsAfter } = m.actionCounts;
  if (countsAfter && (!countsBefore || countsBefore.open !== countsAfter.open || countsBefore.overdue !== countsAfter.overdue)) {
    items.push(
      <li key="action-counts" data-testid={`compare-actions-${m.key}`}>
        Actions: {countsBefore ? `${countText(countsBefore)} → ` : ''}
        <strong>{countText(countsAfter)}</strong>
      </li>,
    );
  }
  if (items.length === 0) return <p className={styles.unchanged}>No change.</p>;
  return <ul className={styles.changeList}>{items}</ul>;
}

export function CompareView({
  comparison,
  currency,
}: {
  comparison: SnapshotComparison;
  currency: string;
}) {
  return (
    <div className={styles.compare}>
      <p className={styles.summary} data-testid="compare-summary">
        {comparison.changedCount === 0
          ? 'Nothing changed between the two snapshots.'
          : `${comparison.changedCount} of ${comparison.metrics.length} metrics changed${comparison.samePeriod ? ' (same period, frozen again)' : ''}.`}
      </p>
      {comparison.metrics.map((m) => (
        <section key={m.key} className={styles.panel} aria-labelledby={`compare-${m.key}`} data-testid={`compare-${m.key}`}>
          <h2 id={`compare-${m.key}`}>
            {m.name}{' '}
            <span className="muted" style={{ fontWeight: 400, fontSize: '0.9rem' }}>
              {formatPeriodLabel(m.before.period)} {show(m.before.value, m.kind, currency)} · now{' '}
              {formatPeriodLabel(m.after.period)} {show(m.after.value, m.kind, currency)}
            </span>
          </h2>
          <MetricChanges m={m} currency={currency} />
        </section>
      ))}
      <TopIssues comparison={comparison} currency={currency} />
    </div>
  );
}
