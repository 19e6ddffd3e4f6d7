import Link from 'next/link';
import type { JourneyView } from '@/lib/data/journey-view';
import { ChartFigure } from '@/app/ui/charts/chart-figure';
import styles from './journey.module.css';

/**
 * Where money burns (journey stages) beside where customers turn (touchpoints): side by side on
 * a wide screen, one above the other on a phone.
 */
export function JourneyColumns({ view, periodName }: { view: JourneyView; periodName: string }) {
  return (
    <div className={styles.columns}>
      <section className={`card ${styles.column}`} aria-labelledby="journey-stages" data-testid="journey-stages">
        <div>
          <h2 id="journey-stages">Where firefighting money burns</h2>
          <p className="muted">Spot fixes by journey stage, costliest first. A repeat pays again for an issue already patched before.</p>
        </div>
        {view.stages.length === 0 ? (
          <p className="muted">No spot fixes in {periodName}.</p>
        ) : (
          <>
            <ChartFigure
              title="Repeat and first-time cost by journey stage"
              chart={{
                title: 'Spot-fix cost by journey stage',
                data: view.stageChart,
                series: [
                  { key: 'repeat', label: 'Repeats', color: 'var(--chart-3)', type: 'bar', stack: 'cost' },
                  { key: 'firstTime', label: 'First time', color: 'var(--chart-neutral)', type: 'bar', stack: 'cost' },
                ],
                format: 'money',
                currency: view.currency,
                height: 220,
              }}
              table={{
                columns: ['Stage', 'Cost', 'Repeat cost', 'Repeat share'],
                rows: view.stages.map((s) => ({ key: s.key, cells: [s.name, s.costText, s.repeatCostText, s.repeatShareText] })),
              }}
            />
            <ol className={styles.stageList}>
              {view.stages.map((stage) => (
                <li key={stage.key} className={styles.stage} data-testid="journey-stage">
                  <div className={styles.stageHead}>
                    <Link href={stage.href} prefetch={false} className={styles.stageName}>
                      {stage.name}
                    </Link>
                    <span className={styles.figure}>{stage.costText}</span>
                  </div>
                  <p className={styles.stageFacts}>
                    {stage.countText} · repeats <strong>{stage.repeatShareText}</strong> ({stage.repeatCostText})
                  </p>
                  <ol className={styles.issues} aria-label={`Costliest issues: ${stage.name}`}>
                    {stage.topIssues.map((issue) => (
                      <li key={issue.key}>
                        <span className={styles.issueName}>{issue.name}</span>
                        <span className={styles.issueCost}>{issue.costText}</span>
                        <span className={issue.hasOwner ? styles.owner : `${styles.owner} ${styles.noOwner}`}>{issue.ownerText}</span>
                      </li>
                    ))}
                  </ol>
                </li>
              ))}
            </ol>
          </>
        )}
      </section>

      <section className={`card ${styles.column}`} aria-labelledby="journey-touchpoints" data-testid="journey-touchpoints">
        <div>
          <h2 id="journey-touchpoints">Where customers turn against you</h2>
          <p className="muted">Survey responses by touchpoint, most answered first: detractors score 0–6.</p>
        </div>
        {view.touchpoints.length === 0 ? (
          <p className="muted">No survey responses in {periodName}.</p>
        ) : (
          <>
            <ChartFigure
              title="Detractor share by touchpoint"
              chart={{
                title: 'Detractor share by touchpoint',
                data: view.touchpointChart,
                series: [{ key: 'share', label: 'Detractor share', color: 'var(--chart-3)', type: 'bar' }],
                format: 'percent',
                height: 220,
              }}
              table={{
                columns: ['Touchpoint', 'Responses', 'Detractors', 'Detractor share', 'NPS'],
                rows: view.touchpoints.map((t) => ({
                  key: t.key,
                  cells: [t.name, t.responsesText, t.detractorsText, t.detractorShareText, t.npsText],
                })),
              }}
            />
            {/* Focusable so a keyboard can scroll it if a narrow screen ever needs to. */}
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Responses by touchpoint">
              <table className={`data-table ${styles.touchpointTable}`}>
                <thead>
                  <tr>
                    <th scope="col">Touchpoint</th>
                    <th scope="col" className="num">Responses</th>
                    <th scope="col" className="num">Detractor share</th>
                    <th scope="col" className="num">NPS</th>
                  </tr>
                </thead>
                <tbody>
                  {view.touchpoints.map((t) => (
                    <tr key={t.key} data-testid="journey-touchpoint">
                      <th scope="row">{t.name}</th>
                      <td className="num" data-label="Responses">{t.responsesText}</td>
                      <td className="num" data-label="Detractor share">
                        {t.detractorShareText} <span className={`muted ${styles.detractorCount}`}>({t.detractorsText})</span>
                      </td>
                      <td className="num" data-label="NPS">{t.npsText}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
