import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { DEMO, DEMO_PASSWORD, launchBrowser, newContext } from './browser';

const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');

/** A month nobody else's tests write to, so this file's changes stay its own. */
const PERIOD = '2025-07';
const METRIC = 'spot_fix_cost';

async function signIn(page: Page, email: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });
}

/** The streamed page replaces the loading placeholder a moment after load; read only after that. */
const settled = (page: Page) => page.waitForSelector('[aria-busy="true"]', { state: 'detached' });

async function reload(page: Page) {
  await page.reload();
  await settled(page);
}

async function openPanel(page: Page, metric = METRIC) {
  await page.goto(`${baseUrl}/metrics/${metric}?period=${PERIOD}`);
  await settled(page);
  await page.locator(`#commentary-${metric}`).waitFor();
}

const POLL = { timeout: 15_000 };

const panel = (page: Page) => page.getByTestId('commentary-panel');

/** The panel itself (the drill-down page around it belongs to others' screenshots). */
const shot = (page: Page, name: string) => panel(page).screenshot({ path: path.join(screenshotDir, name) });

/** The id Next gave one of app/actions/commentary.ts's actions in this build, as a forger would find it. */
function actionId(exportedName: string): string {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(
    ([, v]) => v.filename === 'app/actions/commentary.ts' && v.exportedName === exportedName,
  );
  if (!found) throw new Error(`no server action ${exportedName} in the build manifest`);
  return found[0];
}

/** Posts a server action exactly as React's client does ([previous state, form data]), with the page's session. */
async function forge(page: Page, exportedName: string, fields: Record<string, string>) {
  return page.evaluate(
    async ({ id, fields }) => {
      const body = new FormData();
      for (const [key, value] of Object.entries(fields)) body.append(`_1_${key}`, value);
      body.append('0', JSON.stringify([{ status: 'idle' }, '$K1']));
      const response = await fetch(location.pathname + location.search, {
        method: 'POST',
        headers: { 'Next-Action': id, Accept: 'text/x-component' },
        body,
      });
      return { status: response.status, text: await response.text() };
    },
    { id: actionId(exportedName), fields },
  );
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Element) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
    return (await axe.run(document.querySelector('[data-testid="commentary-panel"]')!)).violations;
  });
  return violations.map((v) => `${v.id} (${v.nodes.length})`);
}

interface CapturedAction {
  actionId: string;
  contentType: string;
  routerStateTree: string | undefined;
  body: string;
}

function captureServerActions(page: Page): CapturedAction[] {
  const captured: CapturedAction[] = [];
  page.on('request', (request: Request) => {
    const headers = request.headers();
    if (request.method() === 'POST' && headers['next-action']) {
      captured.push({
        actionId: headers['next-action'],
        contentType: headers['content-type'],
        routerStateTree: headers['next-router-state-tree'],
        body: request.postData() ?? '',
      });
    }
  });
  return captured;
}

