import fs from 'node:fs';
import type { Db } from '@/lib/db';
import type { CsvSource } from '@/lib/csv/parse';
import type { CsvCheck, CsvCheckOptions } from '@/lib/csv/records';
import type { RecordKind, RecordProblem } from '@/lib/validation/records';
import { writeAudit, type Actor } from './audit';
import { loadCsv } from './bulk-load';
import { bumpDataVersion, type ApplySummary } from './records';

export type CsvImportResult =
  | { ok: true; summary: ApplySummary }
  | { ok: false; problems: RecordProblem[]; moreProblems: number };

/** Thrown inside the transaction to roll it back when the file has problems. */
class FileRejected extends Error {
  constructor(readonly check: CsvCheck) {
    super('The file has problems; nothing was written.');
  }
}

/**
 * Imports a CSV all or nothing in one read and one transaction: the rows stream into a staging
 * table, SQL lists every problem (and the transaction rolls back if there is one), then one
 * statement merges them (lib/data/bulk-load). Memory stays flat whatever the file's size.
 */
export async function importCsv(
  db: Db,
  kind: RecordKind,
  open: () => CsvSource,
  actor: Actor,
  options: CsvCheckOptions = {},
): Promise<CsvImportResult> {
  try {
    const summary = await db.transaction(async (tx) => {
      // The source is a string, a file or a request body, never read through the transaction.
      const load = await loadCsv(tx, kind, open(), { ...options, independentSource: true });
      if (!load.ok) throw new FileRejected(load.check);
      const summary: ApplySummary = { kind, ...load.counts };
      if (summary.added + summary.changed > 0) await bumpDataVersion(tx);
      await writeAudit(tx, actor, { action: 'import', entity: kind, after: summary });
      return summary;
    });
    return { ok: true, summary };
  } catch (error) {
    if (error instanceof FileRejected) return { ok: false, problems: error.check.problems, moreProblems: error.check.moreProblems };
    throw error;
  }
}

export async function importCsvFile(
  db: Db,
  kind: RecordKind,
  filePath: string,
  actor: Actor,
  options: CsvCheckOptions = {},
): Promise<CsvImportResult> {
  // Opened before the transaction: a missing or unreadable file fails here, as a plain rejection,
  // rather than as a stream error that fires while nothing is listening yet.
  const handle = await fs.promises.open(filePath, 'r');
  try {
    return await importCsv(db, kind, () => handle.createReadStream({ autoClose: false }), actor, options);
  } finally {
    await handle.close();
  }
}
