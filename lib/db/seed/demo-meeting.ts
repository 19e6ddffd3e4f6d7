import type { Queryable } from '@/lib/db';
import { boardMeetings } from '@/lib/db/schema';
import { getReadiness } from '@/lib/data/board-meetings';
import { latestCompleteMonth, periodContaining, previousPeriod, shiftPeriod, todayIso } from '@/lib/metrics/period';

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEMO_BOARD_RECIPIENTS = [
  { name: 'Helen Marsh', email: 'helen.marsh@board.example' },
  { name: 'Olu Adeyemi', email: 'olu.adeyemi@board.example' },
];

/**
 * The demo's next board meeting, three days away with the default five-day lead, so its
 * reminders are due now: a newcomer who sets SMTP_URL and runs `deliver` sees real ones. It
 * reviews the first recent period with a metric that needs explaining and has no commentary.
 * Part of the demo load, so the load's single audit entry covers it.
 */
export async function seedDemoBoardMeeting(tx: Queryable, createdById: number, now: Date): Promise<number> {
  const month = latestCompleteMonth(now);
  const candidates = [shiftPeriod(periodContaining(todayIso(now), 'quarter'), -1), previousPeriod(month), month];
  let period = month.label;
  for (const candidate of candidates) {
    const readiness = await getReadiness(tx, candidate.label, now);
    if (readiness.metrics.some((m) => m.needsExplaining && !m.hasCommentary)) {
      period = candidate.label;
      break;
    }
  }
  const day = new Date(now.getTime() + 3 * DAY_MS).toISOString().slice(0, 10);
  const [row] = await tx
    .insert(boardMeetings)
    .values({
      title: 'Board meeting',
      period,
      startsAt: new Date(`${day}T09:00:00Z`),
      snapshotSendAt: new Date(`${day}T07:00:00Z`),
      reminderLeadDays: 5,
      snapshotExpiresInDays: 30,
      recipients: DEMO_BOARD_RECIPIENTS,
      createdById,
    })
    .returning();
  return row.id;
}
