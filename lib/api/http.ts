/**
 * JSON API plumbing shared by every route under /api/v1: one error shape, a body reader that
 * enforces the size limit on the bytes actually received, and a progress stream.
 */
import { siteHost } from '@/lib/auth/callback-url';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '@/lib/db/unavailable';

/** One problem with one record of a request: `index` is the array index, `field` its property. */
export interface ApiProblem {
  index: number | null;
  field: string | null;
  message: string;
}

export interface ApiErrorBody {
  error: string;
  /** For a person, where `error` is a code (`database_unavailable`). */
  message?: string;
  problems: ApiProblem[];
}

const NO_STORE = { 'Cache-Control': 'no-store' };

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function apiError(status: number, error: string, problems: ApiProblem[] = [], headers: Record<string, string> = {}): Response {
  return jsonResponse({ error, problems } satisfies ApiErrorBody, status, headers);
}

export const unauthorized = () =>
  apiError(401, 'Send a valid API token as "Authorization: Bearer <token>", or sign in.', [], {
    'WWW-Authenticate': 'Bearer realm="cx-scorecard"',
  });

export const forbidden = (message = 'You do not have permission to do that.') => apiError(403, message);

export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit.toLocaleString('en')} bytes.`);
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * Reads a request body up to `limit` bytes. A Content-Length over the limit is refused before
 * reading; a body that turns out longer than announced (or has none announced) is cut off at
 * the limit, so a client cannot make the server buffer more than it allows.
 */
export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw new PayloadTooLargeError(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw new PayloadTooLargeError(limit);
      }
      parts.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return body;
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

/** Reads and parses a JSON body; every way it can go wrong is a 4xx, never a 500. */
export async function readJsonBody(request: Request, limit: number): Promise<JsonBody> {
  const type = request.headers.get('content-type');
  if (type && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) {
    return { ok: false, response: apiError(415, 'Send the body as JSON (Content-Type: application/json).') };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readBodyBytes(request, limit);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) {
      return { ok: false, response: apiError(413, `${error.message} Send the records in smaller requests.`) };
    }
    return { ok: false, response: apiError(400, 'The request body could not be read.') };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, response: apiError(400, 'The request body is not UTF-8 text.') };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const detail = error instanceof SyntaxError ? `: ${error.message}` : '';
    return { ok: false, response: apiError(400, `The request body is not valid JSON${detail}`) };
  }
}

/**
 * A streamed response of newline-delimited JSON, for long steps whose progress the browser shows.
 * `no-transform` keeps compression from holding the lines back until the end.
 */
export function ndjsonStream(run: (send: (event: unknown) => void) => Promise<void>): Response {
  const encoder = new TextEncoder();
  // Once the client has gone, sending is a no-op; the work notices through request.signal.
  let isOpen = true;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: unknown) => {
        if (!isOpen) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        } catch {
          isOpen = false;
        }
      };
      try {
        await run(send);
      } catch (error) {
        if (isDatabaseUnavailable(error)) {
          send({ type: 'error', error: DATABASE_UNAVAILABLE_MESSAGE, status: 503 });
        } else {
          console.error(error);
          send({ type: 'error', error: 'The server could not finish this step. Nothing was changed; try again.', status: 500 });
        }
      } finally {
        if (isOpen) {
          isOpen = false;
          controller.close();
        }
      }
    },
    cancel() {
      isOpen = false;
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      'X-Accel-Buffering': 'no',
    },
  });
}

/** Requests made with a session cookie must come from this site (route handlers get no CSRF check of their own). */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (!origin) return request.headers.get('sec-fetch-site') !== 'cross-site';
  try {
    return new URL(origin).host === siteHost(request.headers);
  } catch {
    return false;
  }
}
