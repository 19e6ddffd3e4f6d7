import Link from 'next/link';
import type { AccountabilityMap, MyAccountability, OwnedIssue } from '@/lib/data/accountability';
import { formatDate, formatMoney, formatPeriodLabel, POWER_CORE_MEANING, powerCoreLabel } from '@/lib/format';
import type { MetricCardView } from '@/lib/data/scorecard-view';
import { sumMoney } from '@/lib/metrics/money';
import { StatusBadge } from './status-badge';
import styles from './accountability.module.css';

const UNOWNED_SHOWN = 8;

const ACTION_STATUS = { open: 'Open', in_progress: 'In progress', done: 'Done' } as const;

function MetricChip({ card, periodLabel }: { card: MetricCardView; periodLabel: string }) {
  return (
    <Link
      href={`/metrics/${card.slug}?period=${encodeURIComponent(periodLabel)}`}
      prefetch={false}
      className={styles.metric}
    >
      <span className={styles.metricTitle}>{card.title}</span>
      <span className={styles.metricValue}>{card.valueText}</span>
      <StatusBadge status={card.status} />
    </Link>
  );
}

function IssueState({ issue }: { issue: OwnedIssue }) {
  if (issue.fixedOn) return <span className={styles.fixed}>Fixed {formatDate(issue.fixedOn)}</span>;
  return <span className={styles.open}>Open</span>;
}

