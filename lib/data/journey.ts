import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { assertWholeMonths } from '@/lib/data/scorecard';
import { queryRows } from '@/lib/db/sql';
import type { PowerCore } from '@/lib/db/schema';
import {
  LOOKBACK_DAYS,
  TOP_ISSUES_PER_STAGE,
  type ChurnAfterResponse,
  type Journey,
  type JourneyStage,
  type JourneyTouchpoint,
  type ValueAtRisk,
} from '@/lib/metrics/journey';
import { moneyRatio } from '@/lib/metrics/money';
import { todayIso, type Period } from '@/lib/metrics/period';
import { netPromoterScore } from '@/lib/metrics/recommendation';

/**
 * Where the ball drops (SPEC "the journey view"), aggregated in SQL: every query reads only the
 * period's spot fixes or responses (through their date indexes) and index probes per distinct
 * issue or customer, never a whole table, and no rows but the answer come back to JavaScript.
 * Every value is cast in SQL (::int, ::text, ::float8) so PGlite and node-postgres agree.
 */

/**
 * A label compared like an issue label (lib/metrics/issue-key.ts): NFC, white space runs made one
 * space, trimmed, lower case; blank is null ("no stage" is its own group).
 */
export function labelKeySql(column: SQL): SQL {
  return sql`nullif(lower(btrim(regexp_replace(normalize(coalesce(${column}, ''), NFC), '\\s+', ' ', 'g'))), '')`;
}

/** Orders labels the same on every server (byte order), none last. */
const byLabel = (column: SQL) => sql`${column} collate "C" asc nulls last`;

const periodBounds = (period: Period) => ({ start: sql`${period.start}::date`, end: sql`${period.end}::date` });

/** Rows whose stage (`column`, as written) compares equal to `stage`; null means none. */
export function stageIs(column: SQL, stage: string | null): SQL {
  const key = labelKeySql(column);
  return stage === null ? sql`${key} is null` : sql`${key} = ${stage}`;
}

/**
 * Fixes, cost and repeat cost per compared stage and issue in a period (only `stage`'s when given),
 * from the rollup per month, stage as written and issue. A period's repeats are its fixes less
 * those on the issue's first day, when that day is within the period: those few are read from
 * spot_fixes by (issue_key, occurred_on). A select with columns stage, issue_key, fixes, cost, repeat_cost.
 */
export function stageIssueCostsIn(period: Period, stage?: string | null): SQL {
  const { start, end } = periodBounds(period);
  const only = (column: SQL) => (stage === undefined ? sql`true` : stageIs(column, stage));
  return sql`select b.stage, b.issue_key, b.fixes, b.cost, b.cost - coalesce(fd.cost, 0) as repeat_cost
    from (
      select ${labelKeySql(sql`m.journey_stage`)} as stage, m.issue_key, sum(m.fixes)::int as fixes, sum(m.cost) as cost
      from rollup_stage_issue_months m
      where m.month between ${start} and ${end} and ${only(sql`m.journey_stage`)}
      group by 1, 2
    ) b
    left join (
      select ${labelKeySql(sql`s.journey_stage`)} as stage, s.issue_key, sum(s.cost) as cost
      from rollup_issue_first_fixes f
      join spot_fixes s on s.issue_key = f.issue_key and s.occurred_on = f.first_on
      where f.first_on between ${start} and ${end} and ${only(sql`s.journey_stage`)}
      group by 1, 2
    ) fd on fd.stage is not distinct from b.stage and fd.issue_key = b.issue_key`;
}

interface StageRow {
  stage: string | null;
  stage_count: number;
  stage_cost: string;
  stage_repeat_cost: string;
  issue_key: string;
  issue_cost: string;
  issue_label: string | null;
  owner_id: number | null;
  owner_name: string | null;
  owner_title: string | null;
  owner_power_core: PowerCore | null;
}

export interface IssueOwnerRef {
  id: number;
  name: string;
  title: string;
  powerCore: PowerCore;
}

export type JourneyStageWithOwners = Omit<JourneyStage, 'topIssues'> & {
  /** `label` is the issue as first written (for reading); `issue` is its compared form (the JSON's). */
  topIssues: Array<JourneyStage['topIssues'][number] & { label: string; owner: IssueOwnerRef | null }>;
};

const ownerRef = (row: { owner_id: number | null; owner_name: string | null; owner_title: string | null; owner_power_core: PowerCore | null }) =>
  row.owner_id === null ? null : { id: row.owner_id, name: row.owner_name!, title: row.owner_title!, powerCore: row.owner_power_core! };

