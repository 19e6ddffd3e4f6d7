import { sql, type SQL } from 'drizzle-orm';
import { SPOT_FIX_CATEGORIES } from '@/lib/db/schema';
import { ID_COLUMN, RECORD_COLUMNS, type RecordKind } from '@/lib/validation/records';

/**
 * The SQL half of a bulk import (lib/data/bulk-load): the rules of lib/validation/records as SQL
 * over the staging table's trimmed text — same rules, same messages — and the merge. The checks
 * of a row on its own read each batch once as it lands; the rest read the whole file afterwards.
 * Every expression guards its casts with CASE, so no value can make a statement fail.
 */

const STAGING = 'import_staging';
const col = (name: string) => `s."${name}"`;
const quoted = (expr: string) => `'"' || ${expr} || '"'`;
const blank = (expr: string) => `coalesce(${expr}, '') = ''`;

// Regular expressions cost PostgreSQL a few µs a value; the checks below are plain text
// comparisons instead. `digitsAsZero` turns every ASCII digit into 0, so one lookup in a short
// list of shapes says whether a value is a date or an amount (lists this long are hashed).
const digitsAsZero = (x: string) => `translate(${x}, '123456789', '000000000')`;
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

// Every month-day a year has, 02-29 aside (checked against the year).
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31].flatMap((days, m) =>
  Array.from({ length: days }, (_, d) => `${String(m + 1).padStart(2, '0')}-${String(d + 1).padStart(2, '0')}`),
);

function isCalendarDate(x: string): string {
  const year = `substr(${x}, 1, 4)::int`;
  const leap = `((${year} % 4 = 0 and ${year} % 100 <> 0) or ${year} % 400 = 0)`;
  // Years below 100 are refused as the JS check refuses them (Date.UTC reads them as 19xx).
  return `(case when ${digitsAsZero(x)} <> '0000-00-00' or left(${x}, 4) < '0100' then false
    when substr(${x}, 6, 5) in (${list(MONTH_DAYS)}) then true
    when substr(${x}, 6, 5) = '02-29' then ${leap} else false end)`;
}

// The shapes of ^-?[0-9]{1,12}([.][0-9]{1,2})?$ once digits are 0: 72 of them.
const AMOUNT_SHAPES = ['', '-'].flatMap((sign) =>
  Array.from({ length: 12 }, (_, i) => '0'.repeat(i + 1)).flatMap((whole) => ['', '.0', '.00'].map((cents) => sign + whole + cents)),
);
// ^[0-9]{1,2}$ and at most 10.
const SCORES = [...Array.from({ length: 10 }, (_, i) => String(i)), ...Array.from({ length: 10 }, (_, i) => `0${i}`), '10'];

const requiredText = (c: string, max: number) =>
  `case when ${blank(col(c))} then 'is required' when char_length(${col(c)}) > ${max} then 'must be at most ${max} characters' end`;
const optionalText = (c: string, max: number) => `case when char_length(${col(c)}) > ${max} then 'must be at most ${max} characters' end`;
const dateCheck = (c: string, required: boolean) =>
  `case when ${blank(col(c))} then ${required ? `'is required'` : 'null'}
    when not ${isCalendarDate(col(c))} then ${quoted(col(c))} || ' is not a date (YYYY-MM-DD)' end`;
const moneyCheck = (c: string, required: boolean) =>
  `case when ${blank(col(c))} then ${required ? `'is required'` : 'null'}
    when ${digitsAsZero(col(c))} not in (${list(AMOUNT_SHAPES)}) then ${quoted(col(c))} || ' is not an amount with at most 2 decimal places'
    when left(${col(c)}, 1) = '-' then 'must not be negative' end`;
const scoreCheck = (c: string) =>
  `case when ${blank(col(c))} then 'is required'
    when ${col(c)} not in (${list(SCORES)}) then ${quoted(col(c))} || ' is not a whole number from 0 to 10' end`;
const categoryCheck = (c: string) =>
  `case when ${blank(col(c))} then 'is required'
    when lower(${col(c)}) not in (${SPOT_FIX_CATEGORIES.map((k) => `'${k}'`).join(', ')})
    then ${quoted(`lower(${col(c)})`)} || ' is not one of ${SPOT_FIX_CATEGORIES.join(', ')}' end`;
// The issue is staged as written; its key (computed as the app computes it) is empty only for a blank label.
const issueCheck = () =>
  `case when ${blank(col('issue_key'))} then 'is required' when char_length(${col('issue')}) > 500 then 'must be at most 500 characters' end`;

