import 'server-only';
import { ForbiddenError } from '@/lib/auth/permissions';
import { ImportNotFoundError, ImportStateError } from '@/lib/data/imports';
import { apiError } from './http';

/**
 * Wraps a route handler so that the data layer's refusals become the right 4xx and anything
 * unexpected is logged and answered with a JSON 500 that leaks nothing.
 */
export function withApiErrors<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof ForbiddenError) return apiError(403, error.message);
      if (error instanceof ImportNotFoundError) return apiError(404, error.message);
      if (error instanceof ImportStateError) return apiError(error.status, error.message);
      console.error(error);
      return apiError(500, 'The server failed to handle this request. Nothing was changed; try again later.');
    }
  };
}
