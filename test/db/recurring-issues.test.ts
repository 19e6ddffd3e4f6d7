import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError } from '@/lib/auth/permissions';
import type { Db } from '@/lib/db';
import { executives, type Role } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { CLI_ACTOR } from '@/lib/data/audit';
import { applyRecords } from '@/lib/data/records';
import { listIssuePeriods, listRecurringIssuePage, listRecurringIssues, RecurringIssueError, updateRecurringIssue } from '@/lib/data/recurring-issues';
import { issueListQuerySchema, recurringIssueUpdateSchema } from '@/lib/validation/issues';
import { validateRecord, type SpotFixRecord } from '@/lib/validation/records';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

async function makeExecutive(db: Db, name: string, role: Role, isActive = true) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.test`;
  const [row] = await db.insert(executives).values({ name, email, title: 'Chief', powerCore: 'it', role, isActive }).returning();
  return { id: row.id, name: row.name, role: row.role };
}

function fix(id: string, on: string, issue: string, cost: string): SpotFixRecord {
  const result = validateRecord('spot-fixes', { spot_fix_id: id, occurred_on: on, issue, category: 'discount', cost, customer_id: 'C1' });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.record;
}

describe.each(DATABASE_TARGETS)('recurring issues on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(async () => {
    await t.reset();
    await applyRecords(
      t.db,
      'spot-fixes',
      [
        [
          fix('a', '2025-01-02', 'Late delivery', '100'),
          // Same first day: not a repeat (no strictly earlier spot fix).
          fix('b', '2025-01-02', ' late DELIVERY', '50.25'),
          fix('c', '2025-02-10', 'Late delivery', '200'),
          fix('d', '2025-03-20', 'Late delivery', '10'),
          fix('e', '2025-03-01', 'Billing error', '30'),
        ],
      ],
      CLI_ACTOR,
    );
  });
  afterAll(() => t?.close());

  it('keeps every spot fix tied to a recurring issue, for writes that go around the app too', async () => {
    const code = async (statement: Promise<unknown>) => {
      const error = await statement.then(() => null, (e: unknown) => e as { code?: string; cause?: { code?: string } });
      return error && (error.cause?.code ?? error.code);
    };
    const missing = code(
      t.db.execute(sql`insert into spot_fixes (spot_fix_id, occurred_on, issue, issue_key, category, cost)
                       values ('x1', '2025-04-01', 'Unknown', 'unknown', 'discount', 5), ('x2', '2025-04-01', 'Late', 'late delivery', 'discount', 5)`),
    );
    expect(await missing).toBe('23503');
    expect(await code(t.db.execute(sql`update spot_fixes set issue_key = 'nowhere' where spot_fix_id = 'e'`))).toBe('23503');
    expect(await code(t.db.execute(sql`delete from recurring_issues where issue_key = 'billing error'`))).toBe('23503');
    expect(await code(t.db.execute(sql`update recurring_issues set issue_key = 'billing' where issue_key = 'billing error'`))).toBe('23503');
    // Nothing was written; an issue no spot fix uses any more may go.
    const [row] = await queryRows<{ fixes: number; issues: number }>(
      t.db,
      sql`select (select count(*) from spot_fixes)::int as fixes, (select count(*) from recurring_issues)::int as issues`,
    );
    expect(row).toEqual({ fixes: 5, issues: 2 });
    await t.db.execute(sql`delete from spot_fixes where spot_fix_id = 'e'`);
    await t.db.execute(sql`delete from recurring_issues where issue_key = 'billing error'`);
    expect(await code(t.db.execute(sql`update recurring_issues set label = 'Late deliveries' where issue_key = 'late delivery'`))).toBeNull();
  });

  it('totals each issue in SQL: count, total and repeat cost, first and last seen, open until fixed', async () => {
    const issues = await listRecurringIssues(t.db);
    expect(issues).toEqual([
      {
        issueKey: 'late delivery',
        label: 'Late delivery',
        count: 4,
        totalCost: '360.25',
        repeatCost: '210.00',
        repeats: 2,
        firstSeen: '2025-01-02',
        lastSeen: '2025-03-20',
        ownerId: null,
        ownerName: null,
        ownerTitle: null,
        estimatedFixCost: null,
        fixedOn: null,
        cameBack: 0,
        lastCameBack: null,
      },
      expect.objectContaining({ issueKey: 'billing error', count: 1, totalCost: '30.00', repeatCost: '0.00', repeats: 0 }),
    ]);
  });

  it('filters, sorts and pages in SQL, with totals of everything the filters match', async () => {
    const q = (params: Record<string, string>) => issueListQuerySchema.parse(params);
    const keys = (page: { issues: Array<{ issueKey: string }> }) => page.issues.map((i) => i.issueKey);

    const all = await listRecurringIssuePage(t.db, q({}));
    expect(keys(all)).toEqual(['late delivery', 'billing error']);
    expect(all).toMatchObject({ matching: 2, page: 1, pages: 1, totals: { repeatCost: '210.00', open: 2, cameBack: 0, oneOffs: 1 } });

    expect(keys(await listRecurringIssuePage(t.db, q({ kind: 'one-off' })))).toEqual(['billing error']);
    expect(keys(await listRecurringIssuePage(t.db, q({ kind: 'recurring' })))).toEqual(['late delivery']);
    expect(keys(await listRecurringIssuePage(t.db, q({ sort: 'issue' })))).toEqual(['billing error', 'late delivery']);
    expect(keys(await listRecurringIssuePage(t.db, q({ sort: 'repeat-cost', dir: 'asc' })))).toEqual(['billing error', 'late delivery']);
    expect(keys(await listRecurringIssuePage(t.db, q({ state: 'fixed' })))).toEqual([]);
    expect(keys(await listRecurringIssuePage(t.db, q({ owner: 'none' })))).toEqual(['late delivery', 'billing error']);

    // In March only: Late delivery's one March spot fix is a repeat (it was first seen in January).
    const march = await listRecurringIssuePage(t.db, q({ period: '2025-03' }));
    expect(march.issues.map((i) => [i.issueKey, i.count, i.repeatCost])).toEqual([
      ['late delivery', 1, '10.00'],
      ['billing error', 1, '0.00'],
    ]);
    expect(keys(await listRecurringIssuePage(t.db, q({ period: '2025-02' })))).toEqual(['late delivery']);

    // One a page: the second page holds the second issue; a page past the end shows the last.
    const second = await listRecurringIssuePage(t.db, q({ page: '2' }), 1);
    expect(second).toMatchObject({ page: 2, pages: 2, matching: 2 });
    expect(keys(second)).toEqual(['billing error']);
    expect((await listRecurringIssuePage(t.db, q({ page: '9' }), 1)).page).toBe(2);

    // A URL edited by hand falls back to the defaults rather than failing.
    expect(q({ sort: 'drop table', page: '-3', period: 'soon', owner: '1 or 1=1' })).toMatchObject({ sort: 'repeat-cost', page: 1, period: undefined, owner: undefined });
    expect(await listIssuePeriods(t.db)).toEqual(['2025', '2025-Q1']);
  });

  it('lets an admin set the owner, estimate and fix date, audited; a spot fix after the fix date came back', async () => {
    const admin = await makeExecutive(t.db, 'Ada Admin', 'admin');
    const cio = await makeExecutive(t.db, 'Aisha CIO', 'executive');
    const input = recurringIssueUpdateSchema.parse({ issueKey: 'late delivery', ownerId: String(cio.id), estimatedFixCost: '25000', fixedOn: '2025-03-01' });
    await updateRecurringIssue(t.db, admin, input, '2025-12-31');
    const [issue] = await listRecurringIssues(t.db);
    expect(issue).toMatchObject({ ownerName: 'Aisha CIO', estimatedFixCost: '25000.00', fixedOn: '2025-03-01', cameBack: 1, lastCameBack: '2025-03-20' });
    const audit = await queryRows<{ action: string; entity: string; entityId: string; after: unknown }>(
      t.db,
      sql`select action, entity, entity_id as "entityId", after from audit_log where entity = 'recurring_issue'`,
    );
    expect(audit).toEqual([
      { action: 'update', entity: 'recurring_issue', entityId: 'late delivery', after: { ownerId: cio.id, estimatedFixCost: '25000.00', fixedOn: '2025-03-01' } },
    ]);
  });

  it('refuses non-admins, viewers or inactive people as owners, future fix dates and unknown issues', async () => {
    const admin = await makeExecutive(t.db, 'Ada Admin', 'admin');
    const executive = await makeExecutive(t.db, 'Eve Exec', 'executive');
    const viewer = await makeExecutive(t.db, 'Vic Viewer', 'viewer');
    const gone = await makeExecutive(t.db, 'Gone Person', 'executive', false);
    const base = { issueKey: 'late delivery', ownerId: null, estimatedFixCost: null, fixedOn: null };
    await expect(updateRecurringIssue(t.db, executive, base, '2025-12-31')).rejects.toBeInstanceOf(ForbiddenError);
    for (const ownerId of [viewer.id, gone.id, 9999]) {
      await expect(updateRecurringIssue(t.db, admin, { ...base, ownerId }, '2025-12-31')).rejects.toMatchObject({ field: 'ownerId' });
    }
    await expect(updateRecurringIssue(t.db, admin, { ...base, fixedOn: '2026-01-01' }, '2025-12-31')).rejects.toBeInstanceOf(RecurringIssueError);
    await expect(updateRecurringIssue(t.db, admin, { ...base, issueKey: 'nope' }, '2025-12-31')).rejects.toMatchObject({ field: 'issueKey' });
    const [{ n }] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from audit_log where entity = 'recurring_issue'`);
    expect(n).toBe(0);
    expect(recurringIssueUpdateSchema.safeParse({ ...base, estimatedFixCost: '12.345' }).success).toBe(false);
  });
});
