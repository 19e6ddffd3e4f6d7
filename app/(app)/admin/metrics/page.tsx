import type { Metadata } from 'next';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { isMoneyMetric, listMetricSettings, type MetricSetting } from '@/lib/data/metric-settings';
import { getOrganisation } from '@/lib/data/organisation';
import { listEligibleOwners } from '@/lib/data/people';
import { formatMoney, formatPercent, powerCoreLabel } from '@/lib/format';
import { decimalToMoney } from '@/lib/metrics/money';
import { ratioToPercent } from '@/lib/validation/admin';
import { AdminRefusal } from '@/app/ui/admin/admin-refusal';
import { formatDateTimeUtc } from '@/app/ui/admin/labels';
import { MetricOwnerForm, MetricTargetsForm } from '@/app/ui/admin/metric-forms';
import styles from '@/app/ui/admin/admin.module.css';

export const metadata: Metadata = { title: 'Owners & targets' };

/** Stored money per month ("40000.0000") as a form value ("40000" or "40000.50"). */
function moneyForForm(value: string): string {
  return decimalToMoney(value).replace(/\.00$/, '');
}

function describe(setting: MetricSetting, currency: string) {
  const money = isMoneyMetric(setting.key);
  const show = (v: string) => (money ? `${formatMoney(decimalToMoney(v), currency)} a month` : formatPercent(Number(v)));
  const higher = setting.direction === 'higher_is_better';
  return {
    unit: money ? `${currency} / month` : '%',
    target: money ? moneyForForm(setting.target) : ratioToPercent(setting.target),
    threshold: money ? moneyForForm(setting.atRiskThreshold) : ratioToPercent(setting.atRiskThreshold),
    summary: `${higher ? 'Higher' : 'Lower'} is better. On track at ${higher ? 'or above' : 'or below'} ${show(setting.target)}; at risk down to ${show(setting.atRiskThreshold)}; off track beyond.`.replace(
      'at risk down to',
      higher ? 'at risk down to' : 'at risk up to',
    ),
    hint: money
      ? `Lower is better: the threshold must be above the target. Money per month; quarters and years scale it.`
      : `Higher is better: the threshold must be below the target. Percentages, up to 2 decimal places.`,
  };
}

export default async function MetricSettingsPage() {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return <AdminRefusal />;
  const db = await getDb();
  const [settings, owners, organisation] = await Promise.all([listMetricSettings(db, me), listEligibleOwners(db, me), getOrganisation(db)]);
  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>Owners &amp; targets</h1>
          <p className={`muted ${styles.lede}`}>
            Each metric has exactly one accountable owner, always an active admin or executive, and a target with an
            at-risk threshold that decide its status on the scorecard.
          </p>
        </div>
      </header>
      <div className={styles.stack}>
        {settings.map((setting) => {
          const text = describe(setting, organisation.currency);
          return (
            <section key={setting.key} className={`card ${styles.metricCard}`} aria-labelledby={`metric-${setting.key}`} data-testid={`metric-settings-${setting.key}`}>
              <div className={styles.metricHead}>
                <h2 id={`metric-${setting.key}`}>{setting.name}</h2>
                <span className="muted" style={{ fontSize: '0.85rem' }}>
                  Last changed {formatDateTimeUtc(setting.updatedAt)}
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
                <p style={{ margin: 0 }} className="muted">
                  {text.summary}
                </p>
                <MetricTargetsForm
                  metric={setting.key}
                  metricName={setting.name}
                  target={text.target}
                  atRiskThreshold={text.threshold}
                  unit={text.unit}
                  directionHint={text.hint}
                />
              </div>
            </section>
          );
        })}
      </div>
    </main>
  );
}
