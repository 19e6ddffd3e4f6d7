import Link from 'next/link';
import { formatPeriodLabel } from '@/lib/format';
import type { IssueListQuery } from '@/lib/validation/issues';
import styles from './issues.module.css';

/** The list's filters as a plain GET form: it works without script and leaves a URL to share. */
export function IssueFilters({
  query,
  owners,
  periods,
}: {
  query: IssueListQuery;
  owners: Array<{ id: number; name: string }>;
  periods: string[];
}) {
  return (
    <form method="get" action="/issues" className={styles.filters} aria-label="Filter issues">
      <label className="field">
        <span>Period</span>
        <select name="period" defaultValue={query.period ?? ''}>
          <option value="">All time</option>
          {periods.map((label) => (
            <option key={label} value={label}>
              {formatPeriodLabel(label)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Kind</span>
        <select name="kind" defaultValue={query.kind}>
          <option value="all">Recurring and one-off</option>
          <option value="recurring">Recurring (repeated)</option>
          <option value="one-off">One-off (no repeat)</option>
        </select>
      </label>
      <label className="field">
        <span>State</span>
        <select name="state" defaultValue={query.state}>
          <option value="all">Any state</option>
          <option value="open">Open</option>
          <option value="fixed">Fixed, stayed fixed</option>
          <option value="came-back">Fixed, came back</option>
        </select>
      </label>
      <label className="field">
        <span>Accountable</span>
        <select name="owner" defaultValue={query.owner === undefined ? '' : String(query.owner)}>
          <option value="">Anyone</option>
          <option value="none">Nobody yet</option>
          {owners.map((owner) => (
            <option key={owner.id} value={owner.id}>
              {owner.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Sort by</span>
        <select name="sort" defaultValue={query.sort}>
          <option value="repeat-cost">Repeat cost</option>
          <option value="total-cost">Total cost</option>
          <option value="repeats">Repeats</option>
          <option value="last-seen">Last seen</option>
          <option value="issue">Issue name</option>
          <option value="owner">Accountable</option>
        </select>
      </label>
      {query.dir && <input type="hidden" name="dir" value={query.dir} />}
      <div className={styles.filterButtons}>
        <button type="submit" className="button button-primary">
          Show
        </button>
        <Link href="/issues" className="button">
          Clear
        </Link>
      </div>
    </form>
  );
}
