import type { Metadata } from 'next';
import Link from 'next/link';
import { requireExecutive } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getOrganisation } from '@/lib/data/organisation';
import { listStageIssues, listStageSpotFixes } from '@/lib/data/journey-stage';
import { NO_STAGE, stageFromSegment, stageHref, stagePath } from '@/lib/data/journey-view';
import { choosePeriod, periodPickerView } from '@/lib/metrics/period-picker';
import { formatDateRange, formatGroupLabel, formatPeriodLabel } from '@/lib/format';
import { PageHeading } from '@/app/ui/scorecard/page-heading';
import { StageFixes, StageIssues } from '@/app/ui/journey/stage-tables';

export const metadata: Metadata = { title: 'Journey stage' };

type Search = { period?: string | string[]; after?: string | string[] };

/** One journey stage of a period: its recurring issues with their owners, and its spot fixes, a page at a time. */
export default async function JourneyStagePage({
  params,
  searchParams,
}: {
  params: Promise<{ stage: string }>;
  searchParams: Promise<Search>;
}) {
  await requireExecutive();
  const stage = stageFromSegment(decodeURIComponent((await params).stage));
  const query = await searchParams;
  const { period, notice } = choosePeriod(query.period);
  const after = Array.isArray(query.after) ? query.after[0] : query.after;
  const db = await getDb();
  const organisation = await getOrganisation(db);
  const issues = await listStageIssues(db, period, stage);
  const fixes = await listStageSpotFixes(db, period, stage, after);
  const picker = periodPickerView(period);
  const name = formatGroupLabel(stage, NO_STAGE);
  const here = stageHref(period.label, stage);

  return (
    <main className="page">
      <PageHeading
        eyebrow={
          <Link href={`/journey?period=${encodeURIComponent(period.label)}`} prefetch={false}>
            ← Where the ball drops
          </Link>
        }
        title={`${name} · ${formatPeriodLabel(period.label)}`}
        dateRange={formatDateRange(period)}
        isComplete={picker.isComplete}
        notice={notice}
        picker={picker}
        basePath={stagePath(stage)}
      />
      <StageIssues issues={issues} currency={organisation.currency} stageName={name} />
      <StageFixes
        page={fixes}
        currency={organisation.currency}
        stageName={name}
        isFirstPage={!after}
        firstHref={here}
        nextHref={fixes.next ? `${here}&after=${encodeURIComponent(fixes.next)}` : null}
      />
    </main>
  );
}
