import { and, count, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { signInAttempts } from '@/lib/db/schema';

/**
 * Failed sign-ins are counted in the database (serverless instances share nothing else).
 * Past the limit an attempt is refused before the password is even checked.
 */
export const SIGN_IN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 10;
export const MAX_FAILURES_PER_CLIENT = 50;

const accountSubject = (email: string) => `account:${email.trim().toLowerCase()}`;
const clientSubject = (client: string) => `client:${client}`;
const windowStart = () => sql`now() - make_interval(mins => ${SIGN_IN_WINDOW_MINUTES})`;

async function failuresFor(db: Queryable, subject: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.subject, subject), gt(signInAttempts.at, windowStart())));
  return Number(row.n);
}

export async function isSignInBlocked(db: Queryable, email: string, client: string | null): Promise<boolean> {
  if ((await failuresFor(db, accountSubject(email))) >= MAX_FAILURES_PER_ACCOUNT) return true;
  return client !== null && (await failuresFor(db, clientSubject(client))) >= MAX_FAILURES_PER_CLIENT;
}

export async function recordSignInFailure(db: Queryable, email: string, client: string | null): Promise<void> {
  const rows = [{ subject: accountSubject(email) }];
  if (client) rows.push({ subject: clientSubject(client) });
  await db.insert(signInAttempts).values(rows);
  // Old attempts only ever matter inside the window; trim them as we go.
  await db.delete(signInAttempts).where(lt(signInAttempts.at, sql`now() - interval '1 day'`));
}

/** A successful sign-in clears the account's failures (not the client's). */
export async function clearAccountFailures(db: Queryable, email: string): Promise<void> {
  await db.delete(signInAttempts).where(or(eq(signInAttempts.subject, accountSubject(email))));
}
