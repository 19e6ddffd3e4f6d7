import type { Metadata } from 'next';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { isMoneyMetric, listMetricSettings, type MetricSetting } from '@/lib/data/metric-settings';
import { getOrganisation } from '@/lib/data/organisation';
import { listEligibleOwners } from '@/lib/data/people';
import { formatDate, formatDateTime, formatMoney, formatPercent, formatPeriodLabel, powerCoreLabel } from '@/lib/format';
import { todayIso } from '@/lib/metrics/period';
import { BEGINNING, defaultEffectiveFrom } from '@/lib/metrics/targets';
import { decimalToMoney } from '@/lib/metrics/money';
import { ratioToPercent } from '@/lib/validation/admin';
import { AdminRefusal } from '@/app/ui/admin/admin-refusal';
import { DataSinceForm, MetricOwnerForm, MetricTargetsForm } from '@/app/ui/admin/metric-forms';
import styles from '@/app/ui/admin/admin.module.css';

export const metadata: Metadata = { title: 'Owners & targets' };

const GRANULARITIES = ['month', 'quarter', 'year'] as const;
type G = (typeof GRANULARITIES)[number];
const PER: Record<G, string> = { month: 'a month', quarter: 'a quarter', year: 'a year' };
const NOUN: Record<G, string> = { month: 'Month', quarter: 'Quarter', year: 'Year' };

/** Stored money ("40000.0000") as a form value ("40000" or "40000.50"). */
const moneyForForm = (value: string) => decimalToMoney(value).replace(/\.00$/, '');

function describe(setting: MetricSetting, currency: string, today: string) {
  const money = isMoneyMetric(setting.key);
  const show = (v: string, g: G) => (money ? `${formatMoney(decimalToMoney(v), currency)} ${PER[g]}` : formatPercent(Number(v)));
  const forForm = (v: string) => (money ? moneyForForm(v) : ratioToPercent(Number(v).toFixed(4)));
  const higher = setting.direction === 'higher_is_better';
  const pick = (field: 'target' | 'atRiskThreshold') =>
    Object.fromEntries(GRANULARITIES.map((g) => [g, forForm(setting.current[g][field])])) as Record<G, string>;
  return {
    unit: Object.fromEntries(GRANULARITIES.map((g) => [g, money ? `${currency} ${PER[g]}` : '%'])) as Record<G, string>,
    defaults: {
      granularity: 'month' as const,
      target: pick('target'),
      atRiskThreshold: pick('atRiskThreshold'),
      effectiveFrom: Object.fromEntries(GRANULARITIES.map((g) => [g, defaultEffectiveFrom(g, today)])) as Record<G, string>,
    },
    rows: GRANULARITIES.map((g) => ({
      granularity: g,
      target: show(setting.current[g].target, g),
      threshold: show(setting.current[g].atRiskThreshold, g),
      source: setting.current[g].isDerived
        ? 'derived from the month’s'
        : setting.current[g].effectiveFrom <= BEGINNING
          ? 'set, from the start'
          : `set, from ${formatDate(setting.current[g].effectiveFrom)}`,
    })),
    history: setting.history.map((h) => ({
      id: h.id,
      what: `${NOUN[h.granularity]}: ${
        h.target === null || h.atRiskThreshold === null
          ? 'derived from the month’s again'
          : `${show(h.target, h.granularity)}, at risk ${higher ? 'down' : 'up'} to ${show(h.atRiskThreshold, h.granularity)}`
      }`,
      from: h.effectiveFrom <= BEGINNING ? 'from the start' : `from ${formatDate(h.effectiveFrom)}`,
      by: h.setBy ? `${h.setBy}, ${formatDateTime(h.createdAt)}` : 'set up with the database',
    })),
    hint: money
      ? `Lower is better: the threshold must be above the target. Money for the whole period; a quarter or year without its own target is the month’s × 3 or × 12.`
      : setting.key === 'retention'
        ? `Higher is better: the threshold must be below the target. A quarter or year without its own target compounds the month’s (r³, r¹²).`
        : `Higher is better: the threshold must be below the target. A quarter or year without its own target uses the month’s.`,
    dataSinceHint: setting.dataSinceSet
      ? `Set by an admin. Clear it to follow the earliest record. Periods that start before it show no data.`
      : setting.dataSince
        ? `Following the data: ${formatPeriodLabel(setting.dataSince.slice(0, 7))}, the month of the earliest record. Periods that start before it show no data.`
        : 'No records yet. Periods that start before this date show no data.',
  };
}

