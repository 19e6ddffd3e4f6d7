import { finished } from 'node:stream/promises';
import { CsvError, parse, type InfoRecord, type Parser } from 'csv-parse';
import type { RecordProblem } from '@/lib/validation/records';
import { unguardCell } from './formula-guard';

/**
 * RFC 4180 CSV in, one spreadsheet row at a time, by csv-parse's streaming parser.
 * Rows are numbered as a spreadsheet numbers them: the header is row 1, a record whose quoted
 * field spans several lines is still one row, and a blank line is a (skipped) row of its own.
 */

/** Anything a CSV can arrive as: a string, bytes, a Node stream or file stream, a Web stream. */
export type CsvSource = string | Uint8Array | AsyncIterable<string | Uint8Array> | ReadableStream<Uint8Array>;

export interface CsvLayout {
  /** Every column a file may have, by canonical (lower-case) name. */
  columns: readonly string[];
  /** The columns the header must name. */
  required: readonly string[];
}

export type CsvItem =
  | { type: 'row'; row: number; values: Record<string, string> }
  | { type: 'problem'; problem: RecordProblem };

// A real row is at most ~20k characters (8 columns of ≤ 2,000); this bounds memory when a quote is left open.
export const MAX_ROW_BYTES = 1_000_000;
const CHUNK_BYTES = 64 * 1024;

const isBlank = (fields: string[]) => fields.every((field) => field.trim() === '');

async function* chunksOf(source: CsvSource): AsyncGenerator<string | Uint8Array> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    // Sliced as bytes, not characters: csv-parse joins a UTF-8 character split across chunks.
    const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
    for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
  } else if (typeof (source as ReadableStream).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* source as AsyncIterable<string | Uint8Array>;
  }
}

