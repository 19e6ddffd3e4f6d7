import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { InvalidCursorError, listAuditEntries, listAuditFacets, type AuditPage } from '@/lib/data/audit-log';
import { auditFilterSchema } from '@/lib/validation/admin';
import { z } from 'zod';
import { AdminRefusal } from '@/app/ui/admin/admin-refusal';
import { AuditEntries } from '@/app/ui/admin/audit-entries';
import styles from '@/app/ui/admin/admin.module.css';

export const metadata: Metadata = { title: 'Audit log' };

type Search = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Search> }) {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return <AdminRefusal />;
  const raw = await searchParams;
  const given = Object.fromEntries(['actor', 'entity', 'action', 'from', 'to', 'cursor'].map((k) => [k, first(raw[k]) ?? '']));
  const parsed = auditFilterSchema.safeParse(given);
  const fieldErrors = parsed.success ? {} : z.flattenError(parsed.error).fieldErrors;
  const filter = parsed.success ? parsed.data : {};
  const db = await getDb();
  const facets = await listAuditFacets(db, me);
  let page: AuditPage = { entries: [], nextCursor: null };
  let problem: string | null = parsed.success
    ? null
    : `Showing everything: ${Object.values(fieldErrors).flat().join(' ')}`;
  try {
    page = await listAuditEntries(db, me, filter);
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    problem = error.message;
  }
  const filtersOnly = new URLSearchParams(Object.entries(given).filter(([k, v]) => k !== 'cursor' && v) as [string, string][]);
  const olderHref = page.nextCursor ? `/admin/audit?${new URLSearchParams([...filtersOnly, ['cursor', page.nextCursor]])}` : null;
  const newestHref = `/admin/audit${filtersOnly.size ? `?${filtersOnly}` : ''}`;
  const filtered = filtersOnly.size > 0;

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>Audit log</h1>
          <p className={`muted ${styles.lede}`}>Every change, who made it and when, with the values before and after. Newest first; times in UTC.</p>
        </div>
      </header>
      <div className={styles.stack}>
        <form className="card" method="get" action="/admin/audit" aria-label="Filter the audit log">
          <div className={styles.filters}>
            <label className="field">
              <span>Who</span>
              <select name="actor" defaultValue={given.actor}>
                <option value="">Anyone</option>
                {facets.actors.map((a) => (
                  <option key={a.value} value={a.value}>
                    {a.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>What</span>
              <select name="entity" defaultValue={given.entity}>
                <option value="">Anything</option>
                {facets.entities.map((e) => (
                  <option key={e} value={e}>
                    {e}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Action</span>
              <select name="action" defaultValue={given.action}>
                <option value="">Any action</option>
                {facets.actions.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>From</span>
              <input type="date" name="from" defaultValue={given.from} />
            </label>
            <label className="field">
              <span>To</span>
              <input type="date" name="to" defaultValue={given.to} />
            </label>
            <div className="button-row" style={{ paddingBottom: 4 }}>
              <button type="submit" className="button button-primary">
                Filter
              </button>
              {filtered ? <Link href="/admin/audit">Clear</Link> : null}
            </div>
          </div>
        </form>
        {problem ? (
          <p className={styles.error} role="status">
            {problem}
          </p>
        ) : null}
        <section className="card" aria-label="Audit entries">
          <AuditEntries entries={page.entries} />
          <nav className={styles.pager} aria-label="Audit log pages">
            {given.cursor ? <Link href={newestHref}>← Newest</Link> : <span />}
            {olderHref ? (
              <Link href={olderHref} rel="next">
                Older entries →
              </Link>
            ) : (
              <span className="muted">{page.entries.length ? 'End of the log' : ''}</span>
            )}
          </nav>
        </section>
      </div>
    </main>
  );
}
