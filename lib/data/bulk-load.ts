import { Writable } from 'node:stream';
import { entityKind, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { readCsvRows, type CsvSource } from '@/lib/csv/parse';
import { issueKey } from '@/lib/metrics/issue-key';
import { MAX_KEPT_PROBLEMS, type CsvCheck, type CsvProgress } from '@/lib/csv/records';
import { RECORD_COLUMNS, REQUIRED_COLUMNS, type RecordKind, type RecordProblem } from '@/lib/validation/records';
import { STAGED_CHECKS, stagedMerge } from './bulk-sql';
import { ROLLUP_TABLES } from './rollups';

/**
 * CSV imports at COPY speed in constant memory. The file is parsed in JS only as far as SQL
 * cannot: its shape (header, quoting, field counts, encoding) and spreadsheet row numbers. Every
 * row is streamed — as text, trimmed — into a temporary staging table, by `COPY` on node-postgres
 * (pg-copy-streams), by `COPY … FROM '/dev/blob'` on PGlite, and by batched inserts on any other
 * driver. Then SQL judges each value and finds repeated ids (lib/data/bulk-sql), and one
 * statement merges the staged rows. No record object or id set is held in memory.
 * Call it inside a transaction: the staging table is dropped when it ends.
 */

const STAGING = 'import_staging';
const PROGRESS_EVERY = 5000;
/** Rows per COPY (node-postgres) or insert (other drivers): a few MB at most. */
const FLUSH_BYTES = 4 * 1024 * 1024;
/** Bytes per COPY blob on PGlite: each is copied twice more (an ArrayBuffer, then the WebAssembly heap), all in this process. */
const BLOB_BYTES = 1024 * 1024;
const INSERT_ROWS = 2000;

/** The staging table's columns: the row number, every SPEC column, and the issue key a spot fix's label gives. */
export function stagedColumns(kind: RecordKind): string[] {
  return [...RECORD_COLUMNS[kind], ...(kind === 'spot-fixes' ? ['issue_key'] : [])];
}

// The value of a cell as the record will hold it: trimmed, except a spot fix's issue, kept as written.
const cellValue = (column: string, raw: string): string => (column === 'issue' ? raw : raw.trim());

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const COPY_SPECIAL = /[\\\t\n\r]/;
const copyText = (value: string | null) =>
  value === null ? '\\N' : COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : value;

/** ES2024's resizable ArrayBuffer (Node 20 has it; the project's TypeScript lib predates it). */
type ResizableArrayBuffer = new (length: number, options: { maxByteLength: number }) => ArrayBuffer & {
  readonly maxByteLength: number;
  resize(length: number): void;
};

interface Loader {
  /** A promise only when the row made a batch full and it is being sent: most rows cost no await. */
  write(line: string, cells: Array<string | null>): Promise<void> | undefined;
  end(): Promise<void>;
}

/** Which driver a transaction runs on, read from drizzle's session (class names do not survive minifying). */
function driverOf(q: Queryable): { kind: 'node-postgres' | 'pglite' | 'other'; client: unknown } {
  const session = (q as unknown as { session?: { client?: unknown; constructor: { [entityKind]?: string } } }).session;
  const name = session?.constructor[entityKind];
  if (name === 'NodePgSession') return { kind: 'node-postgres', client: session!.client };
  if (name === 'PgliteSession') return { kind: 'pglite', client: session!.client };
  return { kind: 'other', client: null };
}

/**
 * Writes COPY text lines into one reused buffer and hands it on when full. The lines die young;
 * kept in an array until a flush they would outlive the young generation, and the old one grows
 * by a file's worth before a full collection (2M responses: ~100 MB of the process's peak).
 */
function bufferedLoader(send: (bytes: Uint8Array<ArrayBuffer>) => Promise<void>): Loader {
  let buffer = Buffer.allocUnsafe(BLOB_BYTES);
  let used = 0;
  const flush = async () => {
    if (!used) return;
    const bytes = buffer.subarray(0, used);
    used = 0;
    await send(bytes);
  };
  const append = (line: string) => {
    used += buffer.write(line, used);
  };
  return {
    write(line) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit: room is checked without measuring the line.
      const room = line.length * 3;
      if (used + room <= buffer.length) return void append(line);
      return flush().then(() => {
        if (room > buffer.length) buffer = Buffer.allocUnsafe(room);
        append(line);
      });
    },
    end: flush,
  };
}

/**
 * Collects COPY text lines and hands them on a few MB at a time. With `overlap`, one batch is in
 * flight while the next is read, so parsing and the database's COPY run side by side: only for a
 * source that does not itself read through this connection.
 */
function batchedLoader(sendText: (text: string) => Promise<void>, overlap: boolean): Loader {
  let lines: string[] = [];
  let bytes = 0;
  let inFlight: Promise<void> | null = null;
  const send = async () => {
    const text = lines.join('');
    lines = [];
    bytes = 0;
    if (inFlight) await inFlight;
    inFlight = sendText(text);
    // Awaited by the next send or by end(); until then its failure must not go unhandled.
    inFlight.catch(() => {});
    if (!overlap) await inFlight;
  };
  return {
    write(line) {
      lines.push(line);
      bytes += line.length;
      return bytes >= FLUSH_BYTES ? send() : undefined;
    },
    async end() {
      if (lines.length) await send();
      const last = inFlight;
      inFlight = null;
      await last;
    },
  };
}

