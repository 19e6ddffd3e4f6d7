import Link from 'next/link';
import { signOutAction } from '@/app/actions/auth';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';

const NAV = [
  { href: '/', label: 'Scorecard' },
  { href: '/accountability', label: 'Accountability' },
  { href: '/journey', label: 'Journey' },
  { href: '/spot-fixes', label: 'Spot fixes' },
  { href: '/issues', label: 'Recurring issues' },
  { href: '/snapshots', label: 'Snapshots' },
  { href: '/import', label: 'Import', adminOnly: true },
  { href: '/admin', label: 'Admin', adminOnly: true },
];

const ROLE_LABELS = { admin: 'Admin', executive: 'Executive', viewer: 'Viewer' } as const;

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const me = await requireExecutive();
  return (
    <>
      <header className="app-header">
        <div className="app-header-inner">
          <Link href="/" prefetch={false} className="brand" style={{ textDecoration: 'none' }}>
            CX Scorecard
          </Link>
          <nav className="app-nav" aria-label="Main">
            {NAV.filter((item) => !item.adminOnly || can(me, 'administer')).map((item) => (
              // Prefetching every section on each view would render them all on the server, unasked.
              <Link key={item.href} href={item.href} prefetch={false}>
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="app-user">
            <span>
              {me.name} <span className="muted">· {ROLE_LABELS[me.role]}</span>
            </span>
            <form action={signOutAction}>
              <button type="submit" className="button">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      {children}
    </>
  );
}
