import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db, Queryable } from '@/lib/db';
import { customers, organisation, recurringIssues, spotFixes, surveyResponses } from '@/lib/db/schema';
import { issueKey } from '@/lib/metrics/issue-key';
import type { RecordKind, RecordTypes } from '@/lib/validation/records';
import { writeAudit, type Actor } from './audit';

/**
 * The one write path for customers, survey responses and spot fixes: CSV import, the JSON API,
 * the spot-fix form and the demo company all land here. Records arrive validated; loading the
 * same record again updates it by its id and never duplicates it.
 */
export interface ApplySummary {
  kind: RecordKind;
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
}

// Keeps each INSERT well under PostgreSQL's 65,535 bound parameters.
const BATCH_SIZE = 2000;

/**
 * The ON CONFLICT clause for an upsert by id: take the incoming values, but only where they differ
 * from what is stored, so an unchanged row is neither rewritten nor counted as changed.
 */
function updateWhenDifferent<T extends PgTable>(table: T, keys: Array<keyof T['$inferInsert'] & string>) {
  const columns = keys.map((key) => (table as unknown as Record<string, PgColumn>)[key]);
  const incoming = (column: PgColumn) => sql`excluded.${sql.identifier(column.name)}`;
  const set: Record<string, SQL> = { updatedAt: sql`now()` };
  keys.forEach((key, i) => (set[key] = incoming(columns[i])));
  const stored = sql.join(columns, sql`, `);
  const fresh = sql.join(columns.map(incoming), sql`, `);
  return { set, setWhere: sql`(${stored}) is distinct from (${fresh})` };
}

const CUSTOMER_UPDATE = updateWhenDifferent(customers, [
  'name',
  'segment',
  'acquiredOn',
  'churnedOn',
  'monthlyValue',
  'churnReason',
]);
const RESPONSE_UPDATE = updateWhenDifferent(surveyResponses, [
  'customerId',
  'respondedOn',
  'score',
  'touchpoint',
  'comment',
]);
const SPOT_FIX_UPDATE = updateWhenDifferent(spotFixes, [
  'occurredOn',
  'issue',
  'issueKey',
  'category',
  'cost',
  'customerId',
  'journeyStage',
  'note',
]);

type Outcome = { inserted: boolean }[];

async function upsertCustomers(tx: Queryable, records: RecordTypes['customers'][]): Promise<Outcome> {
  return tx
    .insert(customers)
    .values(
      records.map((r) => ({
        customerId: r.customer_id,
        name: r.name,
        segment: r.segment,
        acquiredOn: r.acquired_on,
        churnedOn: r.churned_on,
        monthlyValue: r.monthly_value,
        churnReason: r.churn_reason,
      })),
    )
    .onConflictDoUpdate({
      target: customers.customerId,
      ...CUSTOMER_UPDATE,
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
}

async function upsertResponses(tx: Queryable, records: RecordTypes['responses'][]): Promise<Outcome> {
  return tx
    .insert(surveyResponses)
    .values(
      records.map((r) => ({
        responseId: r.response_id,
        customerId: r.customer_id,
        respondedOn: r.responded_on,
        score: r.score,
        touchpoint: r.touchpoint,
        comment: r.comment,
      })),
    )
    .onConflictDoUpdate({
      target: surveyResponses.responseId,
      ...RESPONSE_UPDATE,
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
}

async function upsertSpotFixes(tx: Queryable, records: RecordTypes['spot-fixes'][]): Promise<Outcome> {
  // Every distinct issue gets its recurring-issue row first (labelled as first written).
  const issues = new Map<string, string>();
  for (const r of records) {
    const key = issueKey(r.issue);
    if (!issues.has(key)) issues.set(key, r.issue.trim());
  }
  await tx
    .insert(recurringIssues)
    .values([...issues].map(([key, label]) => ({ issueKey: key, label })))
    .onConflictDoNothing();

  return tx
    .insert(spotFixes)
    .values(
      records.map((r) => ({
        spotFixId: r.spot_fix_id,
        occurredOn: r.occurred_on,
        issue: r.issue,
        issueKey: issueKey(r.issue),
        category: r.category,
        cost: r.cost,
        customerId: r.customer_id,
        journeyStage: r.journey_stage,
        note: r.note,
      })),
    )
    .onConflictDoUpdate({
      target: spotFixes.spotFixId,
      ...SPOT_FIX_UPDATE,
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
}

const UPSERT = {
  customers: upsertCustomers,
  responses: upsertResponses,
  'spot-fixes': upsertSpotFixes,
} as { [K in RecordKind]: (tx: Queryable, records: RecordTypes[K][]) => Promise<Outcome> };

/** Upserts validated records inside an open transaction; returns counts. */
export async function upsertRecords<K extends RecordKind>(
  tx: Queryable,
  kind: K,
  records: RecordTypes[K][],
): Promise<Omit<ApplySummary, 'kind'>> {
  const totals = { rows: 0, added: 0, changed: 0, unchanged: 0 };
  for (let i = 0; i < records.length; i += BATCH_SIZE) {
    const batch = records.slice(i, i + BATCH_SIZE);
    const outcome = await UPSERT[kind](tx, batch);
    const added = outcome.filter((o) => o.inserted).length;
    totals.rows += batch.length;
    totals.added += added;
    totals.changed += outcome.length - added;
    totals.unchanged += batch.length - outcome.length;
  }
  return totals;
}

/** Marks the data as changed, so cached scorecards are recomputed. Call in the writing transaction. */
export async function bumpDataVersion(tx: Queryable): Promise<void> {
  await tx.update(organisation).set({ dataVersion: sql`${organisation.dataVersion} + 1`, updatedAt: sql`now()` });
}

/**
 * Applies every batch in one transaction — all or nothing — and writes one audit entry.
 * Batches may come from a stream, so a million rows never sit in memory at once.
 */
export async function applyRecords<K extends RecordKind>(
  db: Db,
  kind: K,
  batches: Iterable<RecordTypes[K][]> | AsyncIterable<RecordTypes[K][]>,
  actor: Actor,
  source = 'import',
): Promise<ApplySummary> {
  return db.transaction(async (tx) => {
    const summary: ApplySummary = { kind, rows: 0, added: 0, changed: 0, unchanged: 0 };
    for await (const batch of batches) {
      const counts = await upsertRecords(tx, kind, batch);
      summary.rows += counts.rows;
      summary.added += counts.added;
      summary.changed += counts.changed;
      summary.unchanged += counts.unchanged;
    }
    if (summary.added + summary.changed > 0) await bumpDataVersion(tx);
    await writeAudit(tx, actor, { action: source, entity: kind, after: summary });
    return summary;
  });
}
