import { describe, expect, it } from 'vitest';
import * as lib from '@/lib/format';
import { choosePeriod, periodInGranularity, periodPickerView } from '@/lib/metrics/period-picker';
import { moneyChange, ratioChange } from '@/lib/data/change-view';
import { parsePeriod } from '@/lib/metrics/period';

const NOW = new Date('2026-11-23T07:00:00Z');

describe('the one formatting module', () => {
  it('writes headline money in whole units and keeps cents for tables', () => {
    expect(lib.formatHeadlineMoney('34499.46', 'USD')).toBe('$34,499');
    expect(lib.formatHeadlineMoney('34499.50', 'USD')).toBe('$34,500');
    expect(lib.formatMoney('34499.46', 'USD')).toBe('$34,499.46');
    expect(lib.formatMoney('1234567.5', 'EUR')).toBe('€1,234,567.50');
    expect(lib.formatMoney(null, 'USD')).toBe('—');
  });

  it('writes a whole target in whole units and a target with cents to the cent, never rounded across', () => {
    expect(lib.formatTargetMoney('30000.00', 'USD')).toBe('$30,000');
    expect(lib.formatTargetMoney('30000', 'USD')).toBe('$30,000');
    expect(lib.formatTargetMoney('30000.50', 'USD')).toBe('$30,000.50');
  });

  it('shows a negative figure with a real minus sign, never a hyphen', () => {
    expect(lib.formatMoney('-80.00', 'USD')).toBe('−$80.00');
    expect(lib.formatHeadlineMoney('-11150.94', 'USD')).toBe('−$11,151');
    expect(lib.formatScore(-26.8)).toBe('−26.8');
    expect(lib.formatScore(9.7)).toBe('+9.7');
    expect(lib.formatPercent(-0.114)).toBe('−11.4%');
    expect(lib.formatCount(-3)).toBe('−3');
    expect(lib.formatSignedCount(-3)).toBe('−3');
    expect(lib.chartFormatters('money', 'USD').full.format(-5)).toBe('−$5.00');
    for (const text of [lib.formatMoney('-1.00', 'USD'), lib.formatPoints(-0.045), lib.formatScore(-1)]) expect(text).not.toContain('-');
  });

  it('writes every date one way, "14 Dec 2026", with "Sep" for September', () => {
    expect(lib.formatDate('2026-12-14')).toBe('14 Dec 2026');
    expect(lib.formatDate('2026-09-01')).toBe('1 Sep 2026');
    expect(lib.formatDate(new Date('2026-12-14T23:30:00Z'))).toBe('14 Dec 2026');
    expect(lib.formatDate('not a date')).toBe('—');
    expect(lib.formatDateTime('2026-12-03T14:05:00Z')).toBe('3 Dec 2026, 14:05 UTC');
    expect(lib.formatDateTime('2026-12-03T14:05:00Z', { long: true })).toBe('Thursday, 3 December 2026 at 14:05 UTC');
    expect(lib.formatDateRange(parsePeriod('2026-10'))).toBe('1 Oct – 31 Oct 2026');
    expect(lib.formatDateRange({ start: '2025-12-01', end: '2026-02-28' })).toBe('1 Dec 2025 – 28 Feb 2026');
  });

  it('names periods in full and in short', () => {
    expect(['2026-10', '2026-Q3', '2025'].map(lib.formatPeriodLabel)).toEqual(['October 2026', 'Q3 2026', '2025']);
    expect(['2026-09', '2026-Q3', '2025'].map(lib.formatShortPeriodLabel)).toEqual(['Sep 2026', 'Q3 2026', '2025']);
    expect(lib.formatPeriodProgress(parsePeriod('2026-10'), '2026-10-02')).toBe('so far: 2 of 31 days');
    expect(lib.formatPeriodProgress(parsePeriod('2026-10'), '2026-11-02')).toBeNull();
  });

  it('says "no actions" rather than "0 of 0 open"', () => {
    expect(lib.describeActionCounts({ open: 0, overdue: 0, total: 0 })).toBe('no actions');
    expect(lib.describeActionCounts({ open: 0, overdue: 0 })).toBe('none open');
    expect(lib.describeActionCounts({ open: 3, overdue: 1 })).toBe('3 open, 1 overdue');
  });

  it('signs changes with a real minus sign and keeps tiny changes visible', () => {
    expect(lib.formatPoints(0.012)).toBe('+1.2 pts');
    expect(lib.formatPoints(-0.003)).toBe('−0.3 pts');
    expect(lib.formatPoints(-0.045)).toBe('−4.5 pts');
    expect(lib.formatPoints(0.0002)).toBe('+0.02 pts');
    expect(lib.formatPoints(0)).toBe('0.0 pts');
    expect(lib.formatMargin(0.061)).toBe('±6.1 pts');
    expect(lib.formatSignedMoney('-11150.94', 'USD')).toBe('−$11,150.94');
    expect(lib.formatSignedMoney('5913.25', 'USD')).toBe('+$5,913.25');
    expect(lib.formatMoneyChange('-100.00', '1000.00', 'USD')).toBe('−$100.00 (−10.0%)');
    expect(lib.formatMultiple(2, 1)).toBe('2.0×');
    expect(lib.formatMultiple(2.44)).toBe('2.4×');
  });
});

