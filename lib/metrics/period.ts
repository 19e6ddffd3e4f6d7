/**
 * Periods are calendar months ("2025-03"), quarters ("2025-Q1") or years ("2025").
 * Dates are ISO calendar dates (YYYY-MM-DD) handled as strings: no time of day, no time zone.
 */
export type Granularity = 'month' | 'quarter' | 'year';

export interface Period {
  label: string;
  granularity: Granularity;
  start: string;
  end: string;
}

const PERIOD_PATTERN = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;

export class InvalidPeriodError extends Error {
  constructor(input: string) {
    super(`"${input}" is not a period: write a month (2025-03), a quarter (2025-Q1) or a year (2025)`);
    this.name = 'InvalidPeriodError';
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A period from its parts; `index` is the month (1–12) or quarter (1–4). */
function makePeriod(granularity: Granularity, year: number, index = 1): Period {
  if (granularity === 'year') {
    return { label: `${pad(year, 4)}`, granularity, start: `${pad(year, 4)}-01-01`, end: `${pad(year, 4)}-12-31` };
  }
  if (granularity === 'quarter') {
    const firstMonth = (index - 1) * 3 + 1;
    const lastMonth = firstMonth + 2;
    return {
      label: `${pad(year, 4)}-Q${index}`,
      granularity,
      start: `${pad(year, 4)}-${pad(firstMonth)}-01`,
      end: `${pad(year, 4)}-${pad(lastMonth)}-${pad(daysInMonth(year, lastMonth))}`,
    };
  }
  return {
    label: `${pad(year, 4)}-${pad(index)}`,
    granularity,
    start: `${pad(year, 4)}-${pad(index)}-01`,
    end: `${pad(year, 4)}-${pad(index)}-${pad(daysInMonth(year, index))}`,
  };
}

export function parsePeriod(input: string): Period {
  const match = PERIOD_PATTERN.exec(input.trim());
  if (!match) throw new InvalidPeriodError(input);
  const year = Number(match[1]);
  if (match[2]) return makePeriod('month', year, Number(match[2]));
  if (match[3]) return makePeriod('quarter', year, Number(match[3]));
  return makePeriod('year', year);
}

export function isPeriod(input: string): boolean {
  return PERIOD_PATTERN.test(input.trim());
}

function position(period: Period): { year: number; index: number } {
  const year = Number(period.start.slice(0, 4));
  const month = Number(period.start.slice(5, 7));
  if (period.granularity === 'quarter') return { year, index: (month - 1) / 3 + 1 };
  if (period.granularity === 'month') return { year, index: month };
  return { year, index: 1 };
}

const PER_YEAR: Record<Granularity, number> = { month: 12, quarter: 4, year: 1 };

/** The period `steps` periods later (negative: earlier), of the same granularity. */
export function shiftPeriod(period: Period, steps: number): Period {
  const perYear = PER_YEAR[period.granularity];
  const { year, index } = position(period);
  const ordinal = year * perYear + (index - 1) + steps;
  return makePeriod(period.granularity, Math.floor(ordinal / perYear), (ordinal % perYear) + 1);
}

export const previousPeriod = (period: Period) => shiftPeriod(period, -1);
export const samePeriodYearEarlier = (period: Period) => shiftPeriod(period, -PER_YEAR[period.granularity]);

/** The `count` periods ending with `period`, oldest first. */
export function periodsEndingWith(period: Period, count: number): Period[] {
  return Array.from({ length: count }, (_, i) => shiftPeriod(period, i - count + 1));
}

/** Calendar months the period spans: monthly money targets scale by it. */
export function monthsIn(period: Period): number {
  return 12 / PER_YEAR[period.granularity];
}

/** Today's date as YYYY-MM-DD in UTC. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The default view: the latest month that has fully ended. */
export function latestCompleteMonth(now: Date = new Date()): Period {
  const current = parsePeriod(todayIso(now).slice(0, 7));
  return previousPeriod(current);
}

export function periodContaining(isoDate: string, granularity: Granularity): Period {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  if (granularity === 'year') return makePeriod('year', year);
  if (granularity === 'quarter') return makePeriod('quarter', year, Math.floor((month - 1) / 3) + 1);
  return makePeriod('month', year, month);
}

/** How far a period has run on `today`: complete the day after its last day. */
export interface PeriodProgress {
  complete: boolean;
  hasBegun: boolean;
  /** Days of the period up to and including today (0 before it begins; all of them once complete). */
  daysElapsed: number;
  days: number;
}

const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;

export function periodProgress(period: Period, today: string = todayIso()): PeriodProgress {
  const days = dayNumber(period.end) - dayNumber(period.start) + 1;
  const complete = period.end < today;
  const hasBegun = period.start <= today;
  const daysElapsed = complete ? days : hasBegun ? dayNumber(today) - dayNumber(period.start) + 1 : 0;
  return { complete, hasBegun, daysElapsed, days };
}

export const isCompletePeriod = (period: Period, now: Date = new Date()): boolean => period.end < todayIso(now);

/** The latest complete period of a granularity. */
export function latestCompletePeriod(granularity: Granularity, now: Date = new Date()): Period {
  return shiftPeriod(periodContaining(todayIso(now), granularity), -1);
}
