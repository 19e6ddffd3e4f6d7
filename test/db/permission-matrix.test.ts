import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * SPEC's "People and permissions" table, walked as a forged request would walk it: every server
 * action and every mutating route handler, called directly (an action with a FormData we build,
 * a route with a Request), by every role, on a resource the caller owns and one they do not.
 * A forbidden call must be refused and write nothing at all (every table's digest unchanged);
 * an allowed call must write (its digest changes), which proves the inputs are valid and so
 * that the refusals come from the permission checks. A new action or route fails the
 * registration tests until it has a row here.
 */

vi.hoisted(() => {
  process.env.BCRYPT_COST = '4';
});
vi.mock('@/lib/auth/session', () => import('../support/permission-matrix/mock-session'));
vi.mock('@/auth', () => import('../support/permission-matrix/mock-auth'));
vi.mock('next/cache', () => import('../support/permission-matrix/mock-next'));
vi.mock('next/headers', () => import('../support/permission-matrix/mock-next'));
vi.mock('@/lib/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/db')>()),
  ...(await import('../support/permission-matrix/mock-db')),
}));

import type { Db } from '@/lib/db';
import { metrics, outboxMessages, type MetricKey } from '@/lib/db/schema';
import { createBoardMeeting } from '@/lib/data/board-meetings';
import { boardMeetingFormSchema } from '@/lib/validation/board-meetings';
import { seedDemo } from '@/lib/db/seed/demo';
import { createApiToken, revokeApiToken } from '@/lib/data/api-tokens';
import { getCommentary } from '@/lib/data/commentary';
import { applyImport, cancelImport, createImport, ingestRecords, stageImportChunk, validateImport, type DataWriter } from '@/lib/data/imports';
import { reassignMetricOwner, updateDataSince, updateMetricTargets } from '@/lib/data/metric-settings';
import { createPerson, deactivatePerson, issuePasswordLink, reactivatePerson, updatePerson } from '@/lib/data/people';
import { createSnapshot } from '@/lib/data/snapshots';
import type { ExecutiveDto } from '@/lib/data/executives';
import { latestCompleteMonth } from '@/lib/metrics/period';
import { openTestDatabase, type TestDatabase } from '../support/databases';
import {
  actionOutcome,
  addImport,
  addMetricAction,
  addPerson,
  addSnapshot,
  anyCustomerId,
  anyRecurringIssue,
  changedTables,
  DEMO_EMAILS,
  digest,
  exportedServerActions,
  form,
  importCsv,
  inlineServerActions,
  metricFor,
  metricOwner,
  mutatingRouteHandlers,
  person,
  routeOutcome,
  unique,
  type Cast,
  type Outcome,
  type RouteHandler,
} from '../support/permission-matrix/harness';
import { matrixState } from '../support/permission-matrix/state';

// ---------------------------------------------------------------------------------------------
// Who calls, on what

type Side = 'own' | 'other';
type Role = 'admin' | 'executive' | 'viewer';

/** Server-action cells: a role, and where ownership matters whether the resource is theirs. */
type ActionCell = Role | 'signed-out' | `${Role} ${Side}`;

const ACTION_CELLS = {
  /** Ownership does not matter. */
  none: ['admin', 'executive', 'viewer', 'signed-out'],
  /** Commentary and actions: the metric's owner vs anyone else. (A viewer can never own a metric.) */
  metric: ['admin own', 'admin other', 'executive own', 'executive other', 'viewer other', 'signed-out'],
  /** Snapshots: the creator vs anyone else. A viewer "owns" one made before they were made a viewer. */
  snapshot: ['admin own', 'admin other', 'executive own', 'executive other', 'viewer own', 'viewer other', 'signed-out'],
} as const satisfies Record<string, readonly ActionCell[]>;

/** What an input builder gets: the database, the caller, and their own/other resources. */
interface ActionContext {
  db: Db;
  cast: Cast;
  me: ExecutiveDto | null;
  side: Side | null;
  /** Unique per cell, for names, emails, ids. */
  n: number;
  /** A metric the caller owns (own) or not (other). */
  metric(): Promise<MetricKey>;
  /** A fresh open snapshot made by the caller (own) or by someone else (other). */
  snapshot(): Promise<number>;
}

