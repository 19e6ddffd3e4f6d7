import type { ForetellsView, ValueAtRiskView } from '@/lib/data/journey-view';
import styles from './journey.module.css';

/** Value at risk and what a score foretells: the cost of a detractor, in the company's own data. */
export function JourneySummary({
  valueAtRisk,
  foretells,
  asOf,
}: {
  valueAtRisk: ValueAtRiskView;
  foretells: ForetellsView;
  /** "31 Mar 2026" */
  asOf: string;
}) {
  return (
    <div className={styles.summary}>
      <section className={`card ${styles.tile}`} aria-labelledby="value-at-risk" data-testid="value-at-risk">
        <h2 id="value-at-risk">Value at risk</h2>
        <p className={styles.big}>
          {valueAtRisk.customersText} <span className={styles.unit}>customers</span>
        </p>
        <p className={styles.tileValue}>{valueAtRisk.monthlyValueText} a month</p>
        <p className="muted">
          Active on {asOf}, and their latest survey response of the 12 months before was a detractor’s: the customers word of
          mouth turns against you.
        </p>
      </section>
      <section className={`card ${styles.tile}`} aria-labelledby="score-foretells" data-testid="score-foretells">
        <h2 id="score-foretells">What a score foretells</h2>
        <p className={styles.headline}>{foretells.headline ?? 'Not enough churn yet to compare detractors with promoters'}</p>
        <dl className={styles.rates}>
          {foretells.rates.map((rate) => (
            <div key={rate.name}>
              <dt>{rate.name}</dt>
              <dd>{rate.rateText}</dd>
            </div>
          ))}
        </dl>
        <p className="muted">
          Share of the 12 months’ responses (to {asOf}) whose customer left within 90 days after answering.
        </p>
      </section>
    </div>
  );
}
