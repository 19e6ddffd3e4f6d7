/**
 * `npm run bench:compare -- OTHER_CHECKOUT`: server CPU per request of this build against another
 * checkout's build (an earlier commit, say), both served side by side with the demo company and
 * measured in alternating rounds, so a busy machine weighs on both alike. Prints each page's
 * CPU per request and the ratio this / other.
 *
 *   git worktree add /tmp/before <commit> && (cd /tmp/before && npm ci && npx next build)
 *   npx next build && npm run bench:compare -- /tmp/before
 *
 * BENCH_COMPARE_PATHS (comma-separated) chooses the signed-in pages; the signed-out /login is
 * always measured too. BENCH_REQUESTS (default 240) requests per page and build.
 */
import path from 'node:path';
import { groupCpuSeconds, signIn, startServer, type BenchServer } from './server';

const ROUNDS = 8;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 240);
const PATHS = (process.env.BENCH_COMPARE_PATHS ?? '/,/snapshots/none,/metrics/retention,/accountability').split(',');

interface Side {
  name: string;
  server: BenchServer;
  cookie: string;
}

async function get(side: Side, page: string, signedIn: boolean): Promise<void> {
  const response = await fetch(`${side.server.baseUrl}${page}`, { headers: signedIn ? { cookie: side.cookie } : {}, redirect: 'manual' });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${side.name}: ${page} answered ${response.status}`);
}

async function main() {
  const other = process.argv[2];
  if (!other) throw new Error('Name the other checkout: npm run bench:compare -- /path/to/checkout');
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  const sides: Side[] = [];
  try {
    for (const [name, root, port] of [
      ['other', path.resolve(other), 3971],
      ['this', path.resolve(import.meta.dirname, '..'), 3972],
    ] as const) {
      console.error(`Starting ${name} (${root})…`);
      const server = await startServer(root, distDir, port);
      sides.push({ name, server, cookie: await signIn(server.baseUrl) });
    }
    const pages = [...PATHS.map((page) => ({ page, signedIn: true })), { page: '/login', signedIn: false }];
    for (const side of sides) for (const { page, signedIn } of pages) for (let i = 0; i < 30; i++) await get(side, page, signedIn);

    const cpuMs = new Map<string, { other: number; this: number; requests: number }>();
    const perRound = Math.ceil(REQUESTS / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const { page, signedIn } of pages) {
        const label = signedIn ? page : `${page} (signed out)`;
        const totals = cpuMs.get(label) ?? { other: 0, this: 0, requests: 0 };
        for (const side of sides) {
          const before = groupCpuSeconds(side.server.pgid);
          for (let i = 0; i < perRound; i++) await get(side, page, signedIn);
          totals[side.name as 'other' | 'this'] += (groupCpuSeconds(side.server.pgid) - before) * 1000;
        }
        totals.requests += perRound;
        cpuMs.set(label, totals);
      }
    }
    console.log('| page | other, ms CPU/request | this | this / other |');
    console.log('|---|---:|---:|---:|');
    for (const [label, t] of cpuMs) {
      console.log(`| ${label} | ${(t.other / t.requests).toFixed(1)} | ${(t.this / t.requests).toFixed(1)} | ${(t.this / t.other).toFixed(2)} |`);
    }
  } finally {
    for (const side of sides) await side.server.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
