import Link from 'next/link';
import type { PeriodPickerView } from '@/lib/metrics/period-picker';
import styles from './period-picker.module.css';

/**
 * Month / quarter / year, previous / next, and a list of periods: plain links and a GET form,
 * so the period lives in the URL (shareable) and the picker works without JavaScript.
 */
export function PeriodPicker({ picker, basePath }: { picker: PeriodPickerView; basePath: string }) {
  const href = (label: string) => `${basePath}?period=${encodeURIComponent(label)}`;
  return (
    <nav className={styles.picker} aria-label="Period">
      <ul className={styles.granularities}>
        {picker.granularities.map((g) => (
          <li key={g.granularity}>
            <Link
              href={href(g.label)}
              prefetch={false}
              className={g.isCurrent ? styles.current : undefined}
              aria-current={g.isCurrent ? 'true' : undefined}
            >
              {g.name}
            </Link>
          </li>
        ))}
      </ul>
      <div className={styles.stepper}>
        <Link href={href(picker.previous.label)} prefetch={false} className={styles.step} aria-label={`Previous: ${picker.previous.name}`}>
          <span aria-hidden="true">‹</span>
        </Link>
        <form method="get" action={basePath} className={styles.form}>
          <label htmlFor="period-select" className="visually-hidden">
            Period
          </label>
          <select id="period-select" name="period" defaultValue={picker.current.label} className={styles.select}>
            {picker.options.map((option) => (
              <option key={option.label} value={option.label}>
                {option.name}
              </option>
            ))}
          </select>
          <button type="submit" className={`button ${styles.show}`}>
            Show
          </button>
        </form>
        {picker.next ? (
          <Link href={href(picker.next.label)} prefetch={false} className={styles.step} aria-label={`Next: ${picker.next.name}`}>
            <span aria-hidden="true">›</span>
          </Link>
        ) : (
          <span className={`${styles.step} ${styles.disabled}`} aria-hidden="true">
            ›
          </span>
        )}
      </div>
    </nav>
  );
}
