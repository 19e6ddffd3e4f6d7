/**
 * The client's address for the per-client limits. Each proxy in front of the app appends the
 * address it saw to X-Forwarded-For, so only the rightmost entries are trustworthy: the leftmost
 * is whatever the caller wrote. TRUSTED_PROXY_HOPS (default 1: one proxy such as Vercel, a load
 * balancer or nginx with $proxy_add_x_forwarded_for) says how many entries from the right to go;
 * with 2 hops (a CDN before a load balancer) it is the second from the right.
 */
export function clientAddress(headers: Pick<Headers, 'get'>, env: Record<string, string | undefined> = process.env): string | null {
  const hops = Math.max(1, Number.parseInt(env.TRUSTED_PROXY_HOPS ?? '1', 10) || 1);
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (chain.length > 0) return chain[Math.max(0, chain.length - hops)];
  return headers.get('x-real-ip');
}
