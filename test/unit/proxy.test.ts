import { encode } from 'next-auth/jwt';
import { NextRequest, type NextFetchEvent } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const SECRET = 'unit-test-secret-for-the-proxy-0123456789';
const COOKIE = 'authjs.session-token';
const event = {} as NextFetchEvent;
// Auth.js reads the secret when the proxy module loads, so the module is loaded after it is set.
let proxy: (typeof import('@/proxy'))['default'];

async function sessionIssued(secondsAgo: number, signedInSecondsAgo = secondsAgo) {
  const signedInAt = Math.floor(Date.now() / 1000) - signedInSecondsAgo;
  vi.useFakeTimers({ now: Date.now() - secondsAgo * 1000, toFake: ['Date'] });
  try {
    return await encode({ token: { executiveId: 5, sessionVersion: 0, sessionId: 's1', signedInAt }, secret: SECRET, salt: COOKIE, maxAge: 8 * 3600 });
  } finally {
    vi.useRealTimers();
  }
}

/** A request as `next start` hands it to the proxy: it adds the forwarded host and protocol. */
const visit = (path: string, token?: string) =>
  proxy(
    new NextRequest(`http://localhost:3000${path}`, {
      headers: {
        host: 'localhost:3000',
        'x-forwarded-host': 'localhost:3000',
        'x-forwarded-proto': 'http',
        ...(token ? { cookie: `${COOKIE}=${token}` } : {}),
      },
    }),
    event,
  );

describe('proxy', () => {
  beforeAll(async () => {
    process.env.AUTH_SECRET = SECRET;
    proxy = (await import('@/proxy')).default;
  });
  afterAll(() => {
    delete process.env.AUTH_SECRET;
  });

  it('sends a signed-out visitor to the sign-in page with the way back', async () => {
    const response = await visit('/metrics/retention?period=2025-Q1');
    expect(response?.status).toBe(307);
    const location = new URL(response!.headers.get('location')!);
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('callbackUrl')).toBe('/metrics/retention?period=2025-Q1');
    expect([...location.searchParams.keys()]).toEqual(['callbackUrl']);
  });

  it('sends a forged session cookie to the sign-in page too', async () => {
    const response = await visit('/', 'not-a-real-token');
    expect(response?.status).toBe(307);
  });

  it('lets a fresh session through without issuing a new cookie', async () => {
    const response = await visit('/', await sessionIssued(60));
    expect(response?.headers.get('x-middleware-next')).toBe('1');
    expect(response?.headers.getSetCookie().join()).not.toContain(COOKIE);
  });

  it('renews a session that is due, so an active executive stays signed in', async () => {
    const old = await sessionIssued(10 * 60);
    const response = await visit('/', old);
    expect(response?.status).not.toBe(307);
    const renewed = response!.headers.getSetCookie().find((cookie) => cookie.startsWith(`${COOKIE}=`));
    expect(renewed).toBeDefined();
    const token = renewed!.slice(COOKIE.length + 1).split(';')[0];
    expect(token).not.toBe(old);
    expect(renewed).toMatch(/HttpOnly/i);
    // The renewed cookie is a fresh session: the next request passes without another renewal.
    const next = await visit('/', token);
    expect(next?.headers.getSetCookie().join()).not.toContain(COOKIE);
  });

  it('answers 404 for a metric that does not exist, once signed in', async () => {
    const token = await sessionIssued(60);
    const unknown = await visit('/metrics/happiness', token);
    expect(unknown?.status).toBe(404);
    expect(unknown?.headers.get('x-middleware-rewrite')).toMatch(/\/_not-found$/);
    for (const key of ['retention', 'recommendation', 'spot_fix_cost']) {
      expect((await visit(`/metrics/${key}?period=2025-Q1`, token))?.headers.get('x-middleware-next')).toBe('1');
    }
    // Signed out, it is a sign-in like any other page: nothing tells which metrics exist.
    expect((await visit('/metrics/happiness'))?.status).toBe(307);
  });

  it('answers 404 for a snapshot, person or meeting address whose id cannot name a row', async () => {
    const token = await sessionIssued(60);
    for (const path of ['/admin/people/99999999999', '/admin/people/2147483648', '/admin/meetings/0', '/snapshots/abc', '/snapshots/99999999999/compare']) {
      const response = await visit(path, token);
      expect(response?.status, path).toBe(404);
      expect(response?.headers.get('x-middleware-rewrite')).toMatch(/\/_not-found$/);
    }
    for (const path of ['/admin/people/2147483647', '/admin/meetings/3', '/snapshots/12/compare', '/snapshots/new']) {
      expect((await visit(path, token))?.headers.get('x-middleware-next'), path).toBe('1');
    }
  });

  it('sends the kebab-case spelling of a metric key to its page, keeping the period', async () => {
    const response = await visit('/metrics/spot-fix-cost?period=2025-Q1', await sessionIssued(60));
    expect(response?.status).toBe(308);
    expect(response?.headers.get('location')).toBe('http://localhost:3000/metrics/spot_fix_cost?period=2025-Q1');
    expect((await visit('/metrics/happy-customers', await sessionIssued(60)))?.status).toBe(404);
  });

  it('never renews a session 12 hours after its sign-in, however active: it is sent to sign in and its cookie deleted', async () => {
    // Renewed 10 minutes ago (so its cookie has not expired), signed in 12 hours and a minute ago.
    const token = await sessionIssued(10 * 60, 12 * 3600 + 60);
    const response = await visit('/', token);
    expect(response?.status).toBe(307);
    expect(new URL(response!.headers.get('location')!).pathname).toBe('/login');
    const cookie = response!.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
    expect(cookie === undefined || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(cookie)).toBe(true);
    // The same token within its 12 hours renews as usual.
    const fresh = await visit('/', await sessionIssued(10 * 60, 11 * 3600));
    expect(fresh?.status).not.toBe(307);
  });
  it('gives every page, signed in, signed out and public, a CSP with a fresh nonce and no framing', async () => {
    const responses = [await visit('/', await sessionIssued(60)), await visit('/metrics/retention'), await visit('/login'), await visit('/s/abc')];
    const nonces = responses.map((response) => {
      const csp = response!.headers.get('content-security-policy')!;
      expect(csp).toContain("frame-ancestors 'none'");
      return /'nonce-([^']+)'/.exec(csp)![1];
    });
    expect(new Set(nonces).size).toBe(nonces.length);
    // The page itself is handed the nonce through the request's CSP header (Next stamps its scripts with it).
    expect(responses[0]!.headers.get('x-middleware-request-content-security-policy')).toContain(`'nonce-${nonces[0]}'`);
    expect(responses[2]!.headers.get('x-middleware-next')).toBe('1');
  });
});
