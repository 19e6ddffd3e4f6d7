import type { Metadata } from 'next';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { listRecentImports } from '@/lib/data/imports';
import { formatCount, formatDateTime } from '@/lib/format';
import { IMPORT_CHUNK_BYTES } from '@/lib/validation/api';
import { RECORD_COLUMNS, RECORD_KINDS, REQUIRED_COLUMNS } from '@/lib/validation/records';
import { AdminRefusal } from '@/app/ui/admin/admin-refusal';
import { ImportPanel } from '@/app/ui/import/import-panel';
import { KIND_LABELS } from '@/app/ui/import/labels';
import styles from '@/app/ui/import/import.module.css';

export const metadata: Metadata = { title: 'Import and export' };

export default async function ImportPage() {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return <AdminRefusal />;
  const recent = await listRecentImports(await getDb(), { actor: { executiveId: me.id, label: me.name }, canImport: true });

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>Import and export</h1>
          <p className="muted" style={{ margin: '4px 0 0', maxWidth: '70ch' }}>
            Load customers, survey responses or spot fixes from a CSV file. The whole file is checked first; a file with any
            bad row changes nothing. Records are matched by their id, so loading the same file again is safe.
          </p>
        </div>
      </header>
      <div className={styles.layout}>
        <ImportPanel columns={RECORD_COLUMNS} required={REQUIRED_COLUMNS} chunkBytes={IMPORT_CHUNK_BYTES} />
        <div className={styles.stack}>
          <section className="card" aria-labelledby="export-heading">
            <h2 id="export-heading">Export</h2>
            <p className="muted" style={{ margin: 0 }}>
              Every record as CSV, in the same format import reads.
            </p>
            <ul className={styles.downloads}>
              {RECORD_KINDS.map((kind) => (
                <li key={kind}>
                  <a href={`/api/v1/export/${kind}`} download data-testid={`export-${kind}`}>
                    Download {KIND_LABELS[kind].toLowerCase()} (CSV)
                  </a>
                </li>
              ))}
            </ul>
            <p className="muted" style={{ margin: 0, fontSize: '0.85rem' }}>
              Other systems can use the <a href="/api/v1/openapi.json">JSON API</a> with an API token.
            </p>
          </section>
          <section className="card" aria-labelledby="recent-heading">
            <h2 id="recent-heading">Recent imports</h2>
            {recent.length === 0 ? (
              <p className="muted" style={{ margin: 0 }}>
                No imports yet.
              </p>
            ) : (
              <table className={`data-table ${styles.compactTable}`}>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {recent.map((item) => (
                    <tr key={item.id}>
                      <td>
                        <strong>{item.fileName ?? 'Unnamed file'}</strong>
                        <span className="muted" style={{ display: 'block', fontSize: '0.85rem' }}>
                          {KIND_LABELS[item.kind] ?? item.kind} · {item.createdByName} · {formatDateTime(item.createdAt)}
                        </span>
                      </td>
                      <td>
                        <span className={`${styles.state} ${styles[`state-${item.state}`] ?? ''}`}>{item.state}</span>
                        <span className="muted" style={{ display: 'block', fontSize: '0.85rem' }}>
                          {item.result
                            ? `${formatCount(item.result.added)} added, ${formatCount(item.result.changed)} changed, ${formatCount(item.result.unchanged)} unchanged`
                            : item.state === 'rejected'
                              ? `${formatCount(item.problems.length + item.moreProblems)} ${item.problems.length + item.moreProblems === 1 ? 'problem' : 'problems'}`
                              : null}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      </div>
    </main>
  );
}
