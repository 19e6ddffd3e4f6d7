import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO, launchBrowser, newContext } from './browser';
import { mainText, signInWithPassword } from './import-helpers';

/**
 * Every page, as the admin, at 1440×900, at 390×844 and in dark mode, saved under
 * test-results/screenshots/pages for a person to look at; the test checks what a machine can:
 * nothing wider than the screen, the phone's navigation folded into a menu, no cents in headline figures.
 */
const baseUrl = inject('baseUrl');
const dir = path.join(inject('screenshotDir'), 'pages');
fs.mkdirSync(dir, { recursive: true });

const PAGES: Array<[name: string, path: string]> = [
  ['scorecard', '/'],
  ['scorecard-quarter', '/?period=' + quarterBefore()],
  ['metric-retention', '/metrics/retention'],
  ['metric-recommendation', '/metrics/recommendation'],
  ['metric-spot-fix-cost', '/metrics/spot-fix-cost'],
  ['accountability', '/accountability'],
  ['spot-fixes', '/spot-fixes'],
  ['issues', '/issues'],
  ['snapshots', '/snapshots'],
  ['snapshot-new', '/snapshots/new'],
  ['import', '/import'],
  ['admin', '/admin'],
  ['admin-people', '/admin/people'],
  ['admin-metrics', '/admin/metrics'],
  ['admin-tokens', '/admin/tokens'],
  ['admin-audit', '/admin/audit'],
  ['not-found', '/no-such-page'],
];

function quarterBefore(): string {
  const now = new Date();
  const q = Math.floor(now.getUTCMonth() / 3);
  return q === 0 ? `${now.getUTCFullYear() - 1}-Q4` : `${now.getUTCFullYear()}-Q${q}`;
}

const MODES = [
  { mode: 'desktop', viewport: 'desktop', colorScheme: 'light' },
  { mode: 'phone', viewport: 'phone', colorScheme: 'light' },
  { mode: 'dark', viewport: 'desktop', colorScheme: 'dark' },
  { mode: 'phone-dark', viewport: 'phone', colorScheme: 'dark' },
] as const;

/** Elements that stick out past the right edge of the screen (not inside a box that scrolls sideways). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('main *, header *')) {
      const box = el.getBoundingClientRect();
      // A closed menu's contents keep a layout box in newer Chromium, but nobody sees them.
      if (box.width === 0 || box.right <= width + 1 || !el.checkVisibility()) continue;
      let scroller: HTMLElement | null = el.parentElement;
      while (scroller && getComputedStyle(scroller).overflowX === 'visible') scroller = scroller.parentElement;
      if (scroller && scroller !== document.body && scroller !== document.documentElement) continue;
      out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(box.right)} > ${width})`);
    }
    return out.slice(0, 5);
  });
}

describe('every page, looked at', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  for (const { mode, viewport, colorScheme } of MODES) {
    it(`renders every page at ${mode} without anything sticking out`, { timeout: 600_000 }, async () => {
      const context = await newContext(browser, { viewport, colorScheme });
      const page = await context.newPage();
      await signInWithPassword(page, baseUrl, DEMO.admin);
      const problems: string[] = [];
      for (const [name, route] of PAGES) {
        await page.goto(`${baseUrl}${route}`);
        await mainText(page);
        await page.waitForLoadState('networkidle');
        const out = await overflowing(page);
        if (out.length) problems.push(`${name}: ${out.join(', ')}`);
        await page.screenshot({ path: path.join(dir, `${name}-${mode}.png`), fullPage: true });
      }
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('folds the navigation into a menu on a phone, and the menu opens and leads somewhere', { timeout: 120_000 }, async () => {
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    await signInWithPassword(page, baseUrl, DEMO.admin);
    await page.goto(`${baseUrl}/`);
    await mainText(page);
    const header = await page.locator('header.app-header').boundingBox();
    expect(header!.height).toBeLessThan(80);
    await page.waitForLoadState('networkidle');
    await page.locator('header summary', { hasText: 'Menu' }).click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Recurring issues' }).waitFor();
    await page.screenshot({ path: path.join(dir, 'menu-open-phone.png') });
    await Promise.all([page.waitForURL(/\/issues$/, { timeout: 30_000 }), nav.getByRole('link', { name: 'Recurring issues' }).click()]);
    await mainText(page);
    // The page changed; the menu closed behind it.
    await expect.poll(() => nav.isVisible()).toBe(false);
    await context.close();
  });

  it('shows headline money without cents on the recurring-issues totals', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInWithPassword(page, baseUrl, DEMO.admin);
    await page.goto(`${baseUrl}/issues`);
    const totals = await page.getByTestId('issue-totals').innerText();
    expect(totals).toMatch(/\$[\d,]+(?!\.\d)/);
    expect(totals).not.toMatch(/\$[\d,]+\.\d\d/);
    await context.close();
  });
});
