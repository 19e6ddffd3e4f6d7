import type { MetricNotesView } from '@/lib/data/metric-notes';
import { formatDate, formatPeriodLabel } from '@/lib/format';
import { ActionStatusForm } from './action-status-form';
import { AddActionForm } from './add-action-form';
import { CommentaryEditor } from './commentary-editor';
import { ACTION_STATUS_LABELS } from './labels';
import { LocalTime } from './local-time';
import styles from './commentary-panel.module.css';

/**
 * Commentary and actions for one metric in one period, for the metric's drill-down page. The page
 * loads `notes` (lib/data/metric-notes); edit controls appear only for those allowed to write, and
 * the server actions check again.
 */
export function CommentaryPanel({ notes }: { notes: MetricNotesView }) {
  const { metricKey, periodLabel, commentary, earlierVersions, within, actions, canWrite } = notes;
  const periodName = formatPeriodLabel(periodLabel);
  const openAtEnd = actions.filter((a) => a.isOpen);
  const overdue = openAtEnd.filter((a) => a.isOverdue).length;
  const onDay = notes.isPeriodOver ? `at the end of ${periodName}` : 'today';

  return (
    <div className={styles.panel} data-testid="commentary-panel">
      <section className={styles.block} aria-labelledby={`commentary-${metricKey}`}>
        <div className={styles.blockHeader}>
          <h2 id={`commentary-${metricKey}`} className={styles.heading}>
            Owner’s commentary
          </h2>
          <span className={styles.period}>{periodName}</span>
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
          <p className={styles.empty}>
            No commentary for {periodName} itself yet{within.length > 0 ? ': what was written during it follows.' : '.'}
          </p>
        )}
        {canWrite ? (
          <CommentaryEditor metricKey={metricKey} period={periodLabel} body={commentary?.body ?? null} version={commentary?.version ?? 0} />
        ) : null}
        {earlierVersions.length > 0 ? (
          <details className={styles.history}>
            <summary>
              History: {earlierVersions.length} earlier {earlierVersions.length === 1 ? 'version' : 'versions'}
            </summary>
            <ol className={styles.revisions}>
              {earlierVersions.map((r) => (
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
        {within.length > 0 ? (
          <div className={styles.within} data-testid="commentary-within">
            <h3 className={styles.withinHeading}>Written during {periodName}</h3>
            <ol className={styles.withinList}>
              {within.map((entry) => (
                <li key={entry.id} className={styles.withinItem} data-period={entry.period}>
                  <p className={styles.withinPeriod}>{formatPeriodLabel(entry.period)}</p>
                  <p className={styles.body}>{entry.body}</p>
                  <p className={styles.byline}>
                    {entry.author.name}, {entry.author.title} · <LocalTime iso={entry.updatedAt.toISOString()} />
                  </p>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
      </section>

      <section className={styles.block} aria-labelledby={`actions-${metricKey}`}>
        <div className={styles.blockHeader}>
          <h2 id={`actions-${metricKey}`} className={styles.heading}>
            Actions
          </h2>
          <span className={styles.period} data-testid="action-counts">
            {actions.length === 0 ? (
              'None'
            ) : (
              <>
                {openAtEnd.length === 0 ? 'none' : openAtEnd.length} open {onDay}
                {overdue > 0 ? `, ${overdue} overdue` : ''} · {actions.length} in {periodName}
              </>
            )}
          </span>
        </div>
        {actions.length === 0 ? <p className={styles.empty}>No actions were open during {periodName}.</p> : null}
        <ul className={styles.actions}>
          {actions.map((action) => (
            <li key={action.id} className={styles.action} data-status={action.status} data-testid="action">
              <div className={styles.actionMain}>
                <p className={styles.actionTitle}>{action.title}</p>
                <p className={styles.actionMeta}>
                  <span>{action.owner.name}</span>
                  <span aria-hidden="true">·</span>
                  <span>Opened {formatDate(action.openedOn)}</span>
                  <span aria-hidden="true">·</span>
                  <span>{action.dueOn ? `Due ${formatDate(action.dueOn)}` : 'No due date'}</span>
                  {action.doneOn ? (
                    <>
                      <span aria-hidden="true">·</span>
                      <span>Done {formatDate(action.doneOn)}</span>
                    </>
                  ) : null}
                  {action.isOverdue ? <span className={styles.overdue}>Overdue</span> : null}
                </p>
                {action.issue ? <p className={styles.actionIssue}>Recurring issue: {action.issue.label}</p> : null}
              </div>
              <div className={styles.actionStatus}>
                {canWrite ? (
                  <ActionStatusForm key={action.status} id={action.id} status={action.status} title={action.title} />
                ) : (
                  <span className={`${styles.badge} ${styles[`badge_${action.status}`]}`}>{ACTION_STATUS_LABELS[action.status]}</span>
                )}
              </div>
            </li>
          ))}
        </ul>
        {canWrite ? (
          <AddActionForm
            metricKey={metricKey}
            period={periodLabel}
            owners={notes.ownerOptions}
            issues={notes.issueOptions}
            defaultOwnerId={notes.defaultOwnerId}
            defaultOpenedOn={notes.defaultOpenedOn}
            today={notes.today}
          />
        ) : null}
      </section>
    </div>
  );
}