/** Stages ranked by cost (ties by label), each with its costliest issues and who answers for them. */
export async function listJourneyStages(db: Queryable, period: Period): Promise<JourneyStageWithOwners[]> {
  const rows = await queryRows<StageRow>(
    db,
    // The variants of a stage are compared here (stageIssueCostsIn).
    sql`with by_issue as (${stageIssueCostsIn(period)}),
        ranked as (
          select b.*,
                 sum(b.fixes) over w as stage_count, sum(b.cost) over w as stage_cost, sum(b.repeat_cost) over w as stage_repeat_cost,
                 row_number() over (partition by b.stage order by b.cost desc, b.issue_key collate "C") as rank
          from by_issue b
          window w as (partition by b.stage)
        )
        select r.stage, r.stage_count::int as stage_count,
               r.stage_cost::numeric(16,2)::text as stage_cost,
               r.stage_repeat_cost::numeric(16,2)::text as stage_repeat_cost,
               r.issue_key, r.cost::numeric(16,2)::text as issue_cost, ri.label as issue_label,
               ri.owner_id, e.name as owner_name, e.title as owner_title, e.power_core as owner_power_core
        from ranked r
        left join recurring_issues ri on ri.issue_key = r.issue_key
        left join executives e on e.id = ri.owner_id
        where r.rank <= ${TOP_ISSUES_PER_STAGE}
        order by r.stage_cost desc, ${byLabel(sql`r.stage`)}, r.rank`,
  );
  const stages: JourneyStageWithOwners[] = [];
  for (const row of rows) {
    let stage = stages.at(-1);
    if (!stage || stage.stage !== row.stage) {
      stage = {
        stage: row.stage,
        count: row.stage_count,
        cost: row.stage_cost,
        repeatCost: row.stage_repeat_cost,
        repeatShare: moneyRatio(row.stage_repeat_cost, row.stage_cost),
        topIssues: [],
      };
      stages.push(stage);
    }
    stage.topIssues.push({ issue: row.issue_key, cost: row.issue_cost, label: row.issue_label ?? row.issue_key, owner: ownerRef(row) });
  }
  return stages;
}

/** Responses by touchpoint, most responses first (ties by label). */
export async function listJourneyTouchpoints(db: Queryable, period: Period): Promise<JourneyTouchpoint[]> {
  const { start, end } = periodBounds(period);
  const rows = await queryRows<{ touchpoint: string | null; responses: number; promoters: number; detractors: number }>(
    db,
    // From the monthly rollup, which keeps touchpoints as written: their variants are compared here.
    sql`select t.touchpoint, sum(t.responses)::int as responses,
               coalesce(sum(t.responses) filter (where t.score >= 9), 0)::int as promoters,
               coalesce(sum(t.responses) filter (where t.score <= 6), 0)::int as detractors
        from (
          select ${labelKeySql(sql`r.touchpoint`)} as touchpoint, r.score, r.responses
          from rollup_response_months r
          where r.month between ${start} and ${end}
        ) t
        group by t.touchpoint
        order by sum(t.responses) desc, ${byLabel(sql`t.touchpoint`)}`,
  );
  return rows.map((row) => ({
    touchpoint: row.touchpoint,
    responses: row.responses,
    detractors: row.detractors,
    detractorShare: row.responses > 0 ? row.detractors / row.responses : null,
    nps: netPromoterScore(row.promoters, row.detractors, row.responses),
  }));
}

/**
 * Customers active on the period's last day whose latest response of the 12 months up to it
 * (ties on a day: the greatest response_id) is a detractor's. A response naming no customer, or
 * one not loaded, counts for nobody. Read from the value-at-risk rollup (drizzle/0014), a
 * running sum of monthly changes, so it costs the same whatever the number of customers.
 */
export async function getValueAtRisk(db: Queryable, period: Period): Promise<ValueAtRisk> {
  assertWholeMonths(period);
  const [row] = await queryRows<{ customers: number; monthly_value: string }>(
    db,
    sql`select coalesce(sum(customers), 0)::int as customers, coalesce(sum(value), 0)::numeric(16,2)::text as monthly_value
        from rollup_at_risk_months where month <= ${period.end}::date`,
  );
  return { customers: row.customers, monthlyValue: row.monthly_value };
}

/**
 * Of the responses of the 12 months up to the period's end that name a loaded customer active on
 * the response's date, the share whose customer churned within 90 days after it, by score class.
 */
export async function getChurnAfterResponse(db: Queryable, period: Period): Promise<ChurnAfterResponse> {
  const { end } = periodBounds(period);
  // From the daily rollup (drizzle/0016), which counts each response with its customer's churn.
  const rows = await queryRows<{ class: keyof ChurnAfterResponse; responses: number; churned: number }>(
    db,
    sql`select score_class as class, sum(responses)::int as responses, sum(churned)::int as churned
        from rollup_response_churn_days
        where day between ${end} - ${LOOKBACK_DAYS}::int and ${end}
        group by 1`,
  );
  const churn: ChurnAfterResponse = { detractor: null, passive: null, promoter: null };
  for (const row of rows) churn[row.class] = row.responses > 0 ? row.churned / row.responses : null;
  return churn;
}

/** SPEC's journey JSON for a period: what `npm run cli -- journey` and GET /api/v1/journey print. */
export async function getJourney(db: Queryable, period: Period, now: Date = new Date()): Promise<Journey> {
  // One after another: inside a transaction (snapshots) they share one connection anyway.
  const stages = await listJourneyStages(db, period);
  const touchpoints = await listJourneyTouchpoints(db, period);
  const valueAtRisk = await getValueAtRisk(db, period);
  const churnAfterResponse = await getChurnAfterResponse(db, period);
  return {
    period: { label: period.label, start: period.start, end: period.end, complete: period.end < todayIso(now) },
    stages: stages.map((stage) => ({ ...stage, topIssues: stage.topIssues.map(({ issue, cost }) => ({ issue, cost })) })),
    touchpoints,
    valueAtRisk,
    churnAfterResponse,
  };
}
