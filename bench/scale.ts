/**
 * Scale benchmark (not a test): a deterministic data set of SCALE_CUSTOMERS customers (default
 * 1,000,000) with twice as many survey responses and half as many spot fixes, beside a
 * 2,000-customer set of the same shape, on the PostgreSQL server and on embedded PGlite (a data
 * directory on disk, as deployed). For each database and size it reports
 *   - each CLI import (bench/scale-import.ts: what `npm run cli -- import` runs) in a process of
 *     its own: rows per second beside the database's own COPY of the same file, and that
 *     process's peak RSS (VmHWM), so the figure is the import's and nothing else's;
 *   - pages over HTTP from the production build (`next start` on the imported database, signed
 *     in through Auth.js): first hit and warm (median of 3) of `/`, each drill-down and
 *     `/api/v1/scorecard` for a month, a quarter and a year. Each route gets fresh servers (three,
 *     one after the other; the median of their first hits is reported), so its first hit pays for
 *     everything it shows (a drill-down computes the scorecard's figures too, rather than finding
 *     them cached by `/`). Each route is first asked once for 2000-01, before any record (its own
 *     line), so loading its code is not counted as the data's cost;
 *   - the same SQL in process (getScorecard + getMetricSeries, getDrilldown), after the pages:
 *     where a page's time goes.
 * Lines for the large set carry their ratio to the 2k set's (same database, same line).
 *
 * It builds nothing: build once, then run it against that build.
 *   NEXT_DIST_DIR=.next-bench npx next build
 *   NEXT_DIST_DIR=.next-bench npm run bench:scale            (SCALE_CUSTOMERS=1000000)
 *   SCALE_CUSTOMERS=100000 SCALE_TARGETS=postgres NEXT_DIST_DIR=.next-bench npm run bench:scale
 *   SCALE_ONLY=import …   imports and COPY only, no server (no build needed)
 *   SCALE_ONLY=pages …    imports only to load the data (no import lines, no COPY), then pages
 *   SCALE_KEEP=1 …        keeps the generated files and the databases, and says where they are
 *
 * Beside each import it also times COPY of the file straight into a copy of the record table
 * (its types, primary key, indexes and constraints; no triggers): the cost of the table itself.
 * On the server, a CHECKPOINT before each import and each COPY keeps one from paying for the WAL
 * the one before it left behind.
 * The PostgreSQL server is shared and not restarted: "first hit" there means the first request
 * to a fresh app server after the import, with whatever the server's own caches still hold.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { CLI_ACTOR } from '@/lib/data/audit';
import { getDrilldown } from '@/lib/data/drilldowns';
import { createAdminWithPassword } from '@/lib/data/executives';
import { getMetricSeries, getScorecard } from '@/lib/data/scorecard';
import { clearViewCache } from '@/lib/data/view-cache';
import { METRIC_TITLES } from '@/lib/data/scorecard-view';
import { createDb, type DbHandle } from '@/lib/db';
import { migrateDb } from '@/lib/db/migrate';
import { METRIC_KEYS } from '@/lib/db/schema';
import { formatPeriodLabel } from '@/lib/format/dates';
import { parsePeriod, periodsEndingWith } from '@/lib/metrics/period';
import { RECORD_COLUMNS, RECORD_KINDS, type RecordKind } from '@/lib/validation/records';
import type { ImportReport } from './scale-import';
import { serveBuild, serverEnv, signIn } from './server';

const root = path.resolve(import.meta.dirname, '..');
const distDir = process.env.NEXT_DIST_DIR || '.next';
const LARGE = Number(process.env.SCALE_CUSTOMERS ?? 1_000_000);
const SMALL = 2_000;
const TARGETS = (process.env.SCALE_TARGETS ?? 'postgres,pglite').split(',');
const ONLY = process.env.SCALE_ONLY;
const KEEP = process.env.SCALE_KEEP === '1';
const SERVER_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const PERIODS = ['2025-06', '2025-Q2', '2025'].map(parsePeriod);
const TREND = { month: 24, quarter: 12, year: 5 } as const;
const ROUTES = ['/', ...METRIC_KEYS.map((key) => `/metrics/${key}`), '/api/v1/scorecard'];
const WARM_REPEATS = 3;
/** Fresh servers per route: each one's first hits count, and their median is the line's. */
const FIRST_HIT_SERVERS = 3;
/** Long before the generated data (2020 on): warms a route's code without reading records. */
const WARM_UP_PERIOD = '2000-01';

