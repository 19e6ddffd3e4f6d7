import { and, asc, count, desc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import {
  executives,
  metricActions,
  metrics,
  passwordTokens,
  recurringIssues,
  METRIC_KEYS,
  type MetricKey,
  type PowerCore,
  type Role,
} from '@/lib/db/schema';
import { assertCan, type PermissionSubject } from '@/lib/auth/permissions';
import { describeOpenWork } from '@/lib/format';
import { issuePasswordToken, revokeUnusedPasswordTokens, type IssuedPasswordToken, type PasswordTokenPurpose } from '@/lib/auth/password-tokens';
import type { NewOwners, PersonCreateInput, PersonUpdateInput } from '@/lib/validation/admin';
import { writeAudit, type Actor } from './audit';
import { bumpDataVersion } from './records';
import { revokeTokensCreatedBy } from './api-tokens';
import { DuplicateEmailError, toExecutiveDto, type ExecutiveDto } from './executives';

/**
 * People administration (admins only). Every function checks the permission itself, and every
 * write and its audit entry share one transaction. A metric always keeps an active owner who can
 * write its commentary: an admin or an executive, never a viewer (a viewer can only look).
 */
export type Me = PermissionSubject & { name: string };

export const actorOf = (me: Me): Actor => ({ executiveId: me.id, label: me.name });

/** A rule of the admin area was not met; the message says which and what to do instead. */
export class AdminRuleError extends Error {
  constructor(
    message: string,
    /** The form field the message belongs to, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AdminRuleError';
  }
}

export const OWNER_ROLES: readonly Role[] = ['admin', 'executive'];

export interface PersonSummary extends ExecutiveDto {
  hasPassword: boolean;
  /** The newest link that still works, if any (never the token: only its hash is stored). */
  pendingLink: { purpose: PasswordTokenPurpose; expiresAt: Date } | null;
  ownedMetrics: { key: MetricKey; name: string }[];
  ownedIssues: { issueKey: string; label: string }[];
  openActions: number;
  createdAt: Date;
}

export async function listPeople(db: Queryable, me: Me, options: { id?: number } = {}): Promise<PersonSummary[]> {
  assertCan(me, 'administer');
  const people = await db
    .select()
    .from(executives)
    .where(options.id === undefined ? undefined : eq(executives.id, options.id))
    .orderBy(desc(executives.isActive), asc(executives.name), asc(executives.id));
  if (people.length === 0) return [];
  const ids = people.map((p) => p.id);
  const [owned, issues, actions, links] = await Promise.all([
    db.select({ key: metrics.key, name: metrics.name, ownerId: metrics.ownerId }).from(metrics).where(inArray(metrics.ownerId, ids)),
    db
      .select({ issueKey: recurringIssues.issueKey, label: recurringIssues.label, ownerId: recurringIssues.ownerId })
      .from(recurringIssues)
      .where(and(inArray(recurringIssues.ownerId, ids), isNull(recurringIssues.fixedOn)))
      .orderBy(asc(recurringIssues.label)),
    db
      .select({ ownerId: metricActions.ownerId, n: count() })
      .from(metricActions)
      .where(and(inArray(metricActions.ownerId, ids), ne(metricActions.status, 'done')))
      .groupBy(metricActions.ownerId),
    db
      .select({ executiveId: passwordTokens.executiveId, purpose: passwordTokens.purpose, expiresAt: passwordTokens.expiresAt })
      .from(passwordTokens)
      .where(and(inArray(passwordTokens.executiveId, ids), isNull(passwordTokens.usedAt), gt(passwordTokens.expiresAt, sql`now()`)))
      .orderBy(desc(passwordTokens.expiresAt)),
  ]);
  const metricOrder = (key: MetricKey) => METRIC_KEYS.indexOf(key);
  return people.map((p) => {
    const link = links.find((l) => l.executiveId === p.id);
    return {
      ...toExecutiveDto(p),
      hasPassword: p.passwordHash !== null,
      pendingLink: link ? { purpose: link.purpose, expiresAt: link.expiresAt } : null,
      ownedMetrics: owned
        .filter((m) => m.ownerId === p.id)
        .sort((a, b) => metricOrder(a.key) - metricOrder(b.key))
        .map(({ key, name }) => ({ key, name })),
      ownedIssues: issues.filter((i) => i.ownerId === p.id).map(({ issueKey, label }) => ({ issueKey, label })),
      openActions: Number(actions.find((a) => a.ownerId === p.id)?.n ?? 0),
      createdAt: p.createdAt,
    };
  });
}

export async function getPerson(db: Queryable, me: Me, id: number): Promise<PersonSummary | null> {
  const [person] = await listPeople(db, me, { id });
  return person ?? null;
}

export interface OwnerChoice {
  id: number;
  name: string;
  title: string;
  role: Role;
  powerCore: PowerCore;
}

/** Who may own a metric: active admins and executives. */
export async function listEligibleOwners(db: Queryable, me: Me): Promise<OwnerChoice[]> {
  assertCan(me, 'administer');
  return db
    .select({ id: executives.id, name: executives.name, title: executives.title, role: executives.role, powerCore: executives.powerCore })
    .from(executives)
    .where(and(eq(executives.isActive, true), inArray(executives.role, [...OWNER_ROLES])))
    .orderBy(asc(executives.name), asc(executives.id));
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === '23505') return true;
  }
  return false;
}

