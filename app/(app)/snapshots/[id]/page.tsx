import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PasscodeSettings, ReissueLink, RevokeButton } from '@/app/ui/snapshot/snapshot-controls';
import { SnapshotView } from '@/app/ui/snapshot/snapshot-view';
import { SnapshotStateBadge } from '@/app/ui/snapshot/state-badge';
import styles from '@/app/ui/snapshot/manage.module.css';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getPreviousSnapshot, getSnapshot, listSnapshotViews } from '@/lib/data/snapshots';
import { formatCount, formatDateTime, formatPeriodLabel } from '@/lib/format';
import { MIN_PASSCODE_LENGTH } from '@/lib/snapshots/passcode';
import { noEarlierSnapshot } from '@/lib/snapshots/view-model';
import { snapshotIdSchema } from '@/lib/validation/snapshots';

export const metadata: Metadata = { title: 'Snapshot' };

export default async function SnapshotDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requireExecutive();
  const id = snapshotIdSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const db = await getDb();
  const [snapshot, previous, views] = await Promise.all([
    getSnapshot(db, id.data),
    getPreviousSnapshot(db, id.data),
    listSnapshotViews(db, id.data, 10),
  ]);
  if (!snapshot) notFound();
  const mayManage = can(me, 'revoke-snapshot', { snapshotCreatorId: snapshot.createdBy.id });

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <p className="muted" style={{ margin: 0 }}>
            <Link href="/snapshots">Board snapshots</Link>
          </p>
          <h1>{snapshot.title}</h1>
        </div>
        <SnapshotStateBadge state={snapshot.state} />
      </header>
      <div className={styles.layout}>
        <section className={styles.panel} aria-labelledby="about-heading">
          <h2 id="about-heading">About this snapshot</h2>
          <dl className={`facts ${styles.facts}`}>
            <dt>Period</dt>
            <dd>{formatPeriodLabel(snapshot.period)}</dd>
            <dt>Made by</dt>
            <dd>
              {snapshot.createdBy.name}, {formatDateTime(snapshot.createdAt)}
            </dd>
            <dt>{snapshot.state === 'expired' ? 'Expired' : 'Expires'}</dt>
            <dd>{formatDateTime(snapshot.expiresAt)}</dd>
            {snapshot.revokedAt && (
              <>
                <dt>Revoked</dt>
                <dd>
                  {formatDateTime(snapshot.revokedAt)}{snapshot.revokedBy ? ` by ${snapshot.revokedBy.name}` : ''}
                </dd>
              </>
            )}
            <dt>Passcode</dt>
            <dd>{snapshot.hasPasscode ? 'Required' : 'None'}</dd>
            <dt>Views</dt>
            <dd>
              {formatCount(snapshot.viewCount)}
              {snapshot.lastViewedAt ? `, last ${formatDateTime(snapshot.lastViewedAt)}` : ''}
            </dd>
            <dt>Content hash</dt>
            <dd>
              <code style={{ wordBreak: 'break-all' }}>{snapshot.contentHash}</code>
            </dd>
          </dl>
          {views.length > 0 && (
            <>
              <p className="muted" style={{ margin: '12px 0 0', fontSize: '0.88rem' }}>
                Latest openings (time only; nothing about who opened it is kept):
              </p>
              <ol className={styles.views}>
                {views.map((at, i) => (
                  <li key={i}>{formatDateTime(at)}</li>
                ))}
              </ol>
            </>
          )}
        </section>
        <section className={styles.panel} aria-labelledby="manage-heading">
          <h2 id="manage-heading">Link</h2>
          {previous ? (
            <p style={{ marginTop: 0 }}>
              <Link href={`/snapshots/${snapshot.id}/compare`}>
                What changed since “{previous.title}” ({formatPeriodLabel(previous.period)})
              </Link>
            </p>
          ) : (
            <p className="muted" style={{ marginTop: 0 }}>
              {noEarlierSnapshot(snapshot.period)}
            </p>
          )}
          {snapshot.state !== 'active' ? (
            <p className="muted">
              The link is {snapshot.state} and answers “not found”. {snapshot.state === 'expired' ? 'Freeze the period again for a new link.' : ''}
            </p>
          ) : mayManage ? (
            <div className={styles.controls}>
              <p className="muted" style={{ margin: 0 }}>
                The link was shown once, when it was made. If it is lost, or went to the wrong people, re-issue it: the
                old link stops working at once.
              </p>
              <ReissueLink id={snapshot.id} />
              <PasscodeSettings id={snapshot.id} hasPasscode={snapshot.hasPasscode} minLength={MIN_PASSCODE_LENGTH} />
              <RevokeButton id={snapshot.id} />
            </div>
          ) : (
            <p className="muted">Only {snapshot.createdBy.name}, who made it, or an admin can re-issue or revoke this link.</p>
          )}
        </section>
      </div>
      <p className={styles.frameLabel}>What the link shows</p>
      <div className={styles.frame}>
        <SnapshotView payload={snapshot.payload} contentHash={snapshot.contentHash} />
      </div>
    </main>
  );
}
