import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { executives, metricActions, metrics, passwordTokens, recurringIssues, type Role } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
import { ForbiddenError } from '@/lib/auth/permissions';
import { DuplicateEmailError } from '@/lib/data/executives';
import {
  AdminRuleError,
  createPerson,
  deactivatePerson,
  getPerson,
  issuePasswordLink,
  listEligibleOwners,
  listPeople,
  reactivatePerson,
  updatePerson,
  type Me,
} from '@/lib/data/people';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

let sequence = 0;

async function makeExecutive(t: TestDatabase, role: Role, overrides: { name?: string; isActive?: boolean } = {}): Promise<Me> {
  sequence += 1;
  const name = overrides.name ?? `${role} ${sequence}`;
  const [row] = await t.db
    .insert(executives)
    .values({
      name,
      email: `${role}${sequence}@example.test`,
      title: 'Chief Something Officer',
      powerCore: 'customer',
      role,
      passwordHash: 'not-a-real-hash',
      isActive: overrides.isActive ?? true,
    })
    .returning();
  return { id: row.id, role: row.role, name: row.name };
}

async function counts(t: TestDatabase) {
  const [row] = await queryRows<{ people: number; audits: number; tokens: number; version: number }>(
    t.db,
    sql`select (select count(*)::int from executives) as people, (select count(*)::int from audit_log) as audits,
               (select count(*)::int from password_tokens) as tokens, (select data_version from organisation) as version`,
  );
  return row;
}

async function snapshot(t: TestDatabase) {
  return queryRows(
    t.db,
    sql`select e.id, e.name, e.title, e.power_core, e.role, e.is_active, e.session_version, e.password_hash,
               (select string_agg(key, ',' order by key) from metrics m where m.owner_id = e.id) as owns
        from executives e order by e.id`,
  );
}

async function ownerOf(t: TestDatabase, key: 'retention' | 'recommendation' | 'spot_fix_cost') {
  const [row] = await t.db.select({ ownerId: metrics.ownerId }).from(metrics).where(eq(metrics.key, key));
  return row.ownerId;
}

const newPerson = (email: string) => ({ name: 'Nadia Novak', email, title: 'Chief Product Officer', powerCore: 'product' as const, role: 'executive' as const });

