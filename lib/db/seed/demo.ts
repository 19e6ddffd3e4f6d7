import { eq, sql } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/password';
import { SYSTEM_ACTOR, writeAudit, type Actor } from '@/lib/data/audit';
import { bumpDataVersion, upsertRecords } from '@/lib/data/records';
import { getScorecard } from '@/lib/data/scorecard';
import type { Db, Queryable } from '@/lib/db';
import {
  commentary,
  executives,
  METRIC_KEYS,
  metrics,
  metricTargets,
  organisation,
  recurringIssues,
  type MetricKey,
  type PowerCore,
  type Role,
} from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { decimalToMoney, sumMoney, toCents } from '@/lib/metrics/money';
import { paybackMonths } from '@/lib/metrics/payback';
import { BEGINNING } from '@/lib/metrics/targets';
import { latestCompleteMonth, samePeriodYearEarlier, todayIso, type Period } from '@/lib/metrics/period';
import type { MetricStatus, Scorecard } from '@/lib/metrics/types';
import { validateRecord, type RecordKind, type RecordTypes } from '@/lib/validation/records';
import {
  DEMO_EXECUTIVES,
  DEMO_INTENDED_STATUS,
  DEMO_METRIC_OWNERS,
  DEMO_ORGANISATION,
  DEMO_PASSWORD,
  type DemoExecutiveKey,
} from './demo-company';
import { seedBoardHistory } from './demo-board';
import { generateDemoData, type DemoData } from './demo-data';
import { seedDemoBoardMeeting } from './demo-meeting';

export { DEMO_PASSWORD } from './demo-company';

/** The seed behind the demo everyone sees; tests may pass another. */
export const DEFAULT_DEMO_SEED = 2026;

export interface DemoSummary {
  organisation: string;
  currency: string;
  /** The password every demo executive signs in with. */
  password: string;
  executives: Array<{ name: string; email: string; role: Role; title: string; powerCore: PowerCore; owns: string[] }>;
  customers: number;
  responses: number;
  spotFixes: number;
  /** The latest complete month, whose statuses the targets were set around. */
  period: string;
  statuses: Record<MetricKey, MetricStatus>;
}

export class DemoSeedRefusedError extends Error {
  constructor() {
    super('The database already has people or records; the demo company only loads into an empty database.');
    this.name = 'DemoSeedRefusedError';
  }
}

/** True once anyone or anything has been added: executives, customers, responses or spot fixes. */
export async function hasAnyData(db: Queryable): Promise<boolean> {
  const [row] = await queryRows<{ has_data: boolean }>(
    db,
    sql`select (exists (select 1 from executives) or exists (select 1 from customers)
                or exists (select 1 from survey_responses) or exists (select 1 from spot_fixes)) as has_data`,
  );
  return row.has_data === true;
}

/** An empty database: the embedded one gets the demo company on first start. */
export async function isDemoNeeded(db: Queryable): Promise<boolean> {
  return !(await hasAnyData(db));
}

const METRIC_NAMES: Record<MetricKey, string> = {
  retention: 'Customer retention rate',
  recommendation: 'Recommendation rate',
  spot_fix_cost: 'Cost of spot fixes',
};

function validated<K extends RecordKind>(kind: K, inputs: readonly RecordTypes[K][]): RecordTypes[K][] {
  return inputs.map((input, i) => {
    const result = validateRecord(kind, input);
    if (!result.ok) throw new Error(`demo ${kind} record ${i + 1} is invalid: ${JSON.stringify(result.problems)}`);
    return result.record;
  });
}

/**
 * Round, plausible targets around the month's actual values, chosen so that retention is on
 * track, recommendation at risk and spot-fix cost off track — each with a clear margin.
 */
