import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { getOrganisation } from '@/lib/data/organisation';
import { listIssueOwnerChoices, listRecurringIssues } from '@/lib/data/recurring-issues';
import { formatCount, formatMoney } from '@/lib/format';
import { sumMoney } from '@/lib/metrics/money';
import { todayIso } from '@/lib/metrics/period';
import { IssueEditForm } from '@/app/ui/issues/issue-edit-form';
import styles from '@/app/ui/issues/issues.module.css';

export const metadata: Metadata = { title: 'Recurring issues' };

export default async function IssuesPage() {
  const me = await requireExecutive();
  const db = await getDb();
  const isAdmin = can(me, 'administer');
  const [organisation, issues, owners] = await Promise.all([
    getOrganisation(db),
    listRecurringIssues(db),
    isAdmin ? listIssueOwnerChoices(db) : Promise.resolve([]),
  ]);
  const money = (amount: string | null) => formatMoney(amount, organisation.currency);
  const repeatTotal = sumMoney(issues.map((issue) => issue.repeatCost));
  const open = issues.filter((issue) => !issue.fixedOn).length;
  const cameBack = issues.filter((issue) => issue.cameBack > 0).length;
  const today = todayIso();

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>Recurring issues</h1>
          <p className="muted" style={{ margin: '4px 0 0', maxWidth: '72ch' }}>
            The problems <Link href="/spot-fixes">spot fixes</Link> keep paying for. Repeat cost is what was spent on an issue
            after the first time; set against a one-time fix at the core, it says which fixes pay for themselves.
          </p>
        </div>
      </header>
      <dl className={styles.totals}>
        <div>
          <dt>Repeat cost, all issues</dt>
          <dd>{money(repeatTotal)}</dd>
        </div>
        <div>
          <dt>Open issues</dt>
          <dd>
            {formatCount(open)} <span className="muted" style={{ fontSize: '1rem', fontWeight: 400 }}>of {formatCount(issues.length)}</span>
          </dd>
        </div>
        <div>
          <dt>Fixed, but came back</dt>
          <dd>{formatCount(cameBack)}</dd>
        </div>
      </dl>
      <section className="card table-wrap" aria-label="Recurring issues">
        {issues.length === 0 ? (
          <p className="muted" style={{ padding: 20, margin: 0 }}>
            No issues yet: they appear as spot fixes are logged.
          </p>
        ) : (
          <table className="data-table" data-testid="issue-table">
            <thead>
              <tr>
                <th scope="col">Issue</th>
                <th scope="col" className="num">
                  Spot fixes
                </th>
                <th scope="col" className="num">
                  Total cost
                </th>
                <th scope="col" className="num">
                  Repeat cost
                </th>
                <th scope="col">Seen</th>
                <th scope="col">Accountable</th>
                <th scope="col" className="num">
                  One-time fix
                </th>
                {isAdmin && <th scope="col">Change</th>}
              </tr>
            </thead>
            <tbody>
              {issues.map((issue) => (
                <tr key={issue.issueKey} data-issue={issue.label}>
                  <th scope="row" style={{ fontWeight: 400 }}>
                    <span className={styles.label}>{issue.label}</span>
                    <span style={{ display: 'block' }}>
                      {issue.cameBack > 0 ? (
                        <span className={`flag flag-back ${styles.flagSpacing}`}>
                          Came back: {formatCount(issue.cameBack)} since the fix on {issue.fixedOn}
                        </span>
                      ) : issue.fixedOn ? (
                        <span className={`flag flag-fixed ${styles.flagSpacing}`}>Fixed on {issue.fixedOn}</span>
                      ) : (
                        <span className={`flag flag-open ${styles.flagSpacing}`}>Open</span>
                      )}
                    </span>
                  </th>
                  <td className="num">
                    {formatCount(issue.count)}
                    <span className="subline">
                      {formatCount(issue.repeats)} {issue.repeats === 1 ? 'repeat' : 'repeats'}
                    </span>
                  </td>
                  <td className="num">{money(issue.totalCost)}</td>
                  <td className="num">{money(issue.repeatCost)}</td>
                  <td className="nowrap">
                    {issue.firstSeen ? (
                      <>
                        {issue.firstSeen}
                        <span className="subline">to {issue.lastSeen}</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {issue.ownerName ?? <span className="muted">Nobody yet</span>}
                    {issue.ownerTitle && <span className="subline">{issue.ownerTitle}</span>}
                  </td>
                  <td className="num">{money(issue.estimatedFixCost)}</td>
                  {isAdmin && (
                    <td>
                      <details className={styles.edit}>
                        <summary>Edit</summary>
                        <IssueEditForm
                          issueKey={issue.issueKey}
                          label={issue.label}
                          ownerId={issue.ownerId}
                          estimatedFixCost={issue.estimatedFixCost}
                          fixedOn={issue.fixedOn}
                          owners={owners}
                          today={today}
                        />
                      </details>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
