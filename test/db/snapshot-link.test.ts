import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

/** next/cache as a plain keyed store with tags: enough to show what is cached and what is not. */
const cache = vi.hoisted(() => {
  process.env.AUTH_SECRET ??= 'snapshot-link-test-secret-0123456789';
  const entries = new Map<string, { value: unknown; tags: string[] }>();
  return {
    entries,
    unstable_cache:
      <T,>(fn: () => Promise<T>, keyParts: string[], options: { tags?: string[] } = {}) =>
      async () => {
        const key = JSON.stringify(keyParts);
        if (entries.has(key)) return entries.get(key)!.value as T;
        const value = await fn();
        entries.set(key, { value, tags: options.tags ?? [] });
        return value;
      },
    revalidateTag: (tag: string) => {
      for (const [key, entry] of entries) if (entry.tags.includes(tag)) entries.delete(key);
    },
  };
});
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('next/cache', () => ({ unstable_cache: cache.unstable_cache, revalidateTag: cache.revalidateTag, revalidatePath: () => {} }));
vi.mock('@/lib/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/db')>()),
  getDb: async () => database.db,
}));

import { eq, sql } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { GET } from '@/app/s/[token]/route';
import { toExecutiveDto } from '@/lib/data/executives';
import { createSnapshot, getSnapshot, loadSnapshotPayload, reissueSnapshotLink, revokeSnapshot, setSnapshotPasscode } from '@/lib/data/snapshots';
import { executives, snapshots, type Executive } from '@/lib/db/schema';
import { isRenderRequest, RENDER_KEY_HEADER, snapshotPageTag } from '@/lib/snapshots/frozen-page';
import { PASSCODE_COOKIE, signPasscodeGrant } from '@/lib/snapshots/passcode';
import { hashSnapshotToken } from '@/lib/snapshots/token';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

const ORIGIN = 'http://127.0.0.1:3999';
const RENDER_NONCE = 'cmVuZGVyLW5vbmNlLTEyMzQ1Ng==';

/** The render page as the server would answer it: checks the render key, stamps the render's nonce. */
const renders: string[] = [];
async function renderPage(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(String(input));
  const subject = url.pathname.replace('/s/render/', '');
  const key = new Headers(init?.headers).get(RENDER_KEY_HEADER);
  renders.push(subject);
  if (subject === 'not-found' || !isRenderRequest(key, subject)) {
    return new Response(`<html><script nonce="${RENDER_NONCE}"></script><h1>This snapshot is not available</h1></html>`, { status: 404 });
  }
  return new Response(`<html><script nonce="${RENDER_NONCE}">self.n="${RENDER_NONCE}"</script><h1>Snapshot ${subject}</h1></html>`);
}

let nonces = 0;
function open(token: string, headers: Record<string, string> = {}) {
  const request = new NextRequest(`${ORIGIN}/s/${token}`, { headers: { 'x-nonce': `nonce-${++nonces}`, ...headers } });
  return GET(request, { params: Promise.resolve({ token }) });
}

/** A request that reached the server with a Host header the caller chose. */
function openWithForgedHost(token: string) {
  const request = new NextRequest(`http://evil.example/s/${token}`, { headers: { 'x-nonce': `nonce-${++nonces}` } });
  return GET(request, { params: Promise.resolve({ token }) });
}

