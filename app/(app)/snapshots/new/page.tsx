import type { Metadata } from 'next';
import Link from 'next/link';
import { StatusBadge } from '@/app/ui/scorecard/status-badge';
import { CreateSnapshotForm } from '@/app/ui/snapshot/create-snapshot-form';
import styles from '@/app/ui/snapshot/manage.module.css';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getScorecard } from '@/lib/data/scorecard';
import { listMissingCommentaryWarnings } from '@/lib/data/snapshots';
import { formatHeadlineMoney, formatPercent, formatPeriodLabel } from '@/lib/format';
import { getOrganisation } from '@/lib/data/organisation';
import { latestCompleteMonth, parsePeriod, periodContaining, shiftPeriod, todayIso, type Period } from '@/lib/metrics/period';
import { MIN_PASSCODE_LENGTH } from '@/lib/snapshots/passcode';
import { snapshotPeriodSchema, SNAPSHOT_DEFAULT_EXPIRY_DAYS, SNAPSHOT_EXPIRY_CHOICES } from '@/lib/validation/snapshots';

export const metadata: Metadata = { title: 'Freeze a period' };

function periodChoices(selected: Period): Array<{ group: string; periods: Period[] }> {
  const today = todayIso();
  const back = (from: Period, count: number) => Array.from({ length: count }, (_, i) => shiftPeriod(from, -i));
  const groups = [
    { group: 'Months', periods: back(periodContaining(today, 'month'), 25) },
    { group: 'Quarters', periods: back(periodContaining(today, 'quarter'), 9) },
    { group: 'Years', periods: back(periodContaining(today, 'year'), 4) },
  ];
  if (!groups.some((g) => g.periods.some((p) => p.label === selected.label))) {
    groups.find((g) => g.group.toLowerCase().startsWith(selected.granularity))!.periods.push(selected);
  }
  return groups;
}

export default async function NewSnapshotPage({ searchParams }: { searchParams: Promise<{ period?: string }> }) {
  const me = await requireExecutive();
  const requested = (await searchParams).period;
  const checked = requested === undefined ? null : snapshotPeriodSchema.safeParse(requested);
  const period = checked?.success ? parsePeriod(checked.data) : latestCompleteMonth();
  const periodName = formatPeriodLabel(period.label);
  const db = await getDb();
  const [organisation, scorecard, warnings] = await Promise.all([
    getOrganisation(db),
    getScorecard(db, period),
    listMissingCommentaryWarnings(db, period.label),
  ]);
  const metrics = [
    { key: 'retention', name: 'Customer retention', value: formatPercent(scorecard.retention.value), metric: scorecard.retention },
    { key: 'recommendation', name: 'Recommendation rate', value: formatPercent(scorecard.recommendation.value), metric: scorecard.recommendation },
    {
      key: 'spot_fix_cost',
      name: 'Cost of spot fixes',
      value: formatHeadlineMoney(scorecard.spotFixCost.value, organisation.currency),
      metric: scorecard.spotFixCost,
    },
  ];

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <p className="muted" style={{ margin: 0 }}>
            <Link href="/snapshots">Board snapshots</Link>
          </p>
          <h1>Freeze {periodName}</h1>
        </div>
      </header>
      {checked && !checked.success && (
        <p className="form-error" role="alert">
          {checked.error.issues[0]?.message}. Showing {periodName} instead.
        </p>
      )}
      <div className={styles.layout}>
        <section className={styles.panel} aria-labelledby="freeze-heading">
          <h2 id="freeze-heading">The snapshot</h2>
          <p className="muted" style={{ marginTop: 0 }}>
            A snapshot keeps a copy of the scorecard for {periodName} exactly as it is now — values, trends, targets,
            owners, commentary and actions — and a link that opens it without signing in. Later changes never alter it.
          </p>
          {can(me, 'create-snapshot') ? (
            <CreateSnapshotForm
              period={period.label}
              periodName={periodName}
              defaultTitle={`Board meeting · ${periodName}`}
              expiryChoices={SNAPSHOT_EXPIRY_CHOICES}
              defaultExpiryDays={SNAPSHOT_DEFAULT_EXPIRY_DAYS}
              minPasscodeLength={MIN_PASSCODE_LENGTH}
            />
          ) : (
            <p role="note">Viewers can open snapshots but not make them. Ask an executive or an admin.</p>
          )}
        </section>
        <div>
          <section className={styles.panel} aria-labelledby="period-heading">
            <h2 id="period-heading">Period</h2>
            <form method="get" className={styles.periodForm}>
              <label className="field">
                <span>Freeze</span>
                <select name="period" defaultValue={period.label}>
                  {periodChoices(period).map((g) => (
                    <optgroup key={g.group} label={g.group}>
                      {g.periods.map((p) => (
                        <option key={p.label} value={p.label}>
                          {formatPeriodLabel(p.label)}
                          {p.end >= todayIso() ? ' (so far)' : ''}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </label>
              <button type="submit" className="button">
                Show
              </button>
            </form>
          </section>
          <section className={styles.panel} aria-labelledby="now-heading">
            <h2 id="now-heading">What will be frozen</h2>
            {warnings.length > 0 && (
              <div className={styles.warnings} role="alert" data-testid="commentary-warnings">
                <p className={styles.warningTitle}>Before you freeze</p>
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {warnings.map((w) => (
                    <li key={w.metricKey}>{w.message}</li>
                  ))}
                </ul>
              </div>
            )}
            <ul className={styles.preview}>
              {metrics.map((m) => (
                <li key={m.key}>
                  <span>
                    <strong>{m.name}</strong>
                    <br />
                    <span className="muted">{m.metric.owner?.name ?? 'No owner'}</span>
                  </span>
                  <span className={styles.previewValue}>{m.value}</span>
                  <StatusBadge status={m.metric.status} />
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
    </main>
  );
}
