/**
 * On every response, pages and API alike. Pages also get a Content-Security-Policy with a nonce
 * from the proxy (lib/auth/security-headers.ts); HSTS is set by the TLS proxy or Vercel (README).
 */
const COMMON_SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), bluetooth=(), serial=(), browsing-topics=()',
  },
];
/** JSON and other non-page answers: nothing to run, nothing to frame. */
const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

import { randomUUID } from 'node:crypto';

// One id per build, set before Next starts its build workers (they inherit it). A snapshot link's
// page is cached as HTML naming this build's script files, so its cache key includes the id.
process.env.CX_BUILD_ID ||= randomUUID();

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WebAssembly and data files by path; bundling it breaks those paths.
  serverExternalPackages: ['@electric-sql/pglite'],
  poweredByHeader: false,
  env: { CX_BUILD_ID: process.env.CX_BUILD_ID },
  // Lets the browser tests build into their own folder beside a developer's `.next`.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // `npm test` type-checks the whole project with tsc first; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Public snapshot links: never leak the secret URL as a referrer, never be indexed (404s included).
  async headers() {
    return [
      { source: '/:path*', headers: COMMON_SECURITY_HEADERS },
      // Pages get their CSP, with a nonce, from the proxy; the API's answers run nothing.
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }] },
      {
        source: '/s/:path*',
        headers: [
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'X-Robots-Tag', value: 'noindex, nofollow' },
        ],
      },
    ];
  },
};

export default nextConfig;
