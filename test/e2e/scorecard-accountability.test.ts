import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Scorecard } from '@/lib/metrics/types';
import { formatHeadlineMoney, statusLabel } from '@/lib/format';
import { DEMO, launchBrowser, newContext, signIn } from './browser';

const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const expected = inject('expectedScorecards').latest as Scorecard;

/** The loading placeholder gives way to the streamed page a moment after load (React reveals in batches). */
const settled = (page: Page) => page.waitForSelector('[aria-busy="true"]', { state: 'detached' });

describe('the accountability views', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('shows an executive the metric, recurring issues and open actions they answer for', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.spotFixOwner);
    await page.goto(`${baseUrl}/accountability`);
    await settled(page);
    const mine = page.locator('section[aria-labelledby="my-numbers"]');
    const metrics = await mine.getByTestId('my-metrics').innerText();
    expect(metrics).toContain('Cost of spot fixes');
    // A headline: whole dollars.
    expect(metrics).toContain(formatHeadlineMoney(expected.spotFixCost.value, 'USD'));
    expect(metrics).toContain(statusLabel(expected.spotFixCost.status));
    expect(metrics).not.toContain('Customer retention');
    expect(await mine.getByTestId('my-issues').innerText()).toContain('Late delivery');
    expect(await mine.getByTestId('my-actions').innerText()).toContain('Move installation bookings');
    await page.screenshot({ path: path.join(screenshotDir, 'accountability-desktop.png'), fullPage: true });
    await context.close();
  });

  it('maps every power core to who answers for which number and which issues', async () => {
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    await signIn(page, baseUrl, DEMO.viewer);
    await page.goto(`${baseUrl}/accountability`);
    await settled(page);
    expect(await page.locator('section[aria-labelledby="my-numbers"]').innerText()).toContain(
      'You do not own a metric, a recurring issue or an open action yet.',
    );
    const core = (name: string) => page.locator(`section[aria-labelledby="core-${name}"]`);
    // Cores with nobody in them are named in one line, not drawn as empty boxes.
    expect(await core('marketing').count()).toBe(0);
    expect(await page.getByTestId('unassigned-cores').innerText()).toBe('No one assigned: Marketing core, Vertical business core.');
    expect(await page.locator('section[aria-labelledby="power-core-map"]').innerText()).toContain('A power core is one of the seven areas');
    expect(await core('sales').innerText()).toContain('Daniel Reyes');
    expect(await core('sales').innerText()).toContain('Customer retention');
    expect(await core('product').innerText()).toContain('Recommendation rate');
    expect(await core('operations').innerText()).toContain('Cost of spot fixes');
    expect(await core('it').innerText()).toContain('Billing errors');
    // The viewer (Jonas Weber, operations) only looks: not listed as accountable.
    expect(await core('operations').innerText()).not.toContain('Jonas Weber');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshotDir, 'accountability-phone.png'), fullPage: true });
    await context.close();

    const dark = await newContext(browser, { colorScheme: 'dark' });
    const darkPage = await dark.newPage();
    await signIn(darkPage, baseUrl, DEMO.retentionOwner);
    await darkPage.goto(`${baseUrl}/accountability`);
    await settled(darkPage);
    await darkPage.screenshot({ path: path.join(screenshotDir, 'accountability-dark.png'), fullPage: true });
    await dark.close();
  });
});