type ActionRow = { file: string; name: string } & (
  | {
      owns?: keyof typeof ACTION_CELLS;
      /** The cells that may; every other cell of the row may not. */
      allow: readonly ActionCell[];
      input(c: ActionContext): Promise<FormData> | FormData;
    }
  /** Reachable without a session by design; the reason says what guards it instead. */
  | { public: string }
);

const PERIOD = latestCompleteMonth().label;

function meetingForm(title: string) {
  return { title, period: PERIOD, date: '2099-01-05', time: '09:00', snapshotTime: '07:00', reminderLeadDays: '5', snapshotExpiresInDays: '30', recipients: 'Bea Board <bea@board.example>' };
}

async function addMeeting(c: ActionContext): Promise<number> {
  return (await createBoardMeeting(c.db, c.cast.admin, boardMeetingFormSchema.parse(meetingForm(`Board ${c.n}`)))).id;
}
const ADMIN_ONLY = ['admin'] as const;
const SIGNED_IN_WRITERS = ['admin', 'executive'] as const;
const OWNER_OR_ADMIN = ['admin own', 'admin other', 'executive own'] as const;

/** The snapshot every snapshot fixture copies (made once, through the data layer). */
let templateSnapshotId: number;

// ---------------------------------------------------------------------------------------------
// The server actions: one row each

