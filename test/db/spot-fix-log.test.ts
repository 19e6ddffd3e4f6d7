import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError } from '@/lib/auth/permissions';
import type { Db } from '@/lib/db';
import { executives, type Role } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { listRecentSpotFixes, listSpotFixSuggestions, logSpotFix } from '@/lib/data/spot-fixes';
import { parseSpotFixForm } from '@/lib/validation/spot-fix-form';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

async function makeExecutive(db: Db, name: string, role: Role) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.test`;
  const [row] = await db.insert(executives).values({ name, email, title: 'Chief', powerCore: 'customer', role }).returning();
  return { id: row.id, name: row.name, role: row.role };
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
}

const filled = {
  occurred_on: '2025-03-14',
  issue: 'Router reboot loop',
  category: 'staff_time',
  cost: '125.5',
  customer_id: 'C-77',
  journey_stage: 'Onboarding',
  note: '',
};

describe('the spot-fix form', () => {
  it('validates with the spot-fix record schema, under the id the server chose', () => {
    expect(parseSpotFixForm(form(filled), 'web-1', '2025-03-14')).toMatchObject({
      ok: true,
      record: { ...filled, spot_fix_id: 'web-1', cost: '125.50', note: null },
    });
    // Money as people type it is stored exactly.
    for (const [typed, cost] of [['$1,200', '1200.00'], ['1,200.50', '1200.50']]) {
      expect(parseSpotFixForm(form({ ...filled, cost: typed }), 'web-1', '2025-03-14')).toMatchObject({ ok: true, record: { cost } });
    }
  });

  it('names each bad field, keeps what was typed, and refuses a date in the future', () => {
    const result = parseSpotFixForm(form({ ...filled, cost: '12.345', category: 'bribe', issue: ' ', spot_fix_id: 'forged' }), 'web-2', '2025-03-14');
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: {
        cost: ['Cost "12.345" has 3 decimal places: amounts go to the cent, like 12.35'],
        category: [expect.stringContaining('Category "bribe" is not one of')],
        issue: ['Issue is required'],
      },
      values: { cost: '12.345' },
    });
    expect(parseSpotFixForm(form({ ...filled, occurred_on: '2025-03-15' }), 'web-3', '2025-03-14')).toMatchObject({
      ok: false,
      fieldErrors: { occurred_on: ['Date must not be in the future'] },
    });
  });
});

describe.each(DATABASE_TARGETS)('logging spot fixes on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(() => t.reset());
  afterAll(() => t?.close());

  it('lets executives and admins log a spot fix through the one write path, audited, and refuses viewers', async () => {
    const executive = await makeExecutive(t.db, 'Eve Exec', 'executive');
    const viewer = await makeExecutive(t.db, 'Vic Viewer', 'viewer');
    const parsed = parseSpotFixForm(form(filled), 'web-a', '2025-12-31');
    if (!parsed.ok) throw new Error('invalid');
    expect(await logSpotFix(t.db, executive, parsed.record)).toMatchObject({ added: 1 });
    await expect(logSpotFix(t.db, viewer, { ...parsed.record, spot_fix_id: 'web-b' })).rejects.toBeInstanceOf(ForbiddenError);

    const rows = await queryRows<{ id: string; cost: string }>(t.db, sql`select spot_fix_id as id, cost::text as cost from spot_fixes`);
    expect(rows).toEqual([{ id: 'web-a', cost: '125.50' }]);
    const audit = await queryRows<{ action: string; entity: string; actor: string; actorId: number }>(
      t.db,
      sql`select action, entity, actor_label as actor, actor_id as "actorId" from audit_log`,
    );
    expect(audit).toEqual([{ action: 'log-spot-fix', entity: 'spot-fixes', actor: 'Eve Exec', actorId: executive.id }]);
  });

  it('lists recent spot fixes newest first, flagging repeats and those that came back after the fix, and suggests known issues', async () => {
    const admin = await makeExecutive(t.db, 'Ada Admin', 'admin');
    const log = async (id: string, on: string, issue: string) => {
      const parsed = parseSpotFixForm(form({ ...filled, occurred_on: on, issue }), id, '2030-01-01');
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
      await logSpotFix(t.db, admin, parsed.record);
    };
    await log('a', '2025-01-02', 'Late delivery');
    await log('b', '2025-01-02', 'late  DELIVERY');
    await log('c', '2025-02-01', 'Late delivery');
    await log('d', '2025-03-01', 'Billing error');
    await t.db.execute(sql`update recurring_issues set fixed_on = '2025-01-15' where issue_key = 'late delivery'`);
    await log('e', '2025-04-01', 'Late delivery ');

    const recent = await listRecentSpotFixes(t.db);
    expect(recent.map((r) => [r.spotFixId, r.isRepeat, r.cameBack])).toEqual([
      ['e', true, true],
      ['d', false, false],
      ['c', true, true],
      ['b', false, false],
      ['a', false, false],
    ]);
    expect((await listSpotFixSuggestions(t.db, '2025-04-15')).issues).toEqual(['Late delivery', 'Billing error']);
    expect((await listSpotFixSuggestions(t.db, '2025-04-15')).journeyStages).toEqual(['Onboarding']);
    // Stages are suggested from the last 12 months: by June 2026 none was written.
    expect(await listSpotFixSuggestions(t.db, '2026-06-15')).toEqual({ issues: ['Late delivery', 'Billing error'], journeyStages: [] });
  });
});
