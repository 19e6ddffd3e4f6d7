import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCsvRows, type CsvItem, type CsvSource } from '@/lib/csv/parse';

const layout = { columns: ['id', 'name', 'note'], required: ['id', 'name'] };

async function read(source: CsvSource) {
  const items: CsvItem[] = [];
  for await (const item of readCsvRows(source, layout)) items.push(item);
  return {
    rows: items.flatMap((i): Array<Record<string, string | number>> => (i.type === 'row' ? [{ row: i.row, ...i.values }] : [])),
    problems: items.flatMap((i) => (i.type === 'problem' ? [i.problem] : [])),
  };
}

/** The same text as a stream of tiny byte chunks, splitting multi-byte characters and CRLFs. */
function trickle(text: string, size = 1): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

describe('readCsvRows', () => {
  it('reads quoted fields with commas, escaped quotes and unicode', async () => {
    const { rows, problems } = await read('id,name,note\n1,"Zoë, ""VIP""","a, b"\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ row: 2, id: '1', name: 'Zoë, "VIP"', note: 'a, b' }]);
  });

  it('keeps a record whose quoted field spans lines as one spreadsheet row', async () => {
    const text = 'id,name,note\n1,Ann,x\n2,Bob,"line 3\nline 4"\n3,Cy,z\n';
    const { rows } = await read(text);
    expect(rows.map((r) => [r.row, r.id])).toEqual([
      [2, '1'],
      [3, '2'],
      [4, '3'],
    ]);
    expect(rows[1].note).toBe('line 3\nline 4');
  });

  it('skips a UTF-8 byte order mark and reads CRLF line endings', async () => {
    const text = '\uFEFFid,name,note\r\n1,Ann,"two\r\nlines"\r\n2,Bob,\r\n';
    for (const source of [text, Buffer.from(text), trickle(text)]) {
      const { rows, problems } = await read(source);
      expect(problems).toEqual([]);
      expect(rows).toEqual([
        { row: 2, id: '1', name: 'Ann', note: 'two\r\nlines' },
        { row: 3, id: '2', name: 'Bob', note: '' },
      ]);
    }
  });

  it('reads a file whose line endings are mixed', async () => {
    const text = 'id,name,note\r\n1,Ann,"a\r\nb"\n2,Bob,\r3,Cy,\r\n';
    for (const source of [text, trickle(text)]) {
      const { rows, problems } = await read(source);
      expect(problems).toEqual([]);
      expect(rows.map((r) => [r.row, r.id, r.note])).toEqual([
        [2, '1', 'a\r\nb'],
        [3, '2', ''],
        [4, '3', ''],
      ]);
    }
  });

  it('gives the same rows however the bytes are chunked, even mid-character', async () => {
    const text = 'id,name,note\n1,"Zoë — ""the"" boss",😀\n2,Łukasz,"a\nb"\n';
    const whole = await read(text);
    for (const size of [1, 2, 3, 7]) expect(await read(trickle(text, size))).toEqual(whole);
  });

  it('reads a file without quotes the same however it is chunked: byte order mark, CRLF split across chunks, lone CRs', async () => {
    const text = '\uFEFFid,name,note\r\n1,Ann,x\r2,Bob,\n\n3,Zoë,z\r\n,,\r\n4,Cy,\r';
    const whole = await read(text);
    expect(whole.problems).toEqual([]);
    expect(whole.rows).toEqual([
      { row: 2, id: '1', name: 'Ann', note: 'x' },
      { row: 3, id: '2', name: 'Bob', note: '' },
      { row: 5, id: '3', name: 'Zoë', note: 'z' },
      { row: 7, id: '4', name: 'Cy', note: '' },
    ]);
    for (const size of [1, 2, 3, 5, 8]) expect(await read(trickle(text, size))).toEqual(whole);
  });

  it('keeps numbering rows when a quote first appears deep in the file', async () => {
    const plain = Array.from({ length: 300 }, (_, i) => `${i + 2},N${i},x\n`).join('');
    const text = `id,name,note\n${plain}302,"Multi\nline",y\n303,Cy,z\n304,"open,q\n305,D,e\n`;
    for (const source of [text, trickle(text, 64), trickle(text, 1000)]) {
      const { rows, problems } = await read(source);
      expect(rows.length).toBe(302);
      expect(rows.every((r) => r.row === Number(r.id))).toBe(true);
      expect(rows.at(-2)).toEqual({ row: 302, id: '302', name: 'Multi\nline', note: 'y' });
      expect(problems).toEqual([{ row: 304, column: 'name', message: expect.stringContaining('never closed') }]);
    }
  });

  it('reads a very long line without quotes', async () => {
    const note = 'n'.repeat(150_000);
    const { rows, problems } = await read(trickle(`id,name,note\n1,Ann,${note}\n2,Bob,x\n`, 4096));
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.row, String(r.note).length])).toEqual([
      [2, 150_000],
      [3, 1],
    ]);
  });

  it('reads a Web ReadableStream', async () => {
    const { rows } = await read(new Blob(['id,name\n1,Ann\n']).stream());
    expect(rows).toEqual([{ row: 2, id: '1', name: 'Ann' }]);
  });

  it('matches header names in any order, case and surrounding space', async () => {
    const { rows, problems } = await read(' NOTE ,Name,id\nhello,Ann,1\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ row: 2, id: '1', name: 'Ann', note: 'hello' }]);
  });

  it('accepts a file without its optional columns', async () => {
    const { rows, problems } = await read('id,name\n1,Ann\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ row: 2, id: '1', name: 'Ann' }]);
  });

  it('accepts a file with a header and no rows', async () => {
    expect(await read('id,name,note\n')).toEqual({ rows: [], problems: [] });
  });

  it('skips blank lines but still counts them as rows, and ignores blank lines at the end', async () => {
    const { rows, problems } = await read('id,name\n1,Ann\n\n,\n2,Bob\n\n\n');
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.row)).toEqual([2, 5]);
  });

  it('rejects a header missing a required column', async () => {
    const { rows, problems } = await read('id,note\n1,x\n');
    expect(rows).toEqual([]);
    expect(problems).toEqual([{ row: 1, column: 'name', message: 'required column is missing from the header' }]);
  });

  it('rejects an unknown column and a duplicated column, naming each', async () => {
    const { rows, problems } = await read('id,name,Email,ID\n1,Ann,a@b.c,1\n');
    expect(rows).toEqual([]);
    expect(problems).toEqual([
      { row: 1, column: 'Email', message: 'is not a known column; expected id, name, note' },
      { row: 1, column: 'id', message: 'appears twice in the header (columns 1 and 4)' },
    ]);
  });

  it('reports a missing header row as one problem rather than one per field', async () => {
    const { rows, problems } = await read('1,Ann,x\n2,Bob,y\n');
    expect(rows).toEqual([]);
    expect(problems).toEqual([
      { row: 1, column: null, message: 'the first row must be the header naming the columns (id, name, note); none of its fields is a known column' },
    ]);
  });

  it('reports an empty file (even one with only a byte order mark and blank lines) as a problem on row 1', async () => {
    for (const text of ['', '\uFEFF', '\n\n']) {
      const { problems } = await read(text);
      expect(problems).toEqual([{ row: 1, column: null, message: expect.stringContaining('the file is empty') }]);
    }
  });

  it('reports a row with the wrong number of fields and keeps reading', async () => {
    const { rows, problems } = await read('id,name,note\n1,Ann\n2,Bob,x,extra\n3,Cy,z\n');
    expect(problems).toEqual([
      { row: 2, column: null, message: 'has 2 fields but the header has 3' },
      { row: 3, column: null, message: 'has 4 fields but the header has 3' },
    ]);
    expect(rows.map((r) => r.row)).toEqual([4]);
  });

  it('allows unnamed trailing columns while they are empty', async () => {
    const { rows, problems } = await read('id,name,,\n1,Ann,,\n2,Bob,,oops\n');
    expect(rows).toEqual([{ row: 2, id: '1', name: 'Ann' }]);
    expect(problems).toEqual([{ row: 3, column: null, message: 'has a value in column 4, which has no name in the header' }]);
  });

  it('reports a quote left open on the row where it starts', async () => {
    const { rows, problems } = await read('id,name,note\n1,Ann,x\n2,"Bob,y\n3,Cy,z\n');
    expect(rows.map((r) => r.row)).toEqual([2]);
    expect(problems).toEqual([{ row: 3, column: 'name', message: expect.stringContaining('never closed') }]);
  });

  it('reports a stray quote inside an unquoted field', async () => {
    const { problems } = await read('id,name,note\n1,Ann,x\n2,Bob,5" screen\n');
    expect(problems).toEqual([{ row: 3, column: 'note', message: expect.stringContaining('inside a field that is not quoted') }]);
  });

  it('reports text that is not UTF-8 instead of importing garbled characters', async () => {
    const { rows, problems } = await read(Buffer.from('id,name\n1,Zo\xeb\n', 'latin1'));
    expect(rows).toEqual([]);
    expect(problems).toEqual([{ row: 2, column: 'name', message: expect.stringContaining('not UTF-8') }]);
  });

  it('passes on errors from the source itself', async () => {
    const failing = Readable.from((async function* () {
      yield 'id,name\n';
      throw new Error('disk gone');
    })());
    await expect(read(failing)).rejects.toThrow('disk gone');
  });
});