async function copyLoader(q: Queryable, columns: string[], overlap: boolean): Promise<Loader> {
  const driver = driverOf(q);
  const copy = `copy ${STAGING} (row_no, ${columns.map((c) => `"${c}"`).join(', ')}) from`;
  if (driver.kind === 'node-postgres') {
    const { from } = await import('pg-copy-streams');
    const client = driver.client as { query(stream: Writable): Writable };
    // One COPY per few MB. Unless the caller says the source is independent of this connection,
    // each is finished before the next rows are read: a browser import's staged chunks are read
    // through this connection, and one client runs one query at a time.
    return batchedLoader(async (text) => {
      const stream = client.query(from(`${copy} stdin`));
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('finish', resolve);
        stream.end(text);
      });
    }, overlap);
  }
  if (driver.kind === 'pglite') {
    const client = driver.client as { query(text: string, params: unknown[], options: { blob: Blob }): Promise<unknown> };
    // PGlite reads /dev/blob from `await blob.arrayBuffer()`, to its length. A real Blob would
    // copy each MB twice into new memory that is collected late (~60 MB of it at the peak):
    // one resizable ArrayBuffer, refilled per COPY, stands in for it.
    const shared = new (ArrayBuffer as unknown as ResizableArrayBuffer)(0, { maxByteLength: BLOB_BYTES });
    const blob = { arrayBuffer: async () => shared } as unknown as Blob;
    return bufferedLoader(async (bytes) => {
      if (bytes.length > shared.maxByteLength) {
        await client.query(`${copy} '/dev/blob'`, [], { blob: new Blob([bytes]) });
        return;
      }
      shared.resize(bytes.length);
      new Uint8Array(shared).set(bytes);
      await client.query(`${copy} '/dev/blob'`, [], { blob });
    });
  }
  // A driver without COPY (Vercel Postgres' WebSocket pool): batched inserts, one array per column.
  let batch: Array<Array<string | null>> = [];
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    const arrays = [sql`${sql.param(rows.map((r) => r[0]))}::int[]`];
    for (let i = 1; i <= columns.length; i++) arrays.push(sql`${sql.param(rows.map((r) => r[i]))}::text[]`);
    await q.execute(sql`insert into ${sql.raw(STAGING)} (row_no, ${sql.raw(columns.map((c) => `"${c}"`).join(', '))})
      select * from unnest(${sql.join(arrays, sql`, `)})`);
  };
  return {
    write(_line, cells) {
      batch.push(cells);
      return batch.length >= INSERT_ROWS ? flush() : undefined;
    },
    end: flush,
  };
}

export interface StagedFile {
  /** The file's columns (SPEC names); a column absent from the file leaves stored fields alone. */
  present: string[];
  /** Rows written to the staging table. */
  staged: number;
  /** The file's shape problems (rows not staged), at most MAX_KEPT_PROBLEMS, and how many more. */
  problems: RecordProblem[];
  moreProblems: number;
}

/** Creates the staging table and streams the file's rows into it. */
export async function stageCsv(
  q: Queryable,
  kind: RecordKind,
  source: CsvSource,
  options: {
    onProgress?: (progress: CsvProgress) => void;
    /** The source does not read through `q` (a file, a request body): COPY and parsing may overlap. */
    independentSource?: boolean;
  } = {},
): Promise<StagedFile> {
  const columns = stagedColumns(kind);
  // For the import's transaction: JIT compiling took longer than it saved on these one-pass
  // statements, and on the server the duplicate-id grouping should stay in memory rather than
  // spill to disk. PGlite's WebAssembly heap never shrinks and lives in this process, and a plan
  // may take work_mem once per node: there they spill past PostgreSQL's default 4 MB instead
  // (2M responses: the heap grew 23 MB instead of 91 MB at 16 MB, in the same time).
  await q.execute(sql.raw(`set local jit = off`));
  await q.execute(sql.raw(`set local work_mem = '${driverOf(q).kind === 'pglite' ? '4MB' : '64MB'}'`));
  await q.execute(sql.raw(`drop table if exists ${STAGING}`));
  await q.execute(
    sql.raw(`create temporary table ${STAGING} (row_no integer not null, ${columns.map((c) => `"${c}" text`).join(', ')}) on commit drop`),
  );
  const loader = await copyLoader(q, columns, options.independentSource ?? false);
  const result: StagedFile = { present: [], staged: 0, problems: [], moreProblems: 0 };
  const layout = { columns: RECORD_COLUMNS[kind], required: REQUIRED_COLUMNS[kind] };
  let presentIndex: boolean[] = [];
  try {
    for await (const item of readCsvRows(source, layout, {
      onHeader: (names) => {
        result.present = names;
        presentIndex = columns.map((c) => names.includes(c));
      },
    })) {
      if (item.type === 'problem') {
        if (result.problems.length < MAX_KEPT_PROBLEMS) result.problems.push(item.problem);
        else result.moreProblems++;
        continue;
      }
      const cells: Array<string | null> = [String(item.row)];
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i];
        if (column === 'issue_key') {
          const issue = item.values.issue;
          cells.push(issue === undefined ? null : issueKey(issue));
        } else {
          cells.push(presentIndex[i] ? cellValue(column, item.values[column] ?? '') : null);
        }
      }
      const sending = loader.write(cells.map(copyText).join('\t') + '\n', cells);
      if (sending) await sending;
      if (++result.staged % PROGRESS_EVERY === 0) options.onProgress?.({ phase: 'checking', row: item.row });
    }
  } finally {
    // A failed parse still ends the COPY, so the connection is usable for the rollback.
    await loader.end().catch(() => {});
  }
  return result;
}

