import type { SpotFixListItem } from '@/lib/data/spot-fixes';
import { DASH, formatDate, formatMoney } from '@/lib/format';
import { CATEGORY_LABELS } from './labels';
import styles from './spot-fixes.module.css';

export function SpotFixList({ items, currency }: { items: SpotFixListItem[]; currency: string }) {
  if (items.length === 0) return <p className="muted" style={{ padding: '0 20px 20px' }}>No spot fixes logged yet.</p>;
  return (
    <table className="data-table" data-testid="spot-fix-list">
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Issue</th>
          <th scope="col">Category</th>
          <th scope="col" className="num">
            Cost
          </th>
          <th scope="col">Customer</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.spotFixId}>
            <td className="nowrap">{formatDate(item.occurredOn)}</td>
            <td>
              {item.issue}
              <span>
                {item.cameBack ? (
                  <span className={`flag flag-back ${styles.flagSpacing}`} title={`The issue was marked fixed on ${formatDate(item.fixedOn)}`}>
                    Came back
                  </span>
                ) : item.isRepeat ? (
                  <span className={`flag flag-repeat ${styles.flagSpacing}`}>Repeat</span>
                ) : null}
              </span>
              {item.note && <span className="subline">{item.note}</span>}
            </td>
            <td>
              {CATEGORY_LABELS[item.category] ?? item.category}
              {item.journeyStage && <span className="subline">{item.journeyStage}</span>}
            </td>
            <td className="num">{formatMoney(item.cost, currency)}</td>
            <td>{item.customerId ?? DASH}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
