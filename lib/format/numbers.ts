import { toCents, type Money } from '@/lib/metrics/money';

/**
 * Figures for reading: percentages, money, counts, scores and their changes. Display text only:
 * a negative number carries a real minus sign (−), which CSV and JSON never do, so exports and the
 * API format their numbers themselves.
 */
const LOCALE = 'en-US';

export const DASH = '—';
export const MINUS = '−';

// Each Intl formatter is made once: constructing one costs more than a whole cached page view,
// and a drill-down's tables show hundreds of figures.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, options);
    numberFormats.set(key, format);
  }
  return format;
}

/** Intl writes a hyphen-minus; a page shows the minus sign. */
const withMinus = (text: string) => text.replace('-', MINUS);

export function formatPercent(ratio: number | null, fractionDigits = 1): string {
  if (ratio === null || !Number.isFinite(ratio)) return DASH;
  return withMinus(
    numberFormat(`percent:${fractionDigits}`, {
      style: 'percent',
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    }).format(ratio),
  );
}

/**
 * Money arrives as an exact decimal string; Intl formats the string itself, without a float round
 * trip. Tables and files keep cents; a headline (`whole`) is rounded to the unit, as a board reads
 * it; `compact` is for tight spaces ("$34.5K").
 */
export function formatMoney(amount: Money | null, currency: string, options: { compact?: boolean; whole?: boolean } = {}): string {
  if (amount === null) return DASH;
  const style = options.compact ? 'compact' : options.whole ? 'whole' : 'cents';
  const digits = options.compact ? { max: 1, min: 0 } : options.whole ? { max: 0, min: 0 } : { max: 2, min: 2 };
  return withMinus(
    numberFormat(`money:${currency}:${style}`, {
      style: 'currency',
      currency,
      notation: options.compact ? 'compact' : 'standard',
      maximumFractionDigits: digits.max,
      minimumFractionDigits: digits.min,
      roundingMode: 'halfExpand',
    }).format(amount as unknown as number),
  );
}

/** A headline figure (a card, a snapshot, a slide): whole units, "$34,499". Tables keep the cents. */
export function formatHeadlineMoney(amount: Money | null, currency: string): string {
  return formatMoney(amount, currency, { whole: true });
}

/** A target or threshold: whole units when it is a whole amount ("$30,000"), else to the cent, so it is never rounded across the line. */
export function formatTargetMoney(amount: Money | null, currency: string): string {
  return formatMoney(amount, currency, { whole: amount !== null && /^-?\d+(\.0*)?$/.test(amount) });
}

export function formatCount(count: number | null): string {
  if (count === null) return DASH;
  return withMinus(numberFormat('count', {}).format(count));
}

/** A score such as NPS, signed: "+9.7", "−26.8", "0.0". */
export function formatScore(score: number | null, fractionDigits = 1): string {
  if (score === null || !Number.isFinite(score)) return DASH;
  return formatSigned(score, fractionDigits);
}

function formatSigned(value: number, fractionDigits: number): string {
  return withMinus(
    numberFormat(`signed:${fractionDigits}`, {
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
      signDisplay: 'exceptZero',
    }).format(value),
  );
}

/** A change of a ratio in percentage points: "+1.2 pts", "−0.3 pts". */
export function formatPoints(deltaRatio: number): string {
  const points = deltaRatio * 100;
  // A real change that rounds to 0.0 is shown with two places rather than as no change.
  const digits = points !== 0 && Math.abs(points) < 0.05 ? 2 : 1;
  return `${formatSigned(points, digits)} pts`;
}

/** A margin of error in percentage points: "±6.1 pts". */
export function formatMargin(marginRatio: number): string {
  return `±${numberFormat('margin', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(marginRatio * 100)} pts`;
}

export function formatSignedCount(delta: number): string {
  return formatSigned(delta, 0);
}

/** "+$1,234.50" / "−$80.00" from exact money. */
export function formatSignedMoney(amount: Money, currency: string): string {
  const cents = toCents(amount);
  const magnitude = formatMoney(cents < 0n ? amount.replace('-', '') : amount, currency);
  return cents > 0n ? `+${magnitude}` : cents < 0n ? `${MINUS}${magnitude}` : magnitude;
}

/** A change of money with its relative size: "+$3,204.10 (+7.0%)"; no percentage from nothing. */
export function formatMoneyChange(delta: Money, then: Money, currency: string): string {
  const thenCents = toCents(then);
  const relative = thenCents === 0n ? '' : ` (${formatSigned((Number(toCents(delta)) / Number(thenCents)) * 100, 1)}%)`;
  return `${formatSignedMoney(delta, currency)}${relative}`;
}

/** "2.4×": how many times one rate is another's; `fractionDigits` fixes the places ("2.0×"). */
export function formatMultiple(multiple: number | null, fractionDigits?: number): string {
  if (multiple === null || !Number.isFinite(multiple)) return DASH;
  const options = fractionDigits === undefined ? { maximumFractionDigits: 1 } : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
  return `${withMinus(numberFormat(`multiple:${fractionDigits ?? ''}`, options).format(multiple))}×`;
}

export type ChartValueFormat = 'percent' | 'money' | 'count' | 'score';
type NumberFormatter = { format: (value: number) => string };

/** A chart's axis labels (short) and tooltips (full) for one kind of value. Display only: exact figures are in the table beside each chart. */
export function chartFormatters(format: ChartValueFormat, currency: string): { axis: NumberFormatter; full: NumberFormatter } {
  const make = (key: string, options: Intl.NumberFormatOptions): NumberFormatter => {
    const intl = numberFormat(`chart:${format}:${currency}:${key}`, options);
    return { format: (value: number) => withMinus(intl.format(value)) };
  };
  if (format === 'percent') {
    return {
      axis: make('axis', { style: 'percent', maximumFractionDigits: 1 }),
      full: make('full', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    };
  }
  if (format === 'money') {
    return {
      axis: make('axis', { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }),
      full: make('full', { style: 'currency', currency }),
    };
  }
  return {
    axis: make('axis', { maximumFractionDigits: format === 'score' ? 1 : 0 }),
    full: make('full', { maximumFractionDigits: format === 'score' ? 2 : 0 }),
  };
}
