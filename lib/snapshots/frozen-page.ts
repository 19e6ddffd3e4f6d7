import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { unstable_cache } from 'next/cache';

/**
 * A public snapshot link serves its page the way a static file is served: the page is rendered
 * once per snapshot (by `app/s/render/[id]`, which only answers this module's signed requests)
 * and kept as HTML in Next's data cache, keyed by the snapshot's id and content hash and tagged
 * so that revoking or re-issuing drops it. Whether the link may be opened is never cached: the
 * route checks it against the database on every request (`app/s/[token]/route.ts`).
 */

/** The cache tag of one snapshot's rendered page: `revalidateTag(snapshotPageTag(id), { expire: 0 })` drops it. */
export const snapshotPageTag = (snapshotId: number) => `snapshot-page:${snapshotId}`;

/** The header that carries the render key; a request to the render page without it is a 404. */
export const RENDER_KEY_HEADER = 'x-cx-snapshot-render';

/** What the render page is asked for when the link is not open: its not-found answer. */
export const NOT_FOUND_SUBJECT = 'not-found';

/** Cached HTML carries the script URLs of the build that rendered it: a new build renders afresh. */
const BUILD_ID = process.env.CX_BUILD_ID ?? 'dev';

function renderKey(subject: string): string {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error('AUTH_SECRET is not set: it signs the requests that render snapshot pages.');
  return createHmac('sha256', secret).update(`snapshot-render:${subject}`).digest('base64url');
}

/** True when a request to the render page comes from this module for this subject (a snapshot id, or NOT_FOUND_SUBJECT). */
export function isRenderRequest(key: string | null, subject: string): boolean {
  if (!key) return false;
  const expected = Buffer.from(renderKey(subject));
  const given = Buffer.from(key);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface FrozenPage {
  html: string;
  /** The nonce the render request's scripts carry; each answer swaps in its own (see withNonce). */
  nonce: string | null;
}

/**
 * Where the render request goes: AUTH_URL (required in production) when set, never a Host or
 * X-Forwarded-Host a caller chose — the request carries the render key. On Vercel, which sets
 * the host itself, and in development, the request's own origin.
 */
export function renderOrigin(requestOrigin: string, env: Record<string, string | undefined> = process.env): string {
  const configured = env.AUTH_URL?.trim() || env.NEXTAUTH_URL?.trim();
  return configured ? new URL(configured).origin : requestOrigin;
}

async function render(requestOrigin: string, subject: string, expectedStatus: number): Promise<FrozenPage> {
  const response = await fetch(new URL(`/s/render/${subject}`, renderOrigin(requestOrigin)), {
    headers: { [RENDER_KEY_HEADER]: renderKey(subject) },
    cache: 'no-store',
    redirect: 'manual',
  });
  const html = await response.text();
  // Thrown, not cached: the next request tries again.
  if (response.status !== expectedStatus) throw new Error(`Rendering snapshot page ${subject} answered ${response.status}`);
  return { html, nonce: /<script\b[^>]*\snonce="([^"]+)"/.exec(html)?.[1] ?? null };
}

/**
 * The page of an open snapshot, rendered on the first request after it was made (or after the
 * server's cache lost it) and served from Next's cache afterwards. `origin` is the request's own
 * origin, used only where no address is configured (renderOrigin); it is not part of the key.
 */
export function getFrozenSnapshotPage(origin: string, snapshot: { id: number; contentHash: string }): Promise<FrozenPage> {
  return unstable_cache(() => render(origin, String(snapshot.id), 200), ['snapshot-page', BUILD_ID, String(snapshot.id), snapshot.contentHash], {
    tags: [snapshotPageTag(snapshot.id)],
  })();
}

/** The one answer for unknown, revoked and expired links: the same for every link, so cached once. */
export function getSnapshotNotFoundPage(origin: string): Promise<FrozenPage> {
  return unstable_cache(() => render(origin, NOT_FOUND_SUBJECT, 404), ['snapshot-not-found', BUILD_ID])();
}

/**
 * The answer to one request: the cached HTML with this request's CSP nonce (so the page keeps
 * the strict policy of every other page), never kept by a browser or a shared cache, as the next
 * request must meet the link check again. Uncompressed: Next drops a route's Content-Encoding
 * header and compresses only the pages it renders, so compression is the front proxy's (README).
 */
export function frozenPageResponse(page: FrozenPage, options: { nonce: string | null; status: number }): Response {
  return new Response(withNonce(page, options.nonce), {
    status: options.status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-store' },
  });
}

/** The cached HTML with this request's CSP nonce in place of the render's. */
export function withNonce(page: FrozenPage, nonce: string | null): string {
  if (!page.nonce || !nonce) return page.html;
  // Wherever Next wrote it (script attributes, the flight data): 128 random bits match nothing else.
  return page.html.replaceAll(page.nonce, nonce);
}
