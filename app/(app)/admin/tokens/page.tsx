import type { Metadata } from 'next';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { listApiTokens } from '@/lib/data/api-tokens';
import { AdminRefusal } from '@/app/ui/admin/admin-refusal';
import adminStyles from '@/app/ui/admin/admin.module.css';
import { CreateTokenForm, RevokeTokenForm } from './token-forms';
import { formatDateTime } from '@/lib/format';
import styles from './tokens.module.css';

export const metadata: Metadata = { title: 'API tokens' };

export default async function ApiTokensPage() {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return <AdminRefusal />;
  const tokens = await listApiTokens(await getDb(), me);

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>API tokens</h1>
          <p className="muted" style={{ margin: '4px 0 0', maxWidth: '70ch' }}>
            Let other systems — your CRM, survey tool, help desk — read the scorecard and send customers, survey responses
            and spot fixes. A token can import and export data as an admin can; revoke it the moment it is no longer needed.
          </p>
        </div>
      </header>
      <div className={adminStyles.grid}>
        <section className="card table-wrap" aria-labelledby="tokens-heading">
          <h2 id="tokens-heading" style={{ padding: '18px 20px 0' }}>
            Tokens
          </h2>
          {tokens.length === 0 ? (
            <p className="muted" style={{ padding: '0 20px 20px', margin: 0 }}>
              No tokens yet.
            </p>
          ) : (
            <table className="data-table cards-on-phone" data-testid="token-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id} className={token.revokedAt ? 'muted-row' : undefined} data-token={token.name}>
                    <td className={adminStyles.name}>{token.name}</td>
                    <td>
                      {formatDateTime(token.createdAt)}
                      <span className="subline">by {token.createdByName}</span>
                    </td>
                    <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : <span className="muted">Never</span>}</td>
                    <td>
                      {token.revokedAt ? (
                        <>
                          <span className={`${adminStyles.pill} ${adminStyles.pillInactive}`}>Revoked</span>
                          <span className="subline">{formatDateTime(token.revokedAt)}</span>
                        </>
                      ) : (
                        <RevokeTokenForm id={token.id} name={token.name} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <div className={styles.stack}>
          <section className="card" aria-labelledby="create-heading">
            <h2 id="create-heading">Create a token</h2>
            <CreateTokenForm />
          </section>
          <section className="card" aria-labelledby="usage-heading">
            <h2 id="usage-heading">Using a token</h2>
            <p className={styles.usage}>
              Send it as <code>Authorization: Bearer cxs_…</code>. For example:
            </p>
            <p className={styles.usage}>
              <code>GET /api/v1/scorecard?period=2025-03</code>
              <br />
              <code>POST /api/v1/customers</code> with a JSON array of records
            </p>
            <p className={styles.usage}>
              Every endpoint is described in the <a href="/api/v1/openapi.json">OpenAPI document</a>.
            </p>
          </section>
        </div>
      </div>
    </main>
  );
}
