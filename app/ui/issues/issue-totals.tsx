import { formatCount, formatMoney } from '@/lib/format';
import type { RecurringIssuePage } from '@/lib/data/recurring-issues';
import styles from './issues.module.css';

/** Headline figures of everything the filters match (every page, not only the one shown). */
export function IssueTotals({ list, currency }: { list: RecurringIssuePage; currency: string }) {
  const { totals, matching } = list;
  return (
    <dl className={styles.totals} data-testid="issue-totals">
      <div>
        <dt>Repeat cost, issues shown</dt>
        <dd>{formatMoney(totals.repeatCost, currency, { whole: true })}</dd>
      </div>
      <div>
        <dt>Issues shown</dt>
        <dd>
          {formatCount(matching)}
          {matching > 0 && (
            <span className={styles.ddNote}>
              {formatCount(matching - totals.oneOffs)} recurring · {formatCount(totals.oneOffs)} one-off
            </span>
          )}
        </dd>
      </div>
      <div>
        <dt>Still open</dt>
        <dd>{formatCount(totals.open)}</dd>
      </div>
      <div>
        <dt>Fixed, but came back</dt>
        <dd>{formatCount(totals.cameBack)}</dd>
      </div>
    </dl>
  );
}
