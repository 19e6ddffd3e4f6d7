import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db, type DbConfig, type DbHandle } from '@/lib/db';
import { migrateDb } from '@/lib/db/migrate';
import { queryRows } from '@/lib/db/sql';
import { sql } from 'drizzle-orm';

/**
 * Database tests run on an in-memory PGlite always, and again on the PostgreSQL server
 * when DATABASE_URL is set, in a database created for this file and dropped after it.
 */
/**
 * What the migrations put in a new database (0001: the organisation and the three metrics; 0003:
 * their first monthly targets), restored after each test's truncation.
 */
const DEFAULT_ROWS = [
  `insert into organisation (id, name, currency) values (1, 'Your company', 'USD') on conflict do nothing`,
  `insert into metrics (key, name, direction) values
     ('retention', 'Customer retention rate', 'higher_is_better'),
     ('recommendation', 'Recommendation rate', 'higher_is_better'),
     ('spot_fix_cost', 'Cost of spot fixes', 'lower_is_better')
   on conflict do nothing`,
  `insert into metric_targets (metric_key, granularity, effective_from, target, at_risk_threshold) values
     ('retention', 'month', date '1900-01-01', 0.95, 0.90),
     ('recommendation', 'month', date '1900-01-01', 0.50, 0.40),
     ('spot_fix_cost', 'month', date '1900-01-01', 40000, 50000)`,
];

export const DATABASE_TARGETS: ReadonlyArray<'pglite' | 'postgres'> = process.env.DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

export interface TestDatabase {
  db: Db;
  handle: DbHandle;
  /** Empties every data table (not the migrations' defaults) between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

async function adminQuery(serverUrl: string, text: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function openTestDatabase(target: 'pglite' | 'postgres'): Promise<TestDatabase> {
  let config: DbConfig;
  let drop = async () => {};
  if (target === 'pglite') {
    config = { driver: 'pglite', dataDir: null };
  } else {
    const serverUrl = process.env.DATABASE_URL!;
    const name = `cx_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(serverUrl, `create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    config = { driver: 'node-postgres', url: url.toString() };
    drop = () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
  }
  const handle = await createDb(config);
  await migrateDb(handle);
  const db = handle.db;
  return {
    db,
    handle,
    async reset() {
      const tables = await queryRows<{ name: string }>(
        db,
        sql`select tablename as name from pg_tables where schemaname = 'public' and tablename not in ('organisation', 'metrics')`,
      );
      // Cascading from executives empties metrics too; they come back as a new database has them.
      await db.execute(sql.raw(`truncate ${tables.map((t) => `"${t.name}"`).join(', ')} restart identity cascade`));
      for (const statement of DEFAULT_ROWS) await db.execute(sql.raw(statement));
      await db.execute(sql`update organisation set data_version = 0, name = 'Your company', currency = 'USD'`);
    },
    async close() {
      await handle.close();
      await drop();
    },
  };
}

/** Sets the monthly target and threshold in force from the beginning, as a database of older tests had them. */
export async function setMonthlyTarget(db: Db, key: 'retention' | 'recommendation' | 'spot_fix_cost', target: string, atRiskThreshold: string) {
  await db.execute(
    sql`update metric_targets set target = ${target}, at_risk_threshold = ${atRiskThreshold}
        where metric_key = ${key} and granularity = 'month' and effective_from = date '1900-01-01'`,
  );
  // Cached scorecard views notice the change through the data version, as an admin's change bumps it.
  await db.execute(sql`update organisation set data_version = data_version + 1`);
}
