import 'server-only';
import { and, eq } from 'drizzle-orm';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/lib/db';
import { authSessions, executives } from '@/lib/db/schema';
import { toExecutiveDto, type ExecutiveDto } from '@/lib/data/executives';
import { readSessionClaims } from './session-token';
import { endSession, liveSession } from './sessions';

/**
 * The signed-in executive, checked against the database on every request: a session that was
 * signed out or has passed its 12 hours, a deactivated person, or one whose role or password
 * changed since the token was issued, is signed out at once even though their JWT has not expired.
 */
export const getCurrentExecutive = cache(async (): Promise<ExecutiveDto | null> => {
  const claims = await readSessionClaims(await cookies());
  if (!claims?.sessionId) return null;
  const db = await getDb();
  const [row] = await db
    .select({ executive: executives })
    .from(authSessions)
    .innerJoin(executives, and(eq(executives.id, authSessions.executiveId), eq(executives.id, claims.executiveId)))
    .where(liveSession(claims.sessionId));
  const executive = row?.executive;
  if (!executive || !executive.isActive || executive.sessionVersion !== claims.sessionVersion) return null;
  return toExecutiveDto(executive);
});

/** For pages and server actions: the signed-in executive, or a redirect to the sign-in page. */
export async function requireExecutive(): Promise<ExecutiveDto> {
  const me = await getCurrentExecutive();
  if (!me) redirect('/login');
  return me;
}

/** Sign-out: the session's record ends, so its cookie is refused everywhere from now on. */
export async function endCurrentSession(): Promise<void> {
  const claims = await readSessionClaims(await cookies());
  if (claims?.sessionId) await endSession(await getDb(), claims.sessionId);
}