describe.each(DATABASE_TARGETS)('the public snapshot link on %s', (target) => {
  let t: TestDatabase;
  let owner: Executive;
  const me = () => toExecutiveDto(owner);
  const input = { period: '2025-03', title: 'Board, April', note: null, expiresInDays: 30, passcode: null };

  beforeAll(async () => {
    t = await openTestDatabase(target);
    database.db = t.db;
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    await t.reset();
    cache.entries.clear();
    renders.length = 0;
    vi.stubGlobal('fetch', vi.fn(renderPage));
    [owner] = await t.db
      .insert(executives)
      .values({ name: 'Olga Owner', email: 'olga@example.com', title: 'COO', powerCore: 'customer', role: 'executive' })
      .returning();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it('renders the page once and serves it again with each request’s own nonce, logging every opening', async () => {
    const created = await createSnapshot(t.db, me(), input);
    const first = await open(created.token);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const firstHtml = await first.text();
    expect(firstHtml).toContain(`Snapshot ${created.id}`);
    expect(firstHtml).toContain(`nonce="nonce-${nonces}"`);
    expect(firstHtml).not.toContain(RENDER_NONCE);

    const second = await open(created.token);
    const secondHtml = await second.text();
    expect(secondHtml).toContain(`nonce="nonce-${nonces}"`);
    expect(secondHtml).toContain(`self.n="nonce-${nonces}"`);
    expect(renders).toEqual([String(created.id)]);
    expect((await getSnapshot(t.db, created.id))!.viewCount).toBe(2);
  });

  it('answers 404 on the very next request after a revocation, though the page was served and cached', async () => {
    const created = await createSnapshot(t.db, me(), input);
    expect((await open(created.token)).status).toBe(200);
    await revokeSnapshot(t.db, me(), created.id);
    const after = await open(created.token);
    expect(after.status).toBe(404);
    expect(await after.text()).toContain('This snapshot is not available');
    expect((await getSnapshot(t.db, created.id))!.viewCount).toBe(1);
  });

  it('answers 404 on the very next request once the link has expired, though the page was served and cached', async () => {
    const created = await createSnapshot(t.db, me(), input);
    expect((await open(created.token)).status).toBe(200);
    await t.db.update(snapshots).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(snapshots.id, created.id));
    expect((await open(created.token)).status).toBe(404);
  });

  it('answers 404 for the old token on the very next request after a re-issue, and serves the new one', async () => {
    const created = await createSnapshot(t.db, me(), input);
    expect((await open(created.token)).status).toBe(200);
    const { token } = await reissueSnapshotLink(t.db, me(), created.id);
    expect((await open(created.token)).status).toBe(404);
    expect((await open(token)).status).toBe(200);
  });

  it('drops the cached page when its tag is revalidated (as revoking and re-issuing do)', async () => {
    const created = await createSnapshot(t.db, me(), input);
    await open(created.token);
    cache.revalidateTag(snapshotPageTag(created.id));
    await open(created.token);
    expect(renders).toEqual([String(created.id), String(created.id)]);
  });

  it('sends a visitor without a passcode grant to the passcode form, and serves the page with one', async () => {
    const created = await createSnapshot(t.db, me(), input);
    await setSnapshotPasscode(t.db, me(), created.id, 'board-only-2026');
    const locked = await open(created.token);
    expect(locked.status).toBe(303);
    expect(locked.headers.get('location')).toBe(`/s/${created.token}/unlock`);
    expect(renders).toEqual([]);

    const [row] = await t.db.select().from(snapshots).where(eq(snapshots.tokenHash, hashSnapshotToken(created.token)));
    const grant = signPasscodeGrant({ id: row.id, tokenHash: row.tokenHash, passcodeHash: row.passcodeHash! });
    const unlocked = await open(created.token, { cookie: `${PASSCODE_COOKIE}=${grant}` });
    expect(unlocked.status).toBe(200);
    expect(await unlocked.text()).toContain(`Snapshot ${created.id}`);
  });

  it('answers a client-side navigation with nothing, so the browser loads the link as a document', async () => {
    const created = await createSnapshot(t.db, me(), input);
    const response = await open(created.token, { rsc: '1' });
    expect(response.status).toBe(204);
    expect((await getSnapshot(t.db, created.id))!.viewCount).toBe(0);
  });

  it('answers unknown and malformed tokens with the same 404 page, rendered once', async () => {
    expect((await open('A'.repeat(43))).status).toBe(404);
    expect((await open('not-a-token')).status).toBe(404);
    expect(renders).toEqual(['not-found']);
  });

  it('sends the render request, which carries the render key, to the configured address, never to a Host the caller sent', async () => {
    vi.stubEnv('AUTH_URL', ORIGIN);
    const created = await createSnapshot(t.db, me(), input);
    expect((await openWithForgedHost(created.token)).status).toBe(200);
    const asked = vi.mocked(fetch).mock.calls.map(([url]) => new URL(String(url)).origin);
    expect(asked).toEqual([ORIGIN]);
  });

  it('renders only an open snapshot, even for a request with the render key', async () => {
    const created = await createSnapshot(t.db, me(), input);
    expect(await loadSnapshotPayload(t.db, created.id, { openOnly: true })).not.toBeNull();
    await revokeSnapshot(t.db, me(), created.id);
    expect(await loadSnapshotPayload(t.db, created.id, { openOnly: true })).toBeNull();
    expect(await loadSnapshotPayload(t.db, created.id)).not.toBeNull();
  });
});
