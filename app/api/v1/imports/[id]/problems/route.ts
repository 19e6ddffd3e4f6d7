import { getDb } from '@/lib/db';
import { authenticateDataRequest } from '@/lib/auth/api-auth';
import { apiError } from '@/lib/api/http';
import { withApiErrors } from '@/lib/api/route';
import { formatCsvRows } from '@/lib/csv/export';
import { getImport } from '@/lib/data/imports';
import { importIdSchema } from '@/lib/validation/api';

/** The problems that rejected an import, as CSV: row, column, problem. */
export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  if (!importIdSchema.safeParse(id).success) return apiError(404, 'There is no such import.');
  const auth = await authenticateDataRequest(request);
  if (!auth.ok) return auth.response;
  const found = await getImport(await getDb(), auth.caller, id);
  const rows = found.problems.map((p) => [String(p.row), p.column ?? '', p.message]);
  if (found.moreProblems) rows.push(['', '', `… and ${found.moreProblems} more problems not listed`]);
  const base = (found.fileName ?? 'import').replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_');
  return new Response(formatCsvRows([['row', 'column', 'problem'], ...rows]), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${base}-problems.csv"`,
      'Cache-Control': 'no-store',
    },
  });
});
