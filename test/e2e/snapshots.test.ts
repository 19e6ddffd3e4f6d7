import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Scorecard } from '@/lib/metrics/types';
import { formatHeadlineMoney, formatPercent } from '@/lib/format';
import { DEMO, DEMO_PASSWORD, launchBrowser, newContext } from './browser';

const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const expected = inject('expectedScorecards').latest as Scorecard;
const expectedQuarter = inject('expectedScorecards').quarter as Scorecard;
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const shot = (name: string) => path.join(screenshotDir, `snapshot-${name}.png`);

/** Password sign-in (exact button name: the page may also offer single sign-on). */
async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });
}

/** Pages in the PDF: page objects, not the /Pages tree node. */
function countPdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations.map((v) => `${v.id} (${v.nodes.length})`);
}

/** Freezes the latest complete month through the real form and returns the link, shown once. */
async function freezeThroughTheForm(
  page: Page,
  title: string,
  options: { passcode?: string; screenshots?: boolean; period?: string } = {},
): Promise<string> {
  await page.goto(`${baseUrl}/snapshots/new${options.period ? `?period=${options.period}` : ''}`);
  if (options.screenshots) {
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: shot('new'), fullPage: true });
  }
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Note for the board').fill('Figures for the quarterly board pack.');
  if (options.passcode) await page.getByLabel(/^Passcode/).fill(options.passcode);
  await page.getByRole('button', { name: /^Freeze / }).click();
  const link = page.getByTestId('snapshot-link');
  await link.waitFor({ timeout: 30_000 });
  if (options.screenshots) await page.screenshot({ path: shot('created'), fullPage: true });
  return link.inputValue();
}

