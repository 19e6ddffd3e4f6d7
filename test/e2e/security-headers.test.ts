import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO, launchBrowser, newContext, signIn } from './browser';

/**
 * Hardening headers on the production build: a signed-out page, a signed-in page, the API and a
 * snapshot link all carry them; pages carry a strict CSP with a fresh nonce, which the app's own
 * scripts (charts, forms) work under, and no other site can frame them.
 */
const baseUrl = inject('baseUrl');
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cookie: string;
let snapshotLink: string;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
  page = await context.newPage();
  await signIn(page, baseUrl, DEMO.executive);
  cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  await page.goto(`${baseUrl}/snapshots/new`);
  await page.getByLabel('Title').fill(`Headers ${Date.now()}`);
  await page.getByRole('button', { name: /^Freeze / }).click();
  const link = page.getByTestId('snapshot-link');
  await link.waitFor({ timeout: 30_000 });
  snapshotLink = await link.inputValue();
});
afterAll(async () => {
  await browser?.close();
});

function expectCommonHeaders(response: Response) {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('referrer-policy')).toMatch(/^(strict-origin-when-cross-origin|no-referrer)$/);
  expect(response.headers.get('permissions-policy')).toContain('camera=()');
  expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
}

function expectPagePolicy(response: Response): string {
  const csp = response.headers.get('content-security-policy')!;
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("object-src 'none'");
  return nonce!;
}

describe('security headers', () => {
  it('are on a signed-out page, with a nonce on every inline script that changes each request', async () => {
    const first = await fetch(`${baseUrl}/login`);
    expectCommonHeaders(first);
    const nonce = expectPagePolicy(first);
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const second = await fetch(`${baseUrl}/login`);
    expect(expectPagePolicy(second)).not.toBe(nonce);
  });

  it('are on a signed-in page, the API and a snapshot link', async () => {
    const signedIn = await fetch(`${baseUrl}/`, { headers: { cookie } });
    expect(signedIn.status).toBe(200);
    expectCommonHeaders(signedIn);
    expectPagePolicy(signedIn);

    const api = await fetch(`${baseUrl}/api/v1/scorecard`, { headers: { cookie } });
    expect(api.status).toBe(200);
    expectCommonHeaders(api);
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");

    const snapshot = await fetch(snapshotLink);
    expect(snapshot.status).toBe(200);
    expectCommonHeaders(snapshot);
    expectPagePolicy(snapshot);
    expect(snapshot.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('lets the app run under the policy: charts draw, forms answer, nothing is refused', async () => {
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${baseUrl}/metrics/retention`);
    await page.locator('main svg').first().waitFor({ timeout: 30_000 });
    await page.goto(snapshotLink);
    await page.locator('main').first().waitFor();
    await page.goto(`${baseUrl}/spot-fixes`);
    await page.locator('main form').first().waitFor();
    expect(refused).toEqual([]);
  });

  it('cannot be framed by another site', async () => {
    const framer = await context.newPage();
    // Another origin (about:blank's content) frames the signed-in admin page.
    await framer.setContent(`<iframe id="f" src="${baseUrl}/" width="800" height="600"></iframe>`);
    const frame = await (await framer.$('#f'))!.contentFrame();
    await frame!.waitForLoadState('load').catch(() => {});
    const inside = await frame!.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    expect(inside).not.toContain('Sign out');
    await framer.close();
  });
});
