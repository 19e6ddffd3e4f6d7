import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatCsvRows } from '@/lib/csv/export';
import { checkCsv } from '@/lib/csv/records';
import { CLI_ACTOR } from '@/lib/data/audit';
import { checkStaged, FIRST_LOAD_ROWS, loadCsv, stageCsv } from '@/lib/data/bulk-load';
import { importCsv } from '@/lib/data/import-csv';
import { rebuildRollups, ROLLUP_TABLES } from '@/lib/data/rollups';
import { queryRows } from '@/lib/db/sql';
import { RECORD_COLUMNS, type RecordKind } from '@/lib/validation/records';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

/**
 * Imports judge rows in SQL (lib/data/bulk-sql); the per-record rules live in zod
 * (lib/validation/records) for the API and the form. The two must agree on every problem:
 * the same rows, columns and messages, for files full of what real spreadsheets hold.
 */

const header = (kind: RecordKind) => RECORD_COLUMNS[kind].join(',');
const file = (kind: RecordKind, rows: string[][]) => `${header(kind)}\n${formatCsvRows(rows)}`;
const long = (n: number) => 'x'.repeat(n);

const CUSTOMERS = file('customers', [
  ['C1', 'Alpha', 'SMB', '2024-01-10', '', '100', ''],
  ['C2', '', '', '2024-02-30', '', '', ''],
  ['C3', '', '', '2023-02-29', '2024-02-29', '', ''],
  ['C4', '', '', '2024-02-29', '2024-02-28', '-5', ''],
  ['C1', '', '', '2024-01-01', '', '12.345', ''],
  ['', '', '', '', '', 'abc', ''],
  ['C5', long(2001), long(201), '0099-01-01', '24-01-01', '1234567890123', long(2001)],
  ['  C6  ', ' n ', '', ' 2024-03-01 ', '2024-13-01', ' 1.5 ', ''],
  ['C7', '', '', '1900-02-29', '2000-02-29', '0.1', ''],
  ['C1', '', '', '2024-04-31', '', '', ''],
  [long(201), '', '', '2024-01-01', '', '', ''],
  ['C8', '', '', '2100-02-29', '', '.5', ''],
  ['C9', '', '', '0100-01-01', '2024-06-31', '1.', ''],
  ['C10', '', '', '2024-1-01', '2000-02-29', '0001.00', ''],
  ['C11', '', '', '２０２４-01-01', '2024-00-10', '+1', ''],
  ['C12', '', '', '2024-12-31', '2025-01-00', '123456789012.99', ''],
]);

const RESPONSES = file('responses', [
  ['R1', '', '2024-01-01', '10', '', ''],
  ['R2', 'C1', '2024-01-01', '11', long(201), long(2001)],
  ['R3', '', '2024-01-01', ' 7 ', '', ''],
  ['R4', '', '2024-01-01', '7.5', '', ''],
  ['R5', '', '', '', '', ''],
  ['R1', long(201), '2024/01/01', '-1', '', ''],
  ['R6', '', '2000-02-29', '05', '', ''],
  ['R7', '', '2024-02-29', '010', '', ''],
  ['R8', '', '2024-12-31', '٣', '', ''],
  ['R9', '', '2024-12-32', '1 0', '', ''],
]);

const SPOT_FIXES = file('spot-fixes', [
  ['S1', '2024-01-01', 'Late', 'Discount', '10', '', '', ''],
  ['S2', '2024-01-01', '   ', 'gift', '10.5', '', '', ''],
  ['S3', '2024-01-01', long(501), ' MEETING ', '-0.01', '', long(201), long(2001)],
  ['S4', '', '', '', '', '', '', ''],
  ['S1', '2024-01-01', 'x', 'other', '1e3', '', '', ''],
  ['S5', '2024-02-29', 'y', 'other', '1234567890123.9', '', '', ''],
  ['S6', '2024-06-30', 'z', 'other', '12.3.4', '', '', ''],
]);

