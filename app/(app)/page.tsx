import { getDb } from '@/lib/db';
import { getOrganisation } from '@/lib/data/organisation';
import { getScorecard } from '@/lib/data/scorecard';
import { formatPeriodLabel } from '@/lib/format';
import { isPeriod, latestCompleteMonth, parsePeriod } from '@/lib/metrics/period';
import { MetricCards } from '@/app/ui/scorecard/metric-cards';

export default async function ScorecardPage({ searchParams }: { searchParams: Promise<{ period?: string }> }) {
  const requested = (await searchParams).period;
  const period = requested && isPeriod(requested) ? parsePeriod(requested) : latestCompleteMonth();
  const db = await getDb();
  const [organisation, scorecard] = await Promise.all([getOrganisation(db), getScorecard(db, period)]);

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <p className="muted" style={{ margin: 0 }}>
            {organisation.name}
          </p>
          <h1>CX Scorecard · {formatPeriodLabel(period.label)}</h1>
        </div>
        <p className="muted" style={{ margin: 0 }}>
          {scorecard.period.start} to {scorecard.period.end}
        </p>
      </header>
      <MetricCards scorecard={scorecard} currency={organisation.currency} />
    </main>
  );
}
