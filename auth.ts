import NextAuth, { CredentialsSignin } from 'next-auth';
import type { NextRequest } from 'next/server';
import Credentials from 'next-auth/providers/credentials';
import type { OIDCConfig } from 'next-auth/providers';
import { z } from 'zod';
import { authConfig, authLogger } from './auth.config';
import { authenticateWithPassword } from '@/lib/auth/authenticate';
import { clientAddress } from '@/lib/auth/client-address';
import { startSession } from '@/lib/auth/sessions';
import { getDb } from '@/lib/db';
import { OIDC_PROVIDER_ID, oidcConfigFromEnv, resolveOidcExecutive, withRequestOrigin, type OidcClaims } from '@/lib/auth/oidc';

if (process.env.NODE_ENV === 'production' && !process.env.AUTH_SECRET && process.env.NEXT_PHASE !== 'phase-production-build') {
  throw new Error('AUTH_SECRET is not set. Generate one with `openssl rand -base64 32` and set it in the environment.');
}

class RateLimited extends CredentialsSignin {
  code = 'rate_limited';
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

class Busy extends CredentialsSignin {
  code = 'busy';
}

const oidc = oidcConfigFromEnv();

/**
 * Any OpenID Connect provider, found by discovery from its issuer. Claims come from the userinfo
 * endpoint, which every provider fills for the `email` scope (not all put them in the ID token).
 */
function oidcProvider(config: NonNullable<typeof oidc>): OIDCConfig<OidcClaims> {
  return {
    id: OIDC_PROVIDER_ID,
    name: config.name,
    type: 'oidc',
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: 'openid email profile' } },
    idToken: false,
    checks: ['pkce', 'state', 'nonce'],
    profile(claims) {
      return {
        id: String(claims.sub),
        name: typeof claims.name === 'string' ? claims.name : null,
        email: typeof claims.email === 'string' ? claims.email : null,
      };
    },
  };
}

const credentialsSchema = z.object({ email: z.string().max(320), password: z.string().max(1000) });

const nextAuth = NextAuth({
  ...authConfig,
  logger: authLogger,
  providers: [
    Credentials({
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, request) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const result = await authenticateWithPassword(
          await getDb(),
          parsed.data.email,
          parsed.data.password,
          clientAddress(request.headers),
        );
        if (!result.ok) {
          if (result.reason === 'rate_limited') throw new RateLimited(result.retryAfterSeconds);
          if (result.reason === 'busy') throw new Busy();
          return null;
        }
        const { id, name, email, sessionVersion } = result.executive;
        const session = await startSession(await getDb(), id);
        return { id: String(id), name, email, sessionVersion, sessionId: session.id };
      },
    }),
    ...(oidc ? [oidcProvider(oidc)] : []),
  ],
  callbacks: {
    ...authConfig.callbacks,
    async signIn({ user, account, profile }) {
      if (account?.provider !== OIDC_PROVIDER_ID) return true;
      const result = await resolveOidcExecutive(await getDb(), profile as OidcClaims | undefined, { trustEmail: oidc?.trustEmail });
      if (!result.ok) return `/login?error=sso_${result.reason}`;
      // The jwt callback (auth.config.ts) reads the executive's id and session version from this user,
      // exactly as after a password sign-in; without a database adapter Auth.js passes this object on.
      const { id, name, email, sessionVersion } = result.executive;
      const session = await startSession(await getDb(), id);
      Object.assign(user, { id: String(id), name, email, sessionVersion, sessionId: session.id });
      return true;
    },
  },
});

export const { auth, signIn, signOut } = nextAuth;

// A plain Request: NextRequest would rewrite a 127.0.0.1 host to localhost and break the match again.
const toRequestOrigin = (request: NextRequest) =>
  withRequestOrigin<Request>(request, (url, init) => new Request(url, init)) as NextRequest;

/** The /api/auth route handlers, seeing the address the browser used (see withRequestOrigin). */
export const handlers = {
  GET: (request: NextRequest) => nextAuth.handlers.GET(toRequestOrigin(request)),
  POST: (request: NextRequest) => nextAuth.handlers.POST(toRequestOrigin(request)),
};
