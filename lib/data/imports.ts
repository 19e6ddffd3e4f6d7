import { randomBytes } from 'node:crypto';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { executives, imports, importStages, type ImportState } from '@/lib/db/schema';
import { CsvChangedError, type CsvCheck, type CsvProgress } from '@/lib/csv/records';
import { ForbiddenError } from '@/lib/auth/permissions';
import type { RecordKind, RecordProblem, RecordTypes } from '@/lib/validation/records';
import { MAX_IMPORT_CHUNK_BYTES, type ImportCreateInput } from '@/lib/validation/api';
import { writeAudit, type Actor } from './audit';
import { checkStaged, loadCsv, stageCsv } from './bulk-load';
import { applyRecords, bumpDataVersion, type ApplySummary } from './records';

/**
 * Browser imports, built for serverless limits (a few MB per request, seconds per function):
 * the browser sends the file as raw byte chunks, which are staged in order; then one request
 * checks the whole staged file with the same per-row rules as the CLI (lib/csv/records), and
 * another applies it in ONE transaction, all or nothing. Chunks are staged as they arrived
 * (base64, so any bytes survive — a split UTF-8 character, a NUL — and the parser judges them
 * exactly as it judges a file on disk).
 */

/** Who is importing: a signed-in admin, or an API token (which acts for the admin who made it). */
export interface DataWriter {
  actor: Actor;
  canImport: boolean;
}

export interface ImportMeta {
  size: number;
  chunks: number;
  /** Set once the whole staged file has been checked and found valid. */
  checkedRecords?: number;
  problems?: RecordProblem[];
  moreProblems?: number;
  result?: ApplySummary;
}

export interface ImportDto {
  id: string;
  kind: RecordKind;
  fileName: string | null;
  state: ImportState;
  createdByName: string;
  createdAt: Date;
  finishedAt: Date | null;
  size: number;
  chunks: number;
  checkedRecords: number | null;
  problems: RecordProblem[];
  moreProblems: number;
  result: ApplySummary | null;
}

export class ImportNotFoundError extends Error {
  constructor() {
    super('There is no such import.');
    this.name = 'ImportNotFoundError';
  }
}

/** A request that does not fit the import's state or declared shape (a 409 or 400, not a server fault). */
export class ImportStateError extends Error {
  constructor(message: string, readonly status: 400 | 409 = 409) {
    super(message);
    this.name = 'ImportStateError';
  }
}

/** Staging left behind by a closed tab is cleared after a day. */
const STALE_AFTER_HOURS = 24;

function assertCanImport(writer: DataWriter): void {
  if (!writer.canImport) throw new ForbiddenError('Only an admin can import data.');
}

function toDto(row: typeof imports.$inferSelect & { createdByName: string }): ImportDto {
  const meta = (row.summary ?? {}) as Partial<ImportMeta>;
  return {
    id: row.id,
    kind: row.kind as RecordKind,
    fileName: row.fileName,
    state: row.state,
    createdByName: row.createdByName,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    size: meta.size ?? 0,
    chunks: meta.chunks ?? 0,
    checkedRecords: meta.checkedRecords ?? null,
    problems: meta.problems ?? [],
    moreProblems: meta.moreProblems ?? 0,
    result: meta.result ?? null,
  };
}

const importColumns = {
  id: imports.id,
  kind: imports.kind,
  fileName: imports.fileName,
  state: imports.state,
  rowsReceived: imports.rowsReceived,
  summary: imports.summary,
  createdById: imports.createdById,
  createdAt: imports.createdAt,
  finishedAt: imports.finishedAt,
  createdByName: executives.name,
};

async function findImport(q: Queryable, id: string, lock = false) {
  const query = q.select(importColumns).from(imports).innerJoin(executives, eq(executives.id, imports.createdById)).where(eq(imports.id, id));
  const [row] = lock ? await query.for('update', { of: imports }) : await query;
  return row;
}

/** An import is handled only by whoever started it (for a token: the admin who made the token). */
async function getOwnImport(q: Queryable, writer: DataWriter, id: string, lock = false) {
  assertCanImport(writer);
  const row = await findImport(q, id, lock);
  if (!row || row.createdById !== writer.actor.executiveId) throw new ImportNotFoundError();
  return row;
}

export async function getImport(db: Db, writer: DataWriter, id: string): Promise<ImportDto> {
  return toDto(await getOwnImport(db, writer, id));
}

