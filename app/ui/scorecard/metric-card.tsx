import Link from 'next/link';
import type { MetricCardView } from '@/lib/data/scorecard-view';
import { powerCoreLabel } from '@/lib/format';
import type { MetricOwner } from '@/lib/metrics/types';
import { TrendChart } from '@/app/ui/charts/trend-chart';
import { ChangeList } from './change-list';
import { StatusBadge } from './status-badge';
import styles from './metric-card.module.css';

export function OwnerLine({ owner }: { owner: MetricOwner | null }) {
  if (!owner) return <p className={`${styles.owner} muted`}>No accountable executive yet</p>;
  return (
    <p className={styles.owner}>
      <span className={styles.ownerLabel}>Accountable</span>
      <strong>{owner.name}</strong>
      <span className="muted">
        {owner.title} · {powerCoreLabel(owner.powerCore)} core
      </span>
    </p>
  );
}

export function MetricCard({
  card,
  periodLabel,
  actions,
  footnote,
}: {
  card: MetricCardView;
  periodLabel: string;
  /** Actions open on the period's last day (today while it runs), and how many of them are overdue. */
  actions?: { open: number; overdue: number };
  /** A line under the value and target (the recommendation rate's value at risk). */
  footnote?: React.ReactNode;
}) {
  const href = `/metrics/${card.slug}?period=${encodeURIComponent(periodLabel)}`;
  const headingId = `metric-${card.slug}`;
  return (
    <article className={`card ${styles.card}`} aria-labelledby={headingId} data-metric={card.key}>
      <div className={styles.head}>
        <h2 id={headingId} className={styles.title}>
          <Link href={href} prefetch={false}>
            {card.title}
          </Link>
        </h2>
        <StatusBadge status={card.status} />
      </div>

      <div>
        <p className={styles.value} data-testid={card.valueTestId}>
          {card.valueText}
        </p>
        {card.undefinedReason && (
          <p className={styles.reason} data-testid={`${card.valueTestId}-reason`}>
            {card.status === 'no_data' && card.undefinedReason.includes('recorded') ? 'No data' : 'Not defined'}: {card.undefinedReason}.
          </p>
        )}
        {card.progressText && (
          <p className={styles.reason} data-testid={`${card.valueTestId}-progress`}>
            {card.progressText.replace(/^so far/, 'So far')}
          </p>
        )}
        <p className={styles.target}>
          Target <span data-testid={`${card.slug}-target`}>{card.targetText}</span>
          <span className="muted"> · {card.thresholdText}</span>
          {card.targetNote && <span className={`muted ${styles.targetNote}`}> ({card.targetNote})</span>}
        </p>
        {footnote}
      </div>

      <ChangeList changes={card.changes} />
      <TrendChart trend={card.trend} />

      <dl className="facts">
        {card.facts.map((fact) => (
          <div key={fact.term} className={styles.fact}>
            <dt>{fact.term}</dt>
            <dd data-testid={fact.testId}>{fact.detail}</dd>
          </div>
        ))}
      </dl>

      <OwnerLine owner={card.owner} />

      {card.commentary ? (
        <blockquote className={styles.commentary}>
          <p>{card.commentary.excerpt}</p>
          <footer className="muted">
            — {card.commentary.authorName}, {card.commentary.authorTitle}
            {card.commentary.fromPeriodName ? ` · on ${card.commentary.fromPeriodName}` : ''}
          </footer>
        </blockquote>
      ) : (
        <p className={`${styles.commentary} ${styles.noCommentary}`}>No commentary for this period yet.</p>
      )}

      {actions ? <ActionCountLine counts={actions} /> : null}

      <Link href={href} prefetch={false} className={styles.more}>
        {card.title} in detail <span aria-hidden="true">→</span>
      </Link>
    </article>
  );
}

function ActionCountLine({ counts }: { counts: { open: number; overdue: number } }) {
  return (
    <p className={styles.actionCounts} data-testid="action-counts">
      {counts.open === 0 ? 'No open actions' : `${counts.open} open ${counts.open === 1 ? 'action' : 'actions'}`}
      {counts.overdue > 0 ? <span className={styles.overdue}>{counts.overdue} overdue</span> : null}
    </p>
  );
}
