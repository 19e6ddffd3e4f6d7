import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { getOrganisation } from '@/lib/data/organisation';
import { listRecentSpotFixes, listSpotFixSuggestions } from '@/lib/data/spot-fixes';
import { todayIso } from '@/lib/metrics/period';
import { SpotFixForm } from '@/app/ui/spot-fixes/spot-fix-form';
import { SpotFixList } from '@/app/ui/spot-fixes/spot-fix-list';
import styles from '@/app/ui/spot-fixes/spot-fixes.module.css';

export const metadata: Metadata = { title: 'Spot fixes' };

export default async function SpotFixesPage() {
  const me = await requireExecutive();
  const db = await getDb();
  const [organisation, recent, suggestions] = await Promise.all([getOrganisation(db), listRecentSpotFixes(db, 30), listSpotFixSuggestions(db)]);
  const mayLog = can(me, 'log-spot-fix');

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>Spot fixes</h1>
          <p className="muted" style={{ margin: '4px 0 0', maxWidth: '70ch' }}>
            Every meeting, free offering, discount, staff hour and PR clean-up spent putting out the same fires. Log each one
            as it happens; the <Link href="/issues">recurring issues</Link> show what fixing them at the core would save.
          </p>
        </div>
      </header>
      <div className={styles.layout}>
        <section className="card" aria-labelledby="log-heading">
          <h2 id="log-heading">Log a spot fix</h2>
          {mayLog ? (
            <SpotFixForm today={todayIso()} issues={suggestions.issues} journeyStages={suggestions.journeyStages} />
          ) : (
            <p className="muted" style={{ margin: 0 }}>
              Viewers can see spot fixes but not log them. Ask an admin if you need to.
            </p>
          )}
        </section>
        <section className={`card table-wrap ${styles.tableWrap}`} aria-labelledby="recent-heading">
          <h2 id="recent-heading">Recent spot fixes</h2>
          <SpotFixList items={recent} currency={organisation.currency} />
        </section>
      </div>
    </main>
  );
}
