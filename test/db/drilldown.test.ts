import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '@/lib/db';
import { commentary, executives, metrics, recurringIssues } from '@/lib/db/schema';
import { CLI_ACTOR } from '@/lib/data/audit';
import {
  getDrilldown,
  listIssueCosts,
  listReasonsForLeaving,
  listRecommendationByTouchpoint,
  listRentVsOwn,
  listRetentionBySegment,
  listScoreDistribution,
} from '@/lib/data/drilldowns';
import { applyRecords } from '@/lib/data/records';
import { getScorecard } from '@/lib/data/scorecard';
import { clearViewCache } from '@/lib/data/view-cache';
import { getScorecardView } from '@/lib/data/scorecard-view';
import { parsePeriod } from '@/lib/metrics/period';
import { validateRecord, type RecordKind, type RecordTypes } from '@/lib/validation/records';
import { DATABASE_TARGETS, openTestDatabase, setMonthlyTarget, type TestDatabase } from '../support/databases';

const MARCH = parsePeriod('2025-03');

/** The database, writing down the SQL of each statement it runs through `execute`. */
function recording(db: Db, statements: string[]): Db {
  const dialect = new PgDialect();
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'execute') return Reflect.get(target, property, receiver);
      return (query: SQL) => {
        statements.push(dialect.sqlToQuery(query).sql);
        return target.execute(query);
      };
    },
  });
}

async function load<K extends RecordKind>(db: Db, kind: K, inputs: Array<Record<string, unknown>>) {
  const records = inputs.map((input) => {
    const result = validateRecord(kind, input as never);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.record as RecordTypes[K];
  });
  await applyRecords(db, kind, [records], CLI_ACTOR, 'test');
}

/*
 * March 2025, by hand:
 *   customers  segment          acquired    churned     monthly  reason
 *   a1         Enterprise       2024-01-01  —            500.00
 *   a2         Enterprise       2024-02-01  2025-03-10  1000.00   Price
 *   a3         Small business   2024-05-01  2025-03-20    50.00   Moved to competitor
 *   a4         (blank)          2024-06-01  2025-03-31    10.00   (none)
 *   a5         Small business   2025-03-05  —             20.00                      gained
 *   a6         Small business   2024-01-01  —             30.00
 *   responses in March: 10 and 9 (support), 7 and 3 (billing), 0 (no touchpoint); a 5 in February.
 *   spot fixes: Late delivery first on 2024-04-01 (1000.00), again 2025-01-15 (100.00) and
 *   2025-03-02 (300.00), and 2025-04-10 (999.00, after March); Billing errors 2025-03-03 (500.00,
 *   first) and 2025-03-04 (200.00); Router 2025-03-05 (50.00, first).
 */
