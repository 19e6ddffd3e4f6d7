import { redirect } from 'next/navigation';
import type { ExecutiveDto } from '@/lib/data/executives';
import { matrixState } from './state';

/** Stands in for lib/auth/session.ts: the cell's executive, and the real redirect when signed out. */
export async function getCurrentExecutive(): Promise<ExecutiveDto | null> {
  return matrixState.me;
}

export async function requireExecutive(): Promise<ExecutiveDto> {
  const me = matrixState.me;
  if (!me) redirect('/login');
  return me;
}

/** Sign-out in the real module ends the server's session record; the matrix has none. */
export async function endCurrentSession(): Promise<void> {}
