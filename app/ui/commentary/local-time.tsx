'use client';

/** A timestamp in the reader's own time zone; the server's rendering may differ by zone, hence the warning is silenced. */
export function LocalTime({ iso, style = 'dateTime' }: { iso: string; style?: 'dateTime' | 'time' }) {
  const date = new Date(iso);
  const text =
    style === 'time'
      ? new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' }).format(date)
      : new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' }).format(date);
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {text}
    </time>
  );
}
