import type { Db, DbHandle } from '@/lib/db';
import { testDb } from './state';

/** Replaces lib/db's process-wide database with the test's in-memory PGlite (the rest of lib/db stays real). */
export async function getDb(): Promise<Db> {
  return testDb();
}

export async function getDbHandle(): Promise<DbHandle> {
  return { db: testDb(), config: { driver: 'pglite', dataDir: null }, close: async () => {} };
}

export async function closeDb(): Promise<void> {}
