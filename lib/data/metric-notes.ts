import type { Queryable } from '@/lib/db';
import { allQueries } from '@/lib/db/concurrent';
import type { MetricKey } from '@/lib/db/schema';
import { can, type PermissionSubject } from '@/lib/auth/permissions';
import { todayIso, type Period } from '@/lib/metrics/period';
import {
  getCommentary,
  listCommentaryRevisions,
  listPeriodCommentary,
  metricOwnerId,
  type CommentaryDto,
  type CommentaryRevisionDto,
} from './commentary';
import {
  actionReferenceDay,
  listActionIssueOptions,
  listActionOwnerOptions,
  listActions,
  type PeriodActionDto,
} from './metric-actions';

/** Everything the drill-down's commentary and actions show for one metric and period, as plain props. */
export interface MetricNotesView {
  metricKey: MetricKey;
  periodLabel: string;
  /** The day actions are judged on: the period's last day, or today while it runs. */
  referenceDay: string;
  isPeriodOver: boolean;
  commentary: CommentaryDto | null;
  /** Earlier versions of the period's own commentary, newest first. */
  earlierVersions: CommentaryRevisionDto[];
  /** Commentary written for the months (and, in a year, quarters) within the period, newest first. */
  within: CommentaryDto[];
  actions: PeriodActionDto[];
  canWrite: boolean;
  /** For the add-an-action form; empty unless the reader may write. */
  ownerOptions: { id: number; name: string; title: string }[];
  issueOptions: { key: string; label: string }[];
  defaultOwnerId: number | null;
  /** What the form proposes as the day an action opened: the reference day. */
  defaultOpenedOn: string;
  today: string;
}

export async function getMetricNotes(
  db: Queryable,
  me: PermissionSubject | null,
  metricKey: MetricKey,
  period: Period,
  today: string = todayIso(),
): Promise<MetricNotesView> {
  const [commentary, revisions, all, actions, ownerId] = await allQueries(
    db,
    () => getCommentary(db, metricKey, period.label),
    () => listCommentaryRevisions(db, metricKey, period.label),
    () => listPeriodCommentary(db, period),
    () => listActions(db, metricKey, period, today),
    () => metricOwnerId(db, metricKey),
  );
  const canWrite = me !== null && can(me, 'write-commentary', { metricOwnerId: ownerId });
  const [ownerOptions, issueOptions] = canWrite
    ? await allQueries(db, () => listActionOwnerOptions(db), () => listActionIssueOptions(db, today))
    : [[], []];
  const defaultOwnerId = ownerOptions.some((o) => o.id === me?.id)
    ? me!.id
    : ownerOptions.some((o) => o.id === ownerId)
      ? ownerId
      : null;
  const referenceDay = actionReferenceDay(period, today);
  return {
    metricKey,
    periodLabel: period.label,
    referenceDay,
    isPeriodOver: period.end < today,
    commentary,
    earlierVersions: revisions.filter((r) => commentary && r.version < commentary.version),
    within: all[metricKey].within,
    actions,
    canWrite,
    ownerOptions,
    issueOptions,
    defaultOwnerId,
    defaultOpenedOn: referenceDay,
    today,
  };
}
