import type { MetricOwner, Scorecard } from '@/lib/metrics/types';
import { DASH, formatCount, formatMoney, formatPercent, formatScore, powerCoreLabel } from '@/lib/format';
import { StatusBadge } from './status-badge';

function Owner({ owner }: { owner: MetricOwner | null }) {
  if (!owner) return <div className="owner muted">No accountable executive yet</div>;
  return (
    <div className="owner">
      <span className="muted">Accountable</span>
      <strong>{owner.name}</strong>
      <span className="muted">
        {owner.title} · {powerCoreLabel(owner.powerCore)} core
      </span>
    </div>
  );
}

export function MetricCards({ scorecard, currency }: { scorecard: Scorecard; currency: string }) {
  const { retention, recommendation, spotFixCost } = scorecard;
  return (
    <div className="cards">
      <section className="card" aria-labelledby="metric-retention">
        <div className="metric-row">
          <h2 id="metric-retention">Customer retention</h2>
          <StatusBadge status={retention.status} />
        </div>
        <div className="metric-value" data-testid="retention-value">
          {formatPercent(retention.value)}
        </div>
        {retention.value === null && <p className="muted">No customers were active at the start of this period.</p>}
        <dl className="facts">
          <dt>Target</dt>
          <dd>{formatPercent(retention.target)}</dd>
          <dt>Retained</dt>
          <dd>
            {formatCount(retention.retained)} of {formatCount(retention.start)}
          </dd>
          <dt>Gained</dt>
          <dd>
            {formatCount(retention.gained)} · {formatMoney(retention.valueGained, currency)}/mo
          </dd>
          <dt>Lost</dt>
          <dd>
            {formatCount(retention.lost)} · {formatMoney(retention.valueLost, currency)}/mo
          </dd>
        </dl>
        <Owner owner={retention.owner} />
      </section>

      <section className="card" aria-labelledby="metric-recommendation">
        <div className="metric-row">
          <h2 id="metric-recommendation">Recommendation rate</h2>
          <StatusBadge status={recommendation.status} />
        </div>
        <div className="metric-value" data-testid="recommendation-value">
          {formatPercent(recommendation.value)}
        </div>
        {recommendation.value === null && <p className="muted">No survey responses in this period.</p>}
        <dl className="facts">
          <dt>Target</dt>
          <dd>{formatPercent(recommendation.target)}</dd>
          <dt>NPS</dt>
          <dd>{recommendation.nps === null ? DASH : formatScore(recommendation.nps)}</dd>
          <dt>Responses</dt>
          <dd>
            {formatCount(recommendation.responses)} ({formatCount(recommendation.promoters)} promoters,{' '}
            {formatCount(recommendation.detractors)} detractors)
          </dd>
        </dl>
        <Owner owner={recommendation.owner} />
      </section>

      <section className="card" aria-labelledby="metric-spot-fix-cost">
        <div className="metric-row">
          <h2 id="metric-spot-fix-cost">Cost of spot fixes</h2>
          <StatusBadge status={spotFixCost.status} />
        </div>
        <div className="metric-value" data-testid="spot-fix-cost-value">
          {formatMoney(spotFixCost.value, currency)}
        </div>
        <dl className="facts">
          <dt>Target</dt>
          <dd>at most {formatMoney(spotFixCost.target, currency)}</dd>
          <dt>Spot fixes</dt>
          <dd>{formatCount(spotFixCost.count)}</dd>
          <dt>Repeats</dt>
          <dd>
            {formatMoney(spotFixCost.repeatCost, currency)} ({formatPercent(spotFixCost.repeatShare, 0)} of cost)
          </dd>
        </dl>
        <Owner owner={spotFixCost.owner} />
      </section>
    </div>
  );
}
