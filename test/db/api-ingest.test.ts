import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError } from '@/lib/auth/permissions';
import { executives } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { ingestRecords, type DataWriter } from '@/lib/data/imports';
import { MAX_INGEST_RECORDS, validateIngestBody } from '@/lib/validation/api';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

describe('validateIngestBody', () => {
  const customer = { customer_id: 'C1', acquired_on: '2024-01-05' };

  it('accepts SPEC records, with JSON numbers for money and scores', () => {
    const result = validateIngestBody('responses', [{ response_id: 'R1', customer_id: 'C1', responded_on: '2024-01-05', score: 9 }]);
    expect(result).toEqual({
      ok: true,
      // Keys left out stay out (the stored fields are left as they were); null clears.
      records: [{ response_id: 'R1', customer_id: 'C1', responded_on: '2024-01-05', score: 9 }],
    });
    const cleared = validateIngestBody('responses', [{ response_id: 'R1', responded_on: '2024-01-05', score: 9, comment: null }]);
    expect(cleared.ok && cleared.records[0]).toEqual({ response_id: 'R1', responded_on: '2024-01-05', score: 9, comment: null });
    const money = validateIngestBody('customers', [{ ...customer, monthly_value: 12.5 }]);
    expect(money.ok && money.records[0].monthly_value).toBe('12.50');
  });

  it('refuses a body that is not an array, and elements that are not objects', () => {
    expect(validateIngestBody('customers', customer)).toMatchObject({ ok: false, status: 400, problems: [] });
    expect(validateIngestBody('customers', [customer, null, 'C2', [customer]])).toMatchObject({
      ok: false,
      status: 400,
      problems: [
        { index: 1, field: null },
        { index: 2, field: null },
        { index: 3, field: null },
      ],
    });
  });

  it('names the index and field of every wrong type, out-of-range value and unknown field', () => {
    const result = validateIngestBody('spot-fixes', [
      { spot_fix_id: 'S1', occurred_on: '2024-01-05', issue: 'Late', category: 'meeting', cost: '10', customer_id: 'C1' },
      { spot_fix_id: 7, occurred_on: 20240105, issue: true, category: 'bribe', cost: -5, customer_id: 'C1', colour: 'red' },
      { spot_fix_id: 'S3', occurred_on: '2024-02-30', issue: 'Late', category: 'meeting', cost: '1.234', customer_id: 'C\u0000' },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const fields = result.problems.map((p) => `${p.index}:${p.field}`);
    expect(fields).toEqual(
      expect.arrayContaining(['1:colour', '1:spot_fix_id', '1:occurred_on', '1:issue', '1:category', '1:cost', '2:occurred_on', '2:cost', '2:customer_id']),
    );
    expect(fields.some((f) => f.startsWith('0:'))).toBe(false);
    const responses = validateIngestBody('responses', [{ response_id: 'R1', customer_id: 'C1', responded_on: '2024-01-05', score: 11 }]);
    expect(responses).toMatchObject({ ok: false, problems: [{ index: 0, field: 'score', message: '"11" is not a whole number from 0 to 10' }] });
  });

  it('refuses duplicate ids in one request, naming both indexes', () => {
    const result = validateIngestBody('customers', [customer, { customer_id: 'C2', acquired_on: '2024-01-05' }, { ...customer }]);
    expect(result).toMatchObject({ ok: false, problems: [{ index: 2, field: 'customer_id', message: '"C1" is already at index 0' }] });
  });

  it('answers 413 for more records than one request may carry', () => {
    const many = Array.from({ length: MAX_INGEST_RECORDS + 1 }, (_, i) => ({ ...customer, customer_id: `C${i}` }));
    expect(validateIngestBody('customers', many)).toMatchObject({ ok: false, status: 413 });
  });
});

describe.each(DATABASE_TARGETS)('ingestRecords on %s', (target) => {
  let t: TestDatabase;
  let writer: DataWriter;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(async () => {
    await t.reset();
    const [admin] = await t.db.insert(executives).values({ name: 'Ada', email: 'ada@example.test', title: 'CCO', powerCore: 'customer', role: 'admin' }).returning();
    writer = { actor: { executiveId: admin.id, label: 'API token "CRM sync"' }, canImport: true };
  });
  afterAll(() => t?.close());

  it('upserts by id and audits the write under the token’s name', async () => {
    const body = [
      { customer_id: 'C1', acquired_on: '2024-01-05', monthly_value: '10' },
      { customer_id: 'C2', acquired_on: '2024-01-06' },
    ];
    const valid = validateIngestBody('customers', body);
    if (!valid.ok) throw new Error('invalid');
    expect(await ingestRecords(t.db, writer, 'customers', valid.records)).toMatchObject({ added: 2, changed: 0, unchanged: 0 });
    expect(await ingestRecords(t.db, writer, 'customers', valid.records)).toMatchObject({ added: 0, changed: 0, unchanged: 2 });
    const audit = await queryRows<{ action: string; actor: string }>(t.db, sql`select action, actor_label as actor from audit_log`);
    expect(audit).toEqual([
      { action: 'api', actor: 'API token "CRM sync"' },
      { action: 'api', actor: 'API token "CRM sync"' },
    ]);
  });

  it('refuses a writer without the import right and writes nothing', async () => {
    const valid = validateIngestBody('customers', [{ customer_id: 'C1', acquired_on: '2024-01-05' }]);
    if (!valid.ok) throw new Error('invalid');
    await expect(ingestRecords(t.db, { ...writer, canImport: false }, 'customers', valid.records)).rejects.toBeInstanceOf(ForbiddenError);
    const [{ n }] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from customers`);
    expect(n).toBe(0);
  });
});
