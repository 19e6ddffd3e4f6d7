/**
 * Links in mail are built from AUTH_URL (the public address), never from a request's Host
 * header, so a forged header cannot shape a link that goes out by email.
 */
export function appBaseUrl(env: Record<string, string | undefined> = process.env): string {
  const configured = env.AUTH_URL?.trim() || env.NEXTAUTH_URL?.trim();
  if (configured) return new URL(configured).origin;
  if (env.VERCEL_PROJECT_PRODUCTION_URL) return `https://${env.VERCEL_PROJECT_PRODUCTION_URL}`;
  return 'http://localhost:3000';
}

export function appUrl(path: string, env: Record<string, string | undefined> = process.env): string {
  return new URL(path, `${appBaseUrl(env)}/`).toString();
}
