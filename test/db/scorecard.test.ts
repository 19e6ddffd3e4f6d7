import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import {
  customers,
  executives,
  metrics,
  recurringIssues,
  spotFixes,
  surveyResponses,
  type NewCustomer,
  type NewSpotFix,
  type NewSurveyResponse,
  type SpotFixCategory,
} from '@/lib/db/schema';
import { getMetricSeries, getScorecard } from '@/lib/data/scorecard';
import { issueKey } from '@/lib/metrics/issue-key';
import { sumMoney } from '@/lib/metrics/money';
import { parsePeriod, periodsEndingWith, type Period } from '@/lib/metrics/period';
import { promoterMarginOfError } from '@/lib/metrics/recommendation';
import { proportionMarginOfError } from '@/lib/metrics/change';
import { DATABASE_TARGETS, openTestDatabase, setMonthlyTarget, type TestDatabase } from '../support/databases';

/*
 * The hand-checked company. Active on day d ⇔ acquired_on <= d and (churned_on empty or > d).
 *
 *   id   acquired     churned      monthly  reason
 *   c01  2024-01-15   —            100.10
 *   c02  2024-02-29   2025-03-01   200.20   Price        leap-day acquisition; churns on March's first day
 *   c03  2024-06-01   2025-03-31   300.30   Service      churns on the last day of March and of Q1
 *   c04  2025-03-01   —            400.40                acquired on March's first day
 *   c05  2025-03-10   2025-03-10    50.05   (none)       acquired and churned the same day
 *   c06  2024-11-20   2025-01-01    60.06   Price        churns on the first day of Q1 / 2025
 *   c07  2025-01-01   2025-01-01    70.07   Moved        acquired and churned on the first day of Q1 / 2025
 *   c08  2024-12-31   2025-12-31    80.08   Service      churns on the last day of 2025
 *   c09  2025-02-15   2025-04-02    90.09   (none)
 *   c10  2023-05-05   2024-02-29    10.01   Price        churns on a leap day
 *   c11  2024-03-01   —            (none)                no monthly value
 *   c12  2025-03-31   —             12.34                acquired on March's last day
 *   c13  2025-05-05   2025-06-06    13.13   Competitor
 *   c14  2025-05-05   2025-07-07    14.14   Bankrupt
 */
const COMPANY_CUSTOMERS: Array<[string, string, string | null, string | null, string | null]> = [
  ['c01', '2024-01-15', null, '100.10', null],
  ['c02', '2024-02-29', '2025-03-01', '200.20', 'Price'],
  ['c03', '2024-06-01', '2025-03-31', '300.30', 'Service'],
  ['c04', '2025-03-01', null, '400.40', null],
  ['c05', '2025-03-10', '2025-03-10', '50.05', null],
  ['c06', '2024-11-20', '2025-01-01', '60.06', 'Price'],
  ['c07', '2025-01-01', '2025-01-01', '70.07', 'Moved'],
  ['c08', '2024-12-31', '2025-12-31', '80.08', 'Service'],
  ['c09', '2025-02-15', '2025-04-02', '90.09', null],
  ['c10', '2023-05-05', '2024-02-29', '10.01', 'Price'],
  ['c11', '2024-03-01', null, null, null],
  ['c12', '2025-03-31', null, '12.34', null],
  ['c13', '2025-05-05', '2025-06-06', '13.13', 'Competitor'],
  ['c14', '2025-05-05', '2025-07-07', '14.14', 'Bankrupt'],
];

/*
 * Responses: March 2025 has one of each score 0, 6, 7, 8, 9 and two 10s, on its first and last days;
 * Q1 adds a 9 (02-28) and a 3 (01-01); 2025 adds a 10 (04-01); 2024-12-31 is outside 2025.
 * June 2025 has none.
 */
const COMPANY_RESPONSES: Array<[string, string, number]> = [
  ['r01', '2025-03-01', 0],
  ['r02', '2025-03-05', 6],
  ['r03', '2025-03-10', 7],
  ['r04', '2025-03-15', 8],
  ['r05', '2025-03-20', 9],
  ['r06', '2025-03-31', 10],
  ['r07', '2025-03-31', 10],
  ['r08', '2025-02-28', 9],
  ['r09', '2025-01-01', 3],
  ['r10', '2025-04-01', 10],
  ['r11', '2024-12-31', 10],
];

