/** One answer for a link that never existed, was revoked or has expired: nothing to tell them apart. */
export default function SnapshotLinkNotFound() {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand">CX Scorecard</p>
        <h1>This snapshot is not available</h1>
        <p className="muted">
          The link may have expired or been withdrawn, or the address may be incomplete. Ask whoever shared it for a new
          link.
        </p>
      </div>
    </main>
  );
}
