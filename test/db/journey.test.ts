import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { executives, recurringIssues } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { CLI_ACTOR } from '@/lib/data/audit';
import { getChurnAfterResponse, getJourney, getValueAtRisk, labelKeySql, listJourneyStages } from '@/lib/data/journey';
import { listStageIssues, listStageSpotFixes } from '@/lib/data/journey-stage';
import { applyRecords } from '@/lib/data/records';
import { buildSnapshotJourney } from '@/lib/snapshots/journey';
import { issueKey } from '@/lib/metrics/issue-key';
import { detractorChurnMultiple } from '@/lib/metrics/journey';
import { parsePeriod } from '@/lib/metrics/period';
import { validateRecord, type RecordKind, type RecordTypes } from '@/lib/validation/records';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

const MARCH = parsePeriod('2025-03');
const NOW = new Date('2026-01-15T12:00:00Z');

async function load<K extends RecordKind>(db: Db, kind: K, inputs: Array<Record<string, unknown>>) {
  const records = inputs.map((input) => {
    const result = validateRecord(kind, input as never);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.record as RecordTypes[K];
  });
  await applyRecords(db, kind, [records], CLI_ACTOR, 'test');
}

const fix = (id: string, occurred_on: string, issue: string, cost: string, journey_stage?: string) => ({
  spot_fix_id: id,
  occurred_on,
  issue,
  category: 'staff_time',
  cost,
  customer_id: 'x',
  ...(journey_stage === undefined ? {} : { journey_stage }),
});

/*
 * Spot fixes, March 2025 (by hand):
 *   billing   Invoice error 1150.00 (first)                                     → 1150.00, repeat 0
 *   delivery  Late delivery 300.00 + 200.00 (repeats of a June 2024 fix, 1000.00, stage "Delivery"),
 *             Damaged box 250.00 + 250.00 (both on its first day: not repeats),
 *             Wrong address 100.00, Broken seal 50.00                            → 1150.00, repeat 500.00
 *   no stage  PR crisis 700.00 (absent stage) and 100.00 (blank stage, a repeat)  → 800.00, repeat 100.00
 *   A Late delivery fix in April 2025 (999.00) is outside the period.
 */
async function loadSpotFixes(db: Db) {
  await load(db, 'spot-fixes', [
    fix('f1', '2024-06-01', 'Late delivery', '1000.00', 'Delivery'),
    fix('f2', '2025-03-02', 'late  Delivery ', '300.00', ' delivery'),
    fix('f3', '2025-03-05', 'Late delivery', '200.00', 'DELIVERY'),
    fix('f4', '2025-03-03', 'Damaged box', '250.00', 'Delivery'),
    fix('f5', '2025-03-03', 'damaged box', '250.00', 'delivery  '),
    fix('f6', '2025-03-06', 'Wrong address', '100.00', 'Delivery'),
    fix('f7', '2025-03-07', 'Broken seal', '50.00', 'Delivery'),
    fix('f8', '2025-03-10', 'PR crisis', '700.00'),
    fix('f9', '2025-03-11', 'pr crisis', '100.00', '   '),
    fix('f10', '2025-03-12', 'Invoice error', '1150.00', 'Billing'),
    fix('f11', '2025-04-01', 'Late delivery', '999.00', 'Delivery'),
  ]);
}

/*
 * Responses in March 2025 by touchpoint: support 10, 3 and an anonymous 0 ("Support", " support ", "SUPPORT"),
 * billing 8 and 2 (the 2 from a customer never loaded), one 9 with no touchpoint.
 * Value at risk on 2025-03-31 (its 12 months start 2024-04-01):
 *   v1  active, two responses on its latest day: v1-a 10, v1-b 2 → v1-b counts → at risk (100.00)
 *   v2  active, detractor in May 2024, promoter in Feb 2025 → not at risk
 *   v3  active, detractor on 2024-03-31 (365 days before) only → not at risk
 *   v4  active, detractor on 2024-04-01 (364 days before) → at risk (40.00)
 *   v5  churned on 2025-03-31 → not active on the last day
 *   v6  churned on 2025-04-01 → active on the last day, at risk (60.00); its April promoter is too late
 *   v7  acquired after the period → not active
 */
