import type { MetricCardView } from '@/lib/data/scorecard-view';
import { TrendChart } from '@/app/ui/charts/trend-chart';
import { ChangeList } from '../change-list';
import { OwnerLine } from '../metric-card';
import { StatusBadge } from '../status-badge';
import styles from './drilldown.module.css';

/** The metric's headline on its drill-down: the same figures as its scorecard card. */
export function MetricSummary({ card }: { card: MetricCardView }) {
  return (
    <section className={`card ${styles.summary}`} aria-label={`${card.title}: summary`}>
      <div className={styles.headline}>
        <StatusBadge status={card.status} />
        <p className={styles.value} data-testid={card.valueTestId}>
          {card.valueText}
        </p>
        {card.undefinedReason && (
          <p className={`${styles.small} muted`}>
            {card.status === 'no_data' && card.undefinedReason.includes('recorded') ? 'No data' : 'Not defined'}: {card.undefinedReason}.
          </p>
        )}
        {card.progressText && <p className={`${styles.small} muted`}>{card.progressText.replace(/^so far/, 'So far')}</p>}
        <p className={styles.small}>
          Target {card.targetText}
          <span className="muted"> · {card.thresholdText}</span>
          {card.targetNote && <span className="muted"> ({card.targetNote})</span>}
        </p>
        <dl className="facts">
          {card.facts.map((fact) => (
            <div key={fact.term} style={{ display: 'contents' }}>
              <dt>{fact.term}</dt>
              <dd>{fact.detail}</dd>
            </div>
          ))}
        </dl>
      </div>
      <div className={styles.headline}>
        <ChangeList changes={card.changes} />
        <TrendChart trend={card.trend} />
      </div>
      <div className={styles.headline}>
        <OwnerLine owner={card.owner} />
      </div>
    </section>
  );
}