async function loadCompany(db: Db) {
  await load(db, 'customers', [
    { customer_id: 'a1', segment: 'Enterprise', acquired_on: '2024-01-01', monthly_value: '500.00' },
    { customer_id: 'a2', segment: 'Enterprise', acquired_on: '2024-02-01', churned_on: '2025-03-10', monthly_value: '1000.00', churn_reason: 'Price' },
    { customer_id: 'a3', segment: 'Small business', acquired_on: '2024-05-01', churned_on: '2025-03-20', monthly_value: '50.00', churn_reason: 'Moved to competitor' },
    { customer_id: 'a4', segment: ' ', acquired_on: '2024-06-01', churned_on: '2025-03-31', monthly_value: '10.00' },
    { customer_id: 'a5', segment: 'Small business', acquired_on: '2025-03-05', monthly_value: '20.00' },
    { customer_id: 'a6', segment: 'Small business', acquired_on: '2024-01-01', monthly_value: '30.00' },
  ]);
  await load(db, 'responses', [
    { response_id: 'r1', customer_id: 'a1', responded_on: '2025-03-01', score: 10, touchpoint: 'support' },
    { response_id: 'r2', customer_id: 'a1', responded_on: '2025-03-31', score: 9, touchpoint: 'support' },
    { response_id: 'r3', customer_id: 'a1', responded_on: '2025-03-10', score: 7, touchpoint: 'billing' },
    { response_id: 'r4', customer_id: 'a1', responded_on: '2025-03-11', score: 3, touchpoint: 'billing' },
    { response_id: 'r5', customer_id: 'a1', responded_on: '2025-03-12', score: 0 },
    { response_id: 'r6', customer_id: 'a1', responded_on: '2025-02-28', score: 5, touchpoint: 'support' },
  ]);
  await load(db, 'spot-fixes', [
    { spot_fix_id: 's0', occurred_on: '2024-04-01', issue: 'Late delivery', category: 'meeting', cost: '1000.00', customer_id: 'a1' },
    { spot_fix_id: 's1', occurred_on: '2025-01-15', issue: 'Late delivery', category: 'meeting', cost: '100.00', customer_id: 'a1' },
    { spot_fix_id: 's2', occurred_on: '2025-03-02', issue: 'late  delivery', category: 'discount', cost: '300.00', customer_id: 'a1' },
    { spot_fix_id: 's3', occurred_on: '2025-03-03', issue: 'Billing errors', category: 'staff_time', cost: '500.00', customer_id: 'a1' },
    { spot_fix_id: 's4', occurred_on: '2025-03-04', issue: 'Billing errors', category: 'staff_time', cost: '200.00', customer_id: 'a1' },
    { spot_fix_id: 's5', occurred_on: '2025-03-05', issue: 'Router', category: 'other', cost: '50.00', customer_id: 'a1' },
    { spot_fix_id: 's6', occurred_on: '2025-04-10', issue: 'Late delivery', category: 'meeting', cost: '999.00', customer_id: 'a1' },
  ]);
  const [owner] = await db
    .insert(executives)
    .values({ name: 'Ada Brook', email: 'ada@example.com', title: 'Chief Information Officer', powerCore: 'it', role: 'executive' })
    .returning();
  await db
    .update(recurringIssues)
    .set({ ownerId: owner.id, estimatedFixCost: '1000.00' })
    .where(eq(recurringIssues.issueKey, 'billing errors'));
  await db.update(recurringIssues).set({ estimatedFixCost: '200.00' }).where(eq(recurringIssues.issueKey, 'late delivery'));
  return owner;
}

