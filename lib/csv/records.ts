import {
  ID_COLUMN,
  RECORD_COLUMNS,
  REQUIRED_COLUMNS,
  validateRecord,
  type RecordKind,
  type RecordProblem,
  type RecordTypes,
} from '@/lib/validation/records';
import { readCsvRows, type CsvSource } from './parse';

/**
 * The per-row rules of a CSV import, shared by the command line and browser uploads:
 * the file's shape (lib/csv/parse), each record's validation, and ids unique within the file.
 */

export type CsvRecordItem<K extends RecordKind> =
  | { type: 'record'; row: number; record: RecordTypes[K] }
  | { type: 'problem'; problem: RecordProblem };

/** Every valid record of a CSV file with its row number, and a problem for every fault. */
export async function* readCsvRecords<K extends RecordKind>(kind: K, source: CsvSource): AsyncGenerator<CsvRecordItem<K>> {
  const layout = { columns: RECORD_COLUMNS[kind], required: REQUIRED_COLUMNS[kind] };
  const idColumn = ID_COLUMN[kind];
  // Only ids are kept (id → first row), never the records, so a million rows fit in memory.
  const firstRowOfId = new Map<string, number>();
  for await (const item of readCsvRows(source, layout)) {
    if (item.type === 'problem') {
      yield item;
      continue;
    }
    // Checked before validation, so a repeated id is reported even when either row has other faults.
    const id = item.values[idColumn]?.trim();
    const earlier = id ? firstRowOfId.get(id) : undefined;
    if (earlier !== undefined) {
      yield { type: 'problem', problem: { row: item.row, column: idColumn, message: `"${id}" is already on row ${earlier}` } };
    } else if (id) {
      firstRowOfId.set(id, item.row);
    }
    const result = validateRecord(kind, item.values);
    if (!result.ok) {
      for (const { column, message } of result.problems) {
        yield { type: 'problem', problem: { row: item.row, column, message } };
      }
    } else if (earlier === undefined) {
      yield { type: 'record', row: item.row, record: result.record };
    }
  }
}

export const MAX_KEPT_PROBLEMS = 10_000;

export interface CsvCheck {
  /** Valid records found (rows with a problem are not counted). */
  records: number;
  /** The first problems, in row order, at most `maxProblems` of them. */
  problems: RecordProblem[];
  /** Problems found beyond those kept. */
  moreProblems: number;
}

export interface CsvProgress {
  phase: 'checking' | 'writing';
  /** The spreadsheet row reached. */
  row: number;
}

export interface CsvCheckOptions {
  maxProblems?: number;
  onProgress?: (progress: CsvProgress) => void;
}

const PROGRESS_EVERY = 5000;

/** Reads a whole CSV and lists its problems; keeps nothing else, so any size of file can be checked. */
export async function checkCsv(kind: RecordKind, source: CsvSource, options: CsvCheckOptions = {}): Promise<CsvCheck> {
  const maxProblems = options.maxProblems ?? MAX_KEPT_PROBLEMS;
  const check: CsvCheck = { records: 0, problems: [], moreProblems: 0 };
  for await (const item of readCsvRecords(kind, source)) {
    if (item.type === 'problem') {
      if (check.problems.length < maxProblems) check.problems.push(item.problem);
      else check.moreProblems++;
    } else if (++check.records % PROGRESS_EVERY === 0) {
      options.onProgress?.({ phase: 'checking', row: item.row });
    }
  }
  return check;
}

/** Raised when a file that passed its check turns out to have a problem on the second read. */
export class CsvChangedError extends Error {
  constructor(readonly problem: RecordProblem) {
    super(`row ${problem.row}${problem.column ? `, column ${problem.column}` : ''}: ${problem.message}`);
    this.name = 'CsvChangedError';
  }
}

export const CSV_BATCH_SIZE = 2000;

/** The records of an already-checked CSV in batches, for one transaction; throws on any problem. */
export async function* csvRecordBatches<K extends RecordKind>(
  kind: K,
  source: CsvSource,
  options: { batchSize?: number; onProgress?: (progress: CsvProgress) => void } = {},
): AsyncGenerator<RecordTypes[K][]> {
  const batchSize = options.batchSize ?? CSV_BATCH_SIZE;
  let batch: RecordTypes[K][] = [];
  let row = 0;
  for await (const item of readCsvRecords(kind, source)) {
    if (item.type === 'problem') throw new CsvChangedError(item.problem);
    batch.push(item.record);
    row = item.row;
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
      options.onProgress?.({ phase: 'writing', row });
    }
  }
  if (batch.length) yield batch;
  options.onProgress?.({ phase: 'writing', row });
}
