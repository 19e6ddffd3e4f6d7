import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from './browser';

/** Helpers shared by the data-in browser tests (import, API, spot fixes). */

export const stamp = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** Signs in through the password form (the page may also offer single sign-on). */
export async function signInWithPassword(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });
}

/** The page's main content once streaming has finished (not the loading placeholder, which is aria-busy). */
export async function mainText(page: Page): Promise<string> {
  const main = page.locator('main:not([aria-busy="true"])');
  await main.first().waitFor();
  return main.first().innerText();
}

export const shot = (page: Page, dir: string, name: string, fullPage = true) =>
  page.screenshot({ path: path.join(dir, `${name}.png`), fullPage });

/** The id Next gave a server action in this build, as a forged request would have to name it. */
export function actionId(file: string, exportedName: string): string {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === exportedName);
  if (!found) throw new Error(`no server action ${exportedName} of ${file} in the build manifest`);
  return found[0];
}

/** Posts a server action as React's client would ([previous state, form data]), from the page's own session. */
export async function forgeAction(page: Page, route: string, id: string, fields: Record<string, string>) {
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

/** Downloads a file by clicking a link on the page; returns its text. */
export async function download(page: Page, link: ReturnType<Page['locator']>, saveAs: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), link.click()]);
  await file.saveAs(saveAs);
  return fs.readFileSync(saveAs, 'utf8');
}

/** Imports a file through the import page and waits for it to finish (applied or rejected). */
export async function importThroughPage(page: Page, baseUrl: string, kindLabel: string, file: string) {
  await page.goto(`${baseUrl}/import`);
  await page.getByRole('radio', { name: kindLabel }).check();
  await page.locator('input[type="file"]').setInputFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const progress = page.getByTestId('import-progress');
  await expect
    .poll(async () => progress.getAttribute('data-phase'), { timeout: 280_000, interval: 250 })
    .toMatch(/^(done|rejected|failed)$/);
  return progress.getAttribute('data-phase');
}
