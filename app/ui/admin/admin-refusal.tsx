import Link from 'next/link';

/** What a signed-in non-admin sees on an admin page: a plain refusal, no admin data. */
export function AdminRefusal() {
  return (
    <main className="page">
      <header className="page-header">
        <h1>Admins only</h1>
      </header>
      <div className="card" role="alert">
        <p style={{ margin: 0 }}>
          You need the admin role to see this page. People, owners, targets and the audit log are managed by your admins.
        </p>
        <p style={{ margin: 0 }}>
          <Link href="/">Back to the scorecard</Link>
        </p>
      </div>
    </main>
  );
}
