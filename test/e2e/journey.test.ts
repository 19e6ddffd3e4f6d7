import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatCount, formatGroupLabel, formatMoney, formatPercent } from '@/lib/format';
import type { Journey } from '@/lib/metrics/journey';
import { DEMO, launchBrowser, newContext, signIn } from './browser';

/**
 * The journey view against the production build on the demo company: the API returns exactly
 * what the CLI printed for the same period, the page shows those figures side by side (desktop),
 * stacked (phone) and in dark mode, a stage opens its issues and spot fixes, the scorecard carries
 * the value at risk, and a snapshot freezes the journey figures. Axe finds nothing on any of them.
 */
const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const expected = inject('expectedJourneys') as Record<'latest' | 'quarter' | 'year', Journey>;
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const shot = (name: string) => path.join(screenshotDir, `journey-${name}.png`);
const money = (amount: string) => formatMoney(amount, 'USD');

const settled = (page: Page) => page.waitForSelector('[aria-busy="true"]', { state: 'detached' });

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Waits for the page's charts (client islands) to draw, so screenshots and axe see them. */
const chartsDrawn = (page: Page, count: number) =>
  page.waitForFunction((n) => document.querySelectorAll('svg.recharts-surface').length >= n, count, { timeout: 20_000 });

describe('where the ball drops (the journey view)', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const latest = expected.latest;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await context.newPage();
    await signIn(page, baseUrl, DEMO.viewer);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('the demo company has stages, touchpoints and value at risk to show', () => {
    expect(latest.stages.length).toBeGreaterThan(2);
    expect(latest.touchpoints.length).toBeGreaterThan(2);
    expect(latest.valueAtRisk.customers).toBeGreaterThan(0);
  });

  it('answers GET /api/v1/journey with exactly the JSON the CLI printed for the same period', async () => {
    for (const [name, journey] of Object.entries(expected)) {
      const query = name === 'latest' ? '' : `?period=${journey.period.label}`;
      const response = await page.request.get(`${baseUrl}/api/v1/journey${query}`);
      expect(response.status()).toBe(200);
      expect(await response.json()).toEqual(journey);
    }
    const bad = await page.request.get(`${baseUrl}/api/v1/journey?period=2025-13`);
    expect(bad.status()).toBe(400);
    const anonymous = await fetch(`${baseUrl}/api/v1/journey`);
    expect(anonymous.status).toBe(401);
    const openapi = (await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { required?: string[] }> };
    };
    expect(openapi.paths['/api/v1/journey']).toBeDefined();
    expect(openapi.components.schemas.Journey.required).toEqual(Object.keys(latest));
  });

  it('shows stages by cost beside touchpoints, with value at risk, for every role (here a viewer) on a desktop', async () => {
    await page.goto(`${baseUrl}/journey`);
    await settled(page);
    await chartsDrawn(page, 2);
    const stages = page.getByTestId('journey-stage');
    expect(await stages.count()).toBe(latest.stages.length);
    const first = latest.stages[0];
    const firstText = await stages.first().innerText();
    expect(firstText).toContain(formatGroupLabel(first.stage, 'No stage recorded'));
    expect(firstText).toContain(money(first.cost));
    expect(firstText).toContain(formatPercent(first.repeatShare));
    for (const issue of first.topIssues) expect(firstText).toContain(money(issue.cost));
    expect(await page.getByTestId('journey-touchpoint').count()).toBe(latest.touchpoints.length);
    const atRisk = await page.getByTestId('value-at-risk').innerText();
    expect(atRisk).toContain(formatCount(latest.valueAtRisk.customers));
    expect(atRisk).toContain(money(latest.valueAtRisk.monthlyValue));
    const foretells = await page.getByTestId('score-foretells').innerText();
    expect(foretells).toContain(formatPercent(latest.churnAfterResponse.detractor));

    // Side by side: the touchpoints column starts level with the stages column, to its right.
    const left = (await page.getByTestId('journey-stages').boundingBox())!;
    const right = (await page.getByTestId('journey-touchpoints').boundingBox())!;
    expect(right.x).toBeGreaterThan(left.x + left.width - 1);
    expect(Math.abs(right.y - left.y)).toBeLessThan(2);
    await page.screenshot({ path: shot('desktop'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('stacks the two on a phone and reads well in dark mode', async () => {
    const phone = await newContext(browser, { viewport: 'phone' });
    const phonePage = await phone.newPage();
    await signIn(phonePage, baseUrl, DEMO.executive);
    await phonePage.goto(`${baseUrl}/journey`);
    await settled(phonePage);
    await chartsDrawn(phonePage, 2);
    const top = (await phonePage.getByTestId('journey-stages').boundingBox())!;
    const below = (await phonePage.getByTestId('journey-touchpoints').boundingBox())!;
    expect(below.y).toBeGreaterThanOrEqual(top.y + top.height);
    const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phonePage.screenshot({ path: shot('phone'), fullPage: true });
    expect(await axeViolations(phonePage)).toEqual([]);
    await phone.close();

    const dark = await newContext(browser, { colorScheme: 'dark' });
    const darkPage = await dark.newPage();
    await signIn(darkPage, baseUrl, DEMO.admin);
    await darkPage.goto(`${baseUrl}/journey?period=${expected.quarter.period.label}`);
    await settled(darkPage);
    await chartsDrawn(darkPage, 2);
    expect(await darkPage.getByTestId('journey-stage').count()).toBe(expected.quarter.stages.length);
    await darkPage.screenshot({ path: shot('dark'), fullPage: true });
    expect(await axeViolations(darkPage)).toEqual([]);
    await dark.close();
  });

  it('opens a stage: its recurring issues with their owners and its spot fixes, a page at a time', async () => {
    const stage = latest.stages[0];
    await page.goto(`${baseUrl}/journey`);
    await settled(page);
    await page.getByTestId('journey-stage').first().getByRole('link').click();
    await page.waitForURL(/\/journey\/[^?]+\?period=/);
    await settled(page);
    const issues = page.getByTestId('stage-issues').locator('tbody tr');
    expect(await issues.count()).toBeGreaterThanOrEqual(stage.topIssues.length);
    const issueText = await page.getByTestId('stage-issues').innerText();
    for (const issue of stage.topIssues) expect(issueText).toContain(money(issue.cost));
    const firstPage = await page.getByTestId('stage-fixes').locator('tbody tr').count();
    expect(firstPage).toBe(Math.min(stage.count, 25));
    await page.screenshot({ path: shot('stage'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    if (stage.count > 25) {
      await page.getByRole('link', { name: /Older spot fixes/ }).click();
      await page.waitForURL(/after=/);
      await settled(page);
      expect(await page.getByTestId('stage-fixes').locator('tbody tr').count()).toBe(Math.min(stage.count - 25, 25));
    }
  });

  it('puts the value at risk under recommendation rate on the scorecard', async () => {
    await page.goto(`${baseUrl}/`);
    await settled(page);
    const line = await page.getByTestId('scorecard-value-at-risk').innerText();
    expect(line).toContain(formatCount(latest.valueAtRisk.customers));
    expect(line).toContain(money(latest.valueAtRisk.monthlyValue));
    await page.locator('[data-metric="recommendation"]').screenshot({ path: shot('scorecard-card') });
  });

  it('freezes the top stages and the value at risk into a snapshot', async () => {
    const executive = await newContext(browser);
    const executivePage = await executive.newPage();
    await signIn(executivePage, baseUrl, DEMO.executive);
    await executivePage.goto(`${baseUrl}/snapshots/new`);
    await executivePage.getByLabel('Title').fill(`Journey board pack ${Date.now()}`);
    await executivePage.getByRole('button', { name: /^Freeze / }).click();
    const link = await executivePage.getByTestId('snapshot-link').inputValue({ timeout: 30_000 });
    await executive.close();

    const anonymous = await newContext(browser);
    const viewer = await anonymous.newPage();
    await viewer.goto(link);
    const section = viewer.getByTestId('snapshot-journey');
    const text = await section.innerText();
    for (const stage of latest.stages.slice(0, 5)) expect(text).toContain(money(stage.cost));
    expect(await viewer.getByTestId('snapshot-value-at-risk').innerText()).toContain(money(latest.valueAtRisk.monthlyValue));
    await section.scrollIntoViewIfNeeded();
    await viewer.screenshot({ path: shot('snapshot'), fullPage: true });
    expect(await axeViolations(viewer)).toEqual([]);
    await anonymous.close();
  });
});
