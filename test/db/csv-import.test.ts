import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatCsvRows } from '@/lib/csv/export';
import { CLI_ACTOR } from '@/lib/data/audit';
import { exportCsv, exportCsvChunks } from '@/lib/data/export';
import { importCsv, importCsvFile } from '@/lib/data/import-csv';
import type { Db } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { RECORD_COLUMNS, RECORD_KINDS, type RecordKind } from '@/lib/validation/records';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

const FIXTURES = path.join(__dirname, '../fixtures');
const fixture = (kind: RecordKind) => path.join(FIXTURES, `${kind}.csv`);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-csv-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeTemp(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

async function exportText(db: Db, kind: RecordKind): Promise<string> {
  let text = '';
  for await (const chunk of exportCsvChunks(db, kind)) text += chunk;
  return text;
}

/** Everything a CSV import could touch, as text: the three exports, the audit log and the data version. */
async function snapshot(db: Db): Promise<string> {
  const exports = await Promise.all(RECORD_KINDS.map((kind) => exportText(db, kind)));
  const [state] = await queryRows<{ audits: number; version: number; issues: number }>(
    db,
    sql`select (select count(*)::int from audit_log) as audits, (select data_version from organisation) as version,
      (select count(*)::int from recurring_issues) as issues`,
  );
  return JSON.stringify({ exports, state });
}

async function importFixtures(db: Db) {
  for (const kind of RECORD_KINDS) {
    const result = await importCsvFile(db, kind, fixture(kind), CLI_ACTOR);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
  }
}

const CUSTOMER_HEADER = RECORD_COLUMNS.customers.join(',');
const customerRows = (count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return [`C${String(n).padStart(7, '0')}`, `Customer ${n}`, n % 3 ? 'SMB' : 'Enterprise', '2024-01-15', n % 10 ? '' : '2024-06-30', `${n % 1000}.${n % 100}`, n % 10 ? '' : 'Price, "mostly"'];
  });

