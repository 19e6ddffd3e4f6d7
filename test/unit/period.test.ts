import { describe, expect, it } from 'vitest';
import {
  InvalidPeriodError,
  isPeriod,
  latestCompleteMonth,
  monthsIn,
  parsePeriod,
  periodContaining,
  periodsEndingWith,
  previousPeriod,
  samePeriodYearEarlier,
  shiftPeriod,
  todayIso,
} from '@/lib/metrics/period';

const span = (label: string) => {
  const { start, end } = parsePeriod(label);
  return [start, end];
};

describe('parsePeriod', () => {
  it('reads a month as its first and last day', () => {
    expect(parsePeriod('2025-03')).toEqual({ label: '2025-03', granularity: 'month', start: '2025-03-01', end: '2025-03-31' });
    expect(span('2025-04')).toEqual(['2025-04-01', '2025-04-30']);
    expect(span('2025-12')).toEqual(['2025-12-01', '2025-12-31']);
  });

  it('ends February on the 29th in leap years only', () => {
    expect(span('2024-02')).toEqual(['2024-02-01', '2024-02-29']);
    expect(span('2025-02')).toEqual(['2025-02-01', '2025-02-28']);
    expect(span('2000-02')).toEqual(['2000-02-01', '2000-02-29']); // divisible by 400
    expect(span('1900-02')).toEqual(['1900-02-01', '1900-02-28']); // divisible by 100 only
  });

  it('reads quarters with their true last days', () => {
    expect(parsePeriod('2025-Q1')).toEqual({ label: '2025-Q1', granularity: 'quarter', start: '2025-01-01', end: '2025-03-31' });
    expect(span('2025-Q2')).toEqual(['2025-04-01', '2025-06-30']);
    expect(span('2025-Q3')).toEqual(['2025-07-01', '2025-09-30']);
    expect(span('2025-Q4')).toEqual(['2025-10-01', '2025-12-31']);
  });

  it('reads a year', () => {
    expect(parsePeriod('2025')).toEqual({ label: '2025', granularity: 'year', start: '2025-01-01', end: '2025-12-31' });
  });

  it('ignores surrounding white space', () => {
    expect(parsePeriod(' 2025-03\n').label).toBe('2025-03');
  });

  it('refuses anything that is not a month, quarter or year', () => {
    for (const bad of ['', '2025-13', '2025-00', '2025-3', '2025-Q0', '2025-Q5', '25-03', '2025/03', '2025-03-01', 'March 2025', '20250', 'Q1-2025']) {
      expect(() => parsePeriod(bad), bad).toThrow(InvalidPeriodError);
      expect(isPeriod(bad), bad).toBe(false);
    }
  });

  it('names the accepted forms in its error', () => {
    expect(() => parsePeriod('2025-13')).toThrow(/2025-03.*2025-Q1.*2025/);
  });
});

describe('shiftPeriod', () => {
  it('moves months across year boundaries both ways', () => {
    expect(shiftPeriod(parsePeriod('2025-01'), -1).label).toBe('2024-12');
    expect(shiftPeriod(parsePeriod('2024-12'), 1).label).toBe('2025-01');
    expect(shiftPeriod(parsePeriod('2025-03'), -27).label).toBe('2022-12');
    expect(shiftPeriod(parsePeriod('2025-03'), 0).label).toBe('2025-03');
  });

  it('lands on correct last days, including leap Februaries', () => {
    expect(shiftPeriod(parsePeriod('2024-03'), -1)).toEqual(parsePeriod('2024-02'));
    expect(shiftPeriod(parsePeriod('2024-02'), -12).end).toBe('2023-02-28');
    expect(shiftPeriod(parsePeriod('2023-02'), 12).end).toBe('2024-02-29');
  });

  it('moves quarters and years', () => {
    expect(shiftPeriod(parsePeriod('2025-Q1'), -1)).toEqual(parsePeriod('2024-Q4'));
    expect(shiftPeriod(parsePeriod('2024-Q4'), 1)).toEqual(parsePeriod('2025-Q1'));
    expect(shiftPeriod(parsePeriod('2025-Q2'), -9).label).toBe('2023-Q1');
    expect(shiftPeriod(parsePeriod('2025'), -1)).toEqual(parsePeriod('2024'));
  });

  it('finds the previous period and the same period a year earlier', () => {
    expect(previousPeriod(parsePeriod('2025-03')).label).toBe('2025-02');
    expect(samePeriodYearEarlier(parsePeriod('2025-03')).label).toBe('2024-03');
    expect(samePeriodYearEarlier(parsePeriod('2025-Q1')).label).toBe('2024-Q1');
    expect(samePeriodYearEarlier(parsePeriod('2025')).label).toBe('2024');
  });
});

describe('periodsEndingWith', () => {
  it('lists the trend oldest first, ending with the period', () => {
    const labels = periodsEndingWith(parsePeriod('2025-03'), 12).map((p) => p.label);
    expect(labels).toHaveLength(12);
    expect(labels[0]).toBe('2024-04');
    expect(labels[11]).toBe('2025-03');
    expect(periodsEndingWith(parsePeriod('2025-Q1'), 3).map((p) => p.label)).toEqual(['2024-Q3', '2024-Q4', '2025-Q1']);
  });
});

describe('monthsIn', () => {
  it('is 1 for a month, 3 for a quarter and 12 for a year', () => {
    expect(monthsIn(parsePeriod('2024-02'))).toBe(1);
    expect(monthsIn(parsePeriod('2025-Q4'))).toBe(3);
    expect(monthsIn(parsePeriod('2025'))).toBe(12);
  });
});

describe('periodContaining', () => {
  it('finds the month, quarter and year of a date', () => {
    expect(periodContaining('2024-02-29', 'month').label).toBe('2024-02');
    expect(periodContaining('2025-03-31', 'quarter').label).toBe('2025-Q1');
    expect(periodContaining('2025-04-01', 'quarter').label).toBe('2025-Q2');
    expect(periodContaining('2025-12-31', 'year').label).toBe('2025');
  });
});

describe('latestCompleteMonth', () => {
  it('is the month before the current one, in UTC', () => {
    expect(latestCompleteMonth(new Date('2025-04-01T00:00:00Z')).label).toBe('2025-03');
    expect(latestCompleteMonth(new Date('2025-01-15T12:00:00Z')).label).toBe('2024-12');
    expect(todayIso(new Date('2024-02-29T23:59:59Z'))).toBe('2024-02-29');
  });
});
