import type { NextAuthConfig } from 'next-auth';
import { CredentialsSignin } from 'next-auth';
import { SESSION_LIFETIME_SECONDS } from './lib/auth/session-token';

/**
 * A wrong password is an expected event: one line, not Auth.js's stack trace. Anything else is
 * logged in full.
 */
export const authLogger: NonNullable<NextAuthConfig['logger']> = {
  error(error) {
    if (error instanceof CredentialsSignin) {
      console.warn(`[auth] sign-in refused (${error.code})`);
      return;
    }
    console.error('[auth]', error);
  },
};

/**
 * The part of the Auth.js configuration the proxy can load: no providers and no database,
 * so the proxy never opens the database. The full configuration is in auth.ts.
 */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const authConfig = {
  pages: { signIn: '/login', error: '/login' },
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
  // No `trustHost`: Auth.js then trusts the request's host only in development, on Vercel, or with
  // AUTH_URL set, in which case every URL it builds comes from AUTH_URL. A production server
  // without AUTH_URL does not start (lib/auth/deployment-check.ts).
  logger: authLogger,
  providers: [],
  callbacks: {
    authorized({ auth }) {
      return Boolean(auth?.user);
    },
    jwt({ token, user }) {
      if (user) {
        const signedIn = user as { id?: string; sessionVersion?: number; sessionId?: string };
        token.executiveId = Number(signedIn.id);
        token.sessionVersion = signedIn.sessionVersion ?? 0;
        token.sessionId = signedIn.sessionId;
        token.signedInAt = Math.floor(Date.now() / 1000);
      }
      // Past its absolute lifetime a session is never renewed, however active (the cookie is deleted).
      const signedInAt = typeof token.signedInAt === 'number' ? token.signedInAt : (token.iat ?? 0);
      if (Date.now() / 1000 >= signedInAt + SESSION_LIFETIME_SECONDS) return null;
      return token;
    },
    session({ session, token }) {
      if (typeof token.executiveId === 'number') session.user.id = String(token.executiveId);
      session.sessionVersion = typeof token.sessionVersion === 'number' ? token.sessionVersion : -1;
      return session;
    },
  },
} satisfies NextAuthConfig;

declare module 'next-auth' {
  interface Session {
    /** Compared with the executive's current session version on every request. */
    sessionVersion: number;
  }
}
