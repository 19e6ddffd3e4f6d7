import { is } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Queryable } from './index';

type Tasks<T extends readonly unknown[]> = { [K in keyof T]: () => Promise<T[K]> };

/**
 * Runs independent queries at once on a pool, and one after another inside a transaction: a
 * transaction is one connection, and node-postgres warns about (pg 9: refuses) a query sent while
 * that connection is still answering another ("Calling client.query() when the client is already
 * executing a query"). They would queue on the connection anyway, so nothing is lost.
 */
export async function allQueries<T extends readonly unknown[]>(q: Queryable, ...tasks: Tasks<T>): Promise<T> {
  if (!is(q, PgTransaction)) return Promise.all(tasks.map((task) => task())) as unknown as Promise<T>;
  const results: unknown[] = [];
  for (const task of tasks) results.push(await task());
  return results as unknown as T;
}
