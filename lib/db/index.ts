import fs from 'node:fs';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { acquirePgliteLock } from './pglite-lock';

/** The one database type every call site sees, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = PgTransaction<PgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;
/** Anything queries can run on: the database or an open transaction. */
export type Queryable = Db | Tx;

export type DbConfig =
  | { driver: 'pglite'; dataDir: string | null }
  | { driver: 'node-postgres'; url: string }
  | { driver: 'vercel-postgres'; url: string };

export interface DbHandle {
  db: Db;
  config: DbConfig;
  close(): Promise<void>;
}

export const DEFAULT_PGLITE_DIR = '.data/pglite';

/**
 * How long a request waits for a connection (a new one, or a free one from the pool) before it is
 * answered "database unavailable". Without it, a server that drops packets holds every request for
 * the operating system's TCP timeout, minutes.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/** The single place that decides which database this process talks to. */
export function dbConfigFromEnv(env: Record<string, string | undefined> = process.env): DbConfig {
  if (env.DATABASE_URL) return { driver: 'node-postgres', url: env.DATABASE_URL };
  if (env.POSTGRES_URL) return { driver: 'vercel-postgres', url: env.POSTGRES_URL };
  return { driver: 'pglite', dataDir: env.PGLITE_DIR || DEFAULT_PGLITE_DIR };
}

export function describeDb(config: DbConfig): string {
  if (config.driver === 'pglite') return config.dataDir ? `embedded PGlite at ${config.dataDir}` : 'in-memory PGlite';
  const url = new URL(config.url);
  return `${config.driver === 'vercel-postgres' ? 'Vercel Postgres' : 'PostgreSQL'} at ${url.hostname}${url.pathname}`;
}

/**
 * PGlite's shared buffers are touched in full when it starts and count in this process's memory:
 * 64 MB rather than PostgreSQL's 128 MB takes ~80 MB off every process (the app, each CLI import),
 * keeping a large import under 512 MB. Pages read the rollups and were no slower on 1M customers;
 * other pages come from the operating system's file cache.
 */
const PGLITE_START_PARAMS = ['-c', 'shared_buffers=64MB'];

export async function createDb(config: DbConfig = dbConfigFromEnv()): Promise<DbHandle> {
  switch (config.driver) {
    case 'pglite': {
      const { PGlite } = await import('@electric-sql/pglite');
      const { drizzle } = await import('drizzle-orm/pglite');
      let release = () => {};
      if (config.dataDir) {
        release = acquirePgliteLock(config.dataDir);
        fs.mkdirSync(config.dataDir, { recursive: true });
      }
      try {
        const client = await PGlite.create({ ...(config.dataDir ? { dataDir: config.dataDir } : {}), startParams: [...PGlite.defaultStartParams, ...PGLITE_START_PARAMS] });
        const db = drizzle({ client, schema }) as unknown as Db;
        return {
          db,
          config,
          async close() {
            await client.close();
            release();
          },
        };
      } catch (error) {
        release();
        throw error;
      }
    }
    case 'node-postgres': {
      const { Pool } = await import('pg');
      const { drizzle } = await import('drizzle-orm/node-postgres');
      const pool = new Pool({
        connectionString: config.url,
        max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        // The pages' queries read small rollups in milliseconds, but a planner estimate above
        // jit_above_cost makes PostgreSQL spend a second compiling them first (seen: 1.2 s of JIT
        // for a 2 ms month trend). Imports run no expression-heavy scans that JIT would repay.
        options: '-c jit=off',
      });
      pool.on('error', logIdleConnectionError);
      const db = drizzle({ client: pool, schema }) as unknown as Db;
      return { db, config, close: () => pool.end() };
    }
    case 'vercel-postgres': {
      const { createPool } = await import('@vercel/postgres');
      const { drizzle } = await import('drizzle-orm/vercel-postgres');
      const pool = createPool({ connectionString: config.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      pool.on('error', logIdleConnectionError);
      const db = drizzle({ client: pool, schema }) as unknown as Db;
      return { db, config, close: () => pool.end() };
    }
  }
}

/**
 * An idle pooled connection closed by the server (restart, failover, Neon suspending an idle
 * database) must not take the process down: the pool replaces it on the next query.
 */
function logIdleConnectionError(error: Error): void {
  console.error(`PostgreSQL: an idle connection was closed (${error.message})`);
}

// Cached on globalThis so dev-mode hot reloads reuse one connection (and one PGlite lock).
const globalForDb = globalThis as unknown as { cxScorecardDb?: Promise<DbHandle> };

/** The process-wide database for the app and the CLI, chosen from the environment. */
export function getDbHandle(): Promise<DbHandle> {
  if (!globalForDb.cxScorecardDb) {
    const pending = createDb();
    globalForDb.cxScorecardDb = pending;
    // A failed start must not stick: the next request tries again.
    pending.catch(() => {
      if (globalForDb.cxScorecardDb === pending) globalForDb.cxScorecardDb = undefined;
    });
  }
  return globalForDb.cxScorecardDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

export async function closeDb(): Promise<void> {
  const pending = globalForDb.cxScorecardDb;
  globalForDb.cxScorecardDb = undefined;
  if (pending) await (await pending).close();
}

export { schema };
