import 'server-only';
import { eq } from 'drizzle-orm';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/lib/db';
import { executives } from '@/lib/db/schema';
import { toExecutiveDto, type ExecutiveDto } from '@/lib/data/executives';
import { readSessionClaims } from './session-token';

/**
 * The signed-in executive, checked against the database on every request: a deactivated person,
 * or one whose role or password changed since the token was issued, is signed out at once even
 * though their JWT has not expired.
 */
export const getCurrentExecutive = cache(async (): Promise<ExecutiveDto | null> => {
  const claims = await readSessionClaims(await cookies());
  if (!claims) return null;
  const db = await getDb();
  const [executive] = await db.select().from(executives).where(eq(executives.id, claims.executiveId));
  if (!executive || !executive.isActive || executive.sessionVersion !== claims.sessionVersion) return null;
  return toExecutiveDto(executive);
});

/** For pages and server actions: the signed-in executive, or a redirect to the sign-in page. */
export async function requireExecutive(): Promise<ExecutiveDto> {
  const me = await getCurrentExecutive();
  if (!me) redirect('/login');
  return me;
}
