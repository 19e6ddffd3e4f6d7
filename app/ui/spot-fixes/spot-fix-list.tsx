import type { SpotFixListItem } from '@/lib/data/spot-fixes';
import { formatMoney } from '@/lib/format';
import { CATEGORY_LABELS } from './labels';
import styles from './spot-fixes.module.css';

export function SpotFixList({ items, currency }: { items: SpotFixListItem[]; currency: string }) {
  if (items.length === 0) return <p className="muted" style={{ padding: '0 20px 20px' }}>No spot fixes logged yet.</p>;
  return (
    <table className={styles.table} data-testid="spot-fix-list">
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Issue</th>
          <th scope="col">Category</th>
          <th scope="col" className={styles.num}>
            Cost
          </th>
          <th scope="col">Customer</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.spotFixId}>
            <td className={styles.nowrap}>{item.occurredOn}</td>
            <td>
              {item.issue}
              <span>
                {item.cameBack ? (
                  <span className={`${styles.flag} ${styles.flagBack}`} title={`The issue was marked fixed on ${item.fixedOn}`}>
                    Came back
                  </span>
                ) : item.isRepeat ? (
                  <span className={`${styles.flag} ${styles.flagRepeat}`}>Repeat</span>
                ) : null}
              </span>
              {item.note && <span className={styles.sub}>{item.note}</span>}
            </td>
            <td>
              {CATEGORY_LABELS[item.category] ?? item.category}
              {item.journeyStage && <span className={styles.sub}>{item.journeyStage}</span>}
            </td>
            <td className={styles.num}>{formatMoney(item.cost, currency)}</td>
            <td>{item.customerId}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
