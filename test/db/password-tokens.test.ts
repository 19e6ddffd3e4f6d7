import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { executives, organisation, passwordTokens } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import * as passwords from '@/lib/auth/password';
import { verifyPassword } from '@/lib/auth/password';
import { authenticateWithPassword } from '@/lib/auth/authenticate';
import {
  findUsablePasswordToken,
  hashPasswordToken,
  InvalidPasswordTokenError,
  setPasswordWithToken,
} from '@/lib/auth/password-tokens';
import { WeakPasswordError } from '@/lib/auth/password-strength';
import { createPerson, deactivatePerson, issuePasswordLink, type Me } from '@/lib/data/people';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

const PASSWORD = 'correct horse battery staple';

describe.each(DATABASE_TARGETS)('password links on %s', (target) => {
  let t: TestDatabase;
  let admin: Me;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(async () => {
    await t.reset();
    const [row] = await t.db
      .insert(executives)
      .values({ name: 'Ada Admin', email: 'ada@example.test', title: 'CCO', powerCore: 'customer', role: 'admin', passwordHash: 'x' })
      .returning();
    admin = { id: row.id, role: row.role, name: row.name };
  });
  afterAll(() => t?.close());

  const invite = () =>
    createPerson(t.db, admin, { name: 'Nadia Novak', email: 'nadia@example.test', title: 'CPO', powerCore: 'product', role: 'executive' });

  it('shows whose link it is, sets the password once, ends open sessions and lets the person sign in', async () => {
    const { person, link } = await invite();
    await expect(findUsablePasswordToken(t.db, link.token)).resolves.toMatchObject({ name: 'Nadia Novak', email: 'nadia@example.test', purpose: 'invite' });
    await expect(authenticateWithPassword(t.db, 'nadia@example.test', PASSWORD, null)).resolves.toMatchObject({ ok: false });

    await expect(setPasswordWithToken(t.db, link.token, PASSWORD)).resolves.toEqual({ email: 'nadia@example.test' });
    const [row] = await t.db.select().from(executives).where(eq(executives.id, person.id));
    expect(row.sessionVersion).toBe(1);
    expect(await verifyPassword(PASSWORD, row.passwordHash!)).toBe(true);
    await expect(authenticateWithPassword(t.db, 'nadia@example.test', PASSWORD, null)).resolves.toMatchObject({ ok: true });

    // Single use: the same link does nothing a second time.
    await expect(findUsablePasswordToken(t.db, link.token)).resolves.toBeNull();
    await expect(setPasswordWithToken(t.db, link.token, 'another password entirely')).rejects.toThrow(InvalidPasswordTokenError);
    const [unchanged] = await t.db.select().from(executives).where(eq(executives.id, person.id));
    expect(unchanged.passwordHash).toBe(row.passwordHash);

    const [audit] = await queryRows<{ actor_id: number; action: string; after: Record<string, unknown> }>(
      t.db,
      sql`select actor_id, action, after from audit_log where action = 'set-password'`,
    );
    expect(audit).toEqual({ actor_id: person.id, action: 'set-password', after: { hasPassword: true, sessionVersion: 1, via: 'invite' } });
    expect(JSON.stringify(await queryRows(t.db, sql`select * from audit_log`))).not.toContain(row.passwordHash!);
  });

  it('lets only one of two racing requests use a link', async () => {
    const { link } = await invite();
    const results = await Promise.allSettled([
      setPasswordWithToken(t.db, link.token, 'first password wins'),
      setPasswordWithToken(t.db, link.token, 'second password wins'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('refuses an expired link', async () => {
    const { link } = await invite();
    await t.db.update(passwordTokens).set({ expiresAt: sql`now() - interval '1 second'` });
    await expect(findUsablePasswordToken(t.db, link.token)).resolves.toBeNull();
    await expect(setPasswordWithToken(t.db, link.token, PASSWORD)).rejects.toThrow(InvalidPasswordTokenError);
  });

  it('refuses a link that a newer one replaced', async () => {
    const { person, link: first } = await invite();
    const { link: second } = await issuePasswordLink(t.db, admin, person.id);
    await expect(setPasswordWithToken(t.db, first.token, PASSWORD)).rejects.toThrow(InvalidPasswordTokenError);
    await expect(setPasswordWithToken(t.db, second.token, PASSWORD)).resolves.toEqual({ email: 'nadia@example.test' });
  });

  it('refuses the link of someone who was deactivated', async () => {
    const { person, link } = await invite();
    await deactivatePerson(t.db, admin, person.id);
    await expect(findUsablePasswordToken(t.db, link.token)).resolves.toBeNull();
    await expect(setPasswordWithToken(t.db, link.token, PASSWORD)).rejects.toThrow(InvalidPasswordTokenError);
  });

  it('refuses unknown and malformed tokens and the stored hash itself', async () => {
    await invite();
    const [stored] = await t.db.select().from(passwordTokens);
    for (const token of ['', 'nope', 'A'.repeat(43), stored.tokenHash, `${'A'.repeat(42)}=`]) {
      await expect(findUsablePasswordToken(t.db, token)).resolves.toBeNull();
      await expect(setPasswordWithToken(t.db, token, PASSWORD)).rejects.toThrow(InvalidPasswordTokenError);
    }
  });

  it('refuses a short password without using the link', async () => {
    const { link } = await invite();
    await expect(setPasswordWithToken(t.db, link.token, 'short')).rejects.toThrow(RangeError);
    await expect(findUsablePasswordToken(t.db, link.token)).resolves.not.toBeNull();
  });

  it('refuses a weak password, saying why, without using the link or hashing', async () => {
    await t.db.update(organisation).set({ name: 'Brightwave Broadband' });
    const { link } = await invite();
    const hash = vi.spyOn(passwords, 'hashPassword');
    await expect(setPasswordWithToken(t.db, link.token, 'password1234')).rejects.toThrow(
      new WeakPasswordError('This is similar to a commonly used password. Add more words that are less common.'),
    );
    await expect(setPasswordWithToken(t.db, link.token, 'aaaaaaaaaaaa')).rejects.toThrow(WeakPasswordError);
    await expect(setPasswordWithToken(t.db, link.token, 'brightwave2026')).rejects.toThrow(/organisation's name \(Brightwave Broadband\)/);
    await expect(setPasswordWithToken(t.db, link.token, 'nadia-likes-long-walks')).rejects.toThrow(/your email address/);
    expect(hash).not.toHaveBeenCalled();
    hash.mockRestore();
    const [person] = await t.db.select().from(executives).where(eq(executives.email, 'nadia@example.test'));
    expect(person.passwordHash).toBeNull();
    await expect(findUsablePasswordToken(t.db, link.token)).resolves.not.toBeNull();
    await expect(setPasswordWithToken(t.db, link.token, PASSWORD)).resolves.toEqual({ email: 'nadia@example.test' });
  });

  it('resets the password of someone signed in, ending their session', async () => {
    const { person, link } = await invite();
    await setPasswordWithToken(t.db, link.token, PASSWORD);
    const reset = await issuePasswordLink(t.db, admin, person.id);
    expect(reset.link.purpose).toBe('reset');
    expect(hashPasswordToken(reset.link.token)).toMatch(/^[0-9a-f]{64}$/);
    await setPasswordWithToken(t.db, reset.link.token, 'a brand new password');
    const [row] = await t.db.select().from(executives).where(eq(executives.id, person.id));
    expect(row.sessionVersion).toBe(2);
    await expect(authenticateWithPassword(t.db, 'nadia@example.test', PASSWORD, null)).resolves.toMatchObject({ ok: false });
    await expect(authenticateWithPassword(t.db, 'nadia@example.test', 'a brand new password', null)).resolves.toMatchObject({ ok: true });
  });

  it('looks the link up before hashing anything: a guessed token costs no hash', async () => {
    await invite();
    const hash = vi.spyOn(passwords, 'hashPassword');
    await expect(setPasswordWithToken(t.db, 'B'.repeat(43), PASSWORD)).rejects.toThrow(InvalidPasswordTokenError);
    expect(hash).not.toHaveBeenCalled();
    hash.mockRestore();
  });

  it('forgives the failed sign-ins of the account whose password is reset', async () => {
    const { person, link } = await invite();
    await setPasswordWithToken(t.db, link.token, PASSWORD);
    for (let i = 0; i < 12; i++) await authenticateWithPassword(t.db, 'nadia@example.test', 'wrong', `198.51.100.${i}`);
    await expect(authenticateWithPassword(t.db, 'nadia@example.test', PASSWORD, '198.51.100.50')).resolves.toMatchObject({ reason: 'rate_limited' });
    const reset = await issuePasswordLink(t.db, admin, person.id);
    await setPasswordWithToken(t.db, reset.link.token, 'a brand new password');
    await expect(authenticateWithPassword(t.db, 'nadia@example.test', 'a brand new password', '198.51.100.50')).resolves.toMatchObject({ ok: true });
  });
});
