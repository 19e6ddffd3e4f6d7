import { decode } from 'next-auth/jwt';

/**
 * Reads the Auth.js session cookie without going through Auth.js's session endpoint.
 *
 * Why: `auth()` derives the key (HKDF), decrypts the JWE and encrypts a fresh one on every call,
 * which cost more server time than the whole scorecard. A session token is immutable once issued,
 * so a token that decrypted once is remembered here (bounded, per process) and later requests
 * carrying the same cookie only compare its expiry. Whether the person may still act is decided by
 * the caller against the database (lib/auth/session.ts), never by this cache.
 *
 * No database and no server-only import: the proxy uses it too.
 */

/** Auth.js names the cookie by whether the site is served over HTTPS; the name is also the key's salt. */
export const SESSION_COOKIE_NAMES = ['__Secure-authjs.session-token', 'authjs.session-token'] as const;

/** SPEC: a session lasts at most 12 hours from sign-in, whatever its activity. */
export const SESSION_LIFETIME_SECONDS = 12 * 60 * 60;

export interface SessionClaims {
  executiveId: number;
  sessionVersion: number;
  /** The server's record of this session (lib/auth/sessions.ts); null in a token from before it existed. */
  sessionId: string | null;
  /** Seconds since the epoch: when the person signed in (renewals keep it). */
  signedInAt: number;
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

interface CookieReader {
  get(name: string): { value: string } | undefined;
  getAll(): Array<{ name: string; value: string }>;
}

const MAX_REMEMBERED_TOKENS = 2000;
const remembered = new Map<string, SessionClaims>();

/** The raw session token: one cookie, or Auth.js's numbered chunks (`name.0`, `name.1`, …) in order. */
export function sessionCookie(cookies: CookieReader): { name: string; token: string } | null {
  for (const name of SESSION_COOKIE_NAMES) {
    const whole = cookies.get(name)?.value;
    if (whole) return { name, token: whole };
    const chunks = cookies
      .getAll()
      .filter((cookie) => cookie.name.startsWith(`${name}.`))
      .map((cookie) => ({ index: Number(cookie.name.slice(name.length + 1)), value: cookie.value }))
      .filter((chunk) => Number.isInteger(chunk.index))
      .sort((a, b) => a.index - b.index);
    if (chunks.length > 0) return { name, token: chunks.map((chunk) => chunk.value).join('') };
  }
  return null;
}

function toClaims(payload: Record<string, unknown> | null): SessionClaims | null {
  if (!payload) return null;
  const { executiveId, sessionVersion, sessionId, signedInAt, iat, exp } = payload;
  if (typeof executiveId !== 'number' || !Number.isInteger(executiveId)) return null;
  if (typeof iat !== 'number' || typeof exp !== 'number') return null;
  return {
    executiveId,
    sessionVersion: typeof sessionVersion === 'number' ? sessionVersion : -1,
    sessionId: typeof sessionId === 'string' ? sessionId : null,
    signedInAt: typeof signedInAt === 'number' ? signedInAt : iat,
    issuedAt: iat,
    expiresAt: exp,
  };
}

/** The claims of a valid, unexpired session cookie, or null. */
export async function readSessionClaims(cookies: CookieReader, now = Date.now()): Promise<SessionClaims | null> {
  const cookie = sessionCookie(cookies);
  const secret = process.env.AUTH_SECRET;
  if (!cookie || !secret) return null;

  // The name is the key's salt: a token is only valid under the name it was sealed for.
  const key = `${cookie.name}=${cookie.token}`;
  let claims = remembered.get(key);
  if (!claims) {
    try {
      claims = toClaims(await decode({ token: cookie.token, secret, salt: cookie.name })) ?? undefined;
    } catch {
      return null; // tampered, foreign or expired
    }
    if (!claims) return null;
    if (remembered.size >= MAX_REMEMBERED_TOKENS) remembered.delete(remembered.keys().next().value!);
    remembered.set(key, claims);
  }
  if (claims.expiresAt * 1000 <= now || (claims.signedInAt + SESSION_LIFETIME_SECONDS) * 1000 <= now) {
    remembered.delete(key);
    return null;
  }
  return claims;
}
