import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCsvRows } from '@/lib/csv/export';
import { CLI_ACTOR } from '@/lib/data/audit';
import { loadCsv } from '@/lib/data/bulk-load';
import { rebuildRollups } from '@/lib/data/rollups';
import { exportCsvChunks } from '@/lib/data/export';
import { importCsv } from '@/lib/data/import-csv';
import { listIssueCosts, listReasonsForLeaving, listRecommendationByTouchpoint, listRentVsOwn, listRetentionBySegment } from '@/lib/data/drilldowns';
import { listIssuesWithCosts } from '@/lib/data/accountability';
import { getChurnAfterResponse, getValueAtRisk, listJourneyStages, listJourneyTouchpoints } from '@/lib/data/journey';
import { listStageIssues } from '@/lib/data/journey-stage';
import { listTopIssuesForPeriod } from '@/lib/data/period-issues';
import { TOP_ISSUES_PER_STAGE } from '@/lib/metrics/journey';
import { netPromoterScore } from '@/lib/metrics/recommendation';
import { listRecurringIssuePage } from '@/lib/data/recurring-issues';
import { getMetricSeries, getScorecard } from '@/lib/data/scorecard';
import type { Db } from '@/lib/db';
import { SPOT_FIX_CATEGORIES } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { issueKey } from '@/lib/metrics/issue-key';
import { periodsEndingWith, parsePeriod, type Period } from '@/lib/metrics/period';
import { issueListQuerySchema } from '@/lib/validation/issues';
import { RECORD_COLUMNS, RECORD_KINDS, type RecordKind } from '@/lib/validation/records';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';
import {
  figuresOf,
  rawChurnReasons,
  rawFigures,
  rawChurnAfterResponse,
  rawIssueCosts,
  rawJourneyStages,
  rawStageIssues,
  rawJourneyTouchpoints,
  rawIssueSpend,
  rawRecurringIssues,
  rawRecommendationByTouchpoint,
  rawRentVsOwn,
  rawRetentionBySegment,
  rawValueAtRisk,
  rawTopChurnReasons,
} from '../support/raw-figures';

/*
 * Property test of the rollups (drizzle/0010_rollup_triggers.sql, 0012 and 0013): random data with SPEC's edge
 * cases, written through plain inserts, updates, deletes and the CSV import; after every step the
 * scorecard's figures and the drill-downs' breakdowns (read from the rollups) equal the raw-table
 * reference for every month, quarter and year in range, and rollup_rebuild() leaves the rollups as the triggers kept them.
 */

const TODAY = '2030-01-01';
const FIRST_DAY = '2022-11-01';
const LAST_DAY = '2026-02-28';
const PERIODS: Period[] = [
  ...periodsEndingWith(parsePeriod('2026-03'), 42),
  ...periodsEndingWith(parsePeriod('2026-Q1'), 14),
  ...periodsEndingWith(parsePeriod('2026'), 5),
];

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T,>(list: readonly T[]): T => list[int(0, list.length - 1)];
  const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const fromNumber = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
  // Period edges (first and last days of months, the leap day) come up far more often than chance.
  const EDGES = ['2023-01-01', '2023-03-31', '2023-04-01', '2023-12-31', '2024-01-01', '2024-02-29', '2024-03-01',
    '2024-06-30', '2024-07-01', '2024-09-30', '2024-12-31', '2025-01-01', '2025-03-31', '2025-06-30', '2025-12-31'];
  const day = (from = FIRST_DAY, to = LAST_DAY): string => {
    if (next() < 0.3) {
      const edges = EDGES.filter((d) => d >= from && d <= to);
      if (edges.length) return pick(edges);
    }
    return fromNumber(int(dayNumber(from), dayNumber(to)));
  };
  const money = () => (next() < 0.1 ? '0.00' : `${int(0, 5000)}.${String(int(0, 99)).padStart(2, '0')}`);
  return { next, int, pick, day, money };
}

