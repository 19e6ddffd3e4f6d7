import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireExecutive } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getDrilldown, isMetricSlug } from '@/lib/data/drilldowns';
import { getMetricNotes } from '@/lib/data/metric-notes';
import { choosePeriod, periodPickerView } from '@/lib/metrics/period-picker';
import { getScorecardView, METRIC_TITLES } from '@/lib/data/scorecard-view';
import { readDataFingerprint } from '@/lib/data/view-cache';
import { issueListQuerySchema } from '@/lib/validation/issues';
import { CommentaryPanel } from '@/app/ui/commentary/commentary-panel';
import { MetricSummary } from '@/app/ui/scorecard/drilldown/metric-summary';
import { RecommendationDetails } from '@/app/ui/scorecard/drilldown/recommendation-details';
import { RetentionDetails } from '@/app/ui/scorecard/drilldown/retention-details';
import { SpotFixDetails } from '@/app/ui/scorecard/drilldown/spot-fix-details';
import { PageHeading } from '@/app/ui/scorecard/page-heading';
import { issueListHref } from '@/app/ui/issues/issue-list-href';

interface Props {
  params: Promise<{ key: string }>;
  searchParams: Promise<{ period?: string | string[] }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { key } = await params;
  return { title: isMetricSlug(key) ? METRIC_TITLES[key] : 'Not found' };
}

export default async function MetricPage({ params, searchParams }: Props) {
  const me = await requireExecutive();
  const { key } = await params;
  if (!isMetricSlug(key)) notFound();
  const { period, notice } = choosePeriod((await searchParams).period);
  const db = await getDb();
  const fingerprint = await readDataFingerprint(db, period.label);
  const view = await getScorecardView(db, period, fingerprint);
  const card = view.cards.find((c) => c.key === key)!;
  const picker = periodPickerView(period);
  const notes = await getMetricNotes(db, me, key, period);

  const periodName = view.periodName;
  let details: React.ReactNode;
  if (key === 'retention') {
    details = <RetentionDetails drill={await getDrilldown(db, key, period, fingerprint)} periodName={periodName} />;
  } else if (key === 'recommendation') {
    const drill = await getDrilldown(db, key, period, fingerprint);
    details = <RecommendationDetails drill={drill} periodName={periodName} />;
  } else {
    const allIssuesHref = issueListHref(issueListQuerySchema.parse({ period: period.label, sort: 'total-cost' }));
    details = <SpotFixDetails drill={await getDrilldown(db, key, period, fingerprint)} periodName={periodName} allIssuesHref={allIssuesHref} />;
  }

  return (
    <main className="page">
      <PageHeading
        eyebrow={
          <Link href={`/?period=${encodeURIComponent(period.label)}`} prefetch={false}>
            ← Scorecard
          </Link>
        }
        title={`${card.title} · ${view.periodName}`}
        dateRange={view.dateRange}
        isComplete={picker.isComplete}
        progressText={view.progressText}
        notice={notice}
        picker={picker}
        basePath={`/metrics/${key}`}
      />
      <MetricSummary card={card} />
      {details}
      <div style={{ marginTop: 20 }}>
        <CommentaryPanel notes={notes} />
      </div>
    </main>
  );
}
