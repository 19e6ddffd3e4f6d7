import http from 'node:http';
import type { AddressInfo } from 'node:net';
// oidc-provider ships no type declarations; the few calls below are checked by the browser test.
// @ts-expect-error -- untyped package
import Provider from 'oidc-provider';

/**
 * A real OpenID Connect provider (the certified `oidc-provider` package) on a loopback port, for the
 * single sign-on browser test. Its own development sign-in page accepts any login and password; the
 * login typed there is the account's email, verified unless it starts with "unverified:".
 */
export const OIDC_TEST_NAME = 'Brightwave ID';
export const UNVERIFIED_PREFIX = 'unverified:';

export interface TestOidcProvider {
  issuer: string;
  /** The AUTH_OIDC_* variables that point the app at this provider. */
  env: Record<string, string>;
  close(): Promise<void>;
}

interface Ctx {
  oidc: {
    result?: { consent?: { grantId?: string } };
    session: { accountId: string; grantIdFor(clientId: string): string | undefined };
    client: { clientId: string };
    provider: { Grant: GrantClass };
  };
}
interface GrantInstance {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface GrantClass {
  new (init: { clientId: string; accountId: string }): GrantInstance;
  find(id: string): Promise<GrantInstance | undefined>;
}

export async function startOidcProvider({ redirectUri }: { redirectUri: string }): Promise<TestOidcProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = { client_id: 'cx-scorecard-e2e', client_secret: 'e2e-client-secret-0123456789abcdef' };

  const provider = new Provider(issuer, {
    clients: [{ ...client, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['oidc-e2e-cookie-key-0123456789'] },
    async findAccount(_ctx: unknown, login: string) {
      const unverified = login.startsWith(UNVERIFIED_PREFIX);
      const email = unverified ? login.slice(UNVERIFIED_PREFIX.length) : login;
      return {
        accountId: login,
        async claims() {
          return { sub: login, email, email_verified: !unverified, name: email.split('@')[0] };
        },
      };
    },
    // The app is a first-party client: grant the scopes it asks for without a consent screen.
    async loadExistingGrant(ctx: Ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  if (process.env.OIDC_DEBUG) {
    for (const event of ['grant.error', 'server_error', 'authorization.error']) {
      provider.on(event, (_ctx: unknown, error: { message: string; error_detail?: string }) =>
        console.error(`[oidc-provider] ${event}: ${error.message} ${error.error_detail ?? ''}`),
      );
    }
  }

  return {
    issuer,
    env: {
      AUTH_OIDC_ISSUER: issuer,
      AUTH_OIDC_CLIENT_ID: client.client_id,
      AUTH_OIDC_CLIENT_SECRET: client.client_secret,
      AUTH_OIDC_NAME: OIDC_TEST_NAME,
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
