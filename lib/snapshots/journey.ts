import type { Queryable } from '@/lib/db';
import { getChurnAfterResponse, getValueAtRisk, listJourneyStages } from '@/lib/data/journey';
import type { ChurnAfterResponse, JourneyStage, ValueAtRisk } from '@/lib/metrics/journey';
import type { Period } from '@/lib/metrics/period';

/**
 * The journey figures a snapshot freezes (SPEC: "the snapshot carries the top stages"): the
 * costliest stages with their costliest issues and who answered for each then, the value at risk
 * and what a score foretold. Snapshots made before this existed have none.
 */
export interface SnapshotJourney {
  stages: Array<Omit<JourneyStage, 'topIssues'> & { topIssues: Array<{ issue: string; label: string; cost: string; owner: { name: string } | null }> }>;
  valueAtRisk: ValueAtRisk;
  churnAfterResponse: ChurnAfterResponse;
}

/** How many stages a snapshot keeps: the ones a board asks about. */
export const SNAPSHOT_TOP_STAGES = 5;

export async function buildSnapshotJourney(db: Queryable, period: Period): Promise<SnapshotJourney> {
  const stages = await listJourneyStages(db, period);
  const valueAtRisk = await getValueAtRisk(db, period);
  const churnAfterResponse = await getChurnAfterResponse(db, period);
  return {
    stages: stages.slice(0, SNAPSHOT_TOP_STAGES).map((stage) => ({
      ...stage,
      topIssues: stage.topIssues.map((issue) => ({
        issue: issue.issue,
        label: issue.label,
        cost: issue.cost,
        owner: issue.owner ? { name: issue.owner.name } : null,
      })),
    })),
    valueAtRisk,
    churnAfterResponse,
  };
}
