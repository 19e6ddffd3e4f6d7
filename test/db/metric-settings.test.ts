import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { executives, metrics, type Role } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { ForbiddenError } from '@/lib/auth/permissions';
import { listMetricSettings, reassignMetricOwner, updateDataSince, updateMetricTargets } from '@/lib/data/metric-settings';
import { AdminRuleError, type Me } from '@/lib/data/people';
import { metricTargetsFromForm, percentToRatio, ratioToPercent } from '@/lib/validation/admin';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

let sequence = 0;
async function makeExecutive(t: TestDatabase, role: Role, isActive = true): Promise<Me> {
  sequence += 1;
  const [row] = await t.db
    .insert(executives)
    .values({ name: `${role} ${sequence}`, email: `m${sequence}@example.test`, title: 'T', powerCore: 'it', role, isActive })
    .returning();
  return { id: row.id, role: row.role, name: row.name };
}

async function state(t: TestDatabase) {
  return queryRows(
    t.db,
    sql`select key, owner_id, data_since::text,
               (select string_agg(concat_ws(' ', t.granularity, t.effective_from, t.target, t.at_risk_threshold), '; '
                                  order by t.granularity, t.effective_from)
                  from metric_targets t where t.metric_key = m.key) as targets,
               (select count(*)::int from audit_log) as audits, (select data_version from organisation) as version
        from metrics m order by key`,
  );
}

describe('percentages and money in the targets form', () => {
  it('turns percentages into exact ratios and back', () => {
    expect(percentToRatio('95')).toBe('0.9500');
    expect(percentToRatio('92.5 %')).toBe('0.9250');
    expect(percentToRatio('100')).toBe('1.0000');
    expect(percentToRatio('0.01')).toBe('0.0001');
    expect(percentToRatio('100.01')).toBeNull();
    expect(percentToRatio('-1')).toBeNull();
    expect(percentToRatio('9.999')).toBeNull();
    expect(percentToRatio('abc')).toBeNull();
    expect(ratioToPercent('0.9250')).toBe('92.5');
    expect(ratioToPercent('0.9500')).toBe('95');
    expect(ratioToPercent('1.0000')).toBe('100');
  });

  it('names the field that is wrong', () => {
    expect(metricTargetsFromForm('spot_fix_cost', { target: '$40,000', atRiskThreshold: '50000.50' })).toEqual({
      ok: true,
      target: '40000',
      atRiskThreshold: '50000.50',
    });
    const bad = metricTargetsFromForm('retention', { target: '95', atRiskThreshold: 'ninety' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.fieldErrors)).toEqual(['atRiskThreshold']);
  });
});

