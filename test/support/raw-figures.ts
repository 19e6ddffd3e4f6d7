import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db';
import { SPOT_FIX_CATEGORIES, type SpotFixCategory } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { labelKeySql } from '@/lib/data/journey';
import type { Period } from '@/lib/metrics/period';
import type { MetricSeriesPoint } from '@/lib/metrics/types';

/**
 * The reference implementation: the scorecard's figures straight from the raw tables (customers,
 * survey_responses, spot_fixes) by SPEC's definitions, as lib/data/scorecard.ts computed them
 * before the rollups. Slow on a large data set (it reads every row a period can concern, and every
 * spot fix for first fixes); tests compare the rollup figures with it.
 */
export interface RawFigures {
  retention: { start: number; retained: number; gained: number; valueGained: string; lost: number; valueLost: string };
  recommendation: { responses: number; promoters: number; passives: number; detractors: number };
  spotFixCost: { count: number; cost: string; byCategory: Record<SpotFixCategory, string>; repeatCost: string };
}

async function rawFiguresForPeriod(db: Queryable, period: Period): Promise<RawFigures> {
  const start = sql`${period.start}::date`;
  const end = sql`${period.end}::date`;
  const [retention] = await queryRows<{
    start_count: number;
    retained: number;
    gained: number;
    value_gained: string;
    lost: number;
    value_lost: string;
  }>(
    db,
    // Active on d ⇔ acquired_on <= d and (churned_on is null or churned_on > d).
    sql`select
          count(*) filter (where acquired_on < ${start} and (churned_on is null or churned_on > ${start}))::int as start_count,
          count(*) filter (where acquired_on < ${start} and (churned_on is null or churned_on > ${end}))::int as retained,
          count(*) filter (where acquired_on between ${start} and ${end})::int as gained,
          coalesce(sum(monthly_value) filter (where acquired_on between ${start} and ${end}), 0)::numeric(20,2)::text as value_gained,
          count(*) filter (where churned_on between ${start} and ${end})::int as lost,
          coalesce(sum(monthly_value) filter (where churned_on between ${start} and ${end}), 0)::numeric(20,2)::text as value_lost
        from customers`,
  );
  const [recommendation] = await queryRows<RawFigures['recommendation']>(
    db,
    sql`select
          count(*)::int as responses,
          count(*) filter (where score >= 9)::int as promoters,
          count(*) filter (where score between 7 and 8)::int as passives,
          count(*) filter (where score <= 6)::int as detractors
        from survey_responses where responded_on between ${start} and ${end}`,
  );
  const categoryColumns = SPOT_FIX_CATEGORIES.map(
    (category) => sql`coalesce(sum(s.cost) filter (where s.category = ${category}), 0)::numeric(20,2)::text as ${sql.identifier(category)}`,
  );
  // A repeat: another fix of the same issue key has a strictly earlier occurred_on, in any period.
  const [spotFixes] = await queryRows<{ fix_count: number; cost: string; repeat_cost: string } & Record<SpotFixCategory, string>>(
    db,
    sql`select
          count(*)::int as fix_count,
          coalesce(sum(s.cost), 0)::numeric(20,2)::text as cost,
          coalesce(sum(s.cost) filter (where exists (
            select 1 from spot_fixes earlier where earlier.issue_key = s.issue_key and earlier.occurred_on < s.occurred_on
          )), 0)::numeric(20,2)::text as repeat_cost,
          ${sql.join(categoryColumns, sql`, `)}
        from spot_fixes s where s.occurred_on between ${start} and ${end}`,
  );
  return {
    retention: {
      start: retention.start_count,
      retained: retention.retained,
      gained: retention.gained,
      valueGained: retention.value_gained,
      lost: retention.lost,
      valueLost: retention.value_lost,
    },
    recommendation,
    spotFixCost: {
      count: spotFixes.fix_count,
      cost: spotFixes.cost,
      byCategory: Object.fromEntries(SPOT_FIX_CATEGORIES.map((c) => [c, spotFixes[c]])) as Record<SpotFixCategory, string>,
      repeatCost: spotFixes.repeat_cost,
    },
  };
}

