import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { executives } from '@/lib/db/schema';
import { hashPassword, verifyPassword } from './password';
import { clearAccountFailures, isSignInBlocked, recordSignInFailure } from './sign-in-limits';

export type PasswordSignIn =
  | { ok: true; executive: { id: number; name: string; email: string; sessionVersion: number } }
  | { ok: false; reason: 'invalid' | 'rate_limited' };

// Compared against when the email is unknown, so both failures take about as long.
let decoyHash: Promise<string> | undefined;

/** Email + password sign-in with the same answer and similar timing for every kind of failure. */
export async function authenticateWithPassword(
  db: Db,
  email: string,
  password: string,
  client: string | null,
): Promise<PasswordSignIn> {
  const normalised = email.trim().toLowerCase();
  if (await isSignInBlocked(db, normalised, client)) return { ok: false, reason: 'rate_limited' };

  const [executive] = await db.select().from(executives).where(eq(executives.email, normalised));
  const hash = executive?.passwordHash ?? (await (decoyHash ??= hashPassword('decoy password never used')));
  const matches = await verifyPassword(password, hash);
  if (!executive || !executive.isActive || !executive.passwordHash || !matches) {
    await recordSignInFailure(db, normalised, client);
    return { ok: false, reason: 'invalid' };
  }
  await clearAccountFailures(db, normalised);
  return {
    ok: true,
    executive: { id: executive.id, name: executive.name, email: executive.email, sessionVersion: executive.sessionVersion },
  };
}
