import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CompareView } from '@/app/ui/snapshot/compare-view';
import styles from '@/app/ui/snapshot/manage.module.css';
import { requireExecutive } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getPreviousSnapshot, getSnapshot } from '@/lib/data/snapshots';
import { formatDateTime, formatPeriodLabel } from '@/lib/format';
import { compareSnapshots } from '@/lib/snapshots/compare';
import { noEarlierSnapshot } from '@/lib/snapshots/view-model';
import { snapshotIdSchema } from '@/lib/validation/snapshots';

export const metadata: Metadata = { title: 'Since the last board meeting' };

export default async function CompareSnapshotsPage({ params }: { params: Promise<{ id: string }> }) {
  await requireExecutive();
  const id = snapshotIdSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const db = await getDb();
  const [current, previous] = await Promise.all([getSnapshot(db, id.data), getPreviousSnapshot(db, id.data)]);
  if (!current) notFound();

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <p className="muted" style={{ margin: 0 }}>
            <Link href="/snapshots">Board snapshots</Link> · <Link href={`/snapshots/${current.id}`}>{current.title}</Link>
          </p>
          <h1>Since the last board meeting</h1>
        </div>
      </header>
      {!previous ? (
        <p className={styles.panel} data-testid="compare-none">
          {noEarlierSnapshot(current.period)}
        </p>
      ) : (
        <>
          <div className={styles.compareHead} style={{ marginBottom: 16 }}>
            <div className={styles.compareSide}>
              <span className="muted">Before</span>
              <strong>
                <Link href={`/snapshots/${previous.id}`}>{previous.title}</Link>
              </strong>
              {formatPeriodLabel(previous.period)} · frozen {formatDateTime(previous.createdAt)} by {previous.createdBy.name}
            </div>
            <span className={styles.arrow} aria-hidden="true">
              →
            </span>
            <div className={styles.compareSide}>
              <span className="muted">This snapshot</span>
              <strong>{current.title}</strong>
              {formatPeriodLabel(current.period)} · frozen {formatDateTime(current.createdAt)} by {current.createdBy.name}
            </div>
          </div>
          <CompareView comparison={compareSnapshots(previous.payload, current.payload)} currency={current.payload.organisation.currency} />
        </>
      )}
    </main>
  );
}
