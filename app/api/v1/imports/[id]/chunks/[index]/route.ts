import { getDb } from '@/lib/db';
import { authenticateDataRequest } from '@/lib/auth/api-auth';
import { apiError, jsonResponse, PayloadTooLargeError, readBodyBytes } from '@/lib/api/http';
import { withApiErrors } from '@/lib/api/route';
import { stageImportChunk } from '@/lib/data/imports';
import { chunkIndexSchema, importIdSchema, MAX_IMPORT_CHUNK_BYTES } from '@/lib/validation/api';

/** One chunk of the file's bytes (application/octet-stream). Sending a chunk again replaces it. */
export const PUT = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string; index: string }> }) => {
  const { id, index } = await params;
  const chunkIndex = chunkIndexSchema.safeParse(index);
  if (!importIdSchema.safeParse(id).success || !chunkIndex.success) return apiError(404, 'There is no such import chunk.');
  const auth = await authenticateDataRequest(request);
  if (!auth.ok) return auth.response;
  let bytes: Uint8Array;
  try {
    bytes = await readBodyBytes(request, MAX_IMPORT_CHUNK_BYTES);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) return apiError(413, `${error.message} Send smaller chunks.`);
    return apiError(400, 'The chunk could not be read.');
  }
  return jsonResponse(await stageImportChunk(await getDb(), auth.caller, id, chunkIndex.data, bytes));
});
