import Link from 'next/link';
import type { StageFixPage, StageIssue } from '@/lib/data/journey-stage';
import { DASH, formatCount, formatDate, formatMoney, powerCoreLabel } from '@/lib/format';
import { CATEGORY_LABELS } from '@/app/ui/spot-fixes/labels';
import styles from './journey.module.css';

/** A stage's recurring issues in the period, costliest first, with who answers for each. */
export function StageIssues({ issues, currency, stageName }: { issues: StageIssue[]; currency: string; stageName: string }) {
  return (
    <section className={`card ${styles.stageSection}`} aria-labelledby="stage-issues">
      <div className={styles.sectionHead}>
        <h2 id="stage-issues">Recurring issues</h2>
        <p className="muted">What {stageName.toLowerCase()} spent on each issue in the period, and who answers for it.</p>
      </div>
      {issues.length === 0 ? (
        <p className={`muted ${styles.empty}`}>No spot fixes at this stage in the period.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table cards-on-phone" data-testid="stage-issues">
            <thead>
              <tr>
                <th scope="col">Issue</th>
                <th scope="col" className="num">Spot fixes</th>
                <th scope="col" className="num">Cost</th>
                <th scope="col" className="num">Repeat cost</th>
                <th scope="col">Accountable</th>
              </tr>
            </thead>
            <tbody>
              {issues.map((issue) => (
                <tr key={issue.issueKey}>
                  <th scope="row">
                    {issue.label}
                    {issue.fixedOn && <span className="subline">Marked fixed {formatDate(issue.fixedOn)}</span>}
                  </th>
                  <td className="num" data-label="Spot fixes">{formatCount(issue.fixes)}</td>
                  <td className="num" data-label="Cost">{formatMoney(issue.cost, currency)}</td>
                  <td className="num" data-label="Repeat cost">{formatMoney(issue.repeatCost, currency)}</td>
                  <td data-label="Accountable">
                    {issue.owner ? (
                      <>
                        {issue.owner.name}
                        <span className="subline">
                          {issue.owner.title} · {powerCoreLabel(issue.owner.powerCore)} core
                        </span>
                      </>
                    ) : (
                      <span className="muted">Nobody yet</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The stage's spot fixes in the period, newest first, a page at a time. */
export function StageFixes({
  page,
  currency,
  stageName,
  isFirstPage,
  firstHref,
  nextHref,
}: {
  page: StageFixPage;
  currency: string;
  stageName: string;
  isFirstPage: boolean;
  firstHref: string;
  nextHref: string | null;
}) {
  return (
    <section className={`card ${styles.stageSection}`} aria-labelledby="stage-fixes">
      <div className={styles.sectionHead}>
        <h2 id="stage-fixes">Spot fixes</h2>
        <p className="muted">Every spot fix of the period at this stage ({stageName.toLowerCase()}), newest first.</p>
      </div>
      {page.fixes.length === 0 ? (
        <p className={`muted ${styles.empty}`}>No spot fixes {isFirstPage ? 'at this stage in the period' : 'on this page'}.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table cards-on-phone" data-testid="stage-fixes">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Issue</th>
                <th scope="col">Category</th>
                <th scope="col" className="num">Cost</th>
                <th scope="col">Customer</th>
              </tr>
            </thead>
            <tbody>
              {page.fixes.map((fix) => (
                <tr key={fix.spotFixId}>
                  <td className="nowrap" data-label="Date">{formatDate(fix.occurredOn)}</td>
                  <td data-label="Issue">
                    {fix.issue}
                    {fix.isRepeat && <span className={`flag flag-repeat ${styles.flagGap}`}>Repeat</span>}
                    {fix.note && <span className="subline">{fix.note}</span>}
                  </td>
                  <td data-label="Category">{CATEGORY_LABELS[fix.category] ?? fix.category}</td>
                  <td className="num" data-label="Cost">{formatMoney(fix.cost, currency)}</td>
                  <td data-label="Customer">{fix.customerId ?? DASH}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(!isFirstPage || nextHref) && (
        <nav className={styles.pager} aria-label="Spot fix pages">
          {!isFirstPage && (
            <Link href={firstHref} prefetch={false}>
              ← Newest
            </Link>
          )}
          {nextHref && (
            <Link href={nextHref} prefetch={false}>
              Older spot fixes →
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}
