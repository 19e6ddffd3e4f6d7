import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { freePort } from '../support/own-postgres';
import { DEMO, DEMO_PASSWORD } from './browser';

/**
 * A caller chooses its own Host and X-Forwarded-Host headers. The server is told its address
 * (AUTH_URL, required in production), so no redirect it answers is built from them; and without
 * AUTH_URL a production server does not start.
 */
const baseUrl = inject('baseUrl');
const root = path.resolve(import.meta.dirname, '../..');
const EVIL = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };

function cookiesOf(response: Response, jar: Map<string, string>) {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  }
}
const decodeEntities = (text: string) =>
  text.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

function expectOwnOrigin(location: string | null) {
  expect(location).toBeTruthy();
  expect(location).not.toContain('evil.example');
  expect(new URL(location!, baseUrl).origin).toBe(new URL(baseUrl).origin);
}

describe('a forged X-Forwarded-Host', () => {
  it('never makes Auth.js redirect a sign-in, or a failed one, to that host', async () => {
    const jar = new Map<string, string>();
    const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers: EVIL });
    cookiesOf(csrf, jar);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const post = (password: string) =>
      fetch(`${baseUrl}/api/auth/callback/credentials`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...EVIL, 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
        body: new URLSearchParams({ email: DEMO.viewer, password, csrfToken, callbackUrl: '/' }),
      });
    const refused = await post('not-the-password');
    expect(refused.status).toBe(302);
    expectOwnOrigin(refused.headers.get('location'));
    const signedIn = await post(DEMO_PASSWORD);
    expect(signedIn.status).toBe(302);
    expectOwnOrigin(signedIn.headers.get('location'));
    expect(signedIn.headers.getSetCookie().some((c) => c.includes('session-token'))).toBe(true);

    const providers = await (await fetch(`${baseUrl}/api/auth/providers`, { headers: EVIL })).text();
    expect(providers).not.toContain('evil.example');
  });

  it('never sends a signed-out visitor, or a sign-in through the form, to that host', async () => {
    const signedOut = await fetch(`${baseUrl}/accountability`, { headers: EVIL, redirect: 'manual' });
    expect(signedOut.status).toBeGreaterThanOrEqual(300);
    expectOwnOrigin(signedOut.headers.get('location'));

    // The sign-in form posted as a browser without JavaScript would, by a script that also claims
    // the other host as its Origin (Next refuses a server action whose Origin and host differ).
    const loginUrl = `${baseUrl}/login?callbackUrl=%2Faccountability`;
    const html = await (await fetch(loginUrl, { headers: EVIL })).text();
    const form = [...html.matchAll(/<form\b[\s\S]*?<\/form>/g)].map((m) => m[0]).find((f) => f.includes('name="email"'))!;
    const body = new FormData();
    for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
      const name = /\bname="([^"]*)"/.exec(tag)?.[1];
      const value = /\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '';
      if (name && /\btype="hidden"/.test(tag)) body.append(decodeEntities(name), decodeEntities(value));
    }
    body.set('email', DEMO.viewer);
    body.set('password', DEMO_PASSWORD);
    const posted = await fetch(loginUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...EVIL, origin: 'http://evil.example' },
      body,
    });
    expect(posted.status).toBe(303);
    expectOwnOrigin(posted.headers.get('location'));
    expect(new URL(posted.headers.get('location')!, baseUrl).pathname).toBe('/accountability');
    expect(posted.headers.getSetCookie().some((c) => c.includes('session-token'))).toBe(true);
  });
});

describe('a production server without AUTH_URL', () => {
  it('does not start, and says which setting is missing', async () => {
    const port = await freePort();
    const server = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        AUTH_SECRET: 'e2e-secret-for-tests-only-0123456789abcdef',
        AUTH_URL: '',
        NEXTAUTH_URL: '',
        VERCEL: '',
        NEXT_TELEMETRY_DISABLED: '1',
        NEXT_DIST_DIR: process.env.NEXT_DIST_DIR || '.next',
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout!.on('data', (chunk) => (output += chunk));
    server.stderr!.on('data', (chunk) => (output += chunk));
    try {
      // It either stops by itself, or answers a request (then `code` is null and the test fails).
      const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
      const answered = (async () => {
        while (server.exitCode === null) {
          const response = await fetch(`http://127.0.0.1:${port}/login`).catch(() => null);
          if (response) return null;
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 200))]);
        }
        return server.exitCode;
      })();
      const code = await Promise.race([exited, answered]);
      expect(code).not.toBe(0);
      expect(output).toContain('AUTH_URL is not set');
    } finally {
      try {
        process.kill(-server.pid!, 'SIGTERM');
      } catch {
        // it has stopped by itself
      }
    }
  });
});
