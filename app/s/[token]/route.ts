import type { NextRequest } from 'next/server';
import { getDb } from '@/lib/db';
import { findOpenSnapshot, recordSnapshotView } from '@/lib/data/snapshots';
import { frozenPageResponse, getFrozenSnapshotPage, getSnapshotNotFoundPage } from '@/lib/snapshots/frozen-page';
import { PASSCODE_COOKIE, verifyPasscodeGrant } from '@/lib/snapshots/passcode';
import { snapshotPath } from '@/lib/snapshots/token';

/**
 * A public snapshot link. Each request checks the link against the database (one indexed
 * lookup: unknown, revoked and expired links are a 404 from the very next request, on every
 * instance) and logs the opening; the page itself was rendered once and comes from Next's cache
 * (lib/snapshots/frozen-page.ts). A protected link without a passcode grant goes to its form.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  // A client-side navigation asks for a flight payload; answering anything else makes the
  // browser load the link as a document, which is checked and logged here once.
  if (request.headers.get('rsc')) return new Response(null, { status: 204, headers: { 'cache-control': 'private, no-store' } });

  const { token } = await params;
  const { origin } = request.nextUrl;
  const nonce = request.headers.get('x-nonce');
  const db = await getDb();
  const snapshot = await findOpenSnapshot(db, token);
  if (!snapshot) return frozenPageResponse(await getSnapshotNotFoundPage(origin), { nonce, status: 404 });

  if (snapshot.passcodeHash) {
    const grant = request.cookies.get(PASSCODE_COOKIE)?.value;
    if (!verifyPasscodeGrant(grant, { ...snapshot, passcodeHash: snapshot.passcodeHash })) {
      return new Response(null, { status: 303, headers: { location: `${snapshotPath(token)}/unlock`, 'cache-control': 'private, no-store' } });
    }
  }

  await recordSnapshotView(db, snapshot.id);
  return frozenPageResponse(await getFrozenSnapshotPage(origin, snapshot), { nonce, status: 200 });
}
