import { stringify } from 'csv-stringify/sync';
import { guardCell } from './formula-guard';

/**
 * CSV out in the one format import reads: RFC 4180 quoting only where needed, LF line
 * endings, UTF-8 without a BOM, and an empty field for a missing value.
 */
export type CsvCell = string | null;

export function formatCsvRows(rows: CsvCell[][]): string {
  // No cell reaches a spreadsheet as a formula (lib/csv/formula-guard.ts); import undoes it.
  const guarded = rows.map((row) => row.map((cell) => (cell === null ? cell : guardCell(cell))));
  // Any \r or \n is quoted, not only the record delimiter: a bare \r would split a row on re-import.
  return stringify(guarded, { record_delimiter: 'unix', quote_record_delimiter: true, eof: true });
}

/** The header, then each page of rows, as text chunks ready for any writable or Web stream. */
export async function* csvChunks(columns: readonly string[], pages: AsyncIterable<CsvCell[][]>): AsyncGenerator<string> {
  yield formatCsvRows([[...columns]]);
  for await (const page of pages) {
    if (page.length) yield formatCsvRows(page);
  }
}
