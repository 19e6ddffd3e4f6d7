import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { authSessions, executives } from '@/lib/db/schema';
import { endSession, liveSession, startSession } from '@/lib/auth/sessions';
import { SESSION_LIFETIME_SECONDS } from '@/lib/auth/session-token';
import { queryRows } from '@/lib/db/sql';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

describe.each(DATABASE_TARGETS)('server-side sessions on %s', (target) => {
  let t: TestDatabase;
  let executiveId: number;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(async () => {
    await t.reset();
    const [row] = await t.db
      .insert(executives)
      .values({ name: 'Tom Brennan', email: 'tom@example.test', title: 'COO', powerCore: 'operations', role: 'executive' })
      .returning();
    executiveId = row.id;
  });
  afterAll(() => t?.close());

  const isLive = async (id: string) => (await t.db.select().from(authSessions).where(liveSession(id))).length === 1;

  it('starts a session that lasts 12 hours from sign-in, with an unguessable id', async () => {
    const session = await startSession(t.db, executiveId);
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await isLive(session.id)).toBe(true);
    const [{ seconds }] = await queryRows<{ seconds: number }>(
      t.db,
      sql`select extract(epoch from expires_at - created_at)::int as seconds from auth_sessions`,
    );
    expect(seconds).toBe(SESSION_LIFETIME_SECONDS);
  });

  it('ends a session at sign-out, leaving the person’s other sessions alive', async () => {
    const laptop = await startSession(t.db, executiveId);
    const phone = await startSession(t.db, executiveId);
    await endSession(t.db, laptop.id);
    expect(await isLive(laptop.id)).toBe(false);
    expect(await isLive(phone.id)).toBe(true);
  });

  it('refuses a session past its 12 hours, and an unknown id', async () => {
    const session = await startSession(t.db, executiveId);
    await t.db.execute(sql`update auth_sessions set expires_at = now() - interval '1 second'`);
    expect(await isLive(session.id)).toBe(false);
    expect(await isLive('not-a-session')).toBe(false);
  });
});
