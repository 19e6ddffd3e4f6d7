import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { verifyPassword } from '@/lib/auth/password';
import { getScorecard } from '@/lib/data/scorecard';
import { getPreviousSnapshot, getSnapshot } from '@/lib/data/snapshots';
import type { Queryable } from '@/lib/db';
import { generateDemoData } from '@/lib/db/seed/demo-data';
import { DEMO_PASSWORD, DemoSeedRefusedError, hasAnyData, isDemoNeeded, seedDemo, type DemoSummary } from '@/lib/db/seed/demo';
import { queryRows } from '@/lib/db/sql';
import { latestCompleteMonth } from '@/lib/metrics/period';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

const TODAY = new Date('2026-11-14T09:30:00Z');
const SEED = 7;

/** A digest of every seeded row, leaving out what differs by design: clock timestamps and password salts. */
async function fingerprint(db: Queryable): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    organisation: 'select name, currency, data_version from organisation',
    executives: 'select id, name, email, title, power_core, role, is_active from executives order by id',
    metrics: 'select key, owner_id, data_since from metrics order by key',
    metricTargets: 'select metric_key, granularity, effective_from, target, at_risk_threshold from metric_targets order by 1, 2, 3',
    customers:
      'select customer_id, name, segment, acquired_on, churned_on, monthly_value, churn_reason from customers order by customer_id',
    responses:
      'select response_id, customer_id, responded_on, score, touchpoint, comment from survey_responses order by response_id',
    spotFixes:
      'select spot_fix_id, occurred_on, issue, issue_key, category, cost, customer_id, journey_stage, note from spot_fixes order by spot_fix_id',
    issues: 'select issue_key, label, owner_id, estimated_fix_cost, fixed_on from recurring_issues order by issue_key',
    commentary: 'select metric_key, period, body, author_id from commentary order by metric_key, period',
    actions:
      'select metric_key, period, title, owner_id, due_on, status, opened_on, done_on, issue_key, created_by_id from metric_actions order by id',
    snapshots: 'select title, period, created_by_id, created_at from snapshots order by id',
  };
  const digest: Record<string, string> = {};
  for (const [name, query] of Object.entries(tables)) {
    const [row] = await queryRows<{ md5: string; n: number }>(
      db,
      sql.raw(`select md5(coalesce(string_agg(t::text, E'\\n'), '')) as md5, count(*)::int as n from (${query}) t`),
    );
    digest[name] = `${row.n}:${row.md5}`;
  }
  return digest;
}

const count = async (db: Queryable, query: string) =>
  (await queryRows<{ n: number }>(db, sql.raw(`select (${query})::int as n`)))[0].n;