type Random = ReturnType<typeof random>;
type Row = Record<string, string | null>;

const ISSUES = ['Late delivery', ' late  DELIVERY ', 'Billing error', 'BILLING ERROR', 'Wrong size', 'Rude agent', 'App crash', 'Lost parcel'];

function customer(rng: Random, id: string): Row {
  const acquired = rng.day();
  const churn = rng.next();
  // Same-day churn, churn on a period's edge, never churned, or any day from acquisition on.
  const churned = churn < 0.1 ? acquired : churn < 0.45 ? null : rng.day(acquired, LAST_DAY);
  return {
    customer_id: id,
    name: `Customer ${id}`,
    segment: rng.pick(['SMB', 'Enterprise', null]),
    acquired_on: acquired,
    churned_on: churned,
    monthly_value: rng.next() < 0.15 ? null : rng.money(),
    churn_reason: churned ? rng.pick(['Price', 'Service', null, ' Price ', '', 'service']) : null,
  };
}

function response(rng: Random, id: string): Row {
  return {
    response_id: id,
    customer_id: rng.next() < 0.25 ? null : `C${rng.int(1, 80)}`,
    responded_on: rng.day(),
    score: String(rng.int(0, 10)),
    touchpoint: rng.pick(['support', 'delivery', null, ' Support ', 'DELIVERY', '', '  ']),
    comment: null,
  };
}

function spotFix(rng: Random, id: string, occurredOn = rng.day()): Row {
  return {
    spot_fix_id: id,
    occurred_on: occurredOn,
    issue: rng.pick(ISSUES),
    category: rng.pick(SPOT_FIX_CATEGORIES),
    cost: rng.money(),
    customer_id: rng.next() < 0.4 ? null : `C${rng.int(1, 80)}`,
    journey_stage: rng.pick([null, 'Delivery', ' delivery ', 'Billing', '', 'Onboarding']),
    note: null,
  };
}

const TABLES: Record<RecordKind, string> = { customers: 'customers', responses: 'survey_responses', 'spot-fixes': 'spot_fixes' };
const ROLLUPS = ['rollup_customer_days', 'rollup_customer_cohorts', 'rollup_churn_reasons', 'rollup_response_months',
  'rollup_spot_fix_months', 'rollup_issue_months', 'rollup_issue_first_fixes', 'rollup_at_risk_spans', 'rollup_at_risk_months'];

async function insertRows(db: Db, kind: RecordKind, rows: Row[]) {
  if (!rows.length) return;
  const columns = [...RECORD_COLUMNS[kind], ...(kind === 'spot-fixes' ? ['issue_key'] : [])];
  const values = rows.map(
    (row) => sql`(${sql.join(columns.map((c) => (c === 'issue_key' ? sql`${issueKey(row.issue!)}` : sql`${row[c]}`)), sql`, `)})`,
  );
  const casts = columns.map((c) =>
    /_on$/.test(c) ? `v."${c}"::date` : c === 'score' ? `v."${c}"::smallint` : /cost|value/.test(c) ? `v."${c}"::numeric` : `v."${c}"`,
  );
  await db.execute(sql`insert into ${sql.identifier(TABLES[kind])} (${sql.raw(columns.map((c) => `"${c}"`).join(', '))})
    select ${sql.raw(casts.join(', '))} from (values ${sql.join(values, sql`, `)}) as v(${sql.raw(columns.map((c) => `"${c}"`).join(', '))})`);
}

function csvText(kind: RecordKind, rows: Row[], columns: readonly string[] = RECORD_COLUMNS[kind]): string {
  return `${columns.join(',')}\n${formatCsvRows(rows.map((row) => columns.map((c) => row[c] ?? '')))}`;
}

async function exportText(db: Db, kind: RecordKind): Promise<string> {
  let text = '';
  for await (const chunk of exportCsvChunks(db, kind)) text += chunk;
  return text;
}