export default async function MetricSettingsPage() {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return <AdminRefusal />;
  const db = await getDb();
  const today = todayIso();
  const [settings, owners, organisation] = await Promise.all([listMetricSettings(db, me), listEligibleOwners(db, me), getOrganisation(db)]);
  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>Owners &amp; targets</h1>
          <p className={`muted ${styles.lede}`}>
            Each metric has exactly one accountable owner, always an active admin or executive, and a target with an
            at-risk threshold for months, quarters and years that decide its status. A change takes effect from a date: each period is judged by the targets in force on its last day.
          </p>
        </div>
      </header>
      <div className={styles.stack}>
        {settings.map((setting) => {
          const text = describe(setting, organisation.currency, today);
          return (
            <section key={setting.key} className={`card ${styles.metricCard}`} aria-labelledby={`metric-${setting.key}`} data-testid={`metric-settings-${setting.key}`}>
              <div className={styles.metricHead}>
                <h2 id={`metric-${setting.key}`}>{setting.name}</h2>
                <span className="muted" style={{ fontSize: '0.85rem' }}>
                  Last changed {formatDateTime(setting.updatedAt)}
                </span>
              </div>
              <div className={styles.stack} style={{ gap: 12 }}>
                <p style={{ margin: 0 }} data-testid={`owner-${setting.key}`}>
                  {setting.owner ? (
                    <>
                      <strong>{setting.owner.name}</strong>
                      <span className="subline">
                        {setting.owner.title} · {powerCoreLabel(setting.owner.powerCore)} core
                      </span>
                    </>
                  ) : (
                    <strong>No owner yet</strong>
                  )}
                </p>
                <MetricOwnerForm metric={setting.key} metricName={setting.name} ownerId={setting.owner?.id ?? null} owners={owners} />
              </div>
              <div className={styles.stack} style={{ gap: 12 }}>
                <div className="table-wrap">
                <table className={`data-table ${styles.targetsNow}`} data-testid={`targets-now-${setting.key}`}>
                  <caption className="visually-hidden">Targets in force now for {setting.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Period</th>
                      <th scope="col">Target</th>
                      <th scope="col">At risk to</th>
                      <th scope="col">Source</th>
                    </tr>
                  </thead>
                  <tbody>
                    {text.rows.map((row) => (
                      <tr key={row.granularity}>
                        <th scope="row">{NOUN[row.granularity]}</th>
                        <td>{row.target}</td>
                        <td>{row.threshold}</td>
                        <td className="muted">{row.source}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                </div>
                <MetricTargetsForm
                  metric={setting.key}
                  metricName={setting.name}
                  defaults={text.defaults}
                  unit={text.unit}
                  directionHint={text.hint}
                />
                <details className={styles.history} data-testid={`target-history-${setting.key}`}>
                  <summary>History of targets ({text.history.length})</summary>
                  <ul>
                    {text.history.map((h) => (
                      <li key={h.id}>
                        {h.what} <span className="muted">— {h.from}; {h.by}</span>
                      </li>
                    ))}
                  </ul>
                </details>
                <DataSinceForm
                  metric={setting.key}
                  metricName={setting.name}
                  value={setting.dataSinceSet ?? ''}
                  hint={text.dataSinceHint}
                />
              </div>
            </section>
          );
        })}
      </div>
    </main>
  );
}
