import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createDb, type Db, type DbConfig, type DbHandle } from '@/lib/db';
import { migrateDb, MIGRATIONS_FOLDER } from '@/lib/db/migrate';
import { queryRows } from '@/lib/db/sql';
import { sql } from 'drizzle-orm';

/**
 * Database tests run on an in-memory PGlite always, and again on the PostgreSQL server
 * when DATABASE_URL is set, in a database created for this file and dropped after it.
 */
const DEFAULTS_MIGRATION = fs
  .readFileSync(path.join(MIGRATIONS_FOLDER, '0001_defaults.sql'), 'utf8')
  .split('--> statement-breakpoint');

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
      // Cascading from executives empties metrics too; the defaults migration puts them back as new.
      await db.execute(sql.raw(`truncate ${tables.map((t) => `"${t.name}"`).join(', ')} restart identity cascade`));
      for (const statement of DEFAULTS_MIGRATION) await db.execute(sql.raw(statement));
      await db.execute(sql`update organisation set data_version = 0, name = 'Your company', currency = 'USD'`);
    },
    async close() {
      await handle.close();
      await drop();
    },
  };
}
