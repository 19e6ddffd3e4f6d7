import type { RetentionDrilldown } from '@/lib/data/drilldowns';
import { formatCount, formatMoney, formatPercent, formatSignedCount, formatSignedMoney, formatShortPeriodLabel } from '@/lib/format';
import { subtractMoney } from '@/lib/metrics/money';
import { BarList } from '@/app/ui/charts/bar-list';
import { ChartFigure } from '@/app/ui/charts/chart-figure';
import { chartMoney } from './format-helpers';
import styles from './drilldown.module.css';

export function RetentionDetails({ drill, periodName }: { drill: RetentionDrilldown; periodName: string }) {
  const currency = drill.organisation.currency;
  const { retention } = drill.scorecard;
  const points = drill.series.map((p) => ({ ...p.retention, name: formatShortPeriodLabel(p.period.label), label: p.period.label }));
  const totalLost = drill.reasons.reduce((sum, r) => sum + r.count, 0);

  return (
    <div className={styles.sections}>
      <section className={`card ${styles.section}`} aria-labelledby="retention-trend">
        <h2 id="retention-trend">Retention over time</h2>
        <ChartFigure
          title="Share of the customers at each period's start still with us at its end"
          chart={{
            title: 'Customer retention by period, against the target',
            data: points.map((p) => ({ name: p.name, rate: p.value })),
            series: [{ key: 'rate', label: 'Retention', color: 'var(--chart-1)' }],
            format: 'percent',
            target: { value: retention.target, label: `Target ${formatPercent(retention.target)}` },
          }}
          table={{
            columns: ['Period', 'Retention', 'At start', 'Retained'],
            rows: points.map((p) => ({
              key: p.label,
              cells: [p.name, formatPercent(p.value), formatCount(p.start), formatCount(p.retained)],
            })),
          }}
        />
      </section>

      <section className={`card ${styles.section}`} aria-labelledby="retention-segments">
        <h2 id="retention-segments">By segment · {periodName}</h2>
        {drill.bySegment.length === 0 ? (
          <p className="muted">No customers in {periodName}.</p>
        ) : (
          <div className={styles.tableWrap}>
            <table className={styles.table} data-testid="retention-by-segment">
              <thead>
                <tr>
                  <th scope="col" className={styles.left}>
                    Segment
                  </th>
                  <th scope="col">Retention</th>
                  <th scope="col">At start</th>
                  <th scope="col">Gained</th>
                  <th scope="col">Lost</th>
                  <th scope="col">Value lost / mo</th>
                </tr>
              </thead>
              <tbody>
                {drill.bySegment.map((s) => (
                  <tr key={s.segment}>
                    <th scope="row">{s.segment}</th>
                    <td>{formatPercent(s.rate)}</td>
                    <td>{formatCount(s.start)}</td>
                    <td>{formatCount(s.gained)}</td>
                    <td>{formatCount(s.lost)}</td>
                    <td>{formatMoney(s.valueLost, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className={`card ${styles.section} ${styles.wide}`} aria-labelledby="retention-flows">
        <h2 id="retention-flows">Gained and lost, period by period</h2>
        <div className={styles.pair}>
          <ChartFigure
            title="Customers in and out the door"
            chart={{
              title: 'Customers gained and lost by period',
              data: points.map((p) => ({ name: p.name, gained: p.gained, lost: p.lost })),
              series: [
                { key: 'gained', label: 'Gained', color: 'var(--chart-2)', type: 'bar' },
                { key: 'lost', label: 'Lost', color: 'var(--chart-3)', type: 'bar' },
              ],
              format: 'count',
              height: 220,
            }}
            table={{
              columns: ['Period', 'Gained', 'Value gained / mo', 'Lost', 'Value lost / mo', 'Net / mo'],
              rows: points.map((p) => ({
                key: p.label,
                cells: [
                  p.name,
                  formatCount(p.gained),
                  formatMoney(p.valueGained, currency),
                  formatCount(p.lost),
                  formatMoney(p.valueLost, currency),
                  formatSignedMoney(subtractMoney(p.valueGained, p.valueLost), currency),
                ],
              })),
            }}
          />
          <ChartFigure
            title="Monthly value in and out the door"
            chart={{
              title: 'Monthly value gained and lost by period',
              data: points.map((p) => ({ name: p.name, gained: chartMoney(p.valueGained), lost: chartMoney(p.valueLost) })),
              series: [
                { key: 'gained', label: 'Value gained', color: 'var(--chart-2)', type: 'bar' },
                { key: 'lost', label: 'Value lost', color: 'var(--chart-3)', type: 'bar' },
              ],
              format: 'money',
              currency,
              height: 220,
            }}
            table={{
              columns: ['Period', 'Net customers', 'Net value / mo'],
              rows: points.map((p) => ({
                key: p.label,
                cells: [
                  p.name,
                  formatSignedCount(p.gained - p.lost),
                  formatSignedMoney(subtractMoney(p.valueGained, p.valueLost), currency),
                ],
              })),
            }}
          />
        </div>
      </section>

      <section className={`card ${styles.section} ${styles.wide}`} aria-labelledby="retention-reasons">
        <h2 id="retention-reasons">Why customers left · {periodName}</h2>
        {drill.reasons.length === 0 ? (
          <p className="muted">No customers left in {periodName}.</p>
        ) : (
          <BarList
            testId="reasons-for-leaving"
            items={drill.reasons.map((r) => ({
              key: r.reason,
              label: r.reason,
              share: totalLost ? r.count / totalLost : 0,
              figures: `${formatCount(r.count)} (${formatPercent(totalLost ? r.count / totalLost : null, 0)}) · ${formatMoney(r.valueLost, currency)}/mo`,
            }))}
          />
        )}
      </section>
    </div>
  );
}
