import { normaliseMoney } from '@/lib/validation/records';

/**
 * Money as people type it into a form: "$1,200", "1,200.50", "USD 75", "1 200". Only forms use
 * this; files and the API stay strict (SPEC), because a file's "1,200" is as likely a decimal comma.
 * The amount is read as text and never touches a float; each refusal says what to change.
 */
export type FormMoneyResult = { ok: true; amount: string } | { ok: false; reason: string };

const CURRENCY_SIGNS = /^(?:[$€£¥]|[A-Z]{3}(?=[\s\d]))\s*/i;
const GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const PLAIN = /^\d+(?:\.\d+)?$/;
const MAX_WHOLE_DIGITS = 12;

export function parseFormMoney(input: string): FormMoneyResult {
  const typed = input.trim();
  if (typed === '') return { ok: false, reason: 'is required' };
  let text = typed.replace(CURRENCY_SIGNS, '').replace(/\s*[$€£¥]$/, '');
  if (text.startsWith('-') || text.startsWith('(') || text.startsWith('−')) {
    return { ok: false, reason: `"${typed}" is negative: a spot fix costs something, so enter what it cost, like 1,200` };
  }
  // Spaces (plain or no-break) as thousands separators: "1 200".
  if (/^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?$/.test(text)) text = text.replace(/[ \u00a0\u202f]/g, ',');
  if (!GROUPED.test(text) && !PLAIN.test(text)) {
    if (/^\d+,\d{1,2}$/.test(text)) {
      return { ok: false, reason: `"${typed}" uses a comma for cents: write the cents after a point, like ${text.replace(',', '.')}` };
    }
    if (/^[\d,]+(?:\.\d+)?$/.test(text)) {
      return { ok: false, reason: `"${typed}" has a comma out of place: commas separate thousands, like 1,200 or 12,000.50` };
    }
    return { ok: false, reason: `"${typed}" is not an amount: use digits, like 1,200 or 1200.50 (a currency sign is fine)` };
  }
  const [whole, fraction = ''] = text.replace(/,/g, '').split('.');
  if (fraction.length > 2) {
    return { ok: false, reason: `"${typed}" has ${fraction.length} decimal places: amounts go to the cent, like 12.35` };
  }
  if (whole.replace(/^0+(?=\d)/, '').length > MAX_WHOLE_DIGITS) {
    return { ok: false, reason: `"${typed}" is too large: at most 12 digits before the point` };
  }
  return { ok: true, amount: normaliseMoney(fraction ? `${whole}.${fraction}` : whole) };
}
