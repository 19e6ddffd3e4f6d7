/**
 * Import benchmark: rows per second for a million-row customers CSV through
 *   1. the browser import path — the file's bytes sent in 2 MB chunks (3 at a time, as the import
 *      page sends them) to a real `next start` over HTTP with an API token, staged, checked, and
 *      applied in one transaction (needs a production build in NEXT_DIST_DIR or .next; without
 *      one it runs the same data-layer calls in this process and says so);
 *   2. the CLI path — `importCsvFile`, what `npm run cli -- import customers FILE` runs;
 *   3. PostgreSQL's own COPY of the same file (`psql \copy` into a temporary table), the floor.
 * Each path gets a fresh database on the PostgreSQL server (BENCH_DATABASE_URL or DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/test), dropped afterwards. Talks to 127.0.0.1 only.
 *
 *   npx tsx bench/import.ts            (BENCH_ROWS=1000000 by default)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { formatCsvRows } from '@/lib/csv/export';
import { CLI_ACTOR } from '@/lib/data/audit';
import { createApiToken } from '@/lib/data/api-tokens';
import { applyImport, createImport, stageImportChunk, validateImport, type DataWriter } from '@/lib/data/imports';
import { importCsvFile } from '@/lib/data/import-csv';
import { createDb, type DbHandle } from '@/lib/db';
import { migrateDb } from '@/lib/db/migrate';
import { executives } from '@/lib/db/schema';
import { IMPORT_CHUNK_BYTES } from '@/lib/validation/api';
import { RECORD_COLUMNS } from '@/lib/validation/records';

const root = path.resolve(import.meta.dirname, '..');
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SERVER_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const distDir = process.env.NEXT_DIST_DIR || '.next';
const PARALLEL_UPLOADS = 3;

interface Result {
  path: string;
  seconds: number;
  phases?: Record<string, number>;
  note?: string;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database for one path; dropped by the returned function. */
async function freshDatabase(): Promise<{ url: string; handle: DbHandle; drop: () => Promise<void> }> {
  const name = `cx_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const handle = await createDb({ driver: 'node-postgres', url: url.toString() });
  await migrateDb(handle);
  return {
    url: url.toString(),
    handle,
    async drop() {
      await handle.close().catch(() => {});
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

async function writeFile(file: string) {
  const out = fs.createWriteStream(file);
  out.write(formatCsvRows([[...RECORD_COLUMNS.customers]]));
  for (let from = 1; from <= ROWS; from += 10_000) {
    const rows: Array<Array<string | null>> = [];
    for (let n = from; n < Math.min(from + 10_000, ROWS + 1); n++) {
      const month = String(1 + (n % 12)).padStart(2, '0');
      rows.push([
        `B${String(n).padStart(8, '0')}`,
        n % 9 ? `Customer ${n}` : `Müller, "Kunde" ${n}`,
        n % 3 ? 'SMB' : 'Enterprise',
        `2023-${month}-01`,
        n % 5 ? null : `2024-${month}-15`,
        `${n % 500}.${String(n % 100).padStart(2, '0')}`,
        n % 5 ? null : 'Too expensive',
      ]);
    }
    if (!out.write(formatCsvRows(rows))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function makeAdmin(handle: DbHandle) {
  const [admin] = await handle.db
    .insert(executives)
    .values({ name: 'Bench Admin', email: 'bench@example.test', title: 'CCO', powerCore: 'customer', role: 'admin' })
    .returning();
  return admin;
}

async function waitForServer(url: string, server: ChildProcess, log: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited early:\n${log()}`);
    try {
      if ((await fetch(url, { redirect: 'manual' })).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`next start did not answer within 60 s:\n${log()}`);
}

/** Reads a step's newline-delimited JSON answer to its result. */
async function step(url: string, token: string) {
  const response = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  const lines = (await response.text()).trim().split('\n');
  const last = JSON.parse(lines[lines.length - 1]);
  if (last.type !== 'result') throw new Error(`${url}: ${lines[lines.length - 1]}`);
  return last.import;
}