const ACTIONS: ActionRow[] = [
  // Commentary and actions on a metric: its owner or an admin.
  {
    file: 'app/actions/commentary.ts',
    name: 'saveCommentaryAction',
    owns: 'metric',
    allow: OWNER_OR_ADMIN,
    async input(c) {
      const metricKey = await c.metric();
      const current = await getCommentary(c.db, metricKey, PERIOD);
      return form({ metricKey, period: PERIOD, body: `Why it moved, take ${c.n}`, baseVersion: current?.version ?? 0 });
    },
  },
  {
    file: 'app/actions/commentary.ts',
    name: 'createMetricActionAction',
    owns: 'metric',
    allow: OWNER_OR_ADMIN,
    async input(c) {
      const metricKey = await c.metric();
      return form({ metricKey, period: PERIOD, title: `Call every at-risk account (${c.n})`, ownerId: await metricOwner(c.db, metricKey), dueOn: '2030-01-31' });
    },
  },
  {
    file: 'app/actions/commentary.ts',
    name: 'updateMetricActionStatusAction',
    owns: 'metric',
    allow: OWNER_OR_ADMIN,
    async input(c) {
      return form({ id: await addMetricAction(c.db, await c.metric(), PERIOD), status: 'done' });
    },
  },

  // Spot fixes: any admin or executive.
  {
    file: 'app/actions/spot-fixes.ts',
    name: 'logSpotFixAction',
    allow: SIGNED_IN_WRITERS,
    async input(c) {
      return form({
        occurred_on: '2025-01-15',
        issue: `Matrix missed install ${c.n}`,
        category: 'meeting',
        cost: '125.50',
        customer_id: await anyCustomerId(c.db),
        journey_stage: 'onboarding',
      });
    },
  },

  // Snapshots: any admin or executive makes one; its creator or an admin changes it.
  {
    file: 'app/actions/snapshots.ts',
    name: 'createSnapshotAction',
    allow: SIGNED_IN_WRITERS,
    input: (c) => form({ period: PERIOD, title: `Board pack ${c.n}`, note: '', expiresInDays: 30 }),
  },
  {
    file: 'app/actions/snapshots.ts',
    name: 'revokeSnapshotAction',
    owns: 'snapshot',
    allow: OWNER_OR_ADMIN,
    input: async (c) => form({ id: await c.snapshot() }),
  },
  {
    file: 'app/actions/snapshots.ts',
    name: 'reissueSnapshotLinkAction',
    owns: 'snapshot',
    allow: OWNER_OR_ADMIN,
    input: async (c) => form({ id: await c.snapshot() }),
  },
  {
    file: 'app/actions/snapshots.ts',
    name: 'setSnapshotPasscodeAction',
    owns: 'snapshot',
    allow: OWNER_OR_ADMIN,
    input: async (c) => form({ id: await c.snapshot(), passcode: `board-${c.n}-passcode` }),
  },
  {
    file: 'app/actions/snapshots.ts',
    name: 'unlockSnapshotAction',
    public: 'the passcode form of a public snapshot link: the token and the passcode are the credentials (rate-limited)',
  },

  // Admin: people, owners, targets, recurring issues, API tokens.
  {
    file: 'app/actions/admin.ts',
    name: 'createPersonAction',
    allow: ADMIN_ONLY,
    input: (c) => form({ name: `New Person ${c.n}`, email: `new.person.${c.n}@example.test`, title: 'Head of Things', powerCore: 'sales', role: 'viewer' }),
  },
  {
    file: 'app/actions/admin.ts',
    name: 'updatePersonAction',
    allow: ADMIN_ONLY,
    async input(c) {
      const target = await addPerson(c.db);
      return form({ id: target.id, name: target.name, title: `Retitled ${c.n}`, powerCore: target.powerCore, role: target.role });
    },
  },
  {
    file: 'app/actions/admin.ts',
    name: 'deactivatePersonAction',
    allow: ADMIN_ONLY,
    input: async (c) => form({ id: (await addPerson(c.db)).id }),
  },
  {
    file: 'app/actions/admin.ts',
    name: 'reactivatePersonAction',
    allow: ADMIN_ONLY,
    input: async (c) => form({ id: (await addPerson(c.db, { active: false })).id }),
  },
  {
    file: 'app/actions/admin.ts',
    name: 'issuePasswordLinkAction',
    allow: ADMIN_ONLY,
    input: async (c) => form({ id: (await addPerson(c.db)).id }),
  },
  {
    file: 'app/actions/admin.ts',
    name: 'reassignMetricOwnerAction',
    allow: ADMIN_ONLY,
    async input(c) {
      // Recommendation goes back and forth between two executives who are not the cast's callers.
      const current = await metricOwner(c.db, 'recommendation');
      const next = current === c.cast.otherExecutive.id ? c.cast.spareExecutive : c.cast.otherExecutive;
      return form({ metric: 'recommendation', ownerId: next.id });
    },
  },
  {
    file: 'app/actions/admin.ts',
    name: 'updateMetricTargetsAction',
    allow: ADMIN_ONLY,
    async input(c) {
      const [retention] = await c.db.select().from(metrics).where(eq(metrics.key, 'retention'));
      if (retention.direction !== 'higher_is_better') throw new Error('The builder assumes higher is better for retention');
      return form({ metric: 'retention', granularity: 'month', effectiveFrom: '2026-01-01', target: `${90 + (c.n % 900) / 100}`, atRiskThreshold: '80' });
    },
  },
  {
    file: 'app/actions/admin.ts',
    name: 'updateDataSinceAction',
    allow: ADMIN_ONLY,
    async input(c) {
      return form({ metric: 'retention', dataSince: `2024-01-${String(1 + (c.n % 28)).padStart(2, '0')}` });
    },
  },
  {
    file: 'app/actions/issues.ts',
    name: 'updateRecurringIssueAction',
    allow: ADMIN_ONLY,
    async input(c) {
      const issue = await anyRecurringIssue(c.db);
      return form({ issueKey: issue.issueKey, ownerId: issue.ownerId, estimatedFixCost: `${70_000 + c.n}.00`, fixedOn: issue.fixedOn ?? '' });
    },
  },
  {
    file: 'app/actions/api-tokens.ts',
    name: 'createApiTokenAction',
    allow: ADMIN_ONLY,
    input: (c) => form({ name: `CRM sync ${c.n}` }),
  },
  {
    file: 'app/actions/api-tokens.ts',
    name: 'revokeApiTokenAction',
    allow: ADMIN_ONLY,
    async input(c) {
      const { apiToken } = await createApiToken(c.db, c.cast.admin, `Doomed token ${c.n}`);
      return form({ id: apiToken.id });
    },
  },

  {
    file: 'app/actions/board-meetings.ts',
    name: 'createBoardMeetingAction',
    allow: ADMIN_ONLY,
    input: (c) => form(meetingForm(`Board ${c.n}`)),
  },
  {
    file: 'app/actions/board-meetings.ts',
    name: 'updateBoardMeetingAction',
    allow: ADMIN_ONLY,
    input: async (c) => form({ id: await addMeeting(c), ...meetingForm(`Renamed board ${c.n}`) }),
  },
  {
    file: 'app/actions/board-meetings.ts',
    name: 'cancelBoardMeetingAction',
    allow: ADMIN_ONLY,
    input: async (c) => form({ id: await addMeeting(c) }),
  },
  {
    file: 'app/actions/board-meetings.ts',
    name: 'retryOutboxMessageAction',
    allow: ADMIN_ONLY,
    async input(c) {
      const [row] = await c.db
        .insert(outboxMessages)
        .values({ idempotencyKey: `matrix:${c.n}`, kind: 'alert', toEmail: 'x@example.test', subject: 'S', textBody: 'T', htmlBody: 'H', state: 'failed', attempts: 1 })
        .returning();
      return form({ id: row.id });
    },
  },

  // Public by design.
  { file: 'app/actions/auth.ts', name: 'signInAction', public: 'signing in: the email and password are the credentials (rate-limited per account and client)' },
  { file: 'app/actions/auth.ts', name: 'signOutAction', public: 'signing out ends only the caller’s own session' },
  { file: 'app/(auth)/login/sso-actions.ts', name: 'signInWithSsoAction', public: 'starts single sign-on: the identity provider does the authenticating' },
  { file: 'app/actions/password.ts', name: 'setPasswordAction', public: 'setting a password from an invite/reset link: the one-time token is the credential' },
];

