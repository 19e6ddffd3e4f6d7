import { describe, expect, it } from 'vitest';
import { checkCsv, CsvChangedError, csvRecordBatches, readCsvRecords } from '@/lib/csv/records';
import { formatCsvRows } from '@/lib/csv/export';

const HEADER = 'customer_id,name,segment,acquired_on,churned_on,monthly_value,churn_reason\n';

describe('readCsvRecords', () => {
  it('validates each row and gives records with their spreadsheet row', async () => {
    const items = [];
    for await (const item of readCsvRecords('customers', `${HEADER}C1,"Zoë, ""VIP""",,2024-01-05,,12.5,\n`)) items.push(item);
    expect(items).toEqual([
      {
        type: 'record',
        row: 2,
        record: {
          customer_id: 'C1',
          name: 'Zoë, "VIP"',
          segment: null,
          acquired_on: '2024-01-05',
          churned_on: null,
          monthly_value: '12.50',
          churn_reason: null,
        },
      },
    ]);
  });
});

describe('checkCsv', () => {
  it('lists every bad row with its row number, column and reason', async () => {
    const text =
      HEADER +
      'C1,Ann,,2024-01-05,,,\n' +
      'C2,Bob,,2024-13-01,,,\n' +
      'C3,"Cy\nwith two lines",,2024-02-01,2024-01-01,,\n' +
      ',Dee,,2024-02-01,,1.234,\n';
    const check = await checkCsv('customers', text);
    expect(check.records).toBe(1);
    expect(check.moreProblems).toBe(0);
    expect(check.problems).toEqual([
      { row: 3, column: 'acquired_on', message: '"2024-13-01" is not a date (YYYY-MM-DD)' },
      { row: 4, column: 'churned_on', message: 'must not be before acquired_on' },
      { row: 5, column: 'customer_id', message: 'is required' },
      { row: 5, column: 'monthly_value', message: '"1.234" is not an amount with at most 2 decimal places' },
    ]);
  });

  it('reports an id used twice in one file, naming the earlier row', async () => {
    const check = await checkCsv('customers', `${HEADER}C1,Ann,,2024-01-05,,,\nC2,Bob,,2024-01-05,,,\n C1 ,Ann again,,2024-01-05,,,\n`);
    expect(check.problems).toEqual([{ row: 4, column: 'customer_id', message: '"C1" is already on row 2' }]);
  });

  it('reports a repeated id even when the earlier row has other problems', async () => {
    const check = await checkCsv('customers', `${HEADER}C1,Ann,,yesterday,,,\nC1,Ann,,2024-01-05,,,\n`);
    expect(check.problems).toEqual([
      { row: 2, column: 'acquired_on', message: '"yesterday" is not a date (YYYY-MM-DD)' },
      { row: 3, column: 'customer_id', message: '"C1" is already on row 2' },
    ]);
  });

  it('keeps only the first problems and counts the rest', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => [`C${i}`, '', '', 'not a date', '', '', '']);
    const check = await checkCsv('customers', HEADER + formatCsvRows(rows), { maxProblems: 10 });
    expect(check.problems).toHaveLength(10);
    expect(check.problems[9].row).toBe(11);
    expect(check.moreProblems).toBe(40);
  });

  it('stops at header problems without judging the rows', async () => {
    const check = await checkCsv('spot-fixes', 'spot_fix_id,occurred_on,issue,category,customer_id\nS1,,,,\n');
    expect(check.problems).toEqual([{ row: 1, column: 'cost', message: 'required column is missing from the header' }]);
  });
});

describe('csvRecordBatches', () => {
  it('yields records in batches of the given size', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => [`C${i}`, '', '', '2024-01-01', '', '', '']);
    const sizes = [];
    for await (const batch of csvRecordBatches('customers', HEADER + formatCsvRows(rows), { batchSize: 2 })) sizes.push(batch.length);
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('throws on the first problem, so a transaction fed by it rolls back', async () => {
    const consume = async () => {
      for await (const batch of csvRecordBatches('customers', `${HEADER}C1,,,2024-01-01,,,\nC2,,,nope,,,\n`)) void batch;
    };
    await expect(consume()).rejects.toBeInstanceOf(CsvChangedError);
  });
});
