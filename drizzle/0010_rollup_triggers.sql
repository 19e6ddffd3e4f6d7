-- Rollups kept exact by the database itself, in the same transaction as every write to customers,
-- survey_responses and spot_fixes, whichever path wrote it (CSV import, the JSON API, the spot-fix
-- form, a script). Statement-level triggers see the statement's rows as transition tables
-- (old_rows / new_rows): a million-row import costs one pass over its own rows, not a trigger per row.
--
-- The day, month and score rollups are sums, so a statement adds what its new rows contribute and
-- subtracts what its old rows did (an upsert adding to the stored figure, which stays right when two
-- transactions write the same day at once). An issue's first fix is a minimum, which a delete cannot
-- subtract from: those issues are recomputed from spot_fixes.
--
-- Each rollup's statement is written once, as text over a set of changes `(sign, columns…)`: the
-- triggers run it over their transition tables, rollup_rebuild() over the whole table.

-- The rows a statement changed, as (sign, columns): +1 for a row that now counts, −1 for one that no
-- longer does. An UPDATE contributes only rows whose listed columns changed.
CREATE FUNCTION rollup_changes(operation text, columns text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE operation
    WHEN 'INSERT' THEN format('select 1 as sign, %s from new_rows', columns)
    WHEN 'DELETE' THEN format('select -1 as sign, %s from old_rows', columns)
    ELSE format('select 1 as sign, * from (select %1$s from new_rows except all select %1$s from old_rows) as added
                 union all
                 select -1 as sign, * from (select %1$s from old_rows except all select %1$s from new_rows) as removed', columns)
  END
$fn$;
--> statement-breakpoint

-- changes: (sign, acquired_on, churned_on, monthly_value)
CREATE FUNCTION rollup_customer_days_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_customer_days as r (day, acquired, acquired_value, churned, churned_value, acquired_and_churned)
    select v.day, sum(v.acquired), sum(v.acquired_value), sum(v.churned), sum(v.churned_value), sum(v.acquired_and_churned)
    from changes c
    cross join lateral (values
      (c.acquired_on, c.sign, c.sign * coalesce(c.monthly_value, 0), 0, 0::numeric,
       case when c.churned_on = c.acquired_on then c.sign else 0 end),
      (c.churned_on, 0, 0::numeric, c.sign, c.sign * coalesce(c.monthly_value, 0), 0)
    ) as v(day, acquired, acquired_value, churned, churned_value, acquired_and_churned)
    where v.day is not null
    group by v.day
    having (sum(v.acquired), sum(v.acquired_value), sum(v.churned), sum(v.churned_value), sum(v.acquired_and_churned))
           <> (0, 0, 0, 0, 0)
    order by v.day
    on conflict (day) do update set
      acquired = r.acquired + excluded.acquired,
      acquired_value = r.acquired_value + excluded.acquired_value,
      churned = r.churned + excluded.churned,
      churned_value = r.churned_value + excluded.churned_value,
      acquired_and_churned = r.acquired_and_churned + excluded.acquired_and_churned
  $q$, changes)
$fn$;
--> statement-breakpoint

-- changes: (sign, acquired_on, churned_on)
CREATE FUNCTION rollup_customer_cohorts_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_customer_cohorts as r (acquired_month, churned_month, customers)
    select date_trunc('month', c.acquired_on::timestamp)::date,
           coalesce(date_trunc('month', c.churned_on::timestamp)::date, 'infinity'::date),
           sum(c.sign)
    from changes c
    group by 1, 2
    having sum(c.sign) <> 0
    order by 1, 2
    on conflict (acquired_month, churned_month) do update set customers = r.customers + excluded.customers
  $q$, changes)
$fn$;
--> statement-breakpoint

-- changes: (sign, responded_on, score)
CREATE FUNCTION rollup_response_days_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_response_days as r (day, score, responses)
    select c.responded_on, c.score, sum(c.sign)
    from changes c
    group by 1, 2
    having sum(c.sign) <> 0
    order by 1, 2
    on conflict (day, score) do update set responses = r.responses + excluded.responses
  $q$, changes)
$fn$;
--> statement-breakpoint

-- changes: (sign, occurred_on, category, cost)
CREATE FUNCTION rollup_spot_fix_days_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_spot_fix_days as r (day, category, fixes, cost)
    select c.occurred_on, c.category, sum(c.sign), sum(c.sign * c.cost)
    from changes c
    group by 1, 2
    having (sum(c.sign), sum(c.sign * c.cost)) <> (0, 0)
    order by 1, 2
    on conflict (day, category) do update set fixes = r.fixes + excluded.fixes, cost = r.cost + excluded.cost
  $q$, changes)
$fn$;
--> statement-breakpoint

-- changes: (sign, issue_key, …). Recomputes each changed issue's first fix day and that day's cost
-- from spot_fixes (index spot_fixes_issue_key_occurred_on_idx); an issue left without fixes goes.
CREATE FUNCTION rollup_issue_first_fixes_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s),
    keys as (select distinct issue_key from changes),
    firsts as (
      select s.issue_key, min(s.occurred_on) as first_on
      from spot_fixes s where s.issue_key in (select issue_key from keys)
      group by s.issue_key
    ),
    fresh as (
      select f.issue_key, f.first_on, sum(s.cost) as first_day_cost
      from firsts f join spot_fixes s on s.issue_key = f.issue_key and s.occurred_on = f.first_on
      group by f.issue_key, f.first_on
    ),
    gone as (
      delete from rollup_issue_first_fixes r
      where r.issue_key in (select issue_key from keys) and r.issue_key not in (select issue_key from fresh)
    )
    insert into rollup_issue_first_fixes as r (issue_key, first_on, first_day_cost)
    select issue_key, first_on, first_day_cost from fresh
    order by issue_key
    on conflict (issue_key) do update set first_on = excluded.first_on, first_day_cost = excluded.first_day_cost
      where (r.first_on, r.first_day_cost) is distinct from (excluded.first_on, excluded.first_day_cost)
  $q$, changes)
