import { eq, sql } from 'drizzle-orm';
import { getScorecard } from '@/lib/data/scorecard';
import type { Queryable } from '@/lib/db';
import {
  commentary,
  METRIC_KEYS,
  metricActions,
  metricActionStatusChanges,
  snapshots,
  type ActionStatus,
  type MetricKey,
} from '@/lib/db/schema';
import { periodContaining, shiftPeriod, todayIso, type Period } from '@/lib/metrics/period';
import { contentHash } from '@/lib/snapshots/content-hash';
import { buildSnapshotPayload } from '@/lib/snapshots/payload';
import { generateSnapshotToken, hashSnapshotToken } from '@/lib/snapshots/token';
import { DEMO_EXECUTIVES, DEMO_METRIC_OWNERS, type DemoExecutiveKey } from './demo-company';

/**
 * The demo's board history: actions that span months (some done, some overdue, some tied to a
 * recurring issue), quarter commentary for the last two complete quarters, and a board snapshot
 * of each, frozen a few days after its quarter ended, so "since the last board meeting" compares
 * a quarter with the previous quarter's. Each snapshot is frozen with the actions as they stood
 * on its day: the actions' later steps are applied after it.
 */

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const minDay = (a: string, b: string) => (a < b ? a : b);

interface DemoAction {
  metric: MetricKey;
  title: string;
  owner: DemoExecutiveKey;
  issueKey?: string;
  dueOn: string;
  /** Each status from the day it took effect, the first being the day the action was opened. */
  steps: Array<{ on: string; status: ActionStatus }>;
}

/** The timeline, relative to the last two complete quarters and the latest complete month. */
function demoActions(previousQuarter: Period, lastQuarter: Period, month: Period, today: string): DemoAction[] {
  const plan: DemoAction[] = [
    {
      metric: 'spot_fix_cost',
      title: "Move installation bookings from the partner's system to ours",
      owner: 'coo',
      issueKey: 'missed engineer appointment',
      dueOn: addDays(month.end, 60),
      steps: [
        { on: addDays(previousQuarter.end, -20), status: 'open' },
        { on: addDays(lastQuarter.start, 10), status: 'in_progress' },
      ],
    },
    {
      metric: 'retention',
      title: 'Win-back call within a week for every Mid-market and Enterprise loss',
      owner: 'cro',
      dueOn: addDays(lastQuarter.start, 30),
      steps: [
        { on: addDays(previousQuarter.start, 10), status: 'open' },
        { on: addDays(lastQuarter.start, 40), status: 'done' },
      ],
    },
    {
      metric: 'recommendation',
      title: 'Roll back router firmware 4.2 on affected models',
      owner: 'cpo',
      issueKey: 'router dropouts',
      dueOn: addDays(month.end, 21),
      steps: [
        { on: addDays(lastQuarter.start, 20), status: 'open' },
        { on: addDays(lastQuarter.start, 35), status: 'in_progress' },
      ],
    },
    {
      metric: 'recommendation',
      title: 'Call back every detractor within 48 hours',
      owner: 'cco',
      dueOn: addDays(month.end, -5),
      steps: [{ on: addDays(lastQuarter.end, -15), status: 'open' }],
    },
    {
      metric: 'spot_fix_cost',
      title: 'Review the five costliest repeat issues at every executive meeting',
      owner: 'cco',
      dueOn: addDays(month.start, 14),
      steps: [
        { on: addDays(lastQuarter.end, 1), status: 'open' },
        { on: addDays(month.start, 12), status: 'done' },
      ],
    },
    {
      metric: 'spot_fix_cost',
      title: 'Fix the tariff-table sync behind billing errors',
      owner: 'cio',
      issueKey: 'billing errors',
      dueOn: addDays(month.end, 45),
      steps: [{ on: addDays(month.start, 10), status: 'open' }],
    },
  ];
  // Never in the future, and each step on or after the one before (the demo may be loaded on any day).
  return plan.map((action) => {
    let floor = '0000-01-01';
    const steps = action.steps.map((step) => {
      const on = minDay(step.on < floor ? floor : step.on, today);
      floor = on;
      return { ...step, on };
    });
    return { ...action, steps };
  });
}

function stateOn(action: DemoAction, day: string): { status: ActionStatus; doneOn: string | null } | null {
  const taken = action.steps.filter((step) => step.on <= day);
  if (taken.length === 0) return null;
  const last = taken[taken.length - 1];
  return { status: last.status, doneOn: last.status === 'done' ? last.on : null };
}

const percent = (ratio: number | null) => (ratio === null ? 'no figure' : `${(ratio * 100).toFixed(1)}%`);
const usd = (money: string) => `$${Math.round(Number(money)).toLocaleString('en-US')}`;