// ---------------------------------------------------------------------------------------------
// Who calls a route handler, on what

type RouteCaller = Role | 'signed-out' | 'api-token' | 'revoked-api-token' | 'admin cross-site';
type RouteCell = RouteCaller | `${'admin' | 'api-token' | 'admin cross-site'} ${Side}`;

const ROUTE_CELLS = {
  none: ['admin', 'api-token', 'executive', 'viewer', 'signed-out', 'revoked-api-token', 'admin cross-site'],
  /** A browser import is handled only by whoever started it (a token acts as the admin who made it). */
  import: ['admin own', 'admin other', 'api-token own', 'api-token other', 'executive', 'viewer', 'signed-out', 'revoked-api-token', 'admin cross-site own'],
} as const satisfies Record<string, readonly RouteCell[]>;

interface RouteContext {
  db: Db;
  cast: Cast;
  n: number;
  /** For import rows: an import by the caller's admin (own) or another admin (other), taken to `stage`. */
  anImport(stage: 'started' | 'sent' | 'checked'): Promise<string>;
}

interface RouteRequest {
  params?: Record<string, string>;
  json?: unknown;
  bytes?: Uint8Array;
}

type RouteRow = { route: string } & (
  | { owns?: keyof typeof ROUTE_CELLS; allow: readonly RouteCell[]; request(c: RouteContext): Promise<RouteRequest> | RouteRequest }
  | { public: string }
);

const DATA_WRITERS = ['admin', 'api-token'] as const;
const OWN_IMPORT_WRITERS = ['admin own', 'api-token own'] as const;

