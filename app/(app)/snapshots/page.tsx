import type { Metadata } from 'next';
import Link from 'next/link';
import { RevokeButton } from '@/app/ui/snapshot/snapshot-controls';
import { SnapshotStateBadge } from '@/app/ui/snapshot/state-badge';
import styles from '@/app/ui/snapshot/manage.module.css';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listSnapshots, previousSnapshotIds } from '@/lib/data/snapshots';
import { formatCount, formatDate, formatDateTime, formatPeriodLabel } from '@/lib/format';
import { granularityNoun } from '@/lib/snapshots/view-model';

export const metadata: Metadata = { title: 'Board snapshots' };

export default async function SnapshotsPage() {
  const me = await requireExecutive();
  const snapshots = await listSnapshots(await getDb());
  const previous = previousSnapshotIds(snapshots);
  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>Board snapshots</h1>
          <p className="muted" style={{ margin: '4px 0 0' }}>
            Frozen copies of the scorecard for board meetings. Links open without signing in until they expire or are
            revoked. Times are UTC.
          </p>
        </div>
        {can(me, 'create-snapshot') && (
          <Link href="/snapshots/new" className="button button-primary" style={{ textDecoration: 'none' }}>
            Freeze a period
          </Link>
        )}
      </header>
      <div className={styles.tableWrap}>
        {snapshots.length === 0 ? (
          <p className={`${styles.empty} muted`}>
            No snapshots yet.{' '}
            {can(me, 'create-snapshot') ? <Link href="/snapshots/new">Freeze a period</Link> : null} before the next board
            meeting.
          </p>
        ) : (
          <table className={`data-table ${styles.table}`}>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Period</th>
                <th scope="col">Made by</th>
                <th scope="col">Created (UTC)</th>
                <th scope="col">Expires</th>
                <th scope="col" className="num">
                  Views
                </th>
                <th scope="col">Last opened</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="muted">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {snapshots.map((s) => (
                <tr key={s.id} data-testid={`snapshot-row-${s.id}`}>
                  <td className={styles.titleCell}>
                    <Link href={`/snapshots/${s.id}`}>{s.title}</Link>
                    {s.hasPasscode && <span className={styles.tag}>passcode</span>}
                  </td>
                  <td>{formatPeriodLabel(s.period)}</td>
                  <td>{s.createdBy.name}</td>
                  <td>{formatDateTime(s.createdAt)}</td>
                  <td>{s.state === 'revoked' ? <span className="muted">—</span> : formatDate(s.expiresAt)}</td>
                  <td className="num">{formatCount(s.viewCount)}</td>
                  <td>{formatDateTime(s.lastViewedAt)}</td>
                  <td>
                    <SnapshotStateBadge state={s.state} />
                  </td>
                  <td>
                    <div className={styles.rowActions}>
                      {previous.get(s.id) != null && (
                        <Link
                          href={`/snapshots/${s.id}/compare`}
                          aria-label={`Compare “${s.title}” with the previous ${granularityNoun(s.period)}’s snapshot`}
                        >
                          Compare
                        </Link>
                      )}
                      {s.state !== 'revoked' && can(me, 'revoke-snapshot', { snapshotCreatorId: s.createdBy.id }) && (
                        <RevokeButton id={s.id} compact />
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </main>
  );
}
