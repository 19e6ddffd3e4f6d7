import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { AdminNav } from '@/app/ui/admin/admin-nav';

/** The admin sub-navigation. Not the guard: every admin page and action checks the role itself. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const me = await requireExecutive();
  return (
    <>
      {can(me, 'administer') ? <AdminNav /> : null}
      {children}
    </>
  );
}