async function browserPathOverHttp(file: string, size: number): Promise<Result> {
  const { url, handle, drop } = await freshDatabase();
  const admin = await makeAdmin(handle);
  const { token } = await createApiToken(handle.db, admin, 'bench');
  const port = 3900 + Math.floor(Math.random() * 90);
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const server = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      POSTGRES_URL: '',
      NEXT_DIST_DIR: distDir,
      AUTH_SECRET: 'bench-secret-not-for-production-0123456789',
      AUTH_URL: base,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  try {
    await waitForServer(`${base}/api/v1/openapi.json`, server, () => output);
    const auth = { Authorization: `Bearer ${token}` };
    const chunks = Math.ceil(size / IMPORT_CHUNK_BYTES);
    const started = performance.now();
    const created = await fetch(`${base}/api/v1/imports`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'customers', fileName: path.basename(file), size, chunks }),
    });
    const { id } = (await created.json()) as { id: string };
    const fd = fs.openSync(file, 'r');
    let next = 0;
    const worker = async () => {
      while (next < chunks) {
        const index = next++;
        const length = Math.min(IMPORT_CHUNK_BYTES, size - index * IMPORT_CHUNK_BYTES);
        const body = Buffer.alloc(length);
        fs.readSync(fd, body, 0, length, index * IMPORT_CHUNK_BYTES);
        const response = await fetch(`${base}/api/v1/imports/${id}/chunks/${index}`, {
          method: 'PUT',
          headers: { ...auth, 'Content-Type': 'application/octet-stream' },
          body,
        });
        if (!response.ok) throw new Error(`chunk ${index}: ${response.status} ${await response.text()}`);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_UPLOADS }, worker));
    fs.closeSync(fd);
    const uploaded = performance.now();
    const checked = await step(`${base}/api/v1/imports/${id}/validate`, token);
    if (checked.checkedRecords !== ROWS) throw new Error(`checked ${checked.checkedRecords} records`);
    const validated = performance.now();
    const applied = await step(`${base}/api/v1/imports/${id}/apply`, token);
    if (applied.result?.added !== ROWS) throw new Error(`applied ${JSON.stringify(applied.result)}`);
    const done = performance.now();
    return {
      path: 'browser import (HTTP, chunked)',
      seconds: (done - started) / 1000,
      phases: { upload: (uploaded - started) / 1000, check: (validated - uploaded) / 1000, apply: (done - validated) / 1000 },
      note: `${chunks} chunks of ${IMPORT_CHUNK_BYTES / 2 ** 20} MB, ${PARALLEL_UPLOADS} at a time, to next start`,
    };
  } finally {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    await drop();
  }
}

async function browserPathInProcess(file: string, size: number): Promise<Result> {
  const { handle, drop } = await freshDatabase();
  try {
    const admin = await makeAdmin(handle);
    const writer: DataWriter = { actor: { executiveId: admin.id, label: admin.name }, canImport: true };
    const chunks = Math.ceil(size / IMPORT_CHUNK_BYTES);
    const started = performance.now();
    const created = await createImport(handle.db, writer, { kind: 'customers', fileName: 'bench.csv', size, chunks });
    const fd = fs.openSync(file, 'r');
    for (let index = 0; index < chunks; index++) {
      const length = Math.min(IMPORT_CHUNK_BYTES, size - index * IMPORT_CHUNK_BYTES);
      const body = Buffer.alloc(length);
      fs.readSync(fd, body, 0, length, index * IMPORT_CHUNK_BYTES);
      await stageImportChunk(handle.db, writer, created.id, index, body);
    }
    fs.closeSync(fd);
    const uploaded = performance.now();
    await validateImport(handle.db, writer, created.id);
    const validated = performance.now();
    const applied = await applyImport(handle.db, writer, created.id);
    if (applied.result?.added !== ROWS) throw new Error(`applied ${JSON.stringify(applied.result)}`);
    const done = performance.now();
    return {
      path: 'browser import (in process)',
      seconds: (done - started) / 1000,
      phases: { stage: (uploaded - started) / 1000, check: (validated - uploaded) / 1000, apply: (done - validated) / 1000 },
      note: `no production build in ${distDir}: the route handlers' data-layer calls, without HTTP`,
    };
  } finally {
    await drop();
  }
}

