import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { formatDate } from '@/lib/format';
import { todayIso } from '@/lib/metrics/period';
import { DEMO, launchBrowser, newContext } from './browser';
import { actionId, forgeAction, mainText, shot, signInWithPassword, stamp } from './import-helpers';

/**
 * The spot-fix log and the recurring-issues page, in Chromium. The issue is new to this run; its
 * first two spot fixes are dated in 2019 (outside the periods other tests check), the last one
 * today, after the admin marks the issue fixed, so it "came back".
 */
const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const run = stamp();
const ISSUE = `E2E router reboot loop ${run}`;

describe('the spot-fix log and recurring issues', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('logs spot fixes from the quick form, flags repeats, and one after the fix date as "came back"', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInWithPassword(page, baseUrl, DEMO.executive);
    await page.goto(`${baseUrl}/spot-fixes`);
    const form = page.getByRole('form', { name: 'Log a spot fix' });

    // Nothing filled in: every required field is named, and nothing is saved.
    await form.getByLabel('Issue').fill('');
    await form.getByRole('button', { name: 'Log spot fix' }).click();
    await expect.poll(() => form.innerText()).toContain('Issue is required');
    const errors = await form.innerText();
    expect(errors).toContain('Cost is required');
    expect(errors).toContain('Category is required');
    expect(errors).not.toContain('Customer is required'); // optional: many fires concern no one customer
    await shot(page, screenshotDir, 'spot-fix-form-errors');

    const log = async (date: string, cost: string, note: string) => {
      await form.getByLabel('Date').fill(date);
      await form.getByLabel('Issue').fill(ISSUE);
      await form.getByLabel('Category').selectOption('staff_time');
      await form.getByLabel('Cost').fill(cost);
      await form.getByLabel('Customer id').fill('BW-100001');
      await form.getByLabel(/Journey stage/).fill('Installation');
      await form.getByLabel(/Note/).fill(note);
      await form.getByRole('button', { name: 'Log spot fix' }).click();
      await expect.poll(() => form.innerText(), { timeout: 30_000 }).toContain(`Logged “${ISSUE}”.`);
    };
    // Typed as people type money: a currency sign and a thousands separator.
    await log('2019-03-04', '$125.50', 'Engineer visit');
    // A bad cost keeps what was typed, says why, and saves nothing.
    for (const [typed, why] of [
      ['12.345', 'Cost "12.345" has 3 decimal places: amounts go to the cent'],
      ['12,50', 'Cost "12,50" uses a comma for cents'],
      ['twelve', 'Cost "twelve" is not an amount'],
    ]) {
      await form.getByLabel('Cost').fill(typed);
      await form.getByLabel('Issue').fill(ISSUE);
      await form.getByRole('button', { name: 'Log spot fix' }).click();
      await expect.poll(() => form.innerText()).toContain(why);
      await expect(form.getByLabel('Issue').inputValue()).resolves.toBe(ISSUE);
    }
    await log('2019-03-11', '80', 'Second visit, same fault');
    await context.close();

    // The admin marks the issue fixed on the recurring-issues page.
    const adminContext = await newContext(browser);
    const admin = await adminContext.newPage();
    await signInWithPassword(admin, baseUrl, DEMO.admin);
    // Only this run's spot fixes are dated in 2019.
    await admin.goto(`${baseUrl}/issues?period=2019`);
    const row = admin.locator(`tr[data-issue="${ISSUE}"]`);
    expect(await row.innerText()).toContain('Open, recurring');
    await row.getByRole('link', { name: `Edit ${ISSUE}` }).click();
    await admin.waitForURL((u) => u.searchParams.has('edit'));
    // React sets a select to its default as it hydrates: choose only once the page is live.
    await admin.waitForLoadState('networkidle');
    const editor = admin.getByRole('form', { name: `Edit ${ISSUE}` });
    const owner = editor.getByLabel('Accountable executive');
    const options = await owner.locator('option').allInnerTexts();
    await owner.selectOption({ label: options.find((o) => o.startsWith('Aisha'))! });
    await expect.poll(() => owner.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.text)).toMatch(/^Aisha/);
    await editor.getByLabel('Estimated one-time fix cost').fill('5000');
    await editor.getByLabel(/Fixed on/).fill('2019-03-15');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toContain('Fixed on 15 Mar 2019');

    // …and it comes back: logged today by the admin.
    await admin.goto(`${baseUrl}/spot-fixes`);
    const adminForm = admin.getByRole('form', { name: 'Log a spot fix' });
    await adminForm.getByLabel('Issue').fill(ISSUE.toUpperCase().replace(/ /g, '  '));
    await adminForm.getByLabel('Category').selectOption('discount');
    await adminForm.getByLabel('Cost').fill('40');
    await adminForm.getByLabel('Customer id').fill('BW-100001');
    await adminForm.getByRole('button', { name: 'Log spot fix' }).click();
    await expect.poll(() => adminForm.innerText(), { timeout: 30_000 }).toContain('Logged');
    await admin.reload();
    const listed = admin.getByTestId('spot-fix-list').locator('tr', { hasText: ISSUE });
    await expect(listed.first().innerText()).resolves.toContain('Came back');
    await shot(admin, screenshotDir, 'spot-fixes');

    await admin.goto(`${baseUrl}/issues?state=came-back&sort=last-seen`);
    const text = await row.innerText();
    expect(text).toContain('Came back: 1 since the fix on 15 Mar 2019');
    expect(text).toContain('$245.50'); // total
    expect(text).toContain('$120.00'); // repeat cost: everything after the first day
    expect(text).toContain('$5,000.00');
    expect(text).toContain('4 Mar 2019');
    expect(text).toContain(formatDate(todayIso()));
    expect(text).toContain('Aisha');
    await shot(admin, screenshotDir, 'recurring-issues', false);
    await row.scrollIntoViewIfNeeded();
    await shot(admin, screenshotDir, 'recurring-issue-came-back', false);
    await adminContext.close();
  });

  it('stores "$1,200" and "1,200.50" exactly, and warns about an unknown customer id, offering matches', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInWithPassword(page, baseUrl, DEMO.spotFixOwner);
    await page.goto(`${baseUrl}/spot-fixes`);
    const form = page.getByRole('form', { name: 'Log a spot fix' });
    const issue = `E2E money ${run}`;
    const fill = async (date: string, cost: string, customer: string) => {
      await form.getByLabel('Date').fill(date);
      await form.getByLabel('Issue').fill(issue);
      await form.getByLabel('Category').selectOption('discount');
      await form.getByLabel('Cost').fill(cost);
      await form.getByLabel('Customer id').fill(customer);
      await form.getByRole('button', { name: 'Log spot fix' }).click();
    };
    await fill('2019-05-02', '$1,200', '');
    await expect.poll(() => form.innerText(), { timeout: 30_000 }).toContain(`Logged “${issue}”.`);

    // "BW-10000" is no customer, but the start of several: the form names them and logs nothing yet.
    await fill('2019-05-09', '1,200.50', 'BW-10000');
    const warning = form.getByTestId('customer-warning');
    await expect.poll(() => warning.count(), { timeout: 30_000 }).toBe(1);
    expect(await warning.innerText()).toContain('No loaded customer has the id “BW-10000”');
    await shot(page, screenshotDir, 'spot-fix-unknown-customer', false);
    await expect(form.getByLabel('Cost').inputValue()).resolves.toBe('1,200.50');
    await warning.getByRole('button', { name: /^Use BW-10000\d/ }).first().click();
    await expect.poll(() => form.innerText(), { timeout: 30_000 }).toContain(`Logged “${issue}”.`);

    await page.goto(`${baseUrl}/issues?period=2019-Q2`);
    const row = page.locator(`tr[data-issue="${issue}"]`);
    const text = await row.innerText();
    expect(text).toContain('$2,400.50'); // 1,200.00 + 1,200.50, exactly
    expect(text).toContain('$1,200.50'); // repeat cost: the second, a week later
    await context.close();
  });

  it('shows viewers the log without the form, and refuses a viewer’s forged form post', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInWithPassword(page, baseUrl, DEMO.viewer);
    await page.goto(`${baseUrl}/spot-fixes`);
    const text = await mainText(page);
    expect(text).toContain('Viewers can see spot fixes but not log them');
    expect(await page.getByRole('form', { name: 'Log a spot fix' }).count()).toBe(0);

    const forgedIssue = `E2E forged ${run}`;
    const result = await forgeAction(page, '/spot-fixes', actionId('app/actions/spot-fixes.ts', 'logSpotFixAction'), {
      occurred_on: '2019-03-04',
      issue: forgedIssue,
      category: 'meeting',
      cost: '1',
      customer_id: 'X',
    });
    expect(result.text).toContain('Viewers cannot log spot fixes.');
    await page.goto(`${baseUrl}/issues`);
    expect(await mainText(page)).not.toContain(forgedIssue);
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await context.close();
  });
});