const ROUTES: RouteRow[] = [
  {
    route: 'POST app/api/v1/customers/route.ts',
    allow: DATA_WRITERS,
    request: (c) => ({ json: [{ customer_id: `MATRIX-C-${c.n}`, acquired_on: '2024-02-01', monthly_value: '99.00' }] }),
  },
  {
    route: 'POST app/api/v1/responses/route.ts',
    allow: DATA_WRITERS,
    request: async (c) => ({ json: [{ response_id: `MATRIX-R-${c.n}`, customer_id: await anyCustomerId(c.db), responded_on: '2024-02-01', score: 9 }] }),
  },
  {
    route: 'POST app/api/v1/spot-fixes/route.ts',
    allow: DATA_WRITERS,
    request: async (c) => ({
      json: [
        { spot_fix_id: `MATRIX-S-${c.n}`, occurred_on: '2024-02-01', issue: 'Matrix router swap', category: 'discount', cost: '40.00', customer_id: await anyCustomerId(c.db) },
      ],
    }),
  },
  {
    route: 'POST app/api/v1/imports/route.ts',
    allow: DATA_WRITERS,
    request: () => ({ json: { kind: 'customers', fileName: 'customers.csv', size: 100, chunks: 1 } }),
  },
  {
    route: 'PUT app/api/v1/imports/[id]/chunks/[index]/route.ts',
    owns: 'import',
    allow: OWN_IMPORT_WRITERS,
    request: async (c) => ({ params: { id: await c.anImport('started'), index: '0' }, bytes: importCsv() }),
  },
  {
    route: 'POST app/api/v1/imports/[id]/validate/route.ts',
    owns: 'import',
    allow: OWN_IMPORT_WRITERS,
    request: async (c) => ({ params: { id: await c.anImport('sent') } }),
  },
  {
    route: 'POST app/api/v1/imports/[id]/apply/route.ts',
    owns: 'import',
    allow: OWN_IMPORT_WRITERS,
    request: async (c) => ({ params: { id: await c.anImport('checked') } }),
  },
  {
    route: 'DELETE app/api/v1/imports/[id]/route.ts',
    owns: 'import',
    allow: OWN_IMPORT_WRITERS,
    request: async (c) => ({ params: { id: await c.anImport('sent') } }),
  },
  { route: 'POST app/api/auth/[...nextauth]/route.ts', public: 'Auth.js sign-in/sign-out/callback endpoints, guarded by its own CSRF token and the credentials' },
];

// ---------------------------------------------------------------------------------------------
// The data layer behind an earlier check: admin.ts asks `can(me, 'administer')` before calling
// these, and the import routes admit only admins and tokens, so the rows above would still pass
// if one of the two checks went. Called directly here, each data-layer check shows on its own.

interface DataLayerContext {
  db: Db;
  cast: Cast;
  me: ExecutiveDto;
  /** As lib/auth/api-auth.ts builds it for a signed-in caller. */
  writer: DataWriter;
  n: number;
}

