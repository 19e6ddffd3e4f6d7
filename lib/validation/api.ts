import { z } from 'zod';
import type { ApiProblem } from '@/lib/api/http';
import { rowIdSchema } from './ids';
import {
  ID_COLUMN,
  RECORD_COLUMNS,
  RECORD_KINDS,
  validateRecord,
  type RecordKind,
  type RecordTypes,
} from '@/lib/validation/records';

/** Under Vercel's 4.5 MB request body limit, with room for headers. */
export const MAX_INGEST_BYTES = 4 * 1024 * 1024;
export const MAX_INGEST_RECORDS = 10_000;
/** Problems listed in one answer; a request can have tens of thousands, and the first ones say what is wrong. */
export const MAX_LISTED_PROBLEMS = 1000;

export type IngestValidation<K extends RecordKind> =
  | { ok: true; records: RecordTypes[K][] }
  | { ok: false; status: 400 | 413; error: string; problems: ApiProblem[] };

// The database cannot store a NUL, and a lone surrogate would silently become U+FFFD: both are refused, as in a CSV.
const textProblem = (value: string): string | null => {
  if (value.includes('\u0000')) return 'contains a NUL character';
  if (/\p{Cs}/u.test(value)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode text)';
  return null;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A JSON ingest body: an array of records with SPEC's column names, each validated as a CSV row
 * is (lib/validation/records), plus what only JSON can get wrong: a body that is not an array,
 * an element that is not an object, a field the kind does not have. Ids must be unique within
 * a request; the later index names the earlier one.
 */
export function validateIngestBody<K extends RecordKind>(kind: K, body: unknown): IngestValidation<K> {
  const noun = kind === 'responses' ? 'survey responses' : kind.replace('-', ' ');
  if (!Array.isArray(body)) {
    return { ok: false, status: 400, error: `The body must be a JSON array of ${noun}.`, problems: [] };
  }
  if (body.length > MAX_INGEST_RECORDS) {
    return {
      ok: false,
      status: 413,
      error: `At most ${MAX_INGEST_RECORDS.toLocaleString('en')} records per request; this one has ${body.length.toLocaleString('en')}.`,
      problems: [],
    };
  }
  const columns: readonly string[] = RECORD_COLUMNS[kind];
  const idColumn = ID_COLUMN[kind];
  const firstIndexOfId = new Map<string, number>();
  const problems: ApiProblem[] = [];
  let found = 0;
  const add = (problem: ApiProblem) => {
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(problem);
    found++;
  };
  const records: RecordTypes[K][] = [];

  body.forEach((item, index) => {
    if (!isPlainObject(item)) {
      add({ index, field: null, message: `must be an object with the fields ${columns.join(', ')}` });
      return;
    }
    const textProblems: ApiProblem[] = [];
    for (const [key, value] of Object.entries(item)) {
      if (!columns.includes(key)) add({ index, field: key, message: `is not a known field; expected ${columns.join(', ')}` });
      else if (typeof value === 'string' && textProblem(value)) textProblems.push({ index, field: key, message: textProblem(value)! });
    }
    const id = item[idColumn];
    if (typeof id === 'string' && id.trim() !== '') {
      const earlier = firstIndexOfId.get(id.trim());
      if (earlier !== undefined) add({ index, field: idColumn, message: `"${id.trim()}" is already at index ${earlier}` });
      else firstIndexOfId.set(id.trim(), index);
    }
    const result = validateRecord(kind, item);
    const flagged = new Set(result.ok ? [] : result.problems.map((p) => p.column));
    for (const problem of textProblems) if (!flagged.has(problem.field)) add(problem);
    if (result.ok) records.push(result.record);
    else for (const { column, message } of result.problems) add({ index, field: column, message });
  });

  if (found > 0) {
    const more = found > problems.length ? ` (the first ${problems.length} are listed)` : '';
    const error = `Nothing was saved: ${found.toLocaleString('en')} ${found === 1 ? 'problem' : 'problems'} in the records${more}.`;
    return { ok: false, status: 400, error, problems };
  }
  return { ok: true, records };
}

/** The largest file the import page takes: a million rows of any realistic width fits. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
/** Chunk bodies stay far under serverless request limits (Vercel: 4.5 MB). */
export const MAX_IMPORT_CHUNK_BYTES = 3 * 1024 * 1024;
export const IMPORT_CHUNK_BYTES = 2 * 1024 * 1024;

export const importCreateSchema = z.object({
  kind: z.enum(RECORD_KINDS, { error: `Choose a kind of record: ${RECORD_KINDS.join(', ')}` }),
  fileName: z.string().trim().max(255).optional(),
  size: z
    .number({ error: 'must be the file size in bytes' })
    .int()
    .min(1, { error: 'The file is empty.' })
    .max(MAX_IMPORT_BYTES, { error: `The file is larger than ${MAX_IMPORT_BYTES / 2 ** 20} MB.` }),
  chunks: z
    .number({ error: 'must be the number of chunks' })
    .int()
    .min(1)
    .max(Math.ceil(MAX_IMPORT_BYTES / 1024 / 1024)),
});
export type ImportCreateInput = z.infer<typeof importCreateSchema>;

export const chunkIndexSchema = z.coerce.number().int().min(0).max(Math.ceil(MAX_IMPORT_BYTES / 1024 / 1024));
export const importIdSchema = z.string().regex(/^imp_[A-Za-z0-9_-]{22}$/);

export const apiTokenCreateSchema = z.object({
  name: z
    .string({ error: 'Name the token after the system that will use it' })
    .trim()
    .min(1, { error: 'Name the token after the system that will use it' })
    .max(100, { error: 'Keep the name under 100 characters' }),
});

export const apiTokenRevokeSchema = z.object({ id: rowIdSchema('No such token') });
