import type { NextAuthConfig } from 'next-auth';

/**
 * The part of the Auth.js configuration the proxy can load: no providers and no database,
 * so the proxy never opens the database. The full configuration is in auth.ts.
 */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const authConfig = {
  pages: { signIn: '/login', error: '/login' },
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
  // Self-hosted behind a proxy and `next start` on localhost both need the Host header trusted.
  trustHost: true,
  providers: [],
  callbacks: {
    authorized({ auth }) {
      return Boolean(auth?.user);
    },
    jwt({ token, user }) {
      if (user) {
        const signedIn = user as { id?: string; sessionVersion?: number };
        token.executiveId = Number(signedIn.id);
        token.sessionVersion = signedIn.sessionVersion ?? 0;
      }
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
