'use client';

/** A failed signed-in page: say so plainly and offer a retry; the details stay in the server log. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="page">
      <div className="card" role="alert">
        <h1 style={{ margin: 0, fontSize: '1.4rem' }}>This page could not be loaded</h1>
        <p style={{ margin: 0 }}>
          Something went wrong while reading the figures. Try again; if it keeps happening, tell your administrator
          {error.digest ? ` and quote reference ${error.digest}` : ''}.
        </p>
        <div>
          <button type="button" className="button button-primary" onClick={reset}>
            Try again
          </button>
        </div>
      </div>
    </main>
  );
}
