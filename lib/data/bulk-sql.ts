import { sql, type SQL } from 'drizzle-orm';
import { SPOT_FIX_CATEGORIES } from '@/lib/db/schema';
import { ID_COLUMN, RECORD_COLUMNS, type RecordKind } from '@/lib/validation/records';

/**
 * The SQL half of a bulk import (lib/data/bulk-load): the rules of lib/validation/records as SQL
 * over the staging table's trimmed text — same rules, same messages, one scan — and the merge.
 * Every expression guards its casts with CASE, so no value can make a statement fail.
 */

const STAGING = 'import_staging';
const col = (name: string) => `s."${name}"`;
const quoted = (expr: string) => `'"' || ${expr} || '"'`;
const blank = (expr: string) => `coalesce(${expr}, '') = ''`;

// Most dates: a year from 100, a month, and a day every month has — decided by one regex.
const PLAIN_DATE = '^([1-9][0-9]{3}|0[1-9][0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$';

function isCalendarDate(x: string): string {
  const year = `substr(${x}, 1, 4)::int`;
  const month = `substr(${x}, 6, 2)::int`;
  const leap = `((${year} % 4 = 0 and ${year} % 100 <> 0) or ${year} % 400 = 0)`;
  // Years below 100 are refused as the JS check refuses them (Date.UTC reads them as 19xx).
  return `(case when ${x} ~ '${PLAIN_DATE}' then true
    when ${x} !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then false
    when ${year} < 100 or ${month} not between 1 and 12 then false
    else substr(${x}, 9, 2)::int between 1 and
      (case when ${month} = 2 then (case when ${leap} then 29 else 28 end) when ${month} in (4, 6, 9, 11) then 30 else 31 end) end)`;
}

const requiredText = (c: string, max: number) =>
  `case when ${blank(col(c))} then 'is required' when char_length(${col(c)}) > ${max} then 'must be at most ${max} characters' end`;
const optionalText = (c: string, max: number) => `case when char_length(${col(c)}) > ${max} then 'must be at most ${max} characters' end`;
const dateCheck = (c: string, required: boolean) =>
  `case when ${blank(col(c))} then ${required ? `'is required'` : 'null'}
    when not ${isCalendarDate(col(c))} then ${quoted(col(c))} || ' is not a date (YYYY-MM-DD)' end`;
const moneyCheck = (c: string, required: boolean) =>
  `case when ${blank(col(c))} then ${required ? `'is required'` : 'null'}
    when ${col(c)} !~ '^-?[0-9]{1,12}([.][0-9]{1,2})?$' then ${quoted(col(c))} || ' is not an amount with at most 2 decimal places'
    when left(${col(c)}, 1) = '-' then 'must not be negative' end`;
const scoreCheck = (c: string) =>
  `case when ${blank(col(c))} then 'is required'
    when ${col(c)} !~ '^[0-9]{1,2}$' then ${quoted(col(c))} || ' is not a whole number from 0 to 10'
    when ${col(c)}::int > 10 then ${quoted(col(c))} || ' is not a whole number from 0 to 10' end`;
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

/** Rows whose id an earlier row already has: "<id>" is already on row N (the first). */
function duplicateIds(kind: RecordKind): string {
  const id = `"${ID_COLUMN[kind]}"`;
  return `select row_no, 0 as ord, '${ID_COLUMN[kind]}'::text as col, '"' || ${id} || '" is already on row ' || first_row as msg
    from (select row_no, ${id}, min(row_no) over (partition by ${id}) as first_row from ${STAGING} where ${id} <> '') d
    where row_no <> first_row`;
}

function problemsQuery(kind: RecordKind, present: ReadonlySet<string>): SQL {
  const columns = RECORD_COLUMNS[kind] as readonly string[];
  const checks = COLUMN_CHECKS[kind] as Record<string, string>;
  const exprs: Array<[number, string, string]> = columns.flatMap((c, i) => (present.has(c) ? [[i + 1, c, checks[c]] as [number, string, string]] : []));
  const parts = [duplicateIds(kind)];
  if (kind === 'customers') {
    const valid = (c: string) => `(not ${blank(col(c))} and ${isCalendarDate(col(c))})`;
    // Checked only between two real dates; ISO dates compare as text.
    exprs.push([
      99,
      'churned_on',
      `case when ${valid('acquired_on')} and ${valid('churned_on')} and ${col('churned_on')} < ${col('acquired_on')}
        then 'must not be before acquired_on' end`,
    ]);
    if (!present.has('churned_on')) {
      // The file leaves churn dates as they are: a new acquisition date must not pass a stored one.
      parts.push(`select s.row_no, 98 as ord, 'acquired_on'::text as col,
          'must not be after churned_on (' || to_char(c.churned_on, 'YYYY-MM-DD') || '), already loaded for this customer' as msg
        from ${STAGING} s join customers c on c.customer_id = s.customer_id
        where c.churned_on is not null
          and (case when ${valid('acquired_on')} then s.acquired_on > to_char(c.churned_on, 'YYYY-MM-DD') else false end)`);
    }
  }
  // A scan finds the rows with any problem (a lateral list per row costs far more); only those are itemised.
  const anyProblem = exprs.map(([, , e]) => `(${e}) is not null`).join('\n or ');
  const values = exprs.map(([ord, c, e]) => `(${ord}, '${c}'::text, ${e})`).join(',\n');
  parts.unshift(`select s.row_no, v.ord, v.col, v.msg from (select * from ${STAGING} s where ${anyProblem}) s
    cross join lateral (values ${values}) as v(ord, col, msg) where v.msg is not null`);
  return sql.raw(parts.join('\nunion all\n'));
}

export const STAGED_CHECKS: Record<RecordKind, (present: ReadonlySet<string>) => SQL> = {
  customers: (present) => problemsQuery('customers', present),
  responses: (present) => problemsQuery('responses', present),
  'spot-fixes': (present) => problemsQuery('spot-fixes', present),
};

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
 * One statement: insert every staged row, or update the existing record's fields from the file's
 * columns (an absent column leaves its field alone), only where something differs.
 */
export function stagedMerge(kind: RecordKind, present: ReadonlySet<string>): { before: SQL | null; merge: SQL; table: string } {
  const { table, columns } = TARGETS[kind];
  const [id, ...data] = columns;
  const updated = data.filter(([name]) => present.has(name) || (name === 'issue_key' && present.has('issue')));
  const names = (list: Array<[string, string]>, prefix = '') => list.map(([name]) => `${prefix}"${name}"`).join(', ');
  const conflict = updated.length
    ? `do update set ${updated.map(([name]) => `"${name}" = excluded."${name}"`).join(', ')}, "updated_at" = now()
       where (${names(updated, `"${table}".`)}) is distinct from (${names(updated, 'excluded.')})`
    : 'do nothing';
  const merge = sql.raw(`with merged as (
      insert into "${table}" (${names(columns)})
      select ${columns.map(([, value]) => value).join(', ')} from ${STAGING}
      on conflict ("${id[0]}") ${conflict}
      returning (xmax = 0) as inserted)
    select (count(*) filter (where inserted))::int as added, (count(*) filter (where not inserted))::int as changed from merged`);
  // Every issue gets its recurring-issue row first, labelled as first written (the earliest row).
  const before =
    kind === 'spot-fixes'
      ? sql.raw(`insert into recurring_issues (issue_key, label)
          select distinct on (issue_key) issue_key, regexp_replace(issue, '^\\s+|\\s+$', '', 'g') from ${STAGING}
          order by issue_key, row_no
          on conflict do nothing`)
      : null;
  return { before, merge, table };
}
