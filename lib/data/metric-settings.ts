import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { executives, GRANULARITIES, metrics, metricTargets, METRIC_KEYS, type Direction, type MetricKey, type PowerCore } from '@/lib/db/schema';
import { periodContaining, todayIso, type Granularity } from '@/lib/metrics/period';
import { BEGINNING, defaultEffectiveFrom, resolveTarget, type ResolvedTarget } from '@/lib/metrics/targets';
import { assertCan } from '@/lib/auth/permissions';
import { decimalToUnits } from '@/lib/validation/admin';
import { writeAudit } from './audit';
import { bumpDataVersion } from './records';
import { actorOf, AdminRuleError, transferMetricOwner, type Me } from './people';
import { readMetricContexts } from './verdicts';

const isIsoDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** Metric ownership, targets over time and data-since dates (admins only). */
export interface TargetHistoryEntry {
  id: number;
  granularity: Granularity;
  effectiveFrom: string;
  /** Null: from this date the quarter's or year's target is derived from the month's again. */
  target: string | null;
  atRiskThreshold: string | null;
  setBy: string | null;
  createdAt: Date;
}

export interface MetricSetting {
  key: MetricKey;
  name: string;
  direction: Direction;
  owner: { id: number; name: string; title: string; powerCore: PowerCore; isActive: boolean } | null;
  /** The target in force now for each granularity (the period containing today), set or derived. */
  current: Record<Granularity, ResolvedTarget>;
  /** Every change, newest first. */
  history: TargetHistoryEntry[];
  /** The admin's date, or null when it follows the data. */
  dataSinceSet: string | null;
  /** What is in force: the admin's date or the month of the earliest record (null with no records). */
  dataSince: string | null;
  updatedAt: Date;
}

export const isMoneyMetric = (key: MetricKey) => key === 'spot_fix_cost';

export async function listMetricSettings(db: Queryable, me: Me, today: string = todayIso()): Promise<MetricSetting[]> {
  assertCan(me, 'administer');
  const contexts = await readMetricContexts(db);
  const rows = await db
    .select({
      key: metrics.key,
      name: metrics.name,
      direction: metrics.direction,
      dataSince: metrics.dataSince,
      updatedAt: metrics.updatedAt,
      ownerId: executives.id,
      ownerName: executives.name,
      ownerTitle: executives.title,
      ownerPowerCore: executives.powerCore,
      ownerIsActive: executives.isActive,
    })
    .from(metrics)
    .leftJoin(executives, eq(executives.id, metrics.ownerId));
  const history = await db
    .select({
      id: metricTargets.id,
      key: metricTargets.metricKey,
      granularity: metricTargets.granularity,
      effectiveFrom: metricTargets.effectiveFrom,
      target: metricTargets.target,
      atRiskThreshold: metricTargets.atRiskThreshold,
      setBy: executives.name,
      createdAt: metricTargets.createdAt,
    })
    .from(metricTargets)
    .leftJoin(executives, eq(executives.id, metricTargets.setById))
    .orderBy(desc(metricTargets.effectiveFrom), desc(metricTargets.id));
  return rows
    .sort((a, b) => METRIC_KEYS.indexOf(a.key) - METRIC_KEYS.indexOf(b.key))
    .map((r) => {
      const context = contexts[r.key];
      const current = Object.fromEntries(
        GRANULARITIES.map((granularity) => [granularity, resolveTarget(r.key, context.targets, periodContaining(today, granularity))!]),
      ) as Record<Granularity, ResolvedTarget>;
      return {
        key: r.key,
        name: r.name,
        direction: r.direction,
        owner:
          r.ownerId === null
            ? null
            : { id: r.ownerId, name: r.ownerName!, title: r.ownerTitle!, powerCore: r.ownerPowerCore!, isActive: r.ownerIsActive! },
        current,
        history: history.filter((h) => h.key === r.key).map(({ key: _key, ...entry }) => entry),
        dataSinceSet: r.dataSince,
        dataSince: context.dataSince,
        updatedAt: r.updatedAt,
      };
    });
}

/** Gives the metric to another active admin or executive; the audit entry names both owners. */
export async function reassignMetricOwner(db: Db, me: Me, key: MetricKey, ownerId: number): Promise<boolean> {
  assertCan(me, 'administer');
  return db.transaction((tx) => transferMetricOwner(tx, actorOf(me), key, ownerId));
}

export interface MetricTargets {
  /**
   * In stored units: a ratio for retention and recommendation, money for the whole period for
   * spot-fix cost. Both null (quarter or year only): derive from the month's target again.
   */
  target: string | null;
  atRiskThreshold: string | null;
  /** Default: month. */
  granularity?: Granularity;
  /** YYYY-MM-DD; default: the first day of the current period of that granularity. */
  effectiveFrom?: string;
}

const STORED_PLACES = 4;

