/**
 * What the page benchmarks share (and, for waiting on the server, the browser tests' setup): a
 * production build served by `next start` on a loopback port
 * with the demo company in a temporary embedded database, a signed-in cookie, and the CPU time of
 * the server's process group. Talks to loopback only.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DEMO_EMAIL = 'daniel.reyes@brightwave.example';
export const DEMO_PASSWORD = 'demo-password-2026';

let clockTicks: number | undefined;

/** CPU seconds used so far by every process in the group (next start and next-server). */
export function groupCpuSeconds(pgid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name, which may contain spaces: state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    if (pgrp !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / clockTicks;
}

/** Waits until `next start` answers below 500 (the browser tests' setup uses it too). */
export async function waitForServer(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited early:\n${log()}`);
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`next start did not answer within 60 s:\n${log()}`);
}

function cookiesFrom(response: Response, jar: Map<string, string>): void {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Signs in through Auth.js's credentials endpoint, like a browser, and returns the cookie header. */
export async function signIn(baseUrl: string, email = DEMO_EMAIL, password = DEMO_PASSWORD): Promise<string> {
  const jar = new Map<string, string>();
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  cookiesFrom(csrf, jar);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${baseUrl}/` }),
  });
  cookiesFrom(response, jar);
  if (![...jar.keys()].some((name) => name.includes('session-token'))) {
    throw new Error(`sign-in failed (HTTP ${response.status}): no session cookie`);
  }
  return cookieHeader(jar);
}

/** `next start` serving a build, in its own process group. */
export interface RunningServer {
  baseUrl: string;
  /** The server's process group: `groupCpuSeconds(pgid)`. */
  pgid: number;
  output: () => string;
  /** Stops the whole group and waits until it is gone (it may hold an embedded database). */
  stop: () => Promise<void>;
}

export interface BenchServer extends RunningServer {
  /** The token of a snapshot link frozen before the server started (with `freezeSnapshot`). */
  snapshotToken: string | null;
}

function groupIsAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The environment `next start` needs on a loopback port, before the database's own settings. */
export function serverEnv(distDir: string, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AUTH_SECRET: 'bench-secret-not-for-production-0123456789',
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_DIST_DIR: distDir,
    // `localhost`: Next rewrites a 127.0.0.1 AUTH_URL to it in the redirects Auth.js builds.
    AUTH_URL: `http://localhost:${port}`,
  };
}

/** Serves the build in `root`/`distDir` with `env` (see serverEnv) and waits until it answers. */
export async function serveBuild(root: string, distDir: string, port: number, env: NodeJS.ProcessEnv): Promise<RunningServer> {
  if (!fs.existsSync(path.join(root, distDir, 'BUILD_ID'))) {
    throw new Error(`No production build in ${path.join(root, distDir)}: run \`NEXT_DIST_DIR=${distDir} npx next build\` there first.`);
  }
  let output = '';
  const server = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  const pgid = server.pid!;
  const stop = async () => {
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      return;
    }
    for (let waited = 0; groupIsAlive(pgid); waited += 100) {
      if (waited === 10_000) process.kill(-pgid, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const baseUrl = `http://localhost:${port}`;
  try {
    await waitForServer(`${baseUrl}/login`, server, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, pgid, output: () => output, stop };
}

/**
 * Serves the build in `root`/`distDir` with the demo company loaded into a fresh temporary
 * embedded database (PGlite, the default deployment), in its own process group; with
 * `freezeSnapshot`, a snapshot of the latest complete month is frozen first and its token kept.
 */
export async function startServer(
  root: string,
  distDir: string,
  port: number,
  extraEnv: Record<string, string> = {},
  options: { freezeSnapshot?: boolean } = {},
): Promise<BenchServer> {
  if (!fs.existsSync(path.join(root, distDir, 'BUILD_ID'))) {
    throw new Error(`No production build in ${path.join(root, distDir)}: run \`NEXT_DIST_DIR=${distDir} npx next build\` there first.`);
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...serverEnv(distDir, port),
    DATABASE_URL: '',
    POSTGRES_URL: '',
    PGLITE_DIR: path.join(workDir, 'pglite'),
    ...extraEnv,
  };
  const bin = (name: string) => path.join(root, 'node_modules/.bin', name);
  execFileSync(bin('tsx'), ['lib/cli.ts', 'prepare'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  // Before the server opens the embedded database: only one process may hold it.
  const snapshotToken = options.freezeSnapshot
    ? execFileSync(bin('tsx'), ['bench/make-snapshot.ts'], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()
    : null;
  let server: RunningServer;
  try {
    server = await serveBuild(root, distDir, port, env);
  } catch (error) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...server,
    snapshotToken,
    async stop() {
      await server.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}
