'use client';

import { formatLocalDateTime } from '@/lib/format';

/** A timestamp in the reader's own time zone; the server's rendering may differ by zone, hence the warning is silenced. */
export function LocalTime({ iso, style = 'dateTime' }: { iso: string; style?: 'dateTime' | 'time' }) {
  const text = formatLocalDateTime(iso, style);
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {text}
    </time>
  );
}
