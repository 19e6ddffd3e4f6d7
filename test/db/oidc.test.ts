import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executives } from '@/lib/db/schema';
import { oidcConfigFromEnv, resolveOidcExecutive, signInErrorMessage, withRequestOrigin } from '@/lib/auth/oidc';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

describe('single sign-on configuration', () => {
  it('is off when no AUTH_OIDC_* variable is set', () => {
    expect(oidcConfigFromEnv({})).toBeNull();
    expect(oidcConfigFromEnv({ AUTH_OIDC_ISSUER: '  ' })).toBeNull();
  });

  it('reads the issuer, client and button name, defaulting the name', () => {
    const env = { AUTH_OIDC_ISSUER: 'https://login.example.com/tenant/', AUTH_OIDC_CLIENT_ID: 'id', AUTH_OIDC_CLIENT_SECRET: 'secret' };
    expect(oidcConfigFromEnv(env)).toEqual({
      issuer: 'https://login.example.com/tenant',
      clientId: 'id',
      clientSecret: 'secret',
      name: 'single sign-on',
      trustEmail: false,
    });
    expect(oidcConfigFromEnv({ ...env, AUTH_OIDC_TRUST_EMAIL: 'TRUE' })?.trustEmail).toBe(true);
    expect(() => oidcConfigFromEnv({ ...env, AUTH_OIDC_TRUST_EMAIL: 'yes' })).toThrow('AUTH_OIDC_TRUST_EMAIL must be true or false (got "yes").');
    expect(oidcConfigFromEnv({ ...env, AUTH_OIDC_NAME: 'Okta' })?.name).toBe('Okta');
  });

  it('fails loudly when only half configured, naming what is missing', () => {
    expect(() => oidcConfigFromEnv({ AUTH_OIDC_ISSUER: 'https://login.example.com' })).toThrow(
      /set AUTH_OIDC_CLIENT_ID and AUTH_OIDC_CLIENT_SECRET/,
    );
    expect(() => oidcConfigFromEnv({ AUTH_OIDC_ISSUER: 'not a url', AUTH_OIDC_CLIENT_ID: 'a', AUTH_OIDC_CLIENT_SECRET: 'b' })).toThrow(
      /AUTH_OIDC_ISSUER must be/,
    );
  });

  it('has a message for each way single sign-on can be refused', () => {
    for (const code of ['sso_unknown', 'sso_unverified', 'sso_no_email', 'AccessDenied', 'Configuration']) {
      expect(signInErrorMessage(code)).toMatch(/\w/);
    }
    expect(signInErrorMessage(undefined)).toBeNull();
    expect(signInErrorMessage('<script>')).toBe('Sign-in did not complete. Try again.');
  });

  it('gives the auth route handlers the address the browser used, unless AUTH_URL fixes it', () => {
    const make = (url: string, init: Request) => new Request(url, init);
    const proxied = new Request('http://localhost:3000/api/auth/callback/oidc?code=x', {
      headers: { host: 'internal:3000', 'x-forwarded-host': 'scorecard.example.com', 'x-forwarded-proto': 'https' },
    });
    expect(withRequestOrigin(proxied, make).url).toBe('https://scorecard.example.com/api/auth/callback/oidc?code=x');
    const direct = new Request('http://localhost:3000/api/auth/session', { headers: { host: '127.0.0.1:3000' } });
    expect(withRequestOrigin(direct, make).url).toBe('http://127.0.0.1:3000/api/auth/session');
    const same = new Request('http://localhost:3000/api/auth/session', { headers: { host: 'localhost:3000' } });
    expect(withRequestOrigin(same, make)).toBe(same);
  });
});

describe.each(DATABASE_TARGETS)('single sign-on account matching on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    await t.reset();
    await t.db.insert(executives).values([
      { name: 'Tom Brennan', email: 'tom.brennan@brightwave.example', title: 'COO', powerCore: 'operations', role: 'executive', sessionVersion: 3 },
      { name: 'Gone Person', email: 'gone@brightwave.example', title: 'Former', powerCore: 'sales', role: 'executive', isActive: false },
    ]);
  });

  it('signs in an active executive by verified email, whatever its case, with their session version', async () => {
    const result = await resolveOidcExecutive(t.db, { sub: 'x', email: ' Tom.Brennan@Brightwave.example ', email_verified: true });
    expect(result).toMatchObject({ ok: true, executive: { name: 'Tom Brennan', email: 'tom.brennan@brightwave.example', sessionVersion: 3 } });
    expect(await resolveOidcExecutive(t.db, { email: 'tom.brennan@brightwave.example', email_verified: 'true' })).toMatchObject({ ok: true });
  });

  it('refuses an unknown email, an inactive person, an unverified or missing email', async () => {
    expect(await resolveOidcExecutive(t.db, { email: 'stranger@elsewhere.example', email_verified: true })).toEqual({ ok: false, reason: 'unknown' });
    expect(await resolveOidcExecutive(t.db, { email: 'gone@brightwave.example', email_verified: true })).toEqual({ ok: false, reason: 'unknown' });
    expect(await resolveOidcExecutive(t.db, { email: 'tom.brennan@brightwave.example', email_verified: false })).toEqual({ ok: false, reason: 'unverified' });
    expect(await resolveOidcExecutive(t.db, { email: 'tom.brennan@brightwave.example' })).toEqual({ ok: false, reason: 'unverified' });
  });

  it('accepts an email sent without a verified flag only when told to trust the provider (Entra ID), never one marked unverified', async () => {
    const trust = { trustEmail: true };
    expect(await resolveOidcExecutive(t.db, { email: 'tom.brennan@brightwave.example' }, trust)).toMatchObject({ ok: true });
    expect(await resolveOidcExecutive(t.db, { email: 'tom.brennan@brightwave.example', email_verified: false }, trust)).toEqual({ ok: false, reason: 'unverified' });
    expect(await resolveOidcExecutive(t.db, { email: 'tom.brennan@brightwave.example', email_verified: 'false' }, trust)).toEqual({ ok: false, reason: 'unverified' });
    expect(await resolveOidcExecutive(t.db, { email: 'stranger@elsewhere.example' }, trust)).toEqual({ ok: false, reason: 'unknown' });
    expect(await resolveOidcExecutive(t.db, { sub: 'x' })).toEqual({ ok: false, reason: 'no_email' });
    expect(await resolveOidcExecutive(t.db, undefined)).toEqual({ ok: false, reason: 'no_email' });
  });
});
