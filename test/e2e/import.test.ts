import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatCsvRows } from '@/lib/csv/export';
import { formatCount } from '@/lib/format';
import type { Scorecard } from '@/lib/metrics/types';
import { RECORD_COLUMNS } from '@/lib/validation/records';
import { DEMO, launchBrowser, newContext } from './browser';
import { download, importThroughPage, mainText, shot, signInWithPassword, stamp } from './import-helpers';

/**
 * Imports through the page, in Chromium, against the production build. The customers imported
 * here are acquired and churned within January 2019, outside every period other browser tests
 * look at, so the figures they check do not move; the scorecard for 2019-01 shows the change.
 */
const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const ROWS = 200_000;
const OLD_PERIOD = '2019-01';
const run = stamp();

/** A customers file in exactly the format export writes, so the round trip can be compared line by line. */
async function writeCustomers(file: string, prefix: string, count: number, corrupt?: { row: number; value: string }) {
  const out = fs.createWriteStream(file);
  out.write(formatCsvRows([[...RECORD_COLUMNS.customers]]));
  for (let from = 1; from <= count; from += 10_000) {
    const rows: Array<Array<string | null>> = [];
    for (let n = from; n < Math.min(from + 10_000, count + 1); n++) {
      const day = String(1 + (n % 14)).padStart(2, '0');
      const churned = String(15 + (n % 14)).padStart(2, '0');
      rows.push([
        `${prefix}${String(n).padStart(7, '0')}`,
        n % 7 ? `Customer ${n}` : `Müller, "Kunde" ${n}`,
        n % 3 ? 'SMB' : 'Enterprise',
        `2019-01-${day}`,
        `2019-01-${churned}`,
        // Spreadsheet row = n + 1 (the header is row 1).
        corrupt && corrupt.row === n + 1 ? corrupt.value : `${n % 400}.${String(n % 100).padStart(2, '0')}`,
        n % 4 ? 'Moved away' : null,
      ]);
    }
    if (!out.write(formatCsvRows(rows))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function scorecardFor(page: Page, period: string): Promise<Scorecard> {
  const response = await page.context().request.get(`${baseUrl}/api/v1/scorecard?period=${period}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as Scorecard;
}

const sortedLines = (text: string) => text.split('\n').filter(Boolean).sort();

describe('the import page', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-e2e-import-'));
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await context.newPage();
    await signInWithPassword(page, baseUrl, DEMO.admin);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`imports ${ROWS.toLocaleString('en')} customers with a moving progress bar, and the scorecard reflects them`, async () => {
    const file = path.join(dir, `customers-${run}.csv`);
    await writeCustomers(file, `E2E-IMP-${run}-`, ROWS);
    const before = await scorecardFor(page, OLD_PERIOD);

    await page.goto(`${baseUrl}/import`);
    await shot(page, screenshotDir, 'import-page');
    await page.getByRole('radio', { name: 'Customers' }).check();
    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();

    // Two moments of the bar moving while the rows are saved, each captured with its figures.
    const progress = page.getByTestId('import-progress');
    const seen: Array<{ phase: string; done: number }> = [];
    const capture = async (name: string, atLeast: number) => {
      await expect
        .poll(async () => {
          const phase = await progress.getAttribute('data-phase');
          const done = Number(await progress.getAttribute('data-done'));
          return phase === 'applying' && done >= atLeast ? done : phase === 'done' ? 'finished too early' : 0;
        }, { timeout: 240_000, interval: 100 })
        .toBeGreaterThan(0);
      seen.push({ phase: 'applying', done: Number(await progress.getAttribute('data-done')) });
      await shot(page, screenshotDir, name);
    };
    await capture('import-progress-1', 1);
    await capture('import-progress-2', seen[0].done + 20_000);
    expect(seen[1].done).toBeGreaterThan(seen[0].done);
    await expect(page.locator('progress').getAttribute('aria-label')).resolves.toMatch(/^Saving: [\d,]+ of 200,000 rows$/);

    await expect.poll(() => progress.getAttribute('data-phase'), { timeout: 240_000 }).toBe('done');
    await expect(page.getByTestId('summary-added').textContent()).resolves.toBe(formatCount(ROWS));
    await expect(page.getByTestId('summary-changed').textContent()).resolves.toBe('0');
    await shot(page, screenshotDir, 'import-done');

    const after = await scorecardFor(page, OLD_PERIOD);
    expect(after.retention.gained).toBe(before.retention.gained + ROWS);
    expect(after.retention.lost).toBe(before.retention.lost + ROWS);
    await page.goto(`${baseUrl}/?period=${OLD_PERIOD}`);
    expect(await mainText(page)).toContain(formatCount(after.retention.gained));
    await shot(page, screenshotDir, 'import-scorecard-2019-01');
  }, 600_000);

  it('rejects a file with one bad row near the end, lists the row, offers the problems as CSV and changes nothing', async () => {
    const rows = 50_000;
    const badRow = rows - 7;
    const file = path.join(dir, `bad-${run}.csv`);
    await writeCustomers(file, `E2E-BAD-${run}-`, rows, { row: badRow, value: '19.999' });
    const before = await scorecardFor(page, OLD_PERIOD);

    await expect(importThroughPage(page, baseUrl, 'Customers', file)).resolves.toBe('rejected');
    const problems = page.getByTestId('import-problems');
    const text = await problems.innerText();
    expect(text).toContain('was not imported; nothing was changed. 1 problem to fix');
    const cells = await problems.locator('tbody tr').first().locator('td').allInnerTexts();
    expect(cells).toEqual([String(badRow), 'monthly_value', '"19.999" is not an amount with at most 2 decimal places']);
    await shot(page, screenshotDir, 'import-rejected');

    const csv = await download(page, problems.getByRole('link', { name: 'Download the problems as CSV' }), path.join(dir, 'problems.csv'));
    expect(csv).toBe(`row,column,problem\n${badRow},monthly_value,"""19.999"" is not an amount with at most 2 decimal places"\n`);

    expect(await scorecardFor(page, OLD_PERIOD)).toEqual(before);
  }, 600_000);

  it('cancels an import while it is being saved: nothing is written and the import is marked cancelled', async () => {
    const file = path.join(dir, `cancel-${run}.csv`);
    await writeCustomers(file, `E2E-CXL-${run}-`, 100_000);
    const before = await scorecardFor(page, OLD_PERIOD);
    await page.goto(`${baseUrl}/import`);
    await page.getByRole('radio', { name: 'Customers' }).check();
    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const progress = page.getByTestId('import-progress');
    await expect
      .poll(async () => (await progress.getAttribute('data-phase')) === 'applying' && Number(await progress.getAttribute('data-done')) > 0, {
        timeout: 240_000,
        interval: 100,
      })
      .toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('import-status').innerText(), { timeout: 120_000 }).toContain('Cancelled. Nothing was imported.');
    await shot(page, screenshotDir, 'import-cancelled');
    await expect.poll(async () => (await page.reload(), await mainText(page)), { timeout: 120_000 }).toMatch(new RegExp(`cancel-${run}\\.csv[\\s\\S]*?cancelled`));
    expect(await scorecardFor(page, OLD_PERIOD)).toEqual(before);
  }, 600_000);

  it('round-trips losslessly: import → export → import → export gives the same file', async () => {
    // Customers: everything in the database, including the 200,000 imported above.
    const first = await downloadExport('customers', 'customers-1.csv');
    const generated = fs.readFileSync(path.join(dir, `customers-${run}.csv`), 'utf8');
    const exportedLines = new Set(first.split('\n'));
    const missing = generated.split('\n').filter((line) => line && !exportedLines.has(line));
    expect(missing).toEqual([]);
    expect(first).not.toContain(`E2E-BAD-${run}-`);
    expect(first).not.toContain(`E2E-CXL-${run}-`);

    await expect(importThroughPage(page, baseUrl, 'Customers', path.join(dir, 'customers-1.csv'))).resolves.toBe('done');
    const total = sortedLines(first).length - 1;
    await expect(page.getByTestId('summary-unchanged').textContent()).resolves.toBe(formatCount(total));
    await expect(page.getByTestId('summary-added').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('summary-changed').textContent()).resolves.toBe('0');
    expect(await downloadExport('customers', 'customers-2.csv')).toBe(first);

    // Spot fixes with everything CSV makes hard: quotes, commas, line breaks inside a field, accents, emoji.
    const tricky = path.join(dir, 'tricky-spot-fixes.csv');
    fs.writeFileSync(
      tricky,
      '\uFEFFspot_fix_id,occurred_on,issue,category,cost,customer_id,journey_stage,note\r\n' +
        `E2E-RT-${run}-1,2019-01-03,"Router ""reboot"" loop, again",discount,12.5,C-1,"Onboarding","Line one\r\nline two, with ""quotes"""\r\n` +
        `E2E-RT-${run}-2,2019-01-04,"  router  ""REBOOT"" loop ",Meeting,0.99,C-2,,Zoë 🚀 naïve café\r\n`,
    );
    await expect(importThroughPage(page, baseUrl, 'Spot fixes', tricky)).resolves.toBe('done');
    await expect(page.getByTestId('summary-added').textContent()).resolves.toBe('2');
    const spot1 = await downloadExport('spot-fixes', 'spot-fixes-1.csv');
    expect(spot1).toContain(
      `E2E-RT-${run}-1,2019-01-03,"Router ""reboot"" loop, again",discount,12.50,C-1,Onboarding,"Line one\r\nline two, with ""quotes"""\n`,
    );
    expect(spot1).toContain(`E2E-RT-${run}-2,2019-01-04,"  router  ""REBOOT"" loop ",meeting,0.99,C-2,,Zoë 🚀 naïve café\n`);
    await expect(importThroughPage(page, baseUrl, 'Spot fixes', path.join(dir, 'spot-fixes-1.csv'))).resolves.toBe('done');
    await expect(page.getByTestId('summary-changed').textContent()).resolves.toBe('0');
    expect(await downloadExport('spot-fixes', 'spot-fixes-2.csv')).toBe(spot1);
  }, 900_000);

  async function downloadExport(kind: string, name: string): Promise<string> {
    await page.goto(`${baseUrl}/import`);
    return download(page, page.getByTestId(`export-${kind}`), path.join(dir, name));
  }
});
