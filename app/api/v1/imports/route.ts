import { z } from 'zod';
import { getDb } from '@/lib/db';
import { authenticateDataRequest } from '@/lib/auth/api-auth';
import { apiError, jsonResponse, readJsonBody } from '@/lib/api/http';
import { withApiErrors } from '@/lib/api/route';
import { createImport } from '@/lib/data/imports';
import { importCreateSchema } from '@/lib/validation/api';

/** Starts a chunked import: `{ kind, fileName, size, chunks }` → the import, whose id the chunks are sent to. */
export const POST = withApiErrors(async (request: Request) => {
  const auth = await authenticateDataRequest(request);
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, 16 * 1024);
  if (!body.ok) return body.response;
  const parsed = importCreateSchema.safeParse(body.value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      index: null,
      field: issue.path.length ? String(issue.path[0]) : null,
      message: issue.message,
    }));
    return apiError(400, z.prettifyError(parsed.error), problems);
  }
  return jsonResponse(await createImport(await getDb(), auth.caller, parsed.data), 201);
});
