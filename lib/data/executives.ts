import { eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { executives, metrics, type Executive } from '@/lib/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { assertStrongPassword } from '@/lib/auth/password-strength';
import { getOrganisation } from './organisation';
import type { ExecutiveCreateInput } from '@/lib/validation/executives';
import { writeAudit, type Actor } from './audit';

/** What may leave the data layer about a person: never the password hash. */
export type ExecutiveDto = Pick<Executive, 'id' | 'name' | 'email' | 'title' | 'powerCore' | 'role' | 'isActive'>;

export function toExecutiveDto(e: Executive): ExecutiveDto {
  return { id: e.id, name: e.name, email: e.email, title: e.title, powerCore: e.powerCore, role: e.role, isActive: e.isActive };
}

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`Someone with the email ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

/**
 * Adds an admin with a password (the operator's way in on a fresh deployment); a weak password is
 * refused (WeakPasswordError). Metrics that have
 * no owner yet are given to this admin in the same transaction: a metric is never ownerless once
 * an admin exists.
 */
export async function createAdminWithPassword(
  db: Db,
  input: ExecutiveCreateInput,
  password: string,
  actor: Actor,
): Promise<ExecutiveDto> {
  assertStrongPassword(password, { email: input.email, organisationName: (await getOrganisation(db))?.name });
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: executives.id }).from(executives).where(eq(executives.email, input.email));
    if (existing) throw new DuplicateEmailError(input.email);
    const [admin] = await tx
      .insert(executives)
      .values({ ...input, role: 'admin', passwordHash, isActive: true })
      .returning();
    const adopted = await tx
      .update(metrics)
      .set({ ownerId: admin.id, updatedAt: sql`now()` })
      .where(isNull(metrics.ownerId))
      .returning({ key: metrics.key });
    await writeAudit(tx, actor, { action: 'create', entity: 'executive', entityId: admin.id, after: toExecutiveDto(admin) });
    for (const { key } of adopted) {
      await writeAudit(tx, actor, { action: 'assign-owner', entity: 'metric', entityId: key, before: { ownerId: null }, after: { ownerId: admin.id } });
    }
    return toExecutiveDto(admin);
  });
}