/** Every rollup row, in key order, as text. */
async function dumpRollups(db: Db): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of ROLLUPS) {
    dump[table] = await queryRows(db, sql`select to_json(t)::text as row from ${sql.identifier(table)} t order by 1`);
  }
  return dump;
}

/** The raw tables as exported, the recurring issues and every rollup: all an import could change. */
async function dumpAll(db: Db) {
  const exports = await Promise.all(RECORD_KINDS.map((kind) => exportText(db, kind)));
  const issues = await queryRows(db, sql`select issue_key, label from recurring_issues order by issue_key`);
  return { exports, issues, rollups: await dumpRollups(db) };
}

async function expectRollupsExact(db: Db, step: string) {
  const series = await getMetricSeries(db, PERIODS, { today: TODAY });
  const raw = await rawFigures(db, PERIODS);
  const mismatches = PERIODS.flatMap((period, i) => {
    const fromRollups = figuresOf(series[i]);
    return JSON.stringify(fromRollups) === JSON.stringify(raw[i]) ? [] : [{ period: period.label, fromRollups, raw: raw[i] }];
  });
  expect(mismatches, step).toEqual([]);
  // Reasons for leaving: every one in the drill-down, and the scorecard's top five of each quarter and year.
  const reasonMismatches = [];
  for (const period of PERIODS) {
    const listed = await listReasonsForLeaving(db, period);
    const raw = await rawChurnReasons(db, period);
    if (JSON.stringify(listed) !== JSON.stringify(raw)) reasonMismatches.push({ period: period.label, listed, raw });
    if (period.granularity === 'month') continue;
    const top = (await getScorecard(db, period, { today: TODAY })).retention.topReasons;
    const rawTop = await rawTopChurnReasons(db, period);
    if (JSON.stringify(top) !== JSON.stringify(rawTop)) reasonMismatches.push({ period: period.label, top, rawTop });
  }
  expect(reasonMismatches, `${step}: reasons for leaving`).toEqual([]);
  // The drill-downs' breakdowns: by segment, by touchpoint, by issue, and rent against own.
  const breakdownMismatches = [];
  for (const period of PERIODS) {
    const rawChurn = await rawChurnAfterResponse(db, period);
    // Each stage's own page: its issues (the generator writes these stages, in several spellings, and none).
    const stagePages: Array<readonly [string, unknown, unknown]> = [];
    for (const stage of [null, 'delivery', 'billing', 'onboarding']) {
      stagePages.push([
        `journey stage ${stage}`,
        (await listStageIssues(db, period, stage)).map(({ issueKey, fixes, cost, repeatCost }) => ({ issueKey, fixes, cost, repeatCost })),
        await rawStageIssues(db, period, stage),
      ]);
    }
    const pairs = [
      ['segments', (await listRetentionBySegment(db, period)).map(({ rate: _, ...row }) => row), await rawRetentionBySegment(db, period)],
      [
        'touchpoints',
        (await listRecommendationByTouchpoint(db, period)).map(({ touchpoint, responses, promoters, passives, detractors }) => ({
          touchpoint, responses, promoters, passives, detractors,
        })),
        await rawRecommendationByTouchpoint(db, period),
      ],
      [
        'issues',
        (await listIssueCosts(db, period, 1000)).issues.map(({ issueKey, fixes, cost, repeatCost }) => ({ issueKey, fixes, cost, repeatCost })),
        await rawIssueCosts(db, period),
      ],
      [
        'snapshot top issues',
        (await listTopIssuesForPeriod(db, period, 1000)).map(({ issueKey, fixes, cost, repeatCost }) => ({ issueKey, fixes, cost, repeatCost })),
        await rawIssueCosts(db, period),
      ],
      [
        'rent against own',
        (await listRentVsOwn(db, period))
          .map(({ issueKey, firstOn, fixes, spentSoFar, repeatSpendSoFar, repeatLastYear }) => ({
            issueKey, firstOn, fixes, spentSoFar, repeatSpendSoFar, repeatLastYear,
          }))
          .sort((a, b) => (a.issueKey < b.issueKey ? -1 : 1)),
        await rawRentVsOwn(db, period),
      ],
      ['value at risk', await getValueAtRisk(db, period), await rawValueAtRisk(db, period)],
      [
        'journey touchpoints',
        (await listJourneyTouchpoints(db, period)).map(({ touchpoint, responses, detractors, nps }) => ({ touchpoint, responses, detractors, nps })),
        (await rawJourneyTouchpoints(db, period)).map(({ touchpoint, responses, promoters, detractors }) => ({
          touchpoint, responses, detractors, nps: netPromoterScore(promoters, detractors, responses),
        })),
      ],
      [
        'journey stages',
        (await listJourneyStages(db, period)).flatMap(({ stage, count, cost, repeatCost, topIssues }) =>
          topIssues.map((issue) => ({ stage, count, cost, repeatCost, issue: issue.issue, issueCost: issue.cost })),
        ),
        await rawJourneyStages(db, period, TOP_ISSUES_PER_STAGE),
      ],
      ...stagePages,
      [
        'churn after response',
        await getChurnAfterResponse(db, period),
        Object.fromEntries(
          ['detractor', 'passive', 'promoter'].map((c) => {
            const row = rawChurn.find((r) => r.class === c);
            return [c, row && row.responses > 0 ? row.churned / row.responses : null];
          }),
        ),
      ],
      [
        'accountability',
        (await listIssuesWithCosts(db, period))
          .map(({ issueKey, fixes, cost, repeatCost, costLastYear, lastSeenOn }) => ({ issueKey, fixes, cost, repeatCost, costLastYear, lastSeenOn }))
          .sort((a, b) => (a.issueKey < b.issueKey ? -1 : 1)),
        await rawIssueSpend(db, period),
      ],
    ] as const;
    for (const [what, fromRollups, raw] of pairs as readonly (readonly [string, unknown, unknown])[]) {
      if (JSON.stringify(fromRollups) !== JSON.stringify(raw)) breakdownMismatches.push({ period: period.label, what, fromRollups, raw });
    }
  }
  expect(breakdownMismatches, `${step}: drill-down breakdowns`).toEqual([]);
  // The recurring-issues page, for every quarter and year it offers and for all time.
  const issueMismatches = [];
  for (const period of [null, ...PERIODS.filter((p) => p.granularity !== 'month')]) {
    const query = issueListQuerySchema.parse({ period: period?.label });
    const { issues } = await listRecurringIssuePage(db, query, 1000);
    const listed = issues
      .map(({ issueKey, count, totalCost, repeatCost, repeats, firstSeen, lastSeen, cameBack, lastCameBack }) => ({
        issueKey, count, totalCost, repeatCost, repeats, firstSeen, lastSeen, cameBack, lastCameBack,
      }))
      .sort((a, b) => (a.issueKey < b.issueKey ? -1 : 1));
    // The page leaves out issues without a fix in the chosen period.
    const raw = (await rawRecurringIssues(db, period)).filter((issue) => !period || issue.count > 0);
    if (JSON.stringify(listed) !== JSON.stringify(raw)) issueMismatches.push({ period: period?.label ?? 'all time', listed, raw });
  }
  expect(issueMismatches, `${step}: recurring issues`).toEqual([]);
  expect((await rawValueAtRisk(db, parsePeriod('2024-06'))).customers, `${step}: someone at risk`).toBeGreaterThan(0);
  // Something actually counted, so the comparison is not between two empty scorecards.
  expect(raw.some((f) => f.retention.start > 0 && f.recommendation.responses > 0 && f.spotFixCost.repeatCost !== '0.00'), step).toBe(true);

  const kept = await dumpRollups(db);
  await db.execute(sql`select rollup_rebuild()`);
  expect(await dumpRollups(db), `${step}: rollup_rebuild() changes nothing`).toEqual(kept);
}