/*
 * Spot fixes. A fix is a repeat when the same issue (ignoring case and extra spaces) had a fix
 * strictly earlier, in any period.
 *
 *   id   occurred     issue as written     category       cost      repeat?
 *   f01  2025-01-10   "Late delivery"      meeting         100.10   no  (first)
 *   f02  2025-01-10   "late  Delivery "    discount          0.20   no  (same day as f01)
 *   f03  2025-03-05   "LATE DELIVERY"      free_offering     0.10   yes (f01, in January)
 *   f04  2025-03-05   "Late delivery"      staff_time     1234.56   yes (f01)
 *   f05  2024-12-15   "Billing error"      pr_recovery     500.00   no  (first)
 *   f06  2025-03-20   "Billing error"      other            99.99   yes (f05, in 2024)
 *   f07  2025-03-31   "Rude agent"         meeting           0.01   no  (first)
 *   f08  2025-03-31   "rude agent"         meeting          10.00   no  (same day as f07)
 *   f09  2025-02-01   "Broken app"         staff_time       33.33   no  (first)
 *   f10  2025-05-01   "Broken  app"        discount         66.67   yes (f09)
 */
const COMPANY_SPOT_FIXES: Array<[string, string, string, SpotFixCategory, string]> = [
  ['f01', '2025-01-10', 'Late delivery', 'meeting', '100.10'],
  ['f02', '2025-01-10', 'late  Delivery ', 'discount', '0.20'],
  ['f03', '2025-03-05', 'LATE DELIVERY', 'free_offering', '0.10'],
  ['f04', '2025-03-05', 'Late delivery', 'staff_time', '1234.56'],
  ['f05', '2024-12-15', 'Billing error', 'pr_recovery', '500.00'],
  ['f06', '2025-03-20', 'Billing error', 'other', '99.99'],
  ['f07', '2025-03-31', 'Rude agent', 'meeting', '0.01'],
  ['f08', '2025-03-31', 'rude agent', 'meeting', '10.00'],
  ['f09', '2025-02-01', 'Broken app', 'staff_time', '33.33'],
  ['f10', '2025-05-01', 'Broken  app', 'discount', '66.67'],
];

async function insertSpotFixes(db: Db, fixes: Array<Omit<NewSpotFix, 'issueKey'>>) {
  const issues = new Map<string, string>();
  for (const fix of [...fixes].sort((a, b) => a.occurredOn.localeCompare(b.occurredOn))) {
    if (!issues.has(issueKey(fix.issue))) issues.set(issueKey(fix.issue), fix.issue);
  }
  await db
    .insert(recurringIssues)
    .values([...issues].map(([key, label]) => ({ issueKey: key, label })))
    .onConflictDoNothing();
  await db.insert(spotFixes).values(fixes.map((fix) => ({ ...fix, issueKey: issueKey(fix.issue) })));
}

async function loadCompany(db: Db) {
  await db.insert(customers).values(
    COMPANY_CUSTOMERS.map(([customerId, acquiredOn, churnedOn, monthlyValue, churnReason]) => ({
      customerId,
      acquiredOn,
      churnedOn,
      monthlyValue,
      churnReason,
    })),
  );
  await db
    .insert(surveyResponses)
    .values(COMPANY_RESPONSES.map(([responseId, respondedOn, score]) => ({ responseId, customerId: 'c01', respondedOn, score })));
  await insertSpotFixes(
    db,
    COMPANY_SPOT_FIXES.map(([spotFixId, occurredOn, issue, category, cost]) => ({
      spotFixId,
      occurredOn,
      issue,
      category,
      cost,
      customerId: 'c01',
    })),
  );

  const [alice, bob] = await db
    .insert(executives)
    .values([
      { name: 'Alice Ng', email: 'alice@example.com', title: 'Chief Customer Officer', powerCore: 'customer', role: 'executive' },
      { name: 'Bob Ray', email: 'bob@example.com', title: 'VP Marketing', powerCore: 'marketing', role: 'executive' },
    ])
    .returning();
  // Retention's target sits exactly on March's 0.8 and its threshold on Q1's 0.6, to test both bounds.
  await db.update(metrics).set({ ownerId: alice.id }).where(eq(metrics.key, 'retention'));
  await setMonthlyTarget(db, 'retention', '0.8000', '0.6000');
  await db.update(metrics).set({ ownerId: bob.id }).where(eq(metrics.key, 'recommendation'));
  await setMonthlyTarget(db, 'recommendation', '0.5000', '0.4000');
  // Spot-fix cost is left without an owner; 448.2222 a month scales to 1344.6666 → 1344.67 a quarter.
  await db.update(metrics).set({ ownerId: null }).where(eq(metrics.key, 'spot_fix_cost'));
  await setMonthlyTarget(db, 'spot_fix_cost', '448.2222', '1000.0000');
}

