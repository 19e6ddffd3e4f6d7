import 'server-only';
import { getDb } from '@/lib/db';
import type { Actor } from '@/lib/data/audit';
import { tokenActor, verifyApiToken } from '@/lib/data/api-tokens';
import type { ExecutiveDto } from '@/lib/data/executives';
import { forbidden, isSameOrigin, unauthorized } from '@/lib/api/http';
import { can } from './permissions';
import { getCurrentExecutive } from './session';

/**
 * Who is calling the API: an API token (admin-issued, acts with an admin's data rights) or a
 * signed-in executive's session. A request that carries an Authorization header is judged by it
 * alone, so a bad token is a 401 even in a browser that is signed in.
 */
export type ApiCaller =
  | { via: 'token'; actor: Actor; canImport: true }
  | { via: 'session'; actor: Actor; canImport: boolean; executive: ExecutiveDto };

export type ApiAuth = { ok: true; caller: ApiCaller } | { ok: false; response: Response };

export async function authenticateApiRequest(request: Request): Promise<ApiAuth> {
  const header = request.headers.get('authorization');
  if (header !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = match ? await verifyApiToken(await getDb(), match[1]) : null;
    if (!token) return { ok: false, response: unauthorized() };
    return { ok: true, caller: { via: 'token', actor: tokenActor(token), canImport: true } };
  }
  const me = await getCurrentExecutive();
  if (!me) return { ok: false, response: unauthorized() };
  return {
    ok: true,
    caller: { via: 'session', actor: { executiveId: me.id, label: me.name }, canImport: can(me, 'administer'), executive: me },
  };
}

/**
 * For requests that import or export data (admin-only in SPEC): a token, or an admin's session
 * from this site (a session cookie alone must not let another site write).
 */
export async function authenticateDataRequest(request: Request): Promise<ApiAuth> {
  const auth = await authenticateApiRequest(request);
  if (!auth.ok) return auth;
  const { caller } = auth;
  if (caller.via === 'session') {
    if (request.method !== 'GET' && request.method !== 'HEAD' && !isSameOrigin(request)) {
      return { ok: false, response: forbidden('Cross-site requests with a session are refused; use an API token.') };
    }
    if (!caller.canImport) return { ok: false, response: forbidden('Only an admin can import or export data.') };
  }
  return auth;
}
