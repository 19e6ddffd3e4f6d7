import { StatusBadge } from '@/app/ui/scorecard/status-badge';
import { formatDate, formatDateTime, formatMoney, formatPercent, formatPeriodLabel, powerCoreLabel } from '@/lib/format';
import type { SnapshotIssue, SnapshotPayload } from '@/lib/snapshots/payload';
import { metricViews, type MetricChangeView, type MetricView } from '@/lib/snapshots/view-model';
import { SnapshotJourneySection } from './journey-section';
import { PresentationControls } from './presentation';
import { TrendChart } from './trend-chart';
import styles from './snapshot.module.css';

/**
 * A frozen snapshot, drawn from its payload alone. Used by the public link page and by the
 * management page's preview, so both show exactly the same thing.
 */
export function SnapshotView({ payload, contentHash }: { payload: SnapshotPayload; contentHash: string }) {
  const views = metricViews(payload);
  const currency = payload.organisation.currency;
  const slides = [
    <TitleSlide key="title" payload={payload} views={views} />,
    ...views.map((view) => <MetricSlide key={view.key} view={view} payload={payload} />),
  ];
  return (
    <div className={styles.snapshot}>
      <header className={styles.header}>
        <div className={styles.heading}>
          <p className={styles.kicker}>{payload.organisation.name} · Board snapshot</p>
          <h1 className={styles.title}>{payload.title}</h1>
          <p className={styles.period}>
            CX Scorecard · <strong>{formatPeriodLabel(payload.period.label)}</strong>{' '}
            <span className={styles.dates}>
              ({formatDate(payload.period.start)} – {formatDate(payload.period.end)})
            </span>
          </p>
        </div>
        <PresentationControls slides={slides} label={`${payload.title}: ${formatPeriodLabel(payload.period.label)}`} />
      </header>
      {payload.note && <p className={styles.note}>{payload.note}</p>}
      <div className={styles.body}>
        <div className={styles.metrics}>
          {views.map((view) => (
            <MetricCard key={view.key} view={view} currency={currency} />
          ))}
        </div>
        {payload.topIssues ? <TopIssues issues={payload.topIssues} currency={currency} periodLabel={payload.period.label} /> : null}
        {payload.journey && <SnapshotJourneySection journey={payload.journey} currency={currency} />}
      </div>
      <footer className={styles.footer}>
        <p>
          Frozen {formatDateTime(payload.frozenAt)} by {payload.createdBy.name} ({payload.createdBy.title}). Data as of{' '}
          {formatDateTime(payload.dataAsOf)}. This is a copy: later changes to the data, targets, owners or commentary do not
          alter it.
        </p>
        <p>
          Content hash (SHA-256):{' '}
          <code className={styles.hash} data-testid="content-hash">
            {contentHash}
          </code>
        </p>
      </footer>
    </div>
  );
}

const VERDICT_ICONS = { better: '▲', worse: '▼', same: '■', noise: '≈', none: '' } as const;

function Change({ change }: { change: MetricChangeView }) {
  return (
    <li className={styles.change}>
      <span className={styles.changeValue}>{change.text}</span> <span className={styles.muted}>{change.label}</span>
      {change.words && (
        <span className={`${styles.verdict} ${styles[`verdict_${change.verdict}`] ?? ''}`} data-verdict={change.verdict}>
          {VERDICT_ICONS[change.verdict] && <span aria-hidden="true">{VERDICT_ICONS[change.verdict]} </span>}
          <span data-change-words>{change.words}</span>
        </span>
      )}
    </li>
  );
}

function Owner({ view }: { view: MetricView }) {
  if (!view.owner) return <p className={styles.owner}>No accountable executive</p>;
  return (
    <p className={styles.owner}>
      <span className={styles.muted}>Accountable</span> <strong>{view.owner.name}</strong>
      <span className={styles.muted}>
        {' '}
        · {view.owner.title} · {powerCoreLabel(view.owner.powerCore)} core
      </span>
    </p>
  );
}