/**
 * Judges every staged row in SQL (the same rules and messages as lib/validation/records) and
 * merges the shape problems found while staging: every problem in row order, the first
 * MAX_KEPT_PROBLEMS of them kept. `records` counts the rows without a problem.
 */
export async function checkStaged(q: Queryable, kind: RecordKind, file: StagedFile, maxProblems = MAX_KEPT_PROBLEMS): Promise<CsvCheck> {
  // Without a usable header nothing was staged: the shape problems are the whole answer.
  if (file.present.length === 0) {
    return { records: 0, problems: file.problems.slice(0, maxProblems), moreProblems: file.moreProblems + Math.max(0, file.problems.length - maxProblems) };
  }
  const checks: SQL = STAGED_CHECKS[kind](new Set(file.present));
  const [row] = await queryRows<{ total: number; bad_rows: number; kept: string | null }>(
    q,
    sql`with problems as materialized (${checks})
        select (select count(*)::int from problems) as total,
               (select count(distinct row_no)::int from problems) as bad_rows,
               (select json_agg(json_build_array(row_no, col, msg) order by row_no, ord)::text
                  from (select * from problems order by row_no, ord limit ${maxProblems}) kept) as kept`,
  );
  const found: RecordProblem[] = (JSON.parse(row.kept ?? '[]') as Array<[number, string | null, string]>).map(([r, column, message]) => ({
    row: r,
    column,
    message,
  }));
  // Two sorted lists, each already cut to the limit: merged by row, shape problems first within a row.
  const merged: RecordProblem[] = [];
  let i = 0;
  let j = 0;
  while (merged.length < maxProblems && (i < file.problems.length || j < found.length)) {
    if (j >= found.length || (i < file.problems.length && file.problems[i].row <= found[j].row)) merged.push(file.problems[i++]);
    else merged.push(found[j++]);
  }
  const total = file.problems.length + file.moreProblems + row.total;
  return { records: file.staged - row.bad_rows, problems: merged, moreProblems: total - merged.length };
}

export interface MergeCounts {
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
}

/**
 * Merges the staged (and checked) rows into the kind's table (its triggers update the rollups),
 * then ANALYZEs the table and its rollups.
 */
export async function mergeStaged(q: Queryable, kind: RecordKind, file: StagedFile): Promise<MergeCounts> {
  const present = new Set(file.present);
  const { before, update, insert, table } = stagedMerge(kind, present);
  // Imports of one kind take turns from here: a second one then sees the first's rows as existing
  // (and updates them) instead of inserting the same ids beside it.
  await q.execute(sql`select pg_advisory_xact_lock(hashtext(${`cx-scorecard:import:${kind}`}))`);
  if (before) await q.execute(before);
  const changed = update ? (await queryRows<{ n: number }>(q, update))[0].n : 0;
  const [added] = await queryRows<{ n: number }>(q, insert);
  // PostgreSQL here runs without autovacuum: fresh statistics keep index scans cheap after a bulk load.
  await q.execute(sql.raw(`analyze ${[table, ...ROLLUP_TABLES[kind]].join(', ')}`));
  return { rows: file.staged, added: added.n, changed, unchanged: file.staged - added.n - changed };
}

/** What loading a file in a transaction found: the merge's counts, or every problem (and nothing merged). */
export type StagedLoad = { ok: true; counts: MergeCounts; lastRow: number } | { ok: false; check: CsvCheck };

/**
 * Stages, checks and (when the file has no problem) merges a CSV inside the caller's transaction.
 * On a problem nothing is merged; the caller rolls back, which drops the staging table.
 */
export async function loadCsv(
  tx: Queryable,
  kind: RecordKind,
  source: CsvSource,
  options: { onProgress?: (progress: CsvProgress) => void; maxProblems?: number; independentSource?: boolean } = {},
): Promise<StagedLoad> {
  const file = await stageCsv(tx, kind, source, options);
  const check = await checkStaged(tx, kind, file, options.maxProblems);
  if (check.problems.length || check.moreProblems) return { ok: false, check };
  options.onProgress?.({ phase: 'writing', row: file.staged });
  const counts = await mergeStaged(tx, kind, file);
  return { ok: true, counts, lastRow: file.staged };
}
