import Link from 'next/link';
import { signOutAction } from '@/app/actions/auth';
import type { Role } from '@/lib/domain';
import { MenuDisclosure } from './menu-disclosure';
import styles from './app-header.module.css';

const ROLE_LABELS = { admin: 'Admin', executive: 'Executive', viewer: 'Viewer' } as const;

export interface NavItem {
  href: string;
  label: string;
}

function NavLinks({ items }: { items: NavItem[] }) {
  return items.map((item) => (
    // Prefetching every section on each view would render them all on the server, unasked.
    <Link key={item.href} href={item.href} prefetch={false}>
      {item.label}
    </Link>
  ));
}

function SignOut() {
  return (
    <form action={signOutAction}>
      <button type="submit" className="button">
        Sign out
      </button>
    </form>
  );
}

/** The top bar: links in a row on a wide screen; on a narrow one, a menu (no six-line wrap). */
export function AppHeader({ items, name, role }: { items: NavItem[]; name: string; role: Role }) {
  const who = (
    <span>
      {name} <span className="muted">· {ROLE_LABELS[role]}</span>
    </span>
  );
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link href="/" prefetch={false} className="brand" style={{ textDecoration: 'none' }}>
          CX Scorecard
        </Link>
        <nav className={`app-nav ${styles.wide}`} aria-label="Main">
          <NavLinks items={items} />
        </nav>
        <div className={`app-user ${styles.wide}`}>
          {who}
          <SignOut />
        </div>
        <MenuDisclosure className={styles.menu}>
          <div className={styles.panel}>
            <nav aria-label="Main" className={styles.menuLinks}>
              <NavLinks items={items} />
            </nav>
            <div className={styles.menuUser}>
              {who}
              <SignOut />
            </div>
          </div>
        </MenuDisclosure>
      </div>
    </header>
  );
}
