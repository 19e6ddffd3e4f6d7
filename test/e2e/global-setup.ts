import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { periodContaining, shiftPeriod, todayIso } from '../../lib/metrics/period';
import { waitForServer } from '../../bench/server';
import { startOidcProvider } from './oidc-provider';
import { startTestSmtpServer } from '../support/smtp-server';

/**
 * Browser tests run against the production build: `next build`, then `next start` on an embedded
 * database of its own with the demo company loaded. The figures the page should show are taken
 * from the CLI before the server starts (only one process may hold the embedded database).
 */
const root = path.resolve(import.meta.dirname, '../..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    screenshotDir: string;
    expectedScorecards: Record<string, unknown>;
    expectedJourneys: Record<string, unknown>;
    /** Every message the server sends arrives at a real SMTP server and is written here, one JSON file each. */
    mailDir: string;
    cronSecret: string;
  }
}

export default async function setup(project: TestProject) {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: '',
    POSTGRES_URL: '',
    PGLITE_DIR: path.join(workDir, 'pglite'),
    AUTH_SECRET: 'e2e-secret-for-tests-only-0123456789abcdef',
    BCRYPT_COST: '8',
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_DIST_DIR: process.env.NEXT_DIST_DIR || '.next',
  };

  if (!process.env.E2E_SKIP_BUILD) {
    execFileSync(bin('next'), ['build'], { cwd: root, env, stdio: 'inherit' });
  }
  execFileSync(bin('tsx'), ['lib/cli.ts', 'prepare'], { cwd: root, env, stdio: 'inherit' });

  const expectedScorecards: Record<string, unknown> = {};
  // The latest complete month (the default view), quarter and year.
  const completed = (granularity: 'quarter' | 'year') => shiftPeriod(periodContaining(todayIso(), granularity), -1).label;
  const periods = { latest: null, quarter: completed('quarter'), year: completed('year') };
  for (const [name, period] of Object.entries(periods)) {
    const args = ['lib/cli.ts', 'scorecard', ...(period ? ['--period', period] : [])];
    expectedScorecards[name] = JSON.parse(execFileSync(bin('tsx'), args, { cwd: root, env, encoding: 'utf8' }));
  }

  // The journey JSON the CLI prints, which the API must return unchanged (test/e2e/journey.test.ts).
  const expectedJourneys: Record<string, unknown> = {};
  for (const [name, period] of Object.entries(periods)) {
    const args = ['lib/cli.ts', 'journey', ...(period ? ['--period', period] : [])];
    expectedJourneys[name] = JSON.parse(execFileSync(bin('tsx'), args, { cwd: root, env, encoding: 'utf8' }));
  }

  const port = 3100 + Math.floor(Math.random() * 800);
  // `localhost`, as Next names every loopback address (it rewrites 127.0.0.1 in the URLs it builds from AUTH_URL).
  const baseUrl = `http://localhost:${port}`;
  const mailDir = path.join(workDir, 'mail');
  fs.mkdirSync(mailDir);
  let mailCount = 0;
  const smtp = await startTestSmtpServer(0, (mail) => {
    fs.writeFileSync(path.join(mailDir, `${String(++mailCount).padStart(5, '0')}.json`), JSON.stringify(mail));
  });
  const cronSecret = 'e2e-cron-secret-0123456789';
  // AUTH_URL as production requires it: sign-in redirects and mail links carry this server's address.
  Object.assign(env, { SMTP_URL: smtp.url, CRON_SECRET: cronSecret, AUTH_URL: baseUrl });
  // A real OpenID Connect provider, running before the app so single sign-on is configured at start-up.
  const oidc = await startOidcProvider({ redirectUri: `${baseUrl}/api/auth/callback/oidc` });
  let output = '';
  // Its own process group, so teardown can stop next-server too (it outlives a killed parent).
  const server = spawn(bin('next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: { ...env, ...oidc.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  await waitForServer(`${baseUrl}/`, server, () => output);

  const screenshotDir = path.join(root, 'test-results', 'screenshots');
  fs.mkdirSync(screenshotDir, { recursive: true });
  project.provide('baseUrl', baseUrl);
  project.provide('screenshotDir', screenshotDir);
  project.provide('expectedScorecards', expectedScorecards);
  project.provide('expectedJourneys', expectedJourneys);
  project.provide('mailDir', mailDir);
  project.provide('cronSecret', cronSecret);

  return async () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    await oidc.close();
    await smtp.stop();
    if (process.env.E2E_SERVER_LOG) fs.writeFileSync(process.env.E2E_SERVER_LOG, output);
    fs.rmSync(workDir, { recursive: true, force: true });
  };
}
