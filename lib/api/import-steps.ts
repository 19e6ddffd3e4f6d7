import 'server-only';
import { getDb } from '@/lib/db';
import { authenticateDataRequest } from '@/lib/auth/api-auth';
import { ForbiddenError } from '@/lib/auth/permissions';
import {
  applyImport,
  assertImportStepCanStart,
  ImportAbortedError,
  ImportNotFoundError,
  ImportStateError,
  validateImport,
  type ImportDto,
  type ImportProgress,
} from '@/lib/data/imports';
import { importIdSchema } from '@/lib/validation/api';
import { apiError, ndjsonStream } from './http';
import { withApiErrors } from './route';

/**
 * The two long steps of a browser import (check the whole file, then apply it), each answered
 * as a stream of newline-delimited JSON: `{type:"progress", phase, row}` lines while it works,
 * then `{type:"result", import}` or `{type:"error", error, status}`. A step that cannot start
 * is answered with a plain JSON error before any streaming.
 */
export type ImportStepEvent =
  | ({ type: 'progress' } & ImportProgress)
  | { type: 'result'; import: ImportDto }
  | { type: 'error'; error: string; status: number };

export function importStepHandler(step: 'validate' | 'apply') {
  return withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    if (!importIdSchema.safeParse(id).success) return apiError(404, 'There is no such import.');
    const auth = await authenticateDataRequest(request);
    if (!auth.ok) return auth.response;
    const { caller } = auth;
    const db = await getDb();
    await assertImportStepCanStart(db, caller, id, step);

    return ndjsonStream(async (send) => {
      let lastSent = 0;
      const onProgress = (progress: ImportProgress) => {
        // A few updates a second are plenty for a progress bar.
        const now = Date.now();
        if (now - lastSent < 150) return;
        lastSent = now;
        send({ type: 'progress', ...progress } satisfies ImportStepEvent);
      };
      try {
        const result =
          step === 'validate'
            ? await validateImport(db, caller, id, { onProgress, signal: request.signal })
            : await applyImport(db, caller, id, { onProgress, signal: request.signal });
        send({ type: 'result', import: result } satisfies ImportStepEvent);
      } catch (error) {
        const status =
          error instanceof ImportStateError ? error.status
          : error instanceof ImportNotFoundError ? 404
          : error instanceof ForbiddenError ? 403
          : error instanceof ImportAbortedError ? 499
          : null;
        if (status === null) throw error;
        send({ type: 'error', error: (error as Error).message, status } satisfies ImportStepEvent);
      }
    });
  });
}