describe.each(DATABASE_TARGETS)('metric ownership and targets on %s', (target) => {
  let t: TestDatabase;
  let admin: Me;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(async () => {
    await t.reset();
    admin = await makeExecutive(t, 'admin');
    await t.db.update(metrics).set({ ownerId: admin.id });
  });
  afterAll(() => t?.close());

  it('reassigns an owner to an active executive, with the audit entry naming both', async () => {
    const exec = await makeExecutive(t, 'executive');
    expect(await reassignMetricOwner(t.db, admin, 'retention', exec.id)).toBe(true);
    const settings = await listMetricSettings(t.db, admin);
    expect(settings.map((s) => s.key)).toEqual(['retention', 'recommendation', 'spot_fix_cost']);
    expect(settings[0].owner).toMatchObject({ id: exec.id, name: exec.name, isActive: true });
    const [audit] = await queryRows<{ action: string; entity_id: string; before: unknown; after: unknown }>(
      t.db,
      sql`select action, entity_id, before, after from audit_log`,
    );
    expect(audit).toEqual({
      action: 'assign-owner',
      entity_id: 'retention',
      before: { ownerId: admin.id, ownerName: admin.name },
      after: { ownerId: exec.id, ownerName: exec.name },
    });
    // Giving it to the same owner again changes nothing and writes nothing.
    expect(await reassignMetricOwner(t.db, admin, 'retention', exec.id)).toBe(false);
    expect((await state(t))[0]).toMatchObject({ audits: 1 });
  });

  it('never gives a metric to a viewer, an inactive person or nobody', async () => {
    const viewer = await makeExecutive(t, 'viewer');
    const gone = await makeExecutive(t, 'executive', false);
    const before = await state(t);
    await expect(reassignMetricOwner(t.db, admin, 'retention', viewer.id)).rejects.toThrow(/is a viewer and cannot own/);
    await expect(reassignMetricOwner(t.db, admin, 'retention', gone.id)).rejects.toThrow(AdminRuleError);
    await expect(reassignMetricOwner(t.db, admin, 'retention', 424242)).rejects.toThrow(AdminRuleError);
    expect(await state(t)).toEqual(before);
  });

  it.each(['executive', 'viewer'] as const)('refuses owners and targets from an %s and writes nothing', async (role) => {
    const me = await makeExecutive(t, role);
    const before = await state(t);
    await expect(reassignMetricOwner(t.db, me, 'retention', me.id)).rejects.toThrow(ForbiddenError);
    await expect(updateMetricTargets(t.db, me, 'retention', { target: '0.5', atRiskThreshold: '0.4' })).rejects.toThrow(ForbiddenError);
    await expect(listMetricSettings(t.db, me)).rejects.toThrow(ForbiddenError);
    expect(await state(t)).toEqual(before);
  });

  it('sets targets and thresholds, bumping the data version and auditing before and after', async () => {
    const from = { granularity: 'month' as const, effectiveFrom: '2026-01-01' };
    await updateMetricTargets(t.db, admin, 'recommendation', { target: '0.55', atRiskThreshold: '0.4250', ...from });
    await updateMetricTargets(t.db, admin, 'spot_fix_cost', { target: '35000', atRiskThreshold: '45000.50', ...from });
    const rows = await state(t);
    // A change is a new row from its date; the targets before it stay as they were.
    expect(rows.find((r) => (r as { key: string }).key === 'recommendation')).toMatchObject({
      targets: 'month 1900-01-01 0.5000 0.4000; month 2026-01-01 0.5500 0.4250',
      audits: 2,
      version: 2,
    });
    expect(rows.find((r) => (r as { key: string }).key === 'spot_fix_cost')).toMatchObject({
      targets: 'month 1900-01-01 40000.0000 50000.0000; month 2026-01-01 35000.0000 45000.5000',
    });
    const [audit] = await queryRows<{ before: unknown; after: unknown }>(t.db, sql`select before, after from audit_log where entity_id = 'recommendation'`);
    expect(audit).toEqual({
      before: { granularity: 'month', effectiveFrom: '2026-01-01', note: 'no monthly change from this date' },
      after: { granularity: 'month', effectiveFrom: '2026-01-01', target: '0.5500', atRiskThreshold: '0.4250' },
    });
    // The same values again: no change, no audit entry.
    await updateMetricTargets(t.db, admin, 'recommendation', { target: '0.5500', atRiskThreshold: '0.425', ...from });
    expect((await state(t))[0]).toMatchObject({ audits: 2, version: 2 });
  });

  it('refuses a threshold on the wrong side of the target for the metric’s direction, and nonsense values', async () => {
    const before = await state(t);
    await expect(updateMetricTargets(t.db, admin, 'retention', { target: '0.90', atRiskThreshold: '0.95' })).rejects.toThrow(
      /Higher is better .* must be below the target/,
    );
    await expect(updateMetricTargets(t.db, admin, 'retention', { target: '0.90', atRiskThreshold: '0.90' })).rejects.toThrow(/below the target/);
    await expect(updateMetricTargets(t.db, admin, 'spot_fix_cost', { target: '50000', atRiskThreshold: '40000' })).rejects.toThrow(
      /Lower is better .* must be above the target/,
    );
    await expect(updateMetricTargets(t.db, admin, 'retention', { target: '1.5', atRiskThreshold: '0.9' })).rejects.toThrow(/between 0 % and 100 %/);
    await expect(updateMetricTargets(t.db, admin, 'retention', { target: '-0.5', atRiskThreshold: '0.9' })).rejects.toThrow(AdminRuleError);
    await expect(updateMetricTargets(t.db, admin, 'spot_fix_cost', { target: '10.001', atRiskThreshold: '20' })).rejects.toThrow(/at most 2 decimal places/);
    await expect(
      updateMetricTargets(t.db, admin, 'retention', { target: '0.9', atRiskThreshold: '0.8', effectiveFrom: '2025-02-30' }),
    ).rejects.toThrow(/real date/);
    await expect(
      updateMetricTargets(t.db, admin, 'retention', { target: null, atRiskThreshold: null, granularity: 'month' }),
    ).rejects.toThrow(/monthly target must be set/);
    await expect(updateDataSince(t.db, admin, 'retention', '2025-13-01')).rejects.toThrow(/real date/);
    expect(await state(t)).toEqual(before);
  });
});
