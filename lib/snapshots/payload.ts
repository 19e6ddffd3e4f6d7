import type { Queryable } from '@/lib/db';
import { METRIC_KEYS, type ActionStatus, type MetricKey } from '@/lib/db/schema';
import { listPeriodCommentary, type CommentaryDto } from '@/lib/data/commentary';
import { actionReferenceDay, listActions } from '@/lib/data/metric-actions';
import { listTopIssuesForPeriod, type PeriodIssue } from '@/lib/data/period-issues';
import { getOrganisation } from '@/lib/data/organisation';
import { getMetricSeries, getScorecard } from '@/lib/data/scorecard';
import { periodsEndingWith, todayIso, type Granularity, type Period } from '@/lib/metrics/period';
import type { MetricOwner, MetricSeriesPoint, MetricStatus, Scorecard, ScorecardPeriod } from '@/lib/metrics/types';
import { buildSnapshotJourney, type SnapshotJourney } from './journey';

/**
 * Everything a snapshot page shows, frozen when the snapshot is made. The public page renders
 * from this alone — never from live tables — so later changes to data, targets, owners or
 * commentary cannot alter it. Dates are ISO strings (it is stored as jsonb and hashed).
 */
export const SNAPSHOT_PAYLOAD_VERSION = 2;

/*
 * Version 2 added, all optional so that version-1 payloads already stored still read: the
 * commentary written within a quarter or year, actions with their open/done days and overdue
 * marks, per-metric open and overdue counts, and the period's costliest recurring issues.
 * Later additions stay additive and optional in the same way.
 */

export interface SnapshotCommentary {
  body: string;
  author: { name: string; title: string };
  version: number;
  updatedAt: string;
  /** v2: the period it was written for (a month within a quarter, say). */
  period?: string;
}

export interface SnapshotAction {
  title: string;
  owner: { name: string };
  dueOn: string | null;
  status: ActionStatus;
  /** v2 */
  openedOn?: string;
  doneOn?: string | null;
  /** v2: not done on the snapshot's reference day (the period's last day, or the freezing day while it ran). */
  isOpen?: boolean;
  isOverdue?: boolean;
  issue?: string | null;
}

export interface SnapshotMetricNotes {
  commentary: SnapshotCommentary | null;
  actions: SnapshotAction[];
  /** v2: commentary written for the months (and a year's quarters) within the period, newest first. */
  within?: SnapshotCommentary[];
  /** v2: actions open on the reference day, and how many of those were overdue. */
  actionCounts?: { open: number; overdue: number };
}

/** v2: one of the period's costliest recurring issues. */
export type SnapshotIssue = Omit<PeriodIssue, 'issueKey'>;

export interface SnapshotPayload {
  /** 1 or 2 (see above). */
  version: number;
  title: string;
  note: string | null;
  organisation: { name: string; currency: string };
  period: ScorecardPeriod & { granularity: Granularity };
  /** When the snapshot was made. */
  frozenAt: string;
  /** When the data underneath last changed (imports, API, forms), as the database recorded it. */
  dataAsOf: string;
  dataVersion: number;
  createdBy: { name: string; title: string };
  /** The SPEC scorecard JSON for the period: values, details, status, targets, owners, response counts, margins of error. */
  scorecard: Scorecard;
  /** The periods ending with this one, oldest first (includes the previous period and the same period a year earlier). */
  trend: MetricSeriesPoint[];
  notes: Record<MetricKey, SnapshotMetricNotes>;
  /** Where the ball dropped: top journey stages, value at risk (absent from snapshots made before it existed). */
  journey?: SnapshotJourney;
  /** v2: the day actions were judged on. */
  actionsAsOf?: string;
  /** v2: the recurring issues that cost the most in the period, with who answers for each. */
  topIssues?: SnapshotIssue[];
}

export const TOP_ISSUES_IN_SNAPSHOT = 5;

function frozenCommentary(entry: CommentaryDto): SnapshotCommentary {
  return {
    body: entry.body,
    author: { name: entry.author.name, title: entry.author.title },
    version: entry.version,
    updatedAt: new Date(entry.updatedAt).toISOString(),
    period: entry.period,
  };
}

/** Periods of trend kept per granularity: two years of months, three of quarters, twelve years. */
export const TREND_LENGTH: Record<Granularity, number> = { month: 24, quarter: 12, year: 12 };

