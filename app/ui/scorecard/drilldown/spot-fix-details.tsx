import Link from 'next/link';
import type { IssueOwner, SpotFixCostDrilldown } from '@/lib/data/drilldowns';
import { formatCount, formatDate, formatMoney, formatMultiple, formatPercent, formatShortPeriodLabel, powerCoreLabel } from '@/lib/format';
import { subtractMoney } from '@/lib/metrics/money';
import { paybackMonths } from '@/lib/metrics/payback';
import { ChartFigure } from '@/app/ui/charts/chart-figure';
import { CATEGORY_COLORS, CATEGORY_LABELS, chartMoney, shareWidth, SPOT_FIX_CATEGORIES } from './format-helpers';
import styles from './drilldown.module.css';

function Owner({ owner }: { owner: IssueOwner | null }) {
  if (!owner) return <span className={styles.nobody}>No one yet</span>;
  return (
    <>
      {owner.name}
      <span className={styles.sub}>
        {owner.title} · {powerCoreLabel(owner.powerCore)} core
      </span>
    </>
  );
}

function paybackText(months: number | null): string {
  if (months === null) return '—';
  if (months < 1) return 'under a month';
  const whole = Math.round(months);
  return whole === 1 ? '1 month' : `${whole} months`;
}

const ratioText = (ratio: number) => formatMultiple(ratio, ratio >= 10 ? 0 : 1);

