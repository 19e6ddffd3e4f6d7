import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scorecard } from '@/lib/metrics/types';
import { DATABASE_TARGETS } from '../support/databases';

/**
 * The operator CLI end to end, as an operator runs it: a fresh database, SPEC-format CSVs
 * (test/fixtures/cli: CRLF, a BOM, quoted commas and newlines), then the scorecard JSON,
 * compared with figures worked out by hand below.
 */
const root = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(root, 'test/fixtures/cli');
const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

describe.each(DATABASE_TARGETS)('the operator CLI on %s', (target) => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, BCRYPT_COST: '4', DATABASE_URL: '', POSTGRES_URL: '' };
  let databaseName: string | null = null;

  async function cli(...args: string[]): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', ...args], {
        cwd: root,
        env,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  async function scorecard(period: string): Promise<Scorecard> {
    const result = await cli('scorecard', '--period', period);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout);
  }

  async function exportAll(): Promise<string> {
    const parts = [];
    for (const kind of ['customers', 'responses', 'spot-fixes']) {
      const result = await cli('export', kind);
      expect(result.code).toBe(0);
      parts.push(result.stdout);
    }
    return parts.join('\n--\n');
  }

  beforeAll(async () => {
    if (target === 'pglite') {
      env.PGLITE_DIR = path.join(workDir, 'pglite');
    } else {
      databaseName = `cx_cli_${randomBytes(6).toString('hex')}`;
      await adminQuery(`create database ${databaseName}`);
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${databaseName}`;
      env.DATABASE_URL = url.toString();
    }
  });

  afterAll(async () => {
    fs.rmSync(workDir, { recursive: true, force: true });
    if (databaseName) await adminQuery(`drop database if exists ${databaseName} with (force)`);
  });

  it('imports the three kinds into a fresh database, and again without duplicating anything', async () => {
    for (const kind of ['customers', 'responses', 'spot-fixes']) {
      const first = await cli('import', kind, path.join(fixtures, `${kind}.csv`));
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toMatch(/added/);
    }
    const again = await cli('import', 'customers', path.join(fixtures, 'customers.csv'));
    expect(again.stderr).toContain('Imported 8 customers');
    expect(again.stderr).toContain('0 added, 0 changed, 8 unchanged');
  });

  it('prints March 2025 as worked out by hand', async () => {
    const march = await scorecard('2025-03');
    expect(march.period).toEqual({ label: '2025-03', start: '2025-03-01', end: '2025-03-31', complete: true });
    // S: a1, a3, a8 (a2 churns on the first day; a4 arrives on it). On the 31st a3 has churned.
    expect(march.retention).toMatchObject({ start: 3, retained: 2, value: 2 / 3, status: 'off_track', owner: null });
    // Gained a4 and a5 (acquired and churned on the 10th); lost a2 (1st), a5 (10th), a3 (31st).
    expect(march.retention).toMatchObject({ gained: 2, valueGained: '450.45', lost: 3, valueLost: '550.55' });
    expect(march.retention.topReasons).toEqual([
      { reason: 'Price', count: 2, valueLost: '250.25' },
      { reason: 'Poor\r\nsupport', count: 1, valueLost: '300.30' },
    ]);
    // Scores 0, 6 | 7, 8 | 9, 10.
    expect(march.recommendation).toMatchObject({
      responses: 6,
      promoters: 2,
      passives: 2,
      detractors: 2,
      value: 1 / 3,
      nps: 0,
      status: 'off_track',
    });
    // f2 repeats December's "Late delivery"; f3 and f4 share the first day of "router fault"; f5 repeats it.
    expect(march.spotFixCost).toMatchObject({
      value: '1244.77',
      count: 4,
      repeatCost: '0.21',
      target: '40000.00',
      status: 'on_track',
      byCategory: {
        meeting: '0.00',
        free_offering: '10.00',
        discount: '0.20',
        staff_time: '1234.56',
        pr_recovery: '0.01',
        other: '0.00',
      },
    });
    expect(march.spotFixCost.repeatShare).toBeCloseTo(0.21 / 1244.77, 12);
  });

  it('prints 2025-Q1 and 2025 as worked out by hand', async () => {
    const q1 = await scorecard('2025-Q1');
    // The quarter's own targets: derived from the month's 95 % / 90 % (compounded for retention).
    expect(q1.period).toEqual({ label: '2025-Q1', start: '2025-01-01', end: '2025-03-31', complete: true });
    expect(q1.retention.target).toBeCloseTo(0.95 ** 3, 12);
    expect(q1.retention.atRiskThreshold).toBeCloseTo(0.9 ** 3, 12);
    expect(q1.retention).toMatchObject({ targetDerived: true });
    // S: a1, a2, a3, a8 (a6 churns on 1 January; a7 arrives and leaves that day). Retained: a1, a8.
    expect(q1.retention).toMatchObject({ start: 4, retained: 2, value: 0.5, gained: 3, valueGained: '520.52' });
    expect(q1.retention).toMatchObject({ lost: 5, valueLost: '680.68' });
    expect(q1.recommendation).toMatchObject({ responses: 7, promoters: 3, passives: 2, detractors: 2, nps: 100 / 7 });
    // The first response (r7, 28 January) makes January 2025 the recommendation's data since: Q1 has a verdict.
    expect(q1.recommendation.dataSince).toBe('2025-01-01');
    expect(q1.recommendation.value).toBe(3 / 7);
    expect(q1.spotFixCost).toMatchObject({ value: '1344.76', count: 5, repeatCost: '0.21', target: '120000.00' });

    const year = await scorecard('2025');
    // a8 churns on 31 December, so only a1 is still there at the end of the year.
    expect(year.retention).toMatchObject({ start: 4, retained: 1, value: 0.25, lost: 6, valueLost: '760.76' });
    expect(year.recommendation).toMatchObject({ responses: 8, promoters: 4, value: 0.5, nps: 25 });
    expect(year.spotFixCost).toMatchObject({ value: '1344.76', target: '480000.00' });
  });

  it('prints a month with no responses and no spot fixes as undefined and zero, never NaN', async () => {
    const april = await scorecard('2025-04');
    expect(april.recommendation).toMatchObject({ value: null, nps: null, responses: 0, status: 'no_data' });
    expect(april.spotFixCost).toMatchObject({ value: '0.00', count: 0, repeatCost: '0.00', repeatShare: null });
  });

  it('rejects a file with one bad row deep inside, naming the row, and changes nothing', async () => {
    const before = await exportAll();
    const lines = ['customer_id,name,segment,acquired_on,churned_on,monthly_value,churn_reason'];
    for (let i = 1; i <= 2000; i++) {
      const acquired = i === 1499 ? '2025-02-30' : '2024-05-01';
      lines.push(`bulk-${i},Customer ${i},SMB,${acquired},,10.00,`);
    }
    const file = path.join(workDir, 'bad-customers.csv');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);

    const result = await cli('import', 'customers', file);
    expect(result.code).toBe(1);
    // bulk-1499 is on line 1500: the header is row 1.
    expect(result.stderr).toContain('row 1500, column acquired_on: "2025-02-30" is not a date (YYYY-MM-DD)');
    expect(result.stderr).toContain('nothing was changed');
    expect(await exportAll()).toBe(before);
  });

  it('exports the same format back, so export → import → export is byte-identical', async () => {
    const exported = path.join(workDir, 'customers-export.csv');
    expect((await cli('export', 'customers', exported)).code).toBe(0);
    const reimport = await cli('import', 'customers', exported);
    expect(reimport.stderr).toContain('0 added, 0 changed, 8 unchanged');
    const again = await cli('export', 'customers');
    expect(again.stdout).toBe(fs.readFileSync(exported, 'utf8'));
  });

  it('adds the first admin, who becomes the owner of every metric', async () => {
    const added = await cli('add-admin', '--email', 'Ops@Example.com', '--name', 'Olu Ops', '--title', 'COO', '--power-core', 'operations');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toMatch(/Password \(shown once\): \S{16}/);
    const march = await scorecard('2025-03');
    for (const metric of [march.retention, march.recommendation, march.spotFixCost]) {
      expect(metric.owner).toEqual({ name: 'Olu Ops', email: 'ops@example.com', title: 'COO', powerCore: 'operations' });
    }
  });

  it('rebuilds the scorecard\'s summary tables from the raw tables, to the same scorecard', async () => {
    const before = await scorecard('2025-Q1');
    const result = await cli('rebuild-rollups');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Rebuilt the rollups: rollup_customer_days \d+ rows, .*rollup_issue_first_fixes \d+ rows\./);
    expect(await scorecard('2025-Q1')).toEqual(before);
  });

  it('explains a bad command, kind or period on stderr with a non-zero exit', async () => {
    expect((await cli('import', 'invoices', 'x.csv')).stderr).toContain('Name a kind of record');
    const badPeriod = await cli('scorecard', '--period', '2025-13');
    expect(badPeriod.code).not.toBe(0);
    expect(badPeriod.stderr).toContain('"2025-13" is not a period');
    expect((await cli('frobnicate')).code).toBe(2);
  });
});