async function cliPath(file: string): Promise<Result> {
  const { handle, drop } = await freshDatabase();
  try {
    const started = performance.now();
    const result = await importCsvFile(handle.db, 'customers', file, CLI_ACTOR);
    if (!result.ok || result.summary.added !== ROWS) throw new Error(JSON.stringify(result));
    return { path: 'CLI (importCsvFile)', seconds: seconds(started), note: 'one transaction: staged, checked and merged' };
  } finally {
    await drop();
  }
}

async function copyPath(file: string): Promise<Result> {
  const url = new URL(SERVER_URL);
  const args = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), url.pathname.slice(1) || 'postgres'];
  const started = performance.now();
  const out = execFileSync(
    'psql',
    [
      ...args,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `create temp table bench_customers (customer_id text, name text, segment text, acquired_on date, churned_on date,
         monthly_value numeric(14, 2), churn_reason text)`,
      '-c',
      `\\copy bench_customers from '${file.replace(/'/g, "''")}' with (format csv, header true)`,
    ],
    { encoding: 'utf8', env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } },
  );
  const copied = Number(/COPY (\d+)/.exec(out)?.[1]);
  if (copied !== ROWS) throw new Error(`COPY loaded ${copied} rows: ${out}`);
  return { path: 'PostgreSQL COPY (psql \\copy, temp table)', seconds: seconds(started), note: 'no validation, no upsert, no indexes' };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-bench-import-'));
  const file = path.join(dir, 'customers.csv');
  try {
    console.error(`Writing ${ROWS.toLocaleString('en')} customers to ${file}…`);
    await writeFile(file);
    const size = fs.statSync(file).size;
    console.error(`${(size / 2 ** 20).toFixed(1)} MB. Server: ${new URL(SERVER_URL).host}. ${os.cpus().length} CPUs.`);

    const hasBuild = fs.existsSync(path.join(root, distDir, 'BUILD_ID'));
    const results: Result[] = [];
    for (const run of [
      () => (hasBuild ? browserPathOverHttp(file, size) : browserPathInProcess(file, size)),
      () => cliPath(file),
      () => copyPath(file),
    ]) {
      const result = await run();
      console.error(`  ${result.path}: ${result.seconds.toFixed(1)} s`);
      results.push(result);
    }

    const copy = results[results.length - 1].seconds;
    const rate = (r: Result) => Math.round(ROWS / r.seconds).toLocaleString('en').padStart(10);
    console.log(`\nImport of ${ROWS.toLocaleString('en')} customers (${(size / 2 ** 20).toFixed(1)} MB CSV)\n`);
    console.log(`${'path'.padEnd(44)} ${'seconds'.padStart(8)} ${'rows/s'.padStart(10)} ${'× COPY'.padStart(7)}`);
    for (const r of results) {
      console.log(`${r.path.padEnd(44)} ${r.seconds.toFixed(1).padStart(8)} ${rate(r)} ${(r.seconds / copy).toFixed(1).padStart(7)}`);
      if (r.phases) {
        const phases = Object.entries(r.phases).map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(', ');
        console.log(`${''.padEnd(4)}${phases}`);
      }
      if (r.note) console.log(`${''.padEnd(4)}${r.note}`);
    }
    const outDir = path.join(root, 'bench/out');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'import.json'), `${JSON.stringify({ rows: ROWS, bytes: size, at: new Date().toISOString(), results }, null, 2)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
