import fs from 'node:fs';
import type { Db } from '@/lib/db';
import type { CsvSource } from '@/lib/csv/parse';
import { checkCsv, CsvChangedError, csvRecordBatches, type CsvCheckOptions } from '@/lib/csv/records';
import type { RecordKind, RecordProblem } from '@/lib/validation/records';
import type { Actor } from './audit';
import { applyRecords, type ApplySummary } from './records';

export type CsvImportResult =
  | { ok: true; summary: ApplySummary }
  | { ok: false; problems: RecordProblem[]; moreProblems: number };

/**
 * Imports a CSV all or nothing, in two reads so memory stays bounded whatever its size:
 * the first lists every problem and writes nothing if there is one; the second streams the
 * records into one transaction. `open` is called once per read and must give the same bytes.
 */
export async function importCsv(
  db: Db,
  kind: RecordKind,
  open: () => CsvSource,
  actor: Actor,
  options: CsvCheckOptions = {},
): Promise<CsvImportResult> {
  const check = await checkCsv(kind, open(), options);
  if (check.problems.length) return { ok: false, problems: check.problems, moreProblems: check.moreProblems };
  try {
    const summary = await applyRecords(db, kind, csvRecordBatches(kind, open(), options), actor, 'import');
    return { ok: true, summary };
  } catch (error) {
    // The file changed between the two reads; the transaction has rolled back.
    if (error instanceof CsvChangedError) return { ok: false, problems: [error.problem], moreProblems: 0 };
    throw error;
  }
}

export function importCsvFile(
  db: Db,
  kind: RecordKind,
  filePath: string,
  actor: Actor,
  options: CsvCheckOptions = {},
): Promise<CsvImportResult> {
  return importCsv(db, kind, () => fs.createReadStream(filePath), actor, options);
}
