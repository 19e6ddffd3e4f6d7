import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, dbConfigFromEnv, type DbHandle } from '@/lib/db';
import { migrateDb } from '@/lib/db/migrate';
import { applyRecords } from '@/lib/data/records';
import { importCsv } from '@/lib/data/import-csv';
import { checkCsv } from '@/lib/csv/records';
import { CLI_ACTOR } from '@/lib/data/audit';
import { getScorecard } from '@/lib/data/scorecard';
import { parsePeriod } from '@/lib/metrics/period';
import { validateRecord } from '@/lib/validation/records';

/**
 * The Vercel path: POSTGRES_URL selects @vercel/postgres, whose pool speaks WebSocket to Neon's
 * proxy. Here a small WebSocket→TCP relay on loopback stands in for that proxy, in front of the
 * local PostgreSQL server, so the driver, migrations, writes and the scorecard run for real.
 */
const serverUrl = process.env.DATABASE_URL;

async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Configures the copy of @neondatabase/serverless that @vercel/postgres itself imports. */
async function pointNeonAt(relayPort: number) {
  const requireFromVercel = createRequire(import.meta.resolve('@vercel/postgres'));
  const neonCjs = requireFromVercel.resolve('@neondatabase/serverless');
  const neon = await import(pathToFileURL(path.join(path.dirname(neonCjs), 'index.mjs')).href);
  neon.neonConfig.wsProxy = (host: string, port: number) => `127.0.0.1:${relayPort}/v2?address=${host}:${port}`;
  neon.neonConfig.useSecureWebSocket = false;
  neon.neonConfig.pipelineTLS = false;
  neon.neonConfig.pipelineConnect = false;
}

describe.skipIf(!serverUrl)('the Vercel Postgres driver', () => {
  const databaseName = `cx_vercel_${randomBytes(6).toString('hex')}`;
  let relay: WebSocketServer;
  let handle: DbHandle;
  let relayedConnections = 0;

  beforeAll(async () => {
    await adminQuery(`create database ${databaseName}`);
    const target = new URL(serverUrl!);
    relay = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    relay.on('connection', (socket) => {
      relayedConnections++;
      const tcp = net.connect(Number(target.port || 5432), target.hostname);
      socket.on('message', (data) => tcp.write(data as Buffer));
      tcp.on('data', (data) => socket.send(data));
      socket.on('close', () => tcp.end());
      tcp.on('close', () => socket.close());
      tcp.on('error', () => socket.close());
    });
    await new Promise((resolve) => relay.once('listening', resolve));
    await pointNeonAt((relay.address() as net.AddressInfo).port);

    const config = dbConfigFromEnv({ POSTGRES_URL: `postgresql://postgres@localhost:5432/${databaseName}` });
    expect(config.driver).toBe('vercel-postgres');
    handle = await createDb(config);
  });

  afterAll(async () => {
    await handle?.close();
    relay?.close();
    await adminQuery(`drop database if exists ${databaseName} with (force)`);
  });

  it('migrates, writes in a transaction and computes the scorecard through the WebSocket pool', async () => {
    await migrateDb(handle);
    const customer = validateRecord('customers', { customer_id: 'v1', acquired_on: '2025-01-15', monthly_value: '9.99' });
    if (!customer.ok) throw new Error('invalid fixture');
    const summary = await applyRecords(handle.db, 'customers', [[customer.record]], CLI_ACTOR);
    expect(summary).toMatchObject({ added: 1 });
    const scorecard = await getScorecard(handle.db, parsePeriod('2025-03'));
    expect(scorecard.retention).toMatchObject({ start: 1, retained: 1, value: 1 });
    expect(relayedConnections).toBeGreaterThan(0);
  });

  it('imports a CSV by batched inserts: every problem listed and nothing written, or every row written', async () => {
    const bad = 'response_id,responded_on,score\nw1,2025-01-02,7\nw1,2025-02-30,11\nw2,2025-01-03,5\n';
    const reference = await checkCsv('responses', bad);
    expect(reference.problems).toHaveLength(3);
    expect(await importCsv(handle.db, 'responses', () => bad, CLI_ACTOR)).toEqual({ ok: false, problems: reference.problems, moreProblems: 0 });
    const good = 'response_id,responded_on,score\nw1,2025-01-02,7\nw2,2025-01-03,5\n';
    expect(await importCsv(handle.db, 'responses', () => good, CLI_ACTOR)).toMatchObject({ ok: true, summary: { added: 2 } });
  });
});
