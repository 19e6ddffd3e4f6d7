/**
 * What a production server must be told before it answers anyone. Checked once at start-up
 * (instrumentation.ts), so a missing setting stops `next start` with a message naming it rather
 * than surfacing later as a broken sign-in. Proxy-safe: no database, no Node-only imports.
 */
export function deploymentProblems(env: Record<string, string | undefined> = process.env): string[] {
  const problems: string[] = [];
  const configuredUrl = env.AUTH_URL?.trim() || env.NEXTAUTH_URL?.trim();
  if (configuredUrl && !isHttpUrl(configuredUrl)) {
    problems.push(`AUTH_URL must be the app's public address, such as https://scorecard.example.com (it is "${configuredUrl}").`);
  }
  if (env.NODE_ENV !== 'production') return problems;
  if (!env.AUTH_SECRET) {
    problems.push('AUTH_SECRET is not set. Generate one with `openssl rand -base64 32` and set it in the environment.');
  }
  // On Vercel the platform sets X-Forwarded-Host itself, and Auth.js trusts it there.
  if (!configuredUrl && !env.VERCEL) {
    problems.push(
      'AUTH_URL is not set. In production set it to the public address people use (such as https://scorecard.example.com): ' +
        'sign-in redirects are built from it, never from a request\'s Host or X-Forwarded-Host header, which a caller can choose.',
    );
  }
  return problems;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
