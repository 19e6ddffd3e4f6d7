'use client';

import { useEffect, useRef, useState } from 'react';
import type { PasswordLinkView } from '@/app/actions/admin';
import { formatDateTime } from '@/lib/format';
import styles from './admin.module.css';

/** A one-time link, shown once: the server keeps only its hash, so it cannot be shown again. */
export function PasswordLink({ link }: { link: PasswordLinkView }) {
  const [origin, setOrigin] = useState('');
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setOrigin(window.location.origin), []);
  const url = `${origin}${link.path}`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // No clipboard permission: select the text so Ctrl+C works.
      input.current?.select();
      document.execCommand?.('copy');
    }
    setCopied(true);
  }

  return (
    <div className={styles.linkBox} data-testid="password-link">
      <strong>
        {link.purpose === 'invite' ? 'Invite link' : 'Password reset link'} for {link.name} ({link.email})
      </strong>
      <div className={styles.linkRow}>
        <label className="visually-hidden" htmlFor="password-link-url">
          One-time link
        </label>
        <input id="password-link-url" ref={input} readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy link'}
        </button>
      </div>
      <span className="muted" style={{ fontSize: '0.85rem' }}>
        Works once, until {formatDateTime(link.expiresAt)}. It is shown only now: copy it and send it to them yourself.
      </span>
    </div>
  );
}
