/**
 * Freezes the latest complete month as a snapshot and prints its link's token: the benchmarks
 * run it on the embedded database before `next start` opens it (one process at a time).
 */
import { eq } from 'drizzle-orm';
import { toExecutiveDto } from '@/lib/data/executives';
import { createSnapshot } from '@/lib/data/snapshots';
import { closeDb, getDb } from '@/lib/db';
import { executives } from '@/lib/db/schema';
import { latestCompleteMonth } from '@/lib/metrics/period';
import { DEMO_EMAIL } from './server';

async function main() {
  const db = await getDb();
  const [row] = await db.select().from(executives).where(eq(executives.email, DEMO_EMAIL));
  if (!row) throw new Error(`No demo executive ${DEMO_EMAIL}: load the demo company first.`);
  const created = await createSnapshot(db, toExecutiveDto(row), {
    period: latestCompleteMonth().label,
    title: 'Bench board snapshot',
    note: 'Frozen for the benchmark.',
    expiresInDays: 30,
    passcode: null,
  });
  process.stdout.write(`${created.token}\n`);
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
