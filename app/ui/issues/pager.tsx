import Link from 'next/link';
import { formatCount } from '@/lib/format';
import type { IssueListQuery } from '@/lib/validation/issues';
import { issueListHref } from './issue-list-href';
import styles from './issues.module.css';

/** Previous / next links with where the reader is; nothing when everything fits on one page. */
export function Pager({ query, page, pages, matching }: { query: IssueListQuery; page: number; pages: number; matching: number }) {
  if (pages <= 1) return null;
  return (
    <nav className={styles.pager} aria-label="Pages">
      {page > 1 ? (
        <Link href={issueListHref(query, { page: page - 1 })} rel="prev">
          ← Previous
        </Link>
      ) : (
        <span aria-hidden="true" className="muted">
          ← Previous
        </span>
      )}
      <span data-testid="page-position">
        Page {formatCount(page)} of {formatCount(pages)}
        <span className="muted"> · {formatCount(matching)} issues</span>
      </span>
      {page < pages ? (
        <Link href={issueListHref(query, { page: page + 1 })} rel="next">
          Next →
        </Link>
      ) : (
        <span aria-hidden="true" className="muted">
          Next →
        </span>
      )}
    </nav>
  );
}