function describeSyntaxError(error: CsvError): string {
  const rest = 'the rest of the file was not read';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `a quoted field starts on this row and is never closed (a " is missing); ${rest}`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `a quoted field's closing " is followed by more text; write a " inside a quoted field as ""; ${rest}`;
    case 'INVALID_OPENING_QUOTE':
      return `a " appears inside a field that is not quoted; put the whole field in double quotes and write the " as ""; ${rest}`;
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is longer than ${MAX_ROW_BYTES.toLocaleString('en')} bytes (is a quote left open?); ${rest}`;
    default:
      return `${error.message}; ${rest}`;
  }
}

const textProblem = (value: string): string | null => {
  if (value.includes('\u0000')) return 'contains a NUL character';
  // A byte that is not UTF-8 decodes to U+FFFD: the file was most likely saved in another encoding.
  if (value.includes('\uFFFD')) return 'contains text that is not UTF-8; save the file as "CSV UTF-8" and try again';
  return null;
};

/** Maps the header's names (case-insensitive, trimmed, any order) to the layout's columns. */
function readHeader(fields: string[], row: number, layout: CsvLayout) {
  const problems: RecordProblem[] = [];
  const names: Array<string | null> = [];
  const seen = new Map<string, number>();
  fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (name === '') {
      // Spreadsheets often save trailing unnamed columns; they are fine while they stay empty.
      names.push(null);
    } else if (!layout.columns.includes(name)) {
      problems.push({ row, column: raw.trim(), message: `is not a known column; expected ${layout.columns.join(', ')}` });
      names.push(null);
    } else if (seen.has(name)) {
      problems.push({ row, column: name, message: `appears twice in the header (columns ${seen.get(name)! + 1} and ${i + 1})` });
      names.push(null);
    } else {
      seen.set(name, i);
      names.push(name);
    }
  });
  if (seen.size === 0) {
    // Most likely no header at all (data from row 1) or not a CSV file: one clear problem, not one per field.
    const message = `the first row must be the header naming the columns (${layout.columns.join(', ')}); none of its fields is a known column`;
    return { names, problems: [{ row, column: null, message }] };
  }
  for (const name of layout.required) {
    if (!seen.has(name)) problems.push({ row, column: name, message: 'required column is missing from the header' });
  }
  return { names, problems };
}

// The fast lane: while the file has no `"`, a record is a line and its fields are split on commas
// exactly as csv-parse would split them, at a small part of its cost. The first quote (or a line
// longer than this) hands the rest of the file, from the start of the lines not yet read, to csv-parse.
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const FAST_LINE_CHARS = 100_000;
const LINE_BREAK = /\r\n|\n|\r/;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const bytesOf = (chunk: string | Uint8Array): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/**
 * Reads a CSV with a header row, yielding each non-blank row's values by column name, and a
 * problem for anything wrong with the file's shape (header, field counts, quoting, encoding).
 * Header problems end the reading: without the right columns no row can be judged.
 */
export async function* readCsvRows(
  source: CsvSource,
  layout: CsvLayout,
  options: { onHeader?: (columns: string[]) => void } = {},
): AsyncGenerator<CsvItem> {
  const parsed: Array<{ row: number; fields: string[] }> = [];
  let failure: unknown = null;
  // Records read by the fast lane; csv-parse, once it takes over, numbers its records after them.
  let fastRows = 0;
  // Assigned inside closures, so typed by a cast: TypeScript would otherwise narrow it to null.
  let parser = null as Parser | null;
  let offset = 0;
  const startParser = (atFileStart: boolean) => {
    offset = fastRows;
    parser = parse({
      bom: atFileStart,
      // Any line ending, even mixed in one file (CRLF is tried first), as a spreadsheet reads them.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      max_record_size: MAX_ROW_BYTES,
      // Records are taken here, synchronously, rather than read from the stream: a syntax error
      // destroys the stream and would drop records already parsed but not yet read.
      on_record: (fields: string[], info: InfoRecord) => {
        parsed.push({ row: offset + info.records, fields });
        return null;
      },
    });
    parser.on('error', (error) => (failure ??= error));
    return parser;
  };
  const writeParser = (p: Parser, chunk: Uint8Array) =>
    new Promise<void>((resolve) =>
      p.write(chunk, (error) => {
        if (error) failure ??= error;
        resolve();
      }),
    );

  // The fast lane's bytes not yet read (an unfinished line), and whether the BOM was looked for.
  let pending: Buffer = Buffer.alloc(0);
  let started = false;
  /** Reads the complete lines of `bytes` (all of them at the end); returns the bytes left, or null after handing over. */
  function fastLines(bytes: Buffer, atEnd: boolean): Buffer | null {
    if (bytes.indexOf(QUOTE) !== -1) return null;
    // A CR at the end may be the first half of a CRLF: it waits for the next chunk.
    const end = !atEnd && bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    const cut = atEnd ? end : Math.max(bytes.lastIndexOf(LF, end - 1), bytes.lastIndexOf(CR, end - 1)) + 1;
    if (cut <= 0) return bytes.length > FAST_LINE_CHARS ? null : bytes;
    const lines = bytes.toString('utf8', 0, cut).split(LINE_BREAK);
    // Text that ends with a line break leaves an empty string after it, which is no record.
    if (lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) if (line.length > FAST_LINE_CHARS) return null;
    for (const line of lines) parsed.push({ row: ++fastRows, fields: line.split(',') });
    return bytes.subarray(cut);
  }
  /** Feeds the fast lane, or csv-parse once it has taken over. */
  async function feed(chunk: Uint8Array | null): Promise<void> {
    if (parser) {
      if (chunk) await writeParser(parser, chunk);
      return;
    }
    let bytes = chunk ? (pending.length ? Buffer.concat([pending, bytesOf(chunk)]) : bytesOf(chunk)) : pending;
    if (!started) {
      // Until three bytes have come, a byte order mark cannot be told from text.
      if (bytes.length < BOM.length && chunk) {
        pending = bytes;
        return;
      }
      started = true;
      if (bytes.subarray(0, BOM.length).equals(BOM)) bytes = bytes.subarray(BOM.length);
    }
    const left = fastLines(bytes, chunk === null);
    if (left) {
      pending = left;
      return;
    }
    pending = Buffer.alloc(0);
    await writeParser(startParser(false), bytes);
  }

  let header: Array<string | null> | null = null;
  let lastRow = 0;

  function* drain(): Generator<CsvItem, boolean> {
    for (const { row, fields } of parsed.splice(0)) {
      lastRow = row;
      if (isBlank(fields)) continue;
      if (!header) {
        const result = readHeader(fields, row, layout);
        for (const problem of result.problems) yield { type: 'problem', problem };
        if (result.problems.length) return false;
        header = result.names;
        options.onHeader?.(result.names.filter((name): name is string => name !== null));
        continue;
      }
      if (fields.length !== header.length) {
        const message = `has ${fields.length} ${fields.length === 1 ? 'field' : 'fields'} but the header has ${header.length}`;
        yield { type: 'problem', problem: { row, column: null, message } };
        continue;
      }
      const values: Record<string, string> = {};
      let isValid = true;
      for (let i = 0; i < fields.length; i++) {
        const name = header[i];
        const problem = textProblem(fields[i]);
        if (name === null && fields[i].trim() !== '') {
          yield { type: 'problem', problem: { row, column: null, message: `has a value in column ${i + 1}, which has no name in the header` } };
          isValid = false;
        } else if (problem) {
          yield { type: 'problem', problem: { row, column: name, message: problem } };
          isValid = false;
        } else if (name !== null) {
          values[name] = unguardCell(fields[i]);
        }
      }
      if (isValid) yield { type: 'row', row, values };
    }
    return true;
  }

  function* fail(): Generator<CsvItem> {
    if (!(failure instanceof CsvError)) throw failure;
    const index = typeof failure.column === 'number' ? failure.column : null;
    const column = header && index !== null ? (header[index] ?? null) : null;
    const row = typeof failure.records === 'number' ? offset + failure.records + 1 : lastRow + 1;
    yield { type: 'problem', problem: { row, column, message: describeSyntaxError(failure) } };
  }

  try {
    for await (const chunk of chunksOf(source)) {
      await feed(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      if (!(yield* drain())) return;
      if (failure) return yield* fail();
    }
    await feed(null);
    if (parser) {
      parser.end();
      await finished(parser, { readable: false }).catch((error) => (failure ??= error));
    }
    if (!(yield* drain())) return;
    if (failure) return yield* fail();
    if (!header) {
      const message = `the file is empty; the first row must be the header: ${layout.columns.join(', ')}`;
      yield { type: 'problem', problem: { row: 1, column: null, message } };
    }
  } finally {
    if (parser && !parser.destroyed) parser.destroy();
  }
}