$fn$;
--> statement-breakpoint

CREATE FUNCTION rollup_customers_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE rollup_customer_days_sql(rollup_changes(TG_OP, 'acquired_on, churned_on, monthly_value'));
  EXECUTE rollup_customer_cohorts_sql(rollup_changes(TG_OP, 'acquired_on, churned_on'));
  DELETE FROM rollup_customer_days WHERE acquired = 0 AND churned = 0;
  DELETE FROM rollup_customer_cohorts WHERE customers = 0;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE FUNCTION rollup_survey_responses_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE rollup_response_days_sql(rollup_changes(TG_OP, 'responded_on, score'));
  DELETE FROM rollup_response_days WHERE responses = 0;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE FUNCTION rollup_spot_fixes_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE rollup_spot_fix_days_sql(rollup_changes(TG_OP, 'occurred_on, category, cost'));
  DELETE FROM rollup_spot_fix_days WHERE fixes = 0;
  -- One writer at a time recomputes first fixes (held to the end of the transaction). The next
  -- statement reads spot_fixes afresh (READ COMMITTED), so it sees what a writer before it committed.
  LOCK TABLE rollup_issue_first_fixes IN SHARE ROW EXCLUSIVE MODE;
  EXECUTE rollup_issue_first_fixes_sql(rollup_changes(TG_OP, 'issue_key, occurred_on, cost'));
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE FUNCTION rollup_customers_truncated() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM rollup_customer_days;
  DELETE FROM rollup_customer_cohorts;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE FUNCTION rollup_survey_responses_truncated() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM rollup_response_days;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE FUNCTION rollup_spot_fixes_truncated() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM rollup_spot_fix_days;
  DELETE FROM rollup_issue_first_fixes;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

-- A trigger with transition tables serves one event, so each table has one per event.
CREATE TRIGGER customers_rollup_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_customers_changed();
--> statement-breakpoint
CREATE TRIGGER customers_rollup_update AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_customers_changed();
--> statement-breakpoint
CREATE TRIGGER customers_rollup_delete AFTER DELETE ON customers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_customers_changed();
--> statement-breakpoint
CREATE TRIGGER customers_rollup_truncate AFTER TRUNCATE ON customers
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_customers_truncated();
--> statement-breakpoint
CREATE TRIGGER survey_responses_rollup_insert AFTER INSERT ON survey_responses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_survey_responses_changed();
--> statement-breakpoint
CREATE TRIGGER survey_responses_rollup_update AFTER UPDATE ON survey_responses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_survey_responses_changed();
--> statement-breakpoint
CREATE TRIGGER survey_responses_rollup_delete AFTER DELETE ON survey_responses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_survey_responses_changed();
--> statement-breakpoint
CREATE TRIGGER survey_responses_rollup_truncate AFTER TRUNCATE ON survey_responses
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_survey_responses_truncated();
--> statement-breakpoint
CREATE TRIGGER spot_fixes_rollup_insert AFTER INSERT ON spot_fixes
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_spot_fixes_changed();
--> statement-breakpoint
CREATE TRIGGER spot_fixes_rollup_update AFTER UPDATE ON spot_fixes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_spot_fixes_changed();
--> statement-breakpoint
CREATE TRIGGER spot_fixes_rollup_delete AFTER DELETE ON spot_fixes
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_spot_fixes_changed();
--> statement-breakpoint
CREATE TRIGGER spot_fixes_rollup_truncate AFTER TRUNCATE ON spot_fixes
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_spot_fixes_truncated();
--> statement-breakpoint

-- Recomputes every rollup from the raw tables: for data loaded behind the triggers' back (with
-- triggers disabled, or restored from a dump of the raw tables). `npm run cli -- rebuild-rollups`.
CREATE FUNCTION rollup_rebuild() RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  -- Writers wait until the rebuild commits: nothing they write is missed or counted twice.
  LOCK TABLE customers, survey_responses, spot_fixes IN SHARE MODE;
  DELETE FROM rollup_customer_days;
  DELETE FROM rollup_customer_cohorts;
  DELETE FROM rollup_response_days;
  DELETE FROM rollup_spot_fix_days;
  DELETE FROM rollup_issue_first_fixes;
  EXECUTE rollup_customer_days_sql('select 1 as sign, acquired_on, churned_on, monthly_value from customers');
  EXECUTE rollup_customer_cohorts_sql('select 1 as sign, acquired_on, churned_on from customers');
  EXECUTE rollup_response_days_sql('select 1 as sign, responded_on, score from survey_responses');
  EXECUTE rollup_spot_fix_days_sql('select 1 as sign, occurred_on, category, cost from spot_fixes');
  EXECUTE rollup_issue_first_fixes_sql('select 1 as sign, issue_key from spot_fixes');
  ANALYZE rollup_customer_days, rollup_customer_cohorts, rollup_response_days, rollup_spot_fix_days, rollup_issue_first_fixes;
END
$fn$;
--> statement-breakpoint

SELECT rollup_rebuild();
