'use client';

import { useRef, useState } from 'react';
import styles from './manage.module.css';

/** The one time a link is shown: a read-only field, a Copy button and a way to open it. */
export function CopyLink({ link }: { link: string }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'select'>('idle');

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('copied');
    } catch {
      // No clipboard permission (or not a secure context): select it for Ctrl+C instead.
      field.current?.select();
      setCopied('select');
    }
  }

  return (
    <div className={styles.copyLink}>
      <label className={styles.copyLabel}>
        <span>Snapshot link</span>
        <input
          ref={field}
          readOnly
          value={link}
          data-testid="snapshot-link"
          className={styles.copyField}
          onFocus={(event) => event.currentTarget.select()}
        />
      </label>
      <div className={styles.copyButtons}>
        <button type="button" className="button button-primary" onClick={copy}>
          Copy link
        </button>
        <a className="button" href={link} target="_blank" rel="noreferrer noopener">
          Open
        </a>
        <span role="status" aria-live="polite" className={styles.copyStatus}>
          {copied === 'copied' ? 'Copied.' : copied === 'select' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
        </span>
      </div>
    </div>
  );
}
