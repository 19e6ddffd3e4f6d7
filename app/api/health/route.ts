import { sql } from 'drizzle-orm';
import { jsonResponse } from '@/lib/api/http';
import { withApiErrors } from '@/lib/api/route';
import { getDb } from '@/lib/db';

export const dynamic = 'force-dynamic';

/**
 * Whether the app can reach its database: 200, or 503 with Retry-After while it cannot. For a load
 * balancer's health check, and for a page's error screen to say what went wrong. Public: it tells
 * nothing but up or down.
 */
export const GET = withApiErrors(async () => {
  await (await getDb()).execute(sql`select 1`);
  return jsonResponse({ database: 'reachable' });
});
