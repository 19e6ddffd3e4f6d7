import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { listAuditEntries } from '@/lib/data/audit-log';
import { listMetricSettings } from '@/lib/data/metric-settings';
import { listPeople } from '@/lib/data/people';
import { AdminRefusal } from '@/app/ui/admin/admin-refusal';
import { formatDateTime } from '@/lib/format';
import styles from '@/app/ui/admin/admin.module.css';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage() {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return <AdminRefusal />;
  const db = await getDb();
  const [people, settings, audit] = await Promise.all([listPeople(db, me), listMetricSettings(db, me), listAuditEntries(db, me, {}, 5)]);
  const active = people.filter((p) => p.isActive);
  const invited = active.filter((p) => !p.hasPassword);
  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>Admin</h1>
          <p className={`muted ${styles.lede}`}>People and their access, who answers for each number, targets, API tokens, and the record of every change.</p>
        </div>
      </header>
      <div className={styles.overview}>
        <Link href="/admin/people" className="card">
          <h2>People</h2>
          <span className={styles.big}>{active.length}</span>
          <span className="muted">
            active · {people.length - active.length} deactivated · {invited.length} invited, no password yet
          </span>
        </Link>
        <Link href="/admin/metrics" className="card">
          <h2>Owners &amp; targets</h2>
          <ul className={styles.ownList}>
            {settings.map((s) => (
              <li key={s.key}>
                {s.name}: <strong>{s.owner?.name ?? 'no owner'}</strong>
              </li>
            ))}
          </ul>
        </Link>
        <Link href="/admin/tokens" className="card">
          <h2>API tokens</h2>
          <span className="muted">Tokens for other systems to read the scorecard and send records.</span>
        </Link>
        <Link href="/admin/audit" className="card">
          <h2>Audit log</h2>
          {audit.entries.length === 0 ? (
            <span className="muted">No changes recorded yet.</span>
          ) : (
            <ul className={styles.ownList}>
              {audit.entries.map((e) => (
                <li key={e.id}>
                  <span className="muted">{formatDateTime(e.at)}</span> {e.actorLabel}: {e.action} {e.entity}
                </li>
              ))}
            </ul>
          )}
        </Link>
      </div>
    </main>
  );
}
