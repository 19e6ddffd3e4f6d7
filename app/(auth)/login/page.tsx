import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { safeCallbackPath, siteHost } from '@/lib/auth/callback-url';
import { getCurrentExecutive } from '@/lib/auth/session';
import { oidcConfigFromEnv, signInErrorMessage } from '@/lib/auth/oidc';
import { LoginForm } from './login-form';
import { SsoButton } from './sso-button';
import styles from './login.module.css';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string; passwordSet?: string }>;
}) {
  if (await getCurrentExecutive()) redirect('/');
  const { callbackUrl: asked, error, passwordSet } = await searchParams;
  // Only ever a path on this site; the proxy sends an absolute same-site URL.
  const callbackUrl = safeCallbackPath(asked, siteHost(await headers()));
  const sso = oidcConfigFromEnv();
  const errorMessage = signInErrorMessage(typeof error === 'string' ? error : undefined);
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand">CX Scorecard</p>
        <h1>Sign in</h1>
        <p className="muted">Each executive signs in with their own account. Ask an admin if you need one.</p>
        {passwordSet && !errorMessage ? (
          <p className={styles.notice} role="status">
            Your password is set. Sign in with it now.
          </p>
        ) : null}
        {errorMessage ? (
          <p className={styles.alert} role="alert">
            {errorMessage}
          </p>
        ) : null}
        {sso ? (
          <>
            <SsoButton name={sso.name} callbackUrl={callbackUrl} />
            <p className={styles.divider}>or with your password</p>
          </>
        ) : null}
        <LoginForm callbackUrl={callbackUrl} />
      </div>
    </main>
  );
}
