import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import {
  auditLog,
  commentary,
  customers,
  executives,
  metricActions,
  metrics,
  recurringIssues,
  snapshots,
  snapshotViews,
  spotFixes,
  surveyResponses,
  type Executive,
} from '@/lib/db/schema';
import * as passwords from '@/lib/auth/password';
import { ForbiddenError } from '@/lib/auth/permissions';
import { passcodeRules } from '@/lib/auth/sign-in-limits';
import { toExecutiveDto } from '@/lib/data/executives';
import { getScorecard } from '@/lib/data/scorecard';
import {
  checkSnapshotPasscode,
  createSnapshot,
  findOpenSnapshot,
  getPreviousSnapshot,
  previousSnapshotIds,
  getSnapshot,
  listMissingCommentaryWarnings,
  listSnapshots,
  listSnapshotViews,
  loadSnapshotPayload,
  recordSnapshotView,
  reissueSnapshotLink,
  revokeSnapshot,
  setSnapshotPasscode,
  SnapshotClosedError,
  SnapshotNotFoundError,
} from '@/lib/data/snapshots';
import { issueKey } from '@/lib/metrics/issue-key';
import { parsePeriod } from '@/lib/metrics/period';
import { compareSnapshots } from '@/lib/snapshots/compare';
import { contentHash } from '@/lib/snapshots/content-hash';
import { hashSnapshotToken } from '@/lib/snapshots/token';
import type { SnapshotCreateInput } from '@/lib/validation/snapshots';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { SnapshotView } from '@/app/ui/snapshot/snapshot-view';
import { DATABASE_TARGETS, openTestDatabase, setMonthlyTarget, type TestDatabase } from '../support/databases';

const MARCH = '2025-03';
const NOW = new Date();

function input(overrides: Partial<SnapshotCreateInput> = {}): SnapshotCreateInput {
  return { period: MARCH, title: 'Board meeting, April', note: 'For the April board.', expiresInDays: 30, passcode: null, ...overrides };
}

interface People {
  admin: Executive;
  owner: Executive;
  other: Executive;
  viewer: Executive;
}

