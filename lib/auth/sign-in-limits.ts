import { inArray, like, lt, or, sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { signInAttempts } from '@/lib/db/schema';

/**
 * Failed attempts (sign-ins, set-password links, snapshot passcodes) are counted in the database:
 * serverless instances share nothing else. Nothing locks an account: past a few free failures each
 * further attempt must wait a delay that doubles with every failure, up to a cap. The delay on an
 * account alone is capped low (30 s), so nobody can keep an executive or a board out; the delays
 * on one client, and on one client against one account, grow long. A global budget per minute
 * stops a flood from many addresses. Refused attempts are never checked (no hashing).
 */
export interface ThrottleRule {
  subject: string;
  /** Failures counted over this many seconds. */
  windowSeconds: number;
  /** Failures allowed before any delay. */
  free: number;
  /** The first delay; each further failure doubles it. */
  baseSeconds: number;
  maxSeconds: number;
}

const HOUR = 60 * 60;

export function delayAfter(failures: number, rule: Pick<ThrottleRule, 'free' | 'baseSeconds' | 'maxSeconds'>): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.maxSeconds, rule.baseSeconds * 2 ** Math.min(30, failures - rule.free));
}

const normaliseEmail = (email: string) => email.trim().toLowerCase();

export const signInRules = {
  account: (email: string): ThrottleRule => ({
    subject: `account:${normaliseEmail(email)}`,
    windowSeconds: HOUR,
    free: 10,
    baseSeconds: 1,
    maxSeconds: 30,
  }),
  accountClient: (email: string, client: string): ThrottleRule => ({
    subject: `account-client:${normaliseEmail(email)}|${client}`,
    windowSeconds: HOUR,
    free: 5,
    baseSeconds: 2,
    maxSeconds: 15 * 60,
  }),
  client: (client: string): ThrottleRule => ({
    subject: `client:${client}`,
    windowSeconds: HOUR,
    free: 20,
    baseSeconds: 1,
    maxSeconds: 15 * 60,
  }),
  /** Every anonymous failure on this deployment, whoever sends it. */
  global: (): ThrottleRule => ({
    subject: 'global:anonymous',
    windowSeconds: 60,
    free: Number(process.env.ANONYMOUS_FAILURES_PER_MINUTE ?? 300),
    baseSeconds: 5,
    maxSeconds: 60,
  }),
};

/** The rules one password sign-in answers to. */
export function signInThrottle(email: string, client: string | null): ThrottleRule[] {
  const rules = [signInRules.account(email), signInRules.global()];
  if (client) rules.push(signInRules.accountClient(email, client), signInRules.client(client));
  return rules;
}

/** The rules a set-password post answers to (the link's token is the credential guessed). */
export function setPasswordThrottle(client: string | null): ThrottleRule[] {
  const rules = [signInRules.global()];
  if (client) rules.push({ ...signInRules.client(client), subject: `set-password-client:${client}` });
  return rules;
}

/**
 * The rules a snapshot passcode answers to: the board's own link is slowed at most 30 s however
 * many guesses arrive (nobody can keep a board out), while one client's waits grow long.
 */
export const passcodeRules = {
  snapshot: (snapshotId: number): ThrottleRule => ({
    subject: `snapshot:${snapshotId}`,
    windowSeconds: HOUR,
    free: 10,
    baseSeconds: 1,
    maxSeconds: 30,
  }),
  snapshotClient: (snapshotId: number, client: string): ThrottleRule => ({
    subject: `snapshot-client:${snapshotId}|${client}`,
    windowSeconds: HOUR,
    free: 5,
    baseSeconds: 2,
    maxSeconds: 15 * 60,
  }),
  client: (client: string): ThrottleRule => ({
    subject: `passcode-client:${client}`,
    windowSeconds: HOUR,
    free: 20,
    baseSeconds: 1,
    maxSeconds: 15 * 60,
  }),
};

export function snapshotPasscodeThrottle(snapshotId: number, client: string | null): ThrottleRule[] {
  const rules = [passcodeRules.snapshot(snapshotId), signInRules.global()];
  if (client) rules.push(passcodeRules.snapshotClient(snapshotId, client), passcodeRules.client(client));
  return rules;
}

/** Seconds until an attempt under these rules may be checked; 0 when it may be now. */
export async function secondsUntilAllowed(db: Queryable, rules: ThrottleRule[]): Promise<number> {
  if (rules.length === 0) return 0;
  const parts = rules.map(
    (rule) => sql`select ${rule.subject}::text as subject, count(*)::int as failures,
      coalesce(extract(epoch from now() - max(at)), 0)::float8 as since
      from sign_in_attempts where subject = ${rule.subject} and at > now() - make_interval(secs => ${rule.windowSeconds})`,
  );
  const rows = await queryRows<{ subject: string; failures: number; since: number }>(db, sql.join(parts, sql` union all `));
  let wait = 0;
  for (const rule of rules) {
    const row = rows.find((r) => r.subject === rule.subject);
    if (!row) continue;
    const delay = delayAfter(Number(row.failures), rule);
    if (delay > 0) wait = Math.max(wait, Math.ceil(delay - Number(row.since)));
  }
  return Math.max(0, wait);
}

export async function recordFailure(db: Queryable, rules: ThrottleRule[]): Promise<void> {
  await db.insert(signInAttempts).values(rules.map((rule) => ({ subject: rule.subject })));
  // Old attempts only ever matter inside the longest window; trim them as we go.
  await db.delete(signInAttempts).where(lt(signInAttempts.at, sql`now() - interval '1 day'`));
}

/** A correct sign-in or a password reset forgives the account's failures (not a client's). */
export function clearAccountFailures(db: Queryable, email: string): Promise<void> {
  const normalised = normaliseEmail(email);
  return clearFailures(db, [`account:${normalised}`], [`account-client:${normalised}|`]);
}

export async function clearFailures(db: Queryable, subjects: string[], prefixes: string[] = []): Promise<void> {
  const conditions = [...(subjects.length ? [inArray(signInAttempts.subject, subjects)] : []), ...prefixes.map((p) => like(signInAttempts.subject, `${escapeLike(p)}%`))];
  if (conditions.length) await db.delete(signInAttempts).where(or(...conditions));
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Words for a wait, for the forms. */
export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
