import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMetricSeries, getScorecard } from '@/lib/data/scorecard';
import { seedDemo } from '@/lib/db/seed/demo';
import { latestCompleteMonth, parsePeriod, periodsEndingWith } from '@/lib/metrics/period';
import { buildSnapshotPayload } from '@/lib/snapshots/payload';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

/**
 * node-postgres warns (pg 9 will refuse) when a query is sent on a connection still answering
 * another: Promise.all over one transaction. The warning is a DeprecationWarning emitted once per
 * process, so this file watches for it from its first query to its last.
 */
const TODAY = new Date('2026-11-14T09:30:00Z');
const overlap: string[] = [];
const onWarning = (warning: Error) => {
  if (warning.message.includes('already executing a query')) overlap.push(warning.stack ?? warning.message);
};

describe.each(DATABASE_TARGETS.filter((target) => target === 'postgres'))('one query at a time per connection on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    process.on('warning', onWarning);
    t = await openTestDatabase(target);
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await t?.close();
  });

  it('seeds the demo, builds a snapshot payload and reads figures inside a transaction without overlapping queries', async () => {
    await seedDemo(t.db, { today: TODAY, seed: 7 });
    const period = latestCompleteMonth(TODAY);
    await t.db.transaction(async (tx) => {
      await getScorecard(tx, period);
      await getMetricSeries(tx, periodsEndingWith(parsePeriod('2026-Q3'), 12));
      await buildSnapshotPayload(tx, { period, title: 'Board', note: null, createdBy: { name: 'A', title: 'B' }, now: TODAY });
    });
    // The pool (not a transaction) still runs a page's queries side by side.
    await getScorecard(t.db, period);
    // Deprecation warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(overlap).toEqual([]);
  });
});
