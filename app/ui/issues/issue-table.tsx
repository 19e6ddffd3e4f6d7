import Link from 'next/link';
import { formatCount, formatDate, formatMoney } from '@/lib/format';
import type { RecurringIssueDto, RecurringIssuePage } from '@/lib/data/recurring-issues';
import { defaultIssueSortDir, type IssueListQuery, type IssueSort } from '@/lib/validation/issues';
import { IssueEditForm } from './issue-edit-form';
import { issueListHref } from './issue-list-href';
import styles from './issues.module.css';

type Owners = Array<{ id: number; name: string; title: string }>;

/** A column heading that sorts by it; a second click turns the order round. */
function SortHeader({ query, sort, label, numeric }: { query: IssueListQuery; sort: IssueSort; label: string; numeric?: boolean }) {
  const active = query.sort === sort;
  const dir = active ? (query.dir ?? defaultIssueSortDir(sort)) : null;
  const nextDir = active ? (dir === 'asc' ? 'desc' : 'asc') : defaultIssueSortDir(sort);
  return (
    <th scope="col" className={numeric ? 'num' : undefined} aria-sort={dir === null ? undefined : dir === 'asc' ? 'ascending' : 'descending'}>
      <Link href={issueListHref(query, { sort, dir: nextDir === defaultIssueSortDir(sort) ? undefined : nextDir, page: 1 })} className={styles.sortLink}>
        {label}
        <span aria-hidden="true">{dir === 'asc' ? ' ↑' : dir === 'desc' ? ' ↓' : ''}</span>
      </Link>
    </th>
  );
}

function StateFlag({ issue }: { issue: RecurringIssueDto }) {
  if (issue.cameBack > 0) {
    return (
      <span className="flag flag-back">
        Came back: {formatCount(issue.cameBack)} since the fix on {formatDate(issue.fixedOn)}
      </span>
    );
  }
  if (issue.fixedOn) return <span className="flag flag-fixed">Fixed on {formatDate(issue.fixedOn)}</span>;
  if (issue.repeats === 0) return <span className="flag flag-open">One-off</span>;
  return <span className="flag flag-repeat">Open, recurring</span>;
}

/** The ranked issue list; an admin's edit opens as a full-width row under the issue (`?edit=`), so it fits any screen. */
export function IssueTable({
  list,
  query,
  currency,
  edit,
}: {
  list: RecurringIssuePage;
  query: IssueListQuery;
  currency: string;
  edit: { owners: Owners; today: string } | null;
}) {
  const money = (amount: string | null) => formatMoney(amount, currency);
  const columns = edit ? 8 : 7;
  if (list.issues.length === 0) {
    return (
      <section className="card" aria-label="Recurring issues">
        <p className="muted" style={{ padding: 20, margin: 0 }}>
          {list.matching === 0 && query.state === 'all' && query.kind === 'all' && !query.owner && !query.period
            ? 'No issues yet: they appear as spot fixes are logged.'
            : 'No issue matches these filters.'}
        </p>
      </section>
    );
  }
  return (
    <section className="card table-wrap" aria-label="Recurring issues">
      <table className={`data-table ${styles.issueTable}`} data-testid="issue-table">
        <thead>
          <tr>
            <SortHeader query={query} sort="issue" label="Issue" />
            <SortHeader query={query} sort="repeats" label="Spot fixes" numeric />
            <SortHeader query={query} sort="total-cost" label="Total cost" numeric />
            <SortHeader query={query} sort="repeat-cost" label="Repeat cost" numeric />
            <SortHeader query={query} sort="last-seen" label="Seen" />
            <SortHeader query={query} sort="owner" label="Accountable" />
            <th scope="col" className="num">
              One-time fix
            </th>
            {edit && <th scope="col">Change</th>}
          </tr>
        </thead>
        <tbody>
          {list.issues.map((issue) => {
            const editing = edit && query.edit === issue.issueKey;
            return [
              <tr key={issue.issueKey} data-issue={issue.label} className={issue.repeats === 0 ? styles.oneOff : undefined}>
                <th scope="row" style={{ fontWeight: 400 }}>
                  <span className={styles.label}>{issue.label}</span>
                  <span className={styles.flagLine}>
                    <StateFlag issue={issue} />
                  </span>
                </th>
                <td className="num" data-label="Spot fixes">
                  {formatCount(issue.count)}
                  <span className="subline">
                    {formatCount(issue.repeats)} {issue.repeats === 1 ? 'repeat' : 'repeats'}
                  </span>
                </td>
                <td className="num" data-label="Total cost">
                  {money(issue.totalCost)}
                </td>
                <td className="num" data-label="Repeat cost">
                  {money(issue.repeatCost)}
                </td>
                <td className="nowrap" data-label="Seen">
                  {issue.firstSeen === null ? (
                    '—'
                  ) : issue.firstSeen === issue.lastSeen ? (
                    formatDate(issue.firstSeen)
                  ) : (
                    <>
                      {formatDate(issue.firstSeen)}
                      <span className="subline">to {formatDate(issue.lastSeen)}</span>
                    </>
                  )}
                </td>
                <td data-label="Accountable">
                  {issue.ownerName ?? <span className="muted">Nobody yet</span>}
                  {issue.ownerTitle && <span className="subline">{issue.ownerTitle}</span>}
                </td>
                <td className="num" data-label="One-time fix">
                  {money(issue.estimatedFixCost)}
                </td>
                {edit && (
                  <td data-label="Change">
                    {editing ? (
                      <Link href={issueListHref(query)} className={styles.editLink} aria-label={`Close the edit of ${issue.label}`}>
                        Close
                      </Link>
                    ) : (
                      <Link href={`${issueListHref(query, { edit: issue.issueKey })}#edit`} className={styles.editLink} aria-label={`Edit ${issue.label}`}>
                        Edit
                      </Link>
                    )}
                  </td>
                )}
              </tr>,
              editing ? (
                <tr key={`${issue.issueKey}-edit`} id="edit" className={styles.editRow} data-edit-of={issue.label}>
                  <td colSpan={columns}>
                    <IssueEditForm
                      issueKey={issue.issueKey}
                      label={issue.label}
                      ownerId={issue.ownerId}
                      estimatedFixCost={issue.estimatedFixCost}
                      fixedOn={issue.fixedOn}
                      owners={edit.owners}
                      today={edit.today}
                    />
                  </td>
                </tr>
              ) : null,
            ];
          })}
        </tbody>
      </table>
    </section>
  );
}
