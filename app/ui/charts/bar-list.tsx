import type { ReactNode } from 'react';
import styles from './bar-list.module.css';

export interface BarListItem {
  key: string;
  label: ReactNode;
  /** 0–1 of the longest possible bar. */
  share: number;
  /** The figures in words beside the bar: the bar itself is hidden from screen readers. */
  figures: ReactNode;
}

/** A ranked list with one bar per row (why customers left, and the like): label, bar, figures; stacked on a phone. */
export function BarList({ items, testId, tone = 'bad' }: { items: BarListItem[]; testId?: string; tone?: 'bad' | 'neutral' }) {
  return (
    <ol className={styles.list} data-testid={testId}>
      {items.map((item) => (
        <li key={item.key} className={styles.row}>
          <span className={styles.label}>{item.label}</span>
          <span className={`${styles.track} ${tone === 'bad' ? styles.bad : ''}`} aria-hidden="true">
            {/* Never quite empty: a small share still shows it is there. */}
            <span style={{ width: `${Math.max(2, Math.min(100, item.share * 100)).toFixed(1)}%` }} />
          </span>
          <span className={styles.figures}>{item.figures}</span>
        </li>
      ))}
    </ol>
  );
}
