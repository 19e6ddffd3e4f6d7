import { describe, expect, it } from 'vitest';
import { parsePeriod } from '@/lib/metrics/period';
import { BEGINNING, defaultEffectiveFrom, deriveFromMonth, resolveTarget, type TargetRow } from '@/lib/metrics/targets';

const month = (effectiveFrom: string, target: string, atRiskThreshold: string): TargetRow => ({
  granularity: 'month',
  effectiveFrom,
  target,
  atRiskThreshold,
});

describe('resolveTarget', () => {
  it('derives a quarter and a year from the month by SPEC’s rule', () => {
    const rows = [month(BEGINNING, '0.98', '0.95')];
    const quarter = resolveTarget('retention', rows, parsePeriod('2025-Q1'))!;
    expect(Number(quarter.target)).toBeCloseTo(0.98 ** 3, 12);
    expect(Number(quarter.atRiskThreshold)).toBeCloseTo(0.95 ** 3, 12);
    expect(quarter.isDerived).toBe(true);
    expect(Number(resolveTarget('retention', rows, parsePeriod('2025'))!.target)).toBeCloseTo(0.98 ** 12, 12);
    expect(resolveTarget('recommendation', [month(BEGINNING, '0.5', '0.4')], parsePeriod('2025'))).toMatchObject({ target: '0.5', isDerived: true });
    expect(resolveTarget('spot_fix_cost', [month(BEGINNING, '448.2222', '1000')], parsePeriod('2025-Q1'))).toMatchObject({
      target: '1344.67',
      atRiskThreshold: '3000.00',
    });
    expect(resolveTarget('spot_fix_cost', [month(BEGINNING, '40000', '50000')], parsePeriod('2025'))!.target).toBe('480000.00');
    expect(resolveTarget('retention', rows, parsePeriod('2025-03'))).toMatchObject({ target: '0.98', isDerived: false });
  });

  it('judges each period by the row in force on its last day', () => {
    const rows = [month(BEGINNING, '0.95', '0.9'), month('2026-01-01', '0.97', '0.93')];
    expect(resolveTarget('retention', rows, parsePeriod('2025-12'))!.target).toBe('0.95');
    expect(resolveTarget('retention', rows, parsePeriod('2026-01'))!.target).toBe('0.97');
    // A change mid-quarter counts for the quarter whose last day it precedes.
    const midQuarter = [month(BEGINNING, '0.95', '0.9'), month('2025-02-01', '0.97', '0.93')];
    expect(Number(resolveTarget('retention', midQuarter, parsePeriod('2025-Q1'))!.target)).toBeCloseTo(0.97 ** 3, 12);
    expect(Number(resolveTarget('retention', midQuarter, parsePeriod('2024-Q4'))!.target)).toBeCloseTo(0.95 ** 3, 12);
  });

  it('prefers a quarter’s own target, until a row returns it to the derived one', () => {
    const rows: TargetRow[] = [
      month(BEGINNING, '0.98', '0.95'),
      { granularity: 'quarter', effectiveFrom: '2025-01-01', target: '0.93', atRiskThreshold: '0.9' },
      { granularity: 'quarter', effectiveFrom: '2026-01-01', target: null, atRiskThreshold: null },
    ];
    expect(resolveTarget('retention', rows, parsePeriod('2024-Q4'))!.isDerived).toBe(true);
    expect(resolveTarget('retention', rows, parsePeriod('2025-Q2'))).toMatchObject({ target: '0.93', isDerived: false, effectiveFrom: '2025-01-01' });
    expect(resolveTarget('retention', rows, parsePeriod('2026-Q1'))!.isDerived).toBe(true);
    // The year has no row of its own: derived from the month.
    expect(resolveTarget('retention', rows, parsePeriod('2025'))!.isDerived).toBe(true);
  });

  it('is null only when no monthly target was in force', () => {
    expect(resolveTarget('retention', [month('2026-01-01', '0.9', '0.8')], parsePeriod('2025-12'))).toBeNull();
  });
});

describe('targets’ helpers', () => {
  it('compounds retention and multiplies money', () => {
    expect(deriveFromMonth('spot_fix_cost', '40000', 12)).toBe('480000.00');
    expect(Number(deriveFromMonth('retention', '0.99', 3))).toBeCloseTo(0.970299, 12);
    expect(deriveFromMonth('recommendation', '0.5', 12)).toBe('0.5');
  });

  it('takes effect from the start of the current period by default', () => {
    expect(defaultEffectiveFrom('month', '2026-12-02')).toBe('2026-12-01');
    expect(defaultEffectiveFrom('quarter', '2026-12-02')).toBe('2026-10-01');
    expect(defaultEffectiveFrom('year', '2026-12-02')).toBe('2026-01-01');
  });
});
