import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { METRIC_KEYS, type Direction, type MetricKey, type PowerCore } from '@/lib/db/schema';
import { formatPeriodLabel } from '@/lib/format';
import { decimalToMoney, fromCents, toCents, type Money } from '@/lib/metrics/money';
import type { Granularity, Period, PeriodProgress } from '@/lib/metrics/period';
import { moneyStatus, ratioStatus, verdictGate } from '@/lib/metrics/status';
import { resolveTarget, type TargetRow } from '@/lib/metrics/targets';
import type { MetricOwner, MetricStatus } from '@/lib/metrics/types';

/**
 * What a metric's figures are judged by: its direction, its targets over time, the day its data
 * begins and its owner — read in one query, then applied to any number of periods.
 */
export interface MetricContext {
  direction: Direction;
  owner: MetricOwner | null;
  targets: TargetRow[];
  /** The first day with data: the admin's date, else the first of the month of the earliest record; null with no records. */
  dataSince: string | null;
  isDataSinceSet: boolean;
}

export type MetricContexts = Record<MetricKey, MetricContext>;

/** What each metric's data is, for "spot fixes are recorded from March 2024". */
const RECORDED: Record<MetricKey, string> = {
  retention: 'customer churn',
  recommendation: 'survey responses',
  spot_fix_cost: 'spot fixes',
};

const firstOfMonth = (isoDate: string | null) => (isoDate === null ? null : `${isoDate.slice(0, 7)}-01`);

export async function readMetricContexts(db: Queryable): Promise<MetricContexts> {
  // Each min() is answered from the end of an index, so this costs the same at any size.
  const rows = await queryRows<{
    key: MetricKey;
    direction: Direction;
    data_since: string | null;
    owner_name: string | null;
    owner_email: string | null;
    owner_title: string | null;
    owner_power_core: PowerCore | null;
    targets: Array<{ granularity: Granularity; effective_from: string; target: string | null; at_risk_threshold: string | null }> | null;
    first_churn: string | null;
    first_acquired: string | null;
    first_response: string | null;
    first_spot_fix: string | null;
  }>(
    db,
    sql`select m.key, m.direction, m.data_since::text as data_since,
               e.name as owner_name, e.email as owner_email, e.title as owner_title, e.power_core as owner_power_core,
               (select json_agg(json_build_object('granularity', t.granularity, 'effective_from', t.effective_from::text,
                                                  'target', t.target::text, 'at_risk_threshold', t.at_risk_threshold::text))
                  from metric_targets t where t.metric_key = m.key) as targets,
               f.first_churn, f.first_acquired, f.first_response, f.first_spot_fix
        from metrics m
        left join executives e on e.id = m.owner_id
        cross join (
          select (select min(churned_on) from customers)::text as first_churn,
                 (select min(acquired_on) from customers)::text as first_acquired,
                 (select min(responded_on) from survey_responses)::text as first_response,
                 (select min(occurred_on) from spot_fixes)::text as first_spot_fix
        ) f`,
  );
  const contexts = {} as MetricContexts;
  for (const row of rows) {
    const earliest: Record<MetricKey, string | null> = {
      retention: row.first_churn ?? row.first_acquired,
      recommendation: row.first_response,
      spot_fix_cost: row.first_spot_fix,
    };
    contexts[row.key] = {
      direction: row.direction,
      owner:
        row.owner_name === null
          ? null
          : { name: row.owner_name, email: row.owner_email!, title: row.owner_title!, powerCore: row.owner_power_core! },
      targets: (row.targets ?? []).map((t) => ({
        granularity: t.granularity,
        effectiveFrom: t.effective_from,
        target: t.target,
        atRiskThreshold: t.at_risk_threshold,
      })),
      dataSince: row.data_since ?? firstOfMonth(earliest[row.key]),
      isDataSinceSet: row.data_since !== null,
    };
  }
  for (const key of METRIC_KEYS) {
    if (!contexts[key]) throw new Error(`The metrics table has no "${key}" row: run the migrations (npm run cli -- migrate).`);
  }
  return contexts;
}

function noDataReason(key: MetricKey, context: MetricContext, gate: 'before_data' | 'not_begun'): string {
  if (gate === 'not_begun') return 'this period has not begun';
  if (context.dataSince === null) return `no ${RECORDED[key]} are recorded yet`;
  return `${RECORDED[key]} ${key === 'retention' ? 'is' : 'are'} recorded from ${formatPeriodLabel(context.dataSince.slice(0, 7))}`;
}

interface Verdict<Value, Bound> {
  value: Value | null;
  status: MetricStatus;
  target: Bound;
  atRiskThreshold: Bound;
  targetDerived: boolean;
  dataSince: string | null;
  noDataReason: string | null;
}

function resolved(key: MetricKey, context: MetricContext, period: Period) {
  const target = resolveTarget(key, context.targets, period);
  if (!target) throw new Error(`No ${key} target is in force on ${period.end}: the metric_targets table is missing its first row.`);
  return target;
}

/**
 * The verdict on a ratio (retention, recommendation) for one period: the one judgement every
 * page, snapshot, CLI and API answer uses.
 */
export function judgeRatio(
  key: MetricKey,
  context: MetricContext,
  period: Period,
  progress: PeriodProgress,
  value: number | null,
): Verdict<number, number> {
  const target = resolved(key, context, period);
  const bounds = {
    target: Number(target.target),
    atRiskThreshold: Number(target.atRiskThreshold),
    targetDerived: target.isDerived,
    dataSince: context.dataSince,
  };
  const gate = verdictGate(period, context.dataSince, progress);
  if (gate === 'before_data' || gate === 'not_begun') {
    return { value: null, status: 'no_data', ...bounds, noDataReason: noDataReason(key, context, gate) };
  }
  if (gate === 'in_progress') return { value, status: value === null ? 'no_data' : 'in_progress', ...bounds, noDataReason: null };
  return {
    value,
    status: ratioStatus(value, bounds.target, bounds.atRiskThreshold, context.direction),
    ...bounds,
    noDataReason: null,
  };
}

/** The verdict on spot-fix cost for one period; while it runs, also its pace over the whole period. */
export function judgeMoney(
  key: MetricKey,
  context: MetricContext,
  period: Period,
  progress: PeriodProgress,
  value: Money,
): Verdict<Money, Money> & { projection: Money | null } {
  const target = resolved(key, context, period);
  const bounds = {
    target: decimalToMoney(target.target),
    atRiskThreshold: decimalToMoney(target.atRiskThreshold),
    targetDerived: target.isDerived,
    dataSince: context.dataSince,
  };
  const gate = verdictGate(period, context.dataSince, progress);
  if (gate === 'before_data' || gate === 'not_begun') {
    return { value: null, status: 'no_data', ...bounds, noDataReason: noDataReason(key, context, gate), projection: null };
  }
  if (gate === 'in_progress') {
    return { value, status: 'in_progress', ...bounds, noDataReason: null, projection: pace(value, progress) };
  }
  return {
    value,
    status: moneyStatus(value, bounds.target, bounds.atRiskThreshold, context.direction),
    ...bounds,
    noDataReason: null,
    projection: null,
  };
}

/** Cost so far × days in the period / days elapsed, rounded half up to cents. */
function pace(value: Money, progress: PeriodProgress): Money {
  const scaled = toCents(value) * BigInt(progress.days);
  const elapsed = BigInt(Math.max(progress.daysElapsed, 1));
  return fromCents((scaled * 2n + elapsed) / (2n * elapsed));
}