describe.each(DATABASE_TARGETS)('seedDemo on %s', (target) => {
  let first: TestDatabase;
  let second: TestDatabase;
  let summary: DemoSummary;
  let hadDataBefore: boolean;
  let neededBefore: boolean;
  const period = latestCompleteMonth(TODAY);

  beforeAll(async () => {
    [first, second] = await Promise.all([openTestDatabase(target), openTestDatabase(target)]);
    hadDataBefore = await hasAnyData(first.db);
    neededBefore = await isDemoNeeded(first.db);
    summary = await seedDemo(first.db, { today: TODAY, seed: SEED });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('says an empty database has no data and needs the demo, and a seeded one the opposite', async () => {
    expect(hadDataBefore).toBe(false);
    expect(neededBefore).toBe(true);
    expect(await hasAnyData(first.db)).toBe(true);
    expect(await isDemoNeeded(first.db)).toBe(false);
  });

  it('loads two years of customers, responses and spot fixes, at least the minimum of each', async () => {
    const db = first.db;
    expect(summary.organisation).toBe('Brightwave Broadband');
    expect(await count(db, 'select count(*) from customers')).toBe(summary.customers);
    expect(await count(db, 'select count(*) from survey_responses')).toBe(summary.responses);
    expect(await count(db, 'select count(*) from spot_fixes')).toBe(summary.spotFixes);
    expect(summary.customers).toBeGreaterThanOrEqual(2600);
    expect(await count(db, `select count(*) from customers where acquired_on <= '${period.end}' and (churned_on is null or churned_on > '${period.end}')`)).toBeGreaterThanOrEqual(2000);
    expect(summary.responses).toBeGreaterThanOrEqual(5000);
    expect(summary.spotFixes).toBeGreaterThanOrEqual(1000);
    expect(await count(db, `select count(distinct to_char(responded_on, 'YYYY-MM')) from survey_responses`)).toBeGreaterThanOrEqual(24);
    expect(await count(db, `select count(*) from survey_responses where responded_on > '2026-11-14'`)).toBe(0);
    expect(await count(db, 'select count(distinct segment) from customers')).toBe(3);
    expect(await count(db, 'select count(distinct churn_reason) from customers')).toBeGreaterThanOrEqual(6);
    expect(await count(db, 'select count(distinct touchpoint) from survey_responses')).toBe(5);
    expect(await count(db, 'select count(distinct category) from spot_fixes')).toBe(6);
    expect(await count(db, 'select count(distinct score) from survey_responses')).toBe(11);
  });

  it('takes responses and spot fixes only from customers active on that day', async () => {
    const inactive = (table: string, day: string) =>
      count(
        first.db,
        `select count(*) from ${table} r left join customers c on c.customer_id = r.customer_id
         where c.customer_id is null or c.acquired_on > r.${day} or (c.churned_on is not null and c.churned_on <= r.${day})`,
      );
    expect(await inactive('survey_responses', 'responded_on')).toBe(0);
    expect(await inactive('spot_fixes', 'occurred_on')).toBe(0);
  });

  it('makes spot fixes recur the way real ones do: a few issues cost most, labels vary, one fixed issue came back', async () => {
    const db = first.db;
    const [shares] = await queryRows<{ top3: string }>(
      db,
      sql`select (sum(cost) filter (where rank <= 3) / sum(cost))::text as top3
          from (select issue_key, sum(cost) as cost, rank() over (order by sum(cost) desc) as rank from spot_fixes group by issue_key) i`,
    );
    expect(Number(shares.top3)).toBeGreaterThan(0.5);
    expect(await count(db, 'select count(*) from spot_fixes s join recurring_issues i using (issue_key) where s.issue <> i.label')).toBeGreaterThan(10);
    expect(await count(db, 'select count(*) from recurring_issues where owner_id is not null and estimated_fix_cost is not null')).toBeGreaterThanOrEqual(5);
    expect(
      await count(db, 'select count(*) from recurring_issues i join spot_fixes s using (issue_key) where s.occurred_on > i.fixed_on'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('gives six executives one demo password, one admin, four executives and one viewer', async () => {
    const people = await queryRows<{ email: string; role: string; password_hash: string }>(
      first.db,
      sql`select email, role, password_hash from executives order by id`,
    );
    expect(people.map((p) => p.email)).toEqual(summary.executives.map((e) => e.email));
    expect(people.map((p) => p.role).sort()).toEqual(['admin', 'executive', 'executive', 'executive', 'executive', 'viewer']);
    for (const person of people) expect(await verifyPassword(DEMO_PASSWORD, person.password_hash)).toBe(true);
    expect(summary.password).toBe('demo-password-2026');
  });

  it('puts the latest complete month on track for retention, at risk for recommendation and off track for spot-fix cost', async () => {
    const scorecard = await getScorecard(first.db, period);
    expect(scorecard.retention.status).toBe('on_track');
    expect(scorecard.recommendation.status).toBe('at_risk');
    expect(scorecard.spotFixCost.status).toBe('off_track');
    expect(summary.statuses).toEqual({ retention: 'on_track', recommendation: 'at_risk', spot_fix_cost: 'off_track' });
    expect(summary.period).toBe(period.label);
    expect(scorecard.retention.value).toBeGreaterThan(0.97);
    expect(scorecard.retention.value).toBeLessThan(0.995);
  });

  it('gives each metric a different owner, who wrote its commentary', async () => {
    const owners = await queryRows<{ key: string; owner_id: number | null; author_id: number | null }>(
      first.db,
      sql`select m.key, m.owner_id, c.author_id from metrics m
          left join commentary c on c.metric_key = m.key and c.period = ${period.label} order by m.key`,
    );
    expect(owners).toHaveLength(3);
    for (const row of owners) {
      expect(row.owner_id).not.toBeNull();
      expect(row.author_id).toBe(row.owner_id);
    }
    expect(new Set(owners.map((o) => o.owner_id)).size).toBe(3);
    const actionMetrics = await queryRows<{ key: string }>(
      first.db,
      sql`select distinct metric_key as key from metric_actions
          where opened_on <= ${period.end}::date and (done_on is null or done_on >= ${period.start}::date) order by key`,
    );
    expect(actionMetrics.map((a) => a.key)).toEqual(['recommendation', 'spot_fix_cost']);
  });

  it('has a board history: two quarterly snapshots to compare, quarter commentary, and actions that span months', async () => {
    const frozen = await queryRows<{ id: number; period: string; title: string }>(
      first.db,
      sql`select id, period, title from snapshots order by period`,
    );
    expect(frozen.map((s) => s.period)).toEqual(['2026-Q2', '2026-Q3']);
    const previous = await getPreviousSnapshot(first.db, frozen[1].id);
    expect(previous?.period).toBe('2026-Q2');
    const later = (await getSnapshot(first.db, frozen[1].id))!.payload;
    expect(later.topIssues!.length).toBeGreaterThan(0);
    expect(later.topIssues![0].owner).not.toBeNull();
    expect(later.notes.spot_fix_cost.commentary?.body).toMatch(/^Spot fixes cost/);
    // Actions as they stood on the day: the win-back calls were done in August, after the Q2 meeting.
    const earlier = (await getSnapshot(first.db, frozen[0].id))!.payload;
    const winBack = (p: typeof later) => p.notes.retention.actions.find((a) => a.title.startsWith('Win-back'));
    expect(winBack(earlier)?.status).toBe('open');
    expect(winBack(later)?.status).toBe('done');
    const spanning = await count(
      first.db,
      `select count(*) from metric_actions where opened_on < date '2026-07-01' and (done_on is null or done_on > date '2026-09-30')`,
    );
    expect(spanning).toBeGreaterThan(0);
    expect(await count(first.db, `select count(*) from commentary where period in ('2026-Q2', '2026-Q3')`)).toBe(6);
  });

  it('writes one audit entry and bumps the data version once', async () => {
    expect(await count(first.db, `select count(*) from audit_log`)).toBe(1);
    expect(await count(first.db, `select count(*) from audit_log where action = 'seed-demo'`)).toBe(1);
    expect(await count(first.db, 'select data_version from organisation')).toBe(1);
  });

  it('refuses to load into a database that already has data, changing nothing', async () => {
    const before = await fingerprint(first.db);
    await expect(seedDemo(first.db, { today: TODAY, seed: SEED })).rejects.toBeInstanceOf(DemoSeedRefusedError);
    expect(await fingerprint(first.db)).toEqual(before);
  });

  it('is deterministic: the same seed and day give identical data', async () => {
    const again = await seedDemo(second.db, { today: TODAY, seed: SEED });
    expect(again).toEqual(summary);
    expect(await fingerprint(second.db)).toEqual(await fingerprint(first.db));
  });
});

describe('demo data generator', () => {
  it('gives different data for a different seed and the same data for the same one', () => {
    const a = generateDemoData({ today: '2026-11-14', seed: 1 });
    const b = generateDemoData({ today: '2026-11-14', seed: 2 });
    expect(a.customers).not.toEqual(b.customers);
    expect(generateDemoData({ today: '2026-11-14', seed: 1 })).toEqual(a);
  });
});

describe('seedDemo on other days', () => {
  it.each(['2025-01-01T00:00:00Z', '2027-06-30T23:59:00Z'])(
    'sets targets that put %s’s latest complete month on, at and off track',
    async (day) => {
      const t = await openTestDatabase('pglite');
      try {
        const result = await seedDemo(t.db, { today: new Date(day) });
        expect(result.statuses).toEqual({ retention: 'on_track', recommendation: 'at_risk', spot_fix_cost: 'off_track' });
        expect(result.period).toBe(latestCompleteMonth(new Date(day)).label);
      } finally {
        await t.close();
      }
    },
  );
});
