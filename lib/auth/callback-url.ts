/**
 * Where to go after signing in: a path on this site, never another origin. The proxy sends an
 * absolute URL (`http://host/metrics/…`); a same-host one is accepted and reduced to its path,
 * so the redirect that follows is always relative. Anything else — another host, a
 * protocol-relative `//evil`, a backslash trick, a control character — goes to `/`.
 */
export function safeCallbackPath(value: unknown, host: string | null): string {
  if (typeof value !== 'string' || value === '' || value.length > 2000) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, 'http://callback.invalid');
  } catch {
    return '/';
  }
  const isRelative = value.startsWith('/') && !value.startsWith('//');
  if (!isRelative) {
    if (!host || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.host !== host.toLowerCase()) return '/';
  } else if (url.host !== 'callback.invalid') {
    return '/';
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Sign-in pages are not a destination: they would loop.
  return path.startsWith('/login') ? '/' : path;
}

/** This site's host: AUTH_URL's when set (required in production), else the one the browser used. */
export function siteHost(headers: Pick<Headers, 'get'>): string | null {
  const configured = process.env.AUTH_URL || process.env.NEXTAUTH_URL;
  if (configured) return new URL(configured).host;
  const forwarded = headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  return forwarded || headers.get('host');
}
