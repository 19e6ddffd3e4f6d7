'use client';

import { useEffect, useState } from 'react';

/** null until the server has answered; then the sentence to show while the database is down, or '' when it is up. */
function useDatabaseOutage(error: unknown): string | null {
  const [outage, setOutage] = useState<string | null>(null);
  useEffect(() => {
    // In production the browser gets no server error's message, only a hash: so ask the server
    // whether its database is reachable, rather than show a generic failure during a restart.
    let isCurrent = true;
    setOutage(null);
    fetch('/api/health', { cache: 'no-store' })
      .then(async (response) => {
        if (response.status !== 503) return '';
        const body = (await response.json().catch(() => null)) as { message?: string } | null;
        return body?.message ?? '';
      })
      .catch(() => '')
      .then((message) => {
        if (isCurrent) setOutage(message);
      });
    return () => {
      isCurrent = false;
    };
  }, [error]);
  return outage;
}

/**
 * A page that failed: says so plainly, names a database outage as such, and offers to try again;
 * the details stay in the server log. `standalone` when the app's header could not be drawn either.
 */
export function PageError({ error, retry, standalone = false }: { error: unknown; retry: () => void; standalone?: boolean }) {
  const outage = useDatabaseOutage(error);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  const title = outage ? 'The scorecard is unavailable for a moment' : 'This page could not be loaded';
  const explanation =
    outage === null ? null
    : outage ? outage
    : `Something went wrong while reading the figures. Try again; if it keeps happening, tell your administrator${digest ? ` and quote reference ${digest}` : ''}.`;
  const body = (
    <>
      <h1 style={standalone ? undefined : { margin: 0, fontSize: '1.4rem' }}>{title}</h1>
      <p className={standalone ? 'muted' : undefined} style={{ margin: 0 }} data-testid="page-error-explanation">
        {explanation}
      </p>
      <div style={standalone ? { marginTop: 16 } : undefined}>
        <button type="button" className="button button-primary" onClick={retry}>
          Try again
        </button>
      </div>
    </>
  );
  if (standalone) {
    return (
      <main className="auth-page">
        <div className="auth-card" role="alert">
          <p className="brand">CX Scorecard</p>
          {body}
        </div>
      </main>
    );
  }
  return (
    <main className="page">
      <div className="card" role="alert">
        {body}
      </div>
    </main>
  );
}