/** Per column: the SQL giving its problem (null when none). Required columns are always in the file. */
const COLUMN_CHECKS: { [K in RecordKind]: Record<(typeof RECORD_COLUMNS)[K][number], string> } = {
  customers: {
    customer_id: requiredText('customer_id', 200),
    name: optionalText('name', 2000),
    segment: optionalText('segment', 200),
    acquired_on: dateCheck('acquired_on', true),
    churned_on: dateCheck('churned_on', false),
    monthly_value: moneyCheck('monthly_value', false),
    churn_reason: optionalText('churn_reason', 2000),
  },
  responses: {
    response_id: requiredText('response_id', 200),
    customer_id: optionalText('customer_id', 200),
    responded_on: dateCheck('responded_on', true),
    score: scoreCheck('score'),
    touchpoint: optionalText('touchpoint', 200),
    comment: optionalText('comment', 2000),
  },
  'spot-fixes': {
    spot_fix_id: requiredText('spot_fix_id', 200),
    occurred_on: dateCheck('occurred_on', true),
    issue: issueCheck(),
    category: categoryCheck('category'),
    cost: moneyCheck('cost', true),
    customer_id: optionalText('customer_id', 200),
    journey_stage: optionalText('journey_stage', 200),
    note: optionalText('note', 2000),
  },
};

const validDate = (c: string) => `(not ${blank(col(c))} and ${isCalendarDate(col(c))})`;
/** SQL: whether any of the row checks fails for the staging row `s`. */
const anyProblem = (exprs: Array<[number, string, string]>) => exprs.map(([, , e]) => `(${e}) is not null`).join('\n or ');

/** Rows whose id an earlier row already has: "<id>" is already on row N (the first). */
function duplicateIds(kind: RecordKind, flagged: string): string {
  const id = `"${ID_COLUMN[kind]}"`;
  // Grouped by hashing, and only the few repeated ids are joined back: a window over every row sorts them all.
  return `select s.row_no, 0 as ord, '${ID_COLUMN[kind]}'::text as col, '"' || s.${id} || '" is already on row ' || d.first_row as msg,
      ${flagged} as flagged
    from ${STAGING} s join (select ${id}, min(row_no) as first_row from ${STAGING} where ${id} <> ''
      group by ${id} having count(*) > 1) d on d.${id} = s.${id}
    where s.row_no <> d.first_row`;
}

/** A kind's checks of one row on its own, as SQL over the staging row `s`: [order, column, problem or null]. */
function rowChecks(kind: RecordKind, present: ReadonlySet<string>): Array<[number, string, string]> {
  const columns = RECORD_COLUMNS[kind] as readonly string[];
  const checks = COLUMN_CHECKS[kind] as Record<string, string>;
  const exprs: Array<[number, string, string]> = columns.flatMap((c, i) => (present.has(c) ? [[i + 1, c, checks[c]] as [number, string, string]] : []));
  if (kind === 'customers') {
    // Checked only between two real dates; ISO dates compare as text.
    exprs.push([
      99,
      'churned_on',
      `case when ${validDate('acquired_on')} and ${validDate('churned_on')} and ${col('churned_on')} < ${col('acquired_on')}
        then 'must not be before acquired_on' end`,
    ]);
  }
  return exprs;
}

/**
 * Every problem the row checks find in `table` (the staging table or one batch of it):
 * (row_no, ord, col, msg). A scan finds the rows with any problem (a lateral list per row costs
 * far more); only those are itemised.
 */
export function rowProblemsQuery(kind: RecordKind, present: ReadonlySet<string>, table: string): SQL {
  const exprs = rowChecks(kind, present);
  const values = exprs.map(([ord, c, e]) => `(${ord}, '${c}'::text, ${e})`).join(',\n');
  return sql.raw(`select s.row_no, v.ord, v.col, v.msg from (select * from ${table} s where ${anyProblem(exprs)}) s
    cross join lateral (values ${values}) as v(ord, col, msg) where v.msg is not null`);
}

/**
 * The checks that need the whole file or the stored records: repeated ids and, for customers
 * loaded without churn dates, acquisitions after a stored churn. (row_no, ord, col, msg,
 * flagged): `flagged` says the row checks, run while staging, already counted that row as bad.
 * With `withRows` they were not: the row checks of every staged row are added here.
 */
