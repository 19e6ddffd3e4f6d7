import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executives } from '@/lib/db/schema';
import { createApiToken, verifyApiToken } from '@/lib/data/api-tokens';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

describe.each(DATABASE_TARGETS)('an API token whose creator loses admin rights, on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(() => t.reset());
  afterAll(() => t?.close());

  async function adminWithToken() {
    const [admin] = await t.db
      .insert(executives)
      .values({ name: 'Ada Admin', email: 'ada@example.test', title: 'CCO', powerCore: 'customer', role: 'admin' })
      .returning();
    const { token } = await createApiToken(t.db, { id: admin.id, name: admin.name, role: 'admin' }, 'CRM sync');
    expect(await verifyApiToken(t.db, token)).not.toBeNull();
    return { admin, token };
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
});