/** The executive the bench signs in as, added the way `npm run cli -- add-admin` adds one. */
const ADMIN = { name: 'Scale Bench', email: 'scale.bench@example.test', title: 'Chief Customer Officer', powerCore: 'customer', role: 'admin' } as const;
const ADMIN_PASSWORD = 'quiet-harbour-lantern-7391-dusk';

/** A small, fast, seeded generator (mulberry32): the same data set every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const START = Date.UTC(2020, 0, 1);
const SPAN_DAYS = 6 * 365;
const iso = (day: number) => new Date(START + day * DAY).toISOString().slice(0, 10);
const REASONS = ['Price', 'Moved', 'Service', 'Competitor', ''];
const ISSUES = Array.from({ length: 900 }, (_, i) => `Issue ${i}`);
const CATEGORIES = ['meeting', 'free_offering', 'discount', 'staff_time', 'pr_recovery', 'other'];

async function writeCsv(file: string, kind: RecordKind, rows: number, row: (n: number, r: () => number) => string) {
  const out = fs.createWriteStream(file);
  const r = random(rows * 31 + kind.length);
  out.write(RECORD_COLUMNS[kind].join(',') + '\n');
  let buffer = '';
  for (let n = 0; n < rows; n++) {
    buffer += row(n, r) + '\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buffer = '';
    }
  }
  out.end(buffer);
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
}

async function generate(dir: string, customers: number): Promise<Record<RecordKind, string>> {
  const files = {
    customers: path.join(dir, `customers-${customers}.csv`),
    responses: path.join(dir, `responses-${customers}.csv`),
    'spot-fixes': path.join(dir, `spot-fixes-${customers}.csv`),
  };
  await writeCsv(files.customers, 'customers', customers, (n, r) => {
    const acquired = Math.floor(r() * SPAN_DAYS);
    const churned = r() < 0.3 ? Math.min(SPAN_DAYS + 300, acquired + Math.floor(r() * 900)) : null;
    const reason = churned === null ? '' : REASONS[Math.floor(r() * REASONS.length)];
    return `C${n},Customer ${n},${n % 3 ? 'SMB' : 'Enterprise'},${iso(acquired)},${churned === null ? '' : iso(churned)},${(r() * 500).toFixed(2)},${reason}`;
  });
  await writeCsv(files.responses, 'responses', customers * 2, (n, r) => {
    const customer = r() < 0.1 ? '' : `C${Math.floor(r() * customers)}`;
    return `R${n},${customer},${iso(Math.floor(r() * SPAN_DAYS))},${Math.floor(r() * 11)},${['web', 'phone', 'store', ''][n % 4]},`;
  });
  await writeCsv(files['spot-fixes'], 'spot-fixes', Math.floor(customers / 2), (n, r) => {
    const customer = r() < 0.2 ? '' : `C${Math.floor(r() * customers)}`;
    return `S${n},${iso(Math.floor(r() * SPAN_DAYS))},${ISSUES[Math.floor(r() * r() * ISSUES.length)]},${CATEGORIES[n % 6]},${(r() * 900).toFixed(2)},${customer},,`;
  });
  return files;
}

const TABLES: Record<RecordKind, string> = { customers: 'customers', responses: 'survey_responses', 'spot-fixes': 'spot_fixes' };

/**
 * The database's own COPY of the same CSV: into an all-text table (the floor for an import), and
 * into a copy of the record table with its primary key, indexes and constraints (what writing
 * those rows costs the table itself, before any check or merge).
 */
