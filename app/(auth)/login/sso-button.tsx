'use client';

import { useFormStatus } from 'react-dom';
import { signInWithSsoAction } from './sso-actions';
import styles from './login.module.css';

function SubmitButton({ name }: { name: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={`button ${styles.ssoButton}`} disabled={pending}>
      {pending ? `Opening ${name}…` : `Continue with ${name}`}
    </button>
  );
}

export function SsoButton({ name, callbackUrl }: { name: string; callbackUrl: string }) {
  return (
    <form action={signInWithSsoAction} className={styles.ssoForm}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <SubmitButton name={name} />
    </form>
  );
}
