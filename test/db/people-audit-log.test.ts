import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { auditLog, executives, type Role } from '@/lib/db/schema';
import { ForbiddenError } from '@/lib/auth/permissions';
import { writeAudit } from '@/lib/data/audit';
import { diffAuditValues, InvalidCursorError, listAuditEntries, listAuditFacets } from '@/lib/data/audit-log';
import type { Me } from '@/lib/data/people';
import { auditFilterSchema } from '@/lib/validation/admin';
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../support/databases';

describe('the audit diff', () => {
  it('lines up before and after field by field, nested fields as paths', () => {
    const { lines } = diffAuditValues(
      { role: 'executive', name: 'A', owner: { id: 1, name: 'X' }, gone: true },
      { role: 'viewer', name: 'A', owner: { id: 2, name: 'X' }, added: [1, 2] },
    );
    expect(lines).toEqual([
      { path: 'role', kind: 'changed', before: 'executive', after: 'viewer' },
      { path: 'name', kind: 'same', before: 'A', after: 'A' },
      { path: 'owner.id', kind: 'changed', before: 1, after: 2 },
      { path: 'owner.name', kind: 'same', before: 'X', after: 'X' },
      { path: 'gone', kind: 'removed', before: true },
      { path: 'added', kind: 'added', after: [1, 2] },
    ]);
    expect(diffAuditValues(null, null).lines).toEqual([]);
    expect(diffAuditValues(null, 5).lines).toEqual([{ path: '(value)', kind: 'added', after: 5 }]);
  });

  it('reads the filters from a query string and refuses nonsense', () => {
    expect(auditFilterSchema.parse({ actor: '', entity: 'metric', from: '2025-01-01', to: '' })).toEqual({
      actor: undefined,
      entity: 'metric',
      action: undefined,
      from: '2025-01-01',
      to: undefined,
      cursor: undefined,
    });
    expect(auditFilterSchema.safeParse({ actor: 'drop table' }).success).toBe(false);
    expect(auditFilterSchema.safeParse({ from: '2025-13-45' }).success).toBe(false);
    expect(auditFilterSchema.safeParse({ from: '2025-02-01', to: '2025-01-01' }).success).toBe(false);
  });
});

describe.each(DATABASE_TARGETS)('browsing the audit log on %s', (target) => {
  let t: TestDatabase;
  let admin: Me;
  let other: Me;
  beforeAll(async () => {
    t = await openTestDatabase(target);
  });
  beforeEach(async () => {
    await t.reset();
    const make = async (name: string, role: Role) => {
      const [row] = await t.db
        .insert(executives)
        .values({ name, email: `${name.toLowerCase()}@example.test`, title: 'T', powerCore: 'it', role })
        .returning();
      return { id: row.id, role: row.role, name: row.name };
    };
    admin = await make('Ada', 'admin');
    other = await make('Otto', 'executive');
    // 30 entries over three days; several share a timestamp, as entries of one transaction do.
    for (let i = 0; i < 30; i += 1) {
      const at = sql`timestamptz '2025-03-01 10:00:00+00' + make_interval(hours => ${Math.floor(i / 3) * 6})`;
      await t.db.insert(auditLog).values({
        actorId: i % 2 === 0 ? admin.id : i % 5 === 0 ? null : other.id,
        actorLabel: i % 2 === 0 ? 'Ada' : i % 5 === 0 ? 'operator CLI' : 'Otto',
        action: i % 3 === 0 ? 'update' : 'create',
        entity: i < 15 ? 'metric' : 'executive',
        entityId: String(i),
        before: null,
        after: { i },
        at,
      });
    }
  });
  afterAll(() => t?.close());

  const ids = (entries: { entityId: string | null }[]) => entries.map((e) => Number(e.entityId));

  it('pages through everything newest first with a keyset cursor, missing nothing and repeating nothing', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAuditEntries(t.db, admin, { cursor }, 7);
      seen.push(...ids(page.entries));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    // Newest first: later hours first; within one instant, the later id first.
    expect(seen.slice(0, 3)).toEqual([29, 28, 27]);
    expect(seen.at(-1)).toBe(0);
  });

  it('filters by actor, entity, action and an inclusive UTC date range', async () => {
    const byOtto = await listAuditEntries(t.db, admin, { actor: String(other.id) });
    expect(byOtto.entries.every((e) => e.actorLabel === 'Otto' && e.actorName === 'Otto')).toBe(true);
    const system = await listAuditEntries(t.db, admin, { actor: 'system' });
    expect(ids(system.entries).sort((a, b) => a - b)).toEqual([5, 15, 25]);
    const metricUpdates = await listAuditEntries(t.db, admin, { entity: 'metric', action: 'update' });
    expect(ids(metricUpdates.entries)).toEqual([12, 9, 6, 3, 0]);
    // Day one is 10:00, 16:00, 22:00 (i 0–8); day two starts with i 9 at 04:00.
    const dayOne = await listAuditEntries(t.db, admin, { from: '2025-03-01', to: '2025-03-01' });
    expect(ids(dayOne.entries).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const fromDayThree = await listAuditEntries(t.db, admin, { from: '2025-03-03' });
    expect(Math.min(...ids(fromDayThree.entries))).toBe(21);
  });

  it('offers the people, entities and actions that appear in the log', async () => {
    const facets = await listAuditFacets(t.db, admin);
    expect(facets.actors.map((a) => a.value)).toEqual([String(admin.id), String(other.id), 'system']);
    expect(facets.entities).toEqual(['executive', 'metric']);
    expect(facets.actions).toEqual(['create', 'update']);
  });

  it('refuses a made-up cursor', async () => {
    await expect(listAuditEntries(t.db, admin, { cursor: 'bogus' })).rejects.toThrow(InvalidCursorError);
  });

  it('is for admins only', async () => {
    await expect(listAuditEntries(t.db, other, {})).rejects.toThrow(ForbiddenError);
    await expect(listAuditFacets(t.db, { ...other, role: 'viewer' })).rejects.toThrow(ForbiddenError);
  });

  it('records writes through writeAudit with the actor and both values', async () => {
    await t.db.transaction((tx) =>
      writeAudit(tx, { executiveId: admin.id, label: 'Ada' }, { action: 'x', entity: 'y', entityId: 1, before: { a: 1 }, after: { a: 2 } }),
    );
    const [entry] = (await listAuditEntries(t.db, admin, { action: 'x' })).entries;
    expect(entry).toMatchObject({ actorId: admin.id, actorLabel: 'Ada', entity: 'y', entityId: '1', before: { a: 1 }, after: { a: 2 } });
  });
});
