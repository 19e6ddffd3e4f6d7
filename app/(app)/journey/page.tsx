import type { Metadata } from 'next';
import { requireExecutive } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getCachedJourneyView } from '@/lib/data/journey-view';
import { choosePeriod, periodPickerView } from '@/lib/metrics/period-picker';
import { formatDate, formatDateRange, formatPeriodLabel } from '@/lib/format';
import { JourneyColumns } from '@/app/ui/journey/journey-columns';
import { JourneySummary } from '@/app/ui/journey/journey-summary';
import { PageHeading } from '@/app/ui/scorecard/page-heading';

export const metadata: Metadata = { title: 'Where the ball drops' };

export default async function JourneyPage({ searchParams }: { searchParams: Promise<{ period?: string | string[] }> }) {
  await requireExecutive();
  const { period, notice } = choosePeriod((await searchParams).period);
  const view = await getCachedJourneyView(await getDb(), period);
  const picker = periodPickerView(period);
  const name = formatPeriodLabel(period.label);

  return (
    <main className="page">
      <PageHeading
        eyebrow={view.organisationName}
        title={`Where the ball drops · ${name}`}
        dateRange={formatDateRange(period)}
        isComplete={picker.isComplete}
        notice={notice}
        picker={picker}
        basePath="/journey"
      />
      <JourneySummary valueAtRisk={view.valueAtRisk} foretells={view.foretells} asOf={formatDate(period.end)} />
      <JourneyColumns view={view} periodName={name} />
    </main>
  );
}