/** Each period's figures from the raw tables, one period after another. */
export async function rawFigures(db: Queryable, periods: Period[]): Promise<RawFigures[]> {
  const figures: RawFigures[] = [];
  for (const period of periods) figures.push(await rawFiguresForPeriod(db, period));
  return figures;
}

/** The same figures picked out of a scorecard series point, to compare with rawFigures. */
export function figuresOf(point: MetricSeriesPoint): RawFigures {
  const { retention: r, recommendation: n, spotFixCost: s } = point;
  return {
    retention: { start: r.start, retained: r.retained, gained: r.gained, valueGained: r.valueGained, lost: r.lost, valueLost: r.valueLost },
    recommendation: { responses: n.responses, promoters: n.promoters, passives: n.passives, detractors: n.detractors },
    spotFixCost: { count: s.count, cost: s.value ?? '', byCategory: s.byCategory, repeatCost: s.repeatCost },
  };
}

export interface RawChurnReason {
  reason: string;
  count: number;
  valueLost: string;
}

/**
 * Every reason for leaving among the customers lost in the period, as the retention drill-down
 * lists them (most common first; a reason with no monthly value at all after one worth 0).
 */
export async function rawChurnReasons(db: Queryable, period: Period): Promise<RawChurnReason[]> {
  const rows = await queryRows<{ reason: string; count: number; value_lost: string }>(
    db,
    sql`select reason, count(*)::int as count, coalesce(sum(monthly_value), 0)::numeric(16,2)::text as value_lost
        from (
          select coalesce(nullif(btrim(churn_reason), ''), 'Not recorded') as reason, monthly_value
          from customers
          where churned_on between ${period.start}::date and ${period.end}::date
        ) lost
        group by reason
        order by count(*) desc, sum(monthly_value) desc nulls last, reason collate "C"`,
  );
  return rows.map((row) => ({ reason: row.reason, count: row.count, valueLost: row.value_lost }));
}

/** The scorecard's five: most common first, ties by reason. */
export async function rawTopChurnReasons(db: Queryable, period: Period): Promise<RawChurnReason[]> {
  const rows = await queryRows<{ reason: string; count: number; value_lost: string }>(
    db,
    sql`select reason, count(*)::int as count, coalesce(sum(monthly_value), 0)::numeric(20,2)::text as value_lost
        from (
          select coalesce(nullif(btrim(churn_reason), ''), 'Not recorded') as reason, monthly_value
          from customers
          where churned_on between ${period.start}::date and ${period.end}::date
        ) lost
        group by reason
        order by count(*) desc, reason collate "C"
        limit 5`,
  );
  return rows.map((row) => ({ reason: row.reason, count: row.count, valueLost: row.value_lost }));
}

// The drill-downs' breakdowns, as lib/data/drilldowns.ts computed them from the raw tables.

export interface RawSegmentRetention {
  segment: string;
  start: number;
  retained: number;
  gained: number;
  valueGained: string;
  lost: number;
  valueLost: string;
}

/** Retention per segment ('Not recorded' when blank), largest at the start first. */
export async function rawRetentionBySegment(db: Queryable, period: Period): Promise<RawSegmentRetention[]> {
  const start = sql`${period.start}::date`;
  const end = sql`${period.end}::date`;
  const rows = await queryRows<{ segment: string; start_count: number; retained: number; gained: number; value_gained: string; lost: number; value_lost: string }>(
    db,
    sql`select segment,
          count(*) filter (where acquired_on < ${start} and (churned_on is null or churned_on > ${start}))::int as start_count,
          count(*) filter (where acquired_on < ${start} and (churned_on is null or churned_on > ${end}))::int as retained,
          count(*) filter (where acquired_on between ${start} and ${end})::int as gained,
          coalesce(sum(monthly_value) filter (where acquired_on between ${start} and ${end}), 0)::numeric(20,2)::text as value_gained,
          count(*) filter (where churned_on between ${start} and ${end})::int as lost,
          coalesce(sum(monthly_value) filter (where churned_on between ${start} and ${end}), 0)::numeric(20,2)::text as value_lost
        from (
          select coalesce(nullif(btrim(segment), ''), 'Not recorded') as segment, acquired_on, churned_on, monthly_value
          from customers
          where acquired_on <= ${end} and (churned_on is null or churned_on >= ${start})
        ) c
        group by segment
        order by start_count desc, segment collate "C"`,
  );
  return rows.map((row) => ({
    segment: row.segment,
    start: row.start_count,
    retained: row.retained,
    gained: row.gained,
    valueGained: row.value_gained,
    lost: row.lost,
    valueLost: row.value_lost,
  }));
}