export function fileProblemsQuery(kind: RecordKind, present: ReadonlySet<string>, withRows: boolean): SQL {
  const flagged = withRows ? 'false' : `(${anyProblem(rowChecks(kind, present))})`;
  const parts = [duplicateIds(kind, flagged)];
  if (kind === 'customers' && !present.has('churned_on')) {
    // The file leaves churn dates as they are: a new acquisition date must not pass a stored one.
    parts.push(`select s.row_no, 98 as ord, 'acquired_on'::text as col,
        'must not be after churned_on (' || to_char(c.churned_on, 'YYYY-MM-DD') || '), already loaded for this customer' as msg,
        ${flagged} as flagged
      from ${STAGING} s join customers c on c.customer_id = s.customer_id
      where c.churned_on is not null
        and (case when ${validDate('acquired_on')} then s.acquired_on > to_char(c.churned_on, 'YYYY-MM-DD') else false end)`);
  }
  const query = sql.raw(parts.join('\nunion all\n'));
  if (!withRows) return query;
  return sql`${query} union all select p.*, false as flagged from (${rowProblemsQuery(kind, present, STAGING)}) p`;
}

/** Each table column's value from the staging table's text (empty means none). */
const TARGETS: Record<RecordKind, { table: string; columns: Array<[string, string]> }> = {
  customers: {
    table: 'customers',
    columns: [
      ['customer_id', 'customer_id'],
      ['name', `nullif(name, '')`],
      ['segment', `nullif(segment, '')`],
      ['acquired_on', 'acquired_on::date'],
      ['churned_on', `nullif(churned_on, '')::date`],
      ['monthly_value', `nullif(monthly_value, '')::numeric(14, 2)`],
      ['churn_reason', `nullif(churn_reason, '')`],
    ],
  },
  responses: {
    table: 'survey_responses',
    columns: [
      ['response_id', 'response_id'],
      ['customer_id', `nullif(customer_id, '')`],
      ['responded_on', 'responded_on::date'],
      ['score', 'score::smallint'],
      ['touchpoint', `nullif(touchpoint, '')`],
      ['comment', `nullif(comment, '')`],
    ],
  },
  'spot-fixes': {
    table: 'spot_fixes',
    columns: [
      ['spot_fix_id', 'spot_fix_id'],
      ['occurred_on', 'occurred_on::date'],
      ['issue', 'issue'],
      ['issue_key', 'issue_key'],
      ['category', 'lower(category)'],
      ['cost', 'cost::numeric(14, 2)'],
      ['customer_id', `nullif(customer_id, '')`],
      ['journey_stage', `nullif(journey_stage, '')`],
      ['note', `nullif(note, '')`],
    ],
  },
};

/**
 * The merge: update the existing records whose fields differ from the file's columns (an absent
 * column leaves its field alone), then insert the rest. Two plain statements rather than one
 * INSERT … ON CONFLICT: its speculative insertion made every new row cost about twice as much.
 * Each statement answers how many rows it wrote (`n`).
 */
export function stagedMerge(
  kind: RecordKind,
  present: ReadonlySet<string>,
): { before: SQL | null; update: SQL | null; insert: SQL; table: string } {
  const { table, columns } = TARGETS[kind];
  const [id, ...data] = columns;
  const updated = data.filter(([name]) => present.has(name) || (name === 'issue_key' && present.has('issue')));
  const names = (list: Array<[string, string]>, prefix = '') => list.map(([name]) => `${prefix}"${name}"`).join(', ');
  const values = (list: Array<[string, string]>) => list.map(([name, value]) => `${value} as "${name}"`).join(', ');
  const update = updated.length
    ? sql.raw(`with changed as (
        update "${table}" t set ${updated.map(([name]) => `"${name}" = f."${name}"`).join(', ')}, "updated_at" = now()
        from (select ${values([id, ...updated])} from ${STAGING}) f
        where t."${id[0]}" = f."${id[0]}" and (${names(updated, 't.')}) is distinct from (${names(updated, 'f.')})
        returning 1)
      select count(*)::int as n from changed`)
    : null;
  const insert = sql.raw(`with added as (
      insert into "${table}" (${names(columns)})
      select ${columns.map(([, value]) => value).join(', ')} from ${STAGING} s
      where not exists (select 1 from "${table}" t where t."${id[0]}" = s."${id[0]}")
      returning 1)
    select count(*)::int as n from added`);
  // Every issue gets its recurring-issue row first, labelled as first written (the earliest row).
  // Each issue's first row is found by hashing, then read back: DISTINCT ON sorted every row.
  const before =
    kind === 'spot-fixes'
      ? sql.raw(`insert into recurring_issues (issue_key, label)
          select s.issue_key, regexp_replace(s.issue, '^\\s+|\\s+$', '', 'g')
          from ${STAGING} s
          join (select issue_key, min(row_no) as row_no from ${STAGING} group by issue_key) earliest on earliest.row_no = s.row_no
          where not exists (select 1 from recurring_issues r where r.issue_key = s.issue_key)
          order by s.issue_key
          on conflict do nothing`)
      : null;
  return { before, update, insert, table };
}
