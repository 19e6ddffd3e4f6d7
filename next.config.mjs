/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WebAssembly and data files by path; bundling it breaks those paths.
  serverExternalPackages: ['@electric-sql/pglite'],
  poweredByHeader: false,
  // Lets the browser tests build into their own folder beside a developer's `.next`.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // `npm test` type-checks the whole project with tsc first; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Public snapshot links: never leak the secret URL as a referrer, never be indexed (404s included).
  async headers() {
    return [
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
