/** Display formatting for figures, with Intl, in one place for pages, snapshots and exports. */
const LOCALE = 'en-US';

export const DASH = '—';

export function formatPercent(ratio: number | null, fractionDigits = 1): string {
  if (ratio === null || !Number.isFinite(ratio)) return DASH;
  return new Intl.NumberFormat(LOCALE, {
    style: 'percent',
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(ratio);
}

/**
 * Money arrives as an exact decimal string; Intl formats the string itself, without a float round
 * trip. Tables and files keep cents; a headline figure (`whole`) is rounded to the unit, as a board reads it.
 */
export function formatMoney(amount: string | null, currency: string, options: { compact?: boolean; whole?: boolean } = {}): string {
  if (amount === null) return DASH;
  const digits = options.compact ? { max: 1, min: 0 } : options.whole ? { max: 0, min: 0 } : { max: 2, min: 2 };
  return new Intl.NumberFormat(LOCALE, {
    style: 'currency',
    currency,
    notation: options.compact ? 'compact' : 'standard',
    maximumFractionDigits: digits.max,
    minimumFractionDigits: digits.min,
    roundingMode: 'halfExpand',
  }).format(amount as unknown as number);
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** The one way a calendar date reads on every page and snapshot: "14 Dec 2026". Accepts an ISO date or an instant. */
export function formatDate(value: string | Date | null): string {
  if (value === null) return DASH;
  const date = typeof value === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value) : value;
  if (Number.isNaN(date.getTime())) return DASH;
  return DATE.format(date);
}

export function formatCount(count: number | null): string {
  if (count === null) return DASH;
  return new Intl.NumberFormat(LOCALE).format(count);
}

export function formatScore(score: number | null, fractionDigits = 1): string {
  if (score === null || !Number.isFinite(score)) return DASH;
  return new Intl.NumberFormat(LOCALE, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
    signDisplay: 'exceptZero',
  }).format(score);
}

const STATUS_LABELS = { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track', no_data: 'No data', in_progress: 'In progress' } as const;
export type StatusKey = keyof typeof STATUS_LABELS;

export function statusLabel(status: StatusKey): string {
  return STATUS_LABELS[status];
}

const POWER_CORE_LABELS: Record<string, string> = {
  product: 'Product',
  sales: 'Sales',
  marketing: 'Marketing',
  vertical_business: 'Vertical business',
  it: 'IT',
  customer: 'Customer',
  operations: 'Operations',
};

export function powerCoreLabel(core: string): string {
  return POWER_CORE_LABELS[core] ?? core;
}

export function formatPeriodLabel(label: string): string {
  if (/^\d{4}-\d{2}$/.test(label)) {
    const [year, month] = label.split('-').map(Number);
    return new Intl.DateTimeFormat(LOCALE, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(Date.UTC(year, month - 1, 1)),
    );
  }
  if (/^\d{4}-Q[1-4]$/.test(label)) return `${label.slice(5)} ${label.slice(0, 4)}`;
  return label;
}

/** "3 open recurring issues and 1 unfinished action": what someone leaving hands over (empty for none). */
export function describeOpenWork({ issues, actions }: { issues: number; actions: number }): string {
  const part = (n: number, noun: string) => (n === 0 ? null : `${n} ${noun}${n === 1 ? '' : 's'}`);
  return [part(issues, 'open recurring issue'), part(actions, 'unfinished action')].filter(Boolean).join(' and ');
}

/** A calendar date (YYYY-MM-DD) for reading, in the one date format: "3 Dec 2026". */
export function formatCalendarDate(isoDate: string): string {
  return formatDate(isoDate);
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const LONG_DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' });

/** An instant in UTC, so every reader (and a print) sees the same text: "3 Dec 2026, 14:05 UTC"; `long` spells the weekday and month. */
export function formatDateTime(value: string | Date | null, options: { long?: boolean } = {}): string {
  if (value === null) return DASH;
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return DASH;
  return `${(options.long ? LONG_DATE_TIME : DATE_TIME).format(date)} UTC`;
}

const LOCAL_TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const LOCAL_DATE_TIME = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** An instant in the reader's own time zone (a client component's clock): "3 Dec 2026, 14:05" or "14:05". */
export function formatLocalDateTime(value: string | Date, style: 'dateTime' | 'time' = 'dateTime'): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return (style === 'time' ? LOCAL_TIME : LOCAL_DATE_TIME).format(date);
}

const SHORT_MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "Nov 2024", "Q3 2025", "2025": a period short enough for a chart's axis on a phone. */
export function formatShortPeriodLabel(label: string): string {
  if (/^\d{4}-\d{2}$/.test(label)) {
    const [year, month] = label.split('-').map(Number);
    return SHORT_MONTH.format(new Date(Date.UTC(year, month - 1, 1)));
  }
  return formatPeriodLabel(label);
}

export type ChartValueFormat = 'percent' | 'money' | 'count' | 'score';
type NumberFormatter = { format: (value: number) => string };
const chartFormats = new Map<string, { axis: NumberFormatter; full: NumberFormatter }>();

/** A chart's axis labels (short) and tooltips (full) for one kind of value. Display only: exact figures are in the table beside each chart. */
export function chartFormatters(format: ChartValueFormat, currency: string): { axis: NumberFormatter; full: NumberFormatter } {
  const key = `${format}:${currency}`;
  let entry = chartFormats.get(key);
  if (!entry) {
    if (format === 'percent') {
      entry = {
        axis: new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 }),
        full: new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
      };
    } else if (format === 'money') {
      entry = {
        axis: new Intl.NumberFormat(LOCALE, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }),
        full: new Intl.NumberFormat(LOCALE, { style: 'currency', currency }),
      };
    } else {
      entry = {
        axis: new Intl.NumberFormat(LOCALE, { maximumFractionDigits: format === 'score' ? 1 : 0 }),
        full: new Intl.NumberFormat(LOCALE, { maximumFractionDigits: format === 'score' ? 2 : 0 }),
      };
    }
    chartFormats.set(key, entry);
  }
  return entry;
}

