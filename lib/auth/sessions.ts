import { randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { authSessions } from '@/lib/db/schema';
import { SESSION_LIFETIME_SECONDS } from './session-token';

/**
 * The server's record of each sign-in. The session cookie is a sealed token the server cannot
 * recall, so the token names one of these rows and every request checks it: signing out ends the
 * row (on every serverless instance at once, since they share the database), and the row's
 * expiry is the absolute 12-hour limit.
 */
export async function startSession(db: Queryable, executiveId: number): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(16).toString('base64url');
  const [row] = await db
    .insert(authSessions)
    .values({ id, executiveId, expiresAt: sql`now() + make_interval(secs => ${SESSION_LIFETIME_SECONDS})` })
    .returning({ id: authSessions.id, expiresAt: authSessions.expiresAt });
  // Sessions matter only until they expire; trim old ones as new ones start.
  await db.delete(authSessions).where(lt(authSessions.expiresAt, sql`now() - interval '1 day'`));
  return row;
}

export async function endSession(db: Queryable, id: string): Promise<void> {
  await db.update(authSessions).set({ endedAt: sql`now()` }).where(and(eq(authSessions.id, id), isNull(authSessions.endedAt)));
}

/** The condition a session row must meet to let its cookie in. */
export const liveSession = (id: string) =>
  and(eq(authSessions.id, id), isNull(authSessions.endedAt), sql`${authSessions.expiresAt} > now()`);