/** Each row makes its fixtures, then returns the call itself (measured on its own). */
const DATA_LAYER: { name: string; prepare(c: DataLayerContext): Promise<() => Promise<unknown>> }[] = [
  {
    name: 'createPerson',
    prepare: async (c) => () => createPerson(c.db, c.me, { name: `Direct ${c.n}`, email: `direct.${c.n}@example.test`, title: 'T', powerCore: 'it', role: 'viewer' }),
  },
  {
    name: 'updatePerson',
    async prepare(c) {
      const p = await addPerson(c.db);
      return () => updatePerson(c.db, c.me, { id: p.id, name: p.name, title: `Direct ${c.n}`, powerCore: p.powerCore, role: p.role });
    },
  },
  {
    name: 'deactivatePerson',
    async prepare(c) {
      const p = await addPerson(c.db);
      return () => deactivatePerson(c.db, c.me, p.id);
    },
  },
  {
    name: 'reactivatePerson',
    async prepare(c) {
      const p = await addPerson(c.db, { active: false });
      return () => reactivatePerson(c.db, c.me, p.id);
    },
  },
  {
    name: 'issuePasswordLink',
    async prepare(c) {
      const p = await addPerson(c.db);
      return () => issuePasswordLink(c.db, c.me, p.id);
    },
  },
  {
    name: 'reassignMetricOwner',
    async prepare(c) {
      const current = await metricOwner(c.db, 'recommendation');
      const next = current === c.cast.otherExecutive.id ? c.cast.spareExecutive : c.cast.otherExecutive;
      return () => reassignMetricOwner(c.db, c.me, 'recommendation', next.id);
    },
  },
  {
    name: 'updateMetricTargets',
    prepare: async (c) => () => updateMetricTargets(c.db, c.me, 'retention', { target: `0.${8000 + (c.n % 1000)}`, atRiskThreshold: '0.7' }),
  },
  {
    name: 'updateDataSince',
    prepare: async (c) => () => updateDataSince(c.db, c.me, 'retention', `2024-02-${String(1 + (c.n % 28)).padStart(2, '0')}`),
  },
  {
    name: 'ingestRecords',
    prepare: async (c) => () =>
      ingestRecords(c.db, c.writer, 'customers', [
        { customer_id: `DIRECT-${c.n}`, name: null, segment: null, acquired_on: '2024-03-01', churned_on: null, monthly_value: null, churn_reason: null },
      ]),
  },
  { name: 'createImport', prepare: async (c) => () => createImport(c.db, c.writer, { kind: 'customers', fileName: 'direct.csv', size: 60, chunks: 1 }) },
  // The caller's own imports, so only the can-import check stands in the way.
  {
    name: 'stageImportChunk',
    async prepare(c) {
      const id = await addImport(c.db, c.me, 'started');
      return () => stageImportChunk(c.db, c.writer, id, 0, importCsv());
    },
  },
  {
    name: 'validateImport',
    async prepare(c) {
      const id = await addImport(c.db, c.me, 'sent');
      return () => validateImport(c.db, c.writer, id);
    },
  },
  {
    name: 'applyImport',
    async prepare(c) {
      const id = await addImport(c.db, c.me, 'checked');
      return () => applyImport(c.db, c.writer, id);
    },
  },
  {
    name: 'cancelImport',
    async prepare(c) {
      const id = await addImport(c.db, c.me, 'sent');
      return () => cancelImport(c.db, c.writer, id);
    },
  },
];

// ---------------------------------------------------------------------------------------------

const keyOf = (row: ActionRow) => `${row.file}#${row.name}`;

