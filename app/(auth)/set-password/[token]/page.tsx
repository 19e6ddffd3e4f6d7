import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { getDb } from '@/lib/db';
import { findUsablePasswordToken } from '@/lib/auth/password-tokens';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { SetPasswordForm } from './set-password-form';

// The token is in the address: never send it on as a referrer, never index the page.
export const metadata: Metadata = { title: 'Set your password', referrer: 'no-referrer', robots: { index: false, follow: false } };

export default async function SetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  const holder = await findUsablePasswordToken(await getDb(), token);
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand">CX Scorecard</p>
        {holder ? (
          <>
            <h1>{holder.purpose === 'invite' ? 'Welcome — set your password' : 'Set a new password'}</h1>
            <p className="muted">
              For <strong style={{ color: 'var(--text)' }}>{holder.name}</strong> ({holder.email}). This link works once.
            </p>
            <SetPasswordForm token={token} email={holder.email} minLength={MIN_PASSWORD_LENGTH} />
          </>
        ) : (
          <>
            <h1>This link does not work</h1>
            <p role="alert">
              It may have been used already, replaced by a newer link, or have expired. Ask an admin to send you a new one.
            </p>
            <p>
              <Link href="/login">Go to sign in</Link>
            </p>
          </>
        )}
      </div>
    </main>
  );
}
