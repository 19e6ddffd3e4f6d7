import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError } from '@/lib/auth/permissions';
import type { Db } from '@/lib/db';
import { executives } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { applyImport, cancelImport, createImport, ImportAbortedError, ImportStateError, stageImportChunk, validateImport, type DataWriter } from '@/lib/data/imports';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

async function makeWriter(db: Db, name = 'Ada Admin'): Promise<DataWriter> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.test`;
  const [row] = await db.insert(executives).values({ name, email, title: 'CCO', powerCore: 'customer', role: 'admin' }).returning();
  return { actor: { executiveId: row.id, label: row.name }, canImport: true };
}

/** Splits bytes into chunks of `size`, as File.slice does in the browser: anywhere, even inside a character. */
function slices(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function stageFile(db: Db, writer: DataWriter, kind: 'customers' | 'responses' | 'spot-fixes', text: string, size = 7) {
  const bytes = Buffer.from(text, 'utf8');
  const chunks = slices(bytes, size);
  const started = await createImport(db, writer, { kind, fileName: 'file.csv', size: bytes.length, chunks: chunks.length });
  // Out of order and one sent twice: staging is by chunk index and idempotent.
  const order = chunks.map((_, i) => i).reverse();
  for (const i of [...order, 0]) await stageImportChunk(db, writer, started.id, i, chunks[i]);
  return started.id;
}

const counts = async (db: Db) =>
  (
    await queryRows<{ customers: number; stages: number; audits: number }>(
      db,
      sql`select (select count(*)::int from customers) as customers, (select count(*)::int from import_stages) as stages,
                 (select count(*)::int from audit_log) as audits`,
    )
  )[0];

describe.each(DATABASE_TARGETS)('browser imports on %s', (target) => {
  let t: TestDatabase;
  let writer: DataWriter;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(async () => {
    await t.reset();
    writer = await makeWriter(t.db);
  });
  afterAll(() => t?.close());

  const good =
    '\uFEFFcustomer_id,name,acquired_on,churned_on,monthly_value\r\n' +
    'C1,"Zoë, ""the"" first\nof her name",2024-01-05,,10.5\r\n' +
    'C2,Émile,2024-02-01,2024-03-01,20\r\n';

  it('reassembles chunks split inside quoted newlines and UTF-8 characters, checks them, and applies them in one go', async () => {
    const id = await stageFile(t.db, writer, 'customers', good, 5);
    const progress: number[] = [];
    const checked = await validateImport(t.db, writer, id, { onProgress: (p) => progress.push(p.row) });
    expect(checked).toMatchObject({ state: 'staging', checkedRecords: 2, problems: [] });
    expect((await counts(t.db)).customers).toBe(0);

    const applied = await applyImport(t.db, writer, id);
    expect(applied).toMatchObject({ state: 'applied', result: { kind: 'customers', rows: 2, added: 2, changed: 0, unchanged: 0 } });
    const rows = await queryRows<{ id: string; name: string; value: string }>(
      t.db,
      sql`select customer_id as id, name, monthly_value::text as value from customers order by customer_id`,
    );
    expect(rows).toEqual([
      { id: 'C1', name: 'Zoë, "the" first\nof her name', value: '10.50' },
      { id: 'C2', name: 'Émile', value: '20.00' },
    ]);
    const after = await counts(t.db);
    expect(after.stages).toBe(0);
    const [audit] = await queryRows<{ action: string; entity: string; actor: string }>(
      t.db,
      sql`select action, entity, actor_label as actor from audit_log`,
    );
    expect(audit).toEqual({ action: 'import', entity: 'customers', actor: 'Ada Admin' });

    // Applying again (a retried request) changes nothing and answers with the same summary.
    expect(await applyImport(t.db, writer, id)).toMatchObject({ state: 'applied', result: applied.result });
    expect((await counts(t.db)).audits).toBe(1);

    // The same file again, as a new import: idempotent by id.
    const again = await stageFile(t.db, writer, 'customers', good, 64);
    await validateImport(t.db, writer, again);
    expect((await applyImport(t.db, writer, again)).result).toMatchObject({ added: 0, changed: 0, unchanged: 2 });
  });

  it('rejects a file with a bad row, lists every problem as a spreadsheet numbers rows, writes nothing and drops the staging', async () => {
    const bad =
      'customer_id,name,acquired_on,churned_on\n' +
      'C1,"two\nlines",2024-01-05,\n' +
      'C2,ok,2024-13-01,\n' +
      'C3,ok,2024-03-01,2024-02-01\n' +
      'C1,again,2024-01-05,\n';
    const id = await stageFile(t.db, writer, 'customers', bad);
    const checked = await validateImport(t.db, writer, id);
    expect(checked.state).toBe('rejected');
    expect(checked.problems).toEqual([
      { row: 3, column: 'acquired_on', message: '"2024-13-01" is not a date (YYYY-MM-DD)' },
      { row: 4, column: 'churned_on', message: 'must not be before acquired_on' },
      { row: 5, column: 'customer_id', message: '"C1" is already on row 2' },
    ]);
    expect(await counts(t.db)).toMatchObject({ customers: 0, stages: 0 });
    await expect(applyImport(t.db, writer, id)).rejects.toBeInstanceOf(ImportStateError);
    expect((await counts(t.db)).customers).toBe(0);
  });

  it('refuses to check a file whose chunks have not all arrived, and to apply one not checked', async () => {
    const bytes = Buffer.from(good);
    const started = await createImport(t.db, writer, { kind: 'customers', size: bytes.length, chunks: 2 });
    await stageImportChunk(t.db, writer, started.id, 1, bytes.subarray(40));
    await expect(validateImport(t.db, writer, started.id)).rejects.toThrow('Chunks 0 of the file have not arrived');
    await stageImportChunk(t.db, writer, started.id, 0, bytes.subarray(0, 40));
    await expect(applyImport(t.db, writer, started.id)).rejects.toThrow('Check the file before applying it');
    await expect(stageImportChunk(t.db, writer, started.id, 2, bytes)).rejects.toThrow('beyond the 2 chunks');
  });

  it('cancels: the import is marked cancelled, its chunks deleted, and later chunks are refused', async () => {
    const id = await stageFile(t.db, writer, 'customers', good);
    expect((await counts(t.db)).stages).toBeGreaterThan(0);
    expect((await cancelImport(t.db, writer, id)).state).toBe('cancelled');
    expect(await counts(t.db)).toMatchObject({ customers: 0, stages: 0 });
    await expect(stageImportChunk(t.db, writer, id, 0, Buffer.from('x'))).rejects.toThrow('cancelled');
    expect((await cancelImport(t.db, writer, id)).state).toBe('cancelled');
  });

  it('stops when the request is aborted: the transaction rolls back and the import can still be cancelled', async () => {
    const id = await stageFile(t.db, writer, 'customers', good);
    await validateImport(t.db, writer, id);
    await expect(applyImport(t.db, writer, id, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(ImportAbortedError);
    expect(await counts(t.db)).toMatchObject({ customers: 0, audits: 0 });
    expect((await cancelImport(t.db, writer, id)).state).toBe('cancelled');
    expect((await counts(t.db)).stages).toBe(0);
  });

  it('keeps imports to admins and tokens, and to whoever started them', async () => {
    const id = await stageFile(t.db, writer, 'customers', good);
    const viewer: DataWriter = { actor: writer.actor, canImport: false };
    await expect(validateImport(t.db, viewer, id)).rejects.toBeInstanceOf(ForbiddenError);
    const otherAdmin = await makeWriter(t.db, 'Other Admin');
    await expect(validateImport(t.db, otherAdmin, id)).rejects.toThrow('no such import');
  });
});