async function makeExecutive(db: Db, name: string, role: Executive['role'], title = 'Chief Something Officer'): Promise<Executive> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`;
  const [row] = await db.insert(executives).values({ name, email, title, powerCore: 'customer', role }).returning();
  return row;
}

/**
 * A small company for March 2025: retention on track (commentary written), recommendation at
 * risk, spot-fix cost off track with no commentary (so a warning names its owner).
 */
async function loadCompany(db: Db): Promise<People> {
  const people: People = {
    admin: await makeExecutive(db, 'Ada Admin', 'admin', 'Chief Customer Officer'),
    owner: await makeExecutive(db, 'Olga Owner', 'executive', 'Chief Operating Officer'),
    other: await makeExecutive(db, 'Eve Other', 'executive', 'Chief Product Officer'),
    viewer: await makeExecutive(db, 'Vic Viewer', 'viewer', 'Chief of Staff'),
  };
  await db.insert(customers).values([
    { customerId: 'c1', acquiredOn: '2024-01-01', monthlyValue: '100.00' },
    { customerId: 'c2', acquiredOn: '2024-01-01', monthlyValue: '100.00' },
    { customerId: 'c3', acquiredOn: '2024-01-01', churnedOn: '2025-03-15', monthlyValue: '50.00', churnReason: 'Price' },
    { customerId: 'c4', acquiredOn: '2024-01-01', monthlyValue: '75.00' },
  ]);
  await db.insert(surveyResponses).values([
    { responseId: 'r1', customerId: 'c1', respondedOn: '2025-03-02', score: 10 },
    { responseId: 'r2', customerId: 'c2', respondedOn: '2025-03-03', score: 8 },
    { responseId: 'r3', customerId: 'c4', respondedOn: '2025-03-04', score: 3 },
    { responseId: 'r4', customerId: 'c4', respondedOn: '2025-02-04', score: 9 },
  ]);
  await db.insert(recurringIssues).values({ issueKey: issueKey('Late delivery'), label: 'Late delivery' });
  await db.insert(spotFixes).values([
    { spotFixId: 'f1', occurredOn: '2025-03-05', issue: 'Late delivery', issueKey: issueKey('Late delivery'), category: 'discount', cost: '900.00', customerId: 'c1' },
    { spotFixId: 'f2', occurredOn: '2025-03-06', issue: 'Late delivery', issueKey: issueKey('Late delivery'), category: 'meeting', cost: '300.00', customerId: 'c2' },
  ]);
  await db.update(metrics).set({ ownerId: people.owner.id }).where(eq(metrics.key, 'retention'));
  await setMonthlyTarget(db, 'retention', '0.7000', '0.5000');
  await db.update(metrics).set({ ownerId: people.other.id }).where(eq(metrics.key, 'recommendation'));
  await setMonthlyTarget(db, 'recommendation', '0.5000', '0.3000');
  await db.update(metrics).set({ ownerId: people.owner.id }).where(eq(metrics.key, 'spot_fix_cost'));
  await setMonthlyTarget(db, 'spot_fix_cost', '500.0000', '800.0000');
  await db.insert(commentary).values({ metricKey: 'retention', period: MARCH, body: 'One customer left over price.', authorId: people.owner.id });
  await db.insert(metricActions).values({
    metricKey: 'retention',
    period: MARCH,
    title: 'Call every customer on the old tariff',
    ownerId: people.owner.id,
    dueOn: '2025-04-30',
    status: 'open',
    openedOn: '2025-02-10',
    createdById: people.owner.id,
  });
  return people;
}

const me = (e: Executive) => toExecutiveDto(e);

async function countRows(db: Db, table: 'snapshots' | 'audit_log' | 'snapshot_views'): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return row.n;
}

/** The page the public link renders, as HTML, from what the link's lookup returns. */
async function renderLink(db: Db, token: string): Promise<string | null> {
  const snapshot = await findOpenSnapshot(db, token);
  if (!snapshot) return null;
  const { payload } = (await loadSnapshotPayload(db, snapshot.id))!;
  return renderToStaticMarkup(createElement(SnapshotView, { payload, contentHash: snapshot.contentHash }));
}

async function open(db: Db, token: string) {
  const snapshot = await findOpenSnapshot(db, token);
  if (!snapshot) return null;
  return (await loadSnapshotPayload(db, snapshot.id))!.payload;
}

describe.each(DATABASE_TARGETS)('board snapshots on %s', (target) => {
  let t: TestDatabase;
  let people: People;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    await t.reset();
    people = await loadCompany(t.db);
  });

  it('freezes the scorecard, its trend, owners, commentary and actions, with the data as-of time and a content hash', async () => {
    const created = await createSnapshot(t.db, me(people.owner), input(), NOW);
    const detail = (await getSnapshot(t.db, created.id, NOW))!;
    const payload = detail.payload;

    expect(payload.scorecard).toEqual(JSON.parse(JSON.stringify(await getScorecard(t.db, parsePeriod(MARCH)))));
    expect(payload.scorecard.retention).toMatchObject({ value: 0.75, status: 'on_track', owner: { name: 'Olga Owner' } });
    expect(payload.scorecard.recommendation).toMatchObject({ responses: 3, promoters: 1 });
    expect(payload.scorecard.recommendation.marginOfError).toBeGreaterThan(0);
    expect(payload.trend).toHaveLength(24);
    expect(payload.trend.at(-1)!.period.label).toBe(MARCH);
    expect(payload.trend[0].period.label).toBe('2023-04');
    expect(payload.notes.retention.commentary).toMatchObject({ body: 'One customer left over price.', author: { name: 'Olga Owner' } });
    expect(payload.notes.retention.actions).toEqual([
      {
        title: 'Call every customer on the old tariff',
        owner: { name: 'Olga Owner' },
        dueOn: '2025-04-30',
        status: 'open',
        openedOn: '2025-02-10',
        doneOn: null,
        isOpen: true,
        isOverdue: false,
        issue: null,
      },
    ]);
    expect(payload.notes.spot_fix_cost).toEqual({ commentary: null, within: [], actions: [], actionCounts: { open: 0, overdue: 0 } });
    expect(payload.organisation).toEqual({ name: 'Your company', currency: 'USD' });
    expect(payload).toMatchObject({ title: 'Board meeting, April', note: 'For the April board.', frozenAt: NOW.toISOString() });
    expect(Number.isNaN(Date.parse(payload.dataAsOf))).toBe(false);
    expect(detail.contentHash).toBe(contentHash(payload));
    expect(created.contentHash).toBe(detail.contentHash);
    expect(detail.expiresAt.getTime() - NOW.getTime()).toBe(30 * 24 * 60 * 60 * 1000);
  });

  it('warns, naming the owner, when an off-track metric has no commentary, but still freezes', async () => {
    const before = await listMissingCommentaryWarnings(t.db, MARCH);
    expect(before.map((w) => w.metricKey)).toEqual(['spot_fix_cost']);
    expect(before[0].message).toContain('Olga Owner');
    const created = await createSnapshot(t.db, me(people.owner), input(), NOW);
    expect(created.warnings).toEqual(before);
    expect(await countRows(t.db, 'snapshots')).toBe(1);
  });

  it('stores only the SHA-256 of the link token, never the token', async () => {
    const created = await createSnapshot(t.db, me(people.owner), input({ passcode: 'board-2025' }), NOW);
    const [row] = await t.db.select().from(snapshots).where(eq(snapshots.id, created.id));
    expect(row.tokenHash).toBe(hashSnapshotToken(created.token));
    // The passcode is kept only as a slow, salted hash (argon2id; older bcrypt ones still verify).
    expect(row.passcodeHash).toMatch(/^\$argon2id\$/);
    const everything = JSON.stringify(await queryRows(t.db, sql`select * from snapshots`)) + JSON.stringify(await queryRows(t.db, sql`select * from audit_log`));
    expect(everything).not.toContain(created.token);
    expect(everything).not.toContain('board-2025');
  });

  it('shows the same page after live data, targets, owners and commentary change', async () => {
    const created = await createSnapshot(t.db, me(people.owner), input(), NOW);
    const before = await open(t.db, created.token);
    const pageBefore = (await renderLink(t.db, created.token))!;
    expect(pageBefore).toContain('One customer left over price.');
    expect(pageBefore).toContain('Olga Owner');
    const liveBefore = await getScorecard(t.db, parsePeriod(MARCH));

    await t.db.insert(customers).values({ customerId: 'c5', acquiredOn: '2024-01-01', churnedOn: '2025-03-20', monthlyValue: '10.00' });
    await t.db.insert(surveyResponses).values({ responseId: 'r5', customerId: 'c1', respondedOn: '2025-03-20', score: 10 });
    await t.db.update(spotFixes).set({ cost: '10.00' }).where(eq(spotFixes.spotFixId, 'f1'));
    await setMonthlyTarget(t.db, 'retention', '0.9000', '0.5000');
    await t.db.update(metrics).set({ ownerId: people.other.id }).where(eq(metrics.key, 'retention'));
    await t.db.update(executives).set({ name: 'Olga Renamed', title: 'Chief Everything' }).where(eq(executives.id, people.owner.id));
    await t.db.update(commentary).set({ body: 'Rewritten after the meeting.', version: 2 }).where(eq(commentary.metricKey, 'retention'));
    await t.db.insert(commentary).values({ metricKey: 'spot_fix_cost', period: MARCH, body: 'Added later.', authorId: people.owner.id });
    await t.db.update(metricActions).set({ status: 'done', title: 'Renamed action' });
    await t.db.execute(sql`update organisation set name = 'Renamed Ltd', currency = 'EUR', data_version = data_version + 1, updated_at = now() + interval '1 day'`);

    const liveAfter = await getScorecard(t.db, parsePeriod(MARCH));
    expect(liveAfter).not.toEqual(liveBefore);

    const after = await open(t.db, created.token);
    expect(after).toEqual(before);
    expect(contentHash(after)).toBe(created.contentHash);
    expect(await renderLink(t.db, created.token)).toBe(pageBefore);
    expect(after!.scorecard.retention.owner!.name).toBe('Olga Owner');
    expect(after!.notes.retention.commentary!.body).toBe('One customer left over price.');
    expect(after!.organisation).toEqual({ name: 'Your company', currency: 'USD' });
  });

  it('opens a link until it is revoked, then not on the very next request', async () => {
    const created = await createSnapshot(t.db, me(people.owner), input(), NOW);
    expect(await open(t.db, created.token)).not.toBeNull();
    await revokeSnapshot(t.db, me(people.owner), created.id);
    expect(await findOpenSnapshot(t.db, created.token)).toBeNull();
    expect((await getSnapshot(t.db, created.id))!.state).toBe('revoked');
  });

  it('stops opening a link once it has expired', async () => {
    const fresh = await createSnapshot(t.db, me(people.owner), input({ expiresInDays: 1 }));
    expect(await findOpenSnapshot(t.db, fresh.token)).not.toBeNull();
    await t.db.update(snapshots).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(snapshots.id, fresh.id));
    expect(await findOpenSnapshot(t.db, fresh.token)).toBeNull();
    expect((await getSnapshot(t.db, fresh.id))!.state).toBe('expired');

    const old = await createSnapshot(t.db, me(people.owner), input({ expiresInDays: 30 }), new Date(Date.now() - 31 * 24 * 3600 * 1000));
    expect(await findOpenSnapshot(t.db, old.token)).toBeNull();
  });

  it('answers unknown and malformed tokens the same way as revoked ones', async () => {
    await createSnapshot(t.db, me(people.owner), input(), NOW);
    expect(await findOpenSnapshot(t.db, 'A'.repeat(43))).toBeNull();
    expect(await findOpenSnapshot(t.db, 'not a token')).toBeNull();
  });

  it('logs each opening by time only', async () => {
    const created = await createSnapshot(t.db, me(people.owner), input(), NOW);
    const snapshot = (await findOpenSnapshot(t.db, created.token))!;
    await recordSnapshotView(t.db, snapshot.id);
    await recordSnapshotView(t.db, snapshot.id);
    const detail = (await getSnapshot(t.db, created.id))!;
    expect(detail.viewCount).toBe(2);
    expect(detail.lastViewedAt).not.toBeNull();
    expect(await listSnapshotViews(t.db, created.id)).toHaveLength(2);
    const columns = await queryRows<{ name: string }>(
      t.db,
      sql`select column_name::text as name from information_schema.columns where table_name = 'snapshot_views' order by ordinal_position`,
    );
    expect(columns.map((c) => c.name)).toEqual(['id', 'snapshot_id', 'viewed_at']);
  });

  it('re-issues a link: the new token opens, the old one is dead', async () => {
    const created = await createSnapshot(t.db, me(people.owner), input(), NOW);
    const { token } = await reissueSnapshotLink(t.db, me(people.admin), created.id);
    expect(token).not.toBe(created.token);
    expect(await findOpenSnapshot(t.db, created.token)).toBeNull();
    expect(await open(t.db, token)).not.toBeNull();
    await revokeSnapshot(t.db, me(people.admin), created.id);
    await expect(reissueSnapshotLink(t.db, me(people.admin), created.id)).rejects.toThrow(SnapshotClosedError);
  });

  it('audits creation, revocation and re-issue, each with who did it', async () => {
    const created = await createSnapshot(t.db, me(people.owner), input(), NOW);
    await reissueSnapshotLink(t.db, me(people.owner), created.id);
    await revokeSnapshot(t.db, me(people.admin), created.id);
    await revokeSnapshot(t.db, me(people.admin), created.id);
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.entity, 'snapshot')).orderBy(auditLog.id);
    expect(entries.map((e) => [e.action, e.actorId, e.entityId])).toEqual([
      ['create', people.owner.id, String(created.id)],
      ['reissue-link', people.owner.id, String(created.id)],
      ['revoke', people.admin.id, String(created.id)],
    ]);
  });

  describe('permissions', () => {
    it('refuses a viewer who tries to freeze a period, writing nothing', async () => {
      await expect(createSnapshot(t.db, me(people.viewer), input(), NOW)).rejects.toThrow(ForbiddenError);
      expect(await countRows(t.db, 'snapshots')).toBe(0);
      expect(await countRows(t.db, 'audit_log')).toBe(0);
    });

    it('lets executives and admins freeze a period', async () => {
      await createSnapshot(t.db, me(people.other), input(), NOW);
      await createSnapshot(t.db, me(people.admin), input(), NOW);
      expect((await listSnapshots(t.db)).map((s) => s.createdBy.name).sort()).toEqual(['Ada Admin', 'Eve Other']);
    });

    it('refuses to let an executive revoke, re-issue or lock someone else’s snapshot, writing nothing', async () => {
      const created = await createSnapshot(t.db, me(people.owner), input(), NOW);
      const audits = await countRows(t.db, 'audit_log');
      for (const who of [people.other, people.viewer]) {
        await expect(revokeSnapshot(t.db, me(who), created.id)).rejects.toThrow(ForbiddenError);
        await expect(reissueSnapshotLink(t.db, me(who), created.id)).rejects.toThrow(ForbiddenError);
        await expect(setSnapshotPasscode(t.db, me(who), created.id, 'secret-123')).rejects.toThrow(ForbiddenError);
      }
      expect(await countRows(t.db, 'audit_log')).toBe(audits);
      const [row] = await t.db.select().from(snapshots).where(eq(snapshots.id, created.id));
      expect(row).toMatchObject({ revokedAt: null, tokenHash: hashSnapshotToken(created.token), passcodeHash: null });
      expect(await open(t.db, created.token)).not.toBeNull();
    });

    it('lets the creator and any admin revoke', async () => {
      const own = await createSnapshot(t.db, me(people.owner), input(), NOW);
      const another = await createSnapshot(t.db, me(people.other), input(), NOW);
      await revokeSnapshot(t.db, me(people.owner), own.id);
      await revokeSnapshot(t.db, me(people.admin), another.id);
      expect((await listSnapshots(t.db)).map((s) => s.state)).toEqual(['revoked', 'revoked']);
    });

    it('says when a snapshot does not exist', async () => {
      await expect(revokeSnapshot(t.db, me(people.admin), 999)).rejects.toThrow(SnapshotNotFoundError);
    });
  });

  describe('passcodes', () => {
    // Moves the clock for the attempt counts: every recorded failure happened `seconds` earlier.
    const age = (seconds: number) => t.db.execute(sql`update sign_in_attempts set at = at - make_interval(secs => ${seconds})`);

    async function lockedSnapshot() {
      const created = await createSnapshot(t.db, me(people.owner), input({ passcode: 'board-2025' }), NOW);
      return (await findOpenSnapshot(t.db, created.token))!;
    }

    it('accepts the right passcode and refuses a wrong one', async () => {
      const snapshot = await lockedSnapshot();
      expect(await checkSnapshotPasscode(t.db, snapshot, 'board-2025', '10.0.0.1')).toEqual({ status: 'ok' });
      expect(await checkSnapshotPasscode(t.db, snapshot, 'board-2024', '10.0.0.1')).toEqual({ status: 'wrong' });
    });

    it('lets the board in after at most a short wait, however many guesses other clients made', async () => {
      const snapshot = await lockedSnapshot();
      const rule = passcodeRules.snapshot(snapshot.id);
      for (let i = 0; i < rule.free; i++) {
        expect(await checkSnapshotPasscode(t.db, snapshot, `guess-${i}00`, `10.0.0.${i}`)).toEqual({ status: 'wrong' });
      }
      // While the delay runs, even the right passcode is refused without being compared.
      const verify = vi.spyOn(passwords, 'verifyPassword');
      expect(await checkSnapshotPasscode(t.db, snapshot, 'board-2025', '10.0.1.1')).toEqual({ status: 'rate_limited', retryAfterSeconds: 1 });
      expect(verify).not.toHaveBeenCalled();
      verify.mockRestore();

      // Hundreds more guesses from elsewhere: the board's wait stays capped at the short delay.
      await t.db.execute(sql`insert into sign_in_attempts (subject) select ${rule.subject} from generate_series(1, 200)`);
      const held = await checkSnapshotPasscode(t.db, snapshot, 'board-2025', '10.0.1.1');
      expect(held).toMatchObject({ status: 'rate_limited' });
      expect((held as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(rule.maxSeconds);
      await age(rule.maxSeconds);
      expect(await checkSnapshotPasscode(t.db, snapshot, 'board-2025', '10.0.1.1')).toEqual({ status: 'ok' });
    });

    it('makes one client guessing at one snapshot wait longer and longer', async () => {
      const snapshot = await lockedSnapshot();
      const rule = passcodeRules.snapshotClient(snapshot.id, '10.0.0.9');
      for (let i = 0; i < rule.free; i++) await checkSnapshotPasscode(t.db, snapshot, `guess-${i}00`, '10.0.0.9');
      const first = await checkSnapshotPasscode(t.db, snapshot, 'board-2025', '10.0.0.9');
      expect(first).toEqual({ status: 'rate_limited', retryAfterSeconds: rule.baseSeconds });
      const waits = [rule.baseSeconds];
      for (let i = 0; i < 10; i++) {
        await age(waits.at(-1)!);
        expect(await checkSnapshotPasscode(t.db, snapshot, `more-${i}00`, '10.0.0.9')).toEqual({ status: 'wrong' });
        const next = await checkSnapshotPasscode(t.db, snapshot, 'board-2025', '10.0.0.9');
        waits.push((next as { retryAfterSeconds: number }).retryAfterSeconds);
      }
      // Each failure doubles this client's wait, far past the snapshot's own short cap.
      expect(waits).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
      expect(waits.at(-1)).toBe(rule.maxSeconds);
      // Another client with the right passcode gets in after the snapshot's short wait at most.
      await age(passcodeRules.snapshot(snapshot.id).maxSeconds);
      expect(await checkSnapshotPasscode(t.db, snapshot, 'board-2025', '10.0.0.10')).toEqual({ status: 'ok' });
    });

    it('slows one client guessing across many snapshots', async () => {
      const snapshot = await lockedSnapshot();
      const rule = passcodeRules.client('10.0.0.7');
      await t.db.execute(sql`insert into sign_in_attempts (subject) select ${rule.subject} from generate_series(1, ${rule.free})`);
      expect(await checkSnapshotPasscode(t.db, snapshot, 'board-2025', '10.0.0.7')).toMatchObject({ status: 'rate_limited' });
      expect(await checkSnapshotPasscode(t.db, snapshot, 'board-2025', '10.0.0.8')).toEqual({ status: 'ok' });
    });

    it('can be set and removed by the creator', async () => {
      const created = await createSnapshot(t.db, me(people.owner), input(), NOW);
      await setSnapshotPasscode(t.db, me(people.owner), created.id, 'new-passcode');
      expect((await findOpenSnapshot(t.db, created.token))!.passcodeHash).not.toBeNull();
      await setSnapshotPasscode(t.db, me(people.owner), created.id, null);
      expect((await findOpenSnapshot(t.db, created.token))!.passcodeHash).toBeNull();
    });
  });

  it('finds the last board meeting by granularity and period, not by when snapshots were made', async () => {
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
    const make = async (period: string, minutes: number) =>
      (await createSnapshot(t.db, me(people.owner), input({ period, title: `Board ${period} (${minutes})` }), at(minutes))).id;
    const q1 = await make('2025-Q1', 0);
    const march = await make('2025-03', 1);
    const q4 = await make('2024-Q4', 2); // frozen after Q1's, still the quarter before it
    const q4Again = await make('2024-Q4', 3); // the latest made for that quarter wins
    const february = await make('2025-02', 4);
    const year = await make('2025', 5);
    const q2 = await make('2025-Q2', 6);

    const previousOf = async (id: number) => (await getPreviousSnapshot(t.db, id))?.id ?? null;
    expect(await previousOf(q1)).toBe(q4Again);
    expect(await previousOf(q2)).toBe(q1);
    expect(await previousOf(march)).toBe(february);
    expect(await previousOf(february)).toBeNull();
    expect(await previousOf(q4)).toBeNull();
    expect(await previousOf(year)).toBeNull();
    const listed = previousSnapshotIds(await listSnapshots(t.db));
    expect(Object.fromEntries(listed)).toEqual({
      [q1]: q4Again,
      [march]: february,
      [q4]: null,
      [q4Again]: null,
      [february]: null,
      [year]: null,
      [q2]: q1,
    });
  });

  it('carries the actions open in the period with their overdue marks, commentary written within it, and its costliest recurring issues', async () => {
    await t.db.insert(commentary).values({ metricKey: 'retention', period: '2025-Q1', body: 'The quarter in short.', authorId: people.owner.id });
    const created = await createSnapshot(t.db, me(people.owner), input({ period: '2025-Q1' }), NOW);
    const { payload } = (await getSnapshot(t.db, created.id))!;
    expect(payload.version).toBe(2);
    expect(payload.notes.retention.commentary?.body).toBe('The quarter in short.');
    expect(payload.notes.retention.within?.map((c) => [c.period, c.body])).toEqual([['2025-03', 'One customer left over price.']]);
    // Opened in February, due at the end of April, never done: open (not yet overdue) at the end of Q1.
    expect(payload.notes.retention.actions).toMatchObject([
      { title: 'Call every customer on the old tariff', openedOn: '2025-02-10', isOpen: true, isOverdue: false },
    ]);
    expect(payload.notes.retention.actionCounts).toEqual({ open: 1, overdue: 0 });
    expect(payload.actionsAsOf).toBe('2025-03-31');
    const may = await createSnapshot(t.db, me(people.owner), input({ period: '2025-05' }), NOW);
    expect((await getSnapshot(t.db, may.id))!.payload.notes.retention.actionCounts).toEqual({ open: 1, overdue: 1 });
    expect(payload.topIssues).toEqual([
      { label: 'Late delivery', fixes: 2, cost: '1200.00', repeatCost: '300.00', repeatShare: 0.25, owner: null },
    ]);
  });

  it('renders and compares a snapshot frozen before snapshots carried actions over time and recurring issues', async () => {
    const created = await createSnapshot(t.db, me(people.owner), input(), NOW);
    const { payload } = (await getSnapshot(t.db, created.id))!;
    const { topIssues: _issues, actionsAsOf: _asOf, ...rest } = payload;
    const old = {
      ...rest,
      version: 1,
      notes: Object.fromEntries(
        Object.entries(payload.notes).map(([key, notes]) => [
          key,
          {
            commentary: notes.commentary && { body: notes.commentary.body, author: notes.commentary.author, version: 1, updatedAt: notes.commentary.updatedAt },
            actions: notes.actions.map((a) => ({ title: a.title, owner: a.owner, dueOn: a.dueOn, status: a.status })),
          },
        ]),
      ),
    } as typeof payload;
    const html = renderToStaticMarkup(createElement(SnapshotView, { payload: old, contentHash: created.contentHash }));
    expect(html).toContain('One customer left over price.');
    expect(html).toContain('Call every customer on the old tariff');
    expect(html).not.toContain('snapshot-issues');
    const comparison = compareSnapshots(old, payload);
    expect(comparison.topIssues.before).toBeNull();
    expect(comparison.metrics.find((m) => m.key === 'retention')!.actionCounts).toEqual({ before: null, after: { open: 1, overdue: 0 } });
  });

  it('compares a snapshot with the one made before it: values, statuses, owners and new commentary', async () => {
    const first = await createSnapshot(t.db, me(people.owner), input({ title: 'March board' }), NOW);
    await t.db.insert(surveyResponses).values([
      { responseId: 'r6', customerId: 'c1', respondedOn: '2025-03-21', score: 10 },
      { responseId: 'r7', customerId: 'c2', respondedOn: '2025-03-22', score: 9 },
    ]);
    await t.db.update(metrics).set({ ownerId: people.admin.id }).where(eq(metrics.key, 'spot_fix_cost'));
    await t.db.insert(commentary).values({ metricKey: 'spot_fix_cost', period: MARCH, body: 'Discounts stop in April.', authorId: people.admin.id });
    await t.db.update(metricActions).set({ status: 'in_progress' });
    const second = await createSnapshot(t.db, me(people.owner), input({ title: 'March board, revised' }), new Date(NOW.getTime() + 60_000));

    // The same period frozen again is not "the last board meeting" (that is an earlier period's), but compares the same way.
    expect(await getPreviousSnapshot(t.db, second.id)).toBeNull();
    const previous = (await getSnapshot(t.db, first.id))!;
    const current = (await getSnapshot(t.db, second.id))!;
    const comparison = compareSnapshots(previous.payload, current.payload);
    const byKey = Object.fromEntries(comparison.metrics.map((m) => [m.key, m]));

    expect(byKey.recommendation).toMatchObject({ valueChanged: true, statusChanged: true, ownerChanged: false });
    expect(byKey.recommendation.before).toMatchObject({ value: 1 / 3, status: 'at_risk' });
    expect(byKey.recommendation.after).toMatchObject({ value: 3 / 5, status: 'on_track' });
    expect(byKey.recommendation.delta).toBeCloseTo(3 / 5 - 1 / 3);
    expect(byKey.spot_fix_cost).toMatchObject({ valueChanged: false, ownerChanged: true, commentary: 'new' });
    expect(byKey.spot_fix_cost.before.ownerName).toBe('Olga Owner');
    expect(byKey.spot_fix_cost.after.ownerName).toBe('Ada Admin');
    expect(byKey.retention).toMatchObject({ valueChanged: false, commentary: 'unchanged', newActions: [] });
    expect(byKey.retention.actionStatusChanges).toEqual([{ title: 'Call every customer on the old tariff', from: 'open', to: 'in_progress' }]);
    expect(comparison.changedCount).toBe(3);
    expect(comparison.samePeriod).toBe(true);
    expect(byKey.retention.actionCounts).toEqual({ before: { open: 1, overdue: 0 }, after: { open: 1, overdue: 0 } });
    expect(comparison.topIssues.after).toHaveLength(1);
  });
});
