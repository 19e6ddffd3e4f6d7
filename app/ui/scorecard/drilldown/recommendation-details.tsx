import type { RecommendationDrilldown } from '@/lib/data/drilldowns';
import { ADJUSTED_WALD_MEANING, formatCount, formatMargin, formatPercent, formatScore, formatShortPeriodLabel } from '@/lib/format';
import { classifyScore } from '@/lib/metrics/recommendation';
import { ChartFigure } from '@/app/ui/charts/chart-figure';
import { shareWidth } from './format-helpers';
import styles from './drilldown.module.css';

const CLASS_COLOR = { promoter: 'var(--chart-2)', passive: 'var(--chart-neutral)', detractor: 'var(--chart-3)' } as const;
const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const margin = (moe: number | null) => (moe === null ? '' : ` ${formatMargin(moe)}`);

export function RecommendationDetails({ drill, periodName }: { drill: RecommendationDrilldown; periodName: string }) {
  const { recommendation } = drill.scorecard;
  const points = drill.series.map((p) => ({ ...p.recommendation, name: formatShortPeriodLabel(p.period.label), label: p.period.label }));
  const responses = drill.distribution.reduce((sum, d) => sum + d.count, 0);

  return (
    <div className={styles.sections}>
      <section className={`card ${styles.section}`} aria-labelledby="recommendation-distribution">
        <h2 id="recommendation-distribution">Scores from 0 to 10 · {periodName}</h2>
        <p className="muted">
          {formatCount(responses)} responses: promoters score 9–10, passives 7–8, detractors 0–6.
        </p>
        <ul className={styles.legend} aria-label="Colours">
          <li>
            <span className={styles.swatch} style={{ background: 'var(--on-track)' }} aria-hidden="true" />
            Promoters
          </li>
          <li>
            <span className={styles.swatch} style={{ background: 'var(--no-data)' }} aria-hidden="true" />
            Passives
          </li>
          <li>
            <span className={styles.swatch} style={{ background: 'var(--off-track)' }} aria-hidden="true" />
            Detractors
          </li>
        </ul>
        <ChartFigure
          title="How likely are you to recommend us?"
          chart={{
            title: `Responses by score, ${periodName}`,
            data: drill.distribution.map((d) => ({ name: String(d.score), responses: d.count })),
            series: [
              {
                key: 'responses',
                label: 'Responses',
                color: 'var(--chart-1)',
                type: 'bar',
                pointColors: drill.distribution.map((d) => CLASS_COLOR[classifyScore(d.score)]),
              },
            ],
            format: 'count',
            height: 220,
            showLegend: false,
          }}
          table={{
            columns: ['Score', 'Responses', 'Share'],
            rows: drill.distribution.map((d) => ({
              key: String(d.score),
              cells: [String(d.score), formatCount(d.count), formatPercent(share(d.count, responses))],
            })),
          }}
        />
      </section>

      <section className={`card ${styles.section}`} aria-labelledby="recommendation-mix">
        <h2 id="recommendation-mix">Promoters, passives and detractors over time</h2>
        <ChartFigure
          title="Share of each period's responses"
          chart={{
            title: 'Promoters, passives and detractors by period',
            data: points.map((p) => ({
              name: p.name,
              promoters: share(p.promoters, p.responses),
              passives: share(p.passives, p.responses),
              detractors: share(p.detractors, p.responses),
            })),
            series: [
              { key: 'promoters', label: 'Promoters', color: 'var(--chart-2)', type: 'bar', stack: 'mix' },
              { key: 'passives', label: 'Passives', color: 'var(--chart-neutral)', type: 'bar', stack: 'mix' },
              { key: 'detractors', label: 'Detractors', color: 'var(--chart-3)', type: 'bar', stack: 'mix' },
            ],
            format: 'percent',
            height: 240,
          }}
          table={{
            columns: ['Period', 'Responses', 'Promoters', 'Passives', 'Detractors', 'NPS'],
            rows: points.map((p) => ({
              key: p.label,
              cells: [
                p.name,
                formatCount(p.responses),
                formatCount(p.promoters),
                formatCount(p.passives),
                formatCount(p.detractors),
                p.nps === null ? '—' : formatScore(p.nps),
              ],
            })),
          }}
        />
      </section>

      <section className={`card ${styles.section}`} aria-labelledby="recommendation-trend">
        <h2 id="recommendation-trend">Recommendation rate and its margin of error</h2>
        <p className="muted">
          The margin is the 95%{' '}
          <abbr title={ADJUSTED_WALD_MEANING}>adjusted-Wald</abbr> interval for the share of promoters (the usual interval
          for a share, with two promoters and two non-promoters added so that it stays honest for a small survey): a
          change smaller than the noise of both periods together is marked &ldquo;within noise&rdquo;, not better or worse.
        </p>
        <ChartFigure
          title="Recommendation rate by period, against the target"
          chart={{
            title: 'Recommendation rate by period, against the target',
            data: points.map((p) => ({
              name: p.name,
              rate: p.value,
              low: p.value === null || p.marginOfError === null ? null : Math.max(0, p.value - p.marginOfError),
              high: p.value === null || p.marginOfError === null ? null : Math.min(1, p.value + p.marginOfError),
            })),
            series: [
              { key: 'rate', label: 'Recommendation rate', color: 'var(--chart-1)' },
              { key: 'high', label: 'Upper 95% bound', color: 'var(--chart-neutral)', dashed: true, thin: true },
              { key: 'low', label: 'Lower 95% bound', color: 'var(--chart-neutral)', dashed: true, thin: true },
            ],
            format: 'percent',
            target: { value: recommendation.target, label: `Target ${formatPercent(recommendation.target)}` },
          }}
          table={{
            columns: ['Period', 'Rate', '95% margin', 'NPS'],
            rows: points.map((p) => ({
              key: p.label,
              cells: [
                p.name,
                formatPercent(p.value),
                p.marginOfError === null ? '—' : formatMargin(p.marginOfError),
                p.nps === null ? '—' : formatScore(p.nps),
              ],
            })),
          }}
        />
      </section>

      <section className={`card ${styles.section}`} aria-labelledby="recommendation-touchpoints">
        <h2 id="recommendation-touchpoints">By touchpoint · {periodName}</h2>
        {drill.byTouchpoint.length === 0 ? (
          <p className="muted">No survey responses in {periodName}.</p>
        ) : (
          <div className={styles.tableWrap}>
            <table className={styles.table} data-testid="recommendation-by-touchpoint">
              <thead>
                <tr>
                  <th scope="col" className={styles.left}>
                    Touchpoint
                  </th>
                  <th scope="col">Responses</th>
                  <th scope="col" className={styles.left}>
                    Mix
                  </th>
                  <th scope="col">Recommend</th>
                  <th scope="col">NPS</th>
                </tr>
              </thead>
              <tbody>
                {drill.byTouchpoint.map((t) => (
                  <tr key={t.touchpoint}>
                    <th scope="row">{t.touchpoint.charAt(0).toUpperCase() + t.touchpoint.slice(1)}</th>
                    <td>{formatCount(t.responses)}</td>
                    <td className={styles.left}>
                      <span
                        className={styles.stack}
                        role="img"
                        aria-label={`${formatPercent(share(t.promoters, t.responses), 0)} promoters, ${formatPercent(share(t.passives, t.responses), 0)} passives, ${formatPercent(share(t.detractors, t.responses), 0)} detractors`}
                      >
                        <span className={styles.promoters} style={{ width: shareWidth(share(t.promoters, t.responses) ?? 0) }} />
                        <span className={styles.passives} style={{ width: shareWidth(share(t.passives, t.responses) ?? 0) }} />
                        <span className={styles.detractors} style={{ width: shareWidth(share(t.detractors, t.responses) ?? 0) }} />
                      </span>
                    </td>
                    <td className={styles.nowrap}>
                      {formatPercent(t.rate)}
                      <span className={styles.sub}>{margin(t.marginOfError)}</span>
                    </td>
                    <td>{t.nps === null ? '—' : formatScore(t.nps)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
