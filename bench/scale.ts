/**
 * Scale benchmark (not a test): a deterministic data set of SCALE_CUSTOMERS customers (default
 * 1,000,000) with twice as many survey responses and half as many spot fixes, beside a
 * 2,000-customer set of the same shape, on the PostgreSQL server and on embedded PGlite.
 * For each database and size it reports
 *   - CLI import (importCsvFile, what `npm run cli -- import` runs) rows per second beside the
 *     database's own COPY of the same file into an all-text table, and the process's peak RSS;
 *   - the scorecard's figures (getScorecard + its trend, getMetricSeries) and each drill-down
 *     (getDrilldown), first hit after the import and warm, for a month, a quarter and a year.
 * Pages over HTTP and the snapshot link are measured by `npm run bench` (bench/run.ts).
 *
 *   npm run bench:scale                               (SCALE_CUSTOMERS=1000000)
 *   SCALE_CUSTOMERS=100000 SCALE_TARGETS=postgres npm run bench:scale
 *   SCALE_ONLY=import …                               (imports only, no scorecard timings)
 *
 * Beside each import it also times COPY of the file straight into a copy of the record table
 * (its types, primary key, indexes and constraints; no triggers): the cost of the table itself.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { CLI_ACTOR } from '@/lib/data/audit';
import { getDrilldown } from '@/lib/data/drilldowns';
import { importCsvFile } from '@/lib/data/import-csv';
import { getMetricSeries, getScorecard } from '@/lib/data/scorecard';
import { createDb, type DbHandle } from '@/lib/db';
import { migrateDb } from '@/lib/db/migrate';
import { METRIC_KEYS } from '@/lib/db/schema';
import { parsePeriod, periodsEndingWith } from '@/lib/metrics/period';
import { RECORD_COLUMNS, type RecordKind } from '@/lib/validation/records';

const LARGE = Number(process.env.SCALE_CUSTOMERS ?? 1_000_000);
const SMALL = 2_000;
const TARGETS = (process.env.SCALE_TARGETS ?? 'postgres,pglite').split(',');
const ONLY_IMPORT = process.env.SCALE_ONLY === 'import';
const SERVER_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const PERIODS = ['2025-06', '2025-Q2', '2025'].map(parsePeriod);
const TREND = { month: 24, quarter: 12, year: 5 } as const;

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

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
sampler.unref();

async function open(target: string): Promise<{ handle: DbHandle; drop: () => Promise<void>; url?: string }> {
  if (target === 'pglite') {
    const handle = await createDb({ driver: 'pglite', dataDir: null });
    await migrateDb(handle);
    return { handle, drop: () => handle.close() };
  }
  const name = `cx_scale_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const handle = await createDb({ driver: 'node-postgres', url: url.toString() });
  await migrateDb(handle);
  return {
    handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
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

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const fmt = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 0 });

async function measure(target: string, customers: number, files: Record<RecordKind, string>) {
  const { handle, drop, url } = await open(target);
  const lines: string[] = [];
  try {
    for (const kind of ['customers', 'responses', 'spot-fixes'] as const) {
      const rows = kind === 'customers' ? customers : kind === 'responses' ? customers * 2 : Math.floor(customers / 2);
      global.gc?.();
      peakRss = process.memoryUsage().rss;
      const started = performance.now();
      const result = await importCsvFile(handle.db, kind, files[kind], CLI_ACTOR);
      const seconds = (performance.now() - started) / 1000;
      if (!result.ok) throw new Error(`${kind}: ${JSON.stringify(result.problems.slice(0, 3))}`);
      const peak = peakRss;
      const copy = await copySeconds(target, handle, kind, files[kind], url);
      lines.push(
        `| ${target} | ${fmt(customers)} | import ${kind} (${fmt(rows)} rows) | ${seconds.toFixed(2)} s, ${fmt(rows / seconds)} rows/s | COPY ${copy.text.toFixed(2)} s, ${fmt(rows / copy.text)} rows/s; COPY into the table ${copy.table.toFixed(2)} s | ${(copy.text / seconds).toFixed(2)}× COPY, ${(copy.table / seconds).toFixed(2)}× COPY into the table; peak RSS ${fmt(peak / 2 ** 20)} MB |`,
      );
    }
    for (const period of ONLY_IMPORT ? [] : PERIODS) {
      const trend = periodsEndingWith(period, TREND[period.granularity]);
      const figures = () => Promise.all([getScorecard(handle.db, period), getMetricSeries(handle.db, trend)]);
      const first = await timed(figures);
      const warm = await timed(figures);
      lines.push(`| ${target} | ${fmt(customers)} | scorecard + trend SQL, ${period.label} | first ${fmt(first)} ms | warm ${fmt(warm)} ms | |`);
      for (const metric of METRIC_KEYS) {
        const drill = await timed(() => getDrilldown(handle.db, metric, period));
        lines.push(`| ${target} | ${fmt(customers)} | drill-down ${metric}, ${period.label} | ${fmt(drill)} ms | | |`);
      }
    }
  } finally {
    await drop();
  }
  return lines;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-scale-'));
try {
  console.log(`Generating ${fmt(SMALL)} and ${fmt(LARGE)} customers (×2 responses, ×0.5 spot fixes) in ${dir} …`);
  const small = await generate(dir, SMALL);
  const large = await generate(dir, LARGE);
  console.log('| database | customers | what | measured | beside | ratio / note |');
  console.log('|---|---|---|---|---|---|');
  for (const target of TARGETS) {
    for (const [size, files] of [[SMALL, small], [LARGE, large]] as const) {
      for (const line of await measure(target, size, files)) console.log(line);
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
