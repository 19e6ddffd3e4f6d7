import { sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import type { RecordKind } from '@/lib/validation/records';
import { bumpDataVersion } from './records';

/**
 * The rollup tables the scorecard reads (lib/db/schema.ts), kept by triggers in the database
 * (drizzle/0010_rollup_triggers.sql, redefined by 0012 and 0013) in the same transaction as every write to the raw tables.
 */
export const ROLLUP_TABLES: Record<RecordKind, string[]> = {
  customers: ['rollup_customer_days', 'rollup_customer_cohorts', 'rollup_churn_reasons'],
  responses: ['rollup_response_months'],
  'spot-fixes': ['rollup_spot_fix_months', 'rollup_issue_months', 'rollup_issue_first_fixes'],
};

export interface RollupRebuild {
  /** Rows in each rollup table after the rebuild. */
  rows: Record<string, number>;
}

/**
 * Recomputes every rollup from the raw tables, for data loaded behind the app's back (a restore
 * of the raw tables, a load with triggers disabled). Writers wait while it runs; cached
 * scorecards are recomputed afterwards (the data version moves).
 */
export async function rebuildRollups(db: Db): Promise<RollupRebuild> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select rollup_rebuild()`);
    await bumpDataVersion(tx);
    const tables = Object.values(ROLLUP_TABLES).flat();
    const counts = await queryRows<{ name: string; rows: number }>(
      tx,
      sql.join(
        tables.map((table) => sql`select ${table} as name, count(*)::int as rows from ${sql.identifier(table)}`),
        sql` union all `,
      ),
    );
    return { rows: Object.fromEntries(counts.map((c) => [c.name, c.rows])) };
  });
}
