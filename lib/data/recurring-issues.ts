import { eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { queryRows } from '@/lib/db/sql';
import { executives, recurringIssues } from '@/lib/db/schema';
import { assertCan, type PermissionSubject } from '@/lib/auth/permissions';
import type { RecurringIssueUpdateInput } from '@/lib/validation/issues';
import { writeAudit } from './audit';
import { bumpDataVersion } from './records';

/**
 * Recurring issues: the problems spot fixes keep paying for. A spot fix is a repeat when another
 * for the same issue happened strictly earlier (SPEC), so an issue's repeat cost is the cost of
 * every spot fix after its first day. One that happens after the issue was marked fixed "came back".
 */
export interface RecurringIssueDto {
  issueKey: string;
  label: string;
  count: number;
  totalCost: string;
  repeatCost: string;
  repeats: number;
  firstSeen: string | null;
  lastSeen: string | null;
  ownerId: number | null;
  ownerName: string | null;
  ownerTitle: string | null;
  estimatedFixCost: string | null;
  fixedOn: string | null;
  /** Spot fixes dated after fixedOn. */
  cameBack: number;
  lastCameBack: string | null;
}

export async function listRecurringIssues(db: Queryable): Promise<RecurringIssueDto[]> {
  return queryRows<RecurringIssueDto>(
    db,
    sql`with firsts as (select issue_key, min(occurred_on) as first_on from spot_fixes group by issue_key)
        select ri.issue_key as "issueKey", ri.label,
          count(sf.spot_fix_id)::int as count,
          coalesce(sum(sf.cost), 0)::numeric(14, 2)::text as "totalCost",
          coalesce(sum(sf.cost) filter (where sf.occurred_on > f.first_on), 0)::numeric(14, 2)::text as "repeatCost",
          count(*) filter (where sf.occurred_on > f.first_on)::int as repeats,
          to_char(min(sf.occurred_on), 'YYYY-MM-DD') as "firstSeen",
          to_char(max(sf.occurred_on), 'YYYY-MM-DD') as "lastSeen",
          ri.owner_id as "ownerId", e.name as "ownerName", e.title as "ownerTitle",
          ri.estimated_fix_cost::text as "estimatedFixCost",
          to_char(ri.fixed_on, 'YYYY-MM-DD') as "fixedOn",
          count(*) filter (where sf.occurred_on > ri.fixed_on)::int as "cameBack",
          to_char(max(sf.occurred_on) filter (where sf.occurred_on > ri.fixed_on), 'YYYY-MM-DD') as "lastCameBack"
        from recurring_issues ri
        left join spot_fixes sf on sf.issue_key = ri.issue_key
        left join firsts f on f.issue_key = ri.issue_key
        left join executives e on e.id = ri.owner_id
        group by ri.issue_key, ri.label, ri.owner_id, e.name, e.title, ri.estimated_fix_cost, ri.fixed_on
        order by coalesce(sum(sf.cost) filter (where sf.occurred_on > f.first_on), 0) desc, coalesce(sum(sf.cost), 0) desc, ri.label`,
  );
}

export class RecurringIssueError extends Error {
  constructor(
    message: string,
    readonly field: 'issueKey' | 'ownerId' | 'estimatedFixCost' | 'fixedOn',
  ) {
    super(message);
    this.name = 'RecurringIssueError';
  }
}

/** Sets an issue's accountable executive, estimated one-time fix cost and fix date (admins), audited. */
export async function updateRecurringIssue(
  db: Db,
  me: PermissionSubject & { name: string },
  input: RecurringIssueUpdateInput,
  today: string,
): Promise<void> {
  assertCan(me, 'administer');
  if (input.fixedOn && input.fixedOn > today) throw new RecurringIssueError('The fix date must not be in the future', 'fixedOn');
  await db.transaction(async (tx) => {
    const [issue] = await tx.select().from(recurringIssues).where(eq(recurringIssues.issueKey, input.issueKey)).for('update');
    if (!issue) throw new RecurringIssueError('There is no such issue', 'issueKey');
    if (input.ownerId !== null) {
      const [owner] = await tx.select().from(executives).where(eq(executives.id, input.ownerId));
      if (!owner || !owner.isActive || owner.role === 'viewer') {
        throw new RecurringIssueError('Choose an active admin or executive', 'ownerId');
      }
    }
    const before = { ownerId: issue.ownerId, estimatedFixCost: issue.estimatedFixCost, fixedOn: issue.fixedOn };
    const after = { ownerId: input.ownerId, estimatedFixCost: input.estimatedFixCost, fixedOn: input.fixedOn };
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    await tx
      .update(recurringIssues)
      .set({ ...after, updatedAt: sql`now()` })
      .where(eq(recurringIssues.issueKey, input.issueKey));
    // A fix date changes which spot fixes "came back": cached figures must be recomputed.
    await bumpDataVersion(tx);
    await writeAudit(tx, { executiveId: me.id, label: me.name }, { action: 'update', entity: 'recurring_issue', entityId: input.issueKey, before, after });
  });
}

/** Active admins and executives who can be accountable for an issue. */
export async function listIssueOwnerChoices(db: Queryable): Promise<Array<{ id: number; name: string; title: string }>> {
  return queryRows(
    db,
    sql`select id, name, title from executives where is_active and role <> 'viewer' order by name`,
  );
}