describe('owners’ commentary and actions', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
  });
  async function pageAs(email: string, options: Parameters<typeof newContext>[1] = {}) {
    const context = await newContext(browser, options);
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, email);
    return page;
  }

  const FIRST = 'Repeat late deliveries drove the cost: 27 fixes for the same courier hand-over.';
  const SECOND = 'Late deliveries drove the cost. We are fixing the courier hand-over at the source this month.';
  const ACTION = 'Move the courier hand-over into the dispatch system';
  let tom: Page;

  it('lets the metric owner write commentary, edit it, and keep its history', async () => {
    tom = await pageAs(DEMO.spotFixOwner);
    const sent = captureServerActions(tom);
    await openPanel(tom);
    await tom.getByRole('button', { name: 'Write commentary' }).click();
    await tom.getByLabel('Why it moved, and what we are doing about it').fill(FIRST);
    await tom.getByRole('button', { name: 'Save commentary' }).click();
    await expect.poll(() => tom.getByTestId('commentary-body').innerText(), POLL).toBe(FIRST);
    // A real browser's request names the same action a forger would find in the build.
    expect(sent.map((r) => r.actionId)).toContain(actionId('saveCommentaryAction'));

    await tom.getByRole('button', { name: 'Edit commentary' }).click();
    await expect(tom.getByLabel('Why it moved, and what we are doing about it').inputValue()).resolves.toBe(FIRST);
    await tom.getByLabel('Why it moved, and what we are doing about it').fill(SECOND);
    await tom.getByRole('button', { name: 'Save commentary' }).click();
    await expect.poll(() => tom.getByTestId('commentary-body').innerText(), POLL).toBe(SECOND);

    await reload(tom);
    await expect.poll(() => tom.getByTestId('commentary-body').innerText(), POLL).toBe(SECOND);
    await expect(tom.locator('main:not([aria-busy])').innerText()).resolves.toContain('Tom Brennan, Chief Operating Officer');
    await tom.getByText('History: 1 earlier version').click();
    await expect(panel(tom).locator('details').innerText()).resolves.toContain(FIRST);
    await expect(panel(tom).locator('details').innerText()).resolves.toContain('Version 1 · Tom Brennan');
  });

  it('lets the metric owner add an action for another executive and move it along', async () => {
    await tom.getByRole('button', { name: 'Add an action' }).click();
    await tom.getByRole('button', { name: 'Add action', exact: true }).click();
    await expect.poll(() => tom.locator('form[aria-label="Add an action"] [aria-live]').innerText(), POLL).toContain('What will be done');

    await tom.getByLabel('What will be done').fill(ACTION);
    await tom.getByLabel('Owner', { exact: true }).selectOption({ label: 'Aisha Karim' });
    await tom.getByLabel('Due').fill('2025-08-15');
    await tom.getByRole('button', { name: 'Add action', exact: true }).click();
    const item = tom.locator('li', { hasText: ACTION });
    await item.waitFor();
    await expect(item.innerText()).resolves.toMatch(/Aisha Karim[\s\S]*Due 15 Aug 2025/);

    await item.getByLabel(`Status of “${ACTION}”`).selectOption('in_progress');
    await tom.waitForResponse((r) => r.request().method() === 'POST' && Boolean(r.request().headers()['next-action']));
    await reload(tom);
    await expect(tom.locator('li', { hasText: ACTION }).getByLabel(`Status of “${ACTION}”`).inputValue()).resolves.toBe('in_progress');
    expect(await axeViolations(tom)).toEqual([]);
    await shot(tom, 'commentary-owner-desktop.png');
  });

  it('refuses a save that started from an older version, shows the newer text, and writes nothing', async () => {
    const maya = await pageAs(DEMO.admin);
    await openPanel(maya);
    await openPanel(tom);
    await maya.getByRole('button', { name: 'Edit commentary' }).click();
    await tom.getByRole('button', { name: 'Edit commentary' }).click();
    const THIRD = 'Late deliveries drove the cost; the courier fix ships on the 20th.';
    await tom.getByLabel('Why it moved, and what we are doing about it').fill(THIRD);
    await tom.getByRole('button', { name: 'Save commentary' }).click();
    await expect.poll(() => tom.getByTestId('commentary-body').innerText(), POLL).toBe(THIRD);

    const MAYA = 'Admin rewrite that must not silently overwrite Tom.';
    await maya.getByLabel('Why it moved, and what we are doing about it').fill(MAYA);
    await maya.getByRole('button', { name: 'Save commentary' }).click();
    const conflict = panel(maya).locator('[role=alert]');
    await conflict.waitFor();
    await expect(conflict.innerText()).resolves.toMatch(/^Tom Brennan saved a newer version at \d{1,2}:\d{2}(\s?[AP]M)? — review it and save again\./);
    await expect(conflict.innerText()).resolves.toContain(THIRD);
    await expect(maya.getByLabel('Why it moved, and what we are doing about it').inputValue()).resolves.toBe(MAYA);
    await shot(maya, 'commentary-conflict.png');

    await reload(tom);
    await expect.poll(() => tom.getByTestId('commentary-body').innerText(), POLL).toBe(THIRD);

    // Having read Tom's version, the admin saves again on top of it.
    await maya.getByRole('button', { name: 'Save again' }).click();
    await expect.poll(() => maya.getByTestId('commentary-body').innerText(), POLL).toBe(MAYA);
    await reload(tom);
    await expect.poll(() => tom.getByTestId('commentary-body').innerText(), POLL).toBe(MAYA);
    await expect(tom.getByText('History: 3 earlier versions').isVisible()).resolves.toBe(true);
  });

  it('shows another executive no edit controls, and refuses their forged requests without writing anything', async () => {
    const aisha = await pageAs(DEMO.executive);
    await openPanel(aisha);
    const before = await panel(aisha).innerText();
    expect(before).toContain(ACTION);
    for (const name of ['Write commentary', 'Edit commentary', 'Add an action']) {
      await expect(aisha.getByRole('button', { name }).count()).resolves.toBe(0);
    }
    await expect(panel(aisha).locator('select, textarea, form').count()).resolves.toBe(0);
    await shot(aisha, 'commentary-other-executive.png');

    const actionIdValue = await tom.locator('li', { hasText: ACTION }).locator('input[name="id"]').inputValue();
    const forged = [
      await forge(aisha, 'saveCommentaryAction', { metricKey: METRIC, period: PERIOD, baseVersion: '4', body: 'Forged by Aisha' }),
      await forge(aisha, 'createMetricActionAction', {
        metricKey: METRIC,
        period: PERIOD,
        title: 'Forged action',
        ownerId: '1',
        dueOn: '',
        status: 'open',
      }),
      await forge(aisha, 'updateMetricActionStatusAction', { id: actionIdValue, status: 'done' }),
    ];
    for (const response of forged) {
      expect(response.status).toBe(200);
      expect(response.text).toContain('Only the metric’s owner or an admin can change its commentary and actions.');
    }

    await reload(tom);
    const after = await panel(tom).innerText();
    expect(after).not.toContain('Forged');
    await expect.poll(() => tom.getByTestId('commentary-body').innerText(), POLL).toContain('Admin rewrite');
    await expect(tom.locator('li', { hasText: ACTION }).getByLabel(`Status of “${ACTION}”`).inputValue()).resolves.toBe('in_progress');
    await reload(aisha);
    expect(await panel(aisha).innerText()).toBe(before);
  });

  it('shows the viewer the commentary and actions but nothing to change', async () => {
    const jonas = await pageAs(DEMO.viewer);
    await openPanel(jonas);
    await expect(jonas.getByTestId('commentary-body').isVisible()).resolves.toBe(true);
    await expect(panel(jonas).locator('select, textarea, form').count()).resolves.toBe(0);
    const forged = await forge(jonas, 'saveCommentaryAction', { metricKey: METRIC, period: PERIOD, baseVersion: '4', body: 'Viewer' });
    expect(forged.text).toContain('Only the metric’s owner or an admin');
  });

  it('fits a phone and dark mode', async () => {
    const phone = await pageAs(DEMO.spotFixOwner, { viewport: 'phone', colorScheme: 'dark' });
    await openPanel(phone);
    await phone.getByRole('button', { name: 'Edit commentary' }).click();
    await phone.getByRole('button', { name: 'Add an action' }).click();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(phone, 'commentary-owner-phone-dark.png');
  });
});
