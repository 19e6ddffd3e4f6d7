import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { AppHeader } from '@/app/ui/nav/app-header';

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

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const me = await requireExecutive();
  const items = NAV.filter((item) => !item.adminOnly || can(me, 'administer'));
  return (
    <>
      <AppHeader items={items} name={me.name} role={me.role} />
      {children}
    </>
  );
}