async function loadResponses(db: Db) {
  await load(db, 'customers', [
    { customer_id: 'v1', acquired_on: '2020-01-01', monthly_value: '100.00' },
    { customer_id: 'v2', acquired_on: '2020-01-01', monthly_value: '1000.00' },
    { customer_id: 'v3', acquired_on: '2020-01-01', monthly_value: '1000.00' },
    { customer_id: 'v4', acquired_on: '2020-01-01', monthly_value: '40.00' },
    { customer_id: 'v5', acquired_on: '2020-01-01', churned_on: '2025-03-31', monthly_value: '1000.00' },
    { customer_id: 'v6', acquired_on: '2020-01-01', churned_on: '2025-04-01', monthly_value: '60.00' },
    { customer_id: 'v7', acquired_on: '2025-04-01', monthly_value: '1000.00' },
  ]);
  await load(db, 'responses', [
    { response_id: 't1', customer_id: 'v2', responded_on: '2025-03-01', score: 10, touchpoint: 'Support' },
    { response_id: 't2', customer_id: 'v1', responded_on: '2025-03-02', score: 3, touchpoint: ' support ' },
    { response_id: 't3', customer_id: 'v2', responded_on: '2025-03-03', score: 8, touchpoint: 'Billing' },
    { response_id: 't4', customer_id: 'nobody', responded_on: '2025-03-04', score: 2, touchpoint: 'billing' },
    { response_id: 't5', customer_id: 'v2', responded_on: '2025-03-05', score: 9 },
    { response_id: 'v1-a', customer_id: 'v1', responded_on: '2025-03-20', score: 10 },
    { response_id: 'v1-b', customer_id: 'v1', responded_on: '2025-03-20', score: 2 },
    { response_id: 'v2-old', customer_id: 'v2', responded_on: '2024-05-01', score: 1 },
    { response_id: 'v3-old', customer_id: 'v3', responded_on: '2024-03-31', score: 0 },
    { response_id: 'v4-edge', customer_id: 'v4', responded_on: '2024-04-01', score: 6 },
    { response_id: 'v5', customer_id: 'v5', responded_on: '2025-03-10', score: 0 },
    { response_id: 'v6', customer_id: 'v6', responded_on: '2025-03-10', score: 0 },
    { response_id: 'v6-late', customer_id: 'v6', responded_on: '2025-04-02', score: 10 },
    { response_id: 'v7', customer_id: 'v7', responded_on: '2025-03-10', score: 0 },
    { response_id: 'v-anonymous', responded_on: '2025-03-25', score: 0, touchpoint: 'SUPPORT' },
  ]);
}

/*
 * What a score foretells, for 2023 (its 12 months: 2023-01-01 to 2023-12-31):
 *   k1 detractor 2023-04-01, churned 2023-06-30 (day 90: counted)
 *   k2 detractor 2023-04-01, churned 2023-07-01 (day 91: not counted)
 *   k3 passive, stays;  k4 promoter, churned 2023-06-01;  k5–k7 promoters, stay
 *   excluded: k8 acquired after its response, k9 churned before it, k10 churned on its day,
 *   a detractor naming a customer never loaded and an anonymous one → detractor 1/2, passive 0/1, promoter 1/4
 */