export interface RawTouchpoint {
  touchpoint: string;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
}

/** Responses per touchpoint ('Not recorded' when blank), most first. */
export async function rawRecommendationByTouchpoint(db: Queryable, period: Period): Promise<RawTouchpoint[]> {
  return queryRows<RawTouchpoint>(
    db,
    sql`select touchpoint,
               count(*)::int as responses,
               count(*) filter (where score >= 9)::int as promoters,
               count(*) filter (where score between 7 and 8)::int as passives,
               count(*) filter (where score <= 6)::int as detractors
        from (
          select coalesce(nullif(btrim(touchpoint), ''), 'Not recorded') as touchpoint, score
          from survey_responses
          where responded_on between ${period.start}::date and ${period.end}::date
        ) r
        group by touchpoint
        order by count(*) desc, touchpoint collate "C"`,
  );
}

export interface RawIssueCost {
  issueKey: string;
  fixes: number;
  cost: string;
  repeatCost: string;
}

/** Every issue of the period by cost; a repeat is a fix with a strictly earlier fix of the same issue. */
export async function rawIssueCosts(db: Queryable, period: Period): Promise<RawIssueCost[]> {
  return queryRows<RawIssueCost>(
    db,
    sql`select s.issue_key as "issueKey", count(*)::int as fixes, sum(s.cost)::numeric(16,2)::text as cost,
               coalesce(sum(s.cost) filter (where exists (
                 select 1 from spot_fixes e where e.issue_key = s.issue_key and e.occurred_on < s.occurred_on)), 0)::numeric(16,2)::text
                 as "repeatCost"
        from spot_fixes s
        where s.occurred_on between ${period.start}::date and ${period.end}::date
        group by s.issue_key
        order by sum(s.cost) desc, s.issue_key`,
  );
}

export interface RawRentVsOwn {
  issueKey: string;
  firstOn: string;
  fixes: number;
  spentSoFar: string;
  repeatSpendSoFar: string;
  repeatLastYear: string;
}

/**
 * Each issue with an estimated fix: fixes and spend up to the period's end, repeat spend, and
 * repeat spend in the twelve months ending with the period's last month; by issue.
 */
export async function rawRentVsOwn(db: Queryable, period: Period): Promise<RawRentVsOwn[]> {
  const end = sql`${period.end}::date`;
  return queryRows<RawRentVsOwn>(
    db,
    sql`with fixes as (
          select s.*, exists (select 1 from spot_fixes e where e.issue_key = s.issue_key and e.occurred_on < s.occurred_on) as is_repeat
          from spot_fixes s where s.occurred_on <= ${end}
        )
        select f.issue_key as "issueKey", min(f.occurred_on)::text as "firstOn", count(*)::int as fixes,
               sum(f.cost)::numeric(16,2)::text as "spentSoFar",
               coalesce(sum(f.cost) filter (where f.is_repeat), 0)::numeric(16,2)::text as "repeatSpendSoFar",
               coalesce(sum(f.cost) filter (where f.is_repeat
                 and f.occurred_on >= date_trunc('month', ${end}::timestamp) - interval '11 months'), 0)::numeric(16,2)::text as "repeatLastYear"
        from fixes f
        join recurring_issues ri on ri.issue_key = f.issue_key and ri.estimated_fix_cost is not null
        group by f.issue_key
        order by f.issue_key`,
  );
}

/**
 * Value at risk at the period's end: customers active on its last day whose latest response of
 * the 364 days up to it (ties on a day: the greatest response_id) is a detractor's.
 */
