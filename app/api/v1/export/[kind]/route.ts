import { getDb } from '@/lib/db';
import { authenticateDataRequest } from '@/lib/auth/api-auth';
import { apiError } from '@/lib/api/http';
import { withApiErrors } from '@/lib/api/route';
import { exportCsvChunks } from '@/lib/data/export';
import { isRecordKind, RECORD_KINDS } from '@/lib/validation/records';

/** Every record of a kind as CSV in the import format, streamed page by page. */
export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ kind: string }> }) => {
  const { kind } = await params;
  if (!isRecordKind(kind)) return apiError(404, `Export one of ${RECORD_KINDS.join(', ')}.`);
  const auth = await authenticateDataRequest(request);
  if (!auth.ok) return auth.response;
  const db = await getDb();
  const encoder = new TextEncoder();
  const chunks = exportCsvChunks(db, kind);
  // The header and the first page are read before answering: a database that cannot be reached is a 503, not a cut-off 200.
  const ready = [await chunks.next()];
  if (!ready[0].done) ready.push(await chunks.next());
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = ready.shift() ?? (await chunks.next());
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        console.error(error);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${kind}-${date}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
});