const ALICE = { name: 'Alice Ng', email: 'alice@example.com', title: 'Chief Customer Officer', powerCore: 'customer' };
const BOB = { name: 'Bob Ray', email: 'bob@example.com', title: 'VP Marketing', powerCore: 'marketing' };

describe.each(DATABASE_TARGETS)('scorecard on %s', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  afterAll(() => t?.close());

  describe('the hand-checked company', () => {
    beforeAll(async () => {
      await t.reset();
      await loadCompany(t.db);
    });

    const scorecard = (label: string) => getScorecard(t.db, parsePeriod(label));

    it('gives the exact JSON for March 2025', async () => {
      // Retention. S (acquired before 03-01, active on 03-01) = c01, c03, c08, c09, c11 = 5;
      // c02 churned on 03-01 so was not active on it. Retained on 03-31: all but c03 = 4 → 0.8,
      // exactly the target → on track.
      // Gained: c04 (03-01) 400.40 + c05 50.05 + c12 (03-31) 12.34 = 3, 462.79.
      // Lost: c02 (03-01) 200.20 + c03 (03-31) 300.30 + c05 50.05 = 3, 550.55.
      // Recommendation: scores 0, 6, 7, 8, 9, 10, 10 → 7 responses, 3 promoters, 2 passives,
      // 2 detractors; 3/7 = 0.43 is under the 0.5 target, over the 0.4 threshold → at risk;
      // NPS (3 − 2)/7 × 100 = 14.2857… → 14.29.
      // Spot fixes f03, f04, f06, f07, f08: 0.10 + 1234.56 + 99.99 + 0.01 + 10.00 = 1344.66,
      // repeats f03 + f04 + f06 = 1334.65; target 448.22, threshold 1000.00 → off track.
      expect(await scorecard('2025-03')).toEqual({
        period: { label: '2025-03', start: '2025-03-01', end: '2025-03-31', complete: true },
        retention: {
          value: 0.8,
          status: 'on_track',
          target: 0.8,
          atRiskThreshold: 0.6,
          targetDerived: false,
          // The earliest churn (c… on 2024-02-…) opens the data; its month is the first with data.
          dataSince: '2024-02-01',
          noDataReason: null,
          marginOfError: proportionMarginOfError(4, 5),
          owner: ALICE,
          start: 5,
          retained: 4,
          gained: 3,
          valueGained: '462.79',
          lost: 3,
          valueLost: '550.55',
          topReasons: [
            { reason: 'Not recorded', count: 1, valueLost: '50.05' },
            { reason: 'Price', count: 1, valueLost: '200.20' },
            { reason: 'Service', count: 1, valueLost: '300.30' },
          ],
        },
        recommendation: {
          value: 3 / 7,
          status: 'at_risk',
          target: 0.5,
          atRiskThreshold: 0.4,
          targetDerived: false,
          dataSince: '2024-12-01',
          noDataReason: null,
          owner: BOB,
          responses: 7,
          promoters: 3,
          passives: 2,
          detractors: 2,
          nps: 100 / 7,
          marginOfError: promoterMarginOfError(3, 7),
        },
        spotFixCost: {
          value: '1344.66',
          status: 'off_track',
          target: '448.22',
          atRiskThreshold: '1000.00',
          targetDerived: false,
          dataSince: '2024-12-01',
          noDataReason: null,
          projection: null,
          owner: null,
          count: 5,
          byCategory: {
            meeting: '10.01',
            free_offering: '0.10',
            discount: '0.00',
            staff_time: '1234.56',
            pr_recovery: '0.00',
            other: '99.99',
          },
          repeatCost: '1334.65',
          repeatShare: 133465 / 134466,
        },
      });
    });

    it('gives the exact JSON for 2025-Q1', async () => {
      // Retention. S (acquired before 01-01, active on 01-01) = c01, c02, c03, c08, c11 = 5;
      // c06 churned on 01-01 and c07 was acquired on it, so neither counts. Retained on 03-31:
      // c01, c08, c11 = 3 → 0.6, exactly the threshold → at risk.
      // Gained: c07 70.07 + c09 90.09 + c04 400.40 + c05 50.05 + c12 12.34 = 5, 622.95.
      // Lost: c06 60.06 + c07 70.07 + c02 200.20 + c05 50.05 + c03 300.30 = 5, 680.68;
      // reasons Price 2 (60.06 + 200.20), then ties by name: Moved, Not recorded, Service.
      // Recommendation: March's 7 plus a 9 and a 3 → 9 responses, 4 promoters, 2 passives,
      // 3 detractors; NPS 1/9 × 100 = 11.11.
      // Spot fixes: March's 1344.66 + f01 100.10 + f02 0.20 + f09 33.33 = 1478.29 over 8 fixes;
      // repeats still 1334.65 (f01 and f02 share a day, so neither repeats the other).
      // Target 3 × 448.2222 = 1344.6666 → 1344.67, threshold 3000.00 → at risk.
      // Retention's quarter target derives from the month's 0.8 / 0.6: 0.512 / 0.216 → on track.
      const card = await scorecard('2025-Q1');
      expect(card.period).toEqual({ label: '2025-Q1', start: '2025-01-01', end: '2025-03-31', complete: true });
      expect(card.retention.target).toBeCloseTo(0.8 ** 3, 12);
      expect(card.retention.atRiskThreshold).toBeCloseTo(0.6 ** 3, 12);
      expect(card.retention).toMatchObject({
        value: 0.6,
        status: 'on_track',
        targetDerived: true,
        start: 5,
        retained: 3,
        gained: 5,
        valueGained: '622.95',
        lost: 5,
        valueLost: '680.68',
      });
      expect(card.retention.topReasons).toEqual([
        { reason: 'Price', count: 2, valueLost: '260.26' },
        { reason: 'Moved', count: 1, valueLost: '70.07' },
        { reason: 'Not recorded', count: 1, valueLost: '50.05' },
        { reason: 'Service', count: 1, valueLost: '300.30' },
      ]);
      expect(card.recommendation).toMatchObject({
        value: 4 / 9,
        status: 'at_risk',
        responses: 9,
        promoters: 4,
        passives: 2,
        detractors: 3,
        nps: 100 / 9,
        marginOfError: promoterMarginOfError(4, 9),
      });
      expect(card.spotFixCost).toEqual({
        value: '1478.29',
        status: 'at_risk',
        target: '1344.67',
        atRiskThreshold: '3000.00',
        targetDerived: true,
        dataSince: '2024-12-01',
        noDataReason: null,
        projection: null,
        owner: null,
        count: 8,
        byCategory: {
          meeting: '110.11',
          free_offering: '0.10',
          discount: '0.20',
          staff_time: '1267.89',
          pr_recovery: '0.00',
          other: '99.99',
        },
        repeatCost: '1334.65',
        repeatShare: 133465 / 147829,
      });
    });

    it('gives the exact JSON for the year 2025', async () => {
      // Retention. S as in Q1 = 5. Retained on 12-31: c01, c11 = 2 (c08 churned on the last day) → 0.4,
      // under the month's 0.6 threshold, but the year is judged by its own (derived) target.
      // Gained: Q1's 5 + c13 13.13 + c14 14.14 = 7, 650.22.
      // Lost: Q1's 5 + c09 90.09 + c13 13.13 + c14 14.14 + c08 80.08 = 9, 878.12.
      // Reasons: Not recorded 2 (50.05 + 90.09), Price 2 (260.26), Service 2 (300.30 + 80.08),
      // then 1 each: Bankrupt, Competitor, Moved — only the top five are kept, so Moved drops out.
      // Recommendation: Q1's 9 plus a 10 → 10 responses, 5 promoters = 0.5, exactly the target;
      // NPS (5 − 3)/10 × 100 = 20.
      // Spot fixes: Q1's 1478.29 + f10 66.67 = 1544.96 over 9; repeats 1334.65 + 66.67 = 1401.32.
      // Target 12 × 448.2222 = 5378.6664 → 5378.67 → on track.
      // Retention's year target compounds the month's: 0.8¹² ≈ 0.069, so 0.4 is on track.
      const card = await scorecard('2025');
      expect(card.period).toEqual({ label: '2025', start: '2025-01-01', end: '2025-12-31', complete: true });
      expect(card.retention).toMatchObject({
        value: 0.4,
        status: 'on_track',
        targetDerived: true,
        start: 5,
        retained: 2,
        gained: 7,
        valueGained: '650.22',
        lost: 9,
        valueLost: '878.12',
      });
      expect(card.retention.topReasons).toEqual([
        { reason: 'Not recorded', count: 2, valueLost: '140.14' },
        { reason: 'Price', count: 2, valueLost: '260.26' },
        { reason: 'Service', count: 2, valueLost: '380.38' },
        { reason: 'Bankrupt', count: 1, valueLost: '14.14' },
        { reason: 'Competitor', count: 1, valueLost: '13.13' },
      ]);
      expect(card.recommendation).toMatchObject({
        value: 0.5,
        status: 'on_track',
        responses: 10,
        promoters: 5,
        passives: 2,
        detractors: 3,
        nps: 20,
      });
      expect(card.spotFixCost).toMatchObject({
        value: '1544.96',
        status: 'on_track',
        target: '5378.67',
        atRiskThreshold: '12000.00',
        count: 9,
        repeatCost: '1401.32',
        repeatShare: 140132 / 154496,
      });
      expect(card.spotFixCost.byCategory.discount).toBe('66.87');
    });

    it('shows no data, not zero, for a month without survey responses or spot fixes', async () => {
      // June 2025: S = c01, c04, c08, c11, c12, c13, c14 = 7; c13 churns 06-06 → retained 6.
      const card = await scorecard('2025-06');
      expect(card.retention).toMatchObject({ value: 6 / 7, status: 'on_track', start: 7, retained: 6, lost: 1 });
      expect(card.recommendation).toMatchObject({
        value: null,
        status: 'no_data',
        responses: 0,
        promoters: 0,
        passives: 0,
        detractors: 0,
        nps: null,
        marginOfError: null,
      });
      // No spot fixes is a cost of zero (on track), but the repeat share of nothing is undefined.
      expect(card.spotFixCost).toMatchObject({
        value: '0.00',
        status: 'on_track',
        count: 0,
        repeatCost: '0.00',
        repeatShare: null,
        byCategory: { meeting: '0.00', free_offering: '0.00', discount: '0.00', staff_time: '0.00', pr_recovery: '0.00', other: '0.00' },
      });
    });

    it('leaves retention undefined when nobody was a customer at the start', async () => {
      // May 2023: c10 is acquired on 05-05, so S = 0 even though a customer was gained.
      const card = await scorecard('2023-05');
      expect(card.retention).toMatchObject({
        value: null,
        status: 'no_data',
        start: 0,
        retained: 0,
        gained: 1,
        valueGained: '10.01',
        lost: 0,
        valueLost: '0.00',
        topReasons: [],
      });
    });

    it('counts a leap-day churn in February 2024 and a leap-day acquisition in the start of March', async () => {
      // February 2024: S = c10, c01; c10 churns 2024-02-29, the month's last day → retained 1.
      // c02 is gained on 02-29.
      const february = await scorecard('2024-02');
      expect(february.period.end).toBe('2024-02-29');
      expect(february.retention).toMatchObject({
        value: 0.5,
        start: 2,
        retained: 1,
        gained: 1,
        valueGained: '200.20',
        lost: 1,
        valueLost: '10.01',
        topReasons: [{ reason: 'Price', count: 1, valueLost: '10.01' }],
      });
      // March 2024: S = c01, c02 (acquired the day before) → both retained. c11 is gained with no
      // monthly value, so the value gained is 0.00.
      const march = await scorecard('2024-03');
      expect(march.retention).toMatchObject({ value: 1, start: 2, retained: 2, gained: 1, valueGained: '0.00', lost: 0 });
    });

    it('does not count fixes on the same day as repeats of each other', async () => {
      // January 2025: f01 and f02 share a day and an issue; neither is a repeat.
      const card = await scorecard('2025-01');
      expect(card.spotFixCost).toMatchObject({ value: '100.30', count: 2, repeatCost: '0.00', repeatShare: 0 });
    });

    it('finds repeats of an issue first fixed in an earlier year', async () => {
      // December 2024 holds f05's first fix only; March 2025's f06 repeats it (checked above).
      const card = await scorecard('2024-12');
      expect(card.spotFixCost).toMatchObject({ value: '500.00', status: 'at_risk', count: 1, repeatCost: '0.00' });
    });

    it('agrees with getMetricSeries for every period in a list', async () => {
      const periods = [
        ...periodsEndingWith(parsePeriod('2025-12'), 36),
        ...periodsEndingWith(parsePeriod('2025-Q4'), 12),
        ...periodsEndingWith(parsePeriod('2025'), 3),
      ];
      const series = await getMetricSeries(t.db, periods);
      expect(series).toHaveLength(periods.length);
      for (const [i, period] of periods.entries()) {
        expect(series[i], period.label).toEqual(await expectedPoint(t.db, period));
      }
    });

    it('returns no points for no periods', async () => {
      expect(await getMetricSeries(t.db, [])).toEqual([]);
    });
  });

  describe('a generated company checked against the definitions', () => {
    const generated = generateCompany(20250301);
    beforeAll(async () => {
      await t.reset();
      await t.db.insert(customers).values(generated.customers);
      await t.db.insert(surveyResponses).values(generated.responses);
      await insertSpotFixes(t.db, generated.spotFixes);
      // Every period is checked against the definitions, so the data counts from the start.
      await t.db.update(metrics).set({ dataSince: '2000-01-01' });
    });

    const periods = [
      ...periodsEndingWith(parsePeriod('2025-12'), 30),
      ...periodsEndingWith(parsePeriod('2025-Q4'), 10),
      ...periodsEndingWith(parsePeriod('2025'), 3),
    ];

    it('matches a row-by-row count in every period, through the series and the scorecard alike', async () => {
      const series = await getMetricSeries(t.db, periods);
      for (const [i, period] of periods.entries()) {
        const expected = countByDefinition(generated, period);
        const card = await getScorecard(t.db, period);
        for (const figures of [series[i], card]) {
          expect(figures.retention, period.label).toMatchObject(expected.retention);
          expect(figures.recommendation, period.label).toMatchObject(expected.recommendation);
          expect(figures.spotFixCost, period.label).toMatchObject(expected.spotFixCost);
        }
      }
    });

    it('has boundary cases in the generated data', () => {
      // Guards the generator: the comparison above is only as good as the cases it covers.
      const monthStarts = generated.customers.filter((c) => c.churnedOn?.endsWith('-01')).length;
      const sameDay = generated.customers.filter((c) => c.churnedOn === c.acquiredOn).length;
      const sameDayFixes = new Set(generated.spotFixes.map((f) => `${issueKey(f.issue)}|${f.occurredOn}`)).size;
      expect(monthStarts).toBeGreaterThan(10);
      expect(sameDay).toBeGreaterThan(10);
      expect(sameDayFixes).toBeLessThan(generated.spotFixes.length);
    });
  });
});

