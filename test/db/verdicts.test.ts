import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customers, executives, metrics, recurringIssues, spotFixes, surveyResponses } from '@/lib/db/schema';
import { listMetricSettings, updateDataSince, updateMetricTargets } from '@/lib/data/metric-settings';
import type { Me } from '@/lib/data/people';
import { getMetricSeries, getScorecard } from '@/lib/data/scorecard';
import { clearViewCache } from '@/lib/data/view-cache';
import { getScorecardView } from '@/lib/data/scorecard-view';
import { issueKey } from '@/lib/metrics/issue-key';
import { parsePeriod, periodsEndingWith } from '@/lib/metrics/period';
import { DATABASE_TARGETS, openTestDatabase, setMonthlyTarget, type TestDatabase } from '../support/databases';

/**
 * The verdicts a board sees: targets that belong to a granularity and a date, no verdict before
 * the data begins or while a period runs.
 * Data: 40 customers from 2024-01-05; one churns each month from March 2024 (the first churn);
 * a response a month from June 2024; a $1,000 spot fix a month from 2024-09-10 to 2026-11-10.
 */
const TODAY = '2026-12-02';
const at = (label: string) => parsePeriod(label);

async function seed(t: TestDatabase) {
  await t.db.insert(customers).values(
    Array.from({ length: 40 }, (_, i) => {
      const churn = i < 30 ? new Date(Date.UTC(2024, 2 + i, 15)).toISOString().slice(0, 10) : null;
      return { customerId: `c${i}`, acquiredOn: '2024-01-05', churnedOn: churn, monthlyValue: '100.00' };
    }),
  );
  await t.db.insert(surveyResponses).values(
    Array.from({ length: 30 }, (_, i) => ({
      responseId: `r${i}`,
      customerId: `c${i}`,
      respondedOn: new Date(Date.UTC(2024, 5 + i, 3)).toISOString().slice(0, 10),
      score: i % 2 ? 10 : 3,
    })),
  );
  await t.db.insert(recurringIssues).values({ issueKey: issueKey('Late delivery'), label: 'Late delivery' });
  await t.db.insert(spotFixes).values(
    Array.from({ length: 27 }, (_, i) => ({
      spotFixId: `f${i}`,
      occurredOn: new Date(Date.UTC(2024, 8 + i, 10)).toISOString().slice(0, 10),
      issue: 'Late delivery',
      issueKey: issueKey('Late delivery'),
      category: 'discount' as const,
      cost: '1000.00',
      customerId: 'c1',
    })),
  );
}