/** "2.4×": how many times one rate is another's. */
export function formatMultiple(multiple: number | null): string {
  if (multiple === null || !Number.isFinite(multiple)) return DASH;
  return `${new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 }).format(multiple)}×`;
}

/** A compared label ("late delivery") for reading: "Late delivery"; none reads as `none`. */
export function formatGroupLabel(label: string | null, none: string): string {
  if (label === null) return none;
  return label.charAt(0).toLocaleUpperCase(LOCALE) + label.slice(1);
}

const METRIC_LABELS: Record<string, string> = { retention: 'Retention', recommendation: 'Recommendation rate', spot_fix_cost: 'Spot-fix cost' };
const AUDIT_FIELD_WORDS: Record<string, string> = {
  target: 'target',
  atRiskThreshold: 'at-risk threshold',
  threshold: 'at-risk threshold',
  ownerId: 'accountable executive',
  estimatedFixCost: 'estimated fix cost',
  fixedOn: 'fixed on',
  isActive: 'active',
  powerCore: 'power core',
  sessionVersion: 'session version',
};

const words = (key: string) => AUDIT_FIELD_WORDS[key] ?? key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/**
 * An audit entry's field and value as a person reads them: "targets.retention.target" 0.9800 on
 * metric `retention` reads "Retention target" 98.0%; money reads as money; dates in the one format.
 */
export function describeAuditField(entity: string, entityId: string | null, path: string, value: unknown, currency = 'USD'): { label: string; value: string } {
  const parts = path.split('.').filter((p) => p !== 'targets');
  const metric = parts.find((p) => p in METRIC_LABELS) ?? (entity === 'metric' && entityId && entityId in METRIC_LABELS ? entityId : null);
  const rest = parts.filter((p) => p !== metric);
  const field = rest.map(words).join(' ');
  const label = metric ? `${METRIC_LABELS[metric]} ${field}`.trim() : field.charAt(0).toUpperCase() + field.slice(1);
  const last = rest[rest.length - 1] ?? '';
  let text: string;
  if (value === null || value === undefined || value === '') text = DASH;
  else if (metric && metric !== 'spot_fix_cost' && /target|threshold/i.test(last) && Number.isFinite(Number(value))) text = formatPercent(Number(value));
  else if ((metric === 'spot_fix_cost' && /target|threshold/i.test(last)) || /cost|value$/i.test(last)) text = /^-?\d+(\.\d+)?$/.test(String(value)) ? formatMoney(String(value), currency) : String(value);
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) text = formatDate(value);
  else if (typeof value === 'boolean') text = value ? 'yes' : 'no';
  else text = typeof value === 'string' ? value : JSON.stringify(value);
  return { label, value: text };
}
