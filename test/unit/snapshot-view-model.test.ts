import { describe, expect, it } from 'vitest';
import type { MetricStatus, MetricSeriesPoint, Scorecard } from '@/lib/metrics/types';
import { compareSnapshots } from '@/lib/snapshots/compare';
import { missingCommentaryWarnings, type SnapshotPayload } from '@/lib/snapshots/payload';
import { metricViews } from '@/lib/snapshots/view-model';
import { formatShortPeriodLabel } from '@/lib/format';

const OWNER = { name: 'Tom Brennan', email: 'tom@example.com', title: 'COO', powerCore: 'operations' as const };

interface Series {
  /** Oldest first; the last is the snapshot's period, 2025-03. */
  retention?: Array<number | null>;
  recommendation?: Array<number | null>;
  spotFixCost?: string[];
  marginOfError?: number | null;
  spotFixCostStatus?: MetricStatus;
}

function point(label: string, series: Required<Omit<Series, 'spotFixCostStatus'>>, i: number): MetricSeriesPoint {
  const [year, month] = label.split('-').map(Number);
  const end = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  return {
    period: { label, start: `${label}-01`, end },
    retention: { value: series.retention[i], status: 'on_track', target: 0.9, atRiskThreshold: 0.8, start: 10, retained: 9, gained: 1, valueGained: '1.00', lost: 1, valueLost: '1.00' },
    recommendation: { value: series.recommendation[i], status: 'at_risk', target: 0.5, atRiskThreshold: 0.3, responses: 100, promoters: 40, passives: 30, detractors: 30, nps: 10, marginOfError: series.marginOfError },
    spotFixCost: {
      value: series.spotFixCost[i],
      status: 'off_track',
      target: '500.00',
      atRiskThreshold: '800.00',
      count: 3,
      byCategory: { meeting: '0.00', free_offering: '0.00', discount: series.spotFixCost[i], staff_time: '0.00', pr_recovery: '0.00', other: '0.00' },
      repeatCost: '0.00',
      repeatShare: 0,
    },
  };
}

function makePayload(options: Series = {}): SnapshotPayload {
  const length = Math.max(options.retention?.length ?? 0, options.recommendation?.length ?? 0, options.spotFixCost?.length ?? 0, 2);
  const fill = <T,>(values: T[] | undefined, value: T) => values ?? Array.from({ length }, () => value);
  const series = {
    retention: fill(options.retention, 0.9),
    recommendation: fill(options.recommendation, 0.4),
    spotFixCost: fill(options.spotFixCost, '900.00'),
    marginOfError: options.marginOfError ?? 0.01,
  };
  const labels = Array.from({ length }, (_, i) => {
    const monthIndex = 2025 * 12 + 2 - (length - 1 - i);
    return `${Math.floor(monthIndex / 12)}-${String((monthIndex % 12) + 1).padStart(2, '0')}`;
  });
  const trend = labels.map((label, i) => point(label, series, i));
  const last = trend[trend.length - 1];
  const scorecard: Scorecard = {
    period: last.period,
    retention: { ...last.retention, owner: OWNER, topReasons: [] },
    recommendation: { ...last.recommendation, owner: OWNER },
    spotFixCost: { ...last.spotFixCost, status: options.spotFixCostStatus ?? 'off_track', owner: OWNER },
  };
  return {
    version: 1,
    title: 'Board',
    note: null,
    organisation: { name: 'Acme', currency: 'USD' },
    period: { ...last.period, granularity: 'month' },
    frozenAt: '2025-04-02T10:00:00.000Z',
    dataAsOf: '2025-04-01T10:00:00.000Z',
    dataVersion: 1,
    createdBy: { name: 'Ada', title: 'CCO' },
    scorecard,
    trend,
    notes: {
      retention: { commentary: null, actions: [] },
      recommendation: { commentary: null, actions: [] },
      spot_fix_cost: { commentary: null, actions: [] },
    },
  };
}

const view = (payload: SnapshotPayload, key: string) => metricViews(payload).find((v) => v.key === key)!;