async function lockPerson(tx: Queryable, id: number) {
  const [person] = await tx.select().from(executives).where(eq(executives.id, id)).for('update');
  if (!person) throw new AdminRuleError('That person does not exist.');
  return person;
}

/**
 * Gives a metric to a new owner inside the caller's transaction. The new owner's row is locked
 * (shared) first, so a concurrent deactivation of them either waits for this or is seen here.
 */
export async function transferMetricOwner(
  tx: Queryable,
  actor: Actor,
  key: MetricKey,
  newOwnerId: number,
  options: { leaving?: number } = {},
): Promise<boolean> {
  const [owner] = await tx
    .select({ id: executives.id, name: executives.name, role: executives.role, isActive: executives.isActive })
    .from(executives)
    .where(eq(executives.id, newOwnerId))
    .for('share');
  const [metric] = await tx
    .select({ key: metrics.key, name: metrics.name, ownerId: metrics.ownerId })
    .from(metrics)
    .where(eq(metrics.key, key))
    .for('update');
  if (!metric) throw new AdminRuleError('That metric does not exist.');
  if (!owner || !owner.isActive || owner.id === options.leaving) {
    throw new AdminRuleError(`Choose an active admin or executive to own ${metric.name}.`, `newOwner.${key}`);
  }
  if (!OWNER_ROLES.includes(owner.role)) {
    throw new AdminRuleError(
      `${owner.name} is a viewer and cannot own ${metric.name}: an owner writes its commentary and actions. Choose an admin or executive.`,
      `newOwner.${key}`,
    );
  }
  if (metric.ownerId === owner.id) return false;
  const [previous] = metric.ownerId
    ? await tx.select({ name: executives.name }).from(executives).where(eq(executives.id, metric.ownerId))
    : [];
  await tx.update(metrics).set({ ownerId: owner.id, updatedAt: sql`now()` }).where(eq(metrics.key, key));
  // The scorecard shows the owner: cached scorecards must see the change.
  await bumpDataVersion(tx);
  await writeAudit(tx, actor, {
    action: 'assign-owner',
    entity: 'metric',
    entityId: key,
    before: { ownerId: metric.ownerId, ownerName: previous?.name ?? null },
    after: { ownerId: owner.id, ownerName: owner.name },
  });
  return true;
}

/** Hands over every metric the person owns, or refuses naming the ones that still need a new owner. */
async function handOverMetrics(tx: Queryable, actor: Actor, person: { id: number; name: string }, newOwners: NewOwners, why: string) {
  const owned = await tx
    .select({ key: metrics.key, name: metrics.name })
    .from(metrics)
    .where(eq(metrics.ownerId, person.id))
    .for('update');
  owned.sort((a, b) => METRIC_KEYS.indexOf(a.key) - METRIC_KEYS.indexOf(b.key));
  const missing = owned.filter((m) => newOwners[m.key] === undefined);
  if (missing.length > 0) {
    throw new AdminRuleError(
      `${person.name} owns ${missing.map((m) => m.name).join(' and ')}. Choose who takes over before ${why}: a metric always has an active owner.`,
      `newOwner.${missing[0].key}`,
    );
  }
  for (const metric of owned) {
    await transferMetricOwner(tx, actor, metric.key, newOwners[metric.key]!, { leaving: person.id });
  }
}

/**
 * Hands the person's open recurring issues and unfinished actions to one successor, or refuses
 * saying how many need one: accountability must not leave with the person. Fixed issues and
 * finished actions keep their owner, as history.
 */
