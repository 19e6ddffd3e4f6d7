import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { SnapshotView } from '@/app/ui/snapshot/snapshot-view';
import { getDb } from '@/lib/db';
import { loadSnapshotPayload } from '@/lib/data/snapshots';
import { isRenderRequest, RENDER_KEY_HEADER } from '@/lib/snapshots/frozen-page';
import { parseRowId } from '@/lib/validation/ids';

/**
 * Renders a snapshot's page for the link's cache (lib/snapshots/frozen-page.ts), once per
 * snapshot. Only requests signed with the render key get an answer; anyone else gets the 404 a
 * link that is not open gets, so this address never bypasses the link's checks.
 */
export default async function SnapshotRenderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const snapshotId = parseRowId(id);
  if (snapshotId === null || !isRenderRequest((await headers()).get(RENDER_KEY_HEADER), id)) notFound();
  const snapshot = await loadSnapshotPayload(await getDb(), snapshotId, { openOnly: true });
  if (!snapshot) notFound();
  return (
    <main>
      <SnapshotView payload={snapshot.payload} contentHash={snapshot.contentHash} />
    </main>
  );
}