async function loadChurnEvidence(db: Db) {
  const since = '2022-01-01';
  await load(db, 'customers', [
    { customer_id: 'k1', acquired_on: since, churned_on: '2023-06-30' },
    { customer_id: 'k2', acquired_on: since, churned_on: '2023-07-01' },
    { customer_id: 'k3', acquired_on: since, churned_on: '2024-01-01' },
    { customer_id: 'k4', acquired_on: since, churned_on: '2023-06-01' },
    { customer_id: 'k5', acquired_on: since, churned_on: '2024-01-01' },
    { customer_id: 'k6', acquired_on: since, churned_on: '2024-01-01' },
    { customer_id: 'k7', acquired_on: since, churned_on: '2024-01-01' },
    { customer_id: 'k8', acquired_on: '2023-06-01', churned_on: '2023-07-01' },
    { customer_id: 'k9', acquired_on: since, churned_on: '2023-03-01' },
    { customer_id: 'k10', acquired_on: since, churned_on: '2023-08-01' },
  ]);
  await load(db, 'responses', [
    { response_id: 'k1', customer_id: 'k1', responded_on: '2023-04-01', score: 0 },
    { response_id: 'k2', customer_id: 'k2', responded_on: '2023-04-01', score: 6 },
    { response_id: 'k3', customer_id: 'k3', responded_on: '2023-05-01', score: 7 },
    { response_id: 'k4', customer_id: 'k4', responded_on: '2023-05-01', score: 10 },
    { response_id: 'k5', customer_id: 'k5', responded_on: '2023-05-01', score: 9 },
    { response_id: 'k6', customer_id: 'k6', responded_on: '2023-05-01', score: 9 },
    { response_id: 'k7', customer_id: 'k7', responded_on: '2023-05-01', score: 10 },
    { response_id: 'k8', customer_id: 'k8', responded_on: '2023-05-01', score: 0 },
    { response_id: 'k9', customer_id: 'k9', responded_on: '2023-04-01', score: 0 },
    { response_id: 'k10', customer_id: 'k10', responded_on: '2023-08-01', score: 0 },
    { response_id: 'k-unknown', customer_id: 'ghost', responded_on: '2023-04-01', score: 0 },
    { response_id: 'k-anonymous', responded_on: '2023-04-01', score: 0 },
  ]);
}

