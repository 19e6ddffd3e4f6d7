import type { PeriodPickerView } from '@/lib/metrics/period-picker';
import { PeriodPicker } from './period-picker';
import styles from './page-heading.module.css';

/** The title row shared by the scorecard and the drill-downs: what, which period, and the picker. */
export function PageHeading({
  eyebrow,
  title,
  dateRange,
  isComplete,
  progressText,
  notice,
  picker,
  basePath,
}: {
  eyebrow: React.ReactNode;
  title: string;
  dateRange: string;
  isComplete: boolean;
  /** "so far: 2 of 31 days" while the period runs. */
  progressText?: string | null;
  notice: string | null;
  picker: PeriodPickerView;
  basePath: string;
}) {
  return (
    <header className={styles.heading}>
      <div className={styles.titles}>
        <p className={styles.eyebrow}>{eyebrow}</p>
        <h1>{title}</h1>
        <p className={styles.range}>
          {dateRange}
          {!isComplete && (
            <span className={styles.partial} data-testid="period-progress">
              {' '}
              · in progress: figures {progressText ?? 'so far'}, no verdict until it ends
            </span>
          )}
        </p>
      </div>
      <PeriodPicker picker={picker} basePath={basePath} />
      {notice && (
        <p className={styles.notice} role="status">
          {notice}
        </p>
      )}
    </header>
  );
}