async function handOverOpenWork(tx: Queryable, actor: Actor, person: { id: number; name: string }, newOwners: NewOwners, why: string) {
  const issues = await tx
    .select({ issueKey: recurringIssues.issueKey })
    .from(recurringIssues)
    .where(and(eq(recurringIssues.ownerId, person.id), isNull(recurringIssues.fixedOn)))
    .orderBy(asc(recurringIssues.issueKey))
    .for('update');
  const actions = await tx
    .select({ id: metricActions.id })
    .from(metricActions)
    .where(and(eq(metricActions.ownerId, person.id), ne(metricActions.status, 'done')))
    .orderBy(asc(metricActions.id))
    .for('update');
  if (issues.length === 0 && actions.length === 0) return;

  const what = describeOpenWork({ issues: issues.length, actions: actions.length });
  const heirId = newOwners.work;
  if (heirId === undefined) {
    throw new AdminRuleError(`${person.name} answers for ${what}. Choose who takes them over before ${why}.`, 'newOwner.work');
  }
  const [heir] = await tx
    .select({ id: executives.id, name: executives.name, role: executives.role, isActive: executives.isActive })
    .from(executives)
    .where(eq(executives.id, heirId))
    .for('share');
  if (!heir || !heir.isActive || heir.id === person.id || !OWNER_ROLES.includes(heir.role)) {
    throw new AdminRuleError(`Choose an active admin or executive to take over ${what}.`, 'newOwner.work');
  }

  const before = { ownerId: person.id, ownerName: person.name };
  const after = { ownerId: heir.id, ownerName: heir.name };
  if (issues.length > 0) {
    await tx
      .update(recurringIssues)
      .set({ ownerId: heir.id, updatedAt: sql`now()` })
      .where(inArray(recurringIssues.issueKey, issues.map((issue) => issue.issueKey)));
    // The spot-fix drill-down names each issue's accountable executive.
    await bumpDataVersion(tx);
  }
  if (actions.length > 0) {
    await tx
      .update(metricActions)
      .set({ ownerId: heir.id, updatedAt: sql`now()` })
      .where(inArray(metricActions.id, actions.map((action) => action.id)));
  }
  for (const issue of issues) {
    await writeAudit(tx, actor, { action: 'assign-owner', entity: 'recurring_issue', entityId: issue.issueKey, before, after });
  }
  for (const action of actions) {
    await writeAudit(tx, actor, { action: 'assign-owner', entity: 'metric_action', entityId: action.id, before, after });
  }
}

export interface CreatedPerson {
  person: ExecutiveDto;
  link: IssuedPasswordToken;
}

/** Adds someone with no password and returns their invite link (shown to the admin once). */
export async function createPerson(db: Db, me: Me, input: PersonCreateInput): Promise<CreatedPerson> {
  assertCan(me, 'administer');
  const actor = actorOf(me);
  try {
    return await db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: executives.id }).from(executives).where(eq(executives.email, input.email));
      if (existing) throw new DuplicateEmailError(input.email);
      const [row] = await tx
        .insert(executives)
        .values({ ...input, passwordHash: null, isActive: true })
        .returning();
      const person = toExecutiveDto(row);
      const link = await issuePasswordToken(tx, row.id, 'invite');
      await writeAudit(tx, actor, { action: 'create', entity: 'executive', entityId: row.id, after: person });
      await writeAudit(tx, actor, {
        action: 'issue-password-link',
        entity: 'executive',
        entityId: row.id,
        after: { purpose: link.purpose, expiresAt: link.expiresAt.toISOString() },
      });
      return { person, link };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateEmailError(input.email);
    throw error;
  }
}

/**
 * Changes name, title, power core and role. A role change ends the person's open sessions; an admin
 * who stops being one loses their API tokens for good; making an owner a viewer needs successors
 * for their metrics and open work in the same step.
 */
