import { periodProgress, type Period } from '@/lib/metrics/period';
import { DASH } from './numbers';

/**
 * Dates, instants and period names for reading. One date format throughout, "14 Dec 2026"
 * (day, short month, year; "Sep", never "Sept"), on every page, snapshot, mail and log.
 */
const LOCALE = 'en-US';

// Made once: constructing a formatter costs more than a cached page view (the picker names 36 periods).
const DAY_MONTH = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const YEAR = new Intl.DateTimeFormat(LOCALE, { year: 'numeric', timeZone: 'UTC' });
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
const LONG_DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeZone: 'UTC' });
const LOCAL_DAY_MONTH = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short' });
const LOCAL_YEAR = new Intl.DateTimeFormat(LOCALE, { year: 'numeric' });
const LOCAL_TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const LONG_MONTH = new Intl.DateTimeFormat(LOCALE, { month: 'long', year: 'numeric', timeZone: 'UTC' });
const SHORT_MONTH = new Intl.DateTimeFormat(LOCALE, { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "14 Dec" from a formatter that writes "Dec 14". */
function dayMonth(format: Intl.DateTimeFormat, date: Date): string {
  const parts = format.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')}`;
}

const utcDay = (date: Date) => `${dayMonth(DAY_MONTH, date)} ${YEAR.format(date)}`;

function toDate(value: string | Date): Date {
  if (typeof value !== 'string') return value;
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

/** The one way a calendar date reads on every page and snapshot: "14 Dec 2026". Accepts an ISO date or an instant. */
export function formatDate(value: string | Date | null): string {
  if (value === null) return DASH;
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return DASH;
  return utcDay(date);
}

/**
 * An instant in UTC, so every reader (and a print) sees the same text: "3 Dec 2026, 14:05 UTC";
 * `long` spells the weekday and month: "Thursday 3 December 2026 at 14:05 UTC".
 */
export function formatDateTime(value: string | Date | null, options: { long?: boolean } = {}): string {
  if (value === null) return DASH;
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return DASH;
  return options.long ? `${LONG_DATE.format(date)} at ${TIME.format(date)} UTC` : `${utcDay(date)}, ${TIME.format(date)} UTC`;
}

/** An instant in the reader's own time zone (a client component's clock): "3 Dec 2026, 14:05" or "14:05". */
export function formatLocalDateTime(value: string | Date, style: 'dateTime' | 'time' = 'dateTime'): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (style === 'time') return LOCAL_TIME.format(date);
  return `${dayMonth(LOCAL_DAY_MONTH, date)} ${LOCAL_YEAR.format(date)}, ${LOCAL_TIME.format(date)}`;
}

const monthStart = (label: string) => new Date(Date.UTC(Number(label.slice(0, 4)), Number(label.slice(5, 7)) - 1, 1));

/** "October 2026", "Q3 2026", "2025". */
export function formatPeriodLabel(label: string): string {
  if (/^\d{4}-\d{2}$/.test(label)) return LONG_MONTH.format(monthStart(label));
  if (/^\d{4}-Q[1-4]$/.test(label)) return `${label.slice(5)} ${label.slice(0, 4)}`;
  return label;
}

/** "Oct 2026", "Q3 2026", "2025": a period short enough for a chart's axis on a phone. */
export function formatShortPeriodLabel(label: string): string {
  if (/^\d{4}-\d{2}$/.test(label)) return SHORT_MONTH.format(monthStart(label));
  return formatPeriodLabel(label);
}

/** "1 Oct – 31 Oct 2026"; the year twice only when the period spans two. */
export function formatDateRange(period: Pick<Period, 'start' | 'end'>): string {
  const start = toDate(period.start);
  const sameYear = period.start.slice(0, 4) === period.end.slice(0, 4);
  return `${sameYear ? dayMonth(DAY_MONTH, start) : utcDay(start)} – ${formatDate(period.end)}`;
}

/** "so far: 2 of 31 days" while the period runs; null once it has ended. */
export function formatPeriodProgress(period: Period, today: string): string | null {
  const progress = periodProgress(period, today);
  if (progress.complete) return null;
  return `so far: ${progress.daysElapsed} of ${progress.days} days`;
}
