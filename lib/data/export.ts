import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { csvChunks, type CsvCell } from '@/lib/csv/export';
import { RECORD_COLUMNS, type RecordKind } from '@/lib/validation/records';

export const EXPORT_PAGE_SIZE = 5000;

// Cast in SQL so every driver returns the same strings: dates via to_char (immune to DateStyle),
// money via numeric::text (always two places), and the columns aliased to their CSV names.
const EXPORT_QUERIES: Record<RecordKind, { id: SQL; select: SQL }> = {
  customers: {
    id: sql`customer_id`,
    select: sql`select customer_id, name, segment, to_char(acquired_on, 'YYYY-MM-DD') as acquired_on,
      to_char(churned_on, 'YYYY-MM-DD') as churned_on, monthly_value::text as monthly_value, churn_reason
      from customers`,
  },
  responses: {
    id: sql`response_id`,
    select: sql`select response_id, customer_id, to_char(responded_on, 'YYYY-MM-DD') as responded_on,
      score::text as score, touchpoint, comment
      from survey_responses`,
  },
  'spot-fixes': {
    id: sql`spot_fix_id`,
    select: sql`select spot_fix_id, to_char(occurred_on, 'YYYY-MM-DD') as occurred_on, issue, category,
      cost::text as cost, customer_id, journey_stage, note
      from spot_fixes`,
  },
};

/**
 * Every record of a kind in id order, a page at a time (keyset pagination), as rows of
 * cells in RECORD_COLUMNS order, so a million records never sit in memory at once.
 */
export async function* listExportPages(
  db: Queryable,
  kind: RecordKind,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<CsvCell[][]> {
  const { id, select } = EXPORT_QUERIES[kind];
  const columns = RECORD_COLUMNS[kind];
  let after: string | null = null;
  for (;;) {
    const where: SQL = after === null ? sql`` : sql`where ${id} > ${after}`;
    const rows = await queryRows<Record<string, string | null>>(db, sql`${select} ${where} order by ${id} limit ${pageSize}`);
    if (rows.length === 0) return;
    yield rows.map((row) => columns.map((column) => row[column] ?? null));
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1][columns[0]] as string;
  }
}

/** The CSV text of a kind, chunk by chunk: for route handlers (`ReadableStream.from`) and files. */
export function exportCsvChunks(db: Queryable, kind: RecordKind): AsyncGenerator<string> {
  return csvChunks(RECORD_COLUMNS[kind], listExportPages(db, kind));
}

async function* countRows(pages: AsyncIterable<CsvCell[][]>, add: (n: number) => void) {
  for await (const page of pages) {
    add(page.length);
    yield page;
  }
}

/**
 * Writes every record of a kind as CSV to `out` (a file, standard output, a response),
 * respecting backpressure; leaves `out` open for the caller to end. Returns the record count.
 */
export async function exportCsv(db: Queryable, kind: RecordKind, out: NodeJS.WritableStream): Promise<number> {
  let rows = 0;
  const chunks = csvChunks(RECORD_COLUMNS[kind], countRows(listExportPages(db, kind), (n) => (rows += n)));
  await pipeline(Readable.from(chunks, { objectMode: false }), out, { end: false });
  return rows;
}