describe.each(DATABASE_TARGETS)('verdicts over time on %s', (target) => {
  let t: TestDatabase;
  let admin: Me;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(async () => {
    await t.reset();
    clearViewCache();
    const [row] = await t.db
      .insert(executives)
      .values({ name: 'Ada Admin', email: 'ada@example.test', title: 'CCO', powerCore: 'customer', role: 'admin' })
      .returning();
    admin = { id: row.id, role: 'admin', name: row.name } as Me;
    await t.db.update(metrics).set({ ownerId: row.id });
    await seed(t);
  });
  afterAll(() => t?.close());

  it('leaves last year’s statuses unchanged when this year’s target changes', async () => {
    await setMonthlyTarget(t.db, 'spot_fix_cost', '1500', '2500');
    const lastYear = await getMetricSeries(t.db, periodsEndingWith(at('2025-12'), 12), { today: TODAY });
    expect(lastYear.every((p) => p.spotFixCost.status === 'on_track')).toBe(true);

    // Today the admin makes the target stricter, from the start of this year.
    await updateMetricTargets(t.db, admin, 'spot_fix_cost', { target: '500', atRiskThreshold: '800', effectiveFrom: '2026-01-01' });
    expect(await getMetricSeries(t.db, periodsEndingWith(at('2025-12'), 12), { today: TODAY })).toEqual(lastYear);
    const thisYear = await getScorecard(t.db, at('2026-03'), { today: TODAY });
    expect(thisYear.spotFixCost).toMatchObject({ value: '1000.00', status: 'off_track', target: '500.00', atRiskThreshold: '800.00' });
    // The year 2025 and its quarters keep the 2025 target too.
    expect((await getScorecard(t.db, at('2025'), { today: TODAY })).spotFixCost).toMatchObject({ target: '18000.00', status: 'on_track' });
    expect((await getScorecard(t.db, at('2026-Q1'), { today: TODAY })).spotFixCost).toMatchObject({ target: '1500.00', status: 'off_track' });
  });

  it('derives a quarter’s and a year’s target from the month’s by SPEC’s rule until an admin sets them', async () => {
    await setMonthlyTarget(t.db, 'retention', '0.98', '0.95');
    const quarter = await getScorecard(t.db, at('2025-Q1'), { today: TODAY });
    expect(quarter.retention.target).toBeCloseTo(0.98 ** 3, 12);
    expect(quarter.retention.atRiskThreshold).toBeCloseTo(0.95 ** 3, 12);
    expect(quarter.retention.targetDerived).toBe(true);
    const year = await getScorecard(t.db, at('2025'), { today: TODAY });
    expect(year.retention.target).toBeCloseTo(0.98 ** 12, 12);
    expect(year.recommendation).toMatchObject({ target: 0.5, atRiskThreshold: 0.4, targetDerived: true });
    expect(year.spotFixCost).toMatchObject({ target: '480000.00', atRiskThreshold: '600000.00', targetDerived: true });

    await updateMetricTargets(t.db, admin, 'retention', {
      target: '0.9',
      atRiskThreshold: '0.85',
      granularity: 'quarter',
      effectiveFrom: '2025-01-01',
    });
    expect((await getScorecard(t.db, at('2025-Q1'), { today: TODAY })).retention).toMatchObject({ target: 0.9, targetDerived: false });
    expect((await getScorecard(t.db, at('2024-Q4'), { today: TODAY })).retention.targetDerived).toBe(true);
    // The admin page shows what is in force now for each granularity, and the history.
    const [retention] = await listMetricSettings(t.db, admin, TODAY);
    expect(retention.current.quarter).toMatchObject({ target: '0.9', isDerived: false, effectiveFrom: '2025-01-01' });
    expect(retention.current.year.isDerived).toBe(true);
    expect(retention.history.map((h) => `${h.granularity} ${h.effectiveFrom}`)).toEqual(['quarter 2025-01-01', 'month 1900-01-01']);

    // Back to derived from 2026 on.
    await updateMetricTargets(t.db, admin, 'retention', { target: null, atRiskThreshold: null, granularity: 'quarter', effectiveFrom: '2026-01-01' });
    expect((await getScorecard(t.db, at('2026-Q1'), { today: TODAY })).retention.targetDerived).toBe(true);
    expect((await getScorecard(t.db, at('2025-Q4'), { today: TODAY })).retention.target).toBe(0.9);
  });

  it('gives no data before the data begins, with the reason, and never a 0 or 100 % that looks like a result', async () => {
    // Spot fixes begin 2024-09-10: August 2024 and Q3 2024 (which starts before September) have no data.
    const august = await getScorecard(t.db, at('2024-08'), { today: TODAY });
    expect(august.spotFixCost).toMatchObject({ value: null, status: 'no_data', dataSince: '2024-09-01', noDataReason: 'spot fixes are recorded from September 2024' });
    expect((await getScorecard(t.db, at('2024-Q3'), { today: TODAY })).spotFixCost.status).toBe('no_data');
    expect((await getScorecard(t.db, at('2024-09'), { today: TODAY })).spotFixCost).toMatchObject({ value: '1000.00', status: 'on_track' });
    // Retention's data begins with the first churn (March 2024), though customers came in January.
    const january = await getScorecard(t.db, at('2024-01'), { today: TODAY });
    expect(january.retention).toMatchObject({ value: null, status: 'no_data', noDataReason: 'customer churn is recorded from March 2024' });
    expect((await getScorecard(t.db, at('2024'), { today: TODAY })).retention.status).toBe('no_data');
    expect((await getScorecard(t.db, at('2024-05'), { today: TODAY })).recommendation.noDataReason).toBe('survey responses are recorded from June 2024');

    // An admin's date moves it: "we started logging spot fixes in November 2024".
    await updateDataSince(t.db, admin, 'spot_fix_cost', '2024-11-01');
    expect((await getScorecard(t.db, at('2024-10'), { today: TODAY })).spotFixCost).toMatchObject({
      value: null,
      status: 'no_data',
      noDataReason: 'spot fixes are recorded from November 2024',
    });
    await updateDataSince(t.db, admin, 'spot_fix_cost', null);
    expect((await getScorecard(t.db, at('2024-10'), { today: TODAY })).spotFixCost.status).toBe('on_track');
  });

  it('leaves the periods before the data out of the trend, and says there is nothing to compare with', async () => {
    const view = await getScorecardView(t.db, at('2025-03'), undefined, new Date(`${TODAY}T12:00:00Z`));
    const cost = view.cards.find((c) => c.key === 'spot_fix_cost')!;
    expect(cost.trend.points[0].label).toBe('2024-09');
    expect(cost.trend.points.every((p) => p.value !== null)).toBe(true);
    const yearView = await getScorecardView(t.db, at('2025'), undefined, new Date(`${TODAY}T12:00:00Z`));
    const yearCost = yearView.cards.find((c) => c.key === 'spot_fix_cost')!;
    // 2024 starts before September 2024: no data, so the year has nothing to compare with.
    expect(yearCost.changes[0]).toMatchObject({ versus: '2024', text: '—', tone: 'none', verdict: 'nothing to compare with: no data for 2024' });
    expect(yearCost.trend.points.map((p) => p.label)).toEqual(['2025']);
  });

  it('calls an unfinished period in progress, with its figures so far and the cost’s pace', async () => {
    const december = await getScorecard(t.db, at('2026-12'), { today: TODAY });
    expect(december.period.complete).toBe(false);
    expect(december.retention.status).toBe('in_progress');
    expect(december.spotFixCost).toMatchObject({ status: 'in_progress', value: '0.00', projection: '0.00' });
    const november = await getScorecard(t.db, at('2026-11'), { today: '2026-11-20' });
    // 1000.00 so far on day 20 of 30: a pace of 1500.00.
    expect(november.spotFixCost).toMatchObject({ status: 'in_progress', value: '1000.00', projection: '1500.00' });
    expect((await getScorecard(t.db, at('2026-11'), { today: TODAY })).period.complete).toBe(true);
    const view = await getScorecardView(t.db, at('2026-Q4'), undefined, new Date(`${TODAY}T12:00:00Z`));
    expect(view.progressText).toBe('so far: 63 of 92 days');
    expect(view.cards.every((c) => c.status === 'in_progress' && c.changes.every((ch) => ch.tone === 'none' || ch.tone === 'flat'))).toBe(true);
  });
});
