import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO, launchBrowser, newContext, signIn } from './browser';

const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const NEW_PERSON = { name: `Nadia Novak ${stamp}`, email: `nadia.${stamp}@example.test`, title: 'Chief Product Officer' };
// Not built from the stamp: the email holds it, and a password may not contain the email.
const NEW_PASSWORD = 'lantern orchard violet compass';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations.map((v) => `${v.id} (${v.nodes.length})`);
}

/** The id Next gave a server action in this build, as a forged request would have to name it. */
function actionId(exportedName: string): string {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(([, v]) => v.filename === 'app/actions/admin.ts' && v.exportedName === exportedName);
  if (!found) throw new Error(`no server action ${exportedName} in the build manifest`);
  return found[0];
}

/** Posts a server action as React's client would ([previous state, form data]), from the page's own session. */
async function forgeAction(page: Page, route: string, id: string, fields: Record<string, string>) {
  return page.evaluate(
    async ({ route, id, fields }) => {
      const body = new FormData();
      for (const [key, value] of Object.entries(fields)) body.append(`_1_${key}`, value);
      body.append('0', JSON.stringify([{ status: 'idle' }, '$K1']));
      const response = await fetch(route, { method: 'POST', headers: { 'Next-Action': id, Accept: 'text/x-component' }, body });
      return { status: response.status, text: await response.text() };
    },
    { route, id, fields },
  );
}

/** The page's main content once streaming has finished (not the loading placeholder, which is aria-busy). */
async function mainText(page: Page): Promise<string> {
  const main = page.locator('main:not([aria-busy="true"])');
  await main.first().waitFor();
  return main.first().innerText();
}

/** The next page visit of a session that should have ended lands on the sign-in page. */
async function expectSignedOut(page: Page) {
  await page.goto(`${baseUrl}/`);
  expect(new URL(page.url()).pathname).toBe('/login');
}

