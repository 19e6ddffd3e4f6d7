import { describe, expect, it } from 'vitest';
import { parsePeriod, periodProgress } from '@/lib/metrics/period';
import { moneyStatus, ratioStatus, verdictGate } from '@/lib/metrics/status';

describe('ratioStatus (higher is better)', () => {
  // target 0.95, at-risk threshold 0.90
  const status = (value: number | null) => ratioStatus(value, 0.95, 0.9, 'higher_is_better');

  it('is on track above the target and exactly at it', () => {
    expect(status(1)).toBe('on_track');
    expect(status(0.95)).toBe('on_track');
    expect(status(19 / 20)).toBe('on_track');
  });

  it('is at risk just below the target and exactly at the threshold', () => {
    expect(status(0.9499999)).toBe('at_risk');
    expect(status(0.9)).toBe('at_risk');
    expect(status(9 / 10)).toBe('at_risk');
  });

  it('is off track below the threshold', () => {
    expect(status(0.8999999)).toBe('off_track');
    expect(status(0)).toBe('off_track');
  });

  it('is no data when the value is undefined', () => {
    expect(status(null)).toBe('no_data');
    expect(status(Number.NaN)).toBe('no_data');
  });
});

describe('ratioStatus (lower is better)', () => {
  // target 0.10, at-risk threshold 0.20
  const status = (value: number | null) => ratioStatus(value, 0.1, 0.2, 'lower_is_better');

  it('is on track below the target and exactly at it', () => {
    expect(status(0)).toBe('on_track');
    expect(status(0.1)).toBe('on_track');
  });

  it('is at risk above the target up to and including the threshold', () => {
    expect(status(0.1000001)).toBe('at_risk');
    expect(status(0.2)).toBe('at_risk');
  });

  it('is off track above the threshold', () => {
    expect(status(0.2000001)).toBe('off_track');
  });

  it('is no data when the value is undefined', () => {
    expect(status(null)).toBe('no_data');
  });
});

describe('moneyStatus', () => {
  it('compares spot-fix cost to the cent, lower being better', () => {
    const status = (value: string | null) => moneyStatus(value, '40000.00', '50000.00', 'lower_is_better');
    expect(status('0.00')).toBe('on_track');
    expect(status('40000.00')).toBe('on_track');
    expect(status('40000')).toBe('on_track');
    expect(status('40000.01')).toBe('at_risk');
    expect(status('50000.00')).toBe('at_risk');
    expect(status('50000.01')).toBe('off_track');
    expect(status(null)).toBe('no_data');
  });

  it('is exact where floating point is not', () => {
    // 0.1 + 0.2 > 0.3 in floating point; as money 0.30 is exactly at the target
    expect(moneyStatus('0.30', '0.30', '0.40', 'lower_is_better')).toBe('on_track');
    expect(moneyStatus('90071992547409.93', '90071992547409.92', '90071992547409.93', 'lower_is_better')).toBe('at_risk');
  });

  it('supports higher-is-better money too', () => {
    expect(moneyStatus('10.00', '10.00', '5.00', 'higher_is_better')).toBe('on_track');
    expect(moneyStatus('5.00', '10.00', '5.00', 'higher_is_better')).toBe('at_risk');
    expect(moneyStatus('4.99', '10.00', '5.00', 'higher_is_better')).toBe('off_track');
  });
});

describe('verdictGate', () => {
  const progress = (period: string, today: string) => periodProgress(parsePeriod(period), today);
  it('has no verdict before the data begins, nor while the period runs', () => {
    expect(verdictGate(parsePeriod('2024-01'), '2024-03-01', progress('2024-01', '2026-12-02'))).toBe('before_data');
    expect(verdictGate(parsePeriod('2024-Q1'), '2024-03-01', progress('2024-Q1', '2026-12-02'))).toBe('before_data');
    expect(verdictGate(parsePeriod('2024-03'), '2024-03-01', progress('2024-03', '2026-12-02'))).toBeNull();
    expect(verdictGate(parsePeriod('2026-12'), '2024-03-01', progress('2026-12', '2026-12-02'))).toBe('in_progress');
    expect(verdictGate(parsePeriod('2026-11'), '2024-03-01', progress('2026-11', '2026-11-30'))).toBe('in_progress');
    expect(verdictGate(parsePeriod('2026-11'), '2024-03-01', progress('2026-11', '2026-12-01'))).toBeNull();
    expect(verdictGate(parsePeriod('2027-01'), '2024-03-01', progress('2027-01', '2026-12-02'))).toBe('not_begun');
    expect(verdictGate(parsePeriod('2025-01'), null, progress('2025-01', '2026-12-02'))).toBe('before_data');
  });

  it('counts the days of a running period, today included', () => {
    expect(progress('2026-12', '2026-12-02')).toEqual({ complete: false, hasBegun: true, daysElapsed: 2, days: 31 });
    expect(progress('2026-Q4', '2026-12-02')).toEqual({ complete: false, hasBegun: true, daysElapsed: 63, days: 92 });
    expect(progress('2026-11', '2026-12-02')).toEqual({ complete: true, hasBegun: true, daysElapsed: 30, days: 30 });
  });
});
