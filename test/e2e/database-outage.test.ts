import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type BenchServer } from '../../bench/server';
import { findPostgresBin, freePort, startOwnPostgres, type OwnPostgres } from '../support/own-postgres';
import { DEMO, DEMO_PASSWORD, launchBrowser, newContext, signIn } from './browser';

/**
 * PostgreSQL restarted under the app: while it is down the API answers 503 with Retry-After (never
 * a 500) and pages say so plainly; once it is back the very next request is served, with no
 * connection left broken in the pool. The app runs on a PostgreSQL server of this test's own
 * (initdb in a temporary folder, its own port): the shared server other tests use is never touched.
 */
const OUTAGE_MESSAGE = "The scorecard's database cannot be reached right now; try again in a moment.";
const root = path.resolve(import.meta.dirname, '../..');
const bin = findPostgresBin();
if (!bin) console.warn('database-outage: skipped, no PostgreSQL server binaries (initdb, pg_ctl) found; set PG_BIN to their folder.');

describe.skipIf(!bin)('a database outage', () => {
  let postgres: OwnPostgres;
  let server: BenchServer;
  let browser: Browser;
  let page: Page;
  let cookie: string;

  beforeAll(async () => {
    postgres = await startOwnPostgres(bin!);
    const env = { ...process.env, DATABASE_URL: postgres.url, POSTGRES_URL: '' };
    for (const command of ['migrate', 'seed-demo']) {
      execFileSync(path.join(root, 'node_modules/.bin/tsx'), ['lib/cli.ts', command], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    }
    server = await startServer(root, process.env.NEXT_DIST_DIR || '.next', await freePort(), { DATABASE_URL: postgres.url });
    browser = await launchBrowser();
    const context = await newContext(browser);
    page = await context.newPage();
    await signIn(page, server.baseUrl, DEMO.executive);
    cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    postgres?.destroy();
  });

  const api = (pathname: string) => fetch(`${server.baseUrl}${pathname}`, { headers: { cookie } });

  it('answers 503 with Retry-After while the server is down, says so on the page, and recovers when it is back', async () => {
    expect((await api('/api/v1/scorecard')).status).toBe(200);
    expect((await api('/api/health')).status).toBe(200);
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('link', { name: 'Accountability' }).waitFor();

    // Requests keep coming while the server shuts down: each is served or refused with a 503, none fails with a 500.
    const statuses: number[] = [];
    let isLoading = true;
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (isLoading) statuses.push((await api('/api/v1/scorecard')).status);
      }),
    );
    while (statuses.length < 8) await new Promise((resolve) => setImmediate(resolve));
    postgres.stop();
    const refusedAfter = statuses.length;
    while (statuses.length < refusedAfter + 8) await new Promise((resolve) => setImmediate(resolve));
    isLoading = false;
    await load;
    expect(new Set(statuses)).toEqual(new Set([200, 503]));

    const down = await api('/api/v1/scorecard');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.json()).toEqual({ error: 'database_unavailable', message: OUTAGE_MESSAGE, problems: [] });
    const health = await api('/api/health');
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('5');

    // A page reached from the app's menu, and one opened afresh, both name the outage.
    await page.getByRole('link', { name: 'Accountability' }).click();
    await expect.poll(() => page.getByText(OUTAGE_MESSAGE).isVisible(), { timeout: 30_000 }).toBe(true);
    await page.goto(`${server.baseUrl}/`);
    await expect.poll(() => page.getByText(OUTAGE_MESSAGE).isVisible(), { timeout: 30_000 }).toBe(true);
    await page.screenshot({ path: path.join(root, 'test-results/screenshots/database-outage-page.png'), fullPage: true });

    // Signing in cannot look the account up: it says why, rather than that the password is wrong.
    const signingIn = await (await browser.newContext()).newPage();
    await signingIn.goto(`${server.baseUrl}/login`);
    await signingIn.getByLabel('Work email').fill(DEMO.executive);
    await signingIn.getByLabel('Password').fill(DEMO_PASSWORD);
    await signingIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signingIn.getByText(OUTAGE_MESSAGE).waitFor({ timeout: 30_000 });

    postgres.start();
    expect((await api('/api/v1/scorecard')).status).toBe(200);
    expect((await api('/api/health')).status).toBe(200);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => page.getByText(OUTAGE_MESSAGE).isVisible(), { timeout: 30_000 }).toBe(false);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 30_000 }).toMatch(/CX Scorecard/);
  });
});
