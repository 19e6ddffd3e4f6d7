import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Scorecard } from '@/lib/metrics/types';
import { formatCount, formatHeadlineMoney, formatMoney, formatPercent, formatScore, formatSignedCount, formatSignedMoney, formatTargetMoney, statusLabel } from '@/lib/format';
import { subtractMoney } from '@/lib/metrics/money';
import { DEMO, launchBrowser, newContext, signIn } from './browser';

const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const expectedScorecards = inject('expectedScorecards') as Record<'latest' | 'quarter' | 'year', Scorecard>;

/** The loading placeholder gives way to the streamed page a moment after load (React reveals in batches). */
const settled = (page: Page) => page.waitForSelector('[aria-busy="true"]', { state: 'detached' });
const CURRENCY = 'USD';

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent())?.trim();

/** Every figure the scorecard shows for a period, against the CLI's JSON for the same period. */
async function expectScorecardFigures(page: Page, expected: Scorecard) {
  const { retention, recommendation, spotFixCost } = expected;
  expect(await text(page, 'retention-value')).toBe(formatPercent(retention.value));
  expect(await text(page, 'recommendation-value')).toBe(formatPercent(recommendation.value));
  expect(await text(page, 'spot-fix-cost-value')).toBe(formatHeadlineMoney(spotFixCost.value, CURRENCY));

  expect(await text(page, 'retention-target')).toBe(`${formatPercent(retention.target)} or more`);
  expect(await text(page, 'recommendation-target')).toBe(`${formatPercent(recommendation.target)} or more`);
  expect(await text(page, 'spot_fix_cost-target')).toBe(`at most ${formatTargetMoney(spotFixCost.target, CURRENCY)}`);

  expect(await text(page, 'retention-retained')).toBe(
    `${formatCount(retention.retained)} of ${formatCount(retention.start)} customers`,
  );
  expect(await text(page, 'recommendation-nps')).toBe(formatScore(recommendation.nps));
  expect(await text(page, 'recommendation-responses')).toContain(formatCount(recommendation.responses));
  expect(await text(page, 'spot-fix-count')).toBe(formatCount(spotFixCost.count));
  expect(await text(page, 'spot-fix-repeat-cost')).toContain(formatMoney(spotFixCost.repeatCost, CURRENCY));

  const cards = {
    retention: page.locator('article[data-metric="retention"]'),
    recommendation: page.locator('article[data-metric="recommendation"]'),
    spot_fix_cost: page.locator('article[data-metric="spot_fix_cost"]'),
  };
  for (const [key, metric] of [
    ['retention', retention],
    ['recommendation', recommendation],
    ['spot_fix_cost', spotFixCost],
  ] as const) {
    const card = await cards[key].innerText();
    expect(card).toContain(statusLabel(metric.status));
    expect(card).toContain(metric.owner!.name);
    expect(card).toContain(metric.owner!.title);
  }

  expect(await text(page, 'customers-gained')).toBe(formatCount(retention.gained));
  expect(await text(page, 'customers-lost')).toBe(formatCount(retention.lost));
  expect(await text(page, 'customers-value-gained')).toBe(formatMoney(retention.valueGained, CURRENCY));
  expect(await text(page, 'customers-value-lost')).toBe(formatMoney(retention.valueLost, CURRENCY));
  expect(await text(page, 'customers-net')).toBe(formatSignedCount(retention.gained - retention.lost));
  expect(await text(page, 'customers-net-value')).toBe(
    formatSignedMoney(subtractMoney(retention.valueGained, retention.valueLost), CURRENCY),
  );
  const reasons = await page.getByTestId('churn-reasons').locator('li').allInnerTexts();
  expect(reasons).toHaveLength(retention.topReasons.length);
  retention.topReasons.forEach((reason, i) => {
    expect(reasons[i]).toContain(reason.reason);
    expect(reasons[i]).toContain(`${formatCount(reason.count)} (`);
    expect(reasons[i]).toContain(formatMoney(reason.valueLost, CURRENCY));
  });
}