async function copySeconds(target: string, handle: DbHandle, kind: RecordKind, file: string, url?: string): Promise<{ text: number; table: number }> {
  const columns = RECORD_COLUMNS[kind].map((c) => `"${c}"`).join(', ');
  const create = {
    text: `create table copy_floor (${RECORD_COLUMNS[kind].map((c) => `"${c}" text`).join(', ')})`,
    // A spot fix's issue_key is computed by the import, not in the file.
    table: `create table copy_floor (like ${TABLES[kind]} including all)${kind === 'spot-fixes' ? '; alter table copy_floor alter column issue_key drop not null' : ''}`,
  };
  const seconds = { text: 0, table: 0 };
  for (const into of ['text', 'table'] as const) {
    const copy = `copy copy_floor (${columns}) from %s with (format csv, header true)`;
    if (target === 'pglite') {
      const client = (handle.db as unknown as { $client: { exec(q: string): Promise<unknown>; query(q: string, p: unknown[], o: object): Promise<unknown> } }).$client;
      await client.exec(create[into]);
      const started = performance.now();
      await client.query(copy.replace('%s', `'/dev/blob'`), [], { blob: new Blob([fs.readFileSync(file)]) });
      seconds[into] = (performance.now() - started) / 1000;
      await client.exec('drop table copy_floor');
      continue;
    }
    const { from } = await import('pg-copy-streams');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(create[into]);
    await client.query('checkpoint');
    const started = performance.now();
    const stream = client.query(from(copy.replace('%s', 'stdin')));
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      fs.createReadStream(file).on('error', reject).pipe(stream);
    });
    seconds[into] = (performance.now() - started) / 1000;
    await client.query('drop table copy_floor');
    await client.end();
  }
  return seconds;
}

/** A migrated, empty database of the bench's own, and how a child process or `next start` reaches it. */
interface BenchDatabase {
  env: Record<string, string>;
  /** Opens it in this process; for PGlite, only while no other process has it open. */
  open(): Promise<DbHandle>;
  url?: string;
  drop(): Promise<void>;
}

