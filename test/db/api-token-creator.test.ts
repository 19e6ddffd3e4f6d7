import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiTokens, auditLog, executives } from '@/lib/db/schema';
import { createApiToken, verifyApiToken } from '@/lib/data/api-tokens';
import { deactivatePerson, reactivatePerson, updatePerson } from '@/lib/data/people';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

describe.each(DATABASE_TARGETS)('an API token whose creator loses admin rights, on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(() => t.reset());
  afterAll(() => t?.close());

  async function adminWithToken() {
    const [admin, boss] = await t.db
      .insert(executives)
      .values([
        { name: 'Ada Admin', email: 'ada@example.test', title: 'CCO', powerCore: 'customer', role: 'admin' },
        { name: 'Bo Boss', email: 'bo@example.test', title: 'CEO', powerCore: 'operations', role: 'admin' },
      ])
      .returning();
    const { token, apiToken } = await createApiToken(t.db, { id: admin.id, name: admin.name, role: 'admin' }, 'CRM sync');
    expect(await verifyApiToken(t.db, token)).not.toBeNull();
    const me = { id: boss.id, name: boss.name, role: 'admin' as const };
    const asRole = (role: 'admin' | 'executive' | 'viewer') =>
      updatePerson(t.db, me, { id: admin.id, name: admin.name, title: admin.title, powerCore: admin.powerCore, role });
    return { admin, me, token, tokenId: apiToken.id, asRole };
  }

  async function revocationEntries(tokenId: number) {
    return t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'api_token'), eq(auditLog.entityId, String(tokenId)), eq(auditLog.action, 'revoke')));
  }

  it('stops working when the creator is deactivated', async () => {
    const { admin, token } = await adminWithToken();
    await t.db.update(executives).set({ isActive: false }).where(eq(executives.id, admin.id));
    expect(await verifyApiToken(t.db, token)).toBeNull();
  });

  it('stops working when the creator is no longer an admin', async () => {
    const { admin, token } = await adminWithToken();
    await t.db.update(executives).set({ role: 'executive' }).where(eq(executives.id, admin.id));
    expect(await verifyApiToken(t.db, token)).toBeNull();
  });

  it('stays revoked when the creator is made an admin again, with the revocation audited', async () => {
    const { me, token, tokenId, asRole } = await adminWithToken();
    await asRole('executive');
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, tokenId));
    expect(row.revokedAt).not.toBeNull();
    await asRole('admin');
    expect(await verifyApiToken(t.db, token)).toBeNull();

    const entries = await revocationEntries(tokenId);
    expect(entries).toHaveLength(1);
    expect(entries[0].actorId).toBe(me.id);
    expect(entries[0].after).toMatchObject({ name: 'CRM sync', revoked: true, reason: 'Ada Admin is no longer an admin' });
  });

  it('stays revoked when the creator is deactivated and reactivated, with the revocation audited', async () => {
    const { admin, me, token, tokenId } = await adminWithToken();
    await deactivatePerson(t.db, me, admin.id);
    await reactivatePerson(t.db, me, admin.id);
    expect(await verifyApiToken(t.db, token)).toBeNull();
    const entries = await revocationEntries(tokenId);
    expect(entries).toHaveLength(1);
    expect(entries[0].after).toMatchObject({ reason: 'Ada Admin was deactivated' });
  });

  it('keeps working when an admin only changes their title', async () => {
    const { admin, me, token } = await adminWithToken();
    await updatePerson(t.db, me, { id: admin.id, name: admin.name, title: 'Chief Customer Officer', powerCore: admin.powerCore, role: 'admin' });
    expect(await verifyApiToken(t.db, token)).not.toBeNull();
  });
});
