import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, DEMO_PASSWORD, launchBrowser, newContext } from './browser';

/**
 * Sessions in the production build: a deep link survives signing in; signing out ends the session
 * on the server, so a copy of the old cookie opens nothing (pages or API).
 */
const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('sessions', () => {
  it('returns a signed-out visitor of a deep link to that page after signing in', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/metrics/retention?period=2025-Q1`);
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByLabel('Work email').fill(DEMO.viewer);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });
    const landed = new URL(page.url());
    expect(`${landed.pathname}${landed.search}`).toBe('/metrics/retention?period=2025-Q1');
    await context.close();
  });

  it('refuses the old cookie on pages and the API once its owner has signed out', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Work email').fill(DEMO.viewer);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

    const api = () => fetch(`${baseUrl}/api/v1/scorecard`, { headers: { cookie } });
    expect((await api()).status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');

    expect((await api()).status).toBe(401);
    // A page with the old cookie: the proxy lets a fresh-looking cookie through, the page itself refuses it.
    const pageAnswer = await fetch(`${baseUrl}/admin/audit`, { headers: { cookie }, redirect: 'manual' });
    const body = pageAnswer.status === 200 ? await pageAnswer.text() : '';
    expect(pageAnswer.status === 307 || body.includes('/login')).toBe(true);
    expect(body).not.toContain('Sign out');
    await context.close();
  });
});
