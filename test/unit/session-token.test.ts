import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSessionClaims, sessionCookie } from '@/lib/auth/session-token';

const SECRET = 'unit-test-secret-0123456789abcdef0123456789';
const NAME = 'authjs.session-token';

/** A stand-in for Next's request and `cookies()` stores: both expose get and getAll. */
function jar(entries: Record<string, string>) {
  return {
    get: (name: string) => (name in entries ? { value: entries[name] } : undefined),
    getAll: () => Object.entries(entries).map(([name, value]) => ({ name, value })),
  };
}

const issue = (claims: Record<string, unknown>, { salt = NAME, secret = SECRET, maxAge = 3600 } = {}) =>
  encode({ token: claims, secret, salt, maxAge });

describe('session cookie reader', () => {
  let previousSecret: string | undefined;
  beforeAll(() => {
    previousSecret = process.env.AUTH_SECRET;
    process.env.AUTH_SECRET = SECRET;
  });
  afterAll(() => {
    if (previousSecret === undefined) delete process.env.AUTH_SECRET;
    else process.env.AUTH_SECRET = previousSecret;
  });

  it('reads the executive and session version from a token Auth.js issued', async () => {
    const token = await issue({ executiveId: 7, sessionVersion: 3 });
    const claims = await readSessionClaims(jar({ [NAME]: token }));
    expect(claims).toMatchObject({ executiveId: 7, sessionVersion: 3 });
    expect(claims!.expiresAt - claims!.issuedAt).toBe(3600);
  });

  it('reads the HTTPS cookie name, whose name is also the key salt', async () => {
    const secureName = '__Secure-authjs.session-token';
    const token = await issue({ executiveId: 8, sessionVersion: 0 }, { salt: secureName });
    expect(await readSessionClaims(jar({ [secureName]: token }))).toMatchObject({ executiveId: 8 });
    // The same token under the other name was encrypted with another key.
    expect(await readSessionClaims(jar({ [NAME]: token }))).toBeNull();
  });

  it('joins a token Auth.js split into numbered chunks, in number order', async () => {
    const token = await issue({ executiveId: 9, sessionVersion: 1 });
    const third = Math.ceil(token.length / 3);
    const chunks = { [`${NAME}.2`]: token.slice(2 * third), [`${NAME}.0`]: token.slice(0, third), [`${NAME}.1`]: token.slice(third, 2 * third) };
    expect(sessionCookie(jar(chunks))?.token).toBe(token);
    expect(await readSessionClaims(jar(chunks))).toMatchObject({ executiveId: 9 });
  });

  it('refuses a tampered token, one sealed with another secret and one without an executive', async () => {
    const token = await issue({ executiveId: 10, sessionVersion: 0 });
    const flipped = token.slice(0, -5) + (token.at(-5) === 'A' ? 'B' : 'A') + token.slice(-4);
    expect(await readSessionClaims(jar({ [NAME]: flipped }))).toBeNull();
    expect(await readSessionClaims(jar({ [NAME]: await issue({ executiveId: 10 }, { secret: 'another-secret-0123456789abcdef' }) }))).toBeNull();
    expect(await readSessionClaims(jar({ [NAME]: await issue({ email: 'someone@example.com' }) }))).toBeNull();
    expect(await readSessionClaims(jar({ [NAME]: 'not-a-token' }))).toBeNull();
    expect(await readSessionClaims(jar({}))).toBeNull();
  });

  it('stops accepting a remembered token once it has expired', async () => {
    const token = await issue({ executiveId: 11, sessionVersion: 0 }, { maxAge: 60 });
    const claims = await readSessionClaims(jar({ [NAME]: token }));
    expect(claims).not.toBeNull();
    // Read again at a later clock: the remembered copy must not outlive the token.
    expect(await readSessionClaims(jar({ [NAME]: token }), (claims!.expiresAt + 1) * 1000)).toBeNull();
  });

  it('refuses every token when no secret is configured', async () => {
    const token = await issue({ executiveId: 12, sessionVersion: 0 });
    delete process.env.AUTH_SECRET;
    try {
      expect(await readSessionClaims(jar({ [NAME]: token }))).toBeNull();
    } finally {
      process.env.AUTH_SECRET = SECRET;
    }
  });
  it('refuses a token 12 hours after its sign-in even when its own expiry is later', async () => {
    const signedInAt = Math.floor(Date.now() / 1000) - 12 * 3600 - 1;
    const token = await issue({ executiveId: 11, sessionVersion: 0, sessionId: 'abc', signedInAt }, { maxAge: 8 * 3600 });
    expect(await readSessionClaims(jar({ [NAME]: token }))).toBeNull();
    const recent = await issue({ executiveId: 11, sessionVersion: 0, sessionId: 'abc', signedInAt: signedInAt + 120 });
    expect(await readSessionClaims(jar({ [NAME]: recent }))).toMatchObject({ sessionId: 'abc', signedInAt: signedInAt + 120 });
  });
});