async function createDatabase(target: string, customers: number, dir: string): Promise<BenchDatabase> {
  if (target === 'pglite') {
    const dataDir = path.join(dir, `pglite-${customers}`);
    const open = () => createDb({ driver: 'pglite', dataDir });
    const handle = await open();
    await migrateDb(handle);
    await handle.close();
    return {
      env: { DATABASE_URL: '', POSTGRES_URL: '', PGLITE_DIR: dataDir },
      open,
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `cx_scale_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const open = () => createDb({ driver: 'node-postgres', url: url.toString() });
  const handle = await open();
  await migrateDb(handle);
  await handle.close();
  return {
    env: { DATABASE_URL: url.toString(), POSTGRES_URL: '' },
    open,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function withHandle<T>(database: BenchDatabase, work: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = await database.open();
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

/**
 * Writes out what the server still holds from the writes before (PostgreSQL server only), so an
 * import or COPY does not pay for the previous one's checkpoint: each starts from the same state.
 */
async function checkpoint(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('checkpoint');
  } finally {
    await client.end();
  }
}

/** One import in a child process (bench/scale-import.ts); the parent holds no PGlite handle meanwhile. */
function importInChild(database: BenchDatabase, kind: RecordKind, file: string): Promise<ImportReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/scale-import.ts', kind, file], {
      cwd: root,
      env: { ...process.env, ...database.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`import ${kind} exited with ${code}`));
      else resolve(JSON.parse(output.trim().split('\n').at(-1)!) as ImportReport);
    });
  });
}

const fmt = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 0 });
const mb = (bytes: number) => `${fmt(bytes / 2 ** 20)} MB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** One line of the table; `values` are what the large set's line is divided by the 2k set's. */
interface Row {
  what: string;
  measured: string;
  beside: string;
  note: string;
  values: Record<string, number>;
}

/** What a route must answer for a period: its own heading, or the API's JSON for that period. */
function answersFor(route: string, label: string, body: string): boolean {
  const periodName = formatPeriodLabel(label);
  if (route === '/api/v1/scorecard') return (JSON.parse(body) as { period?: { label?: string } }).period?.label === label;
  if (route === '/') return body.includes(`CX Scorecard · ${periodName}`);
  const key = route.slice('/metrics/'.length) as keyof typeof METRIC_TITLES;
  return body.includes(`${METRIC_TITLES[key]} · ${periodName}`);
}

async function timedGet(url: string, cookie: string, check: (body: string) => boolean): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  if (!check(body)) throw new Error(`${url} answered 200 without its content: ${body.slice(0, 200)}`);
  return ms;
}

/**
 * Each route on FIRST_HIT_SERVERS fresh `next start`s in turn: the median of their first hits per
 * period (one request is at the mercy of a busy machine), and warm on the last of them.
 */
async function measurePages(database: BenchDatabase): Promise<Row[]> {
  const rows: Row[] = [];
  for (const route of ROUTES) {
    const firsts = new Map<string, number[]>(PERIODS.map((period) => [period.label, []]));
    const warms = new Map<string, number>();
    const warmUps: number[] = [];
    for (let round = 0; round < FIRST_HIT_SERVERS; round++) {
      const port = 3900 + Math.floor(Math.random() * 90);
      const server = await serveBuild(root, distDir, port, { ...serverEnv(distDir, port), ...database.env });
      try {
        const cookie = await signIn(server.baseUrl, ADMIN.email, ADMIN_PASSWORD);
        // The route once for a period before any record: loads and warms its code, finds no data.
        warmUps.push(await timedGet(`${server.baseUrl}${route}?period=${WARM_UP_PERIOD}`, cookie, (body) => answersFor(route, WARM_UP_PERIOD, body)));
        for (const period of PERIODS) {
          const url = `${server.baseUrl}${route}?period=${encodeURIComponent(period.label)}`;
          const check = (body: string) => answersFor(route, period.label, body);
          firsts.get(period.label)!.push(await timedGet(url, cookie, check));
          if (round < FIRST_HIT_SERVERS - 1) continue;
          const warm: number[] = [];
          for (let i = 0; i < WARM_REPEATS; i++) warm.push(await timedGet(url, cookie, check));
          warms.set(period.label, median(warm));
        }
      } catch (error) {
        console.error(server.output().slice(-4000));
        throw error;
      } finally {
        await server.stop();
      }
    }
    const warmUp = median(warmUps);
    rows.push({ what: `GET ${route}?period=${WARM_UP_PERIOD} (warm-up, no records)`, measured: `${fmt(warmUp)} ms`, beside: '', note: 'fresh server, signed in', values: { 'warm-up': warmUp } });
    for (const period of PERIODS) {
      const first = median(firsts.get(period.label)!);
      const warm = warms.get(period.label)!;
      rows.push({
        what: `GET ${route}?period=${period.label}`,
        measured: `first ${fmt(first)} ms`,
        beside: `warm ${fmt(warm)} ms`,
        note: `first hits ${firsts.get(period.label)!.map(fmt).join(', ')} ms`,
        values: { first, warm },
      });
    }
  }
  return rows;
}

/** The SQL behind the pages, in this process: where a page's time goes. */
async function measureSql(handle: DbHandle): Promise<Row[]> {
  // Drill-downs are cached in this process by data version, which a fresh database of either
  // size shares: without this, the large set's drill-downs would be the small set's, from memory.
  clearViewCache();
  const rows: Row[] = [];
  for (const period of PERIODS) {
    const trend = periodsEndingWith(period, TREND[period.granularity]);
    const figures = () => Promise.all([getScorecard(handle.db, period), getMetricSeries(handle.db, trend)]);
    const first = await timed(figures);
    const warm = await timed(figures);
    rows.push({ what: `SQL scorecard + trend, ${period.label}`, measured: `first ${fmt(first)} ms`, beside: `warm ${fmt(warm)} ms`, note: 'in process, after the pages', values: { first, warm } });
    for (const metric of METRIC_KEYS) {
      const drillFirst = await timed(() => getDrilldown(handle.db, metric, period));
      const drillWarm = await timed(() => getDrilldown(handle.db, metric, period));
      rows.push({
        what: `SQL drill-down ${metric}, ${period.label}`,
        measured: `first ${fmt(drillFirst)} ms`,
        beside: `warm ${fmt(drillWarm)} ms`,
        note: 'in process, after the pages',
        values: { first: drillFirst, warm: drillWarm },
      });
    }
  }
  return rows;
}

async function measure(target: string, customers: number, files: Record<RecordKind, string>, dir: string, print: (row: Row) => void) {
  const database = await createDatabase(target, customers, dir);
  try {
    const imports = new Map<RecordKind, ImportReport>();
    for (const kind of RECORD_KINDS) {
      if (database.url) await checkpoint(database.url);
      imports.set(kind, await importInChild(database, kind, files[kind]));
    }
    await withHandle(database, async (handle) => {
      for (const kind of ONLY === 'pages' ? [] : RECORD_KINDS) {
        const report = imports.get(kind)!;
        const copy = await copySeconds(target, handle, kind, files[kind], database.url);
        const perSecond = report.rows / report.seconds;
        print({
          what: `import ${kind}`,
          measured: `${fmt(report.rows)} rows in ${report.seconds.toFixed(2)} s, ${fmt(perSecond)} rows/s`,
          beside: `COPY ${copy.text.toFixed(2)} s, ${fmt(report.rows / copy.text)} rows/s; COPY into the table ${copy.table.toFixed(2)} s`,
          note:
            `${(copy.text / report.seconds).toFixed(2)}× COPY, ${(copy.table / report.seconds).toFixed(2)}× COPY into the table; ` +
            `peak RSS ${mb(report.peakBytes)} (${mb(report.rssBeforeBytes)} before the import)`,
          values: { 'rows/s': perSecond, 'peak RSS': report.peakBytes },
        });
      }
      if (ONLY !== 'import') await createAdminWithPassword(handle.db, ADMIN, ADMIN_PASSWORD, CLI_ACTOR);
    });
    if (ONLY === 'import') return;
    for (const row of await measurePages(database)) print(row);
    if (ONLY !== 'pages') for (const row of await withHandle(database, measureSql)) print(row);
  } finally {
    if (KEEP) console.log(`Kept ${target} ${fmt(customers)}: ${JSON.stringify(database.env)}`);
    else await database.drop();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-scale-'));
try {
  console.log(`Generating ${fmt(SMALL)} and ${fmt(LARGE)} customers (×2 responses, ×0.5 spot fixes) in ${dir} …`);
  const small = await generate(dir, SMALL);
  const large = await generate(dir, LARGE);
  const ratioHeader = `${fmt(LARGE)} / ${fmt(SMALL)}`;
  console.log(`| database | customers | what | measured | beside | ${ratioHeader} | note |`);
  console.log('|---|---|---|---|---|---|---|');
  for (const target of TARGETS) {
    const smallRows = new Map<string, Row>();
    for (const [size, files] of [[SMALL, small], [LARGE, large]] as const) {
      await measure(target, size, files, dir, (row) => {
        const base = size === SMALL ? undefined : smallRows.get(row.what);
        if (size === SMALL) smallRows.set(row.what, row);
        const ratio = base ? Object.entries(row.values).map(([name, value]) => `${(value / base.values[name]).toFixed(2)}× ${name}`).join(', ') : '';
        console.log(`| ${target} | ${fmt(size)} | ${row.what} | ${row.measured} | ${row.beside} | ${ratio} | ${row.note} |`);
      });
    }
  }
} finally {
  if (KEEP) console.log(`Kept the generated files in ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