export function chooseTargets(scorecard: Scorecard): Record<MetricKey, { target: string; atRiskThreshold: string }> {
  const retention = scorecard.retention.value;
  const recommendation = scorecard.recommendation.value;
  const costCents = Number(toCents(scorecard.spotFixCost.value ?? '0'));
  if (retention === null || recommendation === null || costCents < 500_000) {
    throw new Error(`demo data: the month ${scorecard.period.label} has too little data to set targets around`);
  }
  // Retention on track: the 0.5-point step at least 0.1 points below the actual rate.
  const retentionTarget = Math.floor((retention - 0.001) * 200) / 200;
  // Recommendation at risk: a target 1–6 points above the actual rate, the threshold 10 below the target.
  const recommendationTarget = Math.ceil((recommendation + 0.01) * 20) / 20;
  // Spot-fix cost off track: a monthly threshold at least a fifth of a step below the actual spend.
  const dollars = costCents / 100;
  const step = dollars >= 20_000 ? 5_000 : 1_000;
  const threshold = Math.floor((dollars - step / 5) / step) * step;
  const target = threshold > 2 * step ? threshold - 2 * step : threshold / 2;
  return {
    retention: { target: retentionTarget.toFixed(4), atRiskThreshold: (retentionTarget - 0.01).toFixed(4) },
    recommendation: {
      target: recommendationTarget.toFixed(4),
      atRiskThreshold: (recommendationTarget - 0.1).toFixed(4),
    },
    spot_fix_cost: { target: target.toFixed(4), atRiskThreshold: threshold.toFixed(4) },
  };
}

/** Last year's looser monthly cost bound: a fifth higher, in whole dollars. */
const looser = (monthly: string) => String(Math.round(Number(decimalToMoney(monthly)) * 1.2));

const percent = (ratio: number, places = 1) => `${(ratio * 100).toFixed(places)}%`;

