import Link from 'next/link';
import type { ValueAtRiskView } from '@/lib/data/journey-view';
import styles from './value-at-risk-line.module.css';

/** The scorecard's line under recommendation rate: the detractors' customers and what they pay a month. */
export function ValueAtRiskLine({ view, periodLabel }: { view: ValueAtRiskView; periodLabel: string }) {
  return (
    <p className={styles.line} data-testid="scorecard-value-at-risk">
      <Link href={`/journey?period=${encodeURIComponent(periodLabel)}`} prefetch={false}>
        Value at risk
      </Link>
      : {view.summary} <span className="muted">(latest response a detractor’s)</span>
    </p>
  );
}
