import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { eq, sql } from 'drizzle-orm';
import * as passwords from '@/lib/auth/password';
import { authenticateWithPassword } from '@/lib/auth/authenticate';
import { signInRules } from '@/lib/auth/sign-in-limits';
import { executives } from '@/lib/db/schema';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

const PASSWORD = 'correct horse battery staple';

describe.each(DATABASE_TARGETS)('password sign-in on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(async () => {
    await t.reset();
    await t.db.insert(executives).values({
      name: 'Tom Brennan',
      email: 'tom@example.test',
      title: 'COO',
      powerCore: 'operations',
      role: 'executive',
      passwordHash: await passwords.hashPassword(PASSWORD),
    });
  });
  afterAll(() => t?.close());

  /** Moves every recorded failure this many seconds into the past (instead of waiting). */
  const age = (seconds: number) => t.db.execute(sql`update sign_in_attempts set at = at - make_interval(secs => ${seconds})`);

  it('signs in an active executive with the right password, whatever the case of the email', async () => {
    const result = await authenticateWithPassword(t.db, ' Tom@Example.TEST ', PASSWORD, '203.0.113.5');
    expect(result).toMatchObject({ ok: true, executive: { email: 'tom@example.test', sessionVersion: 0 } });
  });

  it('stores argon2id hashes', async () => {
    const [row] = await t.db.select().from(executives);
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('accepts an old bcrypt hash and replaces it with argon2id on that sign-in', async () => {
    const old = await bcryptHash(PASSWORD, 4);
    await t.db.update(executives).set({ passwordHash: old });
    await expect(authenticateWithPassword(t.db, 'tom@example.test', 'wrong password', null)).resolves.toMatchObject({ ok: false });
    expect((await t.db.select().from(executives))[0].passwordHash).toBe(old);
    await expect(authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, null)).resolves.toMatchObject({ ok: true });
    const [row] = await t.db.select().from(executives);
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.sessionVersion).toBe(0);
    await expect(authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, null)).resolves.toMatchObject({ ok: true });
  });

  it('gives a wrong password and an unknown email the same answer', async () => {
    expect(await authenticateWithPassword(t.db, 'tom@example.test', 'wrong', null)).toEqual({ ok: false, reason: 'invalid' });
    expect(await authenticateWithPassword(t.db, 'nobody@example.test', 'wrong', null)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('slows an account guessed at from many clients with a short growing delay, never a lock, and checks nothing meanwhile', async () => {
    const rule = signInRules.account('tom@example.test');
    for (let i = 0; i < rule.free; i++) {
      // A different client each time: the account's own rule alone must act.
      expect(await authenticateWithPassword(t.db, 'tom@example.test', `wrong ${i}`, `198.51.100.${i}`)).toEqual({ ok: false, reason: 'invalid' });
    }
    const verify = vi.spyOn(passwords, 'verifyPassword');
    const delayed = await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '198.51.100.99');
    expect(delayed).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(verify).not.toHaveBeenCalled();
    verify.mockRestore();

    // However many failures pile up, the account's wait is capped: its owner gets in after it.
    for (let i = 0; i < 40; i++) await t.db.execute(sql`insert into sign_in_attempts (subject) values (${rule.subject})`);
    const capped = await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '198.51.100.99');
    expect(capped).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect((capped as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(rule.maxSeconds);
    await age(rule.maxSeconds);
    await expect(authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '198.51.100.99')).resolves.toMatchObject({ ok: true });
    // A correct sign-in forgives the account's failures.
    await expect(authenticateWithPassword(t.db, 'tom@example.test', 'wrong again', '198.51.100.98')).resolves.toEqual({ ok: false, reason: 'invalid' });
  });

  it('makes one client wait longer and longer for one account', async () => {
    const rule = signInRules.accountClient('tom@example.test', '192.0.2.1');
    for (let i = 0; i < rule.free; i++) await authenticateWithPassword(t.db, 'tom@example.test', 'wrong', '192.0.2.1');
    const first = await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '192.0.2.1');
    expect(first).toMatchObject({ ok: false, reason: 'rate_limited', retryAfterSeconds: rule.baseSeconds });
    await age(rule.baseSeconds);
    await authenticateWithPassword(t.db, 'tom@example.test', 'wrong', '192.0.2.1');
    const second = await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '192.0.2.1');
    expect(second).toMatchObject({ ok: false, reason: 'rate_limited', retryAfterSeconds: rule.baseSeconds * 2 });
    // Another client is not held up by this one's failures.
    await expect(authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '192.0.2.2')).resolves.toMatchObject({ ok: true });
  });

  it('limits one client guessing across many accounts', async () => {
    const rule = signInRules.client('192.0.2.7');
    for (let i = 0; i < rule.free; i++) {
      await authenticateWithPassword(t.db, `guess${i}@example.test`, 'wrong', '192.0.2.7');
    }
    expect(await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '192.0.2.7')).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '192.0.2.8')).toMatchObject({ ok: true });
  });

  it('stops a flood from many addresses with a global budget', async () => {
    const rule = signInRules.global();
    await t.db.execute(sql`insert into sign_in_attempts (subject) select ${rule.subject} from generate_series(1, ${rule.free})`);
    const verify = vi.spyOn(passwords, 'verifyPassword');
    expect(await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '203.0.113.77')).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(verify).not.toHaveBeenCalled();
    verify.mockRestore();
    await age(rule.windowSeconds);
    expect(await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '203.0.113.77')).toMatchObject({ ok: true });
  });

  it('refuses a deactivated executive with the right password', async () => {
    await t.db.update(executives).set({ isActive: false }).where(eq(executives.email, 'tom@example.test'));
    expect(await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, null)).toEqual({ ok: false, reason: 'invalid' });
  });
});
