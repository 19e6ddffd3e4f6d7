import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStaged, stageCsv } from '@/lib/data/bulk-load';
import { queryRows } from '@/lib/db/sql';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

/**
 * An import's memory on embedded PGlite lives in this process, and its WebAssembly heap never
 * shrinks: PGlite starts with smaller shared buffers, and an import's transaction holds less in
 * work_mem there than on the server (timing and memory themselves are measured, not tested).
 */

const setting = async (q: TestDatabase['db'], name: string) =>
  (await queryRows<{ setting: string }>(q, sql`select current_setting(${name}) as setting`))[0].setting;

describe.each(DATABASE_TARGETS)('import memory settings on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.runIf(target === 'pglite')('starts PGlite with 64 MB of shared buffers and its own start settings kept', async () => {
    expect(await setting(t.db, 'shared_buffers')).toBe('64MB');
    expect(await setting(t.db, 'max_worker_processes')).toBe('0');
    expect(await setting(t.db, 'search_path')).toBe('public');
  });

  it('scopes the import’s work_mem to its transaction', async () => {
    // PGlite's one connection gets a session value unlike the 4 MB the import sets, so its coming
    // back shows (a server pool's connections keep the default).
    if (target === 'pglite') await t.db.execute(sql`set work_mem = '1MB'`);
    const before = await setting(t.db, 'work_mem');
    const inside = await t.db.transaction(async (tx) => {
      await stageCsv(tx, 'customers', Readable.from(['customer_id,acquired_on\nC1,2024-01-01\n']));
      return setting(tx, 'work_mem');
    });
    expect(inside).toBe(target === 'pglite' ? '4MB' : '64MB');
    expect(inside).not.toBe(before);
    expect(await setting(t.db, 'work_mem')).toBe(before);
    if (target === 'pglite') await t.db.execute(sql`reset work_mem`);
  });

  it('stages a row longer than a COPY buffer, between ordinary rows, with its row number', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `C${i},Customer ${i},2024-01-01`);
    rows[20_000] = `C20000,${'x'.repeat(500_000)},2024-01-01`;
    // Staged and checked only: nothing is merged, and the staging table goes with the transaction.
    const check = await t.db.transaction(async (tx) => {
      const file = await stageCsv(tx, 'customers', `customer_id,name,acquired_on\n${rows.join('\n')}\n`);
      return { staged: file.staged, ...(await checkStaged(tx, 'customers', file)) };
    });
    expect(check).toEqual({ staged: 30_000, records: 29_999, moreProblems: 0, problems: [{ row: 20_002, column: 'name', message: 'must be at most 2000 characters' }] });
  });
});