function checkBound(key: MetricKey, value: string, field: 'target' | 'atRiskThreshold'): bigint {
  const units = decimalToUnits(value, isMoneyMetric(key) ? 2 : STORED_PLACES);
  const what = field === 'target' ? 'target' : 'at-risk threshold';
  if (units === null) {
    throw new AdminRuleError(
      isMoneyMetric(key) ? `The ${what} must be an amount of money with at most 2 decimal places.` : `The ${what} must be a ratio with at most 4 decimal places.`,
      field,
    );
  }
  if (isMoneyMetric(key) ? units >= 10n ** 12n : units > 10n ** BigInt(STORED_PLACES)) {
    throw new AdminRuleError(isMoneyMetric(key) ? `The ${what} is too large.` : `The ${what} must be between 0 % and 100 %.`, field);
  }
  return isMoneyMetric(key) ? units * 100n : units;
}

const GRANULARITY_NOUN: Record<Granularity, string> = { month: 'monthly', quarter: 'quarterly', year: 'yearly' };

/**
 * Sets a metric's target and at-risk threshold for a granularity, in force from a date on. The
 * periods that ended before it keep the targets they were judged by. The threshold must lie on
 * the worse side of the target (below it when higher is better, above it when lower is better),
 * else "at risk" is empty. Setting the same granularity and date again replaces that change.
 */
export async function updateMetricTargets(db: Db, me: Me, key: MetricKey, input: MetricTargets): Promise<MetricSetting> {
  assertCan(me, 'administer');
  const granularity = input.granularity ?? 'month';
  const effectiveFrom = input.effectiveFrom ?? defaultEffectiveFrom(granularity, todayIso());
  if (!isIsoDate(effectiveFrom) || effectiveFrom < BEGINNING) {
    throw new AdminRuleError('The date the target takes effect must be a real date (YYYY-MM-DD).', 'effectiveFrom');
  }
  const derive = input.target === null && input.atRiskThreshold === null;
  if (derive && granularity === 'month') {
    throw new AdminRuleError('A monthly target must be set: quarters and years derive from it.', 'target');
  }
  const target = derive ? null : checkBound(key, input.target ?? '', 'target');
  const threshold = derive ? null : checkBound(key, input.atRiskThreshold ?? '', 'atRiskThreshold');
  const actor = actorOf(me);
  await db.transaction(async (tx) => {
    const [metric] = await tx.select().from(metrics).where(eq(metrics.key, key)).for('update');
    if (!metric) throw new AdminRuleError('That metric does not exist.');
    if (target !== null && threshold !== null) {
      if (metric.direction === 'higher_is_better' && !(threshold < target)) {
        throw new AdminRuleError(`Higher is better for ${metric.name}: the at-risk threshold must be below the target.`, 'atRiskThreshold');
      }
      if (metric.direction === 'lower_is_better' && !(threshold > target)) {
        throw new AdminRuleError(`Lower is better for ${metric.name}: the at-risk threshold must be above the target.`, 'atRiskThreshold');
      }
    }
    const where = and(eq(metricTargets.metricKey, key), eq(metricTargets.granularity, granularity), eq(metricTargets.effectiveFrom, effectiveFrom));
    const [before] = await tx.select().from(metricTargets).where(where);
    const units = (v: string | null) => (v === null ? null : decimalToUnits(v, STORED_PLACES));
    if (before && units(before.target) === units(input.target) && units(before.atRiskThreshold) === units(input.atRiskThreshold)) return;
    const values = { target: input.target, atRiskThreshold: input.atRiskThreshold, setById: me.id, createdAt: sql`now()` };
    const [after] = before
      ? await tx.update(metricTargets).set(values).where(where).returning()
      : await tx.insert(metricTargets).values({ metricKey: key, granularity, effectiveFrom, ...values }).returning();
    await tx.update(metrics).set({ updatedAt: sql`now()` }).where(eq(metrics.key, key));
    // Statuses on the scorecard change with the targets: cached scorecards must see it.
    await bumpDataVersion(tx);
    await writeAudit(tx, actor, {
      action: 'update-targets',
      entity: 'metric',
      entityId: key,
      before: before
        ? { granularity, effectiveFrom, target: before.target, atRiskThreshold: before.atRiskThreshold }
        : { granularity, effectiveFrom, note: `no ${GRANULARITY_NOUN[granularity]} change from this date` },
      after: { granularity, effectiveFrom, target: after.target, atRiskThreshold: after.atRiskThreshold },
    });
  });
  const settings = await listMetricSettings(db, me);
  return settings.find((s) => s.key === key)!;
}

/**
 * Sets (or, with null, clears) the day a metric's data begins. Periods that start before it have
 * no data: no value, no verdict, the reason shown.
 */
export async function updateDataSince(db: Db, me: Me, key: MetricKey, dataSince: string | null): Promise<void> {
  assertCan(me, 'administer');
  if (dataSince !== null && (!isIsoDate(dataSince) || dataSince < BEGINNING)) {
    throw new AdminRuleError('Data since must be a real date (YYYY-MM-DD), or empty to follow the data.', 'dataSince');
  }
  const actor = actorOf(me);
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(metrics).where(eq(metrics.key, key)).for('update');
    if (!before) throw new AdminRuleError('That metric does not exist.');
    if (before.dataSince === dataSince) return;
    await tx.update(metrics).set({ dataSince, updatedAt: sql`now()` }).where(eq(metrics.key, key));
    await bumpDataVersion(tx);
    await writeAudit(tx, actor, {
      action: 'update-data-since',
      entity: 'metric',
      entityId: key,
      before: { dataSince: before.dataSince },
      after: { dataSince },
    });
  });
}
