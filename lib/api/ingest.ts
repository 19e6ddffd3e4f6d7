import 'server-only';
import { getDb } from '@/lib/db';
import { authenticateDataRequest } from '@/lib/auth/api-auth';
import { ingestRecords } from '@/lib/data/imports';
import { MAX_INGEST_BYTES, validateIngestBody } from '@/lib/validation/api';
import type { RecordKind } from '@/lib/validation/records';
import { apiError, jsonResponse, readJsonBody } from './http';
import { withApiErrors } from './route';

/** POST /api/v1/<kind>: a JSON array of records, all or nothing, upserted by id. */
export function ingestHandler(kind: RecordKind) {
  return withApiErrors(async (request: Request) => {
    const auth = await authenticateDataRequest(request);
    if (!auth.ok) return auth.response;
    const body = await readJsonBody(request, MAX_INGEST_BYTES);
    if (!body.ok) return body.response;
    const validation = validateIngestBody(kind, body.value);
    if (!validation.ok) return apiError(validation.status, validation.error, validation.problems);
    const summary = await ingestRecords(await getDb(), auth.caller, kind, validation.records);
    return jsonResponse(summary);
  });
}
