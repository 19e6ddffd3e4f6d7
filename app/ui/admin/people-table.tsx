import Link from 'next/link';
import type { PersonSummary } from '@/lib/data/people';
import { formatDate, powerCoreLabel } from '@/lib/format';
import { ROLE_LABELS } from './labels';
import styles from './admin.module.css';

function AccessPill({ person }: { person: PersonSummary }) {
  if (!person.isActive) return <span className={`${styles.pill} ${styles.pillInactive}`}>Deactivated</span>;
  if (!person.hasPassword) {
    return (
      <span className={`${styles.pill} ${styles.pillPending}`} title={person.pendingLink ? `Invite valid until ${formatDate(person.pendingLink.expiresAt)}` : 'No valid invite link'}>
        {person.pendingLink ? 'Invited' : 'Invite expired'}
      </span>
    );
  }
  return <span className={`${styles.pill} ${styles.pillActive}`}>Active</span>;
}

function Owns({ person }: { person: PersonSummary }) {
  const items = [
    ...person.ownedMetrics.map((m) => <strong key={m.key}>{m.name}</strong>),
    ...person.ownedIssues.slice(0, 3).map((i) => <span key={i.issueKey}>Issue: {i.label}</span>),
  ];
  if (person.ownedIssues.length > 3) items.push(<span key="more" className="muted">and {person.ownedIssues.length - 3} more issues</span>);
  if (person.openActions > 0) items.push(<span key="actions" className="muted">{person.openActions} open action{person.openActions === 1 ? '' : 's'}</span>);
  if (items.length === 0) return <span className="muted">Nothing</span>;
  return (
    <ul className={styles.ownList}>
      {items.map((item) => (
        <li key={item.key}>{item}</li>
      ))}
    </ul>
  );
}

export function PeopleTable({ people }: { people: PersonSummary[] }) {
  return (
    <div className="card table-wrap">
      <table className="data-table cards-on-phone">
        <caption className="visually-hidden">People who can sign in, with their role and what they own</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Title and power core</th>
            <th scope="col">Role</th>
            <th scope="col">Access</th>
            <th scope="col">Owns</th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <tr key={person.id} className={person.isActive ? undefined : 'muted-row'} data-testid={`person-${person.email}`}>
              <td>
                <Link href={`/admin/people/${person.id}`} className={styles.name}>
                  {person.name}
                </Link>
                <span className="subline">{person.email}</span>
              </td>
              <td data-label="Title and power core">
                {person.title}
                <span className="subline">{powerCoreLabel(person.powerCore)}</span>
              </td>
              <td data-label="Role">{ROLE_LABELS[person.role]}</td>
              <td data-label="Access">
                <AccessPill person={person} />
              </td>
              <td data-label="Owns">
                <Owns person={person} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
