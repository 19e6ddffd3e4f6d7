import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { connection } from 'next/server';
import { unlockSnapshotAction } from '@/app/actions/snapshots';
import { PasscodeGate } from '@/app/ui/snapshot/passcode-gate';
import { getDb } from '@/lib/db';
import { findOpenSnapshot } from '@/lib/data/snapshots';
import { PASSCODE_COOKIE, verifyPasscodeGrant } from '@/lib/snapshots/passcode';
import { snapshotPath } from '@/lib/snapshots/token';

/**
 * The passcode form of a protected snapshot link (the link sends a visitor without a grant
 * here). A correct passcode earns a grant cookie and leads back to the link itself.
 */
export default async function SnapshotUnlockPage({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  const snapshot = await findOpenSnapshot(await getDb(), token);
  if (!snapshot) notFound();
  const grant = (await cookies()).get(PASSCODE_COOKIE)?.value;
  if (!snapshot.passcodeHash || verifyPasscodeGrant(grant, { ...snapshot, passcodeHash: snapshot.passcodeHash })) {
    redirect(snapshotPath(token));
  }
  return <PasscodeGate action={unlockSnapshotAction.bind(null, token)} />;
}
