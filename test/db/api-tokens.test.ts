import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError } from '@/lib/auth/permissions';
import type { Db } from '@/lib/db';
import { executives, type Role } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { createApiToken, hashApiToken, listApiTokens, revokeApiToken, verifyApiToken } from '@/lib/data/api-tokens';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

async function makeExecutive(db: Db, name: string, role: Role) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.test`;
  const [row] = await db.insert(executives).values({ name, email, title: 'Chief', powerCore: 'customer', role }).returning();
  return { id: row.id, name: row.name, role: row.role };
}

describe.each(DATABASE_TARGETS)('API tokens on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(() => t.reset());
  afterAll(() => t?.close());

  it('shows a new token once, stores only its SHA-256, and verifies it until it is revoked', async () => {
    const admin = await makeExecutive(t.db, 'Ada Admin', 'admin');
    const { token, apiToken } = await createApiToken(t.db, admin, 'CRM sync');
    expect(token).toMatch(/^cxs_[A-Za-z0-9_-]{43}$/);
    const stored = await queryRows<{ hash: string }>(t.db, sql`select token_hash as hash from api_tokens`);
    expect(stored).toEqual([{ hash: hashApiToken(token) }]);
    expect(JSON.stringify(await queryRows(t.db, sql`select * from audit_log`))).not.toContain(token);

    expect(await verifyApiToken(t.db, token)).toEqual({ id: apiToken.id, name: 'CRM sync', createdById: admin.id });
    const [listed] = await listApiTokens(t.db, admin);
    expect(listed).toMatchObject({ name: 'CRM sync', createdByName: 'Ada Admin', revokedAt: null });
    expect(listed.lastUsedAt).toBeInstanceOf(Date);

    expect(await revokeApiToken(t.db, admin, apiToken.id)).toBe(true);
    expect(await verifyApiToken(t.db, token)).toBeNull();
    expect((await listApiTokens(t.db, admin))[0].revokedAt).toBeInstanceOf(Date);
    const audit = await queryRows<{ action: string; entity: string }>(t.db, sql`select action, entity from audit_log order by id`);
    expect(audit).toEqual([
      { action: 'create', entity: 'api_token' },
      { action: 'revoke', entity: 'api_token' },
    ]);
  });

  it('refuses forged, malformed and unknown tokens', async () => {
    const admin = await makeExecutive(t.db, 'Ada Admin', 'admin');
    const { token } = await createApiToken(t.db, admin, 'Survey tool');
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const attempt of [forged, '', 'cxs_', token.slice(4), `${token} `, hashApiToken(token), `cxs_${'x'.repeat(43)}`]) {
      expect(await verifyApiToken(t.db, attempt)).toBeNull();
    }
  });

  it('lets only admins create, list and revoke tokens', async () => {
    const admin = await makeExecutive(t.db, 'Ada Admin', 'admin');
    const { apiToken } = await createApiToken(t.db, admin, 'Help desk');
    for (const role of ['executive', 'viewer'] as const) {
      const someone = await makeExecutive(t.db, `Some ${role}`, role);
      await expect(createApiToken(t.db, someone, 'Mine')).rejects.toBeInstanceOf(ForbiddenError);
      await expect(listApiTokens(t.db, someone)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(revokeApiToken(t.db, someone, apiToken.id)).rejects.toBeInstanceOf(ForbiddenError);
    }
    const [{ n }] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from api_tokens where revoked_at is null`);
    expect(n).toBe(1);
  });
});
