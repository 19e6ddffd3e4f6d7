import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ReceivedMail } from '../support/smtp-server';
import { DEMO, launchBrowser, newContext, signIn } from './browser';

const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const mailDir = inject('mailDir');
const cronSecret = inject('cronSecret');
const shot = (name: string) => path.join(screenshotDir, `meetings-${name}.png`);

function readMail(): ReceivedMail[] {
  return fs
    .readdirSync(mailDir)
    .sort()
    .map((file) => JSON.parse(fs.readFileSync(path.join(mailDir, file), 'utf8')) as ReceivedMail);
}

/** Waits (polling the mail server's files, no fixed sleep) until a message matches. */
async function waitForMail(match: (mail: ReceivedMail) => boolean, timeoutMs = 20_000): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readMail().filter(match);
    if (found.length) return found;
    if (Date.now() > deadline) throw new Error(`No such mail; received: ${readMail().map((m) => `${m.to} ${m.subject}`).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const cron = (authorization?: string) =>
  fetch(`${baseUrl}/api/cron/deliver`, { headers: authorization ? { authorization } : {} });

describe('board meetings by mail', () => {
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await newContext(browser);
    page = await admin.newPage();
    await signIn(page, baseUrl, DEMO.admin);
  });
  afterAll(async () => {
    await admin?.close();
    await browser?.close();
  });

  it('refuses the Cron route without the secret', async () => {
    expect((await cron()).status).toBe(401);
    expect((await cron('Bearer not-the-secret')).status).toBe(401);
    expect((await cron(cronSecret)).status).toBe(401);
  });

  it('shows the demo meeting’s readiness, and the Cron run reminds exactly the owners who owe commentary', async () => {
    await page.goto(`${baseUrl}/admin/meetings`);
    await page.getByTestId('meeting-table').getByRole('link', { name: 'Board meeting' }).first().click();
    await page.getByTestId('readiness-table').waitFor();
    await page.screenshot({ path: shot('meeting-page'), fullPage: true });
    const owed = await page
      .getByTestId('readiness-table')
      .locator('tbody tr', { hasText: 'Missing: owner reminded' })
      .locator('td:nth-child(3)')
      .allTextContents();
    expect(owed.length).toBeGreaterThan(0);

    const response = await cron(`Bearer ${cronSecret}`);
    expect(response.status).toBe(200);
    const summary = await response.json();
    expect(summary.errors).toEqual([]);
    expect(summary.sent).toBeGreaterThan(0);

    const reminders = await waitForMail((m) => m.subject.startsWith('Before the board meets'));
    expect(reminders.map((m) => /^Hello (.+),/.exec(m.text)![1]).sort()).toEqual([...owed].sort());
    for (const reminder of reminders) expect(reminder.text).toContain(`${baseUrl}/metrics/`);
  });

  it('on the meeting day sends the recipients a snapshot link that opens signed out', async () => {
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${baseUrl}/admin/meetings`);
    await page.getByLabel('Title').fill('E2E board day');
    await page.getByLabel('Date').fill(today);
    await page.getByLabel('Starts at (UTC)').fill('23:59');
    await page.getByLabel('Snapshot goes out at (UTC)').fill('00:00');
    await page.getByRole('textbox', { name: /^Recipients/ }).fill('Not an email\nBea Board <bea.e2e@board.example>');
    await page.getByRole('button', { name: 'Schedule the meeting' }).click();
    await expect.poll(() => page.locator('#meeting-recipients-error').textContent()).toContain('Line 1');
    await page.getByRole('textbox', { name: /^Recipients/ }).fill('Bea Board <bea.e2e@board.example>');
    await page.getByRole('button', { name: 'Schedule the meeting' }).click();
    await page.waitForURL(/\/admin\/meetings\/\d+$/);

    expect((await cron(`Bearer ${cronSecret}`)).status).toBe(200);
    const [mail] = await waitForMail((m) => m.to.includes('bea.e2e@board.example'));
    expect(mail.subject).toContain('E2E board day');
    expect(mail.html).not.toMatch(/<img/i);
    // Mail links carry AUTH_URL, this server's address (global-setup).
    const link = new RegExp(`${baseUrl.replace(/[.]/g, '\\.')}/s/[A-Za-z0-9_-]{43}`).exec(mail.text)![0];
    expect(mail.html).toContain(link);

    const stranger = await newContext(browser);
    try {
      const visitor = await stranger.newPage();
      const opened = await visitor.goto(link);
      expect(opened?.status()).toBe(200);
      expect(new URL(visitor.url()).pathname).toBe(new URL(link).pathname);
      await expect.poll(() => visitor.locator('main').textContent()).toContain('E2E board day');
    } finally {
      await stranger.close();
    }

    // The received HTML part, as a mail client would show it.
    const reader = await newContext(browser);
    try {
      const view = await reader.newPage();
      await view.setContent(mail.html);
      await view.screenshot({ path: shot('received-mail'), fullPage: true });
    } finally {
      await reader.close();
    }
  });

  it('lists every message in the outbox, sent, with its attempts', async () => {
    await page.goto(`${baseUrl}/admin/outbox`);
    const table = page.getByTestId('outbox-table');
    await table.waitFor();
    expect(await table.locator('tr[data-state="sent"]').count()).toBeGreaterThan(2);
    expect(await table.textContent()).not.toMatch(/\/s\/[A-Za-z0-9_-]{43}/);
    await page.screenshot({ path: shot('outbox'), fullPage: true });
  });
});
