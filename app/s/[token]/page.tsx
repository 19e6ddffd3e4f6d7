import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { unlockSnapshotAction } from '@/app/actions/snapshots';
import { PasscodeGate } from '@/app/ui/snapshot/passcode-gate';
import { SnapshotView } from '@/app/ui/snapshot/snapshot-view';
import { getDb } from '@/lib/db';
import { findOpenSnapshot, loadSnapshotPayload, recordSnapshotView } from '@/lib/data/snapshots';
import { PASSCODE_COOKIE, verifyPasscodeGrant } from '@/lib/snapshots/passcode';

/**
 * A frozen snapshot, open without signing in. Every request checks the link against the
 * database (so a revoked or expired link is a 404 at once, on every instance); the frozen
 * copy itself comes from memory when this instance has served it before.
 */
export default async function SnapshotLinkPage({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  const db = await getDb();
  const snapshot = await findOpenSnapshot(db, token);
  if (!snapshot) notFound();

  if (snapshot.passcodeHash) {
    const grant = (await cookies()).get(PASSCODE_COOKIE)?.value;
    if (!verifyPasscodeGrant(grant, { ...snapshot, passcodeHash: snapshot.passcodeHash })) {
      return <PasscodeGate action={unlockSnapshotAction.bind(null, token)} />;
    }
  }

  await recordSnapshotView(db, snapshot.id);
  const payload = await loadSnapshotPayload(db, snapshot);
  return (
    <main>
      <SnapshotView payload={payload} contentHash={snapshot.contentHash} />
    </main>
  );
}