export async function listRecentImports(db: Db, writer: DataWriter, limit = 10): Promise<ImportDto[]> {
  assertCanImport(writer);
  const rows = await db
    .select(importColumns)
    .from(imports)
    .innerJoin(executives, eq(executives.id, imports.createdById))
    .orderBy(desc(imports.createdAt))
    .limit(limit);
  return rows.map(toDto);
}

/** Starts an import: the browser then sends `chunks` chunks of the file. Clears stale staging first. */
export async function createImport(db: Db, writer: DataWriter, input: ImportCreateInput): Promise<ImportDto> {
  assertCanImport(writer);
  if (writer.actor.executiveId === null) throw new ForbiddenError('An import must be started by an executive or an API token.');
  if (input.chunks * MAX_IMPORT_CHUNK_BYTES < input.size || input.chunks > input.size) {
    throw new ImportStateError(`${input.chunks} chunks cannot carry a file of ${input.size} bytes.`, 400);
  }
  const id = `imp_${randomBytes(16).toString('base64url')}`;
  await db.transaction(async (tx) => {
    const stale = await tx
      .update(imports)
      .set({ state: 'cancelled', finishedAt: sql`now()` })
      .where(and(eq(imports.state, 'staging'), lt(imports.createdAt, sql`now() - make_interval(hours => ${STALE_AFTER_HOURS})`)))
      .returning({ id: imports.id });
    for (const { id: staleId } of stale) await tx.delete(importStages).where(eq(importStages.importId, staleId));
    const meta: ImportMeta = { size: input.size, chunks: input.chunks };
    await tx.insert(imports).values({
      id,
      kind: input.kind,
      fileName: input.fileName || null,
      state: 'staging',
      summary: meta as unknown as Record<string, unknown>,
      createdById: writer.actor.executiveId!,
    });
  });
  return getImport(db, writer, id);
}

/**
 * Stages one chunk. Sending the same chunk again replaces it, so a retried request is harmless;
 * a chunk for an import that is no longer staging (cancelled, applied) is refused.
 */
export async function stageImportChunk(
  db: Db,
  writer: DataWriter,
  id: string,
  chunkIndex: number,
  bytes: Uint8Array,
): Promise<{ chunkIndex: number; bytes: number; received: number; chunks: number }> {
  const row = await getOwnImport(db, writer, id);
  const meta = row.summary as unknown as ImportMeta;
  if (row.state !== 'staging') throw new ImportStateError(`This import is ${row.state}; start a new one.`);
  if (chunkIndex >= meta.chunks) throw new ImportStateError(`Chunk ${chunkIndex} is beyond the ${meta.chunks} chunks announced.`, 400);
  if (bytes.byteLength === 0 || bytes.byteLength > MAX_IMPORT_CHUNK_BYTES) {
    throw new ImportStateError(`A chunk must have 1 to ${MAX_IMPORT_CHUNK_BYTES} bytes.`, 400);
  }
  const data = [Buffer.from(bytes).toString('base64')];
  // Conditional on the import still staging, in one statement, so a chunk racing a cancel leaves nothing behind.
  const staged = await queryRows<{ received: number }>(
    db,
    sql`with staged as (
          insert into import_stages (import_id, chunk_index, kind, rows, created_by_id)
          select ${id}, ${chunkIndex}, ${row.kind}, ${JSON.stringify(data)}::jsonb, ${writer.actor.executiveId}
          where exists (select 1 from imports where id = ${id} and state = 'staging')
          on conflict (import_id, chunk_index) do update set rows = excluded.rows, created_at = now()
          returning 1)
        select (select count(*)::int from staged) as received`,
  );
  if (staged[0].received === 0) throw new ImportStateError('This import is no longer staging; start a new one.');
  const [{ received }] = await queryRows<{ received: number }>(
    db,
    sql`select count(*)::int as received from import_stages where import_id = ${id}`,
  );
  return { chunkIndex, bytes: bytes.byteLength, received, chunks: meta.chunks };
}

/**
 * Lets the event loop run. PGlite answers queries without real I/O, so a loop of them would
 * otherwise starve it: progress lines would not be flushed and a closed connection not noticed.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const SLICE_BYTES = 128 * 1024;

/** The staged file's bytes in order, read one chunk at a time and handed on in small slices. */
async function* stagedBytes(q: Queryable, id: string, chunks: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  for (let index = 0; index < chunks; index++) {
    if (signal?.aborted) throw new ImportAbortedError();
    const [stage] = await queryRows<{ data: string }>(
      q,
      sql`select rows->>0 as data from import_stages where import_id = ${id} and chunk_index = ${index}`,
    );
    if (!stage) throw new ImportStateError(`Chunk ${index} of the file has not arrived.`);
    const bytes = Buffer.from(stage.data, 'base64');
    for (let offset = 0; offset < bytes.length; offset += SLICE_BYTES) {
      await yieldToEventLoop();
      if (signal?.aborted) throw new ImportAbortedError();
      yield bytes.subarray(offset, offset + SLICE_BYTES);
    }
  }
}

