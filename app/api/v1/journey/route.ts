import { getDb } from '@/lib/db';
import { authenticateApiRequest } from '@/lib/auth/api-auth';
import { apiError, jsonResponse } from '@/lib/api/http';
import { withApiErrors } from '@/lib/api/route';
import { getJourney } from '@/lib/data/journey';
import { InvalidPeriodError, latestCompleteMonth, parsePeriod } from '@/lib/metrics/period';

/** The same JSON as `npm run cli -- journey --period P`; without a period, the latest complete month. */
export const GET = withApiErrors(async (request: Request) => {
  const auth = await authenticateApiRequest(request);
  if (!auth.ok) return auth.response;
  const requested = new URL(request.url).searchParams.get('period');
  let period;
  try {
    period = requested === null ? latestCompleteMonth() : parsePeriod(requested);
  } catch (error) {
    if (error instanceof InvalidPeriodError) return apiError(400, error.message, [{ index: null, field: 'period', message: error.message }]);
    throw error;
  }
  return jsonResponse(await getJourney(await getDb(), period));
});
