import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { getOrganisation } from '@/lib/data/organisation';
import { listIssueOwnerChoices, listIssuePeriods, listRecurringIssuePage } from '@/lib/data/recurring-issues';
import { todayIso } from '@/lib/metrics/period';
import { issueListQuerySchema } from '@/lib/validation/issues';
import { IssueFilters } from '@/app/ui/issues/issue-filters';
import { IssueTable } from '@/app/ui/issues/issue-table';
import { IssueTotals } from '@/app/ui/issues/issue-totals';
import { Pager } from '@/app/ui/issues/pager';

export const metadata: Metadata = { title: 'Recurring issues' };

export default async function IssuesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const me = await requireExecutive();
  const query = issueListQuerySchema.parse(await searchParams);
  const db = await getDb();
  const isAdmin = can(me, 'administer');
  const [organisation, list, owners, periods] = await Promise.all([
    getOrganisation(db),
    listRecurringIssuePage(db, query),
    listIssueOwnerChoices(db),
    listIssuePeriods(db),
  ]);
  const shown = { ...query, page: list.page };

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>Recurring issues</h1>
          <p className="muted" style={{ margin: '4px 0 0', maxWidth: '72ch' }}>
            The problems <Link href="/spot-fixes">spot fixes</Link> keep paying for. Repeat cost is what was spent on an issue
            after the first time; set against a one-time fix at the core, it says which fixes pay for themselves. A one-off
            happened once (on one day) and has not repeated.
          </p>
        </div>
      </header>
      <IssueFilters query={shown} owners={owners} periods={periods} />
      <IssueTotals list={list} currency={organisation.currency} />
      <IssueTable
        list={list}
        query={shown}
        currency={organisation.currency}
        edit={isAdmin ? { owners, today: todayIso() } : null}
      />
      <Pager query={shown} page={list.page} pages={list.pages} matching={list.matching} />
    </main>
  );
}
