import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Scorecard } from '@/lib/metrics/types';
import { DRILLDOWN_ISSUE_LIMIT } from '@/lib/data/drilldowns';
import { formatCount, formatHeadlineMoney, formatMargin, formatPercent, statusLabel } from '@/lib/format';
import { DEMO, launchBrowser, newContext, signIn } from './browser';

const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const expected = inject('expectedScorecards').latest as Scorecard;
const year = (inject('expectedScorecards').year as Scorecard).period.label;

/** The loading placeholder gives way to the streamed page a moment after load (React reveals in batches). */
const settled = (page: Page) => page.waitForSelector('[aria-busy="true"]', { state: 'detached' });

const METRICS = [
  { key: 'retention', charts: 3, title: 'Customer retention' },
  { key: 'recommendation', charts: 3, title: 'Recommendation rate' },
  { key: 'spot_fix_cost', charts: 3, title: 'Cost of spot fixes' },
] as const;

/** Waits until every recharts island has drawn its chart (they render after hydration). */
async function waitForCharts(page: Page, count: number) {
  await page.waitForFunction((n) => document.querySelectorAll('svg.recharts-surface').length >= n, count, {
    timeout: 20_000,
  });
}

describe('the metric drill-downs', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('shows "not found" for a metric that does not exist', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.viewer);
    // The proxy answers an unknown key before the page could start streaming behind its loading state.
    const response = await page.goto(`${baseUrl}/metrics/happiness`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('body').innerText()).toContain('There is no page at this address');
    expect(await page.locator('meta[name="robots"]').first().getAttribute('content')).toContain('noindex');
    await context.close();
  });

  it('shows each metric’s headline as the CLI computes it, its breakdowns and the owner’s commentary', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.viewer);

    await page.goto(`${baseUrl}/metrics/retention`);

    await settled(page);
    expect(await page.locator('h1').innerText()).toContain('Customer retention');
    expect(await page.getByTestId('retention-value').innerText()).toBe(formatPercent(expected.retention.value));
    const segments = await page.getByTestId('retention-by-segment').locator('tbody tr').allInnerTexts();
    expect(segments.map((row) => row.split('\t')[0])).toEqual(['Small business', 'Mid-market', 'Enterprise']);
    // The segments add up to the whole.
    const startBySegment = await page
      .getByTestId('retention-by-segment')
      .locator('tbody tr td:nth-child(3)')
      .allInnerTexts();
    expect(startBySegment.reduce((sum, cell) => sum + Number(cell.replace(/,/g, '')), 0)).toBe(expected.retention.start);
    const reasons = await page.getByTestId('reasons-for-leaving').locator('li').allInnerTexts();
    expect(reasons[0]).toContain(expected.retention.topReasons[0].reason);
    expect(await page.getByRole('heading', { name: 'Owner’s commentary' }).count()).toBeGreaterThan(0);
    expect(await page.locator('main:not([aria-busy])').innerText()).toContain(expected.retention.owner!.name);

    await page.goto(`${baseUrl}/metrics/recommendation`);

    await settled(page);
    expect(await page.getByTestId('recommendation-value').innerText()).toBe(formatPercent(expected.recommendation.value));
    const main = await page.locator('main:not([aria-busy])').innerText();
    expect(main).toContain(`${formatMargin(expected.recommendation.marginOfError!)} at 95%`);
    expect(main).toContain(statusLabel(expected.recommendation.status));
    const touchpoints = await page.getByTestId('recommendation-by-touchpoint').locator('tbody tr').count();
    expect(touchpoints).toBe(5);
    // The score distribution's table adds up to the period's responses.
    await page.getByText('Show the figures').first().click();
    const counts = await page.locator('table').first().locator('tbody td:nth-child(2)').allInnerTexts();
    expect(counts).toHaveLength(11);
    expect(counts.reduce((sum, cell) => sum + Number(cell.replace(/,/g, '')), 0)).toBe(expected.recommendation.responses);

    await page.goto(`${baseUrl}/metrics/spot_fix_cost`);

    await settled(page);
    expect(await page.getByTestId('spot-fix-cost-value').innerText()).toBe(formatHeadlineMoney(expected.spotFixCost.value, 'USD'));
    // The period's costliest issues only, costliest first, each share taken over all of them.
    const pareto = page.getByTestId('issue-pareto').locator('tbody tr');
    expect(await pareto.count()).toBeGreaterThan(3);
    expect(await pareto.count()).toBeLessThanOrEqual(DRILLDOWN_ISSUE_LIMIT);
    const costs = await page.getByTestId('issue-pareto').locator('tbody tr td:nth-child(4)').allInnerTexts();
    const cents = costs.map((c) => Math.round(Number(c.replace(/[$,]/g, '')) * 100));
    expect(cents.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(Math.round(Number(expected.spotFixCost.value) * 100));
    expect([...cents].sort((a, b) => b - a)).toEqual(cents);
    expect(await page.getByTestId('issue-pareto').innerText()).toContain('Tom Brennan');
    const rent = await page.getByTestId('rent-vs-own').locator('tbody tr').allInnerTexts();
    expect(rent.length).toBeGreaterThan(0);
    expect(rent.join('\n')).toMatch(/× the fix/);
    expect(formatCount(expected.spotFixCost.count)).toBeTruthy();
    await context.close();
  });

  it('shows a year’s ten costliest issues and links to all of them on the recurring-issues page', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.executive);
    await page.goto(`${baseUrl}/metrics/spot_fix_cost?period=${year}`);
    await settled(page);
    const rows = page.getByTestId('issue-pareto').locator('tbody tr');
    expect(await rows.count()).toBe(DRILLDOWN_ISSUE_LIMIT);
    const top = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-issue')));
    const link = page.getByTestId('all-issues-link');
    const total = Number(/^Show all ([\d,]+) issues$/.exec(await link.innerText())![1].replace(/,/g, ''));
    expect(total).toBeGreaterThan(DRILLDOWN_ISSUE_LIMIT);
    expect(await page.getByTestId('issue-pareto-cut').innerText()).toMatch(
      new RegExp(`^The costliest ${DRILLDOWN_ISSUE_LIMIT} of ${formatCount(total)} issues, [\\d.]+% of the period’s cost\\.$`),
    );
    const href = new URL((await link.getAttribute('href'))!, baseUrl);
    expect(href.pathname).toBe('/issues');
    expect(Object.fromEntries(href.searchParams)).toEqual({ period: year, sort: 'total-cost' });
    await page.screenshot({ path: path.join(screenshotDir, 'drilldown-spot-fix-cost-year.png'), fullPage: true });

    await link.click();
    await page.waitForURL((url) => url.pathname === '/issues');
    await page.getByTestId('issue-table').waitFor();
    expect(await page.getByTestId('issue-totals').innerText()).toContain(formatCount(total));
    const listed = await page.getByTestId('issue-table').locator('tbody tr[data-issue]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-issue')));
    // The same ranking: the drill-down's issues open the full list.
    expect(listed.slice(0, 3)).toEqual(top.slice(0, 3));
    await context.close();
  });

  for (const [suffix, options] of [
    ['desktop', {}],
    ['phone', { viewport: 'phone' }],
    ['dark', { colorScheme: 'dark' }],
  ] as const) {
    it(`draws every chart and fits the screen (${suffix})`, async () => {
      const context = await newContext(browser, options);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await signIn(page, baseUrl, DEMO.spotFixOwner);
      for (const metric of METRICS) {
        await page.goto(`${baseUrl}/metrics/${metric.key}`);
        await settled(page);
        await waitForCharts(page, metric.charts);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${metric.key} is wider than the screen`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(screenshotDir, `drilldown-${metric.key}-${suffix}.png`), fullPage: true });
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