async function missingChunks(q: Queryable, id: string, chunks: number): Promise<number[]> {
  const rows = await queryRows<{ index: number }>(
    q,
    sql`select i::int as index from generate_series(0, ${chunks - 1}::int) as i
        where not exists (select 1 from import_stages where import_id = ${id} and chunk_index = i)
        order by i limit 20`,
  );
  return rows.map((r) => r.index);
}

async function stagedSize(q: Queryable, id: string): Promise<number> {
  // Four base64 characters carry three bytes, less the padding.
  const [{ size }] = await queryRows<{ size: string }>(
    q,
    sql`select coalesce(sum(length(rows->>0) / 4 * 3 - (length(rows->>0) - length(rtrim(rows->>0, '=')))), 0)::text as size
        from import_stages where import_id = ${id}`,
  );
  return Number(size);
}

async function reject(db: Db, id: string, meta: ImportMeta, problems: RecordProblem[], moreProblems: number): Promise<void> {
  await db.transaction(async (tx) => {
    const next: ImportMeta = { ...meta, problems, moreProblems };
    await tx
      .update(imports)
      .set({ state: 'rejected', summary: next as unknown as Record<string, unknown>, finishedAt: sql`now()` })
      .where(and(eq(imports.id, id), eq(imports.state, 'staging')));
    await tx.delete(importStages).where(eq(importStages.importId, id));
  });
}

async function assertComplete(q: Queryable, id: string, meta: ImportMeta): Promise<void> {
  const missing = await missingChunks(q, id, meta.chunks);
  if (missing.length) throw new ImportStateError(`Chunks ${missing.join(', ')} of the file have not arrived; send them first.`);
  const size = await stagedSize(q, id);
  if (size !== meta.size) {
    throw new ImportStateError(`The staged chunks hold ${size} bytes but the file has ${meta.size}; send the file again.`, 400);
  }
}

/**
 * Whether a step can start, checked before a streamed answer begins, so a request that cannot
 * succeed gets a plain 4xx. (The step checks again: this is only the early answer.)
 */
export async function assertImportStepCanStart(db: Db, writer: DataWriter, id: string, step: 'validate' | 'apply'): Promise<void> {
  const row = await getOwnImport(db, writer, id);
  const meta = row.summary as unknown as ImportMeta;
  if (step === 'validate') {
    if (row.state === 'staging' && meta.checkedRecords === undefined) await assertComplete(db, id, meta);
  } else if (row.state !== 'applied') {
    if (row.state !== 'staging') throw new ImportStateError(`This import was ${row.state}; start a new one.`);
    if (meta.checkedRecords === undefined) throw new ImportStateError('Check the file before applying it.');
  }
}

export interface ImportProgress {
  phase: 'validating' | 'applying';
  /** Spreadsheet rows read so far (the header is row 1). */
  row: number;
}

const toImportProgress = (progress: CsvProgress): ImportProgress => ({
  phase: progress.phase === 'checking' ? 'validating' : 'applying',
  row: progress.row,
});

/**
 * Checks the whole staged file, listing every problem (row, column, reason); writes no record.
 * A file with a problem is rejected and its staging deleted. Asking again answers the same.
 */
export async function validateImport(
  db: Db,
  writer: DataWriter,
  id: string,
  options: { onProgress?: (progress: ImportProgress) => void; signal?: AbortSignal } = {},
): Promise<ImportDto> {
  const row = await getOwnImport(db, writer, id);
  if (row.state !== 'staging') return toDto(row);
  const meta = row.summary as unknown as ImportMeta;
  if (meta.checkedRecords !== undefined) return toDto(row);
  await assertComplete(db, id, meta);

  // Staged and judged in a transaction that always rolls back: checking writes no record.
  let check: CsvCheck | undefined;
  try {
    await db.transaction(async (tx) => {
      const file = await stageCsv(tx, row.kind as RecordKind, stagedBytes(tx, id, meta.chunks, options.signal), {
        onProgress: (progress) => options.onProgress?.(toImportProgress(progress)),
      });
      check = await checkStaged(tx, row.kind as RecordKind, file);
      throw new CheckDone();
    });
  } catch (error) {
    if (!(error instanceof CheckDone)) throw error;
  }
  if (!check) throw new Error('the check did not finish');
  if (check.problems.length) {
    await reject(db, id, meta, check.problems, check.moreProblems);
  } else {
    const next: ImportMeta = { ...meta, checkedRecords: check.records };
    await db
      .update(imports)
      .set({ rowsReceived: check.records, summary: next as unknown as Record<string, unknown> })
      .where(and(eq(imports.id, id), eq(imports.state, 'staging')));
  }
  return getImport(db, writer, id);
}

