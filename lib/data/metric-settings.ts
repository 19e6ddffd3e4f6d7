import { eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { executives, metrics, METRIC_KEYS, type Direction, type MetricKey, type PowerCore } from '@/lib/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { decimalToUnits } from '@/lib/validation/admin';
import { writeAudit } from './audit';
import { bumpDataVersion } from './records';
import { actorOf, AdminRuleError, transferMetricOwner, type Me } from './people';

/** Metric ownership, targets and at-risk thresholds (admins only). */
export interface MetricSetting {
  key: MetricKey;
  name: string;
  direction: Direction;
  /** Stored units: a ratio ("0.9500") or money per month ("40000.0000"). */
  target: string;
  atRiskThreshold: string;
  owner: { id: number; name: string; title: string; powerCore: PowerCore; isActive: boolean } | null;
  updatedAt: Date;
}

export const isMoneyMetric = (key: MetricKey) => key === 'spot_fix_cost';

export async function listMetricSettings(db: Queryable, me: Me): Promise<MetricSetting[]> {
  assertCan(me, 'administer');
  const rows = await db
    .select({
      key: metrics.key,
      name: metrics.name,
      direction: metrics.direction,
      target: metrics.target,
      atRiskThreshold: metrics.atRiskThreshold,
      updatedAt: metrics.updatedAt,
      ownerId: executives.id,
      ownerName: executives.name,
      ownerTitle: executives.title,
      ownerPowerCore: executives.powerCore,
      ownerIsActive: executives.isActive,
    })
    .from(metrics)
    .leftJoin(executives, eq(executives.id, metrics.ownerId));
  return rows
    .sort((a, b) => METRIC_KEYS.indexOf(a.key) - METRIC_KEYS.indexOf(b.key))
    .map((r) => ({
      key: r.key,
      name: r.name,
      direction: r.direction,
      target: r.target,
      atRiskThreshold: r.atRiskThreshold,
      updatedAt: r.updatedAt,
      owner:
        r.ownerId === null
          ? null
          : { id: r.ownerId, name: r.ownerName!, title: r.ownerTitle!, powerCore: r.ownerPowerCore!, isActive: r.ownerIsActive! },
    }));
}

/** Gives the metric to another active admin or executive; the audit entry names both owners. */
export async function reassignMetricOwner(db: Db, me: Me, key: MetricKey, ownerId: number): Promise<boolean> {
  assertCan(me, 'administer');
  return db.transaction((tx) => transferMetricOwner(tx, actorOf(me), key, ownerId));
}

export interface MetricTargets {
  /** In stored units: a ratio for retention and recommendation, money per month for spot-fix cost. */
  target: string;
  atRiskThreshold: string;
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

/**
 * Sets a metric's target and at-risk threshold. The threshold must lie on the worse side of the
 * target (below it when higher is better, above it when lower is better), else "at risk" is empty.
 */
export async function updateMetricTargets(db: Db, me: Me, key: MetricKey, input: MetricTargets): Promise<MetricSetting> {
  assertCan(me, 'administer');
  const target = checkBound(key, input.target, 'target');
  const threshold = checkBound(key, input.atRiskThreshold, 'atRiskThreshold');
  const actor = actorOf(me);
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(metrics).where(eq(metrics.key, key)).for('update');
    if (!before) throw new AdminRuleError('That metric does not exist.');
    if (before.direction === 'higher_is_better' && !(threshold < target)) {
      throw new AdminRuleError(`Higher is better for ${before.name}: the at-risk threshold must be below the target.`, 'atRiskThreshold');
    }
    if (before.direction === 'lower_is_better' && !(threshold > target)) {
      throw new AdminRuleError(`Lower is better for ${before.name}: the at-risk threshold must be above the target.`, 'atRiskThreshold');
    }
    const unchanged =
      decimalToUnits(before.target, STORED_PLACES) === decimalToUnits(input.target, STORED_PLACES) &&
      decimalToUnits(before.atRiskThreshold, STORED_PLACES) === decimalToUnits(input.atRiskThreshold, STORED_PLACES);
    if (unchanged) return;
    const [after] = await tx
      .update(metrics)
      .set({ target: input.target, atRiskThreshold: input.atRiskThreshold, updatedAt: sql`now()` })
      .where(eq(metrics.key, key))
      .returning();
    // Statuses on the scorecard change with the targets: cached scorecards must see it.
    await bumpDataVersion(tx);
    await writeAudit(tx, actor, {
      action: 'update-targets',
      entity: 'metric',
      entityId: key,
      before: { target: before.target, atRiskThreshold: before.atRiskThreshold },
      after: { target: after.target, atRiskThreshold: after.atRiskThreshold },
    });
  });
  const settings = await listMetricSettings(db, me);
  return settings.find((s) => s.key === key)!;
}