describe('comparisons', () => {
  const side = (value: number | null, margin: number | null = null) => ({ value, status: 'on_track' as const, marginOfError: margin });
  const cost = (value: string | null) => ({ value, status: 'off_track' as const });

  it('colour a change by the metric’s direction, and say so in words', () => {
    expect(ratioChange(side(0.9), side(0.8), 'higher_is_better', 'March')).toMatchObject({ tone: 'good', verdict: 'better' });
    expect(ratioChange(side(0.9), side(0.8), 'lower_is_better', 'March')).toMatchObject({ tone: 'bad', verdict: 'worse' });
    expect(ratioChange(side(0.8), side(0.8), 'higher_is_better', 'March')).toMatchObject({ tone: 'flat', verdict: 'no change' });
    expect(moneyChange(cost('120.00'), cost('100.00'), 'lower_is_better', 'March', 'USD')).toMatchObject({
      text: '+$20.00 (+20.0%)',
      tone: 'bad',
    });
    expect(moneyChange(cost('80.00'), cost('0.00'), 'lower_is_better', 'March', 'USD').text).toBe('+$80.00');
  });

  it('mark a change smaller than the combined margin of error as noise, not better or worse', () => {
    // Margins of 5 and 5 points give a 7.1-point margin for the difference: a 6-point rise is noise.
    const noisy = ratioChange(side(0.46, 0.05), side(0.4, 0.05), 'higher_is_better', 'March');
    expect(noisy).toMatchObject({ tone: 'noise', verdict: 'within noise (±7.1 pts)' });
    const real = ratioChange(side(0.5, 0.05), side(0.4, 0.05), 'higher_is_better', 'March');
    expect(real.tone).toBe('good');
  });

  it('show "—" with the reason when either side has no data, never 0', () => {
    expect(ratioChange(side(0.5), { value: null, status: 'no_data' }, 'higher_is_better', 'March')).toEqual({
      versus: 'March',
      text: '—',
      tone: 'none',
      verdict: 'nothing to compare with: no data for March',
    });
    expect(ratioChange({ value: null, status: 'no_data' }, side(0.5), 'higher_is_better', 'March').verdict).toBe('nothing to compare');
  });

  it('never colour a period that has not ended against a complete one', () => {
    const change = moneyChange({ value: '100.00', status: 'in_progress' }, cost('1000.00'), 'lower_is_better', 'November 2026', 'USD');
    expect(change).toMatchObject({ tone: 'none', verdict: 'so far: the period has not ended', text: '−$900.00 (−90.0%)' });
  });
});

describe('periods in the URL', () => {
  it('defaults to the latest complete month and explains a period it cannot read', () => {
    expect(choosePeriod(undefined, NOW)).toEqual({ period: parsePeriod('2026-10'), notice: null });
    expect(choosePeriod('2025-Q1', NOW).period.label).toBe('2025-Q1');
    expect(choosePeriod(['2025', '2024'], NOW).period.label).toBe('2025');
    const bad = choosePeriod('<script>', NOW);
    expect(bad.period.label).toBe('2026-10');
    expect(bad.notice).toContain('is not a period');
  });

  it('switches granularity to the same stretch of time while it is complete, else the latest complete one', () => {
    expect(periodInGranularity(parsePeriod('2026-05'), 'quarter', NOW).label).toBe('2026-Q2');
    expect(periodInGranularity(parsePeriod('2026-10'), 'quarter', NOW).label).toBe('2026-Q3');
    expect(periodInGranularity(parsePeriod('2026-10'), 'year', NOW).label).toBe('2025');
    expect(periodInGranularity(parsePeriod('2025-Q4'), 'month', NOW).label).toBe('2025-10');
  });

  it('offers periods up to the current one, marking it as in progress, and no “next” beyond it', () => {
    const picker = periodPickerView(parsePeriod('2026-11'), NOW);
    expect(picker.isComplete).toBe(false);
    expect(picker.next).toBeNull();
    expect(picker.options[0]).toEqual({ label: '2026-11', name: 'November 2026 (so far)' });
    const older = periodPickerView(parsePeriod('2019-02'), NOW);
    expect(older.options.at(-1)?.label).toBe('2019-02');
    expect(older.next?.label).toBe('2019-03');
  });
});

describe('describeAuditField', () => {
  it('reads a target change as a person would: "Retention target 98.0%", money as money, dates in the one format', async () => {
    const { describeAuditField } = await import('@/lib/format');
    expect(describeAuditField('metric', 'retention', 'target', '0.9800')).toEqual({ label: 'Retention target', value: '98.0%' });
    expect(describeAuditField('settings', null, 'targets.retention.target', '0.97')).toEqual({ label: 'Retention target', value: '97.0%' });
    expect(describeAuditField('metric', 'spot_fix_cost', 'atRiskThreshold', '30000.00')).toEqual({ label: 'Spot-fix cost at-risk threshold', value: '$30,000.00' });
    expect(describeAuditField('recurring_issue', 'late delivery', 'fixedOn', '2026-02-20')).toEqual({ label: 'Fixed on', value: '20 Feb 2026' });
    expect(describeAuditField('recurring_issue', 'late delivery', 'estimatedFixCost', null).value).toBe('—');
  });
});
