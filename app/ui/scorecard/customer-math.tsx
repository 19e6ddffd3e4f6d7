import type { CustomerMathView } from '@/lib/data/scorecard-view';
import { BarList } from '@/app/ui/charts/bar-list';
import styles from './customer-math.module.css';

/** In and out the door, in whole customers and in monthly value, with why people left. */
export function CustomerMath({ math, periodName }: { math: CustomerMathView; periodName: string }) {
  return (
    <section className={`card ${styles.section}`} aria-labelledby="customer-math">
      <div className={styles.head}>
        <h2 id="customer-math">Customer math: in and out the door</h2>
        <p className="muted">{periodName} · monthly value of the customers who came and went</p>
      </div>
      <div className={styles.flows}>
        <div className={`${styles.flow} ${styles.in}`}>
          <p className={styles.flowLabel}>In the door</p>
          <p className={styles.flowCount} data-testid="customers-gained">
            {math.gained}
          </p>
          <p className={styles.flowValue}>
            customers · <span data-testid="customers-value-gained">{math.valueGained}</span> a month
          </p>
        </div>
        <div className={`${styles.flow} ${styles.out}`}>
          <p className={styles.flowLabel}>Out the door</p>
          <p className={styles.flowCount} data-testid="customers-lost">
            {math.lost}
          </p>
          <p className={styles.flowValue}>
            customers · <span data-testid="customers-value-lost">{math.valueLost}</span> a month
          </p>
        </div>
        <div className={`${styles.flow} ${styles[math.netTone]}`}>
          <p className={styles.flowLabel}>Net</p>
          <p className={styles.flowCount} data-testid="customers-net">
            {math.net}
          </p>
          <p className={styles.flowValue}>
            customers · <span data-testid="customers-net-value">{math.netValue}</span> a month
          </p>
        </div>
      </div>
      <div>
        <h3 className={styles.reasonsTitle}>Top reasons for leaving</h3>
        {math.reasons.length === 0 ? (
          <p className="muted">No customers left in {periodName}.</p>
        ) : (
          <BarList
            testId="churn-reasons"
            items={math.reasons.map((reason) => ({
              key: reason.reason,
              label: reason.reason,
              share: reason.share,
              figures: `${reason.count} (${reason.shareText}) · ${reason.valueLost} a month`,
            }))}
          />
        )}
      </div>
    </section>
  );
}