describe('permission matrix on PGlite with the demo company', () => {
  let t: TestDatabase;
  let db: Db;
  let cast: Cast;
  let actions: Map<string, (...args: unknown[]) => unknown>;
  let routes: Map<string, RouteHandler>;
  let apiToken: string;
  let revokedApiToken: string;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    db = t.db;
    matrixState.db = db;
    await seedDemo(db);
    cast = {
      admin: await person(db, DEMO_EMAILS.admin),
      otherAdmin: await addPerson(db, { role: 'admin' }),
      executive: await person(db, DEMO_EMAILS.executive),
      otherExecutive: await person(db, DEMO_EMAILS.otherExecutive),
      spareExecutive: await person(db, DEMO_EMAILS.spareExecutive),
      viewer: await person(db, DEMO_EMAILS.viewer),
    };
    // So that "admin own" exists: the admin owns spot-fix cost; the executive keeps retention.
    await db.update(metrics).set({ ownerId: cast.admin.id }).where(eq(metrics.key, 'spot_fix_cost'));
    expect(await metricFor(db, cast.executive, 'own')).toBe('retention');
    const template = await createSnapshot(db, cast.admin, { period: PERIOD, title: 'Matrix template', note: null, expiresInDays: 30, passcode: null });
    templateSnapshotId = template.id;
    apiToken = (await createApiToken(db, cast.admin, 'Matrix token')).token;
    const revoked = await createApiToken(db, cast.admin, 'Matrix revoked token');
    await revokeApiToken(db, cast.admin, revoked.apiToken.id);
    revokedApiToken = revoked.token;
    actions = await exportedServerActions();
    routes = await mutatingRouteHandlers();
  }, 600_000);

  afterAll(async () => {
    matrixState.db = null;
    await t?.close();
  });

  it('has a row for every exported server action, and no row for one that is gone', () => {
    const registered = ACTIONS.map(keyOf);
    expect([...actions.keys()].filter((key) => !registered.includes(key)), 'exported server actions missing from the matrix').toEqual([]);
    expect(registered.filter((key) => !actions.has(key)), 'matrix rows for actions no longer exported').toEqual([]);
    expect(new Set(registered).size, 'one row per action').toBe(registered.length);
    expect(inlineServerActions(), "inline 'use server' functions (move them to a 'use server' module so the matrix can call them)").toEqual([]);
  });

  it('has a row for every POST/PUT/PATCH/DELETE route handler, and no row for one that is gone', () => {
    const registered = ROUTES.map((row) => row.route);
    expect([...routes.keys()].filter((key) => !registered.includes(key)), 'mutating route handlers missing from the matrix').toEqual([]);
    expect(registered.filter((key) => !routes.has(key)), 'matrix rows for routes no longer exported').toEqual([]);
  });

  /** Calls, then checks the outcome and the digests: a refusal writes nothing, an allowed call writes. */
  async function expectCall(may: boolean, call: () => Promise<Outcome>): Promise<void> {
    const before = await digest(db);
    const outcome = await call().finally(() => {
      matrixState.me = null;
    });
    const after = await digest(db);
    if (may) {
      expect(outcome.kind, outcome.detail).toBe('done');
      expect(changedTables(before, after, 'content'), `an allowed call must write (${outcome.detail})`).not.toEqual([]);
    } else {
      expect(outcome.kind, outcome.detail).toBe('refused');
      expect(changedTables(before, after, 'content'), `a refused call changed tables (${outcome.detail})`).toEqual([]);
      expect(changedTables(before, after, 'xmin'), `a refused call wrote to tables (${outcome.detail})`).toEqual([]);
    }
  }

  for (const row of ACTIONS) {
    if ('public' in row) continue;
    for (const cell of ACTION_CELLS[row.owns ?? 'none']) {
      const [who, side = null] = cell.split(' ') as [Role | 'signed-out', Side?];
      const may = (row.allow as readonly string[]).includes(cell);
      it(`${who} ${may ? 'may' : 'may not'} ${row.name}${side ? ` ${side}` : ''}`, async () => {
        const me = who === 'signed-out' ? null : cast[who];
        const someoneElse = me?.id === cast.executive.id ? cast.otherExecutive : cast.executive;
        const context: ActionContext = {
          db,
          cast,
          me,
          side,
          n: unique(),
          metric: () => metricFor(db, me, side ?? 'other'),
          snapshot: () => addSnapshot(db, templateSnapshotId, side === 'own' ? me!.id : someoneElse.id),
        };
        const formData = await row.input(context);
        const action = actions.get(keyOf(row));
        expect(action, `${keyOf(row)} is not exported`).toBeTypeOf('function');
        await expectCall(may, () => {
          matrixState.me = me;
          return actionOutcome(async () => action!({ status: 'idle' }, formData));
        });
      });
    }
  }

  for (const row of DATA_LAYER) {
    for (const who of ['admin', 'executive', 'viewer'] as const) {
      const may = who === 'admin';
      it(`${who} ${may ? 'may' : 'may not'} ${row.name} (data layer, called directly)`, async () => {
        const me = cast[who];
        // The writer a signed-in caller gets from lib/auth/api-auth.ts: only an admin can import.
        const writer: DataWriter = { actor: { executiveId: me.id, label: me.name }, canImport: me.role === 'admin' };
        const call = await row.prepare({ db, cast, me, writer, n: unique() });
        await expectCall(may, () =>
          actionOutcome(async () => {
            await call();
          }),
        );
      });
    }
  }

  it('signed-out may not setPasswordAction with a forged link token, and may with the real one (public: the token is the credential)', async () => {
    const action = actions.get('app/actions/password.ts#setPasswordAction')!;
    const target = await addPerson(db);
    const { link } = await issuePasswordLink(db, cast.admin, target.id);
    const password = form({ password: 'a-long-enough-password', confirm: 'a-long-enough-password' });
    const withToken = (token: string) => {
      const data = form({ token });
      for (const [k, v] of password) data.set(k, v);
      return data;
    };
    const forged = `${link.token.slice(0, -4)}AAAA`;
    const INVALID_LINK = /link is not valid/;
    await expectCall(false, () => actionOutcome(async () => action({ status: 'idle' }, withToken(forged)), INVALID_LINK));
    await expectCall(true, () => actionOutcome(async () => action({ status: 'idle' }, withToken(link.token))));
  });

  it('signed-out may not unlockSnapshotAction with a wrong passcode: refused, nothing written but the counted attempt', async () => {
    const unlock = actions.get('app/actions/snapshots.ts#unlockSnapshotAction')!;
    const locked = await createSnapshot(db, cast.executive, { period: PERIOD, title: 'Locked pack', note: null, expiresInDays: 30, passcode: 'right-passcode' });
    await expectCall(false, () => actionOutcome(async () => unlock(locked.token, { status: 'idle' }, form({ passcode: 'wrong-passcode' })), /passcode is not right/));
    expect(matrixState.cookies.size, 'no passcode grant cookie was set').toBe(0);
  });

  for (const row of ROUTES) {
    if ('public' in row) continue;
    const [method, file] = row.route.split(' ');
    for (const cell of ROUTE_CELLS[row.owns ?? 'none']) {
      const side = cell.endsWith(' own') ? 'own' : cell.endsWith(' other') ? 'other' : null;
      const caller = (side ? cell.slice(0, cell.lastIndexOf(' ')) : cell) as RouteCaller;
      const may = (row.allow as readonly string[]).includes(cell);
      const refusedWith = caller === 'signed-out' || caller === 'revoked-api-token' ? 401 : side === 'other' ? 404 : 403;
      it(`${caller} ${may ? 'may' : 'may not'} ${method} ${file.replace(/^app|\/route\.ts$/g, '')}${side ? ` ${side}` : ''}${may ? '' : ` (${refusedWith})`}`, async () => {
        const importOwner = side === 'other' ? cast.otherAdmin : cast.admin;
        const input = await row.request({ db, cast, n: unique(), anImport: (stage) => addImport(db, importOwner, stage) });
        const url = new URL(file.replace(/^app|\/route\.ts$/g, ''), 'http://localhost:3000');
        url.pathname = url.pathname.replace(/\[(\w+)\]/g, (_, name: string) => input.params?.[name] ?? `[${name}]`);
        const headers = new Headers();
        if (caller === 'api-token') headers.set('authorization', `Bearer ${apiToken}`);
        if (caller === 'revoked-api-token') headers.set('authorization', `Bearer ${revokedApiToken}`);
        if (!caller.startsWith('api-token') && caller !== 'revoked-api-token') {
          headers.set('host', url.host);
          headers.set('x-forwarded-host', url.host);
          headers.set('origin', caller === 'admin cross-site' ? 'https://evil.example' : url.origin);
        }
        let body: BodyInit | undefined;
        if (input.json !== undefined) {
          headers.set('content-type', 'application/json');
          body = JSON.stringify(input.json);
        } else if (input.bytes) {
          headers.set('content-type', 'application/octet-stream');
          body = input.bytes as Uint8Array<ArrayBuffer>;
        }
        const handler = routes.get(row.route);
        expect(handler, `${row.route} is not exported`).toBeTypeOf('function');
        const me = caller === 'admin' || caller === 'admin cross-site' ? cast.admin : caller === 'executive' || caller === 'viewer' ? cast[caller] : null;
        await expectCall(may, async () => {
          matrixState.me = me;
          const response = await handler!(new Request(url, { method, headers, body }), { params: Promise.resolve(input.params ?? {}) });
          const { status, outcome } = await routeOutcome(response);
          if (outcome.kind === 'refused' && status !== refusedWith) return { kind: 'failed', detail: `expected ${refusedWith}, got ${outcome.detail}` };
          return outcome;
        });
      });
    }
  }
});
