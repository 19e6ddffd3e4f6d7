import Link from 'next/link';
import { signOutAction } from '@/app/actions/auth';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';

const ROLE_LABELS = { admin: 'Admin', executive: 'Executive', viewer: 'Viewer' } as const;

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const me = await requireExecutive();
  return (
    <>
      <header className="app-header">
        <div className="app-header-inner">
          <Link href="/" className="brand" style={{ textDecoration: 'none' }}>
            CX Scorecard
          </Link>
          <nav className="app-nav" aria-label="Main">
            <Link href="/">Scorecard</Link>
            <Link href="/accountability">Accountability</Link>
            <Link href="/spot-fixes">Spot fixes</Link>
            <Link href="/issues">Recurring issues</Link>
            <Link href="/snapshots">Snapshots</Link>
            {can(me, 'administer') && <Link href="/import">Import</Link>}
            {can(me, 'administer') && <Link href="/admin">Admin</Link>}
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