export const METRIC_NAMES: Record<MetricKey, string> = {
  retention: 'Customer retention',
  recommendation: 'Recommendation rate',
  spot_fix_cost: 'Cost of spot fixes',
};

/** The scorecard's property for each metric key. */
export const SCORECARD_FIELD = {
  retention: 'retention',
  recommendation: 'recommendation',
  spot_fix_cost: 'spotFixCost',
} as const satisfies Record<MetricKey, keyof Omit<Scorecard, 'period'>>;

export function metricStatus(scorecard: Scorecard, key: MetricKey): MetricStatus {
  return scorecard[SCORECARD_FIELD[key]].status;
}

export function metricOwner(scorecard: Scorecard, key: MetricKey): MetricOwner | null {
  return scorecard[SCORECARD_FIELD[key]].owner;
}

/** Reads everything the page will show. Run it inside one transaction so the pieces agree. */
export async function buildSnapshotPayload(
  db: Queryable,
  input: { period: Period; title: string; note: string | null; createdBy: { name: string; title: string }; now: Date },
): Promise<SnapshotPayload> {
  const { period } = input;
  // One after another: inside a transaction they share one connection anyway.
  const organisation = await getOrganisation(db);
  const today = todayIso(input.now);
  const scorecard = await getScorecard(db, period, { today });
  const trend = await getMetricSeries(db, periodsEndingWith(period, TREND_LENGTH[period.granularity]), { today });
  const commentary = await listPeriodCommentary(db, period);
  const asOf = actionReferenceDay(period, today);
  const notes = {} as Record<MetricKey, SnapshotMetricNotes>;
  for (const key of METRIC_KEYS) {
    const actions = await listActions(db, key, period, today);
    const open = actions.filter((a) => a.isOpen);
    notes[key] = {
      commentary: commentary[key].own ? frozenCommentary(commentary[key].own) : null,
      within: commentary[key].within.map(frozenCommentary),
      actions: actions.map((a) => ({
        title: a.title,
        owner: { name: a.owner.name },
        dueOn: a.dueOn,
        status: a.status,
        openedOn: a.openedOn,
        doneOn: a.doneOn,
        isOpen: a.isOpen,
        isOverdue: a.isOverdue,
        issue: a.issue?.label ?? null,
      })),
      actionCounts: { open: open.length, overdue: open.filter((a) => a.isOverdue).length },
    };
  }
  const topIssues = (await listTopIssuesForPeriod(db, period, TOP_ISSUES_IN_SNAPSHOT)).map(({ issueKey: _key, ...issue }) => issue);
  return {
    version: SNAPSHOT_PAYLOAD_VERSION,
    title: input.title,
    note: input.note,
    organisation: { name: organisation.name, currency: organisation.currency },
    period: { label: period.label, start: period.start, end: period.end, granularity: period.granularity },
    frozenAt: input.now.toISOString(),
    dataAsOf: new Date(organisation.updatedAt).toISOString(),
    dataVersion: organisation.dataVersion,
    createdBy: input.createdBy,
    scorecard,
    trend,
    notes,
    journey: await buildSnapshotJourney(db, period),
    actionsAsOf: asOf,
    topIssues,
  };
}

export interface MissingCommentaryWarning {
  metricKey: MetricKey;
  metricName: string;
  ownerName: string | null;
  message: string;
}

/** Off-track metrics whose owner has written nothing for the period: a warning, never a block. */
export function missingCommentaryWarnings(
  scorecard: Scorecard,
  notes: Partial<Record<MetricKey, { commentary: unknown | null }>>,
  periodLabel: string,
): MissingCommentaryWarning[] {
  const warnings: MissingCommentaryWarning[] = [];
  for (const key of METRIC_KEYS) {
    if (metricStatus(scorecard, key) !== 'off_track' || notes[key]?.commentary) continue;
    const owner = metricOwner(scorecard, key);
    warnings.push({
      metricKey: key,
      metricName: METRIC_NAMES[key],
      ownerName: owner?.name ?? null,
      message: owner
        ? `${METRIC_NAMES[key]} is off track and ${owner.name}, its owner, has written no commentary for ${periodLabel}.`
        : `${METRIC_NAMES[key]} is off track and has no commentary for ${periodLabel}.`,
    });
  }
  return warnings;
}