export function MyNumbers({
  mine,
  cards,
  periodLabel,
  periodName,
  currency,
}: {
  mine: MyAccountability;
  cards: MetricCardView[];
  periodLabel: string;
  periodName: string;
  currency: string;
}) {
  const myCards = cards.filter((card) => mine.metrics.includes(card.key));
  const nothing = myCards.length === 0 && mine.issues.length === 0 && mine.actions.length === 0;
  return (
    <section className={`card ${styles.mine}`} aria-labelledby="my-numbers">
      <h2 id="my-numbers">What you answer for</h2>
      {nothing && <p className="muted">You do not own a metric, a recurring issue or an open action yet.</p>}
      {myCards.length > 0 && (
        <div className={styles.metrics} data-testid="my-metrics">
          {myCards.map((card) => (
            <MetricChip key={card.key} card={card} periodLabel={periodLabel} />
          ))}
        </div>
      )}
      {mine.issues.length > 0 && (
        <div className={styles.tableWrap}>
          <table className={styles.table} data-testid="my-issues">
            <caption>Your recurring issues</caption>
            <thead>
              <tr>
                <th scope="col" className={styles.left}>
                  Issue
                </th>
                <th scope="col">{periodName}</th>
                <th scope="col">Of which repeats</th>
                <th scope="col">Last 12 months</th>
                <th scope="col">One-time fix</th>
                <th scope="col" className={styles.left}>
                  State
                </th>
              </tr>
            </thead>
            <tbody>
              {mine.issues.map((issue) => (
                <tr key={issue.issueKey}>
                  <th scope="row">{issue.label}</th>
                  <td>{formatMoney(issue.cost, currency)}</td>
                  <td>{formatMoney(issue.repeatCost, currency)}</td>
                  <td>{formatMoney(issue.costLastYear, currency)}</td>
                  <td>{issue.estimatedFixCost ? formatMoney(issue.estimatedFixCost, currency) : 'not estimated'}</td>
                  <td className={styles.left}>
                    <IssueState issue={issue} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {mine.actions.length > 0 && (
        <div className={styles.tableWrap}>
          <table className={styles.table} data-testid="my-actions">
            <caption>Your open actions</caption>
            <thead>
              <tr>
                <th scope="col" className={styles.left}>
                  Action
                </th>
                <th scope="col" className={styles.left}>
                  On
                </th>
                <th scope="col">Due</th>
                <th scope="col" className={styles.left}>
                  Status
                </th>
              </tr>
            </thead>
            <tbody>
              {mine.actions.map((action) => {
                const card = cards.find((c) => c.key === action.metricKey);
                return (
                  <tr key={action.id}>
                    <th scope="row">{action.title}</th>
                    <td className={styles.left}>
                      <Link href={`/metrics/${action.metricKey}?period=${encodeURIComponent(action.period)}`} prefetch={false}>
                        {card?.title ?? action.metricKey}
                      </Link>{' '}
                      <span className="muted">({formatPeriodLabel(action.period)})</span>
                    </td>
                    <td>{formatDate(action.dueOn)}</td>
                    <td className={styles.left}>{ACTION_STATUS[action.status]}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function PowerCoreMap({
  map,
  cards,
  periodLabel,
  currency,
  meId,
}: {
  map: AccountabilityMap;
  cards: MetricCardView[];
  periodLabel: string;
  currency: string;
  meId: number;
}) {
  // A core with nobody in it is named in one line rather than drawn as an empty box.
  const staffedCores = map.cores.filter((core) => core.executives.length > 0);
  const emptyCores = map.cores.filter((core) => core.executives.length === 0);
  return (
    <section aria-labelledby="power-core-map" className={styles.mapSection}>
      <div className={styles.mapHead}>
        <h2 id="power-core-map">Power-core map</h2>
        <p className="muted">
          Which executive, in which power core, answers for each number and each recurring issue (issue spend: last 12
          months). {POWER_CORE_MEANING}
        </p>
        {emptyCores.length > 0 && (
          <p className="muted" data-testid="unassigned-cores">
            No one assigned: {emptyCores.map((core) => `${powerCoreLabel(core.powerCore)} core`).join(', ')}.
          </p>
        )}
      </div>
      <div className={styles.cores}>
        {staffedCores.map((core) => (
          <section key={core.powerCore} className={`card ${styles.core}`} aria-labelledby={`core-${core.powerCore}`}>
            <h3 id={`core-${core.powerCore}`}>{powerCoreLabel(core.powerCore)} core</h3>
            <ul className={styles.people}>
              {core.executives.map((person) => (
                <li key={person.id} className={styles.person}>
                  <p className={styles.personName}>
                    <strong>{person.name}</strong>
                    {person.id === meId && <span className={styles.you}>you</span>}
                    <span className={styles.personTitle}>{person.title}</span>
                  </p>
                  {person.metrics.length === 0 && person.issues.length === 0 ? (
                    <p className={`${styles.none} muted`}>Answers for no metric or issue.</p>
                  ) : (
                    <ul className={styles.owns}>
                      {person.metrics.map((key) => {
                        const card = cards.find((c) => c.key === key)!;
                        return (
                          <li key={key}>
                            <MetricChip card={card} periodLabel={periodLabel} />
                          </li>
                        );
                      })}
                      {person.issues.map((issue) => (
                        <li key={issue.issueKey} className={styles.issue}>
                          <span>
                            {issue.label} {issue.fixedOn && <span className={styles.fixed}>fixed</span>}
                          </span>
                          <span className={styles.issueCost}>{formatMoney(issue.costLastYear, currency)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      {map.unownedIssues.length > 0 && (
        <section className={`card ${styles.unowned}`} aria-labelledby="unowned-issues">
          <h3 id="unowned-issues">Issues nobody answers for</h3>
          <p className="muted">Spot-fix spend in the last 12 months on issues without an accountable executive.</p>
          <ul className={styles.owns}>
            {map.unownedIssues.slice(0, UNOWNED_SHOWN).map((issue) => (
              <li key={issue.issueKey} className={styles.issue}>
                <span>{issue.label}</span>
                <span className={styles.issueCost}>{formatMoney(issue.costLastYear, currency)}</span>
              </li>
            ))}
          </ul>
          {map.unownedIssues.length > UNOWNED_SHOWN && (
            <p className={styles.more}>
              … and {map.unownedIssues.length - UNOWNED_SHOWN} more, costing{' '}
              {formatMoney(sumMoney(map.unownedIssues.slice(UNOWNED_SHOWN).map((i) => i.costLastYear)), currency)} together.{' '}
              <Link href="/issues" prefetch={false}>
                Assign them on the recurring-issues page
              </Link>
              .
            </p>
          )}
        </section>
      )}
    </section>
  );
}
