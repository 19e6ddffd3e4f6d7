import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Scorecard } from '@/lib/metrics/types';
import { DEMO, launchBrowser, newContext } from './browser';
import { mainText, shot, signInWithPassword, stamp } from './import-helpers';

/**
 * The JSON API's contract, against the production build: every endpoint with good input, each
 * kind of bad input and missing, forged and revoked tokens; after every refusal, nothing written.
 * Records are dated in 2019 (customers also churned then), outside the periods other tests check.
 */
const baseUrl = inject('baseUrl');
const screenshotDir = inject('screenshotDir');
const expected = inject('expectedScorecards').latest as Scorecard;
const run = stamp();
const id = (name: string) => `E2E-API-${run}-${name}`;

let token = '';
let revokedToken = '';
const auth = (value = token) => ({ Authorization: `Bearer ${value}` });

/**
 * fetch, with one more try for a GET whose kept-alive connection the server closed just as it was
 * reused (ECONNRESET under load): a transport race, not an answer from the app.
 */
async function fetchOnce(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const reset = (error as { cause?: { code?: string } }).cause?.code === 'ECONNRESET';
    if (!reset || (init.method ?? 'GET') !== 'GET') throw error;
    return fetch(url, init);
  }
}

async function call(method: string, path: string, init: { body?: unknown; raw?: BodyInit; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  let body: BodyInit | undefined = init.raw;
  if (init.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = JSON.stringify(init.body);
  }
  const response = await fetchOnce(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // CSV and other non-JSON answers
  }
  return { status: response.status, headers: response.headers, text, json: json as Record<string, unknown> & { error?: string; problems?: Problem[] } };
}

interface Problem {
  index: number | null;
  field: string | null;
  message: string;
}

/** Every id these tests ever tried to write in a refused request. */
const refusedIds: string[] = [];
const refused = (name: string) => {
  refusedIds.push(id(name));
  return id(name);
};

function expectError(result: Awaited<ReturnType<typeof call>>, status: number) {
  expect(result.status, result.text).toBe(status);
  expect(result.headers.get('content-type')).toMatch(/^application\/json/);
  expect(typeof result.json.error).toBe('string');
  expect(Array.isArray(result.json.problems)).toBe(true);
}

const customer = (name: string, extra: Record<string, unknown> = {}) => ({
  customer_id: name,
  name: `API customer ${name}`,
  segment: 'SMB',
  acquired_on: '2019-03-02',
  churned_on: '2019-03-20',
  monthly_value: '42.50',
  churn_reason: 'Moved away',
  ...extra,
});

describe('the JSON API', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signInWithPassword(page, baseUrl, DEMO.admin);

    // Tokens are made and revoked where an admin would: on the API tokens page.
    const create = async (name: string) => {
      await page.goto(`${baseUrl}/admin/tokens`);
      await page.getByLabel('Name').fill(name);
      await page.getByRole('button', { name: 'Create token' }).click();
      const value = page.getByTestId('new-token-value');
      await value.waitFor({ timeout: 30_000 });
      return (await value.textContent())!.trim();
    };
    token = await create(`E2E contract ${run}`);
    await shot(page, screenshotDir, 'api-token-created');
    revokedToken = await create(`E2E revoked ${run}`);
    await page.goto(`${baseUrl}/admin/tokens`);
    await page.locator(`tr[data-token="E2E revoked ${run}"]`).getByRole('button', { name: /^Revoke/ }).click();
    await page.locator(`tr[data-token="E2E revoked ${run}"]`).getByText('Revoked', { exact: true }).waitFor({ timeout: 30_000 });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('issues tokens shown once, listed with their last use, revocable', async () => {
    expect(token).toMatch(/^cxs_[A-Za-z0-9_-]{43}$/);
    await call('GET', '/api/v1/scorecard', { headers: auth() });
    await page.goto(`${baseUrl}/admin/tokens`);
    const row = page.locator(`tr[data-token="E2E contract ${run}"]`);
    const text = await row.innerText();
    expect(text).not.toContain('Never');
    expect(await mainText(page)).not.toContain(token);
    await shot(page, screenshotDir, 'api-tokens');
  });

  it('answers 401 with a JSON error for a missing, malformed, forged or revoked token', async () => {
    const forged = `cxs_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;
    const attempts: Array<Record<string, string>> = [
      {},
      { Authorization: 'Bearer' },
      { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      { Authorization: `Bearer ${token.slice(0, -2)}` },
      auth(forged),
      auth(revokedToken),
    ];
    for (const headers of attempts) {
      const read = await call('GET', '/api/v1/scorecard', { headers });
      expectError(read, 401);
      expect(read.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const write = await call('POST', '/api/v1/customers', { headers, body: [customer(refused(`unauth-${refusedIds.length}`))] });
      expectError(write, 401);
      expectError(await call('GET', '/api/v1/export/customers', { headers }), 401);
    }
  });

  it('GET /api/v1/scorecard returns the same JSON as the CLI, and 400 for a bad period', async () => {
    const result = await call('GET', `/api/v1/scorecard?period=${expected.period.label}`, { headers: auth() });
    expect(result.status).toBe(200);
    expect(result.json).toEqual(expected);
    const latest = await call('GET', '/api/v1/scorecard', { headers: auth() });
    expect(latest.json).toEqual(expected);
    for (const period of ['2025-13', 'March', '2025-Q5', '']) {
      const bad = await call('GET', `/api/v1/scorecard?period=${encodeURIComponent(period)}`, { headers: auth() });
      expectError(bad, 400);
      expect(bad.json.problems![0]).toMatchObject({ field: 'period' });
    }
  });

  it('POST /api/v1/customers adds, then leaves unchanged, then changes records, idempotent by id', async () => {
    const records = [customer(id('c1')), customer(id('c2'), { monthly_value: 10, churn_reason: null, name: '' })];
    const first = await call('POST', '/api/v1/customers', { headers: auth(), body: records });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ kind: 'customers', rows: 2, added: 2, changed: 0, unchanged: 0 });
    const again = await call('POST', '/api/v1/customers', { headers: auth(), body: records });
    expect(again.json).toMatchObject({ added: 0, changed: 0, unchanged: 2 });
    const changed = await call('POST', '/api/v1/customers', { headers: auth(), body: [customer(id('c1'), { monthly_value: '43.00' })] });
    expect(changed.json).toMatchObject({ added: 0, changed: 1, unchanged: 0 });
  });

  it('POST /api/v1/responses and /api/v1/spot-fixes accept their records', async () => {
    const responses = await call('POST', '/api/v1/responses', {
      headers: auth(),
      body: [
        { response_id: id('r1'), customer_id: id('c1'), responded_on: '2019-03-05', score: 10, touchpoint: 'Support call', comment: 'Great "help", thanks' },
        { response_id: id('r2'), customer_id: id('c2'), responded_on: '2019-03-06', score: '3' },
      ],
    });
    expect(responses.status, responses.text).toBe(200);
    expect(responses.json).toMatchObject({ kind: 'responses', added: 2 });
    const fixes = await call('POST', '/api/v1/spot-fixes', {
      headers: auth(),
      body: [
        { spot_fix_id: id('s1'), occurred_on: '2019-03-07', issue: `API issue ${run}`, category: 'discount', cost: 99.9, customer_id: id('c1') },
        { spot_fix_id: id('s2'), occurred_on: '2019-03-08', issue: `api  ISSUE ${run} `, category: 'Staff_Time', cost: '120', customer_id: id('c2'), journey_stage: 'Billing', note: null },
      ],
    });
    expect(fixes.status, fixes.text).toBe(200);
    expect(fixes.json).toMatchObject({ kind: 'spot-fixes', added: 2 });
  });

  it('refuses malformed JSON, a body that is not an array, and a body that is not JSON', async () => {
    for (const path of ['/api/v1/customers', '/api/v1/responses', '/api/v1/spot-fixes']) {
      expectError(await call('POST', path, { headers: { ...auth(), 'Content-Type': 'application/json' }, raw: `[{"customer_id": "${refused('malformed')}",` }), 400);
      expectError(await call('POST', path, { headers: { ...auth(), 'Content-Type': 'application/json' }, raw: '' }), 400);
      expectError(await call('POST', path, { headers: auth(), body: { customer_id: refused('object') } }), 400);
      expectError(await call('POST', path, { headers: auth(), body: 'hello' }), 400);
      expectError(await call('POST', path, { headers: { ...auth(), 'Content-Type': 'text/csv' }, raw: 'customer_id\nX' }), 415);
      expectError(await call('POST', path, { headers: { ...auth(), 'Content-Type': 'application/json' }, raw: new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]) }), 400);
    }
  });

  it('refuses wrong types and out-of-range values, naming the index and field of each, all or nothing', async () => {
    const wrongTypes = await call('POST', '/api/v1/customers', {
      headers: auth(),
      body: [customer(refused('ok-beside-bad')), { customer_id: 12, acquired_on: 20190302, monthly_value: true, name: ['x'] }, null],
    });
    expectError(wrongTypes, 400);
    const fields = wrongTypes.json.problems!.map((p) => `${p.index}:${p.field}`);
    expect(fields).toEqual(expect.arrayContaining(['1:customer_id', '1:acquired_on', '1:monthly_value', '1:name', '2:null']));
    expect(fields.some((f) => f.startsWith('0:'))).toBe(false);

    const outOfRange = await call('POST', '/api/v1/responses', {
      headers: auth(),
      body: [
        { response_id: refused('r-11'), customer_id: 'C', responded_on: '2019-03-05', score: 11 },
        { response_id: refused('r-neg'), customer_id: 'C', responded_on: '2019-02-29', score: -1 },
        { response_id: refused('r-frac'), customer_id: 'C', responded_on: '2019-03-05', score: 7.5, mood: 'happy' },
      ],
    });
    expectError(outOfRange, 400);
    expect(outOfRange.json.problems).toEqual(
      expect.arrayContaining([
        { index: 0, field: 'score', message: '"11" is not a whole number from 0 to 10' },
        expect.objectContaining({ index: 1, field: 'responded_on' }),
        expect.objectContaining({ index: 1, field: 'score' }),
        expect.objectContaining({ index: 2, field: 'score' }),
        expect.objectContaining({ index: 2, field: 'mood' }),
      ]),
    );

    const money = await call('POST', '/api/v1/spot-fixes', {
      headers: auth(),
      body: [
        { spot_fix_id: refused('s-neg'), occurred_on: '2019-03-07', issue: 'X', category: 'meeting', cost: -1, customer_id: 'C' },
        { spot_fix_id: refused('s-3dp'), occurred_on: '2019-03-07', issue: 'X', category: 'meeting', cost: '1.005', customer_id: 'C' },
        { spot_fix_id: refused('s-huge'), occurred_on: '2019-03-07', issue: 'X', category: 'meeting', cost: 1e21, customer_id: 'C' },
        { spot_fix_id: refused('s-cat'), occurred_on: '2019-03-07', issue: 'X', category: 'bribe', cost: '1', customer_id: 'C' },
        { spot_fix_id: refused('s-nul'), occurred_on: '2019-03-07', issue: 'X', category: 'meeting', cost: '1', customer_id: 'C\u0000' },
      ],
    });
    expectError(money, 400);
    expect(money.json.problems!.map((p) => `${p.index}:${p.field}`)).toEqual(['0:cost', '1:cost', '2:cost', '3:category', '4:customer_id']);

    const churn = await call('POST', '/api/v1/customers', {
      headers: auth(),
      body: [customer(refused('churn-early'), { acquired_on: '2019-03-10', churned_on: '2019-03-09' })],
    });
    expectError(churn, 400);
    expect(churn.json.problems).toEqual([{ index: 0, field: 'churned_on', message: 'must not be before acquired_on' }]);
  });

  it('refuses duplicate ids in one request, naming both indexes', async () => {
    const dup = refused('dup');
    const result = await call('POST', '/api/v1/customers', { headers: auth(), body: [customer(dup), customer(refused('dup-other')), customer(dup)] });
    expectError(result, 400);
    expect(result.json.problems).toEqual([{ index: 2, field: 'customer_id', message: `"${dup}" is already at index 0` }]);
  });

  it('answers 413 for a body over the limit (announced or not) and for too many records', async () => {
    const big = JSON.stringify([customer(refused('big'), { name: 'x'.repeat(1000) })]).padEnd(5 * 1024 * 1024, ' ');
    expectError(await call('POST', '/api/v1/customers', { headers: { ...auth(), 'Content-Type': 'application/json' }, raw: big }), 413);
    // Streamed without a Content-Length: the limit holds on the bytes actually read.
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 6; i++) controller.enqueue(encoder.encode(' '.repeat(1024 * 1024)));
        controller.close();
      },
    });
    const response = await fetch(`${baseUrl}/api/v1/customers`, {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    const many = Array.from({ length: 10_001 }, (_, i) => ({ customer_id: `${id('many')}-${i}`, acquired_on: '2019-03-01' }));
    expectError(await call('POST', '/api/v1/customers', { headers: auth(), body: many }), 413);
  });

  it('keeps writes to admins: a viewer’s or executive’s session is refused, reads are fine; cross-site session writes are refused', async () => {
    for (const email of [DEMO.viewer, DEMO.executive]) {
      const other = await newContext(browser);
      const otherPage = await other.newPage();
      await signInWithPassword(otherPage, baseUrl, email);
      const read = await other.request.get(`${baseUrl}/api/v1/scorecard?period=${expected.period.label}`);
      expect(read.status()).toBe(200);
      const write = await other.request.post(`${baseUrl}/api/v1/customers`, { data: [customer(refused(`session-${email}`))] });
      expect(write.status()).toBe(403);
      expect((await write.json()).error).toMatch(/admin/);
      expect((await other.request.get(`${baseUrl}/api/v1/export/customers`)).status()).toBe(403);
      await other.close();
    }
    const admin = await context.request.post(`${baseUrl}/api/v1/customers`, {
      data: [customer(refused('cross-site'))],
      headers: { Origin: 'https://evil.example' },
    });
    expect(admin.status()).toBe(403);
    const sameSite = await context.request.post(`${baseUrl}/api/v1/customers`, { data: [customer(id('session-admin'))], headers: { Origin: baseUrl } });
    expect(sameSite.status()).toBe(200);
  });

  it('exports every kind as CSV in the import format, and nothing from a refused request was written', async () => {
    const customers = await call('GET', '/api/v1/export/customers', { headers: auth() });
    expect(customers.status).toBe(200);
    expect(customers.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(customers.headers.get('content-disposition')).toMatch(/attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(customers.text.split('\n')[0]).toBe('customer_id,name,segment,acquired_on,churned_on,monthly_value,churn_reason');
    expect(customers.text).toContain(`${id('c1')},API customer ${id('c1')},SMB,2019-03-02,2019-03-20,43.00,Moved away\n`);
    expect(customers.text).toContain(`${id('c2')},,SMB,2019-03-02,2019-03-20,10.00,\n`);
    const responses = await call('GET', '/api/v1/export/responses', { headers: auth() });
    expect(responses.text).toContain(`${id('r1')},${id('c1')},2019-03-05,10,Support call,"Great ""help"", thanks"\n`);
    const fixes = await call('GET', '/api/v1/export/spot-fixes', { headers: auth() });
    expect(fixes.text).toContain(`${id('s2')},2019-03-08,api  ISSUE ${run} ,staff_time,120.00,${id('c2')},Billing,\n`);
    expectError(await call('GET', '/api/v1/export/everything', { headers: auth() }), 404);

    const everything = customers.text + responses.text + fixes.text;
    const written = refusedIds.filter((refusedId) => everything.includes(refusedId));
    expect(written).toEqual([]);
    expect(everything).not.toContain(id('many'));
  });

  it('takes a chunked CSV import with a token: chunks, check, apply, and refuses what does not fit', async () => {
    const csv = `customer_id,acquired_on,churned_on\n${id('chunked-1')},2019-04-01,2019-04-02\n${id('chunked-2')},2019-04-01,2019-04-03\n`;
    const bytes = new TextEncoder().encode(csv);
    const created = await call('POST', '/api/v1/imports', { headers: auth(), body: { kind: 'customers', fileName: 'api.csv', size: bytes.length, chunks: 2 } });
    expect(created.status, created.text).toBe(201);
    const importId = created.json.id as string;
    expectError(await call('POST', '/api/v1/imports', { headers: auth(), body: { kind: 'invoices', size: 10, chunks: 1 } }), 400);
    expectError(await call('POST', `/api/v1/imports/${importId}/validate`, { headers: auth() }), 409);

    const put = (index: number, body: Uint8Array) =>
      call('PUT', `/api/v1/imports/${importId}/chunks/${index}`, { headers: { ...auth(), 'Content-Type': 'application/octet-stream' }, raw: Buffer.from(body) });
    expect((await put(1, bytes.subarray(30))).status).toBe(200);
    expect((await put(0, bytes.subarray(0, 30))).status).toBe(200);
    expect((await put(0, bytes.subarray(0, 30))).json).toMatchObject({ received: 2, chunks: 2 });
    expectError(await put(2, bytes), 400);
    expectError(await put(0, new Uint8Array(4 * 1024 * 1024)), 413);
    expectError(await call('PUT', `/api/v1/imports/imp_${'x'.repeat(22)}/chunks/0`, { headers: auth(), raw: bytes }), 404);
    expectError(await call('GET', `/api/v1/imports/${importId}`), 401);

    const step = async (name: string) => {
      const response = await fetch(`${baseUrl}/api/v1/imports/${importId}/${name}`, { method: 'POST', headers: auth() });
      expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line));
      return lines[lines.length - 1];
    };
    expect(await step('validate')).toMatchObject({ type: 'result', import: { state: 'staging', checkedRecords: 2 } });
    expect(await step('apply')).toMatchObject({ type: 'result', import: { state: 'applied', result: { added: 2 } } });
    expect(await step('apply')).toMatchObject({ type: 'result', import: { state: 'applied', result: { added: 2 } } });
    expectError(await call('DELETE', `/api/v1/imports/${importId}`, { headers: auth() }), 409);
  });

  it('publishes an OpenAPI 3.1 document describing every endpoint', async () => {
    const doc = await call('GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths as object)).toEqual(
      expect.arrayContaining([
        '/api/v1/scorecard',
        '/api/v1/customers',
        '/api/v1/responses',
        '/api/v1/spot-fixes',
        '/api/v1/export/{kind}',
        '/api/v1/imports',
        '/api/v1/imports/{id}',
        '/api/v1/imports/{id}/chunks/{index}',
        '/api/v1/imports/{id}/validate',
        '/api/v1/imports/{id}/apply',
        '/api/v1/imports/{id}/problems',
      ]),
    );
  });

  it('records API writes in the audit log under the token’s name', async () => {
    await page.goto(`${baseUrl}/admin/audit`);
    expect(await mainText(page)).toContain(`API token "E2E contract ${run}"`);
  });
});
