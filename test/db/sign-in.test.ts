import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.BCRYPT_COST = '4';
});

import * as passwords from '@/lib/auth/password';
import { authenticateWithPassword } from '@/lib/auth/authenticate';
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_CLIENT } from '@/lib/auth/sign-in-limits';
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

  it('signs in an active executive with the right password, whatever the case of the email', async () => {
    const result = await authenticateWithPassword(t.db, ' Tom@Example.TEST ', PASSWORD, '203.0.113.5');
    expect(result).toMatchObject({ ok: true, executive: { email: 'tom@example.test', sessionVersion: 0 } });
  });

  it('gives a wrong password and an unknown email the same answer', async () => {
    expect(await authenticateWithPassword(t.db, 'tom@example.test', 'wrong', null)).toEqual({ ok: false, reason: 'invalid' });
    expect(await authenticateWithPassword(t.db, 'nobody@example.test', 'wrong', null)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses the 11th rapid attempt for one account, even with the right password, without checking it', async () => {
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      // A different client each time: the account limit alone must stop it.
      expect(await authenticateWithPassword(t.db, 'tom@example.test', `wrong ${i}`, `198.51.100.${i}`)).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    const verify = vi.spyOn(passwords, 'verifyPassword');
    expect(await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '198.51.100.99')).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
    expect(verify).not.toHaveBeenCalled();
    verify.mockRestore();
  });

  it('limits one client guessing across many accounts', async () => {
    for (let i = 0; i < MAX_FAILURES_PER_CLIENT; i++) {
      await authenticateWithPassword(t.db, `guess${i}@example.test`, 'wrong', '192.0.2.7');
    }
    expect(await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '192.0.2.7')).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
    expect(await authenticateWithPassword(t.db, 'tom@example.test', PASSWORD, '192.0.2.8')).toMatchObject({ ok: true });
  });
});