/** The series point a scorecard implies: its figures without owners or reasons for leaving. */
async function expectedPoint(db: Db, period: Period) {
  const card = await getScorecard(db, period);
  const { owner: _r, topReasons: _t, ...retention } = card.retention;
  const { owner: _c, ...recommendation } = card.recommendation;
  const { owner: _s, ...spotFixCost } = card.spotFixCost;
  return { period: card.period, retention, recommendation, spotFixCost };
}

// ---------------------------------------------------------------------------------------------
// A seeded random company, crowded onto period boundaries, and the metrics counted row by row.

interface GeneratedCompany {
  customers: NewCustomer[];
  responses: NewSurveyResponse[];
  spotFixes: Array<Omit<NewSpotFix, 'issueKey'>>;
}

function generateCompany(seed: number): GeneratedCompany {
  let state = seed;
  // mulberry32: small, seedable, good enough for test data.
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const dayMs = 86_400_000;
  const first = Date.UTC(2022, 11, 1);
  const last = Date.UTC(2026, 0, 31);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  // Half the dates fall on the first or last day of a month, where off-by-one mistakes live.
  const someDay = () => {
    const ms = first + Math.floor(random() * ((last - first) / dayMs)) * dayMs;
    const r = random();
    if (r < 0.25) return iso(ms).slice(0, 8) + '01';
    if (r < 0.5) return iso(Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth() + 1, 0));
    return iso(ms);
  };
  const cents = () => `${Math.floor(random() * 1000)}.${String(Math.floor(random() * 100)).padStart(2, '0')}`;

  const customers: NewCustomer[] = Array.from({ length: 400 }, (_, i) => {
    const acquiredOn = someDay();
    const r = random();
    let churnedOn: string | null = null;
    if (r < 0.15) churnedOn = acquiredOn;
    else if (r < 0.6) {
      const later = someDay();
      churnedOn = later >= acquiredOn ? later : acquiredOn;
    }
    return {
      customerId: `g${i}`,
      acquiredOn,
      churnedOn,
      monthlyValue: random() < 0.1 ? null : cents(),
      churnReason: churnedOn && random() < 0.8 ? pick(['Price', 'Service', 'Moved', 'Competitor', 'Product', 'Support']) : null,
    };
  });
  const responses: NewSurveyResponse[] = Array.from({ length: 300 }, (_, i) => ({
    responseId: `gr${i}`,
    customerId: 'g0',
    respondedOn: someDay(),
    score: Math.floor(random() * 11),
  }));
  const labels = ['Late delivery', 'late  delivery', 'LATE DELIVERY ', 'Billing error', 'billing Error', 'Broken app', 'Rude agent'];
  const spotFixes = Array.from({ length: 250 }, (_, i) => ({
    spotFixId: `gf${i}`,
    occurredOn: someDay(),
    issue: pick(labels),
    category: pick(['meeting', 'free_offering', 'discount', 'staff_time', 'pr_recovery', 'other'] as const),
    cost: cents(),
    customerId: 'g0',
  }));
  return { customers, responses, spotFixes };
}

