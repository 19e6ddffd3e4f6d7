import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCsvRows } from '@/lib/csv/export';
import { CLI_ACTOR } from '@/lib/data/audit';
import { exportCsv } from '@/lib/data/export';
import { importCsvFile } from '@/lib/data/import-csv';
import { queryRows } from '@/lib/db/sql';
import { RECORD_COLUMNS } from '@/lib/validation/records';
import { openTestDatabase, type TestDatabase } from '../support/databases';

const ROWS = 200_000;

/** Writes a customers CSV a page at a time, so the test itself never holds the file in memory. */
async function writeCustomers(file: string, count: number) {
  const out = fs.createWriteStream(file);
  out.write(`\uFEFF${RECORD_COLUMNS.customers.join(',')}\r\n`);
  for (let from = 1; from <= count; from += 10_000) {
    const rows = [];
    for (let n = from; n < Math.min(from + 10_000, count + 1); n++) {
      rows.push([`C${String(n).padStart(7, '0')}`, `Customer "${n}", Ltd`, n % 3 ? 'SMB' : 'Enterprise', '2023-03-01', n % 5 ? '' : '2024-09-30', `${n % 500}.25`, n % 5 ? '' : 'Too expensive']);
    }
    if (!out.write(formatCsvRows(rows))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe('a large CSV import on PGlite', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-csv-large-'));
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`imports ${ROWS.toLocaleString('en')} customers in one transaction, streamed, then exports them all`, async () => {
    const file = path.join(dir, 'customers.csv');
    await writeCustomers(file, ROWS);
    let peakHeap = 0;
    const started = performance.now();
    const result = await importCsvFile(t.db, 'customers', file, CLI_ACTOR, {
      onProgress: () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)),
    });
    const seconds = (performance.now() - started) / 1000;
    console.info(`imported ${ROWS} customers in ${seconds.toFixed(1)} s, peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MiB`);
    expect(result).toEqual({ ok: true, summary: { kind: 'customers', rows: ROWS, added: ROWS, changed: 0, unchanged: 0 } });

    const [counts] = await queryRows<{ n: number; churned: number; value: string }>(
      t.db,
      sql`select count(*)::int as n, count(churned_on)::int as churned, sum(monthly_value)::text as value from customers`,
    );
    const expectedValue = Array.from({ length: ROWS }, (_, i) => ((i + 1) % 500) * 100 + 25).reduce((a, b) => a + b, 0);
    expect(counts).toEqual({ n: ROWS, churned: ROWS / 5, value: (expectedValue / 100).toFixed(2) });

    const exported = path.join(dir, 'export.csv');
    const out = fs.createWriteStream(exported);
    expect(await exportCsv(t.db, 'customers', out)).toBe(ROWS);
    out.end();
    await once(out, 'finish');
    const original = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replaceAll('\r\n', '\n');
    expect(fs.readFileSync(exported, 'utf8')).toBe(original);
  }, 180_000);
});
