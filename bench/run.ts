/**
 * `npm run bench`: what a signed-in page costs the server and what it ships to the browser.
 *
 * It builds nothing: it expects a production build (`next build`, into NEXT_DIST_DIR or .next),
 * loads the demo company into a temporary embedded database, starts `next start` on a loopback
 * port, signs in, and measures
 *   - server CPU per request: utime+stime of the server's process group (from /proc) before and
 *     after N sequential requests, and N requests over 10 concurrent connections (req/s too);
 *   - the public snapshot link beside a static file of the same server and the signed-in
 *     scorecard, over 10 concurrent connections in alternating rounds (CPU per request, req/s);
 *   - first-load JavaScript: the gzip size of every script file the page's HTML references.
 * Every loop is bounded in count and time, and it talks to 127.0.0.1 only.
 * Results: a table on standard output and bench/out/results.{json,md}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { groupCpuSeconds, signIn, startServer } from './server';

const root = path.resolve(import.meta.dirname, '..');
const distDir = process.env.NEXT_DIST_DIR || '.next';

const BUDGET_CPU_MS = 10;
const BUDGET_JS_KB = 140;
const SEQUENTIAL = Number(process.env.BENCH_REQUESTS ?? 300);
const CONCURRENCY = 10;
const MAX_SECONDS_PER_LOOP = 60;

/**
 * The floor page: a signed-in page that renders nothing of its own (a snapshot id that cannot
 * exist, refused before any lookup with a 404), so it costs the proxy, the session check and the layout.
 */
const FLOOR_PATH = '/snapshots/none';

/** A file from public/, served by the same server without rendering: the cheapest answer it gives. */
const STATIC_PATH = '/screenshot.png';
const BUDGET_SNAPSHOT_TO_STATIC = 10;

async function get(url: string, cookie: string): Promise<string> {
  const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  const body = await response.text();
  const expected = url.endsWith(FLOOR_PATH) ? 404 : 200;
  if (response.status !== expected) throw new Error(`${url} answered ${response.status}`);
  return body;
}

interface LoopResult {
  requests: number;
  seconds: number;
  cpuMsPerRequest: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function loop(pgid: number, urls: string[], cookie: string, total: number, concurrency: number): Promise<LoopResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = Date.now() + MAX_SECONDS_PER_LOOP * 1000;
  const cpuBefore = groupCpuSeconds(pgid);
  async function worker() {
    while (next < total && Date.now() < deadline) {
      const url = urls[next++ % urls.length];
      const t0 = performance.now();
      await get(url, cookie);
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpuAfter = groupCpuSeconds(pgid);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    cpuMsPerRequest: ((cpuAfter - cpuBefore) * 1000) / latencies.length,
    requestsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
  };
}

/** Several rounds of the same loop as one result (latency percentiles are the rounds' medians). */
function combine(parts: LoopResult[]): LoopResult {
  const requests = parts.reduce((sum, p) => sum + p.requests, 0);
  const seconds = parts.reduce((sum, p) => sum + p.seconds, 0);
  const cpuMs = parts.reduce((sum, p) => sum + p.cpuMsPerRequest * p.requests, 0);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    requests,
    seconds,
    cpuMsPerRequest: cpuMs / requests,
    requestsPerSecond: requests / seconds,
    p50Ms: median(parts.map((p) => p.p50Ms)),
    p95Ms: median(parts.map((p) => p.p95Ms)),
  };
}

interface JsResult {
  files: Array<{ src: string; bytes: number; gzip: number }>;
  gzipBytes: number;
  htmlGzipBytes: number;
}

