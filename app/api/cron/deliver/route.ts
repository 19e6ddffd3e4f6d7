import { createHash, timingSafeEqual } from 'node:crypto';
import { withApiErrors } from '@/lib/api/route';
import { getDb } from '@/lib/db';
import { deliver } from '@/lib/mail/deliver';

/**
 * Vercel Cron calls this (see vercel.json) with `Authorization: Bearer $CRON_SECRET`; it does
 * what `npm run cli -- deliver` does. Without CRON_SECRET configured, every request is refused.
 */
export const dynamic = 'force-dynamic';
export const maxDuration = 60;

function authorised(request: Request): boolean {
  const secret = process.env.CRON_SECRET;
  if (!secret) return false;
  const given = request.headers.get('authorization') ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(`Bearer ${secret}`));
}

async function run(request: Request): Promise<Response> {
  if (!authorised(request)) {
    return Response.json({ error: 'Unauthorized' }, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  }
  const summary = await deliver(await getDb());
  return Response.json(summary, { headers: { 'cache-control': 'no-store' } });
}

// Vercel Cron sends GET; a GET that does work is acceptable here because only the secret's holder can make it.
export const GET = withApiErrors(run);