describe('the scorecard page', () => {
  it('sends a signed-out visitor to the sign-in page', async () => {
    const response = await fetch(`${baseUrl}/`, { redirect: 'manual' });
    expect([302, 303, 307]).toContain(response.status);
    expect(new URL(response.headers.get('location')!, baseUrl).pathname).toBe('/login');
  });

  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('shows the latest complete month with the figures, statuses and owners the CLI computes', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.viewer);
    expect(new URL(page.url()).pathname).toBe('/');
    await settled(page);
    const expected = expectedScorecards.latest;
    await expect(page.locator('h1').textContent()).resolves.toContain(
      new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(`${expected.period.start}T00:00:00Z`),
      ),
    );
    await expectScorecardFigures(page, expected);
    // Each card: changes against the previous month and the same month a year earlier, and a trend.
    const changes = await page.locator('article[data-metric="retention"] dl[aria-label="Change"] dt').allInnerTexts();
    expect(changes).toHaveLength(2);
    expect(await page.locator('article svg[role="img"]').count()).toBe(3);
    expect(await page.locator('article[data-metric="retention"] svg circle').count()).toBe(24);
    await page.screenshot({ path: path.join(screenshotDir, 'scorecard-desktop.png'), fullPage: true });
    await context.close();
  });

  it('shows a quarter and a year from the URL, with the CLI’s figures for them', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.viewer);
    for (const key of ['quarter', 'year'] as const) {
      const expected = expectedScorecards[key];
      await page.goto(`${baseUrl}/?period=${expected.period.label}`);
      await settled(page);
      await expectScorecardFigures(page, expected);
      expect(await page.locator('#period-select').inputValue()).toBe(expected.period.label);
    }
    expect(await page.locator('article[data-metric="retention"] svg circle').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshotDir, 'scorecard-year-desktop.png'), fullPage: true });
    await context.close();
  });

  it('changes period with plain links and a form, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.viewer);
    await page.goto(`${baseUrl}/`);
    // Without scripts the placeholder stays in the document, hidden by its <noscript> style.
    expect(await page.locator('[aria-busy="true"]').isVisible()).toBe(false);
    await page.getByRole('link', { name: 'Quarter' }).click();
    await page.waitForURL(/period=\d{4}-Q[1-4]/);
    expect(new URL(page.url()).searchParams.get('period')).toBe(expectedScorecards.quarter.period.label);
    expect(await text(page, 'retention-value')).toBe(formatPercent(expectedScorecards.quarter.retention.value));

    const year = Number(expectedScorecards.quarter.period.label.slice(0, 4));
    await page.locator('#period-select').selectOption(`${year}-Q1`);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(new RegExp(`period=${year}-Q1$`));
    expect(await page.locator('h1').textContent()).toContain(`Q1 ${year}`);

    await page.getByRole('link', { name: /^Previous:/ }).click();
    await page.waitForURL(new RegExp(`period=${year - 1}-Q4$`));
    // Back to months: the first month of the quarter shown.
    await page.getByRole('link', { name: 'Month' }).click();
    await page.waitForURL(new RegExp(`period=${year - 1}-10$`));
    expect(await page.locator('h1').textContent()).toContain(`October ${year - 1}`);
    await context.close();
  });

  it('explains a period it cannot read instead of failing, and shows the default', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.viewer);
    const response = await page.goto(`${baseUrl}/?period=last-tuesday`);
    await settled(page);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole('status').first().innerText()).toContain('“last-tuesday” is not a period');
    expect(await text(page, 'retention-value')).toBe(formatPercent(expectedScorecards.latest.retention.value));
    await context.close();
  });

  it('shows "—" with the reason for a period without data, never 0 or NaN', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.viewer);
    await page.goto(`${baseUrl}/?period=2015-03`);
    await settled(page);
    expect(await text(page, 'retention-value')).toBe('—');
    // March 2015 is before the demo's data begins: no data, with the reason, never a 0 that looks like a result.
    expect(await text(page, 'retention-value-reason')).toMatch(/^No data: customer churn is recorded from \w+ \d{4}\.$/);
    expect(await text(page, 'recommendation-value')).toBe('—');
    expect(await text(page, 'recommendation-value-reason')).toMatch(/^No data: survey responses are recorded from \w+ \d{4}\.$/);
    expect(await text(page, 'spot-fix-cost-value')).toBe('—');
    const main = await page.locator('main:not([aria-busy])').innerText();
    expect(main).not.toContain('NaN');
    expect(main).toContain('nothing to compare');
    await context.close();
  });

  it('is navigable with the keyboard: Tab reaches a metric and Enter opens its drill-down', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.viewer);
    await page.goto(`${baseUrl}/`);
    await settled(page);
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'Customer retention'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    }
    expect(focused).toBe('Customer retention');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/metrics\/retention\?period=/);
    await context.close();
  });

  it('fits a 390 px phone and follows the dark colour scheme', async () => {
    for (const [name, options] of [
      ['scorecard-phone.png', { viewport: 'phone' }],
      ['scorecard-dark.png', { colorScheme: 'dark' }],
      ['scorecard-phone-dark.png', { viewport: 'phone', colorScheme: 'dark' }],
    ] as const) {
      const context = await newContext(browser, options);
      const page = await context.newPage();
      await signIn(page, baseUrl, DEMO.executive);
      await page.goto(`${baseUrl}/`);
      await settled(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      if (options.colorScheme === 'dark') {
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(background).toBe('rgb(15, 17, 21)');
      }
      await page.screenshot({ path: path.join(screenshotDir, name), fullPage: true });
      await context.close();
    }
  });
});