describe('what a snapshot page says about each metric', () => {
  it('marks a recommendation change smaller than the margin of error as noise, not better or worse', () => {
    const recommendation = view(makePayload({ recommendation: [0.42, 0.4], marginOfError: 0.05 }), 'recommendation');
    expect(recommendation.changes[0]).toEqual({ label: 'vs February 2025', text: '−2.0 pts', verdict: 'noise', words: 'within noise (±7.1 pts)' });
    const clear = view(makePayload({ recommendation: [0.3, 0.4], marginOfError: 0.05 }), 'recommendation');
    expect(clear.changes[0]).toEqual({ label: 'vs February 2025', text: '+10.0 pts', verdict: 'better', words: 'better' });
  });

  it('calls a cost that went down better and one that went up worse, exactly to the cent', () => {
    expect(view(makePayload({ spotFixCost: ['1000.10', '999.99'] }), 'spot_fix_cost').changes[0]).toEqual({
      label: 'vs February 2025',
      text: '−$0.11',
      verdict: 'better',
      words: 'better',
    });
    expect(view(makePayload({ spotFixCost: ['999.99', '1000.10'] }), 'spot_fix_cost').changes[0]).toEqual({
      label: 'vs February 2025',
      text: '+$0.11',
      verdict: 'worse',
      words: 'worse',
    });
  });

  it('shows "—" with the reason for an undefined value, and no change against it', () => {
    const retention = view(makePayload({ retention: [0.9, null] }), 'retention');
    expect(retention.valueText).toBe('—');
    expect(retention.undefinedReason).toMatch(/No customers/);
    expect(retention.changes[0]).toEqual({ label: 'vs February 2025', text: '—', verdict: 'none', words: 'nothing to compare' });
    expect(retention.changes[1]).toEqual({ label: 'vs March 2024', text: '—', verdict: 'none', words: 'nothing to compare' });
  });

  it('leaves the periods before the data begins out of the trend', () => {
    const retention = view(makePayload({ retention: [null, null, 0.9, 0.95] }), 'retention');
    expect(retention.trend.map((p) => p.value)).toEqual([0.9, 0.95]);
    expect(retention.trend[0].label).toBe('2025-02');
  });

  it('writes months short on chart axes', () => {
    expect(formatShortPeriodLabel('2025-03')).toBe('Mar 2025');
    expect(formatShortPeriodLabel('2025-Q1')).toBe('Q1 2025');
  });

  it('warns about an off-track metric without commentary, naming its owner, and not once it has some', () => {
    const payload = makePayload();
    expect(missingCommentaryWarnings(payload.scorecard, payload.notes, '2025-03').map((w) => w.message)).toEqual([
      'Cost of spot fixes is off track and Tom Brennan, its owner, has written no commentary for 2025-03.',
    ]);
    payload.notes.spot_fix_cost.commentary = { body: 'Why', author: { name: 'Tom', title: 'COO' }, version: 1, updatedAt: '2025-04-01T00:00:00Z' };
    expect(missingCommentaryWarnings(payload.scorecard, payload.notes, '2025-03')).toEqual([]);
  });
});

describe('comparing two snapshots', () => {
  it('finds nothing changed between two copies of the same payload', () => {
    const payload = makePayload();
    const comparison = compareSnapshots(payload, structuredClone(payload));
    expect(comparison.changedCount).toBe(0);
    expect(comparison.metrics.map((m) => m.commentary)).toEqual(['none', 'none', 'none']);
  });

  it('reports money changes exactly and a removed commentary', () => {
    const before = makePayload({ spotFixCost: ['1.00', '900.10'] });
    before.notes.retention.commentary = { body: 'Said before', author: { name: 'A', title: 'B' }, version: 1, updatedAt: '2025-04-01T00:00:00Z' };
    const after = makePayload({ spotFixCost: ['1.00', '899.99'] });
    const comparison = compareSnapshots(before, after);
    const cost = comparison.metrics.find((m) => m.key === 'spot_fix_cost')!;
    expect(cost).toMatchObject({ valueChanged: true, delta: '-0.11', statusChanged: false });
    expect(comparison.metrics.find((m) => m.key === 'retention')!.commentary).toBe('removed');
    expect(comparison.changedCount).toBe(2);
  });
});