describe.each(DATABASE_TARGETS)('rollups on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
    // Every period counts: no "no data" before the first record hides a figure.
    await t.db.execute(sql`update metrics set data_since = date '1900-01-01'`);
    await t.db.execute(sql`insert into recurring_issues (issue_key, label)
      select distinct on (k) k, l from unnest(${sql.param(ISSUES.map(issueKey))}::text[], ${sql.param(ISSUES)}::text[]) as i(k, l)`);
    // Rent against own lists only issues with an estimated fix.
    await t.db.execute(sql`update recurring_issues set estimated_fix_cost = 2500 where issue_key in ('late delivery', 'billing error', 'app crash')`);
    // Issues marked fixed that came back, or not.
    await t.db.execute(sql`update recurring_issues set fixed_on = date '2024-06-30' where issue_key in ('billing error', 'wrong size')`);
  });
  afterAll(() => t?.close());

  it.each([1, 2, 3])('equal the raw-table figures through inserts, updates, deletes and imports (seed %i)', async (seed) => {
    const { db } = t;
    const rng = random(seed * 7919);
    await db.execute(sql`truncate customers, survey_responses, spot_fixes`);
    expect(await dumpRollups(db), 'truncate empties the rollups').toEqual(Object.fromEntries(ROLLUPS.map((r) => [r, []])));

    // Inserts, several rows to a statement and one at a time.
    const customers = Array.from({ length: 120 }, (_, i) => customer(rng, `C${i + 1}`));
    // SPEC's edges, whatever the seed: acquired and churned the same day (a quarter's and a year's
    // first day), churned on a period's first or last day, acquired the day before a churn, no value.
    const edge = (id: string, acquired: string, churned: string | null, value: string | null): Row => ({
      ...customer(rng, id),
      acquired_on: acquired,
      churned_on: churned,
      monthly_value: value,
    });
    customers.push(
      edge('E1', '2024-04-01', '2024-04-01', '10.00'),
      edge('E2', '2025-01-01', '2025-01-01', null),
      edge('E3', '2023-05-10', '2024-01-01', '30.30'),
      edge('E4', '2023-05-10', '2024-12-31', '40.40'),
      edge('E5', '2024-03-31', '2024-04-01', '50.50'),
      edge('E6', '2024-01-01', '2024-03-31', null),
      edge('E7', '2024-02-29', null, null),
    );
    const responses = Array.from({ length: 240 }, (_, i) => response(rng, `R${i + 1}`));
    // Two answers of one customer on one day: the greater response_id is the latest (a promoter's here).
    responses.push(
      { ...response(rng, 'R-tie-a'), customer_id: 'E4', responded_on: '2024-06-30', score: '3' },
      { ...response(rng, 'R-tie-b'), customer_id: 'E4', responded_on: '2024-06-30', score: '9' },
      { ...response(rng, 'R-tie-c'), customer_id: 'E7', responded_on: '2024-06-30', score: '2' },
      // A detractor who leaves 46 days later (E4 churns on 2024-12-31).
      { ...response(rng, 'R-churn'), customer_id: 'E4', responded_on: '2024-11-15', score: '3' },
    );
    const fixes = Array.from({ length: 150 }, (_, i) => spotFix(rng, `S${i + 1}`));
    // Several fixes of one issue on its first day, and the same issue again in later periods.
    fixes.push(
      { ...spotFix(rng, 'S-first-1', '2023-02-01'), issue: 'Broken lid' },
      { ...spotFix(rng, 'S-first-2', '2023-02-01'), issue: 'BROKEN  lid' },
      { ...spotFix(rng, 'S-first-3', '2023-02-01'), issue: 'broken lid ' },
      { ...spotFix(rng, 'S-later-1', '2023-04-01'), issue: 'Broken lid' },
      { ...spotFix(rng, 'S-later-2', '2024-01-01'), issue: 'Broken lid' },
    );
    await db.execute(sql`insert into recurring_issues (issue_key, label) values ('broken lid', 'Broken lid') on conflict do nothing`);
    await insertRows(db, 'customers', customers.slice(0, 100));
    for (const row of customers.slice(100)) await insertRows(db, 'customers', [row]);
    await insertRows(db, 'responses', responses.slice(0, 200));
    for (const row of responses.slice(200)) await insertRows(db, 'responses', [row]);
    await insertRows(db, 'spot-fixes', fixes.slice(0, 140));
    for (const row of fixes.slice(140)) await insertRows(db, 'spot-fixes', [row]);
    await expectRollupsExact(db, 'after inserts');
    expect((await rawChurnAfterResponse(db, parsePeriod('2024-12'))).some((row) => row.churned > 0), 'churn after a response').toBe(true);

    // Updates: dates, values, scores, costs, categories and issue keys change; some updates change
    // nothing the rollups count (a name), some several rows in one statement.
    for (let i = 0; i < 25; i++) {
      const id = `C${rng.int(1, 120)}`;
      const c = customer(rng, id);
      await db.execute(sql`update customers set acquired_on = ${c.acquired_on}::date, churned_on = ${c.churned_on}::date,
        monthly_value = ${c.monthly_value}::numeric where customer_id = ${id}`);
    }
    await db.execute(sql`update customers set name = name || ' (renamed)' where customer_id like 'C1%'`);
    await db.execute(sql`update customers set churned_on = null, churn_reason = null where customer_id like 'C2%'`);
    await db.execute(sql`update customers set monthly_value = monthly_value + 1 where customer_id like 'C3%'`);
    await db.execute(sql`update customers set churned_on = acquired_on where customer_id like 'C4%'`);
    await db.execute(sql`update customers set churn_reason = ' price' where customer_id like 'C6%'`);
    await db.execute(sql`update customers set churn_reason = null, monthly_value = null where customer_id like 'C7%'`);
    for (let i = 0; i < 25; i++) {
      await db.execute(sql`update survey_responses set responded_on = ${rng.day()}::date, score = ${rng.int(0, 10)}
        where response_id = ${`R${rng.int(1, 240)}`}`);
    }
    await db.execute(sql`update survey_responses set score = 10 - score where response_id like 'R1%'`);
    for (let i = 0; i < 25; i++) {
      const label = rng.pick(ISSUES);
      await db.execute(sql`update spot_fixes set occurred_on = ${rng.day()}::date, cost = ${rng.money()}::numeric,
        category = ${rng.pick(SPOT_FIX_CATEGORIES)}, issue = ${label}, issue_key = ${issueKey(label)}
        where spot_fix_id = ${`S${rng.int(1, 150)}`}`);
    }
    await db.execute(sql`update spot_fixes set occurred_on = occurred_on - 400 where spot_fix_id like 'S1%' and occurred_on > date '2024-01-01'`);
    await db.execute(sql`update spot_fixes set issue_key = 'broken lid', issue = 'Broken lid' where spot_fix_id like 'S2%'`);
    await db.execute(sql`update spot_fixes set note = 'seen' where spot_fix_id like 'S3%'`);
    await db.execute(sql`update spot_fixes set journey_stage = 'BILLING' where spot_fix_id like 'S5%'`);
    await expectRollupsExact(db, 'after updates');

    // Deletes, one row and many; the first-day fixes of an issue go one by one.
    await db.execute(sql`delete from customers where customer_id like 'C5%'`);
    await db.execute(sql`delete from customers where customer_id = ${`C${rng.int(60, 120)}`}`);
    await db.execute(sql`delete from survey_responses where response_id like 'R3%'`);
    await db.execute(sql`delete from spot_fixes where spot_fix_id = 'S-first-1'`);
    await expectRollupsExact(db, 'after deleting one first-day fix');
    await db.execute(sql`delete from spot_fixes where spot_fix_id in ('S-first-2', 'S-first-3')`);
    await db.execute(sql`delete from spot_fixes where spot_fix_id like 'S4%'`);
    await expectRollupsExact(db, 'after deletes');

    // CSV imports: new records and changes to loaded ones, in one statement each.
    const newCustomers = [
      ...Array.from({ length: 40 }, (_, i) => customer(rng, `C${200 + i}`)),
      ...Array.from({ length: 20 }, () => customer(rng, `C${rng.int(1, 49)}`)).filter(
        (row, i, all) => all.findIndex((other) => other.customer_id === row.customer_id) === i,
      ),
    ];
    expect(await importCsv(db, 'customers', () => csvText('customers', newCustomers), CLI_ACTOR)).toMatchObject({ ok: true });
    // A file without monthly_value leaves the stored values as they were.
    const churnDates = Array.from({ length: 15 }, (_, i) => customer(rng, `C${200 + i}`));
    const columnsWithoutValue = RECORD_COLUMNS.customers.filter((c) => c !== 'monthly_value');
    expect(await importCsv(db, 'customers', () => csvText('customers', churnDates, columnsWithoutValue), CLI_ACTOR)).toMatchObject({ ok: true });
    const newResponses = [
      ...Array.from({ length: 60 }, (_, i) => response(rng, `R${500 + i}`)),
      ...Array.from({ length: 20 }, (_, i) => response(rng, `R${i + 1}`)),
    ];
    expect(await importCsv(db, 'responses', () => csvText('responses', newResponses), CLI_ACTOR)).toMatchObject({ ok: true });
    const newFixes = [
      ...Array.from({ length: 40 }, (_, i) => spotFix(rng, `S${500 + i}`)),
      ...Array.from({ length: 20 }, (_, i) => spotFix(rng, `S${i + 50}`)),
      { ...spotFix(rng, 'S-new-issue-1', '2022-12-31'), issue: 'Brand new  ISSUE' },
      { ...spotFix(rng, 'S-new-issue-2', '2022-12-31'), issue: 'brand new issue' },
      { ...spotFix(rng, 'S-new-issue-3', '2025-07-01'), issue: 'Brand new issue' },
    ];
    expect(await importCsv(db, 'spot-fixes', () => csvText('spot-fixes', newFixes), CLI_ACTOR)).toMatchObject({ ok: true });
    await expectRollupsExact(db, 'after CSV imports');

    // A file with one bad row changes nothing: raw tables, recurring issues and rollups alike.
    const before = await dumpAll(db);
    const badFixes = [...Array.from({ length: 30 }, (_, i) => spotFix(rng, `S${700 + i}`)), ...Array.from({ length: 10 }, (_, i) => spotFix(rng, `S${i + 1}`))];
    badFixes.push({ ...spotFix(rng, 'S-bad'), cost: '-1.00' });
    const rejected = await importCsv(db, 'spot-fixes', () => csvText('spot-fixes', badFixes), CLI_ACTOR);
    expect(rejected).toMatchObject({ ok: false, problems: [{ row: badFixes.length + 1, column: 'cost' }] });
    expect(await dumpAll(db)).toEqual(before);

    // An import that fails after its rows were merged (and the triggers ran) rolls the rollups back too.
    const goodCustomers = Array.from({ length: 30 }, (_, i) => customer(rng, `C${i + 1}`));
    await expect(
      db.transaction(async (tx) => {
        const load = await loadCsv(tx, 'customers', csvText('customers', goodCustomers));
        expect(load.ok).toBe(true);
        const [changed] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from rollup_customer_days`);
        expect(changed.n).toBeGreaterThan(0);
        throw new Error('the connection dropped');
      }),
    ).rejects.toThrow('the connection dropped');
    expect(await dumpAll(db)).toEqual(before);
    await expectRollupsExact(db, 'after failed imports');
  }, 240_000); // five full comparisons over 61 periods, slow on PGlite under load

  it('are rebuilt from the raw tables after rows were loaded behind the triggers\' back', async () => {
    const { db } = t;
    const rng = random(4242);
    await db.execute(sql`truncate customers, survey_responses, spot_fixes`);
    await insertRows(db, 'customers', Array.from({ length: 60 }, (_, i) => customer(rng, `C${i + 1}`)));
    await insertRows(db, 'spot-fixes', Array.from({ length: 60 }, (_, i) => spotFix(rng, `S${i + 1}`)));
    for (const table of Object.values(TABLES)) await db.execute(sql`alter table ${sql.identifier(table)} disable trigger user`);
    try {
      await insertRows(db, 'customers', Array.from({ length: 60 }, (_, i) => customer(rng, `B${i + 1}`)));
      await insertRows(db, 'responses', Array.from({ length: 100 }, (_, i) => response(rng, `R${i + 1}`)));
      await insertRows(db, 'spot-fixes', Array.from({ length: 60 }, (_, i) => spotFix(rng, `B${i + 1}`)));
      await db.execute(sql`delete from spot_fixes where spot_fix_id like 'S1%'`);
    } finally {
      for (const table of Object.values(TABLES)) await db.execute(sql`alter table ${sql.identifier(table)} enable trigger user`);
    }
    const stale = await getMetricSeries(db, PERIODS, { today: TODAY });
    expect(stale.map(figuresOf)).not.toEqual(await rawFigures(db, PERIODS));

    const { rows } = await rebuildRollups(db);
    expect(rows.rollup_response_months).toBeGreaterThan(0);
    await expectRollupsExact(db, 'after rebuild-rollups');
  });
});

// Two writers at once (the PostgreSQL server; PGlite has one connection): neither loses the other's rows.
describe.each(DATABASE_TARGETS.filter((target) => target === 'postgres'))('rollups under concurrent writers on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  afterAll(() => t?.close());

  async function waitForBlockedWriter(db: Db) {
    for (;;) {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      );
      if (row.n > 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('keeps counts and first fixes exact when a second transaction writes the same day and issue', async () => {
    const { db } = t;
    await db.execute(sql`insert into recurring_issues (issue_key, label) values ('late delivery', 'Late delivery') on conflict do nothing`);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstWrote!: () => void;
    const wrote = new Promise<void>((resolve) => (firstWrote = resolve));
    // The first writer logs the issue's earlier fix and a customer, and holds its transaction open.
    const first = db.transaction(async (tx) => {
      await tx.execute(sql`insert into spot_fixes (spot_fix_id, occurred_on, issue, issue_key, category, cost)
        values ('S1', '2024-04-01', 'Late delivery', 'late delivery', 'meeting', 20)`);
      await tx.execute(sql`insert into customers (customer_id, acquired_on) values ('C1', '2024-04-01')`);
      firstWrote();
      await gate;
    });
    await wrote;
    // The second logs a later fix of the same issue and a customer on the same day; it waits for the first.
    const second = db.transaction(async (tx) => {
      await tx.execute(sql`insert into spot_fixes (spot_fix_id, occurred_on, issue, issue_key, category, cost)
        values ('S2', '2024-05-01', 'Late delivery', 'late delivery', 'meeting', 10)`);
      await tx.execute(sql`insert into customers (customer_id, acquired_on) values ('C2', '2024-04-01')`);
    });
    await waitForBlockedWriter(db);
    release();
    await Promise.all([first, second]);

    expect(await queryRows(db, sql`select issue_key, first_on::text, first_day_cost::text from rollup_issue_first_fixes`)).toEqual([
      { issue_key: 'late delivery', first_on: '2024-04-01', first_day_cost: '20.00' },
    ]);
    expect(await queryRows(db, sql`select day::text, acquired from rollup_customer_days`)).toEqual([{ day: '2024-04-01', acquired: 2 }]);
    const kept = await dumpRollups(db);
    await db.execute(sql`select rollup_rebuild()`);
    expect(await dumpRollups(db)).toEqual(kept);
  });
});
