-- Reasons for leaving per month join the rollups (0010_rollup_triggers.sql): the customers'
-- trigger, the truncate trigger and rollup_rebuild() now keep rollup_churn_reasons too, so the
-- scorecard's top reasons no longer read every customer lost in a year.

-- changes: (sign, churned_on, churn_reason, monthly_value). A blank reason is 'Not recorded'.
CREATE FUNCTION rollup_churn_reasons_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_churn_reasons as r (churned_month, reason, customers, valued, value_lost)
    select date_trunc('month', c.churned_on::timestamp)::date,
           coalesce(nullif(btrim(c.churn_reason), ''), 'Not recorded'),
           sum(c.sign),
           sum(case when c.monthly_value is null then 0 else c.sign end),
           sum(c.sign * coalesce(c.monthly_value, 0))
    from changes c
    where c.churned_on is not null
    group by 1, 2
    having (sum(c.sign), sum(case when c.monthly_value is null then 0 else c.sign end), sum(c.sign * coalesce(c.monthly_value, 0)))
           <> (0, 0, 0)
    order by 1, 2
    on conflict (churned_month, reason) do update set
      customers = r.customers + excluded.customers,
      valued = r.valued + excluded.valued,
      value_lost = r.value_lost + excluded.value_lost
  $q$, changes)
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_customers_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE rollup_customer_days_sql(rollup_changes(TG_OP, 'acquired_on, churned_on, monthly_value'));
  EXECUTE rollup_customer_cohorts_sql(rollup_changes(TG_OP, 'acquired_on, churned_on'));
  EXECUTE rollup_churn_reasons_sql(rollup_changes(TG_OP, 'churned_on, churn_reason, monthly_value'));
  DELETE FROM rollup_customer_days WHERE acquired = 0 AND churned = 0;
  DELETE FROM rollup_customer_cohorts WHERE customers = 0;
  DELETE FROM rollup_churn_reasons WHERE customers = 0;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_customers_truncated() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM rollup_customer_days;
  DELETE FROM rollup_customer_cohorts;
  DELETE FROM rollup_churn_reasons;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_rebuild() RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  -- Writers wait until the rebuild commits: nothing they write is missed or counted twice.
  LOCK TABLE customers, survey_responses, spot_fixes IN SHARE MODE;
  DELETE FROM rollup_customer_days;
  DELETE FROM rollup_customer_cohorts;
  DELETE FROM rollup_churn_reasons;
  DELETE FROM rollup_response_days;
  DELETE FROM rollup_spot_fix_days;
  DELETE FROM rollup_issue_first_fixes;
  EXECUTE rollup_customer_days_sql('select 1 as sign, acquired_on, churned_on, monthly_value from customers');
  EXECUTE rollup_customer_cohorts_sql('select 1 as sign, acquired_on, churned_on from customers');
  EXECUTE rollup_churn_reasons_sql('select 1 as sign, churned_on, churn_reason, monthly_value from customers');
  EXECUTE rollup_response_days_sql('select 1 as sign, responded_on, score from survey_responses');
  EXECUTE rollup_spot_fix_days_sql('select 1 as sign, occurred_on, category, cost from spot_fixes');
  EXECUTE rollup_issue_first_fixes_sql('select 1 as sign, issue_key from spot_fixes');
  ANALYZE rollup_customer_days, rollup_customer_cohorts, rollup_churn_reasons, rollup_response_days, rollup_spot_fix_days,
    rollup_issue_first_fixes;
END
$fn$;
--> statement-breakpoint

SELECT rollup_rebuild();
