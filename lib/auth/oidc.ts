import { eq } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { executives } from '@/lib/db/schema';

/**
 * Single sign-on through any OpenID Connect provider (Entra ID, Okta, Google Workspace…), off unless
 * configured. It only signs in people who already have an active account here, matched by an email
 * address the provider says it has verified: nobody signs themselves up.
 */
export const OIDC_PROVIDER_ID = 'oidc';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's name on the sign-in button ("Continue with Okta"). */
  name: string;
  /**
   * Accept an email the provider sends without an `email_verified` claim (Microsoft Entra ID sends
   * none). Only for providers that issue addresses from domains they control; an explicit
   * `email_verified: false` is refused either way.
   */
  trustEmail: boolean;
}

const REQUIRED = ['AUTH_OIDC_ISSUER', 'AUTH_OIDC_CLIENT_ID', 'AUTH_OIDC_CLIENT_SECRET'] as const;

/** Null when single sign-on is not configured; a clear error when it is only half configured. */
export function oidcConfigFromEnv(env: Record<string, string | undefined> = process.env): OidcConfig | null {
  const present = REQUIRED.filter((name) => env[name]?.trim());
  if (present.length === 0) return null;
  if (present.length < REQUIRED.length) {
    const missing = REQUIRED.filter((name) => !env[name]?.trim());
    throw new Error(`Single sign-on is half configured: set ${missing.join(' and ')} too, or unset ${present.join(', ')}.`);
  }
  let issuer: URL;
  try {
    issuer = new URL(env.AUTH_OIDC_ISSUER!.trim());
  } catch {
    throw new Error(`AUTH_OIDC_ISSUER must be the provider's issuer URL, e.g. https://login.example.com (got "${env.AUTH_OIDC_ISSUER}").`);
  }
  const trustEmail = env.AUTH_OIDC_TRUST_EMAIL?.trim().toLowerCase() || 'false';
  if (trustEmail !== 'true' && trustEmail !== 'false') {
    throw new Error(`AUTH_OIDC_TRUST_EMAIL must be true or false (got "${env.AUTH_OIDC_TRUST_EMAIL}").`);
  }
  return {
    issuer: issuer.href.replace(/\/$/, ''),
    clientId: env.AUTH_OIDC_CLIENT_ID!.trim(),
    clientSecret: env.AUTH_OIDC_CLIENT_SECRET!.trim(),
    name: env.AUTH_OIDC_NAME?.trim() || 'single sign-on',
    trustEmail: trustEmail === 'true',
  };
}

/** The claims we read from the provider's userinfo response. */
export interface OidcClaims {
  sub?: unknown;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
}

export type OidcRefusal = 'no_email' | 'unverified' | 'unknown';

export type OidcSignIn =
  | { ok: true; executive: { id: number; name: string; email: string; sessionVersion: number } }
  | { ok: false; reason: OidcRefusal };

/** Finds the active executive the provider vouches for, or says why there is none. */
export async function resolveOidcExecutive(
  db: Queryable,
  claims: OidcClaims | null | undefined,
  options: { trustEmail?: boolean } = {},
): Promise<OidcSignIn> {
  const email = typeof claims?.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email) return { ok: false, reason: 'no_email' };
  // Some providers send the flag as the string "true".
  const verified =
    claims?.email_verified === true ||
    claims?.email_verified === 'true' ||
    (options.trustEmail === true && claims?.email_verified === undefined);
  if (!verified) return { ok: false, reason: 'unverified' };
  const [executive] = await db.select().from(executives).where(eq(executives.email, email));
  if (!executive || !executive.isActive) return { ok: false, reason: 'unknown' };
  return {
    ok: true,
    executive: { id: executive.id, name: executive.name, email: executive.email, sessionVersion: executive.sessionVersion },
  };
}

/** The `error` values the sign-in page may be sent back with, and what to tell the person. */
export const SIGN_IN_ERROR_MESSAGES: Record<string, string> = {
  sso_unknown:
    'Single sign-on worked, but no active CX Scorecard account uses that email address. Ask an admin to add you, or sign in with your password.',
  sso_unverified:
    'Your identity provider did not confirm that your email address is verified, so it cannot be used to sign in here.',
  sso_no_email: 'Your identity provider did not share an email address, so we cannot tell which account is yours.',
  AccessDenied: 'Sign-in was refused.',
  Configuration: 'Single sign-on is not set up correctly. Ask an admin, or sign in with your password.',
  OAuthCallbackError: 'Single sign-on did not complete. Try again, or sign in with your password.',
  OAuthSignInError: 'Single sign-on could not start. Try again, or sign in with your password.',
  CallbackRouteError: 'Single sign-on did not complete. Try again, or sign in with your password.',
};

export function signInErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  return SIGN_IN_ERROR_MESSAGES[code] ?? 'Sign-in did not complete. Try again.';
}

/**
 * The request as the browser addressed it. `next start` gives route handlers a URL built from the
 * server's own bind address (http://localhost:3000/…), but the sign-in redirect to the provider is
 * built from the Host header; the provider's callback must be checked against the same address or
 * the code exchange fails with a redirect_uri mismatch. AUTH_URL, when set, still wins (Auth.js).
 */
export function withRequestOrigin<T extends Request>(request: T, make: (url: string, init: T) => T): T {
  if (process.env.AUTH_URL || process.env.NEXTAUTH_URL) return request;
  const first = (name: string) => request.headers.get(name)?.split(',')[0]?.trim() || null;
  const host = first('x-forwarded-host') ?? first('host');
  if (!host) return request;
  const url = new URL(request.url);
  const protocol = first('x-forwarded-proto') ?? url.protocol.replace(/:$/, '');
  let origin: string;
  try {
    origin = new URL(`${protocol}://${host}`).origin;
  } catch {
    return request;
  }
  if (origin === url.origin) return request;
  return make(`${origin}${url.pathname}${url.search}`, request);
}