class CheckDone extends Error {}

export class ImportAbortedError extends Error {
  constructor() {
    super('The import was stopped before it finished; nothing was changed.');
    this.name = 'ImportAbortedError';
  }
}

/**
 * Applies a checked import in ONE transaction: every record upserted by id, the data version
 * bumped, one audit entry, the import marked applied and its staging deleted — all or nothing.
 * The import row is locked first, so a repeated or concurrent request cannot apply it twice: it
 * answers with the first one's summary. (This is applyRecords' transaction, run here because the
 * staged file must be read through the same transaction: PGlite has a single connection.)
 */
export async function applyImport(
  db: Db,
  writer: DataWriter,
  id: string,
  options: { onProgress?: (progress: ImportProgress) => void; signal?: AbortSignal } = {},
): Promise<ImportDto> {
  assertCanImport(writer);
  try {
    await db.transaction(async (tx) => {
      const row = await getOwnImport(tx, writer, id, true);
      if (row.state === 'applied') return;
      if (row.state !== 'staging') throw new ImportStateError(`This import was ${row.state}; start a new one.`);
      const meta = row.summary as unknown as ImportMeta;
      if (meta.checkedRecords === undefined) throw new ImportStateError('Check the file before applying it.');
      const kind = row.kind as RecordKind;

      const load = await loadCsv(tx, kind, stagedBytes(tx, id, meta.chunks, options.signal), {
        onProgress: (progress) => options.onProgress?.(toImportProgress(progress)),
        maxProblems: 1,
      });
      // The staged bytes changed after the check (they cannot, short of a fault).
      if (!load.ok) throw new CsvChangedError(load.check.problems[0]);
      if (options.signal?.aborted) throw new ImportAbortedError();
      const result: ApplySummary = { kind, ...load.counts };
      if (result.added + result.changed > 0) await bumpDataVersion(tx);
      await writeAudit(tx, writer.actor, {
        action: 'import',
        entity: kind,
        entityId: id,
        after: { ...result, fileName: row.fileName, via: 'browser import' },
      });
      const next: ImportMeta = { ...meta, result };
      await tx
        .update(imports)
        .set({ state: 'applied', rowsReceived: result.rows, summary: next as unknown as Record<string, unknown>, finishedAt: sql`now()` })
        .where(eq(imports.id, id));
      await tx.delete(importStages).where(eq(importStages.importId, id));
    });
  } catch (error) {
    // The staged bytes changed after the check (they cannot, short of a fault): reject with what was found.
    if (!(error instanceof CsvChangedError)) throw error;
    const row = await getOwnImport(db, writer, id);
    await reject(db, id, row.summary as unknown as ImportMeta, [error.problem], 0);
  }
  return getImport(db, writer, id);
}

/** Cancels a staging import and deletes its chunks; cancelling twice is fine, an applied import stays applied. */
export async function cancelImport(db: Db, writer: DataWriter, id: string): Promise<ImportDto> {
  const row = await getOwnImport(db, writer, id);
  if (row.state === 'applied') throw new ImportStateError('This import has already been applied; it cannot be cancelled.');
  await db.transaction(async (tx) => {
    await tx
      .update(imports)
      .set({ state: 'cancelled', finishedAt: sql`now()` })
      .where(and(eq(imports.id, id), eq(imports.state, 'staging')));
    await tx.delete(importStages).where(eq(importStages.importId, id));
  });
  return getImport(db, writer, id);
}

/** Records sent by another system through the JSON API, already validated: one transaction, upsert by id, audited. */
export async function ingestRecords<K extends RecordKind>(
  db: Db,
  writer: DataWriter,
  kind: K,
  records: RecordTypes[K][],
): Promise<ApplySummary> {
  assertCanImport(writer);
  return applyRecords(db, kind, [records], writer.actor, 'api');
}
