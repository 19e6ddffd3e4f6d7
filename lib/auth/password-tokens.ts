import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { executives, passwordTokens } from '@/lib/db/schema';
import { writeAudit } from '@/lib/data/audit';
import { getOrganisation } from '@/lib/data/organisation';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password';
import { assertStrongPassword } from './password-strength';
import { clearAccountFailures } from './sign-in-limits';

/**
 * One-time links for setting a password: an invite for someone new, a reset for someone who has
 * one. The token (256 random bits) is shown once; only its SHA-256 is stored, so a copy of the
 * database cannot be turned into working links.
 */
export type PasswordTokenPurpose = 'invite' | 'reset';

export const PASSWORD_TOKEN_LIFETIME_SECONDS: Record<PasswordTokenPurpose, number> = {
  invite: 7 * 24 * 60 * 60,
  reset: 60 * 60,
};

export function hashPasswordToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A well-formed token is 43 base64url characters; anything else is refused before a query. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function passwordLinkPath(token: string): string {
  return `/set-password/${token}`;
}

export interface IssuedPasswordToken {
  token: string;
  path: string;
  purpose: PasswordTokenPurpose;
  expiresAt: Date;
}

/**
 * Issues a new link for the person and ends every unused one they had, so only the newest link
 * works. Call inside the transaction that authorises it (the admin's, with its audit entry).
 */
export async function issuePasswordToken(
  tx: Queryable,
  executiveId: number,
  purpose: PasswordTokenPurpose,
): Promise<IssuedPasswordToken> {
  await revokeUnusedPasswordTokens(tx, executiveId);
  const token = randomBytes(32).toString('base64url');
  const [row] = await tx
    .insert(passwordTokens)
    .values({
      executiveId,
      tokenHash: hashPasswordToken(token),
      purpose,
      expiresAt: sql`now() + make_interval(secs => ${PASSWORD_TOKEN_LIFETIME_SECONDS[purpose]})`,
    })
    .returning({ expiresAt: passwordTokens.expiresAt });
  return { token, path: passwordLinkPath(token), purpose, expiresAt: row.expiresAt };
}

/** Ends a person's unused links (a newer link, deactivation): they expire now. */
export async function revokeUnusedPasswordTokens(tx: Queryable, executiveId: number): Promise<number> {
  const revoked = await tx
    .update(passwordTokens)
    .set({ expiresAt: sql`now()` })
    .where(and(eq(passwordTokens.executiveId, executiveId), isNull(passwordTokens.usedAt), gt(passwordTokens.expiresAt, sql`now()`)))
    .returning({ id: passwordTokens.id });
  return revoked.length;
}

export interface PasswordTokenHolder {
  name: string;
  email: string;
  purpose: PasswordTokenPurpose;
  expiresAt: Date;
}

const usable = (tokenHash: string) =>
  and(
    eq(passwordTokens.tokenHash, tokenHash),
    isNull(passwordTokens.usedAt),
    gt(passwordTokens.expiresAt, sql`now()`),
    eq(executives.isActive, true),
  );

/** Whose link this is, or null when it is unknown, used, expired or its person deactivated (no hint which). */
export async function findUsablePasswordToken(db: Queryable, token: string): Promise<PasswordTokenHolder | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const [row] = await db
    .select({ name: executives.name, email: executives.email, purpose: passwordTokens.purpose, expiresAt: passwordTokens.expiresAt })
    .from(passwordTokens)
    .innerJoin(executives, eq(executives.id, passwordTokens.executiveId))
    .where(usable(hashPasswordToken(token)));
  return row ?? null;
}

export class InvalidPasswordTokenError extends Error {
  constructor() {
    super('This link is not valid any more. It may have been used already or have expired. Ask an admin for a new one.');
    this.name = 'InvalidPasswordTokenError';
  }
}

/**
 * Sets the password through a link: refuses a weak password (WeakPasswordError, the link still
 * works), marks the link used (exactly once, even when two requests race), stores the new hash and bumps the session version so any session signed in with the old password ends.
 */
export async function setPasswordWithToken(db: Db, token: string, password: string): Promise<{ email: string }> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new RangeError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (!TOKEN_PATTERN.test(token)) throw new InvalidPasswordTokenError();
  // The link is looked up before any hashing: a guessed token costs one indexed read, never a hash.
  const holder = await findUsablePasswordToken(db, token);
  if (!holder) throw new InvalidPasswordTokenError();
  // Refused before the link is used, so the person can try again with a better one.
  assertStrongPassword(password, { email: holder.email, organisationName: (await getOrganisation(db))?.name });
  const tokenHash = hashPasswordToken(token);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    // The conditional update is the single-use guarantee: of two racing requests only one matches.
    const [used] = await tx
      .update(passwordTokens)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(passwordTokens.tokenHash, tokenHash),
          isNull(passwordTokens.usedAt),
          gt(passwordTokens.expiresAt, sql`now()`),
          // Written out: inside an UPDATE, Drizzle leaves column names unqualified.
          sql`exists (select 1 from executives e where e.id = "password_tokens"."executive_id" and e.is_active)`,
        ),
      )
      .returning({ id: passwordTokens.id, executiveId: passwordTokens.executiveId, purpose: passwordTokens.purpose });
    if (!used) throw new InvalidPasswordTokenError();
    const [before] = await tx
      .select({ sessionVersion: executives.sessionVersion, hadPassword: sql<boolean>`${executives.passwordHash} is not null` })
      .from(executives)
      .where(eq(executives.id, used.executiveId));
    const [person] = await tx
      .update(executives)
      .set({ passwordHash, sessionVersion: sql`${executives.sessionVersion} + 1`, updatedAt: sql`now()` })
      .where(eq(executives.id, used.executiveId))
      .returning({ id: executives.id, name: executives.name, email: executives.email, sessionVersion: executives.sessionVersion });
    await revokeUnusedPasswordTokens(tx, person.id);
    // A reset forgives the failed sign-ins that may have slowed this account down.
    await clearAccountFailures(tx, person.email);
    await writeAudit(
      tx,
      { executiveId: person.id, label: person.name },
      {
        action: 'set-password',
        entity: 'executive',
        entityId: person.id,
        before: { hasPassword: before.hadPassword, sessionVersion: before.sessionVersion },
        after: { hasPassword: true, sessionVersion: person.sessionVersion, via: used.purpose },
      },
    );
    return { email: person.email };
  });
}
