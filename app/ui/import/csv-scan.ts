/**
 * Counts a CSV's records in the browser, chunk by chunk, for the progress bar's "of total":
 * a line break ends a record only outside quotes (RFC 4180 quotes toggle, "" toggles twice).
 * Bytes are scanned, not text: in UTF-8 the bytes of " and line breaks never occur inside
 * another character, so a chunk may end anywhere. Blank lines are not counted. The server's
 * parser is the authority; this is only an estimate to show progress against.
 */
export interface CsvScan {
  inQuotes: boolean;
  lineHasContent: boolean;
  records: number;
}

export const newCsvScan = (): CsvScan => ({ inQuotes: false, lineHasContent: false, records: 0 });

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** Scans one chunk, carrying the state over to the next; returns the records that ended in it. */
export function scanCsvChunk(bytes: Uint8Array, scan: CsvScan): number {
  const before = scan.records;
  let { inQuotes, lineHasContent, records } = scan;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      inQuotes = !inQuotes;
      lineHasContent = true;
    } else if (byte === LF && !inQuotes) {
      if (lineHasContent) records++;
      lineHasContent = false;
    } else if (byte !== CR && byte !== SPACE && byte !== TAB) {
      lineHasContent = true;
    }
  }
  Object.assign(scan, { inQuotes, lineHasContent, records });
  return records - before;
}

/** Records in a finished scan, counting a last line without a line break. */
export function finishCsvScan(scan: CsvScan): number {
  return scan.records + (scan.lineHasContent ? 1 : 0);
}
