import { getDb } from '@/lib/db';
import type { MetricKey } from '@/lib/db/schema';
import { getCurrentExecutive } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getCommentary, listCommentaryRevisions, metricOwnerId } from '@/lib/data/commentary';
import { listActionOwnerOptions, listActions } from '@/lib/data/metric-actions';
import { todayIso } from '@/lib/metrics/period';
import { formatPeriodLabel } from '@/lib/format';
import { ActionStatusForm } from './action-status-form';
import { AddActionForm } from './add-action-form';
import { CommentaryEditor } from './commentary-editor';
import { ACTION_STATUS_LABELS } from './labels';
import { LocalTime } from './local-time';
import styles from './commentary-panel.module.css';

const formatDue = (isoDate: string) =>
  new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );

/**
 * Commentary and actions for one metric in one period, for the metric's drill-down page.
 * Edit controls appear only for those allowed to write; the server actions check again.
 */
export async function CommentaryPanel({ metricKey, period }: { metricKey: MetricKey; period: string }) {
  const me = await getCurrentExecutive();
  const db = await getDb();
  const [commentary, revisions, actions, ownerId] = await Promise.all([
    getCommentary(db, metricKey, period),
    listCommentaryRevisions(db, metricKey, period),
    listActions(db, metricKey, period),
    metricOwnerId(db, metricKey),
  ]);
  const canWrite = me !== null && can(me, 'write-commentary', { metricOwnerId: ownerId });
  const owners = canWrite ? await listActionOwnerOptions(db) : [];
  const defaultOwnerId = owners.some((o) => o.id === me?.id) ? me!.id : owners.some((o) => o.id === ownerId) ? ownerId : null;
  const today = todayIso();
  const earlier = revisions.filter((r) => commentary && r.version < commentary.version);
  const periodLabel = formatPeriodLabel(period);

  return (
    <div className={styles.panel} data-testid="commentary-panel">
      <section className={styles.block} aria-labelledby={`commentary-${metricKey}`}>
        <div className={styles.blockHeader}>
          <h2 id={`commentary-${metricKey}`} className={styles.heading}>
            Owner’s commentary
          </h2>
          <span className={styles.period}>{periodLabel}</span>
        </div>
        {commentary ? (
          <>
            <p className={styles.body} data-testid="commentary-body">
              {commentary.body}
            </p>
            <p className={styles.byline}>
              {commentary.author.name}, {commentary.author.title} · <LocalTime iso={commentary.updatedAt.toISOString()} />
              {commentary.version > 1 ? ` · version ${commentary.version}` : null}
            </p>
          </>
        ) : (
          <p className={styles.empty}>No commentary for {periodLabel} yet.</p>
        )}
        {canWrite ? (
          <CommentaryEditor metricKey={metricKey} period={period} body={commentary?.body ?? null} version={commentary?.version ?? 0} />
        ) : null}
        {earlier.length > 0 ? (
          <details className={styles.history}>
            <summary>
              History: {earlier.length} earlier {earlier.length === 1 ? 'version' : 'versions'}
            </summary>
            <ol className={styles.revisions}>
              {earlier.map((r) => (
                <li key={r.version} className={styles.revision}>
                  <p className={styles.byline}>
                    Version {r.version} · {r.author.name} · <LocalTime iso={r.createdAt.toISOString()} />
                  </p>
                  <p className={styles.revisionBody}>{r.body}</p>
                </li>
              ))}
            </ol>
          </details>
        ) : null}
      </section>

      <section className={styles.block} aria-labelledby={`actions-${metricKey}`}>
        <div className={styles.blockHeader}>
          <h2 id={`actions-${metricKey}`} className={styles.heading}>
            Actions
          </h2>
          <span className={styles.period}>
            {actions.filter((a) => a.status !== 'done').length} of {actions.length} open
          </span>
        </div>
        {actions.length === 0 ? <p className={styles.empty}>No actions for {periodLabel} yet.</p> : null}
        <ul className={styles.actions}>
          {actions.map((action) => {
            const overdue = action.status !== 'done' && action.dueOn !== null && action.dueOn < today;
            return (
              <li key={action.id} className={styles.action} data-status={action.status}>
                <div className={styles.actionMain}>
                  <p className={styles.actionTitle}>{action.title}</p>
                  <p className={styles.actionMeta}>
                    <span>{action.owner.name}</span>
                    <span aria-hidden="true">·</span>
                    <span>{action.dueOn ? `Due ${formatDue(action.dueOn)}` : 'No due date'}</span>
                    {overdue ? <span className={styles.overdue}>Overdue</span> : null}
                  </p>
                </div>
                <div className={styles.actionStatus}>
                  {canWrite ? (
                    <ActionStatusForm key={action.status} id={action.id} status={action.status} title={action.title} />
                  ) : (
                    <span className={`${styles.badge} ${styles[`badge_${action.status}`]}`}>{ACTION_STATUS_LABELS[action.status]}</span>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
        {canWrite ? <AddActionForm metricKey={metricKey} period={period} owners={owners} defaultOwnerId={defaultOwnerId} /> : null}
      </section>
    </div>
  );
}
