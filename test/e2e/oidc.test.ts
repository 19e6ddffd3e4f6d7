import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO, launchBrowser, newContext } from './browser';
import { OIDC_TEST_NAME, UNVERIFIED_PREFIX } from './oidc-provider';

const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');

/** Clicks the app's SSO button and signs in at the real provider's own sign-in page as `login`. */
async function signInThroughProvider(page: Page, login: string, shot?: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('button', { name: `Continue with ${OIDC_TEST_NAME}` }).click();
  await page.waitForURL((url) => url.origin !== baseUrl, { timeout: 30_000 });
  // oidc-provider's development interaction: a login and a password form on the provider's origin.
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('anything-the-provider-accepts');
  if (shot) await page.screenshot({ path: path.join(screenshotDir, shot) });
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.waitForURL((url) => url.origin === baseUrl, { timeout: 30_000 });
  await page.locator('main:not([aria-busy])').waitFor();
}

describe('single sign-on through a real OpenID Connect provider', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
  });
  const freshPage = async () => {
    const context = await newContext(browser);
    contexts.push(context);
    return context.newPage();
  };

  it('offers the provider on the sign-in page beside the password form', async () => {
    const page = await freshPage();
    await page.goto(`${baseUrl}/login`);
    await expect(page.getByRole('button', { name: `Continue with ${OIDC_TEST_NAME}` }).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Password').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, 'oidc-login-page.png') });
  });

  it('signs a demo executive in by their verified email, with a session the app honours on every request', async () => {
    const page = await freshPage();
    await signInThroughProvider(page, DEMO.spotFixOwner, 'oidc-provider-login.png');
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.locator('.app-user').innerText()).resolves.toContain('Tom Brennan');
    const session = await page.evaluate(async () => (await fetch('/api/auth/session')).json());
    expect(session.user.email).toBe(DEMO.spotFixOwner);
    expect(Number(session.user.id)).toBeGreaterThan(0);
    expect(session.sessionVersion).toBe(0);
    // A second page load goes through the database check (active, same session version) again.
    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.screenshot({ path: path.join(screenshotDir, 'oidc-signed-in.png') });
  });

  it('refuses an email that belongs to no account, with a clear message on the sign-in page', async () => {
    const page = await freshPage();
    await signInThroughProvider(page, 'stranger@elsewhere.example');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/login');
    expect(url.searchParams.get('error')).toBe('sso_unknown');
    await expect(page.locator('main [role=alert]').innerText()).resolves.toContain('no active CX Scorecard account uses that email address');
    await page.screenshot({ path: path.join(screenshotDir, 'oidc-refused-unknown.png') });
    const session = await page.evaluate(async () => (await fetch('/api/auth/session')).json());
    expect(session).toBeNull();
    const response = await page.goto(`${baseUrl}/`);
    expect(new URL(response!.url()).pathname).toBe('/login');
  });

  it('refuses a known email the provider has not verified', async () => {
    const page = await freshPage();
    await signInThroughProvider(page, `${UNVERIFIED_PREFIX}${DEMO.spotFixOwner}`);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/login');
    expect(url.searchParams.get('error')).toBe('sso_unverified');
    await expect(page.locator('main [role=alert]').innerText()).resolves.toContain('did not confirm that your email address is verified');
    const session = await page.evaluate(async () => (await fetch('/api/auth/session')).json());
    expect(session).toBeNull();
  });
});
