import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { periodContaining, todayIso } from '@/lib/metrics/period';
import type { Scorecard } from '@/lib/metrics/types';
import { DEMO, launchBrowser, newContext, signIn, type VIEWPORTS } from './browser';

/**
 * What a board sees at every granularity: quarters and years judged by their own targets, no
 * verdict before the data or while a period runs, and one wording of a change on the live page
 * and in the snapshot.
 */
const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const expected = inject('expectedScorecards') as Record<'latest' | 'quarter' | 'year', Scorecard>;
const shot = (name: string) => path.join(screenshotDir, `verdicts-${name}.png`);

const currentMonth = periodContaining(todayIso(), 'month').label;
const PERIODS = {
  month: expected.latest.period.label,
  quarter: expected.quarter.period.label,
  year: expected.year.period.label,
  current: currentMonth,
  // Long before anything any browser test loads into the shared demo database.
  'before-data': '1995-06',
} as const;

/** The scorecard, waited for past the streaming placeholder. */
async function openScorecard(page: Page, period: string): Promise<void> {
  await page.goto(`${baseUrl}/?period=${period}`);
  await page.locator('main article[data-metric]').first().waitFor();
}

const statusOf = (page: Page, key: string) => page.locator(`article[data-metric="${key}"] .status`).innerText();

describe('verdicts at every granularity', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages: Partial<Record<keyof typeof VIEWPORTS, Page>> = {};

  beforeAll(async () => {
    browser = await launchBrowser();
    for (const viewport of ['desktop', 'phone'] as const) {
      const context = await newContext(browser, { viewport });
      contexts.push(context);
      const page = await context.newPage();
      await signIn(page, baseUrl, DEMO.admin);
      pages[viewport] = page;
    }
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
  });

  it.each(Object.entries(PERIODS))('shows the scorecard for the %s (%s) on a laptop and a phone', async (name, period) => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const page = pages[viewport]!;
      await openScorecard(page, period);
      await page.screenshot({ path: shot(`scorecard-${name}-${viewport}`), fullPage: true });
    }
  });

  it('judges a quarter and a year by their own targets, and says they are derived', async () => {
    const page = pages.desktop!;
    for (const name of ['quarter', 'year'] as const) {
      await openScorecard(page, PERIODS[name]);
      const card = page.locator('article[data-metric="retention"]');
      await expect(card.getByText(/derived: the monthly target compounded/).count()).resolves.toBe(1);
      const status = expected[name].retention.status;
      expect(await statusOf(page, 'retention')).toContain(
        { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track', no_data: 'No data', in_progress: 'In progress' }[status],
      );
    }
  });

  it('gives the month under way no verdict: in progress, figures so far, the cost’s pace', async () => {
    const page = pages.desktop!;
    await openScorecard(page, PERIODS.current);
    for (const key of ['retention', 'recommendation', 'spot_fix_cost']) {
      expect(await statusOf(page, key)).toContain('In progress');
    }
    await expect(page.getByTestId('period-progress').innerText()).resolves.toMatch(/so far: \d+ of \d+ days/);
    await expect(page.getByTestId('spot-fix-pace').innerText()).resolves.toMatch(/projection/);
    // No green or red against a full period: every change is told in words, uncoloured.
    const words = await page.locator('article[data-metric] [data-change-words]').allInnerTexts();
    expect(words.some((w) => /^(better|worse)$/.test(w))).toBe(false);
  });

  it('shows no data before the data begins, with the reason, never a 0 or a 100 %', async () => {
    const page = pages.desktop!;
    await openScorecard(page, PERIODS['before-data']);
    for (const key of ['retention', 'recommendation', 'spot_fix_cost']) {
      expect(await statusOf(page, key)).toContain('No data');
    }
    await expect(page.getByTestId('spot-fix-cost-value').innerText()).resolves.toBe('—');
    await expect(page.getByTestId('spot-fix-cost-value-reason').innerText()).resolves.toMatch(/spot fixes are recorded from/);
    await expect(page.getByTestId('retention-value').innerText()).resolves.toBe('—');
  });

  it('shows each drill-down for a quarter', async () => {
    const page = pages.desktop!;
    for (const slug of ['retention', 'recommendation', 'spot_fix_cost']) {
      await page.goto(`${baseUrl}/metrics/${slug}?period=${PERIODS.quarter}`);
      await page.locator('main section.card').first().waitFor();
      await page.screenshot({ path: shot(`drilldown-${slug}-quarter`), fullPage: true });
      await pages.phone!.goto(`${baseUrl}/metrics/${slug}?period=${PERIODS.quarter}`);
      await pages.phone!.locator('main section.card').first().waitFor();
      await pages.phone!.screenshot({ path: shot(`drilldown-${slug}-quarter-phone`), fullPage: true });
    }
  });

  it('words the same change the same way on the live page and in the snapshot of that period', async () => {
    const page = pages.desktop!;
    await openScorecard(page, PERIODS.month);
    const live: Record<string, string[]> = {};
    for (const key of ['retention', 'recommendation', 'spot_fix_cost']) {
      live[key] = await page.locator(`article[data-metric="${key}"] [data-change-words]`).allInnerTexts();
    }

    await page.goto(`${baseUrl}/snapshots/new?period=${PERIODS.month}`);
    await page.getByLabel('Title').fill(`Wording check ${Date.now()}`);
    await page.getByRole('button', { name: /^Freeze / }).click();
    const link = await page.getByTestId('snapshot-link').inputValue();
    await page.goto(link);
    for (const key of ['retention', 'recommendation', 'spot_fix_cost']) {
      const frozen = await page.getByTestId(`snapshot-metric-${key}`).locator('[data-change-words]').allInnerTexts();
      expect(frozen, key).toEqual(live[key]);
      expect(frozen.length, key).toBe(2);
    }
  });
});
