import NextAuth from 'next-auth';
import { NextResponse, type NextFetchEvent, type NextMiddleware, type NextRequest } from 'next/server';
import { authConfig } from './auth.config';
import { readSessionClaims } from '@/lib/auth/session-token';
import { METRIC_KEYS } from '@/lib/domain';

/**
 * Sends signed-out visitors of the app's pages to the sign-in page and keeps an active session
 * from expiring. This is a convenience, not the guard: every page, action and route checks the
 * session against the database itself.
 */
// Called with a request, Auth.js's `auth` is a complete proxy (its types only list the wrapper form).
const authJsProxy = NextAuth(authConfig).auth as unknown as NextMiddleware;

/**
 * Auth.js re-encrypts the session cookie on every request it sees, to slide its expiry. Doing that
 * once every few minutes keeps the same sliding session for a fraction of the cost.
 */
const RENEW_AFTER_SECONDS = 5 * 60;

/** `/metrics/<key>` for a key that is not a metric: the page would stream (and so answer 200) before it could tell. */
function isUnknownMetric(pathname: string): boolean {
  const match = /^\/metrics\/([^/]+)\/?$/.exec(pathname);
  return match !== null && !(METRIC_KEYS as readonly string[]).includes(match[1]);
}

/** `/metrics/spot-fix-cost`, the kebab-case spelling web addresses use, for the metric key `spot_fix_cost`. */
function canonicalMetricPath(pathname: string): string | null {
  const match = /^\/metrics\/([a-z]+(?:-[a-z]+)+)\/?$/.exec(pathname);
  const key = match?.[1].replace(/-/g, '_');
  return key && (METRIC_KEYS as readonly string[]).includes(key) ? `/metrics/${key}` : null;
}

/**
 * Signed out: to the sign-in page with the way back as a path. (Auth.js would send an absolute URL
 * built from what Next calls the request's host, which is `localhost` for a 127.0.0.1 visitor.)
 */
function toSignIn(request: NextRequest): NextResponse {
  const login = new URL('/login', request.url);
  login.searchParams.set('callbackUrl', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(login);
}

export default async function proxy(request: NextRequest, event: NextFetchEvent) {
  const canonical = canonicalMetricPath(request.nextUrl.pathname);
  if (canonical) {
    const url = request.nextUrl.clone();
    url.pathname = canonical;
    return NextResponse.redirect(url, 308);
  }
  const claims = await readSessionClaims(request.cookies);
  if (!claims) return toSignIn(request);
  // Due for a fresh cookie: Auth.js renews it (or, past the session's 12 hours, deletes it).
  if (Date.now() / 1000 - claims.issuedAt >= RENEW_AFTER_SECONDS) return authJsProxy(request, event);
  if (isUnknownMetric(request.nextUrl.pathname)) return NextResponse.rewrite(new URL('/_not-found', request.url), { status: 404 });
  return NextResponse.next();
}

export const config = {
  // Not the sign-in and password pages, public snapshots, the API (token auth) or static files.
  matcher: ['/((?!api/|_not-found|login|set-password|s/|_next/static|_next/image|favicon.ico|robots.txt|.*\\.(?:png|svg|ico|css|js)$).*)'],
};