export async function updatePerson(db: Db, me: Me, input: PersonUpdateInput, newOwners: NewOwners = {}): Promise<ExecutiveDto> {
  assertCan(me, 'administer');
  const actor = actorOf(me);
  return db.transaction(async (tx) => {
    const before = await lockPerson(tx, input.id);
    const roleChanges = before.role !== input.role;
    if (roleChanges) {
      if (before.id === me.id) {
        throw new AdminRuleError('You cannot change your own role. Ask another admin to do it.', 'role');
      }
      if (before.role === 'admin' && before.isActive) {
        const [{ n }] = await tx
          .select({ n: count() })
          .from(executives)
          .where(and(eq(executives.role, 'admin'), eq(executives.isActive, true), ne(executives.id, before.id)));
        if (Number(n) === 0) throw new AdminRuleError('This is the last active admin. Make someone else an admin first.', 'role');
      }
      if (!OWNER_ROLES.includes(input.role)) {
        await handOverMetrics(tx, actor, before, newOwners, `making them a ${input.role}`);
        await handOverOpenWork(tx, actor, before, newOwners, `making them a ${input.role}`);
      }
    }
    const [after] = await tx
      .update(executives)
      .set({
        name: input.name,
        title: input.title,
        powerCore: input.powerCore,
        role: input.role,
        updatedAt: sql`now()`,
        ...(roleChanges ? { sessionVersion: sql`${executives.sessionVersion} + 1` } : {}),
      })
      .where(eq(executives.id, before.id))
      .returning();
    if (before.role === 'admin' && after.role !== 'admin') {
      await revokeTokensCreatedBy(tx, actor, before.id, `${before.name} is no longer an admin`);
    }
    const [dtoBefore, dtoAfter] = [toExecutiveDto(before), toExecutiveDto(after)];
    if (JSON.stringify(dtoBefore) !== JSON.stringify(dtoAfter)) {
      // Owners' names and titles appear on the scorecard.
      await bumpDataVersion(tx);
      await writeAudit(tx, actor, {
        action: roleChanges ? 'change-role' : 'update',
        entity: 'executive',
        entityId: before.id,
        before: { ...dtoBefore, ...(roleChanges ? { sessionVersion: before.sessionVersion } : {}) },
        after: { ...dtoAfter, ...(roleChanges ? { sessionVersion: after.sessionVersion } : {}) },
      });
    }
    return dtoAfter;
  });
}

/**
 * Ends someone's access at once: inactive, session version bumped (their open session fails its
 * next check), unused links and the API tokens they made revoked. Their metrics, open recurring issues and unfinished actions
 * go to the successors chosen in the same step.
 */
export async function deactivatePerson(db: Db, me: Me, id: number, newOwners: NewOwners = {}): Promise<ExecutiveDto> {
  assertCan(me, 'administer');
  const actor = actorOf(me);
  if (id === me.id) throw new AdminRuleError('You cannot deactivate yourself. Ask another admin to do it.');
  return db.transaction(async (tx) => {
    const before = await lockPerson(tx, id);
    if (!before.isActive) throw new AdminRuleError(`${before.name} is already deactivated.`);
    await handOverMetrics(tx, actor, before, newOwners, 'deactivating them');
    await handOverOpenWork(tx, actor, before, newOwners, 'deactivating them');
    const [after] = await tx
      .update(executives)
      .set({ isActive: false, sessionVersion: sql`${executives.sessionVersion} + 1`, updatedAt: sql`now()` })
      .where(eq(executives.id, id))
      .returning();
    const revokedLinks = await revokeUnusedPasswordTokens(tx, id);
    await revokeTokensCreatedBy(tx, actor, id, `${before.name} was deactivated`);
    await writeAudit(tx, actor, {
      action: 'deactivate',
      entity: 'executive',
      entityId: id,
      before: { isActive: true, sessionVersion: before.sessionVersion },
      after: { isActive: false, sessionVersion: after.sessionVersion, revokedLinks },
    });
    return toExecutiveDto(after);
  });
}

export async function reactivatePerson(db: Db, me: Me, id: number): Promise<ExecutiveDto> {
  assertCan(me, 'administer');
  const actor = actorOf(me);
  return db.transaction(async (tx) => {
    const before = await lockPerson(tx, id);
    if (before.isActive) throw new AdminRuleError(`${before.name} is already active.`);
    const [after] = await tx
      .update(executives)
      .set({ isActive: true, updatedAt: sql`now()` })
      .where(eq(executives.id, id))
      .returning();
    await writeAudit(tx, actor, { action: 'reactivate', entity: 'executive', entityId: id, before: { isActive: false }, after: { isActive: true } });
    return toExecutiveDto(after);
  });
}

/**
 * A new one-time link: an invite for someone who never set a password, else a reset. Earlier
 * unused links for the person stop working.
 */
export async function issuePasswordLink(db: Db, me: Me, id: number): Promise<{ person: ExecutiveDto; link: IssuedPasswordToken }> {
  assertCan(me, 'administer');
  const actor = actorOf(me);
  return db.transaction(async (tx) => {
    const person = await lockPerson(tx, id);
    if (!person.isActive) throw new AdminRuleError(`${person.name} is deactivated. Reactivate them first.`);
    const link = await issuePasswordToken(tx, id, person.passwordHash === null ? 'invite' : 'reset');
    await writeAudit(tx, actor, {
      action: 'issue-password-link',
      entity: 'executive',
      entityId: id,
      after: { purpose: link.purpose, expiresAt: link.expiresAt.toISOString() },
    });
    return { person: toExecutiveDto(person), link };
  });
}
