import { sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/lib/db';
import { organisation, recurringIssues } from '@/lib/db/schema';
import { queryRows } from '@/lib/db/sql';
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

const BATCH_SIZE = 5000;

type Column<R> = [name: string, pgType: string, value: (record: R) => string | number | null | undefined];

/**
 * `insert … select from unnest(<one array per column>) on conflict (id) do update … where changed`.
 * One bound parameter per column keeps statement building cheap for thousands of rows, and the
 * WHERE clause leaves unchanged rows alone, so they are neither rewritten nor counted as changed.
 * `xmax = 0` tells a fresh insert from an update. Only the `present` columns are updated on an
 * existing record: a column absent from the file leaves that field as it was (SPEC "Data in").
 */
async function upsertByUnnest<R>(
  tx: Queryable,
  table: string,
  columns: Column<R>[],
  records: R[],
  present: ReadonlySet<string>,
): Promise<Outcome> {
  const [idColumn, ...allDataColumns] = columns;
  const dataColumns = allDataColumns.filter(([name]) => present.has(name));
  const names = (list: Column<R>[], prefix = '') => sql.raw(list.map(([name]) => `${prefix}"${name}"`).join(', '));
  const arrays = sql.join(
    columns.map(([, type, value]) => sql`${sql.param(records.map((r) => value(r) ?? null))}::${sql.raw(type)}[]`),
    sql`, `,
  );
  const conflict = dataColumns.length
    ? sql`do update set ${sql.raw(dataColumns.map(([name]) => `"${name}" = excluded."${name}"`).join(', '))}, "updated_at" = now()
        where (${names(dataColumns, `"${table}".`)}) is distinct from (${names(dataColumns, 'excluded.')})`
    : sql`do nothing`;
  return queryRows<{ inserted: boolean }>(
    tx,
    sql`insert into ${sql.identifier(table)} (${names(columns)})
        select * from unnest(${arrays})
        on conflict ("${sql.raw(idColumn[0])}") ${conflict}
        returning (xmax = 0) as inserted`,
  );
}

type Outcome = { inserted: boolean }[];

const CUSTOMER_COLUMNS: Column<RecordTypes['customers']>[] = [
  ['customer_id', 'text', (r) => r.customer_id],
  ['name', 'text', (r) => r.name],
  ['segment', 'text', (r) => r.segment],
  ['acquired_on', 'date', (r) => r.acquired_on],
  ['churned_on', 'date', (r) => r.churned_on],
  ['monthly_value', 'numeric', (r) => r.monthly_value],
  ['churn_reason', 'text', (r) => r.churn_reason],
];

const RESPONSE_COLUMNS: Column<RecordTypes['responses']>[] = [
  ['response_id', 'text', (r) => r.response_id],
  ['customer_id', 'text', (r) => r.customer_id],
  ['responded_on', 'date', (r) => r.responded_on],
  ['score', 'smallint', (r) => r.score],
  ['touchpoint', 'text', (r) => r.touchpoint],
  ['comment', 'text', (r) => r.comment],
];

const SPOT_FIX_COLUMNS: Column<RecordTypes['spot-fixes']>[] = [
  ['spot_fix_id', 'text', (r) => r.spot_fix_id],
  ['occurred_on', 'date', (r) => r.occurred_on],
  ['issue', 'text', (r) => r.issue],
  ['issue_key', 'text', (r) => issueKey(r.issue)],
  ['category', 'text', (r) => r.category],
  ['cost', 'numeric', (r) => r.cost],
  ['customer_id', 'text', (r) => r.customer_id],
  ['journey_stage', 'text', (r) => r.journey_stage],
  ['note', 'text', (r) => r.note],
];

async function upsertSpotFixes(tx: Queryable, records: RecordTypes['spot-fixes'][], present: ReadonlySet<string>): Promise<Outcome> {
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
  return upsertByUnnest(tx, 'spot_fixes', SPOT_FIX_COLUMNS, records, present);
}

const UPSERT = {
  customers: (tx, records, present) => upsertByUnnest(tx, 'customers', CUSTOMER_COLUMNS, records, present),
  responses: (tx, records, present) => upsertByUnnest(tx, 'survey_responses', RESPONSE_COLUMNS, records, present),
  'spot-fixes': upsertSpotFixes,
} as { [K in RecordKind]: (tx: Queryable, records: RecordTypes[K][], present: ReadonlySet<string>) => Promise<Outcome> };

const COLUMNS: Record<RecordKind, Column<never>[]> = {
  customers: CUSTOMER_COLUMNS,
  responses: RESPONSE_COLUMNS,
  'spot-fixes': SPOT_FIX_COLUMNS,
};

/**
 * Records grouped by which fields they carry (`undefined` = the column was absent): a CSV file's
 * records all share one group; JSON records usually do. Order within a group is kept.
 */
function groupByPresence<R>(columns: Column<R>[], records: R[]): Array<{ present: Set<string>; records: R[] }> {
  const groups = new Map<string, { present: Set<string>; records: R[] }>();
  for (const record of records) {
    const present = columns.filter(([, , value]) => value(record) !== undefined).map(([name]) => name);
    const key = present.join(',');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { present: new Set(present), records: [] }));
    group.records.push(record);
  }
  return [...groups.values()];
}

/** Upserts validated records inside an open transaction; returns counts. */
export async function upsertRecords<K extends RecordKind>(
  tx: Queryable,
  kind: K,
  records: RecordTypes[K][],
): Promise<Omit<ApplySummary, 'kind'>> {
  const totals = { rows: 0, added: 0, changed: 0, unchanged: 0 };
  for (let i = 0; i < records.length; i += BATCH_SIZE) {
    for (const group of groupByPresence(COLUMNS[kind] as Column<RecordTypes[K]>[], records.slice(i, i + BATCH_SIZE))) {
      const outcome = await UPSERT[kind](tx, group.records, group.present);
      const added = outcome.filter((o) => o.inserted).length;
      totals.rows += group.records.length;
      totals.added += added;
      totals.changed += outcome.length - added;
      totals.unchanged += group.records.length - outcome.length;
    }
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
