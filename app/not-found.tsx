import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

/** Any address that is not a page: branded, with the way back. */
export default function NotFound() {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand">CX Scorecard</p>
        <h1>There is no page at this address</h1>
        <p className="muted">
          The link may be mistyped or out of date. The scorecard, its metrics, spot fixes and recurring issues are all one
          click from the start page.
        </p>
        <p style={{ margin: '16px 0 0' }}>
          <Link href="/" className="button button-primary">
            Go to the scorecard
          </Link>
        </p>
      </div>
    </main>
  );
}
