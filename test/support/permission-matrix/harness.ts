import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, ne, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { executives, metricActions, metrics, type MetricKey, type Role } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { ForbiddenError } from '@/lib/auth/permissions';
import { createImport, stageImportChunk, validateImport, type DataWriter } from '@/lib/data/imports';
import { toExecutiveDto, type ExecutiveDto } from '@/lib/data/executives';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Every table, before and after a call

/** Kept out of the digest: failed sign-in and passcode attempts are written on purpose by refusals. */
const NOT_DIGESTED = new Set(['sign_in_attempts']);
/**
 * Columns kept out of the digest: a valid API token records its use when it authenticates, also
 * when what it then asks for is refused. (A table with such a column has no xmin check either.)
 */
const BOOKKEEPING_COLUMNS: Record<string, string[]> = { api_tokens: ['last_used_at'] };

export interface TableDigest {
  /** md5 of every row as text, in a fixed order: what the table holds. */
  content: string;
  /** The newest row version's transaction id: moves on any write, even one that rewrites a row unchanged. */
  xmin: string;
}

export type Digest = Record<string, TableDigest>;

let tableNames: string[] | null = null;

export async function digest(db: Db): Promise<Digest> {
  tableNames ??= (
    await queryRows<{ name: string }>(db, sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`)
  )
    .map((t) => t.name)
    .filter((name) => !NOT_DIGESTED.has(name));
  const query = tableNames
    .map((name) => {
      const skip = BOOKKEEPING_COLUMNS[name];
      const row = skip ? `(to_jsonb(t) - array[${skip.map((c) => `'${c}'`).join(', ')}])::text` : 't::text';
      const xmin = skip ? `'-'` : 'coalesce(max(t.xmin::text::bigint), 0)::text';
      return `select '${name}' as name, md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as content, ${xmin} as xmin from "${name}" t`;
    })
    .join(' union all ');
  const rows = await queryRows<{ name: string; content: string; xmin: string }>(db, sql.raw(query));
  return Object.fromEntries(rows.map((r) => [r.name, { content: r.content, xmin: r.xmin }]));
}

/** Tables whose rows differ (content), or that were written at all (xmin), between two digests. */
export function changedTables(before: Digest, after: Digest, what: keyof TableDigest): string[] {
  return Object.keys(after).filter((name) => before[name]?.[what] !== after[name][what]);
}

// ---------------------------------------------------------------------------------------------
// What the app exposes, found at run time

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : walk(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/** A module whose first statement is the 'use server' directive (comments and blank lines may come first). */
function isServerActionModule(source: string): boolean {
  const code = source.replace(/^(?:\s+|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '');
  return /^['"]use server['"]/.test(code);
}

/** `'use server'` written inside a function (an inline action in a page): not reachable by this test. */
export function inlineServerActions(): string[] {
  return walk(path.join(ROOT, 'app'))
    .filter((file) => {
      const source = fs.readFileSync(file, 'utf8');
      const directives = source.match(/['"]use server['"]/g)?.length ?? 0;
      return directives > (isServerActionModule(source) ? 1 : 0);
    })
    .map(relative);
}

/** Every exported function of every 'use server' module under app/, as `file#name`. */
export async function exportedServerActions(): Promise<Map<string, (...args: unknown[]) => unknown>> {
  const found = new Map<string, (...args: unknown[]) => unknown>();
  for (const file of walk(path.join(ROOT, 'app')).sort()) {
    if (!isServerActionModule(fs.readFileSync(file, 'utf8'))) continue;
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === 'function') found.set(`${relative(file)}#${name}`, value as (...args: unknown[]) => unknown);
    }
  }
  return found;
}

export const MUTATING_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type MutatingMethod = (typeof MUTATING_METHODS)[number];
export type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Every POST/PUT/PATCH/DELETE exported by a route handler under app/, as `METHOD file`. */
export async function mutatingRouteHandlers(): Promise<Map<string, RouteHandler>> {
  const found = new Map<string, RouteHandler>();
  for (const file of walk(path.join(ROOT, 'app')).sort()) {
    if (!/^route\.tsx?$/.test(path.basename(file))) continue;
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const method of MUTATING_METHODS) {
      if (typeof mod[method] === 'function') found.set(`${method} ${relative(file)}`, mod[method] as RouteHandler);
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Reading what a call did

export type Outcome =
  | { kind: 'done'; detail: string }
  | { kind: 'refused'; detail: string }
  /** Neither: an input the test built wrongly, or a failure. Always fails the cell. */
  | { kind: 'failed'; detail: string };

/** The messages actions answer a permission refusal with (not input or state problems). */
const REFUSAL_MESSAGE = /permission|only (?:an? )?(?:admins?|executives|the metric)|viewers cannot/i;

function redirectTarget(error: unknown): string | null {
  const digest = (error as { digest?: unknown } | null)?.digest;
  if (typeof digest !== 'string' || !digest.startsWith('NEXT_REDIRECT')) return null;
  return digest.split(';')[2] ?? '';
}

/**
 * What a server action's call came to: its returned state, or what it threw. `refusal` is the
 * message that means "refused" (public actions refuse a bad credential in their own words).
 */
export async function actionOutcome(call: () => Promise<unknown>, refusal: RegExp = REFUSAL_MESSAGE): Promise<Outcome> {
  let result: unknown;
  try {
    result = await call();
  } catch (error) {
    const target = redirectTarget(error);
    if (target === '/login') return { kind: 'refused', detail: 'redirected to /login' };
    if (target !== null) return { kind: 'done', detail: `redirected to ${target}` };
    if (error instanceof ForbiddenError) return { kind: 'refused', detail: `ForbiddenError: ${error.message}` };
    return { kind: 'failed', detail: `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` };
  }
  const state = (result ?? {}) as { status?: string; message?: string; fieldErrors?: Record<string, unknown> };
  const detail = JSON.stringify({ status: state.status, message: state.message, fieldErrors: state.fieldErrors });
  if (result === undefined || state.status === 'success') return { kind: 'done', detail };
  if (state.status === 'error' && !state.fieldErrors && refusal.test(state.message ?? '')) return { kind: 'refused', detail };
  return { kind: 'failed', detail };
}

/** What a route handler's answer came to. A streamed step counts as done only if its last event is a result. */
export async function routeOutcome(response: Response): Promise<{ status: number; outcome: Outcome }> {
  const body = await response.text();
  const detail = `${response.status} ${body.slice(0, 300)}`;
  if (!response.ok) return { status: response.status, outcome: { kind: 'refused', detail } };
  if (response.headers.get('content-type')?.startsWith('application/x-ndjson')) {
    const last = JSON.parse(body.trim().split('\n').at(-1) ?? '{}') as { type?: string };
    if (last.type !== 'result') return { status: response.status, outcome: { kind: 'failed', detail } };
  }
  return { status: response.status, outcome: { kind: 'done', detail } };
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** A form as the browser would post it (every value a string). */
export function form(fields: Record<string, string | number | null | undefined>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value != null) data.set(name, String(value));
  return data;
}

let counter = 0;
/** A number no other cell has had: state accumulates across cells, so names, emails and ids must not repeat. */
export const unique = () => ++counter;

// ---------------------------------------------------------------------------------------------
// The people and the things they own

export const DEMO_EMAILS = {
  admin: 'maya.okafor@brightwave.example',
  executive: 'daniel.reyes@brightwave.example',
  otherExecutive: 'priya.natarajan@brightwave.example',
  spareExecutive: 'tom.brennan@brightwave.example',
  viewer: 'jonas.weber@brightwave.example',
} as const;

export interface Cast {
  admin: ExecutiveDto;
  /** A second admin, so "an import someone else started" exists for admins too. */
  otherAdmin: ExecutiveDto;
  executive: ExecutiveDto;
  otherExecutive: ExecutiveDto;
  spareExecutive: ExecutiveDto;
  viewer: ExecutiveDto;
}

export async function person(db: Db, email: string): Promise<ExecutiveDto> {
  const [row] = await db.select().from(executives).where(eq(executives.email, email));
  if (!row) throw new Error(`No executive ${email}`);
  return toExecutiveDto(row);
}

/** A person made for one cell (added directly: making them is not what is being tested). */
export async function addPerson(db: Db, options: { role?: Role; active?: boolean } = {}): Promise<ExecutiveDto> {
  const n = unique();
  const [row] = await db
    .insert(executives)
    .values({
      name: `Matrix Person ${n}`,
      email: `matrix.person.${n}@example.test`,
      title: 'Fixture',
      powerCore: 'operations',
      role: options.role ?? 'viewer',
      isActive: options.active ?? true,
    })
    .returning();
  return toExecutiveDto(row);
}

/** A metric the person owns (own) or does not (other). */
export async function metricFor(db: Db, me: ExecutiveDto | null, side: 'own' | 'other'): Promise<MetricKey> {
  const mine = side === 'own';
  if (mine && !me) throw new Error('Nobody signed in owns a metric');
  const [row] = await db
    .select({ key: metrics.key })
    .from(metrics)
    .where(me ? (mine ? eq(metrics.ownerId, me.id) : ne(metrics.ownerId, me.id)) : undefined)
    .orderBy(metrics.key);
  if (!row) throw new Error(`No metric that ${me?.name ?? 'nobody'} ${mine ? 'owns' : 'does not own'}`);
  return row.key;
}

export async function metricOwner(db: Db, key: MetricKey): Promise<number> {
  const [row] = await db.select({ ownerId: metrics.ownerId }).from(metrics).where(eq(metrics.key, key));
  return row.ownerId!;
}

/** An open action on a metric, made for one cell. */
export async function addMetricAction(db: Db, key: MetricKey, period: string): Promise<number> {
  const ownerId = await metricOwner(db, key);
  const [row] = await db
    .insert(metricActions)
    .values({ metricKey: key, period, title: `Matrix action ${unique()}`, ownerId, status: 'open', createdById: ownerId })
    .returning({ id: metricActions.id });
  return row.id;
}

/** A copy of the template snapshot, made by `creatorId`, open for 30 days, for one cell. */
export async function addSnapshot(db: Db, templateId: number, creatorId: number): Promise<number> {
  const n = unique();
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`insert into snapshots (token_hash, title, note, period, payload, content_hash, created_by_id, expires_at)
        select ${`matrix-token-hash-${n}`}, ${`Matrix snapshot ${n}`}, note, period, payload, content_hash, ${creatorId},
               now() + interval '30 days'
        from snapshots where id = ${templateId}
        returning id`,
  );
  return row.id;
}

/** A browser import by `ownerId`, taken as far as `stage`: started, every chunk sent, or checked. */
export async function addImport(db: Db, owner: ExecutiveDto, stage: 'started' | 'sent' | 'checked'): Promise<string> {
  const writer: DataWriter = { actor: { executiveId: owner.id, label: owner.name }, canImport: true };
  const csv = importCsv();
  const created = await createImport(db, writer, { kind: 'customers', fileName: `matrix-${unique()}.csv`, size: csv.byteLength, chunks: 1 });
  if (stage === 'started') return created.id;
  await stageImportChunk(db, writer, created.id, 0, csv);
  if (stage === 'sent') return created.id;
  const checked = await validateImport(db, writer, created.id);
  if (checked.checkedRecords !== 1) throw new Error(`The fixture import did not check: ${JSON.stringify(checked.problems)}`);
  return created.id;
}

/** A one-customer CSV nobody has sent before. */
export function importCsv(): Uint8Array {
  return new TextEncoder().encode(`customer_id,acquired_on\nMATRIX-IMPORT-${unique()},2024-01-05\n`);
}

export async function anyCustomerId(db: Db): Promise<string> {
  const [row] = await queryRows<{ id: string }>(db, sql`select customer_id as id from customers order by customer_id limit 1`);
  return row.id;
}

export async function anyRecurringIssue(db: Db): Promise<{ issueKey: string; ownerId: number | null; fixedOn: string | null }> {
  const [row] = await queryRows<{ issueKey: string; ownerId: number | null; fixedOn: string | null }>(
    db,
    sql`select issue_key as "issueKey", owner_id as "ownerId", fixed_on::text as "fixedOn"
        from recurring_issues where owner_id is not null order by issue_key limit 1`,
  );
  return row;
}
