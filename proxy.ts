import NextAuth from 'next-auth';
import { authConfig } from './auth.config';

/**
 * Sends signed-out visitors of the app's pages to the sign-in page. This is a convenience, not
 * the guard: every page, action and route checks the session against the database itself.
 */
const { auth } = NextAuth(authConfig);

export default auth;

export const config = {
  // Not the sign-in and password pages, public snapshots, the API (token auth) or static files.
  matcher: ['/((?!api/|login|set-password|s/|_next/static|_next/image|favicon.ico|robots.txt|.*\\.(?:png|svg|ico|css|js)$).*)'],
};
