import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Scorecard } from '@/lib/metrics/types';
import { formatMoney, formatPercent, statusLabel } from '@/lib/format';
import { DEMO, launchBrowser, newContext, signIn } from './browser';

const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const expected = inject('expectedScorecards').latest as Scorecard;

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

  it('shows the three metrics of the latest complete month with the figures, statuses and owners the CLI computes', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.viewer);
    expect(new URL(page.url()).pathname).toBe('/');

    await expect(page.getByTestId('retention-value').textContent()).resolves.toBe(formatPercent(expected.retention.value));
    await expect(page.getByTestId('recommendation-value').textContent()).resolves.toBe(
      formatPercent(expected.recommendation.value),
    );
    await expect(page.getByTestId('spot-fix-cost-value').textContent()).resolves.toBe(
      formatMoney(expected.spotFixCost.value, 'USD'),
    );
    const text = await page.locator('main').innerText();
    for (const metric of [expected.retention, expected.recommendation, expected.spotFixCost]) {
      expect(text).toContain(statusLabel(metric.status));
      expect(text).toContain(metric.owner!.name);
    }
    await page.screenshot({ path: path.join(screenshotDir, 'scorecard-desktop.png'), fullPage: true });
    await context.close();
  });
});
