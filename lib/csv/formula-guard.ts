/**
 * Spreadsheet formula guard (SPEC "Data in"). A cell that begins with `=`, `+`, `-`, `@`, a tab
 * or a carriage return is exported with a leading `'`, so a spreadsheet shows it as text instead
 * of running it; import takes that `'` off again. A value that itself begins with quotes before
 * one of those characters (`'=x`) gets one more, so every value survives the round trip exactly:
 * `unguardCell(guardCell(v)) === v` for every string.
 */
const GUARDED = /^'*[=+\-@\t\r]/;
const UNGUARD = /^'+[=+\-@\t\r]/;

export function guardCell(value: string): string {
  return GUARDED.test(value) ? `'${value}` : value;
}

/** For every import path (CSV parse, bulk loads): undoes `guardCell`, leaves anything else alone. */
export function unguardCell(value: string): string {
  // Most cells do not start with a quote: one character compare spares the regex.
  if (value.charCodeAt(0) !== 39) return value;
  return UNGUARD.test(value) ? value.slice(1) : value;
}
