import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '@/lib/data/audit';
import { exportCsvChunks } from '@/lib/data/export';
import { importCsv } from '@/lib/data/import-csv';
import { ingestRecords } from '@/lib/data/imports';
import { getScorecard } from '@/lib/data/scorecard';
import type { Db } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { parsePeriod } from '@/lib/metrics/period';
import { validateIngestBody } from '@/lib/validation/api';
import type { RecordKind } from '@/lib/validation/records';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

/** SPEC "Data in": anonymous responses and spot fixes, files in any order, absent columns left alone. */

async function exportText(db: Db, kind: RecordKind): Promise<string> {
  let text = '';
  for await (const chunk of exportCsvChunks(db, kind)) text += chunk;
  return text;
}

async function load(db: Db, kind: RecordKind, text: string) {
  const result = await importCsv(db, kind, () => text, CLI_ACTOR);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.summary;
}

const CUSTOMERS =
  'customer_id,name,segment,acquired_on,churned_on,monthly_value,churn_reason\n' +
  'C1,Alpha,SMB,2024-01-10,,100.00,\n' +
  'C2,Beta,Enterprise,2024-01-12,2024-03-05,250.50,Price\n' +
  'C3,Gamma,,2024-02-01,,,\n';

describe.each(DATABASE_TARGETS)('real-world files on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(() => t.reset());
  afterAll(() => t?.close());

  it('imports a survey file whose customer_ids are empty or name customers not loaded yet', async () => {
    const summary = await load(
      t.db,
      'responses',
      'response_id,customer_id,responded_on,score,touchpoint,comment\n' +
        'R1,,2024-03-02,10,web,\n' +
        'R2,,2024-03-03,3,,\n' +
        'R3,NOT-YET,2024-03-04,9,,\n',
    );
    expect(summary).toMatchObject({ rows: 3, added: 3 });
    expect(await exportText(t.db, 'responses')).toBe(
      'response_id,customer_id,responded_on,score,touchpoint,comment\n' +
        'R1,,2024-03-02,10,web,\n' +
        'R2,,2024-03-03,3,,\n' +
        'R3,NOT-YET,2024-03-04,9,,\n',
    );
    // A file without the customer_id column at all is accepted too.
    expect(await load(t.db, 'spot-fixes', 'spot_fix_id,occurred_on,issue,category,cost\nS1,2024-03-02,PR storm,pr_recovery,900.00\n')).toMatchObject({ added: 1 });
    const [fix] = await queryRows<{ customer_id: string | null }>(t.db, sql`select customer_id from spot_fixes`);
    expect(fix.customer_id).toBeNull();
  });

  it('gives the scorecard JSON an unrounded NPS', async () => {
    // 3 promoters, 2 detractors, 2 passives: (3 − 2) / 7 × 100 = 14.2857…
    await load(
      t.db,
      'responses',
      'response_id,responded_on,score\nR1,2024-03-02,10\nR2,2024-03-03,9\nR3,2024-03-04,9\nR4,2024-03-05,1\nR5,2024-03-06,6\nR6,2024-03-07,7\nR7,2024-03-08,8\n',
    );
    const json = JSON.parse(JSON.stringify(await getScorecard(t.db, parsePeriod('2024-03'))));
    expect(json.recommendation.nps).toBe(100 / 7);
    expect(json.recommendation.nps).not.toBe(14.29);
  });

  it('leaves every field of an absent column as it was, and clears a field only for an empty cell in a present column', async () => {
    await load(t.db, 'customers', CUSTOMERS);
    const before = await exportText(t.db, 'customers');

    // A file of churn dates only: monthly value, name, segment and reason must survive.
    const churn = await load(t.db, 'customers', 'customer_id,acquired_on,churned_on\nC1,2024-01-10,2024-04-01\nC2,2024-01-12,2024-03-05\n');
    expect(churn).toMatchObject({ rows: 2, added: 0, changed: 1, unchanged: 1 });
    expect(await exportText(t.db, 'customers')).toBe(before.replace('C1,Alpha,SMB,2024-01-10,,100.00,', 'C1,Alpha,SMB,2024-01-10,2024-04-01,100.00,'));

    // Loading only the required columns over everything changes nothing at all.
    const again = await exportText(t.db, 'customers');
    const minimal = await load(t.db, 'customers', 'customer_id,acquired_on\nC1,2024-01-10\nC2,2024-01-12\nC3,2024-02-01\n');
    expect(minimal).toMatchObject({ rows: 3, changed: 0, unchanged: 3 });
    expect(await exportText(t.db, 'customers')).toBe(again);

    // An empty cell in a present column clears that field, and only that one.
    await load(t.db, 'customers', 'customer_id,acquired_on,monthly_value\nC2,2024-01-12,\n');
    expect(await exportText(t.db, 'customers')).toBe(again.replace('2024-03-05,250.50,Price', '2024-03-05,,Price'));
  });

  it('does the same for responses and spot fixes, and for JSON records without a key', async () => {
    await load(t.db, 'responses', 'response_id,customer_id,responded_on,score,touchpoint,comment\nR1,C1,2024-03-02,10,web,"Great"\n');
    await load(t.db, 'spot-fixes', 'spot_fix_id,occurred_on,issue,category,cost,customer_id,journey_stage,note\nS1,2024-03-02,Late,discount,10.00,C1,delivery,Sorry\n');
    const before = { responses: await exportText(t.db, 'responses'), fixes: await exportText(t.db, 'spot-fixes') };

    await load(t.db, 'responses', 'response_id,responded_on,score\nR1,2024-03-02,10\n');
    await load(t.db, 'spot-fixes', 'spot_fix_id,occurred_on,issue,category,cost\nS1,2024-03-02,Late,discount,10.00\n');
    const writer = { actor: CLI_ACTOR, canImport: true };
    const body = validateIngestBody('responses', [{ response_id: 'R1', responded_on: '2024-03-02', score: 10 }]);
    if (!body.ok) throw new Error(body.error);
    expect(await ingestRecords(t.db, writer, 'responses', body.records)).toMatchObject({ unchanged: 1 });
    expect({ responses: await exportText(t.db, 'responses'), fixes: await exportText(t.db, 'spot-fixes') }).toEqual(before);

    // JSON null clears, as an empty cell does.
    const clear = validateIngestBody('responses', [{ response_id: 'R1', responded_on: '2024-03-02', score: 10, comment: null }]);
    if (!clear.ok) throw new Error(clear.error);
    expect(await ingestRecords(t.db, writer, 'responses', clear.records)).toMatchObject({ changed: 1 });
    expect(await exportText(t.db, 'responses')).toBe(before.responses.replace(',web,Great', ',web,'));
  });
});
