import { DrizzleQueryError, sql } from 'drizzle-orm';
import { CallbackRouteError } from '@auth/core/errors';
import { describe, expect, it } from 'vitest';
import { withApiErrors } from '@/lib/api/route';
import { createDb } from '@/lib/db';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '@/lib/db/unavailable';
import { freePort } from '../support/own-postgres';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const failedQuery = (cause: unknown) => new DrizzleQueryError('select 1', [], cause as Error);

describe('isDatabaseUnavailable', () => {
  it('recognises a refused, reset or timed-out connection, wrapped as Drizzle and Auth.js wrap it', () => {
    expect(isDatabaseUnavailable(failedQuery(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')))).toBe(true);
    expect(isDatabaseUnavailable(withCode('read ECONNRESET', 'ECONNRESET'))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')]))).toBe(true);
    expect(isDatabaseUnavailable(failedQuery(new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    // What Auth.js makes of an exception in a sign-in's authorize() (it passes the error itself; its types list a message).
    const AuthJsError = CallbackRouteError as unknown as new (thrown: Error) => Error;
    const signInFailure = new AuthJsError(failedQuery(withCode('connect ECONNREFUSED', 'ECONNREFUSED')));
    expect(isDatabaseUnavailable(signInFailure)).toBe(true);
  });

  it('recognises a server shutting down, starting up or refusing connections', () => {
    for (const code of ['57P01', '57P02', '57P03', '53300', '08006', '08001', '08003']) {
      expect(isDatabaseUnavailable(failedQuery(withCode('server says no', code))), code).toBe(true);
    }
  });

  it('leaves every other failure alone', () => {
    for (const code of ['23505', '42601', '40001', '22P02', 'ENOENT']) {
      expect(isDatabaseUnavailable(failedQuery(withCode('a real failure', code))), code).toBe(false);
    }
    expect(isDatabaseUnavailable(new Error('Connection details are wrong'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    const loop = new Error('loop') as Error & { cause?: unknown };
    loop.cause = loop;
    expect(isDatabaseUnavailable(loop)).toBe(false);
  });

  it('recognises what the app driver reports for a server that is not listening', async () => {
    const handle = await createDb({ driver: 'node-postgres', url: `postgres://postgres@127.0.0.1:${await freePort()}/none` });
    try {
      const failure = await handle.db.execute(sql`select 1`).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(DrizzleQueryError);
      expect(isDatabaseUnavailable(failure)).toBe(true);
    } finally {
      await handle.close();
    }
  });
});

describe('withApiErrors', () => {
  it('answers 503 with Retry-After when the database cannot be reached', async () => {
    const route = withApiErrors(async () => {
      throw failedQuery(withCode('terminating connection due to administrator command', '57P01'));
    });
    const response = await route();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({ error: 'database_unavailable', message: DATABASE_UNAVAILABLE_MESSAGE, problems: [] });
  });

  it('still answers 500 for a failure that is not an outage', async () => {
    const route = withApiErrors(async () => {
      throw failedQuery(withCode('duplicate key value violates unique constraint', '23505'));
    });
    const response = await route();
    expect(response.status).toBe(500);
    expect(response.headers.get('retry-after')).toBeNull();
  });
});
