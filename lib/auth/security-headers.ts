/**
 * The Content-Security-Policy of every page, with a fresh nonce per request (the proxy makes it;
 * Next reads it from the request's own CSP header and puts it on each of its inline scripts).
 * Scripts: only this site's, carrying the nonce, and what they load ('strict-dynamic'). Styles
 * allow inline attributes: charts set style attributes, and a style cannot run code.
 * No framing by anyone. Proxy-safe: no database, no Node-only imports.
 */
export function pageContentSecurityPolicy(nonce: string, env: Record<string, string | undefined> = process.env): string {
  const formTargets = ["'self'"];
  // A sign-in with single sign-on is a form whose answer redirects to the provider.
  try {
    if (env.AUTH_OIDC_ISSUER) formTargets.push(new URL(env.AUTH_OIDC_ISSUER.trim()).origin);
  } catch {
    // oidcConfigFromEnv reports a malformed issuer; the policy just leaves it out.
  }
  const devEval = env.NODE_ENV === 'production' ? '' : " 'unsafe-eval'";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${devEval}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action ${formTargets.join(' ')}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers every response carries (nosniff, framing, referrer, permissions) are in next.config.mjs. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
