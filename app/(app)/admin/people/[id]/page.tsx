import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { parseRowId } from '@/lib/validation/ids';
import { getPerson, listEligibleOwners } from '@/lib/data/people';
import { formatDate, powerCoreLabel } from '@/lib/format';
import { AccessForms, PasswordLinkForm } from '@/app/ui/admin/access-forms';
import { AdminRefusal } from '@/app/ui/admin/admin-refusal';
import { EditPersonForm } from '@/app/ui/admin/edit-person-form';
import { ROLE_LABELS } from '@/app/ui/admin/labels';
import styles from '@/app/ui/admin/admin.module.css';

export const metadata: Metadata = { title: 'Person' };

export default async function PersonPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return <AdminRefusal />;
  const id = parseRowId((await params).id) ?? notFound();
  const db = await getDb();
  const [person, owners] = await Promise.all([getPerson(db, me, id), listEligibleOwners(db, me)]);
  if (!person) notFound();
  const isSelf = person.id === me.id;
  return (
    <main className="page">
      <header className="page-header">
        <div>
          <p className="muted" style={{ margin: 0 }}>
            <Link href="/admin/people">People</Link> /
          </p>
          <h1>{person.name}</h1>
          <p className={`muted ${styles.lede}`}>
            {person.email} · {person.title} · {powerCoreLabel(person.powerCore)} core · {ROLE_LABELS[person.role]}
            {person.isActive ? '' : ' · deactivated'} · added {formatDate(person.createdAt)}
          </p>
        </div>
      </header>
      <div className={styles.grid}>
        <div className={styles.stack}>
          <EditPersonForm person={person} owners={owners} isSelf={isSelf} />
          <section className="card" aria-labelledby="owns-heading">
            <h2 id="owns-heading">Answers for</h2>
            {person.ownedMetrics.length + person.ownedIssues.length === 0 ? (
              <p className="muted" style={{ margin: 0 }}>
                No metrics or recurring issues.
              </p>
            ) : (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {person.ownedMetrics.map((m) => (
                  <li key={m.key}>
                    <strong>{m.name}</strong> <span className="muted">(metric; reassign on <Link href="/admin/metrics">Owners &amp; targets</Link>)</span>
                  </li>
                ))}
                {person.ownedIssues.map((i) => (
                  <li key={i.issueKey}>
                    {i.label} <span className="muted">(recurring issue)</span>
                  </li>
                ))}
              </ul>
            )}
            {person.openActions > 0 ? (
              <p className="muted" style={{ margin: 0 }}>
                {person.openActions} open action{person.openActions === 1 ? '' : 's'} assigned to them.
              </p>
            ) : null}
          </section>
        </div>
        <div className={styles.stack}>
          {person.isActive ? <PasswordLinkForm person={person} /> : null}
          <AccessForms person={person} owners={owners} isSelf={isSelf} />
        </div>
      </div>
    </main>
  );
}