const ACTION_STATUS = { open: 'Open', in_progress: 'In progress', done: 'Done' } as const;

function Notes({ view }: { view: MetricView }) {
  const { commentary } = view.notes;
  const { within, actions, actionCounts, printNote } = view;
  return (
    <div className={styles.notes}>
      <h3 className={styles.notesHeading}>Commentary</h3>
      <div className={styles.screenOnly}>
        {commentary ? (
          <figure className={styles.commentary}>
            <blockquote className={styles.commentaryBody}>{commentary.body}</blockquote>
            <figcaption className={styles.muted}>
              {commentary.author.name}, {commentary.author.title}
            </figcaption>
          </figure>
        ) : within.length === 0 ? (
          <p className={styles.muted}>No commentary for this period.</p>
        ) : null}
        {within.length > 0 && (
          <ol className={styles.within} data-testid={`snapshot-within-${view.key}`}>
            {within.map((entry, i) => (
              <li key={i}>
                <strong className={styles.withinPeriod}>{entry.period ? formatPeriodLabel(entry.period) : ''}</strong>{' '}
                <span className={styles.withinBody}>{entry.body}</span>{' '}
                <span className={styles.muted}>— {entry.author.name}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
      <div className={styles.printOnly}>
        {printNote ? (
          <p className={styles.commentaryBody} data-testid={`snapshot-print-note-${view.key}`}>
            {printNote.periodName ? <strong>{printNote.periodName}: </strong> : null}
            {printNote.text}
            {printNote.isCut ? <span className={styles.continued}> … continued</span> : null}
            <span className={styles.muted}> — {printNote.author}</span>
            {printNote.moreCount > 0 ? (
              <span className={styles.muted}>
                {' '}
                (+{printNote.moreCount} more at the link)
              </span>
            ) : null}
          </p>
        ) : (
          <p className={styles.muted}>No commentary for this period.</p>
        )}
      </div>
      <h3 className={styles.notesHeading}>
        Actions{' '}
        <span className={styles.actionCounts} data-testid={`snapshot-action-counts-${view.key}`}>
          · {actions.length === 0 ? 'none' : `${actionCounts.open === 0 ? 'none' : actionCounts.open} open`}
          {actionCounts.overdue > 0 ? <span className={styles.overdueCount}>, {actionCounts.overdue} overdue</span> : null}
        </span>
      </h3>
      {actions.length > 0 && (
        <ul className={styles.actions}>
          {actions.map((action, i) => (
            <li key={i} data-overdue={action.isOverdue ? 'true' : undefined} data-done={action.isOpen === false || undefined}>
              <span className={`${styles.actionStatus} ${styles[`action_${action.status}`]}`}>{ACTION_STATUS[action.status]}</span>{' '}
              {action.isOverdue ? <span className={styles.overdueTag}>Overdue</span> : null} {action.title}{' '}
              <span className={styles.muted}>
                · {action.owner.name}
                {action.dueOn ? `, due ${formatDate(action.dueOn)}` : ''}
                {action.doneOn ? `, done ${formatDate(action.doneOn)}` : ''}
                {action.issue ? ` · ${action.issue}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function TopIssues({ issues, currency, periodLabel }: { issues: SnapshotIssue[]; currency: string; periodLabel: string }) {
  return (
    <section className={styles.issues} aria-labelledby="snapshot-issues" data-testid="snapshot-issues">
      <h2 id="snapshot-issues" className={styles.issuesHeading}>
        Recurring issues that cost the most in {formatPeriodLabel(periodLabel)}
      </h2>
      {issues.length === 0 ? (
        <p className={styles.muted}>No spot fixes in this period.</p>
      ) : (
        <table className={styles.issuesTable}>
          <thead>
            <tr>
              <th scope="col">Issue</th>
              <th scope="col">Accountable</th>
              <th scope="col" className={styles.num}>
                Cost
              </th>
              <th scope="col" className={styles.num}>
                Repeats
              </th>
              <th scope="col" className={styles.num}>
                Fixes
              </th>
            </tr>
          </thead>
          <tbody>
            {issues.map((issue) => (
              <tr key={issue.label}>
                <td>{issue.label}</td>
                <td>{issue.owner ? `${issue.owner.name}, ${issue.owner.title}` : <span className={styles.muted}>Nobody</span>}</td>
                <td className={styles.num}>{formatMoney(issue.cost, currency)}</td>
                <td className={styles.num}>{formatPercent(issue.repeatShare, 0)} of cost</td>
                <td className={styles.num}>{issue.fixes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function MetricCard({ view, currency }: { view: MetricView; currency: string }) {
  const headingId = `snapshot-metric-${view.key}`;
  return (
    <section className={styles.metric} aria-labelledby={headingId} data-testid={`snapshot-metric-${view.key}`}>
      <div className={styles.metricHead}>
        <h2 id={headingId}>{view.name}</h2>
        <StatusBadge status={view.status} />
      </div>
      <div className={styles.value} data-testid={`snapshot-value-${view.key}`}>
        {view.valueText}
      </div>
      {view.undefinedReason && <p className={styles.muted}>{view.undefinedReason}</p>}
      <p className={styles.target}>
        Target {view.targetText} <span className={styles.threshold}>· {view.thresholdText}</span>
      </p>
      <ul className={styles.changes}>
        {view.changes.map((change) => (
          <Change key={change.label} change={change} />
        ))}
      </ul>
      <TrendChart points={view.trend} format={view.format} currency={currency} metricName={view.name} />
      <dl className={styles.details}>
        {view.details.map((d) => (
          <div key={d.label} className={styles.detail}>
            <dt>{d.label}</dt>
            <dd>{d.value}</dd>
          </div>
        ))}
      </dl>
      <Owner view={view} />
      <Notes view={view} />
    </section>
  );
}

function TitleSlide({ payload, views }: { payload: SnapshotPayload; views: MetricView[] }) {
  return (
    <div className={styles.slideTitle}>
      <p className={styles.kicker}>{payload.organisation.name} · Board snapshot</p>
      <h2 className={styles.slideHeading}>{payload.title}</h2>
      <p className={styles.slidePeriod}>CX Scorecard · {formatPeriodLabel(payload.period.label)}</p>
      {payload.note && <p className={styles.slideNote}>{payload.note}</p>}
      <ul className={styles.slideSummary}>
        {views.map((view) => (
          <li key={view.key}>
            <span className={styles.slideSummaryName}>{view.name}</span>
            <span className={styles.slideSummaryValue}>{view.valueText}</span>
            <StatusBadge status={view.status} />
            <span className={styles.muted}>{view.owner?.name ?? ''}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function MetricSlide({ view, payload }: { view: MetricView; payload: SnapshotPayload }) {
  return (
    <div className={styles.slideMetric} data-testid={`slide-${view.key}`}>
      <div className={styles.slideMain}>
        <p className={styles.kicker}>{formatPeriodLabel(payload.period.label)}</p>
        <h2 className={styles.slideHeading}>{view.name}</h2>
        <div className={styles.slideStatus}>
          <StatusBadge status={view.status} />
        </div>
        <div className={`${styles.slideValue} ${view.valueText.length > 8 ? styles.slideValueLong : ''}`}>{view.valueText}</div>
        {view.undefinedReason && <p className={styles.muted}>{view.undefinedReason}</p>}
        <p className={styles.target}>
          Target {view.targetText} · {view.thresholdText}
        </p>
        <ul className={styles.changes}>
          {view.changes.map((change) => (
            <Change key={change.label} change={change} />
          ))}
        </ul>
        <dl className={styles.details}>
          {view.details.map((d) => (
            <div key={d.label} className={styles.detail}>
              <dt>{d.label}</dt>
              <dd>{d.value}</dd>
            </div>
          ))}
        </dl>
      </div>
      <div className={styles.slideSide}>
        <TrendChart points={view.trend} format={view.format} currency={payload.organisation.currency} metricName={view.name} size="slide" />
        <Owner view={view} />
        <Notes view={view} />
      </div>
    </div>
  );
}
