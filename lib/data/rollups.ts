import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import type { Period } from '@/lib/metrics/period';
import type { RecordKind } from '@/lib/validation/records';
import { bumpDataVersion } from './records';

/**
 * The rollup tables the pages read (lib/db/schema.ts), by the raw table whose writes change them:
 * kept by triggers in the database (drizzle/0010_rollup_triggers.sql, redefined by later
 * migrations) in the same transaction as every write to the raw tables.
 */
export const ROLLUP_TABLES: Record<RecordKind, string[]> = {
  customers: [
    'rollup_customer_days',
    'rollup_customer_cohorts',
    'rollup_churn_reasons',
    'rollup_at_risk_spans',
    'rollup_at_risk_months',
    'rollup_response_churn_days',
  ],
  responses: ['rollup_response_months', 'rollup_at_risk_spans', 'rollup_at_risk_months', 'rollup_response_churn_days'],
  'spot-fixes': ['rollup_spot_fix_months', 'rollup_issue_months', 'rollup_stage_issue_months', 'rollup_issue_first_fixes'],
};

/**
 * What an issue's first-day fixes add to a range of days, read from rollup_issue_first_fixes
 * (aliased `f`). A fix is a repeat when its issue had one on an earlier day, so a range's repeats
 * are its fixes (or their cost) less this.
 */
export function firstDayWithin(column: 'first_day_cost' | 'first_day_fixes', start: SQL, end: SQL): SQL {
  return sql`case when f.first_on between ${start} and ${end} then f.${sql.identifier(column)} else 0 end`;
}

/**
 * Each issue's fixes, cost and repeat cost in a period of whole months, from the monthly rollup:
 * the period's repeats are its fixes less those on the issue's first day, when that day is within
 * it. A select with columns issue_key, fixes, cost, repeat_cost.
 */
export function issueCostsIn(period: Period): SQL {
  const start = sql`${period.start}::date`;
  const end = sql`${period.end}::date`;
  return sql`select m.issue_key, sum(m.fixes)::int as fixes, sum(m.cost) as cost,
                    sum(m.cost) - ${firstDayWithin('first_day_cost', start, end)} as repeat_cost
             from rollup_issue_months m
             join rollup_issue_first_fixes f on f.issue_key = m.issue_key
             where m.month between ${start} and ${end}
             group by m.issue_key, f.first_on, f.first_day_cost`;
}

/** The first day of the twelve whole months ending with the period's last month: where its "last 12 months" start. */
export function yearBackFrom(period: Period): SQL {
  return sql`(date_trunc('month', ${period.end}::timestamp) - interval '11 months')::date`;
}

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
    const tables = [...new Set(Object.values(ROLLUP_TABLES).flat())];
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