describe.each(DATABASE_TARGETS)('people administration on %s', (target) => {
  let t: TestDatabase;
  let admin: Me;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(async () => {
    await t.reset();
    admin = await makeExecutive(t, 'admin', { name: 'Ada Admin' });
    await t.db.update(metrics).set({ ownerId: admin.id });
  });
  afterAll(() => t?.close());

  it('adds a person with no password and an invite link whose token is stored only as its SHA-256', async () => {
    const { person, link } = await createPerson(t.db, admin, newPerson('nadia@example.test'));
    expect(person).toMatchObject({ name: 'Nadia Novak', email: 'nadia@example.test', role: 'executive', isActive: true });
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.path).toBe(`/set-password/${link.token}`);
    expect(link.purpose).toBe('invite');
    const days = (link.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7.01);

    const [stored] = await t.db.select().from(executives).where(eq(executives.id, person.id));
    expect(stored.passwordHash).toBeNull();
    const tokens = await t.db.select().from(passwordTokens);
    expect(tokens).toHaveLength(1);
    expect(tokens[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const everything = JSON.stringify(await queryRows(t.db, sql`select * from password_tokens`)) +
      JSON.stringify(await queryRows(t.db, sql`select * from audit_log`));
    expect(everything).not.toContain(link.token);

    const audits = await queryRows<{ action: string; actor_id: number; entity_id: string }>(
      t.db,
      sql`select action, actor_id, entity_id from audit_log order by id`,
    );
    expect(audits).toEqual([
      { action: 'create', actor_id: admin.id, entity_id: String(person.id) },
      { action: 'issue-password-link', actor_id: admin.id, entity_id: String(person.id) },
    ]);
  });

  it('refuses a second person with the same email, ignoring case, and writes nothing', async () => {
    await createPerson(t.db, admin, newPerson('nadia@example.test'));
    const before = await counts(t);
    await expect(createPerson(t.db, admin, newPerson('nadia@example.test'))).rejects.toThrow(DuplicateEmailError);
    expect(await counts(t)).toEqual(before);
  });

  it.each(['executive', 'viewer'] as const)('refuses every people change from an %s and writes nothing', async (role) => {
    const someone = await makeExecutive(t, 'executive');
    const me = await makeExecutive(t, role);
    const before = { counts: await counts(t), people: await snapshot(t) };
    const attempts = [
      () => createPerson(t.db, me, newPerson('intruder@example.test')),
      () => updatePerson(t.db, me, { id: someone.id, name: 'X', title: 'X', powerCore: 'it', role: 'admin' }),
      () => updatePerson(t.db, me, { id: me.id, name: 'Me', title: 'Boss', powerCore: 'it', role: 'admin' }),
      () => deactivatePerson(t.db, me, someone.id),
      () => deactivatePerson(t.db, me, admin.id, { retention: me.id, recommendation: me.id, spot_fix_cost: me.id }),
      () => reactivatePerson(t.db, me, someone.id),
      () => issuePasswordLink(t.db, me, someone.id),
      () => issuePasswordLink(t.db, me, admin.id),
      () => listPeople(t.db, me),
      () => getPerson(t.db, me, someone.id),
      () => listEligibleOwners(t.db, me),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toThrow(ForbiddenError);
    expect({ counts: await counts(t), people: await snapshot(t) }).toEqual(before);
  });

  it('lists people with what they own and any link still waiting to be used', async () => {
    const { person } = await createPerson(t.db, admin, newPerson('nadia@example.test'));
    const people = await listPeople(t.db, admin);
    const ada = people.find((p) => p.id === admin.id)!;
    expect(ada.ownedMetrics.map((m) => m.key)).toEqual(['retention', 'recommendation', 'spot_fix_cost']);
    expect(ada.hasPassword).toBe(true);
    const nadia = people.find((p) => p.id === person.id)!;
    expect(nadia).toMatchObject({ hasPassword: false, ownedMetrics: [], pendingLink: { purpose: 'invite' } });
    expect(JSON.stringify(people)).not.toMatch(/passwordHash|not-a-real-hash/);
  });

  it('refuses to deactivate a metric owner until new owners are chosen, then hands the metrics over in the same step', async () => {
    const owner = await makeExecutive(t, 'executive', { name: 'Olga Owner' });
    const heir = await makeExecutive(t, 'executive', { name: 'Hugo Heir' });
    await t.db.update(metrics).set({ ownerId: owner.id }).where(sql`key in ('retention', 'recommendation')`);
    const before = { counts: await counts(t), people: await snapshot(t) };

    const refusal = deactivatePerson(t.db, admin, owner.id, { retention: heir.id });
    await expect(refusal).rejects.toThrow(AdminRuleError);
    await expect(deactivatePerson(t.db, admin, owner.id, { retention: heir.id })).rejects.toThrow(
      /Olga Owner owns Recommendation rate\. Choose who takes over/,
    );
    expect({ counts: await counts(t), people: await snapshot(t) }).toEqual(before);

    const after = await deactivatePerson(t.db, admin, owner.id, { retention: heir.id, recommendation: admin.id });
    expect(after.isActive).toBe(false);
    expect(await metricOwners(t)).toEqual({ retention: heir.id, recommendation: admin.id, spot_fix_cost: admin.id });
    const [stored] = await t.db.select().from(executives).where(eq(executives.id, owner.id));
    expect(stored.sessionVersion).toBe(1);
    const audits = await queryRows<{ action: string; entity: string; entity_id: string }>(
      t.db,
      sql`select action, entity, entity_id from audit_log order by id`,
    );
    expect(audits).toEqual([
      { action: 'assign-owner', entity: 'metric', entity_id: 'retention' },
      { action: 'assign-owner', entity: 'metric', entity_id: 'recommendation' },
      { action: 'deactivate', entity: 'executive', entity_id: String(owner.id) },
    ]);
    expect((await counts(t)).version).toBeGreaterThan(before.counts.version);
  });

  it('hands open recurring issues and unfinished actions to one successor when deactivating, keeping finished ones as history', async () => {
    const owner = await makeExecutive(t, 'executive', { name: 'Olga Owner' });
    const heir = await makeExecutive(t, 'executive', { name: 'Hugo Heir' });
    const viewer = await makeExecutive(t, 'viewer');
    await t.db.insert(recurringIssues).values([
      { issueKey: 'late delivery', label: 'Late delivery', ownerId: owner.id },
      { issueKey: 'router dropouts', label: 'Router dropouts', ownerId: owner.id },
      { issueKey: 'billing errors', label: 'Billing errors', ownerId: owner.id, fixedOn: '2025-01-31' },
    ]);
    const actions = await t.db
      .insert(metricActions)
      .values([
        { metricKey: 'retention', period: '2025-03', title: 'Call every churned customer', ownerId: owner.id, createdById: admin.id },
        { metricKey: 'retention', period: '2025-03', title: 'Fix the cancellation flow', ownerId: owner.id, status: 'done', createdById: admin.id },
      ])
      .returning({ id: metricActions.id });
    const work = async () => ({
      issues: await t.db.select({ key: recurringIssues.issueKey, ownerId: recurringIssues.ownerId }).from(recurringIssues).orderBy(recurringIssues.issueKey),
      actions: await t.db.select({ id: metricActions.id, ownerId: metricActions.ownerId }).from(metricActions).orderBy(metricActions.id),
    });
    const before = { counts: await counts(t), people: await snapshot(t), work: await work() };

    await expect(deactivatePerson(t.db, admin, owner.id)).rejects.toThrow(
      'Olga Owner answers for 2 open recurring issues and 1 unfinished action. Choose who takes them over before deactivating them.',
    );
    await expect(deactivatePerson(t.db, admin, owner.id, { work: viewer.id })).rejects.toThrow(/Choose an active admin or executive to take over/);
    await expect(deactivatePerson(t.db, admin, owner.id, { work: owner.id })).rejects.toThrow(/Choose an active admin or executive to take over/);
    await expect(updatePerson(t.db, admin, { id: owner.id, name: 'Olga Owner', title: 'T', powerCore: 'it', role: 'viewer' })).rejects.toThrow(
      /Choose who takes them over before making them a viewer/,
    );
    expect({ counts: await counts(t), people: await snapshot(t), work: await work() }).toEqual(before);

    await deactivatePerson(t.db, admin, owner.id, { work: heir.id });
    expect(await work()).toEqual({
      issues: [
        { key: 'billing errors', ownerId: owner.id },
        { key: 'late delivery', ownerId: heir.id },
        { key: 'router dropouts', ownerId: heir.id },
      ],
      actions: [
        { id: actions[0].id, ownerId: heir.id },
        { id: actions[1].id, ownerId: owner.id },
      ],
    });
    const audits = await queryRows<{ action: string; entity: string; entity_id: string; before: unknown; after: unknown }>(
      t.db,
      sql`select action, entity, entity_id, before, after from audit_log order by id`,
    );
    const handOver = { before: { ownerId: owner.id, ownerName: 'Olga Owner' }, after: { ownerId: heir.id, ownerName: 'Hugo Heir' } };
    expect(audits.map(({ action, entity, entity_id }) => [action, entity, entity_id])).toEqual([
      ['assign-owner', 'recurring_issue', 'late delivery'],
      ['assign-owner', 'recurring_issue', 'router dropouts'],
      ['assign-owner', 'metric_action', String(actions[0].id)],
      ['deactivate', 'executive', String(owner.id)],
    ]);
    expect(audits[0]).toMatchObject(handOver);
    expect((await counts(t)).version).toBeGreaterThan(before.counts.version);
  });

  it('rolls back an earlier hand-over and its audit entry when a later one in the same step is refused', async () => {
    const owner = await makeExecutive(t, 'executive');
    const heir = await makeExecutive(t, 'executive');
    const viewer = await makeExecutive(t, 'viewer');
    await t.db.update(metrics).set({ ownerId: owner.id }).where(sql`key in ('retention', 'recommendation')`);
    const before = { counts: await counts(t), people: await snapshot(t) };
    await expect(deactivatePerson(t.db, admin, owner.id, { retention: heir.id, recommendation: viewer.id })).rejects.toThrow(/is a viewer/);
    expect({ counts: await counts(t), people: await snapshot(t) }).toEqual(before);
  });

  it('changes nothing when its audit entry cannot be written', async () => {
    const person = await makeExecutive(t, 'executive');
    await t.db.execute(sql.raw(`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$`));
    await t.db.execute(sql.raw(`create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`));
    try {
      const before = { counts: await counts(t), people: await snapshot(t) };
      await expect(deactivatePerson(t.db, admin, person.id)).rejects.toThrow();
      await expect(createPerson(t.db, admin, newPerson('nadia@example.test'))).rejects.toThrow();
      await expect(updatePerson(t.db, admin, { id: person.id, name: 'N', title: 'T', powerCore: 'it', role: 'viewer' })).rejects.toThrow();
      await expect(issuePasswordLink(t.db, admin, person.id)).rejects.toThrow();
      expect({ counts: await counts(t), people: await snapshot(t) }).toEqual(before);
    } finally {
      await t.db.execute(sql.raw(`drop trigger refuse_audit on audit_log`));
      await t.db.execute(sql.raw(`drop function refuse_audit()`));
    }
  });

  it('never hands a metric to a viewer, an inactive person, or the person leaving', async () => {
    const owner = await makeExecutive(t, 'executive');
    const viewer = await makeExecutive(t, 'viewer', { name: 'Vera Viewer' });
    const gone = await makeExecutive(t, 'executive', { isActive: false });
    await t.db.update(metrics).set({ ownerId: owner.id }).where(eq(metrics.key, 'retention'));
    const before = await snapshot(t);
    await expect(deactivatePerson(t.db, admin, owner.id, { retention: viewer.id })).rejects.toThrow(/Vera Viewer is a viewer/);
    await expect(deactivatePerson(t.db, admin, owner.id, { retention: gone.id })).rejects.toThrow(/Choose an active admin or executive/);
    await expect(deactivatePerson(t.db, admin, owner.id, { retention: owner.id })).rejects.toThrow(/Choose an active admin or executive/);
    await expect(deactivatePerson(t.db, admin, owner.id, { retention: 999_999 })).rejects.toThrow(/Choose an active admin or executive/);
    expect(await snapshot(t)).toEqual(before);
  });

  it('makes a metric owner a viewer only with new owners for their metrics, and ends their session', async () => {
    const owner = await makeExecutive(t, 'executive');
    await t.db.update(metrics).set({ ownerId: owner.id }).where(eq(metrics.key, 'spot_fix_cost'));
    const change = { id: owner.id, name: 'Olga', title: 'Advisor', powerCore: 'sales' as const, role: 'viewer' as const };
    await expect(updatePerson(t.db, admin, change)).rejects.toThrow(/owns Cost of spot fixes/);
    expect(await ownerOf(t, 'spot_fix_cost')).toBe(owner.id);

    const updated = await updatePerson(t.db, admin, change, { spot_fix_cost: admin.id });
    expect(updated).toMatchObject({ role: 'viewer', title: 'Advisor', powerCore: 'sales', name: 'Olga' });
    expect(await ownerOf(t, 'spot_fix_cost')).toBe(admin.id);
    const [stored] = await t.db.select().from(executives).where(eq(executives.id, owner.id));
    expect(stored.sessionVersion).toBe(1);
    const [audit] = await queryRows<{ action: string; before: { role: string }; after: { role: string } }>(
      t.db,
      sql`select action, before, after from audit_log where entity = 'executive' order by id desc limit 1`,
    );
    expect(audit).toMatchObject({ action: 'change-role', before: { role: 'executive' }, after: { role: 'viewer' } });
  });

  it('keeps open sessions when only the title changes, and writes no audit entry when nothing changes', async () => {
    const person = await makeExecutive(t, 'executive');
    const [row] = await t.db.select().from(executives).where(eq(executives.id, person.id));
    await updatePerson(t.db, admin, { id: person.id, name: row.name, title: 'Chief Growth Officer', powerCore: 'sales', role: 'executive' });
    const [after] = await t.db.select().from(executives).where(eq(executives.id, person.id));
    expect(after).toMatchObject({ title: 'Chief Growth Officer', powerCore: 'sales', sessionVersion: 0 });
    const audits = (await counts(t)).audits;
    await updatePerson(t.db, admin, { id: person.id, name: row.name, title: 'Chief Growth Officer', powerCore: 'sales', role: 'executive' });
    expect((await counts(t)).audits).toBe(audits);
  });

  it('refuses to let an admin deactivate themself or change their own role', async () => {
    const before = await snapshot(t);
    await expect(deactivatePerson(t.db, admin, admin.id)).rejects.toThrow(/cannot deactivate yourself/);
    await expect(updatePerson(t.db, admin, { id: admin.id, name: 'Ada Admin', title: 'T', powerCore: 'it', role: 'executive' })).rejects.toThrow(
      /cannot change your own role/,
    );
    expect(await snapshot(t)).toEqual(before);
  });

  it('reactivates a deactivated person without reviving their old sessions', async () => {
    const person = await makeExecutive(t, 'executive');
    await deactivatePerson(t.db, admin, person.id);
    await expect(deactivatePerson(t.db, admin, person.id)).rejects.toThrow(/already deactivated/);
    const back = await reactivatePerson(t.db, admin, person.id);
    expect(back.isActive).toBe(true);
    const [row] = await t.db.select().from(executives).where(eq(executives.id, person.id));
    expect(row.sessionVersion).toBe(1);
    await expect(reactivatePerson(t.db, admin, person.id)).rejects.toThrow(/already active/);
  });

  it('issues a reset for someone with a password and an invite for someone without; only the newest link works', async () => {
    const withPassword = await makeExecutive(t, 'executive');
    const reset = await issuePasswordLink(t.db, admin, withPassword.id);
    expect(reset.link.purpose).toBe('reset');
    const minutes = (reset.link.expiresAt.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(59);
    expect(minutes).toBeLessThanOrEqual(60.5);

    const { person } = await createPerson(t.db, admin, newPerson('nadia@example.test'));
    const again = await issuePasswordLink(t.db, admin, person.id);
    expect(again.link.purpose).toBe('invite');
    const live = await queryRows<{ executive_id: number }>(
      t.db,
      sql`select executive_id from password_tokens where used_at is null and expires_at > now() order by id`,
    );
    expect(live.map((l) => l.executive_id)).toEqual([withPassword.id, person.id]);
  });

  it('ends a deactivated person’s unused links and refuses new ones until they are reactivated', async () => {
    const { person } = await createPerson(t.db, admin, newPerson('nadia@example.test'));
    await deactivatePerson(t.db, admin, person.id);
    const [live] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from password_tokens where expires_at > now()`);
    expect(live.n).toBe(0);
    await expect(issuePasswordLink(t.db, admin, person.id)).rejects.toThrow(/Reactivate them first/);
  });
});

async function metricOwners(t: TestDatabase) {
  const rows = await t.db.select({ key: metrics.key, ownerId: metrics.ownerId }).from(metrics);
  return Object.fromEntries(rows.map((r) => [r.key, r.ownerId]));
}