/** `allIssuesHref`: the recurring-issues page filtered to the period, costliest first, where every issue is listed. */
export function SpotFixDetails({ drill, periodName, allIssuesHref }: { drill: SpotFixCostDrilldown; periodName: string; allIssuesHref: string }) {
  const currency = drill.organisation.currency;
  const shown = drill.issues.length;
  const isCut = drill.issueCount > shown;
  const money = (amount: string) => formatMoney(amount, currency);
  const { spotFixCost } = drill.scorecard;
  const points = drill.series.map((p) => ({
    ...p.spotFixCost,
    value: p.spotFixCost.value ?? '0.00',
    name: formatShortPeriodLabel(p.period.label),
    label: p.period.label,
  }));

  return (
    <div className={styles.sections}>
      <section className={`card ${styles.section} ${styles.wide}`} aria-labelledby="spot-fix-categories">
        <h2 id="spot-fix-categories">What firefighting costs, by kind</h2>
        <ChartFigure
          title="Spot-fix cost by category and period, against the target"
          chart={{
            title: 'Spot-fix cost by category and period',
            data: points.map((p) => ({
              name: p.name,
              ...Object.fromEntries(SPOT_FIX_CATEGORIES.map((c) => [c, chartMoney(p.byCategory[c])])),
            })),
            series: SPOT_FIX_CATEGORIES.map((c) => ({
              key: c,
              label: CATEGORY_LABELS[c],
              color: CATEGORY_COLORS[c],
              type: 'bar' as const,
              stack: 'cost',
            })),
            format: 'money',
            currency,
            target: { value: chartMoney(spotFixCost.target), label: `Target ${money(spotFixCost.target)}` },
            height: 300,
          }}
          table={{
            columns: ['Period', 'Total', ...SPOT_FIX_CATEGORIES.map((c) => CATEGORY_LABELS[c])],
            rows: points.map((p) => ({
              key: p.label,
              cells: [p.name, money(p.value), ...SPOT_FIX_CATEGORIES.map((c) => money(p.byCategory[c]))],
            })),
          }}
        />
      </section>

      <section className={`card ${styles.section}`} aria-labelledby="spot-fix-repeats">
        <h2 id="spot-fix-repeats">Paying again: repeat against first-time cost</h2>
        <p className="muted">A fix is a repeat when the same issue was already patched before, in any period.</p>
        <ChartFigure
          title="Repeat and first-time spot-fix cost by period"
          chart={{
            title: 'Repeat and first-time spot-fix cost by period',
            data: points.map((p) => ({
              name: p.name,
              repeat: chartMoney(p.repeatCost),
              first: chartMoney(subtractMoney(p.value, p.repeatCost)),
            })),
            series: [
              { key: 'repeat', label: 'Repeats', color: 'var(--chart-3)', type: 'bar', stack: 'cost' },
              { key: 'first', label: 'First time', color: 'var(--chart-neutral)', type: 'bar', stack: 'cost' },
            ],
            format: 'money',
            currency,
            height: 240,
          }}
          table={{
            columns: ['Period', 'Fixes', 'Repeats', 'First time', 'Repeat share'],
            rows: points.map((p) => ({
              key: p.label,
              cells: [
                p.name,
                formatCount(p.count),
                money(p.repeatCost),
                money(subtractMoney(p.value, p.repeatCost)),
                formatPercent(p.repeatShare),
              ],
            })),
          }}
        />
      </section>

      <section className={`card ${styles.section}`} aria-labelledby="spot-fix-pareto">
        <h2 id="spot-fix-pareto">The few issues that cost the most · {periodName}</h2>
        {isCut && (
          <p className="muted" data-testid="issue-pareto-cut">
            The costliest {formatCount(shown)} of {formatCount(drill.issueCount)} issues, {formatPercent(drill.issues[shown - 1].cumulativeShare)}{' '}
            of the period&rsquo;s cost.
          </p>
        )}
        {drill.issues.length === 0 ? (
          <p className="muted">No spot fixes in {periodName}.</p>
        ) : (
          <ChartFigure
            title="Recurring issues ranked by cost, with the cumulative share (Pareto)"
            chart={{
              title: `Recurring issues ranked by cost in ${periodName}, with cumulative share`,
              data: drill.issues.map((issue) => ({
                name: issue.label,
                cost: chartMoney(issue.cost),
                cumulative: issue.cumulativeShare,
              })),
              series: [
                { key: 'cost', label: 'Cost', color: 'var(--chart-1)', type: 'bar' },
                { key: 'cumulative', label: 'Cumulative share', color: 'var(--chart-3)', axis: 'right' },
              ],
              format: 'money',
              rightFormat: 'percent',
              currency,
              height: 260,
              nameEveryCategory: true,
            }}
            table={{
              columns: ['Issue', 'Cost', 'Cumulative share'],
              rows: drill.issues.map((issue) => ({
                key: issue.issueKey,
                cells: [issue.label, money(issue.cost), formatPercent(issue.cumulativeShare)],
              })),
            }}
          />
        )}
      </section>

      {drill.issues.length > 0 && (
        <section className={`card ${styles.section} ${styles.wide}`} aria-labelledby="spot-fix-issues">
          <h2 id="spot-fix-issues">Recurring issues and who answers for them · {periodName}</h2>
          <div className={styles.tableWrap}>
            <table className={`${styles.table} ${styles.wideTable}`} data-testid="issue-pareto">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col" className={styles.left}>
                    Issue
                  </th>
                  <th scope="col">Fixes</th>
                  <th scope="col">Cost</th>
                  <th scope="col">Of which repeats</th>
                  <th scope="col">Share</th>
                  <th scope="col">Cumulative</th>
                  <th scope="col" className={styles.left}>
                    Accountable
                  </th>
                </tr>
              </thead>
              <tbody>
                {drill.issues.map((issue, i) => (
                  <tr key={issue.issueKey} data-issue={issue.label}>
                    <td>{i + 1}</td>
                    <th scope="row">
                      {issue.label}
                      {issue.fixedOn && (
                        <span className={styles.sub}>
                          <span className={styles.tag}>Fixed {formatDate(issue.fixedOn)}</span>
                        </span>
                      )}
                    </th>
                    <td>{formatCount(issue.fixes)}</td>
                    <td>{money(issue.cost)}</td>
                    <td>{money(issue.repeatCost)}</td>
                    <td>{formatPercent(issue.share)}</td>
                    <td>
                      {formatPercent(issue.cumulativeShare)}
                      <span className={styles.meter} aria-hidden="true">
                        <span style={{ width: shareWidth(issue.cumulativeShare) }} />
                      </span>
                    </td>
                    <td className={styles.left}>
                      <Owner owner={issue.owner} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {isCut && (
            <p>
              <Link href={allIssuesHref} prefetch={false} data-testid="all-issues-link">
                Show all {formatCount(drill.issueCount)} issues
              </Link>{' '}
              <span className="muted">on the recurring-issues page, costliest first</span>
            </p>
          )}
        </section>
      )}

      <section className={`card ${styles.section} ${styles.wide}`} aria-labelledby="spot-fix-rent">
        <h2 id="spot-fix-rent">Rent or own: patching again and again against fixing it once</h2>
        <p className="muted">
          For each issue with an estimated one-time fix: what repeat patches have cost up to the end of {periodName}, and
          how many months of the last year&rsquo;s repeat spend would pay for the fix.
        </p>
        {drill.rentVsOwn.length === 0 ? (
          <p className="muted">No recurring issue has an estimated fix cost yet.</p>
        ) : (
          <div className={styles.tableWrap}>
            <table className={`${styles.table} ${styles.wideTable}`} data-testid="rent-vs-own">
              <thead>
                <tr>
                  <th scope="col" className={styles.left}>
                    Issue
                  </th>
                  <th scope="col">One-time fix</th>
                  <th scope="col">Repeat spend so far</th>
                  <th scope="col" className={styles.left}>
                    Repeats ÷ fix
                  </th>
                  <th scope="col">Last 12 months</th>
                  <th scope="col">Fix pays back in</th>
                  <th scope="col" className={styles.left}>
                    Accountable
                  </th>
                </tr>
              </thead>
              <tbody>
                {drill.rentVsOwn.map((issue) => {
                  const payback = paybackMonths(issue.estimatedFixCost, issue.repeatLastYear);
                  return (
                    <tr key={issue.issueKey}>
                      <th scope="row">
                        {issue.label}
                        <span className={styles.sub}>
                          {formatCount(issue.fixes)} fixes since {formatDate(issue.firstOn)}
                          {issue.fixedOn ? ` · fixed ${formatDate(issue.fixedOn)}` : ''}
                        </span>
                      </th>
                      <td>{money(issue.estimatedFixCost)}</td>
                      <td>{money(issue.repeatSpendSoFar)}</td>
                      <td className={styles.left}>
                        <span className={issue.ratio !== null && issue.ratio >= 1 ? styles.overPaid : undefined}>
                          {issue.ratio === null ? '—' : `${ratioText(issue.ratio)} the fix`}
                        </span>
                        <span className={`${styles.meter} ${issue.ratio !== null && issue.ratio >= 1 ? styles.meterBad : ''}`} aria-hidden="true">
                          <span style={{ width: shareWidth(Math.min(1, issue.ratio ?? 0)) }} />
                        </span>
                      </td>
                      <td>{money(issue.repeatLastYear)}</td>
                      <td>{paybackText(payback)}</td>
                      <td className={styles.left}>
                        <Owner owner={issue.owner} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
