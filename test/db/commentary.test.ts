import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { executives, metrics, recurringIssues, type MetricKey, type Role } from '@/lib/db/schema';
import { parsePeriod } from '@/lib/metrics/period';
import { queryRows } from '@/lib/db/sql';
import { ForbiddenError } from '@/lib/auth/permissions';
import {
  getCommentary,
  listCommentaryForPeriod,
  listCommentaryRevisions,
  listPeriodCommentary,
  saveCommentary,
  type Writer,
} from '@/lib/data/commentary';
import {
  ActionInputError,
  countActionsByMetric,
  createAction,
  listActionIssueOptions,
  listActionOwnerOptions,
  listActions,
  listActionStatusChanges,
  updateActionStatus,
} from '@/lib/data/metric-actions';
import { actionCreateSchema, actionStatusSchema, commentarySaveSchema } from '@/lib/validation/commentary';
import { CLI_ACTOR } from '@/lib/data/audit';
import { importCsv } from '@/lib/data/import-csv';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

const P = parsePeriod;

describe.each(DATABASE_TARGETS)('commentary and actions on %s', (target) => {
  let t: TestDatabase;
  let serial = 0;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  afterAll(() => t?.close());

  async function makeExecutive(role: Role, name = `Person ${serial + 1}`, isActive = true): Promise<Writer> {
    serial += 1;
    const [row] = await t.db
      .insert(executives)
      .values({ name, email: `person${serial}-${role}@example.test`, title: `${role} title`, powerCore: 'customer', role, isActive })
      .returning();
    return { id: row.id, role: row.role, name: row.name };
  }

  async function setOwner(key: MetricKey, owner: Writer) {
    await t.db.update(metrics).set({ ownerId: owner.id }).where(eq(metrics.key, key));
  }

  async function counts() {
    const [row] = await queryRows<{ commentary: number; revisions: number; actions: number; audit: number }>(
      t.db,
      sql`select (select count(*) from commentary)::int as commentary,
                 (select count(*) from commentary_revisions)::int as revisions,
                 (select count(*) from metric_actions)::int as actions,
                 (select count(*) from audit_log)::int as audit`,
    );
    return row;
  }

  const save = (body: string, baseVersion: number, metricKey: MetricKey = 'spot_fix_cost', period = '2025-03') =>
    commentarySaveSchema.parse({ metricKey, period, body, baseVersion: String(baseVersion) });

  let owner: Writer;
  let other: Writer;
  let admin: Writer;
  let viewer: Writer;
  beforeEach(async () => {
    await t.reset();
    owner = await makeExecutive('executive', 'Tom Brennan');
    other = await makeExecutive('executive', 'Aisha Karim');
    admin = await makeExecutive('admin', 'Maya Okafor');
    viewer = await makeExecutive('viewer', 'Jonas Weber');
    await setOwner('spot_fix_cost', owner);
    await setOwner('retention', other);
    await setOwner('recommendation', admin);
  });

  describe('who may write commentary', () => {
    it('lets the metric owner write commentary, keeping the first version and auditing it', async () => {
      const result = await saveCommentary(t.db, owner, save('Repeat outages drove cost up.', 0));
      expect(result).toMatchObject({ status: 'saved', commentary: { body: 'Repeat outages drove cost up.', version: 1 } });
      const stored = await getCommentary(t.db, 'spot_fix_cost', '2025-03');
      expect(stored).toMatchObject({ version: 1, author: { id: owner.id, name: 'Tom Brennan', title: 'executive title' } });
      expect(await counts()).toEqual({ commentary: 1, revisions: 1, actions: 0, audit: 1 });
      const [audit] = await queryRows<{ actor: number; action: string; entity: string; after: { body: string } }>(
        t.db,
        sql`select actor_id as actor, action, entity, after from audit_log`,
      );
      expect(audit).toMatchObject({ actor: owner.id, action: 'create', entity: 'commentary', after: { body: 'Repeat outages drove cost up.' } });
    });

    it('refuses commentary from an executive who does not own the metric, and writes nothing', async () => {
      await expect(saveCommentary(t.db, other, save('Not mine to write', 0))).rejects.toBeInstanceOf(ForbiddenError);
      await saveCommentary(t.db, owner, save('Owner text', 0));
      const before = await counts();
      await expect(saveCommentary(t.db, other, save('Overwrite attempt', 1))).rejects.toBeInstanceOf(ForbiddenError);
      expect(await counts()).toEqual(before);
      expect((await getCommentary(t.db, 'spot_fix_cost', '2025-03'))?.body).toBe('Owner text');
    });

    it('refuses commentary from a viewer, even on a metric nobody else could own', async () => {
      await expect(saveCommentary(t.db, viewer, save('Viewer text', 0))).rejects.toBeInstanceOf(ForbiddenError);
      await setOwner('spot_fix_cost', viewer);
      await expect(saveCommentary(t.db, viewer, save('Viewer text', 0))).rejects.toBeInstanceOf(ForbiddenError);
      expect(await counts()).toEqual({ commentary: 0, revisions: 0, actions: 0, audit: 0 });
    });

    it('lets an admin write commentary on any metric', async () => {
      await saveCommentary(t.db, admin, save('Admin on spot fixes', 0));
      await saveCommentary(t.db, admin, save('Admin on retention', 0, 'retention'));
      const all = await listCommentaryForPeriod(t.db, '2025-03');
      expect(Object.keys(all).sort()).toEqual(['retention', 'spot_fix_cost']);
      expect(all.retention?.author.name).toBe('Maya Okafor');
    });

    it('checks ownership as it is when the save happens, not when the form was opened', async () => {
      await saveCommentary(t.db, owner, save('v1', 0));
      await setOwner('spot_fix_cost', other);
      await expect(saveCommentary(t.db, owner, save('v2 by former owner', 1))).rejects.toBeInstanceOf(ForbiddenError);
      expect((await saveCommentary(t.db, other, save('v2 by new owner', 1))).status).toBe('saved');
    });
  });

  describe('history and conflicts', () => {
    it('keeps every version with its author and time, newest first', async () => {
      await saveCommentary(t.db, owner, save('First take', 0));
      await saveCommentary(t.db, admin, save('Admin clarifies', 1));
      await saveCommentary(t.db, owner, save('Final word', 2));
      const revisions = await listCommentaryRevisions(t.db, 'spot_fix_cost', '2025-03');
      expect(revisions.map((r) => [r.version, r.author.name, r.body])).toEqual([
        [3, 'Tom Brennan', 'Final word'],
        [2, 'Maya Okafor', 'Admin clarifies'],
        [1, 'Tom Brennan', 'First take'],
      ]);
      expect(revisions.every((r) => r.createdAt instanceof Date && !Number.isNaN(r.createdAt.getTime()))).toBe(true);
      const current = await getCommentary(t.db, 'spot_fix_cost', '2025-03');
      expect(current).toMatchObject({ version: 3, body: 'Final word', author: { name: 'Tom Brennan' } });
      const audit = await queryRows<{ action: string; before: { version: number } | null; after: { version: number } }>(
        t.db,
        sql`select action, before, after from audit_log order by id`,
      );
      expect(audit.map((a) => [a.action, a.before?.version ?? null, a.after.version])).toEqual([
        ['create', null, 1],
        ['update', 1, 2],
        ['update', 2, 3],
      ]);
    });

    it('refuses a save that started from an older version, returns the newer text, and writes nothing', async () => {
      await saveCommentary(t.db, owner, save('Original', 0));
      // Two editors open version 1; the admin saves first.
      expect((await saveCommentary(t.db, admin, save('Admin saved first', 1))).status).toBe('saved');
      const before = await counts();
      const second = await saveCommentary(t.db, owner, save('Owner saved second', 1));
      expect(second.status).toBe('conflict');
      if (second.status !== 'conflict') throw new Error('unreachable');
      expect(second.current).toMatchObject({ body: 'Admin saved first', version: 2, author: { name: 'Maya Okafor' } });
      expect(await counts()).toEqual(before);
      expect((await getCommentary(t.db, 'spot_fix_cost', '2025-03'))?.body).toBe('Admin saved first');
      // Having reviewed it, the owner saves again from version 2.
      expect((await saveCommentary(t.db, owner, save('Owner saved second', 2))).status).toBe('saved');
      expect((await getCommentary(t.db, 'spot_fix_cost', '2025-03'))?.version).toBe(3);
    });

    it('reports a conflict when two people write the first commentary for the same period', async () => {
      await saveCommentary(t.db, admin, save('Admin first', 0));
      const second = await saveCommentary(t.db, owner, save('Owner also first', 0));
      expect(second).toMatchObject({ status: 'conflict', current: { body: 'Admin first', version: 1 } });
    });

    it('lets exactly one of two simultaneous saves from the same version win', async () => {
      await saveCommentary(t.db, owner, save('Start', 0));
      const results = await Promise.all([
        saveCommentary(t.db, owner, save('Racer A', 1)),
        saveCommentary(t.db, admin, save('Racer B', 1)),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['conflict', 'saved']);
      expect((await getCommentary(t.db, 'spot_fix_cost', '2025-03'))?.version).toBe(2);
      expect((await counts()).revisions).toBe(2);
    });

    it('keeps the text of commentary loaded without a revision when it is first edited', async () => {
      await t.db.execute(
        sql`insert into commentary (metric_key, period, body, author_id, version) values ('spot_fix_cost', '2025-03', 'Seeded', ${owner.id}, 1)`,
      );
      await saveCommentary(t.db, owner, save('Edited', 1));
      const revisions = await listCommentaryRevisions(t.db, 'spot_fix_cost', '2025-03');
      expect(revisions.map((r) => [r.version, r.body])).toEqual([
        [2, 'Edited'],
        [1, 'Seeded'],
      ]);
    });

    it('writes nothing for a save that changes nothing', async () => {
      await saveCommentary(t.db, owner, save('Same', 0));
      const before = await counts();
      expect((await saveCommentary(t.db, owner, save('  Same  ', 1))).status).toBe('unchanged');
      expect(await counts()).toEqual(before);
    });
  });

  describe('actions', () => {
    const newAction = (ownerId: number, extra: Record<string, unknown> = {}) =>
      actionCreateSchema.parse({
        metricKey: 'spot_fix_cost',
        period: '2025-03',
        title: 'Fix the router firmware',
        ownerId: String(ownerId),
        dueOn: '2025-04-30',
        openedOn: '2025-03-05',
        ...extra,
      });

    it('lets the metric owner add an action for someone else and move it through its statuses, auditing each change', async () => {
      const created = await createAction(t.db, owner, newAction(other.id));
      expect(created).toMatchObject({ title: 'Fix the router firmware', owner: { id: other.id, name: 'Aisha Karim' }, dueOn: '2025-04-30', status: 'open' });
      await updateActionStatus(t.db, owner, actionStatusSchema.parse({ id: String(created.id), status: 'in_progress' }));
      await updateActionStatus(t.db, admin, actionStatusSchema.parse({ id: String(created.id), status: 'done' }));
      const [listed] = await listActions(t.db, 'spot_fix_cost', P('2025-03'));
      expect(listed.status).toBe('done');
      const audit = await queryRows<{ action: string; entity: string; before: { status: string } | null; after: { status: string } }>(
        t.db,
        sql`select action, entity, before, after from audit_log order by id`,
      );
      expect(audit.map((a) => [a.action, a.entity, a.before?.status ?? null, a.after.status])).toEqual([
        ['create', 'metric_action', null, 'open'],
        ['update', 'metric_action', 'open', 'in_progress'],
        ['update', 'metric_action', 'in_progress', 'done'],
      ]);
    });

    it('refuses actions from an executive who does not own the metric, and from a viewer, writing nothing', async () => {
      await expect(createAction(t.db, other, newAction(other.id))).rejects.toBeInstanceOf(ForbiddenError);
      await expect(createAction(t.db, viewer, newAction(owner.id))).rejects.toBeInstanceOf(ForbiddenError);
      const created = await createAction(t.db, owner, newAction(owner.id));
      const before = await counts();
      // Being the action's owner is not enough: the metric's owner (or an admin) decides.
      const otherOwned = await createAction(t.db, owner, newAction(other.id, { title: 'Given to Aisha' }));
      await expect(updateActionStatus(t.db, other, { id: otherOwned.id, status: 'done' })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(updateActionStatus(t.db, viewer, { id: created.id, status: 'done' })).rejects.toBeInstanceOf(ForbiddenError);
      expect((await counts()).actions).toBe(before.actions + 1);
      expect((await listActions(t.db, 'spot_fix_cost', P('2025-03'))).map((a) => a.status)).toEqual(['open', 'open']);
    });

    it('lets an admin add actions on any metric', async () => {
      await createAction(t.db, admin, newAction(owner.id, { metricKey: 'retention' }));
      expect(await listActions(t.db, 'retention', P('2025-03'))).toHaveLength(1);
    });

    it('refuses an action owned by a viewer, an inactive person or nobody known, writing nothing', async () => {
      const gone = await makeExecutive('executive', 'Former Exec', false);
      for (const ownerId of [viewer.id, gone.id, 99999]) {
        await expect(createAction(t.db, owner, newAction(ownerId))).rejects.toBeInstanceOf(ActionInputError);
      }
      expect(await counts()).toEqual({ commentary: 0, revisions: 0, actions: 0, audit: 0 });
      const options = await listActionOwnerOptions(t.db);
      expect(options.map((o) => o.name)).toEqual(['Aisha Karim', 'Maya Okafor', 'Tom Brennan']);
    });

    it('lists open work first, then in progress, then done, earliest due first', async () => {
      const a = await createAction(t.db, owner, newAction(owner.id, { title: 'Late', dueOn: '2025-05-01' }));
      await createAction(t.db, owner, newAction(owner.id, { title: 'Soon', dueOn: '2025-04-01' }));
      await createAction(t.db, owner, newAction(owner.id, { title: 'Undated', dueOn: '' }));
      await createAction(t.db, owner, newAction(owner.id, { title: 'Started', status: 'in_progress' }));
      await updateActionStatus(t.db, owner, { id: a.id, status: 'done' });
      const listed = await listActions(t.db, 'spot_fix_cost', P('2025-03'));
      expect(listed.map((x) => x.title)).toEqual(['Soon', 'Undated', 'Started', 'Late']);
    });
  });

  describe('over time', () => {
    const action = (extra: Record<string, unknown>) =>
      actionCreateSchema.parse({ metricKey: 'spot_fix_cost', title: 'Move bookings in-house', ownerId: String(owner.id), ...extra });
    const titlesIn = async (label: string, today = '2026-06-30') =>
      (await listActions(t.db, 'spot_fix_cost', P(label), today)).map((a) => a.title);

    it('shows a quarter its own commentary and, beneath it, the months’ written within it, newest first', async () => {
      for (const [period, body] of [
        ['2025-09', 'September, before the quarter'],
        ['2025-10', 'October story'],
        ['2025-12', 'December story'],
        ['2025-11', 'November story'],
        ['2025-Q4', 'The quarter in one paragraph'],
        ['2026-01', 'January, after the quarter'],
      ]) {
        await saveCommentary(t.db, owner, save(body, 0, 'spot_fix_cost', period));
      }
      await saveCommentary(t.db, other, save('Retention in November', 0, 'retention', '2025-11'));

      const quarter = await listPeriodCommentary(t.db, P('2025-Q4'));
      expect(quarter.spot_fix_cost.own?.body).toBe('The quarter in one paragraph');
      expect(quarter.spot_fix_cost.within.map((c) => c.period)).toEqual(['2025-12', '2025-11', '2025-10']);
      expect(quarter.retention).toMatchObject({ own: null, within: [{ period: '2025-11', body: 'Retention in November' }] });
      expect(quarter.recommendation).toEqual({ own: null, within: [] });

      const year = await listPeriodCommentary(t.db, P('2025'));
      expect(year.spot_fix_cost.own).toBeNull();
      expect(year.spot_fix_cost.within.map((c) => c.period)).toEqual(['2025-Q4', '2025-12', '2025-11', '2025-10', '2025-09']);

      const month = await listPeriodCommentary(t.db, P('2025-11'));
      expect(month.spot_fix_cost).toMatchObject({ own: { body: 'November story' }, within: [] });
    });

    it('shows an action opened in October and done in December in October, November, December, Q4 and 2025, not in September or January', async () => {
      const created = await createAction(t.db, owner, action({ openedOn: '2025-10-14', dueOn: '2025-11-30' }), '2025-10-14');
      expect(created).toMatchObject({ openedOn: '2025-10-14', doneOn: null, status: 'open' });
      await updateActionStatus(t.db, owner, { id: created.id, status: 'in_progress' }, '2025-11-03');
      const done = await updateActionStatus(t.db, owner, { id: created.id, status: 'done' }, '2025-12-05');
      expect(done).toMatchObject({ status: 'done', doneOn: '2025-12-05' });

      for (const label of ['2025-10', '2025-11', '2025-12', '2025-Q4', '2025']) {
        expect(await titlesIn(label), label).toEqual(['Move bookings in-house']);
      }
      for (const label of ['2025-09', '2026-01', '2025-Q3', '2026-Q1', '2024', '2026']) {
        expect(await titlesIn(label), label).toEqual([]);
      }
      // Open at the end of October and November; done by the end of December and of the quarter.
      expect((await countActionsByMetric(t.db, P('2025-10'), '2026-06-30')).spot_fix_cost).toEqual({ open: 1, overdue: 0 });
      expect((await countActionsByMetric(t.db, P('2025-11'), '2026-06-30')).spot_fix_cost).toEqual({ open: 1, overdue: 0 });
      expect((await countActionsByMetric(t.db, P('2025-12'), '2026-06-30')).spot_fix_cost).toEqual({ open: 0, overdue: 0 });
      expect((await countActionsByMetric(t.db, P('2025-Q4'), '2026-06-30')).spot_fix_cost).toEqual({ open: 0, overdue: 0 });

      expect((await listActionStatusChanges(t.db, created.id)).map((c) => [c.from, c.to, c.changedOn, c.changedBy])).toEqual([
        [null, 'open', '2025-10-14', 'Tom Brennan'],
        ['open', 'in_progress', '2025-11-03', 'Tom Brennan'],
        ['in_progress', 'done', '2025-12-05', 'Tom Brennan'],
      ]);
    });

    it('marks an action overdue in the periods that end (or, while running, reach today) past its due date before it is done', async () => {
      const late = await createAction(t.db, owner, action({ title: 'Late one', openedOn: '2025-10-01', dueOn: '2025-11-15' }), '2025-10-01');
      await createAction(t.db, owner, action({ title: 'On time', openedOn: '2025-10-01', dueOn: '2026-03-31' }), '2025-10-01');
      await createAction(t.db, owner, action({ title: 'Undated', openedOn: '2025-10-01', dueOn: '' }), '2025-10-01');

      const overdueIn = async (label: string, today: string) =>
        (await listActions(t.db, 'spot_fix_cost', P(label), today)).filter((a) => a.isOverdue).map((a) => a.title);
      expect(await overdueIn('2025-10', '2026-06-30')).toEqual([]);
      expect(await overdueIn('2025-11', '2026-06-30')).toEqual(['Late one']);
      // A period still running is judged today: due the 15th, not overdue on the 15th, overdue on the 16th.
      expect(await overdueIn('2025-11', '2025-11-15')).toEqual([]);
      expect(await overdueIn('2025-11', '2025-11-16')).toEqual(['Late one']);
      expect((await countActionsByMetric(t.db, P('2025-Q4'), '2026-06-30')).spot_fix_cost).toEqual({ open: 3, overdue: 1 });

      await updateActionStatus(t.db, owner, { id: late.id, status: 'done' }, '2025-12-05');
      // Still overdue at the end of November (it was done later), no longer open at the end of December.
      expect(await overdueIn('2025-11', '2026-06-30')).toEqual(['Late one']);
      expect(await overdueIn('2025-12', '2026-06-30')).toEqual([]);
      expect((await countActionsByMetric(t.db, P('2025-12'), '2026-06-30')).spot_fix_cost).toEqual({ open: 2, overdue: 0 });
      const [lateInDecember] = (await listActions(t.db, 'spot_fix_cost', P('2025-12'), '2026-06-30')).filter((a) => a.title === 'Late one');
      expect(lateInDecember).toMatchObject({ isOpen: false, isOverdue: false, doneOn: '2025-12-05' });
      expect((await countActionsByMetric(t.db, P('2026-04'), '2026-06-30')).spot_fix_cost).toEqual({ open: 2, overdue: 1 });
    });

    it('reopening clears the done day, and the action shows again in later periods', async () => {
      const created = await createAction(t.db, owner, action({ openedOn: '2025-10-14' }), '2025-10-14');
      await updateActionStatus(t.db, owner, { id: created.id, status: 'done' }, '2025-10-20');
      expect(await titlesIn('2025-12')).toEqual([]);
      expect(await updateActionStatus(t.db, owner, { id: created.id, status: 'open' }, '2025-12-02')).toMatchObject({ doneOn: null });
      expect(await titlesIn('2025-12')).toEqual(['Move bookings in-house']);
    });

    it('ties an action to a known recurring issue, and refuses an unknown issue or an opening after today, writing nothing', async () => {
      await t.db.insert(recurringIssues).values({ issueKey: 'late delivery', label: 'Late delivery' });
      const tied = await createAction(t.db, owner, action({ issueKey: 'late delivery', openedOn: '2025-10-01' }), '2025-10-01');
      expect(tied.issue).toEqual({ key: 'late delivery', label: 'Late delivery' });
      const before = await counts();
      await expect(createAction(t.db, owner, action({ issueKey: 'no such issue' }), '2025-10-01')).rejects.toMatchObject({
        field: 'issueKey',
      });
      await expect(createAction(t.db, owner, action({ openedOn: '2025-10-02' }), '2025-10-01')).rejects.toBeInstanceOf(ActionInputError);
      expect(await counts()).toEqual(before);
    });
  });

  describe('validation', () => {
    it('names the field at fault', () => {
      const bad = commentarySaveSchema.safeParse({ metricKey: 'spot_fix_cost', period: '2025-13', body: ' ', baseVersion: 'x' });
      expect(bad.success).toBe(false);
      const paths = bad.error!.issues.map((i) => i.path[0]).sort();
      expect(paths).toEqual(['baseVersion', 'body', 'period']);
      const action = actionCreateSchema.safeParse({ metricKey: 'nps', period: '2025-03', title: '', ownerId: '', dueOn: '2025-02-30' });
      expect(action.error!.issues.map((i) => i.path[0]).sort()).toEqual(['dueOn', 'metricKey', 'ownerId', 'title']);
    });

    it('stores the period as its canonical label', () => {
      expect(commentarySaveSchema.parse({ metricKey: 'retention', period: ' 2025-Q1 ', body: 'x', baseVersion: 0 }).period).toBe('2025-Q1');
    });
  });
  it('offers the issues that cost the most in the twelve months to this one first', async () => {
    await t.reset();
    const csv = [
      'spot_fix_id,occurred_on,issue,category,cost',
      // June 2025 is before the twelve months that end with June 2026: its 900 does not count.
      'S1,2025-06-30,Broken lift,other,900.00',
      'S2,2026-06-01,Broken lift,other,50.00',
      'S3,2025-07-01,Late refunds,discount,300.00',
      // After today: not yet spent.
      'S4,2026-07-01,Broken lift,other,1000.00',
    ].join('\n');
    const result = await importCsv(t.db, 'spot-fixes', () => csv, CLI_ACTOR);
    expect(result.ok).toBe(true);
    expect((await listActionIssueOptions(t.db, '2026-06-15')).map((o) => o.label)).toEqual(['Late refunds', 'Broken lift']);
    expect((await listActionIssueOptions(t.db, '2026-07-15')).map((o) => o.label)).toEqual(['Broken lift', 'Late refunds']);
    expect(await listActionIssueOptions(t.db, '2026-07-15', 1)).toHaveLength(1);
  });
});