/** "$41,838" — whole dollars with thousands separators, no locale data needed. */
function usd(money: string): string {
  const whole = String(Math.round(Number(toCents(money)) / 100));
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
const monthName = (period: Period) => `${MONTH_NAMES[Number(period.start.slice(5, 7)) - 1]} ${period.start.slice(0, 4)}`;


/** Facts about the month the commentary talks about, read from the generated records. */
function monthFacts(data: DemoData, period: Period) {
  const inPeriod = (day: string) => day >= period.start && day <= period.end;
  const byIssue = new Map<string, { label: string; cents: number; count: number }>();
  const issueLabel = new Map(data.issues.map((i) => [i.key, i.label]));
  for (const fix of data.spotFixes) {
    if (!inPeriod(fix.occurred_on)) continue;
    const key = fix.issue.trim().replace(/\s+/g, ' ').toLowerCase();
    const entry = byIssue.get(key) ?? { label: issueLabel.get(key) ?? fix.issue.trim(), cents: 0, count: 0 };
    entry.cents += Number(toCents(fix.cost));
    entry.count += 1;
    byIssue.set(key, entry);
  }
  const issues = [...byIssue.entries()]
    .map(([key, v]) => ({ key, ...v }))
    .sort((a, b) => b.cents - a.cents || a.key.localeCompare(b.key));

  const touchpoints = new Map<string, { responses: number; detractors: number }>();
  for (const response of data.responses) {
    if (!inPeriod(response.responded_on) || !response.touchpoint) continue;
    const entry = touchpoints.get(response.touchpoint) ?? { responses: 0, detractors: 0 };
    entry.responses += 1;
    if (response.score <= 6) entry.detractors += 1;
    touchpoints.set(response.touchpoint, entry);
  }
  const worstTouchpoints = [...touchpoints.entries()]
    .filter(([, v]) => v.responses >= 10)
    .map(([name, v]) => ({ name, share: v.detractors / v.responses }))
    .sort((a, b) => b.share - a.share || a.name.localeCompare(b.name));
  return { issues, worstTouchpoints };
}

/** An issue's repeat spend in the year to `end` (as the drill-down's "Last 12 months" column counts it). */
function repeatSpendInYearTo(data: DemoData, key: string, end: string): string {
  const yearBefore = `${Number(end.slice(0, 4)) - 1}${end.slice(4)}`;
  const fixes = data.spotFixes.filter((f) => f.issue.trim().replace(/\s+/g, ' ').toLowerCase() === key && f.occurred_on <= end);
  const first = fixes.reduce((min, f) => (f.occurred_on < min ? f.occurred_on : min), end);
  return sumMoney(fixes.filter((f) => f.occurred_on > first && f.occurred_on > yearBefore).map((f) => f.cost));
}

function commentaryBodies(
  data: DemoData,
  period: Period,
  now: Scorecard,
  yearEarlier: Scorecard,
): Record<MetricKey, string> {
  const { issues, worstTouchpoints } = monthFacts(data, period);
  const retention = now.retention;
  const topReason = retention.topReasons.find((r) => r.reason !== 'Not recorded');
  const retentionBody =
    `${percent(retention.value!)} of the customers we started ${monthName(period)} with are still with us: ` +
    `${retention.lost} left (${usd(retention.valueLost)} a month) and ${retention.gained} joined ` +
    `(${usd(retention.valueGained)} a month).` +
    (topReason ? ` "${topReason.reason}" was the most common reason for leaving (${topReason.count}).` : '') +
    ' Every Mid-market and Enterprise loss now gets a win-back call within a week.';

  const rec = now.recommendation;
  const before = yearEarlier.recommendation.value;
  const [worst, second] = worstTouchpoints;
  const recommendationBody =
    `${percent(rec.value!)} of ${rec.responses} respondents would recommend us (NPS ${rec.nps!.toFixed(0)})` +
    (before === null ? '.' : `, against ${percent(before)} a year ago.`) +
    (worst && second
      ? ` Detractors cluster on ${worst.name} (${percent(worst.share, 0)} of its responses) and ${second.name} (${percent(second.share, 0)}).`
      : '') +
    ' Support comments keep coming back to routers dropping the connection since the firmware rollout; rolling it back on affected models comes first.';

  const cost = now.spotFixCost;
  const [top, next] = issues;
  const topIssue = top ? data.issues.find((i) => i.key === top.key) : undefined;
  const costOfTop = top ? usd(String(top.cents / 100)) : '';
  let spotFixBody =
    `Spot fixes cost ${usd(cost.value ?? '0')} across ${cost.count} fixes` +
    (cost.repeatShare === null ? '.' : `, ${percent(cost.repeatShare, 0)} of it on problems we had already paid to patch before.`);
  if (top) spotFixBody += ` ${top.label} alone cost ${costOfTop} (${top.count} fixes)`;
  if (top && next) spotFixBody += `; ${next.label.toLowerCase()} added ${usd(String(next.cents / 100))} (${next.count})`;
  if (top) spotFixBody += '.';
  const months = topIssue?.estimatedFixCost && top ? paybackMonths(topIssue.estimatedFixCost, repeatSpendInYearTo(data, top.key, period.end)) : null;
  if (topIssue?.estimatedFixCost && top && months !== null) {
    spotFixBody += ` Fixing ${top.label.toLowerCase()} at the core is estimated at ${usd(topIssue.estimatedFixCost)}: it pays back in about ${Math.max(1, Math.round(months))} months of what we now spend patching it again and again.`;
  }
  return { retention: retentionBody, recommendation: recommendationBody, spot_fix_cost: spotFixBody };
}

/**
 * Loads Brightwave Broadband, the demo company, into an empty database: six executives (all
 * with DEMO_PASSWORD), two years of customers, survey responses and spot fixes up to `today`,
 * owners for the metrics and the costliest issues, targets that put the latest complete month
 * on track / at risk / off track, and a little commentary. One transaction, one audit entry:
 * a failure leaves the database as empty as it was.
 */
export async function seedDemo(
  db: Db,
  options: { today?: Date; seed?: number; actor?: Actor } = {},
): Promise<DemoSummary> {
  const now = options.today ?? new Date();
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const actor = options.actor ?? SYSTEM_ACTOR;
  const data = generateDemoData({ today: todayIso(now), seed });
  const records = {
    customers: validated('customers', data.customers),
    responses: validated('responses', data.responses),
    spotFixes: validated('spot-fixes', data.spotFixes),
  };
  // One hash for the six: the password is published, so separate salts would protect nothing and
  // cost seconds on a first start. Hashed before the transaction opens, so it is not held meanwhile.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const period = latestCompleteMonth(now);

  return db.transaction(async (tx) => {
    // Two first starts at once must not both load the demo.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('cx-scorecard:seed-demo'))`);
    if (await hasAnyData(tx)) throw new DemoSeedRefusedError();

    await tx
      .update(organisation)
      .set({ name: DEMO_ORGANISATION.name, currency: DEMO_ORGANISATION.currency, updatedAt: sql`now()` });

    const inserted = await tx
      .insert(executives)
      .values(
        DEMO_EXECUTIVES.map((e) => ({
          name: e.name,
          email: e.email.toLowerCase(),
          title: e.title,
          powerCore: e.powerCore,
          role: e.role,
          passwordHash,
        })),
      )
      .returning({ id: executives.id, email: executives.email });
    const idOf = Object.fromEntries(
      DEMO_EXECUTIVES.map((e) => [e.key, inserted.find((row) => row.email === e.email.toLowerCase())!.id]),
    ) as Record<DemoExecutiveKey, number>;

    for (const key of METRIC_KEYS) {
      await tx
        .update(metrics)
        .set({ ownerId: idOf[DEMO_METRIC_OWNERS[key]], updatedAt: sql`now()` })
        .where(eq(metrics.key, key));
    }

    await upsertRecords(tx, 'customers', records.customers);
    await upsertRecords(tx, 'responses', records.responses);
    await upsertRecords(tx, 'spot-fixes', records.spotFixes);

    for (const issue of data.issues) {
      await tx
        .update(recurringIssues)
        .set({
          ownerId: issue.owner ? idOf[issue.owner] : null,
          estimatedFixCost: issue.estimatedFixCost,
          fixedOn: issue.fixedOn,
          updatedAt: sql`now()`,
        })
        .where(eq(recurringIssues.issueKey, issue.key));
    }

    // Targets in force from the beginning, and a cost target tightened from January of the
    // reviewed month's year, so the admin page has a history and last year keeps its verdicts.
    const targets = chooseTargets(await getScorecard(tx, period, { today: todayIso(now) }));
    const tightenedOn = `${period.start.slice(0, 4)}-01-01`;
    await tx.delete(metricTargets);
    await tx.insert(metricTargets).values([
      ...METRIC_KEYS.map((key) => ({
        metricKey: key,
        granularity: 'month' as const,
        effectiveFrom: BEGINNING,
        target: key === 'spot_fix_cost' ? looser(targets[key].target) : targets[key].target,
        atRiskThreshold: key === 'spot_fix_cost' ? looser(targets[key].atRiskThreshold) : targets[key].atRiskThreshold,
      })),
      {
        metricKey: 'spot_fix_cost' as const,
        granularity: 'month' as const,
        effectiveFrom: tightenedOn,
        target: targets.spot_fix_cost.target,
        atRiskThreshold: targets.spot_fix_cost.atRiskThreshold,
        setById: idOf.cco,
      },
    ]);
    const scorecard = await getScorecard(tx, period, { today: todayIso(now) });
    const statuses: Record<MetricKey, MetricStatus> = {
      retention: scorecard.retention.status,
      recommendation: scorecard.recommendation.status,
      spot_fix_cost: scorecard.spotFixCost.status,
    };
    for (const key of METRIC_KEYS) {
      if (statuses[key] !== DEMO_INTENDED_STATUS[key]) {
        throw new Error(
          `demo data: ${key} came out ${statuses[key]} for ${period.label}, not ${DEMO_INTENDED_STATUS[key]} ` +
            `(targets ${JSON.stringify(targets)})`,
        );
      }
    }

    const bodies = commentaryBodies(data, period, scorecard, await getScorecard(tx, samePeriodYearEarlier(period), { today: todayIso(now) }));
    await tx.insert(commentary).values(
      METRIC_KEYS.map((key) => ({
        metricKey: key,
        period: period.label,
        body: bodies[key],
        authorId: idOf[DEMO_METRIC_OWNERS[key]],
      })),
    );
    await seedBoardHistory(tx, { now, month: period, idOf });

    const summary: DemoSummary = {
      organisation: DEMO_ORGANISATION.name,
      currency: DEMO_ORGANISATION.currency,
      password: DEMO_PASSWORD,
      executives: DEMO_EXECUTIVES.map((e) => ({
        name: e.name,
        email: e.email.toLowerCase(),
        role: e.role,
        title: e.title,
        powerCore: e.powerCore,
        owns: [
          ...METRIC_KEYS.filter((key) => DEMO_METRIC_OWNERS[key] === e.key).map((key) => METRIC_NAMES[key]),
          ...data.issues.filter((issue) => issue.owner === e.key).map((issue) => `issue: ${issue.label}`),
        ],
      })),
      customers: records.customers.length,
      responses: records.responses.length,
      spotFixes: records.spotFixes.length,
      period: period.label,
      statuses,
    };

    await seedDemoBoardMeeting(tx, idOf.cco, now);
    await bumpDataVersion(tx);
    await writeAudit(tx, actor, {
      action: 'seed-demo',
      entity: 'organisation',
      entityId: 1,
      after: {
        organisation: summary.organisation,
        seed,
        today: todayIso(now),
        customers: summary.customers,
        responses: summary.responses,
        spotFixes: summary.spotFixes,
        executives: summary.executives.map((e) => e.email),
        targets,
      },
    });
    return summary;
  });
}