describe.each(DATABASE_TARGETS)('drill-downs (%s)', (target) => {
  let t: TestDatabase;
  let ownerId: number;
  beforeAll(async () => {
    t = await openTestDatabase(target);
    ownerId = (await loadCompany(t.db)).id;
  });
  afterAll(() => t?.close());
  beforeEach(() => clearViewCache());

  it('breaks retention down by segment, blank segments as "Not recorded"', async () => {
    expect(await listRetentionBySegment(t.db, MARCH)).toEqual([
      { segment: 'Enterprise', start: 2, retained: 1, rate: 0.5, gained: 0, valueGained: '0.00', lost: 1, valueLost: '1000.00' },
      { segment: 'Small business', start: 2, retained: 1, rate: 0.5, gained: 1, valueGained: '20.00', lost: 1, valueLost: '50.00' },
      { segment: 'Not recorded', start: 1, retained: 0, rate: 0, gained: 0, valueGained: '0.00', lost: 1, valueLost: '10.00' },
    ]);
  });

  it('lists every reason for leaving, most common first, then by value lost', async () => {
    expect(await listReasonsForLeaving(t.db, MARCH)).toEqual([
      { reason: 'Price', count: 1, valueLost: '1000.00' },
      { reason: 'Moved to competitor', count: 1, valueLost: '50.00' },
      { reason: 'Not recorded', count: 1, valueLost: '10.00' },
    ]);
  });

  it('counts every score from 0 to 10, zeros included, within the period only', async () => {
    const distribution = await listScoreDistribution(t.db, MARCH);
    expect(distribution.map((d) => d.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(distribution.map((d) => d.count)).toEqual([1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1]);
  });

  it('gives each touchpoint its promoters, passives, detractors, NPS and margin of error', async () => {
    const byTouchpoint = await listRecommendationByTouchpoint(t.db, MARCH);
    expect(byTouchpoint.map((t) => [t.touchpoint, t.responses, t.promoters, t.passives, t.detractors, t.nps])).toEqual([
      ['billing', 2, 0, 1, 1, -50],
      ['support', 2, 2, 0, 0, 100],
      ['Not recorded', 1, 0, 0, 1, -100],
    ]);
    expect(byTouchpoint[1].rate).toBe(1);
    expect(byTouchpoint[1].marginOfError).toBeGreaterThan(0.3);
  });

  it('ranks the period’s issues by cost with Pareto shares, repeats judged against earlier periods', async () => {
    const { issues, total } = await listIssueCosts(t.db, MARCH);
    expect(total).toBe(3);
    expect(issues.map((i) => [i.label, i.fixes, i.cost, i.repeatCost])).toEqual([
      ['Billing errors', 2, '700.00', '200.00'],
      ['Late delivery', 1, '300.00', '300.00'],
      ['Router', 1, '50.00', '0.00'],
    ]);
    expect(issues.map((i) => i.cumulativeShare)).toEqual([700 / 1050, 1000 / 1050, 1]);
    expect(issues[0].share).toBeCloseTo(700 / 1050, 12);
    expect(issues[0].owner).toEqual({ name: 'Ada Brook', title: 'Chief Information Officer', powerCore: 'it' });
    expect(issues[1].owner).toBeNull();
  });

  it('returns only the costliest issues it is asked for, cut in SQL, with the count of all and shares over all', async () => {
    const statements: string[] = [];
    const top = await listIssueCosts(recording(t.db, statements), MARCH, 2);
    expect(top.total).toBe(3);
    expect(top.issues.map((i) => i.label)).toEqual(['Billing errors', 'Late delivery']);
    expect(top.issues.map((i) => i.cumulativeShare)).toEqual([700 / 1050, 1000 / 1050]);
    expect(statements.some((text) => /\blimit\b/i.test(text))).toBe(true);
    expect(await listIssueCosts(t.db, parsePeriod('1999-01'))).toEqual({ issues: [], total: 0 });
  });

  it('sets repeat spend so far against the estimated one-time fix, up to the end of the period', async () => {
    const rent = await listRentVsOwn(t.db, MARCH);
    expect(rent.map((r) => [r.label, r.estimatedFixCost, r.spentSoFar, r.repeatSpendSoFar, r.repeatLastYear, r.ratio])).toEqual([
      ['Late delivery', '200.00', '1400.00', '400.00', '400.00', 2],
      ['Billing errors', '1000.00', '700.00', '200.00', '200.00', 0.2],
    ]);
    expect(rent[0].firstOn).toBe('2024-04-01');
  });

  it('serves a drill-down from memory until the data, or an issue’s owner, changes', async () => {
    const first = await getDrilldown(t.db, 'spot_fix_cost', MARCH);
    expect(await getDrilldown(t.db, 'spot_fix_cost', MARCH)).toBe(first);

    await t.db.update(recurringIssues).set({ ownerId: null }).where(eq(recurringIssues.issueKey, 'billing errors'));
    const afterOwnerChange = await getDrilldown(t.db, 'spot_fix_cost', MARCH);
    expect(afterOwnerChange).not.toBe(first);
    expect(afterOwnerChange.issues[0].owner).toBeNull();
    await t.db.update(recurringIssues).set({ ownerId }).where(eq(recurringIssues.issueKey, 'billing errors'));

    await load(t.db, 'spot-fixes', [
      { spot_fix_id: 's7', occurred_on: '2025-03-06', issue: 'Router', category: 'other', cost: '25.00', customer_id: 'a1' },
    ]);
    const afterWrite = await getDrilldown(t.db, 'spot_fix_cost', MARCH);
    expect(afterWrite.scorecard.spotFixCost.value).toBe('1075.00');
    expect(afterWrite.issues.find((i) => i.label === 'Router')?.repeatCost).toBe('25.00');
  });
});

describe.each(DATABASE_TARGETS)('the scorecard view (%s)', (target) => {
  let t: TestDatabase;
  let ownerId: number;
  beforeAll(async () => {
    t = await openTestDatabase(target);
    ownerId = (await loadCompany(t.db)).id;
    await t.db.update(metrics).set({ ownerId }).where(eq(metrics.key, 'retention'));
    // These tests are about comparisons and trends, so the data counts from well before it begins.
    await t.db.update(metrics).set({ dataSince: '2020-01-01' });
  });
  afterAll(() => t?.close());
  beforeEach(() => clearViewCache());

  it('shows the same figures as the scorecard JSON', async () => {
    const view = await getScorecardView(t.db, MARCH);
    expect(view.scorecard).toEqual(await getScorecard(t.db, MARCH));
    const retention = view.cards.find((c) => c.key === 'retention')!;
    expect(retention.valueText).toBe('40.0%');
    expect(retention.owner?.name).toBe('Ada Brook');
    expect(view.customerMath).toMatchObject({ gained: '1', lost: '3', net: '−2', valueGained: '$20.00', valueLost: '$1,060.00' });
    expect(view.customerMath.netValue).toBe('−$1,040.00');
  });

  it('compares with the previous period and the same period a year earlier, and says when it cannot', async () => {
    const view = await getScorecardView(t.db, MARCH);
    const retention = view.cards.find((c) => c.key === 'retention')!;
    expect(retention.changes.map((c) => c.versus)).toEqual(['February 2025', 'March 2024']);
    // February: S = a1, a2, a3, a4, a6 all retained → 100%; March 2024: S = a1, a2, a6 → 100%.
    expect(retention.changes[0]).toMatchObject({ text: '−60.0 pts', tone: 'bad', verdict: 'worse' });
    const recommendation = view.cards.find((c) => c.key === 'recommendation')!;
    // February has one response (a 5): a change from 0% to 40% with so few responses is within noise.
    expect(recommendation.changes[0].tone).toBe('noise');
    expect(recommendation.changes[0].verdict).toMatch(/^within noise \(±\d+\.\d pts\)$/);
    expect(recommendation.changes[1]).toMatchObject({ text: '—', tone: 'none', verdict: 'nothing to compare with: no data for March 2024' });
    const cost = view.cards.find((c) => c.key === 'spot_fix_cost')!;
    // Spot-fix cost: lower is better, so February's 0.00 → 1050.00 is worse.
    expect(cost.changes[0]).toMatchObject({ text: '+$1,050.00', tone: 'bad' });
  });

  it('draws the trend over 24 months, 12 quarters or 5 years, with gaps where a value is undefined', async () => {
    expect((await getScorecardView(t.db, MARCH)).cards[0].trend.points).toHaveLength(24);
    expect((await getScorecardView(t.db, parsePeriod('2025-Q1'))).cards[0].trend.points).toHaveLength(12);
    const year = await getScorecardView(t.db, parsePeriod('2025'));
    expect(year.cards[1].trend.points.map((p) => p.label)).toEqual(['2021', '2022', '2023', '2024', '2025']);
    expect(year.cards[1].trend.points[0].value).toBeNull();
    // For a year the previous period is the year before: one comparison, not the same one twice.
    expect(year.cards[0].changes).toHaveLength(1);
  });

  it('is recomputed when commentary, targets or data change, and not otherwise', async () => {
    const first = await getScorecardView(t.db, MARCH);
    expect(await getScorecardView(t.db, MARCH)).toBe(first);
    expect(first.cards[0].commentary).toBeNull();

    await t.db.insert(commentary).values({ metricKey: 'retention', period: MARCH.label, body: 'Why it moved.', authorId: ownerId });
    const withCommentary = await getScorecardView(t.db, MARCH);
    expect(withCommentary.cards[0].commentary).toMatchObject({ excerpt: 'Why it moved.', authorName: 'Ada Brook' });

    await setMonthlyTarget(t.db, 'retention', '0.3000', '0.2000');
    const withTarget = await getScorecardView(t.db, MARCH);
    expect(withTarget.cards[0].status).toBe('on_track');

    await t.db.update(executives).set({ title: 'Chief Customer Officer' }).where(eq(executives.id, ownerId));
    expect((await getScorecardView(t.db, MARCH)).cards[0].owner?.title).toBe('Chief Customer Officer');
  });
});
