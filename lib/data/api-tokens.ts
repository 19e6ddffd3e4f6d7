import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { apiTokens, executives } from '@/lib/db/schema';
import { assertCan, type PermissionSubject } from '@/lib/auth/permissions';
import { writeAudit, type Actor } from './audit';

/**
 * API tokens for other systems (CRM, survey tool, help desk). The token is shown once; only its
 * SHA-256 is stored, so a database leak does not leak working tokens. A token may do what
 * SPEC lets an admin do with data: read the scorecard, import and export records.
 */
export const API_TOKEN_PREFIX = 'cxs_';
const TOKEN_PATTERN = /^cxs_[A-Za-z0-9_-]{43}$/;

export interface ApiTokenDto {
  id: number;
  name: string;
  createdByName: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The identity a verified token acts as. */
export interface ApiTokenIdentity {
  id: number;
  name: string;
  createdById: number;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenActor(token: ApiTokenIdentity): Actor {
  return { executiveId: token.createdById, label: `API token "${token.name}"` };
}

const actorOf = (me: PermissionSubject & { name?: string }): Actor => ({ executiveId: me.id, label: me.name ?? `executive ${me.id}` });

export async function createApiToken(
  db: Db,
  me: PermissionSubject & { name: string },
  name: string,
): Promise<{ token: string; apiToken: ApiTokenDto }> {
  assertCan(me, 'administer');
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(apiTokens).values({ name, tokenHash: hashApiToken(token), createdById: me.id }).returning();
    await writeAudit(tx, actorOf(me), { action: 'create', entity: 'api_token', entityId: row.id, after: { name } });
    return {
      token,
      apiToken: { id: row.id, name: row.name, createdByName: me.name, createdAt: row.createdAt, lastUsedAt: null, revokedAt: null },
    };
  });
}

export async function listApiTokens(db: Db, me: PermissionSubject): Promise<ApiTokenDto[]> {
  assertCan(me, 'administer');
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdByName: executives.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .innerJoin(executives, eq(executives.id, apiTokens.createdById))
    .orderBy(sql`${apiTokens.revokedAt} is not null`, desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** Revokes a token at once; revoking one already revoked changes nothing. Returns false when there is no such token. */
export async function revokeApiToken(db: Db, me: PermissionSubject & { name: string }, id: number): Promise<boolean> {
  assertCan(me, 'administer');
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id)).for('update');
    if (!row) return false;
    if (row.revokedAt) return true;
    await tx.update(apiTokens).set({ revokedAt: sql`now()` }).where(eq(apiTokens.id, id));
    await writeAudit(tx, actorOf(me), {
      action: 'revoke',
      entity: 'api_token',
      entityId: id,
      before: { name: row.name, revokedAt: null },
      after: { name: row.name, revoked: true },
    });
    return true;
  });
}

/**
 * Revokes every live token the person created, inside the caller's transaction, one audit entry
 * per token. Called when they lose admin rights or are deactivated: a token stops for good and
 * does not come back if they are made an admin again.
 */
export async function revokeTokensCreatedBy(tx: Queryable, actor: Actor, creatorId: number, why: string): Promise<number> {
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.createdById, creatorId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, name: apiTokens.name });
  for (const token of revoked) {
    await writeAudit(tx, actor, {
      action: 'revoke',
      entity: 'api_token',
      entityId: token.id,
      before: { name: token.name, revokedAt: null },
      after: { name: token.name, revoked: true, reason: why },
    });
  }
  return revoked.length;
}

/** The token's identity if it is well formed, known and not revoked; records its use. */
export async function verifyApiToken(db: Db, token: string): Promise<ApiTokenIdentity | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const [row] = await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.tokenHash, hashApiToken(token)),
        isNull(apiTokens.revokedAt),
        // A token acts with its creator's rights: it stops working when they are no longer an active admin.
        sql`exists (select 1 from executives e where e.id = ${apiTokens.createdById} and e.is_active and e.role = 'admin')`,
      ),
    )
    .returning({ id: apiTokens.id, name: apiTokens.name, createdById: apiTokens.createdById });
  return row ?? null;
}