describe.each(DATABASE_TARGETS)('SQL checks agree with the record schema on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(() => t.reset());
  afterAll(() => t?.close());

  it.each([
    ['customers', CUSTOMERS],
    ['responses', RESPONSES],
    ['spot-fixes', SPOT_FIXES],
  ] as const)('lists the same problems as the schema for %s', async (kind, text) => {
    const reference = await checkCsv(kind, text);
    expect(reference.problems.length).toBeGreaterThan(5);
    const result = await importCsv(t.db, kind, () => text, CLI_ACTOR);
    expect(result).toEqual({ ok: false, problems: reference.problems, moreProblems: 0 });
    const [count] = await queryRows<{ n: number }>(t.db, sql`select (select count(*) from customers) + (select count(*) from survey_responses) + (select count(*) from spot_fixes) as n`);
    expect(Number(count.n)).toBe(0);
  });

  it('checks a file of many COPY batches as the schema does: every problem once, and every valid row counted', async () => {
    // ~9 MB: several batches on either driver, each checked while the next is read.
    const rows = Array.from({ length: 250_000 }, (_, i) => [
      `R${i}`,
      i % 3 ? '' : `C${i % 5000}`,
      i % 997 === 0 ? '2024-02-30' : '2024-01-01',
      i % 1999 === 0 ? '11' : String(i % 11),
      '',
      '',
    ]);
    // Repeated ids, one on a row with problems of its own (still one bad row).
    rows.push(['R5', '', '2024-01-02', '3', '', ''], ['R997', '', 'soon', '3', '', '']);
    rows.splice(123_456, 0, ['R1999', '', '2024-01-02', '12', '', '']);
    const text = file('responses', rows);
    for (const maxProblems of [100_000, 25]) {
      const reference = await checkCsv('responses', text, { maxProblems });
      expect(reference.problems.length).toBeGreaterThan(maxProblems === 25 ? 24 : 300);
      const check = await t.db
        .transaction(async (tx) => {
          const staged = await stageCsv(tx, 'responses', text, { independentSource: true });
          throw { check: await checkStaged(tx, 'responses', staged, maxProblems) };
        })
        .catch((thrown: { check?: unknown }) => {
          if (!thrown.check) throw thrown;
          return thrown.check;
        });
      expect(check).toEqual(reference);
    }
  });

  it('writes a large first load before building the table\'s keys and indexes: the same ones after, the rollups as a rebuild makes them', async () => {
    const tables = ['customers', 'survey_responses', 'spot_fixes'];
    const structure = async () => ({
      indexes: await queryRows(t.db, sql`select indexname, indexdef from pg_indexes where tablename = any(${sql.param(tables)}::text[]) order by 1`),
      keys: await queryRows(t.db, sql`select conname, pg_get_constraintdef(oid) as definition from pg_constraint
        where conrelid in ('customers'::regclass, 'survey_responses'::regclass, 'spot_fixes'::regclass) order by 1`),
    });
    const before = await structure();
    expect(before.indexes.length).toBeGreaterThan(6);
    const n = FIRST_LOAD_ROWS;
    const day = (i: number) => `202${i % 5}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const files = {
      customers: file('customers', Array.from({ length: n }, (_, i) => [`C${i}`, '', i % 3 ? 'SMB' : 'Enterprise', '2019-06-01', i % 4 ? '' : day(i), `${i % 500}.25`, i % 4 ? '' : 'price'])),
      responses: file('responses', Array.from({ length: n }, (_, i) => [`R${i}`, i % 5 ? `C${(i * 7) % n}` : '', day(i), String(i % 11), i % 2 ? 'web' : '', ''])),
      'spot-fixes': file('spot-fixes', Array.from({ length: n }, (_, i) => [`S${i}`, day(i), `Issue ${i % 40}`, 'discount', `${i % 90}.10`, '', i % 3 ? 'Billing' : '', ''])),
    } as const;

    // A first load that fails once its rows are written leaves the table, its keys and indexes as they were.
    await expect(
      t.db.transaction(async (tx) => {
        expect(await loadCsv(tx, 'customers', files.customers)).toMatchObject({ ok: true, counts: { added: n } });
        throw new Error('the connection dropped');
      }),
    ).rejects.toThrow('the connection dropped');
    expect(await structure()).toEqual(before);

    for (const kind of ['customers', 'responses', 'spot-fixes'] as const) {
      const result = await importCsv(t.db, kind, () => files[kind], CLI_ACTOR);
      expect(result, JSON.stringify(result).slice(0, 300)).toMatchObject({ ok: true, summary: { added: n } });
    }
    expect(await structure()).toEqual(before);
    // The keys hold again: the table itself refuses a repeated id.
    await expect(t.db.execute(sql`insert into customers (customer_id, acquired_on) values ('C1', '2024-01-01')`)).rejects.toThrow();
    const rollups = async () => {
      const dump: Record<string, unknown> = {};
      for (const table of new Set(Object.values(ROLLUP_TABLES).flat())) {
        dump[table] = await queryRows(t.db, sql`select to_json(r)::text as row from ${sql.identifier(table)} r order by 1`);
      }
      return dump;
    };
    const loaded = await rollups();
    expect(Object.values(loaded).every((rows) => (rows as unknown[]).length > 0)).toBe(true);
    await rebuildRollups(t.db);
    expect(await rollups()).toEqual(loaded);
    // Loaded again, through the indexes now: nothing changes.
    expect(await importCsv(t.db, 'customers', () => files.customers, CLI_ACTOR)).toMatchObject({ ok: true, summary: { unchanged: n } });
  }, 120_000);

  it('keeps the first problems and counts the rest', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`R${i}`, '', 'not a date', '99', '', '']);
    const result = await importCsv(t.db, 'responses', () => file('responses', rows), CLI_ACTOR, { maxProblems: 7 });
    expect(result).toMatchObject({ ok: false, moreProblems: 53 });
    if (!result.ok) expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'responded_on'], [2, 'score'], [3, 'responded_on'], [3, 'score'], [4, 'responded_on'], [4, 'score'], [5, 'responded_on'],
    ]);
  });

  it('refuses a new acquisition date after a churn date the file leaves in place', async () => {
    expect(await importCsv(t.db, 'customers', () => 'customer_id,acquired_on,churned_on\nC1,2024-01-01,2024-03-01\n', CLI_ACTOR)).toMatchObject({ ok: true });
    const result = await importCsv(t.db, 'customers', () => 'customer_id,acquired_on\nC1,2024-04-01\n', CLI_ACTOR);
    expect(result).toEqual({
      ok: false,
      problems: [{ row: 2, column: 'acquired_on', message: 'must not be after churned_on (2024-03-01), already loaded for this customer' }],
      moreProblems: 0,
    });
  });

  it('stores values as the form and the API would: trimmed, money to two places, category in lower case, the issue as written', async () => {
    const ok = await importCsv(
      t.db,
      'spot-fixes',
      () => file('spot-fixes', [['  S9 ', ' 2024-01-02 ', '  Late  Delivery ', ' Discount ', ' 12.5 ', ' C1 ', ' web ', ' n ']]),
      CLI_ACTOR,
    );
    expect(ok).toMatchObject({ ok: true, summary: { added: 1 } });
    const [row] = await queryRows<Record<string, string>>(
      t.db,
      sql`select sf.spot_fix_id, sf.occurred_on::text as occurred_on, sf.issue, sf.issue_key, sf.category, sf.cost::text as cost, sf.customer_id,
            sf.journey_stage, sf.note, ri.label
          from spot_fixes sf join recurring_issues ri using (issue_key)`,
    );
    expect(row).toEqual({
      spot_fix_id: 'S9', occurred_on: '2024-01-02', issue: '  Late  Delivery ', issue_key: 'late delivery', category: 'discount',
      cost: '12.50', customer_id: 'C1', journey_stage: 'web', note: 'n', label: 'Late  Delivery',
    });
  });
});
