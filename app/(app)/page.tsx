import type { Metadata } from 'next';
import { requireExecutive } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getValueAtRisk } from '@/lib/data/journey';
import { valueAtRiskView } from '@/lib/data/journey-view';
import { countActionsByMetric } from '@/lib/data/metric-actions';
import { cachedView, readDataFingerprint } from '@/lib/data/view-cache';
import { choosePeriod, periodPickerView } from '@/lib/metrics/period-picker';
import { getScorecardView } from '@/lib/data/scorecard-view';
import { ValueAtRiskLine } from '@/app/ui/journey/value-at-risk-line';
import { CustomerMath } from '@/app/ui/scorecard/customer-math';
import { MetricCard } from '@/app/ui/scorecard/metric-card';
import { PageHeading } from '@/app/ui/scorecard/page-heading';

export const metadata: Metadata = { title: 'Scorecard' };

export default async function ScorecardPage({ searchParams }: { searchParams: Promise<{ period?: string | string[] }> }) {
  await requireExecutive();
  const { period, notice } = choosePeriod((await searchParams).period);
  const db = await getDb();
  const fingerprint = await readDataFingerprint(db, period.label);
  // Action counts depend on today (overdue) and change outside the data version: loaded beside the cached view.
  const [view, actionCounts, atRisk] = await Promise.all([
    getScorecardView(db, period, fingerprint),
    countActionsByMetric(db, period),
    cachedView(`value-at-risk:${period.label}`, fingerprint.key, () => getValueAtRisk(db, period)),
  ]);
  const picker = periodPickerView(period);

  return (
    <main className="page">
      <PageHeading
        eyebrow={view.organisation.name}
        title={`CX Scorecard · ${view.periodName}`}
        dateRange={view.dateRange}
        isComplete={picker.isComplete}
        progressText={view.progressText}
        notice={notice}
        picker={picker}
        basePath="/"
      />
      <div className="cards">
        {view.cards.map((card) => (
          <MetricCard
            key={card.key}
            card={card}
            periodLabel={view.period.label}
            actions={actionCounts[card.key]}
            footnote={
              card.key === 'recommendation' ? (
                <ValueAtRiskLine view={valueAtRiskView(atRisk, view.organisation.currency)} periodLabel={view.period.label} />
              ) : undefined
            }
          />
        ))}
      </div>
      <CustomerMath math={view.customerMath} periodName={view.periodName} />
    </main>
  );
}