/** The script files a cold load of the page fetches (modern browsers skip noModule polyfills). */
async function firstLoadJs(baseUrl: string, pagePath: string, cookie: string): Promise<JsResult> {
  const html = await get(`${baseUrl}${pagePath}`, cookie);
  const sources = new Set<string>();
  for (const match of html.matchAll(/<script\b([^>]*)>/g)) {
    const attributes = match[1];
    if (/\bnoModule\b/i.test(attributes)) continue;
    const src = /\bsrc="([^"]+)"/.exec(attributes)?.[1];
    if (src) sources.add(src.replace(/&amp;/g, '&'));
  }
  const files = [];
  for (const src of sources) {
    const response = await fetch(new URL(src, baseUrl));
    const bytes = Buffer.from(await response.arrayBuffer());
    files.push({ src, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return {
    files,
    gzipBytes: files.reduce((sum, f) => sum + f.gzip, 0),
    htmlGzipBytes: gzipSync(Buffer.from(html), { level: 9 }).length,
  };
}

const kb = (bytes: number) => bytes / 1000;
const fixed = (n: number, digits = 1) => n.toFixed(digits);

async function main() {
  console.error('Loading the demo company into a temporary embedded database…');
  const port = 3900 + Math.floor(Math.random() * 90);
  const server = await startServer(root, distDir, port, {}, { freezeSnapshot: true });
  const { baseUrl, pgid } = server;

  try {
    const cookie = await signIn(baseUrl);
    const scorecard = `${baseUrl}/`;
    const html = await get(scorecard, cookie);
    if (!html.includes('CX Scorecard')) throw new Error('the signed-in scorecard did not render');

    if (process.env.BENCH_PATHS) {
      // Quick comparison of a few pages: sequential CPU per request only.
      for (const page of process.env.BENCH_PATHS.split(',')) {
        const url = `${baseUrl}${page}`;
        await loop(pgid, [url], cookie, 30, 1);
        const r = await loop(pgid, [url], cookie, SEQUENTIAL, 1);
        console.log(`${page}: ${fixed(r.cpuMsPerRequest, 2)} ms CPU/request, p50 ${fixed(r.p50Ms)} ms`);
      }
      return;
    }

    // The public snapshot link beside a static file and the signed-in scorecard: 10 connections,
    // alternating rounds, so a busy machine's drift falls on all three alike.
    const snapshotUrl = `${baseUrl}/s/${server.snapshotToken}`;
    const staticUrl = `${baseUrl}${STATIC_PATH}`;
    const linkTargets = [
      { name: `static file ${STATIC_PATH}, ${CONCURRENCY} connections`, url: staticUrl, cookie: '' },
      { name: `snapshot link /s/<token>, ${CONCURRENCY} connections`, url: snapshotUrl, cookie: '' },
      { name: `signed-in scorecard /, ${CONCURRENCY} connections`, url: scorecard, cookie },
    ];
    for (const target of linkTargets) await loop(pgid, [target.url], target.cookie, 60, CONCURRENCY);
    const linkRounds = linkTargets.map(() => [] as LoopResult[]);
    for (let round = 0; round < 4; round++) {
      for (const [i, target] of linkTargets.entries()) {
        linkRounds[i].push(await loop(pgid, [target.url], target.cookie, Math.ceil(SEQUENTIAL / 2), CONCURRENCY));
      }
    }
    const results: Record<string, LoopResult> = {};
    for (const [i, target] of linkTargets.entries()) results[target.name] = combine(linkRounds[i]);
    const [staticResult, snapshotResult, scorecardResult] = linkTargets.map((target) => results[target.name]);
    const linkRatios = {
      [`snapshot link CPU / static file CPU (${CONCURRENCY} connections; target ≤ ${BUDGET_SNAPSHOT_TO_STATIC})`]:
        snapshotResult.cpuMsPerRequest / staticResult.cpuMsPerRequest,
      'snapshot link CPU / signed-in scorecard CPU': snapshotResult.cpuMsPerRequest / scorecardResult.cpuMsPerRequest,
      'snapshot link req/s / static file req/s': snapshotResult.requestsPerSecond / staticResult.requestsPerSecond,
    };
    if (process.env.BENCH_SNAPSHOT_ONLY) {
      for (const [name, r] of Object.entries(results)) {
        console.log(`${name}: ${fixed(r.cpuMsPerRequest, 2)} ms CPU/request, ${fixed(r.requestsPerSecond)} req/s, p50 ${fixed(r.p50Ms)} ms`);
      }
      for (const [name, value] of Object.entries(linkRatios)) console.log(`${name}: ${fixed(value, 2)}`);
      return;
    }

    // The floor every signed-in page pays (proxy, session check, layout, an empty page), for comparison.
    const floorUrl = `${baseUrl}${FLOOR_PATH}`;

    // Warm up: the JIT, the first database reads, and the view cache for the default period.
    await loop(pgid, [scorecard, floorUrl], cookie, 120, 1);

    // The scorecard and the floor in alternating rounds, so drift (JIT, GC, a busy machine) falls on both.
    const rounds = { scorecard: [] as LoopResult[], floor: [] as LoopResult[] };
    for (let round = 0; round < 4; round++) {
      rounds.scorecard.push(await loop(pgid, [scorecard], cookie, Math.ceil(SEQUENTIAL / 4), 1));
      rounds.floor.push(await loop(pgid, [floorUrl], cookie, Math.ceil(SEQUENTIAL / 4), 1));
    }
    results['scorecard, sequential'] = combine(rounds.scorecard);
    results['signed-in shell, empty page (floor)'] = combine(rounds.floor);
    results[`scorecard, ${CONCURRENCY} connections`] = await loop(pgid, [scorecard], cookie, SEQUENTIAL * 2, CONCURRENCY);

    // Uncached: each request a month the server has not computed yet (fills the view cache).
    const months = Array.from({ length: 20 }, (_, i) => {
      const d = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 2 - i, 1));
      return `${scorecard}?period=${d.toISOString().slice(0, 7)}`;
    });
    results['scorecard, uncached periods'] = await loop(pgid, months, cookie, months.length, 1);

    const pages: string[] = [];
    for (const page of ['/metrics/retention', '/metrics/recommendation', '/metrics/spot_fix_cost', '/accountability']) {
      const response = await fetch(`${baseUrl}${page}`, { headers: { cookie }, redirect: 'manual' });
      await response.arrayBuffer();
      if (response.status === 200) pages.push(page);
      else console.error(`Skipping ${page}: HTTP ${response.status}`);
    }
    for (const page of pages) {
      const url = `${baseUrl}${page}`;
      await loop(pgid, [url], cookie, 10, 1);
      results[`${page}, sequential`] = await loop(pgid, [url], cookie, Math.ceil(SEQUENTIAL / 3), 1);
    }
    const loginUrl = `${baseUrl}/login`;
    await loop(pgid, [loginUrl], '', 10, 1);
    results['/login (signed out, reference)'] = await loop(pgid, [loginUrl], '', SEQUENTIAL, 1);

    const js: Record<string, JsResult> = {};
    for (const page of ['/', ...pages]) js[page] = await firstLoadJs(baseUrl, page, cookie);

    const seq = results['scorecard, sequential'];
    const conc = results[`scorecard, ${CONCURRENCY} connections`];
    const uncached = results['scorecard, uncached periods'];
    const ratios = {
      'scorecard CPU / 10 ms budget (sequential)': seq.cpuMsPerRequest / BUDGET_CPU_MS,
      'scorecard CPU / 10 ms budget (10 connections)': conc.cpuMsPerRequest / BUDGET_CPU_MS,
      'scorecard CPU / signed-in floor CPU': seq.cpuMsPerRequest / results['signed-in shell, empty page (floor)'].cpuMsPerRequest,
      'scorecard CPU above the floor / 10 ms budget':
        (seq.cpuMsPerRequest - results['signed-in shell, empty page (floor)'].cpuMsPerRequest) / BUDGET_CPU_MS,
      'scorecard CPU / /login CPU': seq.cpuMsPerRequest / results['/login (signed out, reference)'].cpuMsPerRequest,
      'uncached / cached scorecard CPU': uncached.cpuMsPerRequest / seq.cpuMsPerRequest,
      'first-load JS for / / 140 kB budget': kb(js['/'].gzipBytes) / BUDGET_JS_KB,
      ...linkRatios,
    };

    const lines: string[] = [];
    lines.push(`# Bench ${new Date().toISOString()} (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version})`);
    lines.push('');
    lines.push('| requests | n | CPU ms/req | req/s | p50 ms | p95 ms |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const [name, r] of Object.entries(results)) {
      lines.push(
        `| ${name} | ${r.requests} | ${fixed(r.cpuMsPerRequest, 2)} | ${fixed(r.requestsPerSecond)} | ${fixed(r.p50Ms)} | ${fixed(r.p95Ms)} |`,
      );
    }
    lines.push('');
    lines.push('| page | script files | first-load JS gzip (kB) | KiB | HTML gzip (kB) |');
    lines.push('|---|---:|---:|---:|---:|');
    for (const [page, r] of Object.entries(js)) {
      lines.push(`| ${page} | ${r.files.length} | ${fixed(kb(r.gzipBytes))} | ${fixed(r.gzipBytes / 1024)} | ${fixed(kb(r.htmlGzipBytes))} |`);
    }
    lines.push('');
    lines.push('| ratio (same run) | value |');
    lines.push('|---|---:|');
    for (const [name, value] of Object.entries(ratios)) lines.push(`| ${name} | ${fixed(value, 2)} |`);
    const table = lines.join('\n');
    console.log(table);

    const outDir = path.join(root, 'bench', 'out');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'results.md'), `${table}\n`);
    fs.writeFileSync(
      path.join(outDir, 'results.json'),
      `${JSON.stringify({ at: new Date().toISOString(), distDir, results, js, ratios }, null, 2)}\n`,
    );
    console.error(`Written to ${path.relative(root, outDir)}/results.{md,json}`);
  } finally {
    if (process.env.BENCH_SERVER_LOG) fs.writeFileSync(process.env.BENCH_SERVER_LOG, server.output());
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
