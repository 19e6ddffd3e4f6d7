import 'server-only';
import { ForbiddenError } from '@/lib/auth/permissions';
import { ImportNotFoundError, ImportStateError } from '@/lib/data/imports';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '@/lib/db/unavailable';
import { apiError, jsonResponse, type ApiErrorBody } from './http';

/**
 * 503 with Retry-After: the database is unreachable, so the same request can simply be sent again.
 * `error` is a code a program can test; `message` is the sentence to show a person.
 */
export function databaseUnavailable(): Response {
  const body: ApiErrorBody = { error: 'database_unavailable', message: DATABASE_UNAVAILABLE_MESSAGE, problems: [] };
  return jsonResponse(body, 503, { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) });
}

/**
 * Wraps a route handler so that the data layer's refusals become the right 4xx, an unreachable
 * database a 503 the client may retry, and anything unexpected is logged and answered with a
 * JSON 500 that leaks nothing.
 */
export function withApiErrors<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof ForbiddenError) return apiError(403, error.message);
      if (error instanceof ImportNotFoundError) return apiError(404, error.message);
      if (error instanceof ImportStateError) return apiError(error.status, error.message);
      if (isDatabaseUnavailable(error)) {
        console.error(`PostgreSQL unreachable: ${describeCause(error)}`);
        return databaseUnavailable();
      }
      console.error(error);
      return apiError(500, 'The server failed to handle this request. Nothing was changed; try again later.');
    }
  };
}

/** One log line for an outage (it can last a while): the driver's message, not Drizzle's query text. */
function describeCause(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message || current.name : String(current);
}