describe('board snapshots', () => {
  let browser: Browser;
  let executive: BrowserContext;
  let executivePage: Page;
  let link: string;
  const title = `Board meeting ${Date.now()}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    executive = await newContext(browser);
    executivePage = await executive.newPage();
    await signIn(executivePage, DEMO.executive);
    link = await freezeThroughTheForm(executivePage, title, { screenshots: true });
  });
  afterAll(async () => {
    await executive?.close();
    await browser?.close();
  });

  it('gives an unguessable link on this server, shown once', () => {
    const url = new URL(link);
    expect(url.origin).toBe(new URL(baseUrl).origin);
    expect(url.pathname).toMatch(/^\/s\/[A-Za-z0-9_-]{43}$/);
  });

  it('answers an unknown token with a 404 that also asks not to be indexed', async () => {
    const response = await fetch(`${baseUrl}/s/${'A'.repeat(43)}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-robots-tag')).toContain('noindex');
  });

  it('sends no referrer and asks not to be indexed, in headers and in the page', async () => {
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-robots-tag')).toContain('noindex');
    expect(response.headers.get('cache-control') ?? '').toMatch(/no-store|private/);
    const html = await response.text();
    expect(html).toMatch(/<meta name="robots" content="noindex[^"]*"/);
    expect(html).toContain('<meta name="referrer" content="no-referrer"');
    // The frozen copy holds the SPEC JSON (owners' emails included); the public page must not send them.
    expect(html).not.toContain('@brightwave.example');
  });

  it('opens without signing in, shows the frozen figures, presents with the arrow keys and prints on one landscape page', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const response = await page.goto(link);
    expect(response!.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(new URL(link).pathname);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(title);
    await expect(page.getByTestId('snapshot-value-retention').textContent()).resolves.toBe(formatPercent(expected.retention.value));
    await expect(page.getByTestId('snapshot-value-recommendation').textContent()).resolves.toBe(
      formatPercent(expected.recommendation.value),
    );
    await expect(page.getByTestId('snapshot-value-spot_fix_cost').textContent()).resolves.toBe(
      formatHeadlineMoney(expected.spotFixCost.value, 'USD'),
    );
    const text = await page.locator('main:not([aria-busy])').innerText();
    for (const metric of [expected.retention, expected.recommendation, expected.spotFixCost]) expect(text).toContain(metric.owner!.name);
    expect(text).toContain('Figures for the quarterly board pack.');
    expect(await page.getByTestId('content-hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: shot('desktop'), fullPage: true });

    // Presentation: one metric per slide, arrow keys and clicker keys, Esc to leave.
    await page.getByRole('button', { name: 'Present' }).click();
    const counter = page.getByTestId('slide-counter');
    await expect(counter.textContent()).resolves.toBe('1 / 4');
    await page.keyboard.press('ArrowRight');
    await expect(counter.textContent()).resolves.toBe('2 / 4');
    await page.getByTestId('slide-retention').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('slide-recommendation').waitFor();
    await expect(counter.textContent()).resolves.toBe('3 / 4');
    await page.keyboard.press('ArrowLeft');
    await expect(counter.textContent()).resolves.toBe('2 / 4');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(counter.textContent()).resolves.toBe('4 / 4');
    await page.getByTestId('slide-spot_fix_cost').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('presentation').waitFor({ state: 'detached' });

    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ landscape: true, format, path: shot(`print-${format}`).replace(/\.png$/, '.pdf') });
      expect(countPdfPages(pdf), `${format} landscape`).toBe(1);
    }
    // What the printed page looks like: the print stylesheet at each paper's printable area (96 px per inch).
    await page.emulateMedia({ media: 'print' });
    for (const [format, viewport] of [
      ['A4', { width: 1047, height: 718 }],
      ['Letter', { width: 980, height: 740 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: shot(`print-${format}`) });
    }
    await context.close();
  });

  it('looks right on a 1920×1080 projector, in presentation mode, on a phone and in dark mode', async () => {
    const projector = await browser.newContext({ viewport: { width: 1920, height: 1080 }, colorScheme: 'light' });
    const page = await projector.newPage();
    await page.goto(link);
    await page.screenshot({ path: shot('projector') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await page.getByRole('button', { name: 'Present' }).click();
    await page.screenshot({ path: shot('slide-title') });
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('slide-retention').waitFor();
    await page.screenshot({ path: shot('slide-retention') });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.screenshot({ path: shot('slide-spot-fix-cost') });
    await projector.close();

    const phone = await newContext(browser, { viewport: 'phone' });
    const phonePage = await phone.newPage();
    await phonePage.goto(link);
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await phonePage.screenshot({ path: shot('phone'), fullPage: true });
    await phonePage.screenshot({ path: shot('phone-top') });
    await phonePage.getByRole('button', { name: 'Present' }).click();
    await phonePage.keyboard.press('ArrowRight');
    await phonePage.screenshot({ path: shot('phone-slide') });
    await phone.close();

    const dark = await newContext(browser, { colorScheme: 'dark' });
    const darkPage = await dark.newPage();
    await darkPage.goto(link);
    await darkPage.screenshot({ path: shot('dark'), fullPage: true });
    await dark.close();
  });

  it('lists the snapshot with its views and state, and compares it with the one before', async () => {
    const second = `${title} (revised)`;
    await freezeThroughTheForm(executivePage, second);
    await executivePage.goto(`${baseUrl}/snapshots`);
    const row = executivePage.locator('tr', { hasText: title }).filter({ hasNotText: 'revised' });
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[2]).toBe('Aisha Karim');
    expect(Number(cells[5])).toBeGreaterThanOrEqual(3);
    expect(cells[7]).toContain('Active');
    expect(await axeViolations(executivePage)).toEqual([]);
    await executivePage.screenshot({ path: shot('list'), fullPage: true });

    // The same month frozen again has no earlier month's snapshot to compare with: no Compare link, and the page says so.
    expect(await executivePage.locator('tr', { hasText: second }).getByRole('link', { name: /^Compare/ }).count()).toBe(0);
    const secondId = (await executivePage.locator('tr', { hasText: second }).getAttribute('data-testid'))!.replace('snapshot-row-', '');
    await executivePage.goto(`${baseUrl}/snapshots/${secondId}/compare`);
    await expect(executivePage.getByTestId('compare-none').innerText()).resolves.toMatch(/^Nothing to compare with yet: no snapshot of a month before/);
  });

  it('freezes a quarter with its actions and costliest recurring issues, compares it with the previous quarter’s and prints it on one landscape page', async () => {
    const quarter = expectedQuarter.period.label;
    const quarterTitle = `Quarter board ${Date.now()}`;
    const quarterLink = await freezeThroughTheForm(executivePage, quarterTitle, { period: quarter });

    for (const viewport of ['desktop', 'phone'] as const) {
      const context = await newContext(browser, { viewport });
      const page = await context.newPage();
      await page.goto(quarterLink);
      await page.getByTestId('snapshot-issues').waitFor();
      const text = await page.locator('main').innerText();
      expect(text).toContain('Recurring issues that cost the most in');
      expect(text).toMatch(/Actions\s*· (\d+|none) open/i);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      await page.screenshot({ path: shot(`quarter-${viewport}`), fullPage: true });
      if (viewport === 'desktop') {
        for (const format of ['A4', 'Letter'] as const) {
          const file = shot(`quarter-print-${format}`).replace(/\.png$/, '.pdf');
          await page.pdf({ landscape: true, format, path: file });
          const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
          expect(info, `${format} landscape`).toMatch(/^Pages:\s+1$/m);
          const printed = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
          expect(printed).toContain('Frozen');
          expect(printed).toContain('Aisha Karim');
          expect(printed).toContain('Data as of');
          expect(printed).toMatch(/Content hash \(SHA-256\): [0-9a-f]{64}/);
          expect(printed).toContain('continued');
          expect(printed).toContain('Recurring issues that cost the most');
          execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', file, file.replace(/\.pdf$/, '-pdf')]);
          expect(fs.existsSync(file.replace(/\.pdf$/, '-pdf.png'))).toBe(true);
        }
      }
      await context.close();
    }

    // Since the last board meeting: the previous quarter's snapshot (the demo's), earlier to later.
    for (const viewport of ['desktop', 'phone'] as const) {
      const context = await newContext(browser, { viewport });
      const page = await context.newPage();
      await signIn(page, DEMO.executive);
      await page.goto(`${baseUrl}/snapshots`);
      await page.locator('tr', { hasText: quarterTitle }).getByRole('link', { name: /^Compare/ }).click();
      await page.getByRole('heading', { name: 'Since the last board meeting' }).waitFor();
      const whole = await page.locator('main:not([aria-busy])').innerText();
      // From the heading on: the breadcrumb above it names this snapshot first.
      const compared = whole.slice(whole.indexOf('Since the last board meeting'));
      const [year, q] = quarter.split('-Q');
      const previousQuarter = q === '1' ? `Q4 ${Number(year) - 1}` : `Q${Number(q) - 1} ${year}`;
      expect(compared).toContain(`Board meeting: ${previousQuarter} review`);
      expect(compared.indexOf(previousQuarter)).toBeLessThan(compared.indexOf(quarterTitle));
      expect(compared).toContain('Costliest recurring issues');
      expect(compared).not.toContain('UTC UTC');
      expect(compared).toContain('Customer retention');
      await page.screenshot({ path: shot(`quarter-compare-${viewport}`), fullPage: true });
      await context.close();
    }
  });

  it('asks for the passcode when the link has one, and refuses a wrong one', async () => {
    const locked = await freezeThroughTheForm(executivePage, `${title} (locked)`, { passcode: 'board-only-2026' });
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(locked);
    await page.getByLabel('Passcode').fill('not-the-passcode');
    await page.getByRole('button', { name: 'Open snapshot' }).click();
    await page.getByText('That passcode is not right.').waitFor();
    await page.screenshot({ path: shot('passcode') });
    await page.getByLabel('Passcode').fill('board-only-2026');
    await page.getByRole('button', { name: 'Open snapshot' }).click();
    await page.getByTestId('snapshot-value-retention').waitFor();
    await page.reload();
    await page.getByTestId('snapshot-value-retention').waitFor();
    await context.close();

    // Without the cookie, the page asks again and shows no figures.
    const html = await (await fetch(locked)).text();
    expect(html).toContain('Passcode');
    expect(html).not.toContain('snapshot-value-retention');
  });

  it('re-issues a link (the old one dies) and, once revoked, the same link is a 404 at once', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    expect((await page.goto(link))!.status()).toBe(200);

    await executivePage.goto(`${baseUrl}/snapshots`);
    await executivePage.locator('tr', { hasText: title }).filter({ hasNotText: /revised|locked/ }).getByRole('link', { name: title }).click();
    await executivePage.getByRole('heading', { name: 'About this snapshot' }).waitFor();
    expect(await axeViolations(executivePage)).toEqual([]);
    await executivePage.screenshot({ path: shot('detail'), fullPage: true });
    await executivePage.getByRole('button', { name: 'Re-issue link' }).click();
    const fresh = await executivePage.getByTestId('snapshot-link').inputValue();
    expect(fresh).not.toBe(link);
    expect((await page.goto(link))!.status()).toBe(404);
    expect((await page.goto(fresh))!.status()).toBe(200);

    await executivePage.getByRole('button', { name: 'Revoke link' }).click();
    await executivePage.getByText(/The link is revoked/).waitFor();
    const response = await page.goto(fresh);
    expect(response!.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This snapshot is not available');
    await page.screenshot({ path: shot('revoked') });
    const fetched = await fetch(fresh);
    expect(fetched.status).toBe(404);
    expect(fetched.headers.get('x-robots-tag')).toContain('noindex');
    await context.close();
  });

  it('does not let a viewer freeze a period', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, DEMO.viewer);
    const quarter = `${expected.period.start.slice(0, 4)}-Q${Math.floor((Number(expected.period.start.slice(5, 7)) - 1) / 3) + 1}`;
    await page.goto(`${baseUrl}/snapshots/new?period=${quarter}`);
    await page.getByRole('heading', { name: `Freeze Q${quarter.slice(-1)} ${quarter.slice(0, 4)}` }).waitFor();
    await page.getByText('Viewers can open snapshots but not make them.').waitFor();
    expect(await page.getByRole('button', { name: /^Freeze / }).count()).toBe(0);
    await context.close();
  });
});
