import { Writable } from 'node:stream';
import { entityKind, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { readCsvRows, type CsvSource } from '@/lib/csv/parse';
import { issueKey } from '@/lib/metrics/issue-key';
import { MAX_KEPT_PROBLEMS, type CsvCheck, type CsvProgress } from '@/lib/csv/records';
import { RECORD_COLUMNS, REQUIRED_COLUMNS, type RecordKind, type RecordProblem } from '@/lib/validation/records';
import { fileProblemsQuery, rowProblemsQuery, stagedMerge } from './bulk-sql';
import { ROLLUP_TABLES } from './rollups';

/**
 * CSV imports at COPY speed in constant memory. The file is parsed in JS only as far as SQL
 * cannot: its shape (header, quoting, field counts, encoding) and spreadsheet row numbers. Every
 * row is streamed — as text, trimmed — into a temporary staging table, by `COPY` on node-postgres
 * (pg-copy-streams), by `COPY … FROM '/dev/blob'` on PGlite, and by batched inserts on any other
 * driver. SQL judges each value (lib/data/bulk-sql), batch by batch while the next batch is read,
 * then finds repeated ids over the whole file, and one statement merges the staged rows (a large
 * first load builds the table's keys and indexes afterwards). No record object or id set is held
 * in memory.
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
  write(line: string, cells: Array<string | null>, row: number): Promise<void> | undefined;
  end(): Promise<void>;
}

/** The first and last row of a batch of lines. */
interface RowRange {
  first: number;
  last: number;
}

/** Called once a batch is staged, with the table holding just its rows: they are checked while the next are read. */
type OnBatch = (table: string) => Promise<void>;

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
function bufferedLoader(send: (bytes: Uint8Array<ArrayBuffer>, rows: RowRange) => Promise<void>): Loader {
  let buffer = Buffer.allocUnsafe(BLOB_BYTES);
  let used = 0;
  const rows: RowRange = { first: 0, last: 0 };
  const flush = async () => {
    if (!used) return;
    const bytes = buffer.subarray(0, used);
    used = 0;
    await send(bytes, { ...rows });
  };
  const append = (line: string, row: number) => {
    if (!used) rows.first = row;
    used += buffer.write(line, used);
    rows.last = row;
  };
  return {
    write(line, _cells, row) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit: room is checked without measuring the line.
      const room = line.length * 3;
      if (used + room <= buffer.length) return void append(line, row);
      return flush().then(() => {
        if (room > buffer.length) buffer = Buffer.allocUnsafe(room);
        append(line, row);
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
function batchedLoader(sendText: (text: string, rows: RowRange) => Promise<void>, overlap: boolean): Loader {
  let lines: string[] = [];
  let bytes = 0;
  const rows: RowRange = { first: 0, last: 0 };
  let inFlight: Promise<void> | null = null;
  const send = async () => {
    const text = lines.join('');
    const batch = { ...rows };
    lines = [];
    bytes = 0;
    if (inFlight) await inFlight;
    inFlight = sendText(text, batch);
    // Awaited by the next send or by end(); until then its failure must not go unhandled.
    inFlight.catch(() => {});
    if (!overlap) await inFlight;
  };
  return {
    write(line, _cells, row) {
      if (!lines.length) rows.first = row;
      lines.push(line);
      bytes += line.length;
      rows.last = row;
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

/**
 * Streams lines into the staging table, which is partitioned by row number: each batch gets a
 * partition of its own, is copied straight into it and handed to `onBatch` there, so checking a
 * batch reads only its rows. (Rows cannot be told apart by page: the free space a batch leaves on
 * its pages may take rows of a later one.)
 */
async function copyLoader(q: Queryable, columns: string[], overlap: boolean, onBatch: OnBatch): Promise<Loader> {
  const driver = driverOf(q);
  const target = (table: string) => `${table} (row_no, ${columns.map((c) => `"${c}"`).join(', ')})`;
  let batches = 0;
  const partition = async ({ first, last }: RowRange) => {
    const table = `${STAGING}_${++batches}`;
    await q.execute(sql.raw(`create temporary table ${table} partition of ${STAGING} for values from (${first}) to (${last + 1})`));
    return table;
  };
  if (driver.kind === 'node-postgres') {
    const { from } = await import('pg-copy-streams');
    const client = driver.client as { query(stream: Writable): Writable };
    // One COPY per few MB. Unless the caller says the source is independent of this connection,
    // each is finished before the next rows are read: a browser import's staged chunks are read
    // through this connection, and one client runs one query at a time.
    return batchedLoader(async (text, rows) => {
      const table = await partition(rows);
      const stream = client.query(from(`copy ${target(table)} from stdin`));
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('finish', resolve);
        stream.end(text);
      });
      await onBatch(table);
    }, overlap);
  }
  if (driver.kind === 'pglite') {
    const client = driver.client as { query(text: string, params: unknown[], options: { blob: Blob }): Promise<unknown> };
    // PGlite reads /dev/blob from `await blob.arrayBuffer()`, to its length. A real Blob would
    // copy each MB twice into new memory that is collected late (~60 MB of it at the peak):
    // one resizable ArrayBuffer, refilled per COPY, stands in for it.
    const shared = new (ArrayBuffer as unknown as ResizableArrayBuffer)(0, { maxByteLength: BLOB_BYTES });
    const blob = { arrayBuffer: async () => shared } as unknown as Blob;
    return bufferedLoader(async (bytes, rows) => {
      const table = await partition(rows);
      const copy = `copy ${target(table)} from '/dev/blob'`;
      if (bytes.length > shared.maxByteLength) {
        await client.query(copy, [], { blob: new Blob([bytes]) });
      } else {
        shared.resize(bytes.length);
        new Uint8Array(shared).set(bytes);
        await client.query(copy, [], { blob });
      }
      await onBatch(table);
    });
  }
  // A driver without COPY (Vercel Postgres' WebSocket pool): batched inserts, one array per column,
  // into one partition for every row. Its batches are too small to check one by one over the
  // network: none goes to `onBatch`, and checkStaged checks the rows.
  const table = `${STAGING}_rows`;
  await q.execute(sql.raw(`create temporary table ${table} partition of ${STAGING} default`));
  let batch: Array<Array<string | null>> = [];
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    const arrays = [sql`${sql.param(rows.map((r) => r[0]))}::int[]`];
    for (let i = 1; i <= columns.length; i++) arrays.push(sql`${sql.param(rows.map((r) => r[i]))}::text[]`);
    await q.execute(sql`insert into ${sql.raw(target(table))} select * from unnest(${sql.join(arrays, sql`, `)})`);
  };
  return {
    write(_line, cells) {
      batch.push(cells);
      return batch.length >= INSERT_ROWS ? flush() : undefined;
    },
    end: flush,
  };
}

/** A problem SQL found, with its place among its row's problems (lib/data/bulk-sql's `ord`). */
type FoundProblem = RecordProblem & { ord: number };

/** What SQL's checks found: how many problems, on how many rows, and the first of them in order. */
interface Found {
  total: number;
  badRows: number;
  kept: FoundProblem[];
}

export interface StagedFile {
  /** The file's columns (SPEC names); a column absent from the file leaves stored fields alone. */
  present: string[];
  /** Rows written to the staging table. */
  staged: number;
  /** The file's shape problems (rows not staged), at most MAX_KEPT_PROBLEMS, and how many more. */
  problems: RecordProblem[];
  moreProblems: number;
  /** What the row checks found, run batch by batch while staging; null when no batch was checked (checkStaged checks the rows). */
  rowProblems: Found | null;
}

/**
 * Counts a problems query's answers (row_no, ord, col, msg[, flagged]) and keeps the first
 * `limit` in order. With `flagged`, rows it marks are not counted as bad again.
 */
async function findProblems(q: Queryable, problems: SQL, limit: number, flagged: boolean): Promise<Found> {
  const [row] = await queryRows<{ total: number; bad_rows: number; kept: string | null }>(
    q,
    sql`with problems as materialized (${problems})
        select (select count(*)::int from problems) as total,
               (select count(distinct row_no)::int from problems${flagged ? sql` where not flagged` : sql``}) as bad_rows,
               (select json_agg(json_build_array(row_no, ord, col, msg) order by row_no, ord)::text
                  from (select * from problems order by row_no, ord limit ${limit}) kept) as kept`,
  );
  const kept = (JSON.parse(row.kept ?? '[]') as Array<[number, number, string | null, string]>).map(([r, ord, column, message]) => ({
    row: r,
    ord,
    column,
    message,
  }));
  return { total: row.total, badRows: row.bad_rows, kept };
}

/** Runs the row checks on each batch once it is staged, adding what they find to the file's. */
function batchChecker(q: Queryable, kind: RecordKind, file: StagedFile): OnBatch {
  return async (table) => {
    const found = (file.rowProblems ??= { total: 0, badRows: 0, kept: [] });
    const problems = rowProblemsQuery(kind, new Set(file.present), table);
    const { total, badRows, kept } = await findProblems(q, problems, MAX_KEPT_PROBLEMS - found.kept.length, false);
    found.total += total;
    found.badRows += badRows;
    found.kept.push(...kept);
  };
}

/** Creates the staging table and streams the file's rows into it, checking each row on its own. */
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
    sql.raw(`create temporary table ${STAGING} (row_no integer not null, ${columns.map((c) => `"${c}" text`).join(', ')})
      partition by range (row_no) on commit drop`),
  );
  const result: StagedFile = { present: [], staged: 0, problems: [], moreProblems: 0, rowProblems: null };
  const loader = await copyLoader(q, columns, options.independentSource ?? false, batchChecker(q, kind, result));
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
      const sending = loader.write(cells.map(copyText).join('\t') + '\n', cells, item.row);
      if (sending) await sending;
      if (++result.staged % PROGRESS_EVERY === 0) options.onProgress?.({ phase: 'checking', row: item.row });
    }
  } catch (error) {
    // A failed parse still ends the COPY, so the connection is usable for the rollback.
    await loader.end().catch(() => {});
    throw error;
  }
  await loader.end();
  return result;
}

/** Problems from sorted lists, each already cut to the limit: merged by row, then by their place in the row. */
function mergeProblems(lists: FoundProblem[][], limit: number): RecordProblem[] {
  const next = lists.map(() => 0);
  const merged: RecordProblem[] = [];
  while (merged.length < limit) {
    let best = -1;
    lists.forEach((list, i) => {
      const candidate = list[next[i]];
      if (!candidate) return;
      const current = best === -1 ? null : lists[best][next[best]];
      if (!current || candidate.row < current.row || (candidate.row === current.row && candidate.ord < current.ord)) best = i;
    });
    if (best === -1) break;
    const { row, column, message } = lists[best][next[best]++];
    merged.push({ row, column, message });
  }
  return merged;
}

/**
 * Finishes judging the staged rows in SQL (the same rules and messages as
 * lib/validation/records): the checks that need the whole file or the stored records, and the
 * row checks if staging did not run them. Every problem comes in row order, shape problems first
 * within a row; the first `maxProblems` are kept. `records` counts the rows without a problem.
 */
export async function checkStaged(q: Queryable, kind: RecordKind, file: StagedFile, maxProblems = MAX_KEPT_PROBLEMS): Promise<CsvCheck> {
  // Without a usable header nothing was staged: the shape problems are the whole answer.
  if (file.present.length === 0) {
    return { records: 0, problems: file.problems.slice(0, maxProblems), moreProblems: file.moreProblems + Math.max(0, file.problems.length - maxProblems) };
  }
  const shape: FoundProblem[] = file.problems.map((problem) => ({ ...problem, ord: -1 }));
  const shapeTotal = file.problems.length + file.moreProblems;
  const rows = file.rowProblems ?? { total: 0, badRows: 0, kept: [] };
  const whole = await findProblems(q, fileProblemsQuery(kind, new Set(file.present), file.rowProblems === null), maxProblems, true);
  const problems = mergeProblems([shape, rows.kept, whole.kept], maxProblems);
  const total = shapeTotal + rows.total + whole.total;
  return { records: file.staged - rows.badRows - whole.badRows, problems, moreProblems: total - problems.length };
}

export interface MergeCounts {
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
}

/** A file at least this large, loaded into an empty table, is written before the table's indexes are built. */
export const FIRST_LOAD_ROWS = 50_000;

async function isEmpty(q: Queryable, table: string): Promise<boolean> {
  const [{ empty }] = await queryRows<{ empty: boolean }>(q, sql.raw(`select not exists (select 1 from "${table}") as empty`));
  return empty;
}

/**
 * Runs `write` on an empty table without its indexes and keys, then builds them again as they
 * were: PostgreSQL's own advice for loading a fresh table. Building an index from a million rows
 * costs a fraction of inserting them one by one. The table stays locked until the import commits,
 * so nobody reads it without its keys (a reader waits for the first load). If the table turns out
 * not to be empty once locked, `write` runs as usual.
 */
async function withIndexesBuiltAfter<T>(q: Queryable, table: string, write: () => Promise<T>): Promise<T> {
  await q.execute(sql.raw(`lock table "${table}" in access exclusive mode`));
  if (!(await isEmpty(q, table))) return write();
  const indexes = await queryRows<{ index: string; definition: string; key: string | null; key_definition: string | null }>(
    q,
    sql`select i.indexrelid::regclass::text as index, pg_get_indexdef(i.indexrelid) as definition,
               k.conname as key, pg_get_constraintdef(k.oid) as key_definition
        from pg_index i left join pg_constraint k on k.conindid = i.indexrelid and k.conrelid = i.indrelid
        where i.indrelid = ${table}::regclass
        order by k.conname is null, 1`,
  );
  for (const { index, key } of indexes) {
    await q.execute(sql.raw(key ? `alter table "${table}" drop constraint "${key}"` : `drop index ${index}`));
  }
  const result = await write();
  for (const { definition, key, key_definition } of indexes) {
    await q.execute(sql.raw(key ? `alter table "${table}" add constraint "${key}" ${key_definition}` : definition));
  }
  return result;
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
  const write = async () => {
    const changed = update ? (await queryRows<{ n: number }>(q, update))[0].n : 0;
    const [added] = await queryRows<{ n: number }>(q, insert);
    return { changed, added: added.n };
  };
  // Checked before locking too: an import into a loaded table must not lock out its readers.
  const firstLoad = file.staged >= FIRST_LOAD_ROWS && (await isEmpty(q, table));
  const { changed, added } = firstLoad ? await withIndexesBuiltAfter(q, table, write) : await write();
  // PostgreSQL here runs without autovacuum: fresh statistics keep index scans cheap after a bulk load.
  await q.execute(sql.raw(`analyze ${[table, ...ROLLUP_TABLES[kind]].join(', ')}`));
  return { rows: file.staged, added, changed, unchanged: file.staged - added - changed };
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
