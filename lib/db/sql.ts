import type { SQL } from 'drizzle-orm';
import type { Queryable } from './index';

/**
 * Runs raw SQL and returns its rows. Every driver's result has `rows`; casting in SQL
 * (::int, ::text) keeps the values' JavaScript types the same on all of them.
 */
export async function queryRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
