import type { Metadata } from 'next';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { listPeople } from '@/lib/data/people';
import { AddPersonForm } from '@/app/ui/admin/add-person-form';
import { AdminRefusal } from '@/app/ui/admin/admin-refusal';
import { PeopleTable } from '@/app/ui/admin/people-table';
import styles from '@/app/ui/admin/admin.module.css';

export const metadata: Metadata = { title: 'People' };

export default async function PeoplePage() {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return <AdminRefusal />;
  const people = await listPeople(await getDb(), me);
  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>People</h1>
          <p className={`muted ${styles.lede}`}>
            Everyone who can sign in. Open a person to change their title, power core or role, send a new invite or
            password reset link, or deactivate them.
          </p>
        </div>
      </header>
      <div className={styles.stack}>
        <AddPersonForm />
        <PeopleTable people={people} />
      </div>
    </main>
  );
}
