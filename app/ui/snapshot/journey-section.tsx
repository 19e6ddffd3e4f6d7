import { NO_STAGE, foretellsView, valueAtRiskView } from '@/lib/data/journey-view';
import { formatGroupLabel, formatMoney, formatPercent } from '@/lib/format';
import type { SnapshotJourney } from '@/lib/snapshots/journey';
import styles from './journey-section.module.css';

/** Where the ball dropped, as frozen in the snapshot: the costliest journey stages and the value at risk. */
export function SnapshotJourneySection({ journey, currency }: { journey: SnapshotJourney; currency: string }) {
  const atRisk = valueAtRiskView(journey.valueAtRisk, currency);
  const foretells = foretellsView(journey.churnAfterResponse);
  return (
    <section className={styles.section} aria-labelledby="snapshot-journey" data-testid="snapshot-journey">
      <h2 id="snapshot-journey" className={styles.heading}>
        Where the ball drops
      </h2>
      <div className={styles.grid}>
        <div className={styles.stages}>
          {journey.stages.length === 0 ? (
            <p className={styles.muted}>No spot fixes in the period.</p>
          ) : (
            <table className={styles.table}>
              <caption className={styles.caption}>Costliest journey stages and their costliest issues</caption>
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col" className={styles.num}>Cost</th>
                  <th scope="col" className={styles.num}>Repeats</th>
                  <th scope="col">Costliest issues · accountable</th>
                </tr>
              </thead>
              <tbody>
                {journey.stages.map((stage) => (
                  <tr key={stage.stage ?? ''}>
                    <th scope="row">{formatGroupLabel(stage.stage, NO_STAGE)}</th>
                    <td className={styles.num}>{formatMoney(stage.cost, currency)}</td>
                    <td className={styles.num}>{formatPercent(stage.repeatShare)}</td>
                    <td>
                      {stage.topIssues.map((issue) => (
                        <span key={issue.issue} className={styles.issue}>
                          {issue.label} {formatMoney(issue.cost, currency)}
                          <span className={styles.muted}> · {issue.owner?.name ?? 'nobody yet'}</span>
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <dl className={styles.facts}>
          <div>
            <dt>Value at risk</dt>
            <dd data-testid="snapshot-value-at-risk">{atRisk.summary}</dd>
          </div>
          <div>
            <dt>What a score foretells</dt>
            <dd>
              {foretells.headline ?? 'Not enough churn yet to compare detractors with promoters'}
              <span className={styles.aside}>
                {' '}
                ({foretells.rates.map((rate) => `${rate.name.toLowerCase()} ${rate.rateText}`).join(', ')} left within 90 days)
              </span>
            </dd>
          </div>
        </dl>
      </div>
    </section>
  );
}
