import { getDb } from '@/lib/db';
import { authenticateDataRequest } from '@/lib/auth/api-auth';
import { apiError, jsonResponse } from '@/lib/api/http';
import { withApiErrors } from '@/lib/api/route';
import { cancelImport, getImport } from '@/lib/data/imports';
import { importIdSchema } from '@/lib/validation/api';

type Context = { params: Promise<{ id: string }> };

const notFound = () => apiError(404, 'There is no such import.');

export const GET = withApiErrors(async (request: Request, { params }: Context) => {
  const { id } = await params;
  if (!importIdSchema.safeParse(id).success) return notFound();
  const auth = await authenticateDataRequest(request);
  if (!auth.ok) return auth.response;
  return jsonResponse(await getImport(await getDb(), auth.caller, id));
});

/** Cancels the import: it is marked cancelled and its staged chunks deleted. */
export const DELETE = withApiErrors(async (request: Request, { params }: Context) => {
  const { id } = await params;
  if (!importIdSchema.safeParse(id).success) return notFound();
  const auth = await authenticateDataRequest(request);
  if (!auth.ok) return auth.response;
  return jsonResponse(await cancelImport(await getDb(), auth.caller, id));
});
