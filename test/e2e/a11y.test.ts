import fs from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO, launchBrowser, newContext, signIn } from './browser';

const baseUrl = inject('baseUrl');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The loading placeholder gives way to the streamed page a moment after load (React reveals in batches). */
const settled = (page: Page) => page.waitForSelector('[aria-busy="true"]', { state: 'detached' });

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** Runs axe-core in the page (its source injected, nothing fetched) and returns its violations. */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

const PAGES = [
  '/',
  '/?period=2015-03',
  '/metrics/retention',
  '/metrics/recommendation',
  '/metrics/spot_fix_cost',
  '/accountability',
];

describe('accessibility (axe-core in Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`finds no violations on the scorecard, the drill-downs and the accountability views (${colorScheme})`, async () => {
      const context = await newContext(browser, { colorScheme });
      const page = await context.newPage();
      await signIn(page, baseUrl, DEMO.spotFixOwner);
      const found: Record<string, AxeViolation[]> = {};
      for (const pagePath of PAGES) {
        await page.goto(`${baseUrl}${pagePath}`);
        await settled(page);
        if (pagePath.startsWith('/metrics/')) {
          await page.waitForFunction(() => document.querySelectorAll('svg.recharts-surface').length >= 3, null, {
            timeout: 20_000,
          });
        }
        const violations = await axeViolations(page);
        if (violations.length > 0) found[pagePath] = violations;
      }
      expect(found).toEqual({});
      await context.close();
    });
  }
});