describe.each(DATABASE_TARGETS)('CSV import and export on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(() => t.reset());
  afterAll(() => t?.close());

  it('imports the fixtures: BOM, CRLF, quoted commas and newlines, unicode, swapped and absent optional columns', async () => {
    const customers = await importCsvFile(t.db, 'customers', fixture('customers'), CLI_ACTOR);
    expect(customers).toEqual({ ok: true, summary: { kind: 'customers', rows: 4, added: 4, changed: 0, unchanged: 0 } });
    const rows = await queryRows<Record<string, string | null>>(
      t.db,
      sql`select customer_id, name, churn_reason, monthly_value::text as value from customers order by customer_id`,
    );
    expect(rows).toEqual([
      { customer_id: 'C001', name: 'Zoë, "VIP"', churn_reason: null, value: '1250.50' },
      { customer_id: 'C002', name: 'Acme Ltd', churn_reason: 'Price went up,\r\nsupport was slow', value: '99.00' },
      { customer_id: 'C003', name: 'Brand—New', churn_reason: null, value: null },
      { customer_id: 'C004', name: 'Dup Free', churn_reason: 'Moved', value: '0.00' },
    ]);
    const responses = await importCsvFile(t.db, 'responses', fixture('responses'), CLI_ACTOR);
    expect(responses).toMatchObject({ ok: true, summary: { rows: 3, added: 3 } });
    const spotFixes = await importCsvFile(t.db, 'spot-fixes', fixture('spot-fixes'), CLI_ACTOR);
    expect(spotFixes).toMatchObject({ ok: true, summary: { rows: 3, added: 3 } });
    expect(await exportText(t.db, 'responses')).toBe(
      'response_id,customer_id,responded_on,score,touchpoint,comment\n' +
        'R001,C001,2024-01-10,10,,"Loved it, ""best"" support"\n' +
        'R002,C002,2024-02-11,6,,\n' +
        'R003,C001,2024-03-12,9,,"Line one\nline two"\n',
    );
    expect(await exportText(t.db, 'spot-fixes')).toBe(
      'spot_fix_id,occurred_on,issue,category,cost,customer_id,journey_stage,note\n' +
        'S001,2024-01-05,Late delivery,discount,120.00,C001,delivery,\n' +
        'S002,2024-02-07, late  DELIVERY ,free_offering,80.00,C002,,"Gave a voucher, ""sorry"""\n' +
        'S003,2024-02-09,Billing error,staff_time,45.50,C003,billing,\n',
    );
  });

  it('rejects a file whole for one bad row deep inside, naming its row, column and reason, and changes nothing', async () => {
    await importFixtures(t.db);
    const before = await snapshot(t.db);
    const rows = customerRows(2000);
    rows[1498][3] = '2024-02-30'; // spreadsheet row 1500: the header is row 1
    const file = writeTemp('deep.csv', `${CUSTOMER_HEADER}\n${formatCsvRows(rows)}`);
    const result = await importCsvFile(t.db, 'customers', file, CLI_ACTOR);
    expect(result).toEqual({
      ok: false,
      problems: [{ row: 1500, column: 'acquired_on', message: '"2024-02-30" is not a date (YYYY-MM-DD)' }],
      moreProblems: 0,
    });
    expect(await snapshot(t.db)).toBe(before);
  });

  it('lists every bad row, numbering rows as a spreadsheet does when a field spans lines', async () => {
    await importFixtures(t.db);
    const before = await snapshot(t.db);
    const text =
      'spot_fix_id,occurred_on,issue,category,cost,customer_id,note\n' +
      'S10,2024-01-01,Late delivery,meeting,10,C1,"a note\nover three\nlines"\n' +
      'S11,2024-01-02,Late delivery,lunch,10,C1,\n' +
      'S12,2024-01-03,,meeting,-5,C1,\n' +
      'S13,2024-01-04,Late delivery,meeting,10\n' +
      'S10,2024-01-05,Late delivery,meeting,10,C1,\n';
    const result = await importCsvFile(t.db, 'spot-fixes', writeTemp('several.csv', text), CLI_ACTOR);
    expect(result).toEqual({
      ok: false,
      problems: [
        { row: 3, column: 'category', message: '"lunch" is not one of meeting, free_offering, discount, staff_time, pr_recovery, other' },
        { row: 4, column: 'issue', message: 'is required' },
        { row: 4, column: 'cost', message: 'must not be negative' },
        { row: 5, column: null, message: 'has 5 fields but the header has 7' },
        { row: 6, column: 'spot_fix_id', message: '"S10" is already on row 2' },
      ],
      moreProblems: 0,
    });
    expect(await snapshot(t.db)).toBe(before);
  });

  it('rejects a header with a missing required column or an unknown column', async () => {
    const before = await snapshot(t.db);
    const missing = await importCsvFile(t.db, 'responses', writeTemp('missing.csv', 'response_id,customer_id,score\nR1,C1,9\n'), CLI_ACTOR);
    expect(missing).toEqual({
      ok: false,
      problems: [{ row: 1, column: 'responded_on', message: 'required column is missing from the header' }],
      moreProblems: 0,
    });
    const unknown = await importCsvFile(t.db, 'customers', writeTemp('unknown.csv', 'customer_id,acquired_on,email\nC1,2024-01-01,a@b.c\n'), CLI_ACTOR);
    expect(unknown).toMatchObject({ ok: false, problems: [{ row: 1, column: 'email', message: expect.stringContaining('is not a known column') }] });
    expect(await snapshot(t.db)).toBe(before);
  });

  it('is idempotent: importing the same file again leaves every row unchanged', async () => {
    await importFixtures(t.db);
    const exported = await snapshot(t.db);
    for (const kind of RECORD_KINDS) {
      const again = await importCsvFile(t.db, kind, fixture(kind), CLI_ACTOR);
      expect(again).toMatchObject({ ok: true, summary: { added: 0, changed: 0 } });
      if (again.ok) expect(again.summary.unchanged).toBe(again.summary.rows);
    }
    expect(JSON.parse(await snapshot(t.db)).exports).toEqual(JSON.parse(exported).exports);
  });

  it('round-trips losslessly: import, export, import reports all unchanged, and export, import, export is byte-identical', async () => {
    await importFixtures(t.db);
    const first: Record<string, string> = {};
    for (const kind of RECORD_KINDS) {
      const file = path.join(tmp, `export-${target}-${kind}.csv`);
      const out = fs.createWriteStream(file);
      await exportCsv(t.db, kind, out);
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      first[kind] = fs.readFileSync(file, 'utf8');
      const again = await importCsvFile(t.db, kind, file, CLI_ACTOR);
      expect(again).toMatchObject({ ok: true, summary: { added: 0, changed: 0, unchanged: again.ok ? again.summary.rows : -1 } });
    }
    expect(first.customers.startsWith(`${CUSTOMER_HEADER}\n`)).toBe(true);
    expect(first.customers).not.toContain('\uFEFF');

    await t.reset();
    for (const kind of RECORD_KINDS) {
      const result = await importCsv(t.db, kind, () => first[kind], CLI_ACTOR);
      expect(result).toMatchObject({ ok: true });
      expect(await exportText(t.db, kind)).toBe(first[kind]);
    }
  });

  it('reads the file once, so what is checked is what is written', async () => {
    const good = `${CUSTOMER_HEADER}\nC1,,,2024-01-01,,,\nC2,,,2024-01-01,,,\n`;
    const bad = `${CUSTOMER_HEADER}\nC1,,,2024-01-01,,,\nC2,,,2024-01-99,,,\n`;
    const reads = [bad, good];
    const result = await importCsv(t.db, 'customers', () => reads.shift()!, CLI_ACTOR);
    expect(result).toMatchObject({ ok: false, problems: [{ row: 3, column: 'acquired_on' }] });
    expect(reads).toEqual([good]);
    const [count] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from customers`);
    expect(count.n).toBe(0);
  });

  it('fails loudly for a file that cannot be read', async () => {
    await expect(importCsvFile(t.db, 'customers', path.join(tmp, 'no-such.csv'), CLI_ACTOR)).rejects.toThrow(/ENOENT/);
  });

  it('exports through a slow writable in pages, in id order, without ending it', async () => {
    const file = writeTemp('many.csv', `${CUSTOMER_HEADER}\n${formatCsvRows(customerRows(12_345).reverse())}`);
    expect(await importCsvFile(t.db, 'customers', file, CLI_ACTOR)).toMatchObject({ ok: true, summary: { added: 12_345 } });
    let text = '';
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk, _encoding, done) {
        text += chunk.toString();
        setImmediate(done);
      },
    });
    expect(await exportCsv(t.db, 'customers', slow)).toBe(12_345);
    expect(slow.writableEnded).toBe(false);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(12_346);
    expect(lines[1].startsWith('C0000001,')).toBe(true);
    expect(lines[12_345].startsWith('C0012345,')).toBe(true);
    expect(text).toBe(`${CUSTOMER_HEADER}\n${formatCsvRows(customerRows(12_345).map((r) => r.map((v, i) => (i === 5 ? money(v) : v))))}`);
  });
});

/** "12.5" → "12.50", as the database gives money back. */
const money = (value: string) => {
  const [whole, fraction = ''] = value.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
};
