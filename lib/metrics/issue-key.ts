/**
 * Two issue labels name the same issue when they are equal ignoring case and extra white space
 * ("Late  delivery " is "late delivery"). The key is what repeat detection groups by;
 * each record keeps its label as written.
 */
export function issueKey(label: string): string {
  return label.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
