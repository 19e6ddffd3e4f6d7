import NextAuth from 'next-auth';
import { NextResponse, type NextFetchEvent, type NextMiddleware, type NextRequest } from 'next/server';
import { authConfig } from './auth.config';
import { newNonce, pageContentSecurityPolicy } from '@/lib/auth/security-headers';
import { readSessionClaims } from '@/lib/auth/session-token';
import { METRIC_KEYS } from '@/lib/domain';
import { parseRowId } from '@/lib/validation/ids';

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

/** `/snapshots/<id>`, `/admin/people/<id>` and the like whose id cannot name a row (`new` is a page of its own). */
function isImpossibleRowPage(pathname: string): boolean {
  const match = /^\/(?:snapshots|admin\/people|admin\/meetings)\/([^/]+)(?:\/compare)?\/?$/.exec(pathname);
  return match !== null && !(pathname.startsWith('/snapshots/') && match[1] === 'new') && parseRowId(match[1]) === null;
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

/** Pages anyone may open: they get the security headers, and no sign-in step. */
const PUBLIC_PAGE = /^\/(?:login|set-password|s|_not-found)(?:\/|$)/;

export default async function proxy(request: NextRequest, event: NextFetchEvent) {
  // Every page gets a fresh nonce: Next reads it from the request's CSP and stamps its inline scripts.
  const nonce = newNonce();
  const csp = pageContentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', csp);
  requestHeaders.set('x-nonce', nonce);
  const secured = (response: NextResponse | Response) => {
    response.headers.set('Content-Security-Policy', csp);
    return response;
  };
  const pass = () => secured(NextResponse.next({ request: { headers: requestHeaders } }));

  const { pathname } = request.nextUrl;
  if (PUBLIC_PAGE.test(pathname)) return pass();
  const canonical = canonicalMetricPath(pathname);
  if (canonical) {
    const url = request.nextUrl.clone();
    url.pathname = canonical;
    return secured(NextResponse.redirect(url, 308));
  }
  const claims = await readSessionClaims(request.cookies);
  if (!claims) return secured(toSignIn(request));
  // Due for a fresh cookie: Auth.js renews it (or, past the session's 12 hours, deletes it).
  if (Date.now() / 1000 - claims.issuedAt >= RENEW_AFTER_SECONDS) {
    const renewed = (await authJsProxy(request, event)) as Response;
    if (renewed.headers.get('x-middleware-next') !== '1') return secured(renewed);
    // Let the page through with the nonce, carrying the renewed cookie.
    const next = pass();
    for (const cookie of renewed.headers.getSetCookie()) next.headers.append('set-cookie', cookie);
    return next;
  }
  if (isUnknownMetric(pathname) || isImpossibleRowPage(pathname)) {
    return secured(NextResponse.rewrite(new URL('/_not-found', request.url), { status: 404, request: { headers: requestHeaders } }));
  }
  return pass();
}

export const config = {
  // Every page (the public ones too, for their headers); not the API (token auth, large bodies) or static files.
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico|robots.txt|.*\\.(?:png|svg|ico|css|js)$).*)'],
};
