import { auditLog } from '@/lib/db/schema';
import type { Queryable } from '@/lib/db';

/** Who made a change: a signed-in executive, an API token, or the operator CLI. */
export interface Actor {
  executiveId: number | null;
  label: string;
}

export const CLI_ACTOR: Actor = { executiveId: null, label: 'operator CLI' };
export const SYSTEM_ACTOR: Actor = { executiveId: null, label: 'system' };

export interface AuditChange {
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Call inside the transaction that makes the change, so the two land together or not at all. */
export async function writeAudit(tx: Queryable, actor: Actor, change: AuditChange): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: actor.executiveId,
    actorLabel: actor.label,
    action: change.action,
    entity: change.entity,
    entityId: change.entityId == null ? null : String(change.entityId),
    before: change.before ?? null,
    after: change.after ?? null,
  });
}
