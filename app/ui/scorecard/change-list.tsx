import type { ChangeView } from '@/lib/data/change-view';
import styles from './change-list.module.css';

const ARROW = (text: string) => (text.startsWith('+') ? '▲' : text.startsWith('−') ? '▼' : '•');

/** Changes against earlier periods: the arrow and the word carry the meaning, colour only repeats it. */
export function ChangeList({ changes, label = 'Change' }: { changes: ChangeView[]; label?: string }) {
  return (
    <dl className={styles.changes} aria-label={label}>
      {changes.map((change) => (
        <div key={change.versus} className={styles.row}>
          <dt className={styles.versus}>vs {change.versus}</dt>
          <dd className={`${styles.delta} ${styles[change.tone]}`}>
            {change.tone !== 'none' && <span aria-hidden="true">{ARROW(change.text)} </span>}
            <span className={styles.text}>{change.text}</span>
            {change.verdict && (
              <span className={styles.verdict} data-change-words>
                {change.verdict}
              </span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
