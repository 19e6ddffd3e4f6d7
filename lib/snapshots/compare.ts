import { METRIC_KEYS, type ActionStatus, type MetricKey } from '@/lib/db/schema';
import { subtractMoney, type Money } from '@/lib/metrics/money';
import type { MetricStatus } from '@/lib/metrics/types';
import {
  METRIC_NAMES,
  SCORECARD_FIELD,
  type SnapshotAction,
  type SnapshotCommentary,
  type SnapshotIssue,
  type SnapshotPayload,
} from './payload';

/**
 * "Since the last board meeting": what changed between two frozen snapshots, metric by metric.
 * Works on payloads only, so it says what the board was shown each time, not what is true now.
 */
export type MetricValue = number | Money | null;

export interface MetricSide {
  period: string;
  value: MetricValue;
  status: MetricStatus;
  target: number | Money;
  ownerName: string | null;
  ownerTitle: string | null;
}

export type CommentaryChange = 'new' | 'updated' | 'unchanged' | 'removed' | 'none';

export interface ActionStatusChange {
  title: string;
  from: ActionStatus;
  to: ActionStatus;
}

export interface MetricComparison {
  key: MetricKey;
  name: string;
  kind: 'ratio' | 'money';
  before: MetricSide;
  after: MetricSide;
  /** after − before: a ratio difference, or money as a decimal string; null when either is undefined. */
  delta: number | Money | null;
  valueChanged: boolean;
  statusChanged: boolean;
  targetChanged: boolean;
  ownerChanged: boolean;
  commentary: CommentaryChange;
  commentaryAfter: SnapshotCommentary | null;
  newActions: SnapshotAction[];
  actionStatusChanges: ActionStatusChange[];
  /** Open and overdue actions at each snapshot; null on a side frozen before snapshots counted them. */
  actionCounts: { before: ActionCounts | null; after: ActionCounts | null };
}

export interface ActionCounts {
  open: number;
  overdue: number;
}

export interface SnapshotComparison {
  samePeriod: boolean;
  /** The costliest recurring issues each time; null on a side frozen before snapshots carried them. */
  topIssues: { before: SnapshotIssue[] | null; after: SnapshotIssue[] | null };
  metrics: MetricComparison[];
  /** Metrics with any change at all. */
  changedCount: number;
}

function side(payload: SnapshotPayload, key: MetricKey): MetricSide {
  const metric = payload.scorecard[SCORECARD_FIELD[key]];
  return {
    period: payload.period.label,
    value: metric.value,
    status: metric.status,
    target: metric.target,
    ownerName: metric.owner?.name ?? null,
    ownerTitle: metric.owner?.title ?? null,
  };
}

function valueDelta(before: MetricValue, after: MetricValue): number | Money | null {
  if (before === null || after === null) return null;
  if (typeof before === 'string' && typeof after === 'string') return subtractMoney(after, before);
  return Number(after) - Number(before);
}

function commentaryChange(before: SnapshotCommentary | null, after: SnapshotCommentary | null): CommentaryChange {
  if (!after) return before ? 'removed' : 'none';
  if (!before) return 'new';
  return before.body.trim() === after.body.trim() ? 'unchanged' : 'updated';
}

const actionKey = (action: SnapshotAction) => action.title.trim().toLowerCase();

export function compareSnapshots(previous: SnapshotPayload, current: SnapshotPayload): SnapshotComparison {
  const metrics = METRIC_KEYS.map((key): MetricComparison => {
    const before = side(previous, key);
    const after = side(current, key);
    const beforeActions = new Map(previous.notes[key].actions.map((a) => [actionKey(a), a]));
    const newActions: SnapshotAction[] = [];
    const actionStatusChanges: ActionStatusChange[] = [];
    for (const action of current.notes[key].actions) {
      const earlier = beforeActions.get(actionKey(action));
      if (!earlier) newActions.push(action);
      else if (earlier.status !== action.status) actionStatusChanges.push({ title: action.title, from: earlier.status, to: action.status });
    }
    return {
      key,
      name: METRIC_NAMES[key],
      kind: key === 'spot_fix_cost' ? 'money' : 'ratio',
      before,
      after,
      delta: valueDelta(before.value, after.value),
      valueChanged: before.value !== after.value,
      statusChanged: before.status !== after.status,
      targetChanged: before.target !== after.target,
      ownerChanged: before.ownerName !== after.ownerName || before.ownerTitle !== after.ownerTitle,
      commentary: commentaryChange(previous.notes[key].commentary, current.notes[key].commentary),
      commentaryAfter: current.notes[key].commentary,
      newActions,
      actionStatusChanges,
      actionCounts: { before: previous.notes[key].actionCounts ?? null, after: current.notes[key].actionCounts ?? null },
    };
  });
  const changedCount = metrics.filter(
    (m) =>
      m.valueChanged ||
      m.statusChanged ||
      m.targetChanged ||
      m.ownerChanged ||
      m.commentary === 'new' ||
      m.commentary === 'updated' ||
      m.commentary === 'removed' ||
      m.newActions.length > 0 ||
      m.actionStatusChanges.length > 0,
  ).length;
  return {
    samePeriod: previous.period.label === current.period.label,
    topIssues: { before: previous.topIssues ?? null, after: current.topIssues ?? null },
    metrics,
    changedCount,
  };
}
