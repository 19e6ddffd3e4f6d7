import type { Metadata } from 'next';
import { requireExecutive } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getAccountabilityMap, getMyAccountability } from '@/lib/data/accountability';
import { choosePeriod, periodPickerView } from '@/lib/metrics/period-picker';
import { getScorecardView } from '@/lib/data/scorecard-view';
import { readDataFingerprint } from '@/lib/data/view-cache';
import { MyNumbers, PowerCoreMap } from '@/app/ui/scorecard/accountability';
import { PageHeading } from '@/app/ui/scorecard/page-heading';

export const metadata: Metadata = { title: 'Accountability' };

export default async function AccountabilityPage({
  searchParams,
}: {
  searchParams: Promise<{ period?: string | string[] }>;
}) {
  const me = await requireExecutive();
  const { period, notice } = choosePeriod((await searchParams).period);
  const db = await getDb();
  const fingerprint = await readDataFingerprint(db, period.label);
  const view = await getScorecardView(db, period, fingerprint);
  const [mine, map] = await Promise.all([
    getMyAccountability(db, me.id, period, fingerprint),
    getAccountabilityMap(db, period, fingerprint),
  ]);
  const picker = periodPickerView(period);
  return (
    <main className="page">
      <PageHeading
        eyebrow={view.organisation.name}
        title={`Accountability · ${view.periodName}`}
        dateRange={view.dateRange}
        isComplete={picker.isComplete}
        progressText={view.progressText}
        notice={notice}
        picker={picker}
        basePath="/accountability"
      />
      <MyNumbers
        mine={mine}
        cards={view.cards}
        periodLabel={period.label}
        periodName={view.periodName}
        currency={view.organisation.currency}
      />
      <PowerCoreMap
        map={map}
        cards={view.cards}
        periodLabel={period.label}
        currency={view.organisation.currency}
        meId={me.id}
      />
    </main>
  );
}
