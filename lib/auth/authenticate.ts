import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { executives } from '@/lib/db/schema';
import { HashingBusyError, hashPassword, needsRehash, verifyPassword } from './password';
import { clearAccountFailures, recordFailure, secondsUntilAllowed, signInThrottle } from './sign-in-limits';

export type PasswordSignIn =
  | { ok: true; executive: { id: number; name: string; email: string; sessionVersion: number } }
  | { ok: false; reason: 'invalid' | 'busy' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

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
  const rules = signInThrottle(normalised, client);
  const wait = await secondsUntilAllowed(db, rules);
  if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };

  const [executive] = await db.select().from(executives).where(eq(executives.email, normalised));
  let matches: boolean;
  try {
    const hash = executive?.passwordHash ?? (await (decoyHash ??= hashPassword('decoy password never used').catch((error) => {
      decoyHash = undefined;
      throw error;
    })));
    matches = await verifyPassword(password, hash);
  } catch (error) {
    if (error instanceof HashingBusyError) return { ok: false, reason: 'busy' };
    throw error;
  }
  if (!executive || !executive.isActive || !executive.passwordHash || !matches) {
    await recordFailure(db, rules);
    return { ok: false, reason: 'invalid' };
  }
  await clearAccountFailures(db, normalised);
  if (needsRehash(executive.passwordHash)) await upgradeHash(db, executive.id, executive.passwordHash, password);
  return {
    ok: true,
    executive: { id: executive.id, name: executive.name, email: executive.email, sessionVersion: executive.sessionVersion },
  };
}

/** Replaces an old (bcrypt) hash after a correct sign-in; only if it is still the one just checked. */
async function upgradeHash(db: Db, executiveId: number, oldHash: string, password: string): Promise<void> {
  try {
    const passwordHash = await hashPassword(password);
    await db
      .update(executives)
      .set({ passwordHash })
      .where(and(eq(executives.id, executiveId), eq(executives.passwordHash, oldHash)));
  } catch (error) {
    if (!(error instanceof HashingBusyError)) throw error;
    // Busy: the next sign-in upgrades it.
  }
}
