/**
 * One CLI import in a process of its own, for bench/scale.ts: what `npm run cli -- import KIND
 * FILE` does (migrate, then importCsvFile) on the database the environment names. Prints the
 * import's seconds and this process's peak resident memory as one JSON line: the memory is the
 * import's own, not the bench's generated data or another database's.
 *
 *   node --import tsx bench/scale-import.ts KIND FILE
 */
import fs from 'node:fs';
import { CLI_ACTOR } from '@/lib/data/audit';
import { importCsvFile } from '@/lib/data/import-csv';
import { closeDb, getDbHandle } from '@/lib/db';
import { migrateDb } from '@/lib/db/migrate';
import { isRecordKind } from '@/lib/validation/records';

/** A figure from /proc/self/status in bytes; VmHWM is the peak RSS, which sampling could miss. */
function statusBytes(field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  if (!match) throw new Error(`No ${field} in /proc/self/status`);
  return Number(match[1]) * 1024;
}

export interface ImportReport {
  seconds: number;
  rows: number;
  rssBeforeBytes: number;
  peakBytes: number;
}

async function main() {
  const [kind, file] = process.argv.slice(2);
  if (!kind || !isRecordKind(kind) || !file) throw new Error('Usage: scale-import.ts KIND FILE');
  const handle = await getDbHandle();
  await migrateDb(handle);
  const rssBeforeBytes = statusBytes('VmRSS');
  const started = performance.now();
  const result = await importCsvFile(handle.db, kind, file, CLI_ACTOR);
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) throw new Error(`${kind} was not imported: ${JSON.stringify(result.problems.slice(0, 3))}`);
  const report: ImportReport = { seconds, rows: result.summary.rows, rssBeforeBytes, peakBytes: statusBytes('VmHWM') };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