describe('the admin area', () => {
  let browser: Browser;
  let admin: BrowserContext;
  let adminPage: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await newContext(browser);
    adminPage = await admin.newPage();
    await signIn(adminPage, baseUrl, DEMO.admin);
  });
  afterAll(() => browser?.close());

  let inviteUrl = '';

  it('adds a person and shows their one-time invite link once', async () => {
    await adminPage.goto(`${baseUrl}/admin`);
    await expect(adminPage.getByRole('heading', { name: 'Admin', exact: true }).isVisible()).resolves.toBe(true);
    await shot(adminPage, 'admin-overview');

    await adminPage.goto(`${baseUrl}/admin/people`);
    const table = await adminPage.locator('table').innerText();
    expect(table).toContain('Maya Okafor');
    expect(table).toContain('Customer retention rate');
    await shot(adminPage, 'admin-people');

    // A refused form says which field and keeps what was typed.
    await adminPage.getByLabel('Name').fill(NEW_PERSON.name);
    await adminPage.getByLabel('Work email').fill('not-an-email');
    await adminPage.getByRole('button', { name: 'Add person and create invite link' }).click();
    await adminPage.getByText('Enter a valid email address').waitFor();
    await expect(adminPage.getByLabel('Name').inputValue()).resolves.toBe(NEW_PERSON.name);

    await adminPage.getByLabel('Work email').fill(NEW_PERSON.email);
    await adminPage.getByLabel('Title').fill(NEW_PERSON.title);
    await adminPage.getByLabel('Power core').selectOption('product');
    await adminPage.locator('select[name="role"]').selectOption('executive');
    await adminPage.getByRole('button', { name: 'Add person and create invite link' }).click();
    const link = adminPage.getByTestId('password-link');
    await link.waitFor();
    inviteUrl = await link.locator('input').inputValue();
    expect(inviteUrl).toMatch(new RegExp(`^${baseUrl}/set-password/[A-Za-z0-9_-]{43}$`));
    await adminPage.getByRole('button', { name: 'Copy link' }).click();
    await shot(adminPage, 'admin-invite-link');
    await expect(adminPage.locator('table').innerText()).resolves.toContain(NEW_PERSON.email);
  });

  let person: BrowserContext;
  let personPage: Page;

  it('lets the invited person set a password once through the link and sign in', async () => {
    person = await newContext(browser);
    personPage = await person.newPage();
    await personPage.goto(inviteUrl);
    await expect(mainText(personPage)).resolves.toContain(NEW_PERSON.email);
    await shot(personPage, 'set-password');

    await personPage.getByLabel('New password').fill('too short');
    await personPage.getByLabel('Confirm password').fill('too short');
    await personPage.getByRole('button', { name: 'Set password' }).click();
    await personPage.getByText('Use at least 12 characters').waitFor();

    await personPage.getByLabel('New password').fill('password1234');
    await personPage.getByLabel('Confirm password').fill('password1234');
    await personPage.getByRole('button', { name: 'Set password' }).click();
    await personPage.getByText('This is similar to a commonly used password.').waitFor();

    await personPage.getByLabel('New password').fill(NEW_PASSWORD);
    await personPage.getByLabel('Confirm password').fill(NEW_PASSWORD);
    await personPage.getByRole('button', { name: 'Set password' }).click();
    await personPage.getByText('Your password is set').waitFor();
    await personPage.getByRole('link', { name: 'Sign in' }).click();
    await personPage.waitForURL((url) => url.pathname === '/login');
    await expect(personPage.getByRole('status').filter({ hasText: 'Your password is set' }).count()).resolves.toBe(1);

    // The link is used up: opening it again says so, without saying why.
    const again = await person.newPage();
    await again.goto(inviteUrl);
    await expect(mainText(again)).resolves.toContain('This link does not work');
    await again.close();

    await signIn(personPage, baseUrl, NEW_PERSON.email, NEW_PASSWORD);
    expect(new URL(personPage.url()).pathname).toBe('/');
    await expect(personPage.locator('header.app-header').innerText()).resolves.toContain(NEW_PERSON.name);
  });

  it('ends the person’s open session at once when their role changes, and again when they are deactivated', async () => {
    await adminPage.goto(`${baseUrl}/admin/people`);
    await adminPage.getByRole('link', { name: NEW_PERSON.name }).click();
    await adminPage.waitForURL(/\/admin\/people\/\d+$/);
    await adminPage.locator('select[name="role"]').selectOption('viewer');
    await adminPage.getByRole('button', { name: 'Save changes' }).click();
    await adminPage.getByText(`Saved ${NEW_PERSON.name}.`).waitFor();
    await expectSignedOut(personPage);

    await signIn(personPage, baseUrl, NEW_PERSON.email, NEW_PASSWORD);
    await expect(personPage.locator('header.app-header').innerText()).resolves.toContain('Viewer');

    await adminPage.reload();
    await shot(adminPage, 'admin-person');
    await adminPage.getByRole('button', { name: `Deactivate ${NEW_PERSON.name}` }).click();
    await adminPage.getByText('is deactivated and signed out everywhere').waitFor();
    await expectSignedOut(personPage);
    await personPage.getByLabel('Work email').fill(NEW_PERSON.email);
    await personPage.getByLabel('Password').fill(NEW_PASSWORD);
    await personPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await personPage.getByText('do not match an active account').waitFor();
    await adminPage.reload();
    await adminPage.getByRole('button', { name: `Reactivate ${NEW_PERSON.name}` }).waitFor();
    await shot(adminPage, 'admin-person-deactivated');
    await person.close();
  });

  it('asks who takes over an executive’s metric, open recurring issues and actions before deactivating them, and changes nothing without an answer', async () => {
    await adminPage.goto(`${baseUrl}/admin/people`);
    await adminPage.getByRole('link', { name: 'Tom Brennan' }).click();
    await adminPage.waitForURL(/\/admin\/people\/\d+$/);
    const card = adminPage.locator('section', { has: adminPage.getByRole('heading', { name: 'Deactivate' }) });
    await expect(card.locator('legend').innerText()).resolves.toMatch(/^Tom Brennan is accountable for a metric and \d+ open recurring issues?( and \d+ unfinished actions?)?\. Who takes over\?$/);
    await expect(card.getByLabel(/^Takes over \d+ open recurring issue/).count()).resolves.toBe(1);
    await card.getByRole('button', { name: 'Deactivate Tom Brennan' }).click();
    await card.getByText('Tom Brennan owns Cost of spot fixes. Choose who takes over before deactivating them').first().waitFor();
    await shot(adminPage, 'admin-deactivate-hand-over');
    await adminPage.reload();
    await adminPage.getByRole('button', { name: 'Deactivate Tom Brennan' }).waitFor();
  });

  it('reassigns a metric owner and restores it, and refuses a threshold on the wrong side of the target', async () => {
    await adminPage.goto(`${baseUrl}/admin/metrics`);
    const select = adminPage.getByTestId('owner-select-retention');
    const original = await select.inputValue();
    const aisha = await select.locator('option', { hasText: 'Aisha Karim' }).getAttribute('value');
    expect(aisha).toBeTruthy();
    await shot(adminPage, 'admin-metrics');
    try {
      await select.selectOption(aisha!);
      const card = adminPage.getByTestId('metric-settings-retention');
      await card.getByRole('button', { name: 'Change owner' }).click();
      await card.getByText('Owner changed.').waitFor();
      await adminPage.goto(`${baseUrl}/`);
      await expect(mainText(adminPage)).resolves.toContain('Aisha Karim');
    } finally {
      await adminPage.goto(`${baseUrl}/admin/metrics`);
      await adminPage.getByTestId('owner-select-retention').selectOption(original);
      const card = adminPage.getByTestId('metric-settings-retention');
      await card.getByRole('button', { name: 'Change owner' }).click();
      await card.getByText('Owner changed.').waitFor();
    }
    await adminPage.reload();
    await expect(adminPage.getByTestId('owner-select-retention').inputValue()).resolves.toBe(original);

    const card = adminPage.getByTestId('metric-settings-retention');
    const target = await adminPage.getByTestId('target-retention').inputValue();
    const threshold = await adminPage.getByTestId('threshold-retention').inputValue();
    await adminPage.getByTestId('target-retention').fill('90');
    await adminPage.getByTestId('threshold-retention').fill('95');
    await card.getByRole('button', { name: 'Save target' }).click();
    await card.getByText('the at-risk threshold must be below the target').first().waitFor();
    await shot(adminPage, 'admin-metrics-refused');
    await adminPage.reload();
    await expect(adminPage.getByTestId('target-retention').inputValue()).resolves.toBe(target);
    await expect(adminPage.getByTestId('threshold-retention').inputValue()).resolves.toBe(threshold);
  });

  it('shows every change in the audit log, newest first, filtered by what changed', async () => {
    await adminPage.goto(`${baseUrl}/admin/audit`);
    const entries = adminPage.getByTestId('audit-entries');
    const text = await entries.innerText();
    expect(text).toContain('assign-owner');
    expect(text).toContain('deactivate');
    expect(text).toContain('set-password');
    expect(text.indexOf('assign-owner')).toBeLessThan(text.indexOf('deactivate'));
    await shot(adminPage, 'admin-audit');

    await adminPage.getByLabel('What').selectOption('metric');
    await adminPage.getByLabel('Action').selectOption('assign-owner');
    await adminPage.getByRole('button', { name: 'Filter' }).click();
    await adminPage.waitForURL(/entity=metric/);
    const filtered = await adminPage.getByTestId('audit-entries').innerText();
    expect(filtered).toContain('Aisha Karim');
    expect(filtered).not.toContain('deactivate');
    await shot(adminPage, 'admin-audit-filtered');
  });

  it('reads well in dark mode and on a phone, with no accessibility violations', async () => {
    const dark = await newContext(browser, { colorScheme: 'dark' });
    const page = await dark.newPage();
    await signIn(page, baseUrl, DEMO.admin);
    for (const [route, name] of [
      ['/admin', 'admin-overview-dark'],
      ['/admin/people', 'admin-people-dark'],
      ['/admin/metrics', 'admin-metrics-dark'],
      ['/admin/audit', 'admin-audit-dark'],
    ] as const) {
      await page.goto(`${baseUrl}${route}`);
      await mainText(page);
      expect(await axeViolations(page), route).toEqual([]);
      await shot(page, name);
    }
    await page.goto(`${baseUrl}/admin/people`);
    await page.getByRole('link', { name: 'Maya Okafor' }).click();
    await page.waitForURL(/\/admin\/people\/\d+$/);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'admin-person-dark');
    await dark.close();

    const phone = await newContext(browser, { viewport: 'phone' });
    const small = await phone.newPage();
    await signIn(small, baseUrl, DEMO.admin);
    for (const [route, name] of [
      ['/admin/people', 'admin-people-phone'],
      ['/admin/metrics', 'admin-metrics-phone'],
      ['/admin/audit', 'admin-audit-phone'],
    ] as const) {
      await small.goto(`${baseUrl}${route}`);
      await mainText(small);
      // Nothing wider than the screen except inside the scrollable people table.
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, route).toBeLessThanOrEqual(0);
      await shot(small, name);
    }
    await small.goto(inviteUrl.replace(/[^/]+$/, 'not-a-real-token-at-all'));
    await expect(mainText(small)).resolves.toContain('This link does not work');
    expect(await axeViolations(small)).toEqual([]);
    await shot(small, 'set-password-invalid-phone');
    await phone.close();
  });

  it('refuses an executive: the admin pages say admins only, and a forged admin action writes nothing', async () => {
    const executive = await newContext(browser);
    const page = await executive.newPage();
    await signIn(page, baseUrl, DEMO.executive);
    for (const route of ['/admin', '/admin/people', '/admin/metrics', '/admin/audit', '/admin/people/1']) {
      await page.goto(`${baseUrl}${route}`);
      const text = await mainText(page);
      expect(text).toContain('Admins only');
      expect(text).not.toContain('Maya Okafor');
    }
    await shot(page, 'admin-refused');

    const forgedEmail = `forged.${stamp}@example.test`;
    const forged = await forgeAction(page, '/admin/people', actionId('createPersonAction'), {
      name: 'Forged Person',
      email: forgedEmail,
      title: 'Intruder',
      powerCore: 'it',
      role: 'admin',
    });
    expect(forged.text).toContain('Only admins can do that.');
    const reassign = await forgeAction(page, '/admin/metrics', actionId('reassignMetricOwnerAction'), { metric: 'retention', ownerId: '1' });
    expect(reassign.text).toContain('Only admins can do that.');
    await executive.close();

    // The same forged request from the admin's own session does work: the refusal above was the role check.
    await adminPage.goto(`${baseUrl}/admin/people`);
    expect(await adminPage.locator('table').innerText()).not.toContain(forgedEmail);
    const allowed = await forgeAction(adminPage, '/admin/people', actionId('createPersonAction'), {
      name: `Control ${stamp}`,
      email: `control.${stamp}@example.test`,
      title: 'Control',
      powerCore: 'it',
      role: 'viewer',
    });
    expect(allowed.text).toContain(`Added Control ${stamp}`);
  });
});
