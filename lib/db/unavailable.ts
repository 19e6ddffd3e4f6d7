/**
 * The one place that tells "the database cannot be reached right now" (a restart, a failover, a
 * network cut, a full connection table) from every other failure. Such a request is not the
 * caller's fault and not a bug: the API answers 503 with Retry-After, pages say so plainly.
 */

export const DATABASE_UNAVAILABLE_MESSAGE = "The scorecard's database cannot be reached right now; try again in a moment.";

/** How long a client should wait before asking again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Socket and DNS failures on the way to the server. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going away or not taking connections: admin_shutdown,
 * crash_shutdown, cannot_connect_now, too_many_connections; the whole class 08 (connection
 * exception) is matched separately.
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres and pg-pool report a lost connection or a connect timeout by message only. */
const DRIVER_MESSAGES = [
  /^Connection terminated\b/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/,
];

function isUnavailableCode(code: unknown): boolean {
  return typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code));
}

/**
 * Whether an error, or what it wraps, means the database is unreachable. Drizzle puts the driver's
 * error in `cause`; a connection to `localhost` that fails on every address is an AggregateError.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, message, cause, errors, err } = current as Record<string, unknown>;
    if (isUnavailableCode(code)) return true;
    if (typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
    // Auth.js wraps what a sign-in threw as `cause: { err }`.
    pending.push(cause, err);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return false;
}
