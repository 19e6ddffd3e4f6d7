import type { IssueListQuery } from '@/lib/validation/issues';

const DEFAULTS: Partial<Record<keyof IssueListQuery, unknown>> = { sort: 'repeat-cost', state: 'all', kind: 'all', page: 1 };

/** The recurring-issues URL for `query` with `changes`, leaving out what is the default. */
export function issueListHref(query: IssueListQuery, changes: Partial<IssueListQuery> = {}): string {
  const next: Partial<IssueListQuery> = { ...query, edit: undefined, ...changes };
  const params = new URLSearchParams();
  for (const key of ['state', 'kind', 'owner', 'period', 'sort', 'dir', 'page', 'edit'] as const) {
    const value = next[key];
    if (value === undefined || value === DEFAULTS[key]) continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `/issues?${search}` : '/issues';
}
