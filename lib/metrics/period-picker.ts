import { formatPeriodLabel } from '@/lib/format';
import {
  isCompletePeriod,
  isPeriod,
  latestCompleteMonth,
  latestCompletePeriod,
  parsePeriod,
  periodContaining,
  periodsEndingWith,
  shiftPeriod,
  todayIso,
  type Granularity,
  type Period,
} from './period';

/** Which period a page shows (from `?period=`), and the picker that moves between periods. */

export interface PeriodChoice {
  period: Period;
  /** Set when the URL asked for something that is not a period. */
  notice: string | null;
}

/** The period a page shows: `?period=` when it names one, else the latest complete month. */
export function choosePeriod(requested: string | string[] | undefined, now: Date = new Date()): PeriodChoice {
  const value = Array.isArray(requested) ? requested[0] : requested;
  if (value === undefined || value === '') return { period: latestCompleteMonth(now), notice: null };
  if (isPeriod(value)) {
    const period = parsePeriod(value);
    const year = Number(period.start.slice(0, 4));
    if (year >= 1900 && year <= 9999) return { period, notice: null };
  }
  const fallback = latestCompleteMonth(now);
  return {
    period: fallback,
    notice: `“${value.slice(0, 40)}” is not a period (write 2025-03, 2025-Q1 or 2025), so this shows ${formatPeriodLabel(fallback.label)}.`,
  };
}

/** Switching month ↔ quarter ↔ year keeps the same stretch of time where that period is complete. */
export function periodInGranularity(period: Period, granularity: Granularity, now: Date = new Date()): Period {
  if (period.granularity === granularity) return period;
  const containing = periodContaining(period.start, granularity);
  return isCompletePeriod(containing, now) ? containing : latestCompletePeriod(granularity, now);
}

export interface PeriodPickerView {
  current: Period;
  currentName: string;
  isComplete: boolean;
  previous: { label: string; name: string };
  next: { label: string; name: string } | null;
  granularities: Array<{ granularity: Granularity; name: string; label: string; isCurrent: boolean }>;
  options: Array<{ label: string; name: string }>;
}

const OPTION_COUNT: Record<Granularity, number> = { month: 36, quarter: 16, year: 8 };

export function periodPickerView(period: Period, now: Date = new Date()): PeriodPickerView {
  const thisPeriod = periodContaining(todayIso(now), period.granularity);
  const next = shiftPeriod(period, 1);
  const options = periodsEndingWith(thisPeriod, OPTION_COUNT[period.granularity]).reverse();
  if (!options.some((p) => p.label === period.label)) options.push(period);
  const previous = shiftPeriod(period, -1);
  return {
    current: period,
    currentName: formatPeriodLabel(period.label),
    isComplete: isCompletePeriod(period, now),
    previous: { label: previous.label, name: formatPeriodLabel(previous.label) },
    next: next.start <= thisPeriod.start ? { label: next.label, name: formatPeriodLabel(next.label) } : null,
    granularities: (['month', 'quarter', 'year'] as const).map((granularity) => {
      const target = periodInGranularity(period, granularity, now);
      return {
        granularity,
        name: granularity === 'month' ? 'Month' : granularity === 'quarter' ? 'Quarter' : 'Year',
        label: target.label,
        isCurrent: granularity === period.granularity,
      };
    }),
    options: options.map((p) => ({
      label: p.label,
      name: `${formatPeriodLabel(p.label)}${isCompletePeriod(p, now) ? '' : ' (so far)'}`,
    })),
  };
}
