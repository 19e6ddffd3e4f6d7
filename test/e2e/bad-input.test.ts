import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, launchBrowser, newContext, signIn } from './browser';

/**
 * Addresses a person could hand-edit or an attacker could send: ids past what a row id can be,
 * days that do not exist, a newline in the way back after sign-in. Each gets a 404 or the page
 * with a clear message, never a server error.
 */
const baseUrl = inject('baseUrl');
let browser: Browser;
let cookie: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await newContext(browser);
  const page = await context.newPage();
  await signIn(page, baseUrl, DEMO.admin);
  cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  await context.close();
});
afterAll(() => browser?.close());

const get = (path: string, signedIn = true) => fetch(`${baseUrl}${path}`, { headers: signedIn ? { cookie } : {}, redirect: 'manual' });

describe('bad ids, dates and callback addresses', () => {
  it.each([
    '/admin/people/99999999999',
    '/admin/people/2147483648',
    '/admin/meetings/99999999999',
    '/snapshots/99999999999',
    '/snapshots/99999999999/compare',
  ])('answers %s with the 404 page', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('There is no page at this address');
  });

  it('shows the audit log with a clear message for a day that does not exist', async () => {
    const response = await get('/admin/audit?from=2025-02-30');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('The from date must be a real day written as YYYY-MM-DD');

    const cursor = await get(`/admin/audit?cursor=${encodeURIComponent('2025-02-30T10:00:00.000000Z_5')}`);
    expect(cursor.status).toBe(200);
    expect(await cursor.text()).toContain('That page of the audit log does not exist');

    const actor = await get('/admin/audit?actor=99999999999');
    expect(actor.status).toBe(200);
    expect(await actor.text()).toContain('Choose someone from the list');
  });

  it('falls back to the defaults for view choices that cannot be', async () => {
    expect((await get('/issues?owner=99999999999')).status).toBe(200);
    expect((await get(`/journey/delivery?after=${encodeURIComponent('2025-02-30~x')}`)).status).toBe(200);
    expect((await get('/journey/100%25')).status).toBe(200);
  });

  it('refuses a newline in the way back after sign-in, never failing', async () => {
    const login = await get(`/login?callbackUrl=${encodeURIComponent('/\nSet-Cookie: x=1')}`, false);
    expect(login.status).toBe(200);
    expect(await login.text()).not.toContain('Set-Cookie: x=1');
    for (const path of [
      `/api/auth/signin?callbackUrl=${encodeURIComponent('/\nx')}`,
      `/api/auth/signout?callbackUrl=${encodeURIComponent('/\nx')}`,
      `/api/auth/error?error=${encodeURIComponent('\n')}`,
    ]) {
      const response = await get(path, false);
      expect(response.status, path).toBeLessThan(500);
    }
  });
});
