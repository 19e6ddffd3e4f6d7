import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startServer, type BenchServer } from '../../bench/server';

/**
 * An anonymous flood (16 sign-ins with unknown emails and 16 set-password posts with guessed
 * links, all at once) must not stall anyone else. Measured, not timed: the same signed-in request
 * is timed idle and during the flood in one run on one server, and only their ratio is asserted.
 * The server is this file's own, so the failures it records slow nobody in the other tests.
 */
const root = path.resolve(import.meta.dirname, '../..');
const distDir = process.env.NEXT_DIST_DIR || '.next';
const FLOOD = 16;

let server: BenchServer;
let cookie: string;

/** The set-password action's id, from the build's manifest (what a browser reads from the page's script). */
function setPasswordActionId(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, distDir, 'server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, action]) => action.exportedName === 'setPasswordAction');
  if (!entry) throw new Error('setPasswordAction is not in the server reference manifest');
  return entry[0];
}

function setPasswordPost(actionId: string): Promise<Response> {
  const form = new FormData();
  form.set('1_token', randomBytes(32).toString('base64url'));
  form.set('1_password', 'a guessed but long password');
  form.set('1_confirm', 'a guessed but long password');
  form.set('0', JSON.stringify([{ status: 'idle' }, '$K1']));
  return fetch(`${server.baseUrl}/set-password/${randomBytes(32).toString('base64url')}`, {
    method: 'POST',
    headers: { 'Next-Action': actionId, Accept: 'text/x-component', Origin: server.baseUrl },
    body: form,
  });
}

async function anonymousSignIn(i: number): Promise<Response> {
  const csrf = await fetch(`${server.baseUrl}/api/auth/csrf`);
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return fetch(`${server.baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ email: `nobody-${i}-${randomBytes(4).toString('hex')}@example.test`, password: 'guess guess guess', csrfToken }),
  });
}

async function timeUnrelated(): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${server.baseUrl}/api/v1/scorecard`, { headers: { cookie } });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

beforeAll(async () => {
  server = await startServer(root, distDir, 4000 + Math.floor(Math.random() * 900));
  cookie = await signIn(server.baseUrl);
});

afterAll(async () => {
  await server?.stop();
});

describe('an anonymous flood', () => {
  it('leaves an unrelated request within a small multiple of its idle time', async () => {
    const actionId = setPasswordActionId();
    // Warm up: the first requests compile routes and fill caches.
    for (let i = 0; i < 3; i++) await timeUnrelated();
    const idle: number[] = [];
    for (let i = 0; i < 7; i++) idle.push(await timeUnrelated());

    let inFlight = FLOOD * 2;
    const statuses: number[] = [];
    const settle = (response: Promise<Response>) =>
      response.then(async (r) => {
        statuses.push(r.status);
        await r.arrayBuffer();
      }).finally(() => inFlight--);
    const flood = [
      ...Array.from({ length: FLOOD }, (_, i) => settle(anonymousSignIn(i))),
      ...Array.from({ length: FLOOD }, () => settle(setPasswordPost(actionId))),
    ];
    const during: number[] = [];
    do during.push(await timeUnrelated());
    while (inFlight > 0);
    await Promise.all(flood);

    const idleMedian = median(idle);
    const floodMedian = median(during);
    console.log(`unrelated request: idle median ${idleMedian.toFixed(1)} ms; during the flood median ${floodMedian.toFixed(1)} ms over ${during.length}`);
    // Every flood request was answered (refused), none failed.
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(floodMedian).toBeLessThan(idleMedian * 5);
  });
});
