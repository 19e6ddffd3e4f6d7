import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getCurrentExecutive } from '@/lib/auth/session';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getCurrentExecutive()) redirect('/');
  const { callbackUrl } = await searchParams;
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand">CX Scorecard</p>
        <h1>Sign in</h1>
        <p className="muted">Each executive signs in with their own account. Ask an admin if you need one.</p>
        <LoginForm callbackUrl={callbackUrl ?? '/'} />
      </div>
    </main>
  );
}
