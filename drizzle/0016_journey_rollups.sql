CREATE TABLE "rollup_response_churn_days" (
	"day" date NOT NULL,
	"score_class" text NOT NULL,
	"responses" integer NOT NULL,
	"churned" integer NOT NULL,
	CONSTRAINT "rollup_response_churn_days_day_score_class_pk" PRIMARY KEY("day","score_class")
);
--> statement-breakpoint

-- The journey from rollups too. Responses per month are now kept by touchpoint as written ('' for
-- none), so the drill-down ('Not recorded', trimmed) and the journey (compared labels) each group
-- the variants their own way when they read; and the churn after a response is kept per day and
-- score class. Its rows join a response with its customer, so a statement on either table adds
-- what its changed rows contribute with the other table's rows and subtracts what its old rows
-- did. The two triggers take the value-at-risk lock first: one writer at a time, each seeing what
-- the one before committed, so a customer and its response written at once are counted once.

-- changes: (sign, responded_on, touchpoint, score)
CREATE OR REPLACE FUNCTION rollup_response_months_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_response_months as r (month, touchpoint, score, responses)
    select date_trunc('month', c.responded_on::timestamp)::date, coalesce(c.touchpoint, ''), c.score, sum(c.sign)
    from changes c
    group by 1, 2, 3
    having sum(c.sign) <> 0
    order by 1, 2, 3
    on conflict (month, touchpoint, score) do update set responses = r.responses + excluded.responses
  $q$, changes)
$fn$;
--> statement-breakpoint

-- changes: (sign, responded_on, score, acquired_on, churned_on): a response with its customer.
CREATE FUNCTION rollup_response_churn_sql(changes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    with changes as (%s)
    insert into rollup_response_churn_days as r (day, score_class, responses, churned)
    select c.responded_on,
           case when c.score >= 9 then 'promoter' when c.score >= 7 then 'passive' else 'detractor' end,
           sum(c.sign),
           sum(case when c.churned_on <= c.responded_on + 90 then c.sign else 0 end)
    from changes c
    where c.acquired_on <= c.responded_on and (c.churned_on is null or c.churned_on > c.responded_on)
    group by 1, 2
    having (sum(c.sign), sum(case when c.churned_on <= c.responded_on + 90 then c.sign else 0 end)) <> (0, 0)
    order by 1, 2
    on conflict (day, score_class) do update
      set responses = r.responses + excluded.responses, churned = r.churned + excluded.churned
  $q$, changes)
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_customers_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  at_risk_keys text := format('select customer_id from (%s) c',
    rollup_changes(TG_OP, 'customer_id, acquired_on, churned_on, monthly_value'));
BEGIN
  EXECUTE rollup_customer_days_sql(rollup_changes(TG_OP, 'acquired_on, churned_on, monthly_value, segment'));
  EXECUTE rollup_customer_cohorts_sql(rollup_changes(TG_OP, 'acquired_on, churned_on, segment'));
  EXECUTE rollup_churn_reasons_sql(rollup_changes(TG_OP, 'churned_on, churn_reason, monthly_value'));
  DELETE FROM rollup_customer_days WHERE acquired = 0 AND churned = 0;
  DELETE FROM rollup_customer_cohorts WHERE customers = 0;
  DELETE FROM rollup_churn_reasons WHERE customers = 0;
  -- One writer at a time recomputes what joins customers with responses (held to the end of the
  -- transaction); the next statements read both tables afresh, with what a writer before committed.
  LOCK TABLE rollup_at_risk_spans IN SHARE ROW EXCLUSIVE MODE;
  EXECUTE rollup_at_risk_remove_sql(at_risk_keys);
  EXECUTE rollup_at_risk_add_sql(at_risk_keys);
  DELETE FROM rollup_at_risk_months WHERE customers = 0 AND value = 0;
  EXECUTE rollup_response_churn_sql(format(
    'select c.sign, r.responded_on, r.score, c.acquired_on, c.churned_on
     from (%s) c join survey_responses r on r.customer_id = c.customer_id',
    rollup_changes(TG_OP, 'customer_id, acquired_on, churned_on')));
  DELETE FROM rollup_response_churn_days WHERE responses = 0;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_survey_responses_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  at_risk_keys text := format('select customer_id from (%s) r',
    rollup_changes(TG_OP, 'customer_id, responded_on, score, response_id'));
BEGIN
  EXECUTE rollup_response_months_sql(rollup_changes(TG_OP, 'responded_on, touchpoint, score'));
  DELETE FROM rollup_response_months WHERE responses = 0;
  LOCK TABLE rollup_at_risk_spans IN SHARE ROW EXCLUSIVE MODE;
  EXECUTE rollup_at_risk_remove_sql(at_risk_keys);
  EXECUTE rollup_at_risk_add_sql(at_risk_keys);
  DELETE FROM rollup_at_risk_months WHERE customers = 0 AND value = 0;
  EXECUTE rollup_response_churn_sql(format(
    'select r.sign, r.responded_on, r.score, c.acquired_on, c.churned_on
     from (%s) r join customers c on c.customer_id = r.customer_id',
    rollup_changes(TG_OP, 'customer_id, responded_on, score')));
  DELETE FROM rollup_response_churn_days WHERE responses = 0;
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
  DELETE FROM rollup_at_risk_spans;
  DELETE FROM rollup_at_risk_months;
  DELETE FROM rollup_response_churn_days;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION rollup_survey_responses_truncated() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM rollup_response_months;
  DELETE FROM rollup_at_risk_spans;
  DELETE FROM rollup_at_risk_months;
  DELETE FROM rollup_response_churn_days;
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
  DELETE FROM rollup_response_months;
  DELETE FROM rollup_spot_fix_months;
  DELETE FROM rollup_issue_months;
  DELETE FROM rollup_issue_first_fixes;
  DELETE FROM rollup_at_risk_spans;
  DELETE FROM rollup_at_risk_months;
  DELETE FROM rollup_response_churn_days;
  EXECUTE rollup_customer_days_sql('select 1 as sign, acquired_on, churned_on, monthly_value, segment from customers');
  EXECUTE rollup_customer_cohorts_sql('select 1 as sign, acquired_on, churned_on, segment from customers');
  EXECUTE rollup_churn_reasons_sql('select 1 as sign, churned_on, churn_reason, monthly_value from customers');
  EXECUTE rollup_response_months_sql('select 1 as sign, responded_on, touchpoint, score from survey_responses');
  EXECUTE rollup_spot_fix_months_sql('select 1 as sign, occurred_on, category, cost from spot_fixes');
  EXECUTE rollup_issue_months_sql('select 1 as sign, issue_key, occurred_on, cost from spot_fixes');
  EXECUTE rollup_issue_first_fixes_sql('select 1 as sign, issue_key from spot_fixes');
  EXECUTE rollup_at_risk_add_sql('select customer_id from customers');
  DELETE FROM rollup_at_risk_months WHERE customers = 0 AND value = 0;
  EXECUTE rollup_response_churn_sql('select 1 as sign, r.responded_on, r.score, c.acquired_on, c.churned_on
    from survey_responses r join customers c on c.customer_id = r.customer_id');
  ANALYZE rollup_customer_days, rollup_customer_cohorts, rollup_churn_reasons, rollup_response_months, rollup_spot_fix_months,
    rollup_issue_months, rollup_issue_first_fixes, rollup_at_risk_spans, rollup_at_risk_months, rollup_response_churn_days;
END
$fn$;
--> statement-breakpoint

SELECT rollup_rebuild();
