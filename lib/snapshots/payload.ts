import type { Queryable } from '@/lib/db';
import { METRIC_KEYS, type ActionStatus, type MetricKey } from '@/lib/db/schema';
import { listCommentaryForPeriod } from '@/lib/data/commentary';
import { listActions } from '@/lib/data/metric-actions';
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
export const SNAPSHOT_PAYLOAD_VERSION = 1;

export interface SnapshotCommentary {
  body: string;
  author: { name: string; title: string };
  version: number;
  updatedAt: string;
}

export interface SnapshotAction {
  title: string;
  owner: { name: string };
  dueOn: string | null;
  status: ActionStatus;
}

export interface SnapshotMetricNotes {
  commentary: SnapshotCommentary | null;
  actions: SnapshotAction[];
}

export interface SnapshotPayload {
  version: typeof SNAPSHOT_PAYLOAD_VERSION;
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
  const scorecard = await getScorecard(db, period);
  const trend = await getMetricSeries(db, periodsEndingWith(period, TREND_LENGTH[period.granularity]));
  const commentary = await listCommentaryForPeriod(db, period.label);
  const notes = {} as Record<MetricKey, SnapshotMetricNotes>;
  for (const key of METRIC_KEYS) {
    const entry = commentary[key];
    const actions = await listActions(db, key, period, todayIso(input.now));
    notes[key] = {
      commentary: entry
        ? {
            body: entry.body,
            author: { name: entry.author.name, title: entry.author.title },
            version: entry.version,
            updatedAt: new Date(entry.updatedAt).toISOString(),
          }
        : null,
      actions: actions.map((a) => ({ title: a.title, owner: { name: a.owner.name }, dueOn: a.dueOn, status: a.status })),
    };
  }
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
