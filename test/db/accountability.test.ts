import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { executives, metricActions, metrics, recurringIssues } from '@/lib/db/schema';
import { CLI_ACTOR } from '@/lib/data/audit';
import { getAccountabilityMap, getMyAccountability } from '@/lib/data/accountability';
import { applyRecords } from '@/lib/data/records';
import { updateRecurringIssue } from '@/lib/data/recurring-issues';
import { clearViewCache, readDataFingerprint } from '@/lib/data/view-cache';
import { parsePeriod } from '@/lib/metrics/period';
import { validateRecord } from '@/lib/validation/records';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

const MARCH = parsePeriod('2025-03');

describe.each(DATABASE_TARGETS)('accountability (%s)', (target) => {
  let t: TestDatabase;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await openTestDatabase(target);
    const people = await t.db
      .insert(executives)
      .values([
        { name: 'Cleo Sales', email: 'cleo@example.com', title: 'CRO', powerCore: 'sales', role: 'executive' },
        { name: 'Omar Ops', email: 'omar@example.com', title: 'COO', powerCore: 'operations', role: 'executive' },
        { name: 'Ivy Idle', email: 'ivy@example.com', title: 'Adviser', powerCore: 'operations', role: 'viewer' },
        { name: 'Gone Person', email: 'gone@example.com', title: 'Former CIO', powerCore: 'it', role: 'executive', isActive: false },
      ])
      .returning();
    for (const p of people) ids[p.email.split('@')[0]] = p.id;
    await t.db.update(metrics).set({ ownerId: ids.cleo }).where(eq(metrics.key, 'retention'));
    await t.db.update(metrics).set({ ownerId: ids.omar }).where(eq(metrics.key, 'spot_fix_cost'));

    const fixes = [
      ['f1', '2024-06-01', 'Late delivery', '100.00'],
      ['f2', '2025-03-02', 'Late delivery', '40.00'],
      ['f3', '2025-03-03', 'Billing errors', '70.00'],
      ['f4', '2023-01-01', 'Old problem', '999.00'],
      ['f5', '2025-04-01', 'Late delivery', '500.00'],
    ].map(([id, on, issue, cost]) => {
      const result = validateRecord('spot-fixes', {
        spot_fix_id: id,
        occurred_on: on,
        issue,
        category: 'meeting',
        cost,
        customer_id: 'c1',
      });
      if (!result.ok) throw new Error('bad fixture');
      return result.record;
    });
    await applyRecords(t.db, 'spot-fixes', [fixes], CLI_ACTOR, 'test');
    await t.db
      .update(recurringIssues)
      .set({ ownerId: ids.omar, estimatedFixCost: '1000.00' })
      .where(eq(recurringIssues.issueKey, 'late delivery'));
    await t.db.insert(metricActions).values([
      { metricKey: 'spot_fix_cost', period: '2025-03', title: 'Fix the booking system', ownerId: ids.omar, createdById: ids.omar, dueOn: '2025-05-01' },
      { metricKey: 'spot_fix_cost', period: '2025-02', title: 'Already done', ownerId: ids.omar, createdById: ids.omar, status: 'done' },
    ]);
  });
  afterAll(() => t?.close());
  // The view cache is per process; each database here starts at the same data version.
  beforeEach(() => clearViewCache());

  it('puts every power core on the map with its active executives (not viewers) and what each answers for', async () => {
    const map = await getAccountabilityMap(t.db, MARCH);
    expect(map.cores.map((c) => c.powerCore)).toEqual([
      'product',
      'sales',
      'marketing',
      'vertical_business',
      'it',
      'customer',
      'operations',
    ]);
    const core = (name: string) => map.cores.find((c) => c.powerCore === name)!;
    expect(core('sales').executives.map((e) => [e.name, e.metrics])).toEqual([['Cleo Sales', ['retention']]]);
    // The deactivated executive is not on the map, nor the viewer who answers for nothing: a viewer only looks.
    expect(core('operations').executives.map((e) => e.name)).toEqual(['Omar Ops']);
    expect(core('it').executives).toEqual([]);
    const omar = core('operations').executives[0];
    expect(omar.metrics).toEqual(['spot_fix_cost']);
    expect(omar.issues.map((i) => [i.label, i.cost, i.repeatCost, i.costLastYear, i.lastSeenOn])).toEqual([
      ['Late delivery', '40.00', '40.00', '140.00', '2025-03-02'],
    ]);
  });

  it('lists issues with spend in the last year that nobody answers for, and leaves out stale ones', async () => {
    const map = await getAccountabilityMap(t.db, MARCH);
    expect(map.unownedIssues.map((i) => [i.label, i.costLastYear])).toEqual([['Billing errors', '70.00']]);
  });

  it('gives an executive their metrics, their issues and their actions not yet done', async () => {
    const mine = await getMyAccountability(t.db, ids.omar, MARCH);
    expect(mine.metrics).toEqual(['spot_fix_cost']);
    expect(mine.issues.map((i) => i.label)).toEqual(['Late delivery']);
    expect(mine.actions.map((a) => [a.title, a.dueOn, a.status])).toEqual([['Fix the booking system', '2025-05-01', 'open']]);
    const nobody = await getMyAccountability(t.db, ids.ivy, MARCH);
    expect(nobody).toEqual({ metrics: [], issues: [], actions: [] });
  });

  it('gives the same answers from the per-version cache, and sees a new owner or a new fix at once', async () => {
    const fresh = () => readDataFingerprint(t.db, MARCH.label);
    expect(await getAccountabilityMap(t.db, MARCH, await fresh())).toEqual(await getAccountabilityMap(t.db, MARCH));
    expect(await getMyAccountability(t.db, ids.omar, MARCH, await fresh())).toEqual(await getMyAccountability(t.db, ids.omar, MARCH));

    const admin = { id: ids.cleo, role: 'admin' as const, name: 'Cleo Sales' };
    await updateRecurringIssue(t.db, admin, { issueKey: 'billing errors', ownerId: ids.cleo, estimatedFixCost: null, fixedOn: null }, '2025-12-31');
    expect((await getMyAccountability(t.db, ids.cleo, MARCH, await fresh())).issues.map((i) => i.label)).toEqual(['Billing errors']);
    expect((await getAccountabilityMap(t.db, MARCH, await fresh())).unownedIssues).toEqual([]);

    const fix = validateRecord('spot-fixes', { spot_fix_id: 'f6', occurred_on: '2025-03-20', issue: 'Billing errors', category: 'discount', cost: '30.00', customer_id: 'c1' });
    if (!fix.ok) throw new Error('bad fixture');
    await applyRecords(t.db, 'spot-fixes', [[fix.record]], CLI_ACTOR, 'test');
    const billing = (await getMyAccountability(t.db, ids.cleo, MARCH, await fresh())).issues[0];
    expect([billing.fixes, billing.cost, billing.repeatCost]).toEqual([2, '100.00', '30.00']);
  });
});

