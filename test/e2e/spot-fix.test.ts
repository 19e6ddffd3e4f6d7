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
      await form.getByLabel('Customer id').fill(`E2E-SF-${run}`);
      await form.getByLabel(/Journey stage/).fill('Installation');
      await form.getByLabel(/Note/).fill(note);
      await form.getByRole('button', { name: 'Log spot fix' }).click();
      await expect.poll(() => form.innerText(), { timeout: 30_000 }).toContain(`Logged “${ISSUE}”.`);
    };
    await log('2019-03-04', '125.50', 'Engineer visit');
    // A bad cost keeps what was typed and saves nothing.
    await form.getByLabel('Cost').fill('12.345');
    await form.getByLabel('Issue').fill(ISSUE);
    await form.getByRole('button', { name: 'Log spot fix' }).click();
    await expect.poll(() => form.innerText()).toContain('Cost "12.345" is not an amount with at most 2 decimal places');
    await expect(form.getByLabel('Issue').inputValue()).resolves.toBe(ISSUE);
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
    const editor = admin.getByRole('form', { name: `Edit ${ISSUE}` });
    const owner = editor.getByLabel('Accountable executive');
    const options = await owner.locator('option').allInnerTexts();
    await owner.selectOption({ label: options.find((o) => o.startsWith('Aisha'))! });
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
    await adminForm.getByLabel('Customer id').fill(`E2E-SF-${run}`);
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