/** The SPEC's definitions applied one record at a time. */
function countByDefinition(company: GeneratedCompany, { start, end }: Period) {
  const activeOn = (c: NewCustomer, day: string) => c.acquiredOn <= day && (c.churnedOn == null || c.churnedOn > day);
  const atStart = company.customers.filter((c) => c.acquiredOn < start && activeOn(c, start));
  const retained = atStart.filter((c) => activeOn(c, end));
  const gained = company.customers.filter((c) => c.acquiredOn >= start && c.acquiredOn <= end);
  const lost = company.customers.filter((c) => c.churnedOn != null && c.churnedOn >= start && c.churnedOn <= end);

  const scores = company.responses.filter((r) => r.respondedOn >= start && r.respondedOn <= end).map((r) => r.score);

  const fixes = company.spotFixes.filter((f) => f.occurredOn >= start && f.occurredOn <= end);
  const isRepeat = (f: (typeof fixes)[number]) =>
    company.spotFixes.some((e) => issueKey(e.issue) === issueKey(f.issue) && e.occurredOn < f.occurredOn);

  return {
    retention: {
      value: atStart.length ? retained.length / atStart.length : null,
      start: atStart.length,
      retained: retained.length,
      gained: gained.length,
      valueGained: sumMoney(gained.flatMap((c) => (c.monthlyValue ? [c.monthlyValue] : []))),
      lost: lost.length,
      valueLost: sumMoney(lost.flatMap((c) => (c.monthlyValue ? [c.monthlyValue] : []))),
    },
    recommendation: {
      responses: scores.length,
      promoters: scores.filter((s) => s >= 9).length,
      passives: scores.filter((s) => s === 7 || s === 8).length,
      detractors: scores.filter((s) => s <= 6).length,
    },
    spotFixCost: {
      value: sumMoney(fixes.map((f) => f.cost)),
      count: fixes.length,
      repeatCost: sumMoney(fixes.filter(isRepeat).map((f) => f.cost)),
    },
  };
}
