import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { applyRecords } from '@/lib/data/records';
import { CLI_ACTOR } from '@/lib/data/audit';
import { queryRows } from '@/lib/db/sql';
import { validateRecord, type RecordKind, type RecordTypes } from '@/lib/validation/records';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

function valid<K extends RecordKind>(kind: K, input: Record<string, unknown>): RecordTypes[K] {
  const result = validateRecord(kind, input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.record;
}

describe.each(DATABASE_TARGETS)('applyRecords on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(() => t.reset());
  afterAll(() => t?.close());

  const alice = { customer_id: 'C1', name: 'Alice', acquired_on: '2024-01-05', monthly_value: '100.10' };

  it('adds, then leaves unchanged, then changes a customer by its id without duplicating it', async () => {
    const first = await applyRecords(t.db, 'customers', [[valid('customers', alice)]], CLI_ACTOR);
    expect(first).toMatchObject({ rows: 1, added: 1, changed: 0, unchanged: 0 });
    const again = await applyRecords(t.db, 'customers', [[valid('customers', alice)]], CLI_ACTOR);
    expect(again).toMatchObject({ rows: 1, added: 0, changed: 0, unchanged: 1 });
    const churned = { ...alice, churned_on: '2024-06-30', churn_reason: 'Price' };
    const third = await applyRecords(t.db, 'customers', [[valid('customers', churned)]], CLI_ACTOR);
    expect(third).toMatchObject({ rows: 1, added: 0, changed: 1, unchanged: 0 });
    const rows = await queryRows<{ n: number; churned: string; value: string }>(
      t.db,
      sql`select count(*)::int as n, max(churned_on)::text as churned, max(monthly_value)::text as value from customers`,
    );
    expect(rows[0]).toEqual({ n: 1, churned: '2024-06-30', value: '100.10' });
  });

  it('groups spot-fix labels that differ only by case and spacing under one recurring issue, keeping each label as written', async () => {
    const base = { occurred_on: '2025-01-02', category: 'meeting', cost: '10', customer_id: 'C1' };
    await applyRecords(
      t.db,
      'spot-fixes',
      [[valid('spot-fixes', { ...base, spot_fix_id: 'S1', issue: 'Late delivery' }), valid('spot-fixes', { ...base, spot_fix_id: 'S2', issue: ' late  DELIVERY ' })]],
      CLI_ACTOR,
    );
    const issues = await queryRows<{ key: string; label: string }>(t.db, sql`select issue_key as key, label from recurring_issues`);
    expect(issues).toEqual([{ key: 'late delivery', label: 'Late delivery' }]);
    const labels = await queryRows<{ issue: string }>(t.db, sql`select issue from spot_fixes order by spot_fix_id`);
    expect(labels.map((l) => l.issue)).toEqual(['Late delivery', ' late  DELIVERY ']);
  });

  it('writes nothing when a later batch fails, and bumps the data version only on success', async () => {
    const broken = (async function* () {
      yield [valid('customers', alice)];
      throw new Error('stream broke');
    })();
    await expect(applyRecords(t.db, 'customers', broken, CLI_ACTOR)).rejects.toThrow('stream broke');
    const rows = await queryRows<{ n: number; v: number }>(
      t.db,
      sql`select (select count(*)::int from customers) as n, (select data_version from organisation) as v`,
    );
    expect(rows[0]).toEqual({ n: 0, v: 0 });
    await applyRecords(t.db, 'customers', [[valid('customers', alice)]], CLI_ACTOR);
    const after = await queryRows<{ v: number; audits: number }>(
      t.db,
      sql`select (select data_version from organisation) as v, (select count(*)::int from audit_log) as audits`,
    );
    expect(after[0]).toEqual({ v: 1, audits: 1 });
  });
});

describe('validateRecord', () => {
  it('refuses text with a NUL character, which PostgreSQL cannot store', () => {
    const result = validateRecord('customers', { customer_id: 'C\u00001', acquired_on: '2024-01-01' });
    expect(result).toEqual({ ok: false, problems: [{ column: 'customer_id', message: 'must not contain a NUL character' }] });
  });
});

describe('validateRecord on a customer', () => {
  it('reports only the bad date, not a misleading churn-order problem, when acquired_on is not a date', () => {
    const result = validateRecord('customers', { customer_id: 'a', acquired_on: '2019-02-30', churned_on: '2019-01-05' });
    expect(result).toEqual({ ok: false, problems: [{ column: 'acquired_on', message: '"2019-02-30" is not a date (YYYY-MM-DD)' }] });
  });

  it('refuses a churn date before the acquisition date', () => {
    const result = validateRecord('customers', { customer_id: 'a', acquired_on: '2019-02-03', churned_on: '2019-01-05' });
    expect(result).toEqual({ ok: false, problems: [{ column: 'churned_on', message: 'must not be before acquired_on' }] });
  });
});
