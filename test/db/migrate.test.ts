import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/lib/db/sql';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

describe.each(DATABASE_TARGETS)('migrations on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  afterAll(() => t?.close());

  it('creates the three metrics and the organisation row', async () => {
    const rows = await queryRows<{ key: string }>(t.db, sql`select key from metrics order by key`);
    expect(rows.map((r) => r.key)).toEqual(['recommendation', 'retention', 'spot_fix_cost']);
    const org = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from organisation`);
    expect(org[0].n).toBe(1);
  });
});
