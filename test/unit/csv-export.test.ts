import { describe, expect, it } from 'vitest';
import { csvChunks, formatCsvRows } from '@/lib/csv/export';
import { readCsvRows } from '@/lib/csv/parse';

describe('formatCsvRows', () => {
  it('quotes only fields that need it, doubles quotes, writes LF and an empty field for null', () => {
    expect(formatCsvRows([['C1', 'Zoë, "VIP"', null, 'two\nlines', 'cr\rlf', ' spaced ']])).toBe(
      'C1,"Zoë, ""VIP""",,"two\nlines","cr\rlf", spaced \n',
    );
  });

  it('writes text that reads back to the same values', async () => {
    const values = ['Zoë, "VIP"', 'a\r\nb', '  ', '"', ',', 'plain', '😀'];
    const text = formatCsvRows([['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'], values]);
    const layout = { columns: ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'], required: [] };
    for await (const item of readCsvRows(text, layout)) {
      expect(item).toEqual({ type: 'row', row: 2, values: Object.fromEntries(values.map((v, i) => [`v${i + 1}`, v])) });
    }
  });
});

describe('csvChunks', () => {
  it('writes the header first, then each page, without a byte order mark', async () => {
    const pages = (async function* () {
      yield [['1', 'a']];
      yield [];
      yield [['2', null]];
    })();
    let text = '';
    for await (const chunk of csvChunks(['id', 'name'], pages)) text += chunk;
    expect(text).toBe('id,name\n1,a\n2,\n');
  });
});