async function quarterCommentary(tx: Queryable, quarter: Period, today: string): Promise<Record<MetricKey, string>> {
  const card = await getScorecard(tx, quarter, { today });
  const name = `Q${quarter.label.slice(-1)}`;
  return {
    retention:
      `${name} retention ${percent(card.retention.value)}: ${card.retention.lost} customers left (${usd(card.retention.valueLost)} a month) ` +
      `and ${card.retention.gained} joined. Most losses were Small-business customers at renewal; the win-back calls for ` +
      'Mid-market and Enterprise losses brought a third of those back within the quarter.',
    recommendation:
      `${percent(card.recommendation.value)} of ${card.recommendation.responses} respondents would recommend us in ${name}. ` +
      'Detractors cluster on support and delivery, and their comments keep naming router dropouts since the firmware ' +
      'rollout: the rollback is the first thing we are doing about it, then call-backs to every detractor.',
    spot_fix_cost:
      `Spot fixes cost ${usd(card.spotFixCost.value ?? "0.00")} in ${name}, ${percent(card.spotFixCost.repeatShare)} of it on problems we had ` +
      'already paid to patch before. Missed engineer appointments and billing errors are most of the repeats: we are moving ' +
      'installation bookings in-house and fixing the tariff-table sync rather than paying for the same fire every month.',
  };
}

export async function seedBoardHistory(
  tx: Queryable,
  input: { now: Date; month: Period; idOf: Record<DemoExecutiveKey, number> },
): Promise<void> {
  const { now, month, idOf } = input;
  const today = todayIso(now);
  const currentQuarter = periodContaining(today, 'quarter');
  const lastQuarter = shiftPeriod(currentQuarter, -1);
  const previousQuarter = shiftPeriod(currentQuarter, -2);
  const actions = demoActions(previousQuarter, lastQuarter, month, today);
  const ids = new Map<string, number>();
  const admin = DEMO_EXECUTIVES.find((e) => e.role === 'admin')!;

  async function applyActionsAsOf(day: string) {
    for (const action of actions) {
      const state = stateOn(action, day);
      if (!state) continue;
      const existing = ids.get(action.title);
      if (existing === undefined) {
        const [row] = await tx
          .insert(metricActions)
          .values({
            metricKey: action.metric,
            period: periodContaining(action.steps[0].on, 'month').label,
            title: action.title,
            ownerId: idOf[action.owner],
            dueOn: action.dueOn,
            status: state.status,
            openedOn: action.steps[0].on,
            doneOn: state.doneOn,
            issueKey: action.issueKey ?? null,
            createdById: idOf[DEMO_METRIC_OWNERS[action.metric]],
          })
          .returning({ id: metricActions.id });
        ids.set(action.title, row.id);
      } else {
        await tx.update(metricActions).set({ status: state.status, doneOn: state.doneOn }).where(eq(metricActions.id, existing));
      }
    }
  }

  async function writeQuarterCommentary(quarter: Period, at: Date) {
    const bodies = await quarterCommentary(tx, quarter, today);
    await tx.insert(commentary).values(
      METRIC_KEYS.map((key) => ({
        metricKey: key,
        period: quarter.label,
        body: bodies[key],
        authorId: idOf[DEMO_METRIC_OWNERS[key]],
        createdAt: at,
        updatedAt: at,
      })),
    );
  }

  async function freeze(quarter: Period, title: string, frozenAt: Date) {
    const payload = await buildSnapshotPayload(tx, {
      period: quarter,
      title,
      note: `Quarterly board pack for ${quarter.label.replace('-', ' ')}.`,
      createdBy: { name: admin.name, title: admin.title },
      now: frozenAt,
    });
    await tx.insert(snapshots).values({
      // The demo's links were never handed out: the list shows them, and their maker can re-issue one.
      tokenHash: hashSnapshotToken(generateSnapshotToken()),
      title,
      note: payload.note,
      period: quarter.label,
      payload: payload as unknown as Record<string, unknown>,
      contentHash: contentHash(payload),
      createdById: idOf[admin.key],
      createdAt: frozenAt,
      expiresAt: new Date(now.getTime() + 90 * 24 * 60 * 60 * 1000),
    });
  }

  const freezeOn = (quarter: Period) => {
    const day = minDay(addDays(quarter.end, 6), today);
    const at = new Date(`${day}T09:00:00Z`);
    return at.getTime() < now.getTime() ? at : new Date(now.getTime() - 60_000);
  };
  const quarterName = (q: Period) => `Q${q.label.slice(-1)} ${q.label.slice(0, 4)}`;

  const firstFreeze = freezeOn(previousQuarter);
  await applyActionsAsOf(todayIso(firstFreeze));
  await writeQuarterCommentary(previousQuarter, new Date(firstFreeze.getTime() - 2 * 24 * 60 * 60 * 1000));
  await freeze(previousQuarter, `Board meeting: ${quarterName(previousQuarter)} review`, firstFreeze);

  const secondFreeze = freezeOn(lastQuarter);
  await applyActionsAsOf(todayIso(secondFreeze));
  await writeQuarterCommentary(lastQuarter, new Date(secondFreeze.getTime() - 2 * 24 * 60 * 60 * 1000));
  await freeze(lastQuarter, `Board meeting: ${quarterName(lastQuarter)} review`, secondFreeze);

  await applyActionsAsOf(today);
  for (const action of actions) {
    const id = ids.get(action.title);
    if (id === undefined) continue;
    let from: ActionStatus | null = null;
    for (const step of action.steps) {
      await tx.insert(metricActionStatusChanges).values({
        actionId: id,
        fromStatus: from,
        toStatus: step.status,
        changedOn: step.on,
        changedById: idOf[DEMO_METRIC_OWNERS[action.metric]],
        changedAt: sql`${step.on}::date + time '09:00'`,
      });
      from = step.status;
    }
  }
}