export async function rawValueAtRisk(db: Queryable, period: Period): Promise<{ customers: number; monthlyValue: string }> {
  const end = sql`${period.end}::date`;
  const [row] = await queryRows<{ customers: number; monthlyValue: string }>(
    db,
    sql`select count(*)::int as customers, coalesce(sum(c.monthly_value), 0)::numeric(16,2)::text as "monthlyValue"
        from (
          select distinct on (r.customer_id) r.customer_id, r.score
          from survey_responses r
          where r.responded_on between ${end} - 364 and ${end} and r.customer_id is not null
          order by r.customer_id, r.responded_on desc, r.response_id collate "C" desc
        ) latest
        join customers c on c.customer_id = latest.customer_id
        where latest.score <= 6 and c.acquired_on <= ${end} and (c.churned_on is null or c.churned_on > ${end})`,
  );
  return row;
}

export interface RawIssueSpend {
  issueKey: string;
  fixes: number;
  cost: string;
  repeatCost: string;
  costLastYear: string;
  lastSeenOn: string | null;
}

/** Every recurring issue's spend in the period, in the twelve months ending with its last month, and its last fix up to it; by issue. */
export async function rawIssueSpend(db: Queryable, period: Period): Promise<RawIssueSpend[]> {
  const start = sql`${period.start}::date`;
  const end = sql`${period.end}::date`;
  return queryRows<RawIssueSpend>(
    db,
    sql`select ri.issue_key as "issueKey",
               count(s.*) filter (where s.occurred_on >= ${start})::int as fixes,
               coalesce(sum(s.cost) filter (where s.occurred_on >= ${start}), 0)::numeric(16,2)::text as cost,
               coalesce(sum(s.cost) filter (where s.occurred_on >= ${start} and exists (
                 select 1 from spot_fixes e where e.issue_key = s.issue_key and e.occurred_on < s.occurred_on)), 0)::numeric(16,2)::text
                 as "repeatCost",
               coalesce(sum(s.cost) filter (where s.occurred_on >= date_trunc('month', ${end}::timestamp) - interval '11 months'), 0)
                 ::numeric(16,2)::text as "costLastYear",
               max(s.occurred_on)::text as "lastSeenOn"
        from recurring_issues ri
        left join spot_fixes s on s.issue_key = ri.issue_key and s.occurred_on <= ${end}
        group by ri.issue_key
        order by ri.issue_key`,
  );
}

export interface RawRecurringIssue {
  issueKey: string;
  count: number;
  totalCost: string;
  repeatCost: string;
  repeats: number;
  firstSeen: string | null;
  lastSeen: string | null;
  cameBack: number;
  lastCameBack: string | null;
}

/**
 * The recurring-issues page's figures over the spot fixes in the period (all of them without one):
 * a fix is a repeat when its issue had one on an earlier day at all; came back = after fixed_on. By issue.
 */
export async function rawRecurringIssues(db: Queryable, period: Period | null): Promise<RawRecurringIssue[]> {
  const inRange = period ? sql`sf.occurred_on between ${period.start}::date and ${period.end}::date` : sql`true`;
  return queryRows<RawRecurringIssue>(
    db,
    sql`select ri.issue_key as "issueKey",
               count(sf.spot_fix_id)::int as count,
               coalesce(sum(sf.cost), 0)::numeric(14,2)::text as "totalCost",
               coalesce(sum(sf.cost) filter (where r.is_repeat), 0)::numeric(14,2)::text as "repeatCost",
               count(*) filter (where r.is_repeat)::int as repeats,
               to_char(min(sf.occurred_on), 'YYYY-MM-DD') as "firstSeen",
               to_char(max(sf.occurred_on), 'YYYY-MM-DD') as "lastSeen",
               count(*) filter (where sf.occurred_on > ri.fixed_on)::int as "cameBack",
               to_char(max(sf.occurred_on) filter (where sf.occurred_on > ri.fixed_on), 'YYYY-MM-DD') as "lastCameBack"
        from recurring_issues ri
        left join spot_fixes sf on sf.issue_key = ri.issue_key and ${inRange}
        left join lateral (
          select exists (select 1 from spot_fixes e where e.issue_key = sf.issue_key and e.occurred_on < sf.occurred_on) as is_repeat
        ) r on true
        group by ri.issue_key
        order by ri.issue_key`,
  );
}