describe.each(DATABASE_TARGETS)('the journey view (%s)', (target) => {
  let t: TestDatabase;
  let ownerId: number;
  beforeAll(async () => {
    t = await openTestDatabase(target);
    await loadSpotFixes(t.db);
    await loadResponses(t.db);
    await loadChurnEvidence(t.db);
    const [owner] = await t.db
      .insert(executives)
      .values({ name: 'Ada Brook', email: 'ada@example.com', title: 'Chief Operating Officer', powerCore: 'operations', role: 'executive' })
      .returning();
    ownerId = owner.id;
    await t.db.update(recurringIssues).set({ ownerId }).where(eq(recurringIssues.issueKey, 'late delivery'));
  });
  afterAll(() => t?.close());

  it('compares labels as issue keys do: case, extra and surrounding white space ignored, blank is none', async () => {
    const labels = ['Late  delivery ', '  DELIVERY\tstage ', 'Ünïcode  Stage', '   ', '', null];
    for (const label of labels) {
      const [row] = await queryRows<{ key: string | null }>(t.db, sql`select ${labelKeySql(sql`${label}::text`)} as key`);
      expect(row.key).toBe(label === null || issueKey(label) === '' ? null : issueKey(label));
    }
  });

  it('prints SPEC\u2019s JSON: stages by cost then label, each with its three costliest issues, ties by label', async () => {
    const journey = await getJourney(t.db, MARCH, NOW);
    expect(journey.period).toEqual({ label: '2025-03', start: '2025-03-01', end: '2025-03-31', complete: true });
    expect(journey.stages).toEqual([
      { stage: 'billing', count: 1, cost: '1150.00', repeatCost: '0.00', repeatShare: 0, topIssues: [{ issue: 'invoice error', cost: '1150.00' }] },
      {
        stage: 'delivery',
        count: 6,
        cost: '1150.00',
        repeatCost: '500.00',
        repeatShare: 500 / 1150,
        topIssues: [
          { issue: 'damaged box', cost: '500.00' },
          { issue: 'late delivery', cost: '500.00' },
          { issue: 'wrong address', cost: '100.00' },
        ],
      },
      { stage: null, count: 2, cost: '800.00', repeatCost: '100.00', repeatShare: 0.125, topIssues: [{ issue: 'pr crisis', cost: '800.00' }] },
    ]);
  });

  it('names who answers for each top issue', async () => {
    const [, delivery] = await listJourneyStages(t.db, MARCH);
    expect(delivery.topIssues.map((i) => [i.issue, i.owner?.name ?? null])).toEqual([
      ['damaged box', null],
      ['late delivery', 'Ada Brook'],
      ['wrong address', null],
    ]);
  });

  it('counts a fix as a repeat when its issue was fixed earlier in another period, never on the same first day', async () => {
    const april = await getJourney(t.db, parsePeriod('2025-04'), NOW);
    expect(april.stages).toEqual([
      { stage: 'delivery', count: 1, cost: '999.00', repeatCost: '999.00', repeatShare: 1, topIssues: [{ issue: 'late delivery', cost: '999.00' }] },
    ]);
  });

  it('groups responses by touchpoint with detractor share and NPS, most responses first, ties by label', async () => {
    const { touchpoints } = await getJourney(t.db, MARCH, NOW);
    expect(touchpoints.map((tp) => ({ ...tp }))).toEqual([
      { touchpoint: null, responses: 6, detractors: 4, detractorShare: 4 / 6, nps: -100 / 3 },
      { touchpoint: 'support', responses: 3, detractors: 2, detractorShare: 2 / 3, nps: -100 / 3 },
      { touchpoint: 'billing', responses: 2, detractors: 1, detractorShare: 0.5, nps: -50 },
    ]);
  });

  it('puts at risk the active customers whose latest response of the last 12 months is a detractor\u2019s', async () => {
    expect(await getValueAtRisk(t.db, MARCH)).toEqual({ customers: 3, monthlyValue: '200.00' });
  });

  it('counts a churn on the 90th day after a response and not on the 91st, only for loaded customers active then', async () => {
    const churn = await getChurnAfterResponse(t.db, parsePeriod('2023'));
    expect(churn).toEqual({ detractor: 0.5, passive: 0, promoter: 0.25 });
    expect(detractorChurnMultiple(churn)).toBe(2);
  });

  it('gives a period with nothing in it empty lists, nothing at risk and null shares', async () => {
    const empty = await getJourney(t.db, parsePeriod('2019-Q2'), NOW);
    expect(empty).toEqual({
      period: { label: '2019-Q2', start: '2019-04-01', end: '2019-06-30', complete: true },
      stages: [],
      touchpoints: [],
      valueAtRisk: { customers: 0, monthlyValue: '0.00' },
      churnAfterResponse: { detractor: null, passive: null, promoter: null },
    });
    expect(detractorChurnMultiple(empty.churnAfterResponse)).toBeNull();
    expect((await getJourney(t.db, parsePeriod('2026-12'), NOW)).period.complete).toBe(false);
  });

  it('lists a stage\u2019s issues with owners and pages through its spot fixes, newest first', async () => {
    const issues = await listStageIssues(t.db, MARCH, 'delivery');
    expect(issues.map((i) => [i.label, i.fixes, i.cost, i.repeatCost, i.owner?.name ?? null])).toEqual([
      ['Damaged box', 2, '500.00', '0.00', null],
      ['Late delivery', 2, '500.00', '500.00', 'Ada Brook'],
      ['Wrong address', 1, '100.00', '0.00', null],
      ['Broken seal', 1, '50.00', '0.00', null],
    ]);
    const first = await listStageSpotFixes(t.db, MARCH, 'delivery', null, 4);
    expect(first.fixes.map((f) => [f.spotFixId, f.isRepeat])).toEqual([['f7', false], ['f6', false], ['f3', true], ['f5', false]]);
    const second = await listStageSpotFixes(t.db, MARCH, 'delivery', first.next, 4);
    expect(second.fixes.map((f) => f.spotFixId)).toEqual(['f4', 'f2']);
    expect(second.next).toBeNull();
    const none = await listStageSpotFixes(t.db, MARCH, null);
    expect(none.fixes.map((f) => f.spotFixId)).toEqual(['f9', 'f8']);
    expect((await listStageIssues(t.db, MARCH, null)).map((i) => i.issueKey)).toEqual(['pr crisis']);
  });

  it('freezes the top stages with their issues\u2019 labels and owners, and the value at risk, for a snapshot', async () => {
    const frozen = await buildSnapshotJourney(t.db, MARCH);
    expect(frozen.stages.map((s) => s.stage)).toEqual(['billing', 'delivery', null]);
    expect(frozen.stages[1].topIssues[1]).toEqual({ issue: 'late delivery', label: 'Late delivery', cost: '500.00', owner: { name: 'Ada Brook' } });
    expect(frozen.valueAtRisk).toEqual({ customers: 3, monthlyValue: '200.00' });
  });
});