/** The journey's touchpoints straight from the responses: compared labels, most responses first. */
export async function rawJourneyTouchpoints(db: Queryable, period: Period) {
  return queryRows<{ touchpoint: string | null; responses: number; promoters: number; detractors: number }>(
    db,
    sql`select t.touchpoint, count(*)::int as responses,
               count(*) filter (where t.score >= 9)::int as promoters,
               count(*) filter (where t.score <= 6)::int as detractors
        from (
          select ${labelKeySql(sql`r.touchpoint`)} as touchpoint, r.score
          from survey_responses r
          where r.responded_on between ${period.start}::date and ${period.end}::date
        ) t
        group by t.touchpoint
        order by count(*) desc, t.touchpoint collate "C" asc nulls last`,
  );
}

/**
 * Of the responses of the 364 days up to the period's end naming a customer active on the day,
 * how many per score class, and how many of those customers churned within 90 days after.
 */
export async function rawChurnAfterResponse(db: Queryable, period: Period) {
  const end = sql`${period.end}::date`;
  return queryRows<{ class: string; responses: number; churned: number }>(
    db,
    sql`select case when r.score >= 9 then 'promoter' when r.score >= 7 then 'passive' else 'detractor' end as class,
               count(*)::int as responses,
               count(*) filter (where c.churned_on <= r.responded_on + 90)::int as churned
        from survey_responses r
        join customers c on c.customer_id = r.customer_id
        where r.responded_on between ${end} - 364 and ${end}
          and c.acquired_on <= r.responded_on and (c.churned_on is null or c.churned_on > r.responded_on)
        group by 1
        order by 1`,
  );
}

/**
 * The journey's stages straight from the spot fixes: per compared stage label, its fixes, cost and
 * repeat cost (a fix with an earlier one of its issue, in any period), and its `top` costliest issues.
 */
export async function rawJourneyStages(db: Queryable, period: Period, top: number) {
  return queryRows<{ stage: string | null; count: number; cost: string; repeatCost: string; issue: string; issueCost: string }>(
    db,
    sql`with fixes as (
          select s.issue_key, s.cost, ${labelKeySql(sql`s.journey_stage`)} as stage,
                 exists (select 1 from spot_fixes e where e.issue_key = s.issue_key and e.occurred_on < s.occurred_on) as is_repeat
          from spot_fixes s
          where s.occurred_on between ${period.start}::date and ${period.end}::date
        ),
        by_issue as (
          select stage, issue_key, count(*) as fixes, sum(cost) as cost, coalesce(sum(cost) filter (where is_repeat), 0) as repeat_cost
          from fixes group by stage, issue_key
        ),
        ranked as (
          select b.*, sum(b.fixes) over w as stage_count, sum(b.cost) over w as stage_cost, sum(b.repeat_cost) over w as stage_repeat_cost,
                 row_number() over (partition by b.stage order by b.cost desc, b.issue_key collate "C") as rank
          from by_issue b window w as (partition by b.stage)
        )
        select stage, stage_count::int as count, stage_cost::numeric(16,2)::text as cost,
               stage_repeat_cost::numeric(16,2)::text as "repeatCost", issue_key as issue, cost::numeric(16,2)::text as "issueCost"
        from ranked where rank <= ${top}
        order by stage_cost desc, stage collate "C" asc nulls last, rank`,
  );
}

/** One journey stage's issues straight from the spot fixes (stage compared as the journey compares it; null for none). */
export async function rawStageIssues(db: Queryable, period: Period, stage: string | null) {
  const key = labelKeySql(sql`s.journey_stage`);
  return queryRows<{ issueKey: string; fixes: number; cost: string; repeatCost: string }>(
    db,
    sql`select s.issue_key as "issueKey", count(*)::int as fixes, sum(s.cost)::numeric(16,2)::text as cost,
               coalesce(sum(s.cost) filter (where exists (
                 select 1 from spot_fixes e where e.issue_key = s.issue_key and e.occurred_on < s.occurred_on)), 0)::numeric(16,2)::text as "repeatCost"
        from spot_fixes s
        where s.occurred_on between ${period.start}::date and ${period.end}::date
          and ${stage === null ? sql`${key} is null` : sql`${key} = ${stage}`}
        group by s.issue_key
        order by sum(s.cost) desc, s.issue_key collate "C"`,
  );
}
